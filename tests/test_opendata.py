"""Open data: JSON that validates, CSV that Excel opens, per-region downloads that add up."""
from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest

from openpyxl import load_workbook

from generator import urls, xlsx_export
from generator.opendata import COLUMNS, DATASETS, open_data, schema_for, schema_path, to_csv
from generator.site import load_site
from support import REPO


@pytest.fixture(scope="module")
def sample():
    site, _problems = load_site(REPO, use_cache=False)
    return site, open_data(site)


def rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_every_dataset_has_json_csv_and_schema(sample):
    _site, files = sample
    for name in DATASETS:
        assert f"data/{name}.json" in files and f"data/{name}.csv" in files
        assert f"data/schema/{name}.schema.json" == schema_path(name) and schema_path(name) in files
    assert all(isinstance(data, bytes) for data in files.values())


def test_json_validates_against_its_schema(sample):
    jsonschema = pytest.importorskip("jsonschema")
    site, files = sample
    for name in DATASETS:
        schema = json.loads(files[schema_path(name)])
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        items = json.loads(files[f"data/{name}.json"])
        assert items, name
        for item in items:
            validator.validate(item)
    demands = jsonschema.Draft202012Validator(schema_for("demands"))
    for code in site.regions.by_code:
        for item in json.loads(files[urls.download("regions", "json", code)]):
            demands.validate(item)


def test_schema_is_described_in_chinese():
    for name in DATASETS:
        schema = schema_for(name)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"] == f"schema/{name}.schema.json"
        assert schema["required"] == [key for key, _l, _s in COLUMNS[name]]
        for key, prop in schema["properties"].items():
            assert any("\u4e00" <= ch <= "\u9fff" for ch in prop["title"] + prop["description"]), key


def test_records_have_fixed_keys_and_sorted_ids(sample):
    _site, files = sample
    for name in DATASETS:
        items = json.loads(files[f"data/{name}.json"])
        keys = [key for key, _l, _s in COLUMNS[name]]
        assert all(list(item) == keys for item in items)
        assert [item[keys[0]] for item in items] == sorted(item[keys[0]] for item in items)


def test_demand_record_content(sample):
    site, files = sample
    one = next(d for d in json.loads(files["data/demands.json"]) if d["id"] == "d-371721-2025-002")
    assert (one["county"], one["county_name"], one["city"], one["city_name"]) == ("371721", "曹县", "371700", "菏泽市")
    assert (one["status"], one["status_name"], one["field"]) == ("in_progress", "实施中", "产业发展")
    assert one["published"] == "2025-02-15" and one["budget"] == 80000
    assert one["matched_orgs_name"] == [site.organizations[one["matched_orgs"][0]].name]
    partner = next(d for d in json.loads(files["data/demands.json"]) if d["county"] == "500243")
    assert partner["city"] is None and partner["county_name"] == "彭水苗族土家族自治县"


def test_csv_opens_in_excel_and_csv_module(sample):
    _site, files = sample
    for name in DATASETS:
        data = files[f"data/{name}.csv"]
        text = data.decode("utf-8")
        assert text.startswith("\ufeff") and text.endswith("\r\n")
        table = rows(data)
        assert table[0] == [f"{label}({key})" for key, label, _s in COLUMNS[name]]
        assert len(table) - 1 == len(json.loads(files[f"data/{name}.json"]))
    header = rows(files["data/demands.csv"])[0]
    assert "标题(title)" in header and "所在县区代码(county)" in header
    demands = [dict(zip(header, row)) for row in rows(files["data/demands.csv"])[1:]]
    first = demands[0]
    assert first["需要的帮扶方式(forms)"] == "技术服务；结对共建"
    assert "\n" in next(d for d in demands if "\n" in d["详细说明（Markdown）(description)"])[
        "详细说明（Markdown）(description)"]


def test_caoxian_download_matches_the_json(sample):
    site, files = sample
    all_demands = json.loads(files["data/demands.json"])
    open_cao = [d for d in all_demands if d["county"] == "371721" and d["status"] == "open"]
    county = json.loads(files[urls.download("regions", "json", "371721")])
    assert county == open_cao and len(county) == 3
    assert len(rows(files[urls.download("regions", "csv", "371721")])) - 1 == len(county)
    heze = json.loads(files[urls.download("regions", "json", "371700")])
    assert {d["id"] for d in county} <= {d["id"] for d in heze}
    assert {d["id"] for d in heze} == {d["id"] for d in all_demands if d["city"] == "371700" and d["status"] == "open"}
    province = json.loads(files[urls.download("regions", "json", "370000")])
    # the province's download holds the demands located in the province (as its page does);
    # a partner region outside it has its own
    assert province == [d for d in all_demands if d["status"] == "open" and d["county"] != "500243"]
    assert any(d["county"] == "500243" for d in json.loads(files[urls.download("regions", "json", "500243")]))


def test_every_region_has_a_download(sample):
    site, files = sample
    for code in site.regions.by_code:
        for fmt in ("json", "csv", "xlsx"):
            assert urls.download("regions", fmt, code) in files
    empty = files[urls.download("regions", "json", "370102")]
    assert json.loads(empty) == [] and len(rows(files[urls.download("regions", "csv", "370102")])) == 1


def sheet_rows(data: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return [["" if v is None else v for v in row] for row in book.active.iter_rows(values_only=True)]


def test_each_regions_excel_file_holds_the_same_rows_as_its_csv(sample):
    site, files = sample
    for code in ("370000", "371700", "371721", "370102"):
        table = rows(files[urls.download("regions", "csv", code)])
        sheet = sheet_rows(files[urls.download("regions", "xlsx", code)])
        assert sheet[0] == [label for _key, label, _s in COLUMNS["demands"]]
        assert len(sheet) == len(table)
        as_text = [[str(value) for value in row] + [""] * (len(sheet[0]) - len(row)) for row in sheet[1:]]
        assert as_text == [[cell.removeprefix("'") for cell in row] for row in table[1:]]
    assert len(sheet_rows(files[urls.download("regions", "xlsx", "371721")])) == 4  # the header and 曹县’s three open demands
    assert load_workbook(io.BytesIO(files[urls.download("regions", "xlsx", "371721")])).sheetnames == ["征集中的需求"]


def test_excel_cells_are_text_never_formulas():
    data = xlsx_export.workbook("表", "标题", ["名称", "金额"], [xlsx_export.cells(["=HYPERLINK(\"x\")", 150000]),
                                                                xlsx_export.cells([" <b>&</b> ", None])], "2025-01-02")
    assert sheet_rows(data)[1:] == [["=HYPERLINK(\"x\")", 150000], [" <b>&</b> "]]
    assert xlsx_export.workbook("表", "标题", ["名称"], [], "2025-01-02") == xlsx_export.workbook("表", "标题", ["名称"], [], "2025-01-02")


def test_csv_cells():
    items = [{key: None for key, _l, _s in COLUMNS["regions"]}]
    items[0].update(code="370000", name="=HYPERLINK(\"x\")", key=True, relation="-1+1")
    table = rows(to_csv("regions", items))
    record = dict(zip([key for key, _l, _s in COLUMNS["regions"]], table[1]))
    assert record["name"].startswith("'=") and record["relation"] == "'-1+1"
    assert record["key"] == "是" and record["parent"] == ""


def test_no_private_or_unknown_fields(sample):
    _site, files = sample
    orgs = json.loads(files["data/organizations.json"])
    assert "office_line" not in orgs[0]
    demand = json.loads(files["data/demands.json"])[0]
    assert [key for key in demand if "contact" in key] == ["contact_unit", "contact_phone"]


def test_deterministic(sample):
    site, files = sample
    assert open_data(site) == files
    assert list(open_data(site)) == sorted(files)


def _kept(cache) -> int:
    """How many rows a RowCache read from its file."""
    return sum(map(len, cache.kept.values()))


def test_rows_kept_between_builds_give_the_same_files(tmp_path):
    from generator.fingerprint import global_digest
    from generator.rowcache import RowCache
    site, _problems = load_site(REPO, use_cache=False)
    files = open_data(site)
    path = tmp_path / "rows.cache"
    first = RowCache(path, global_digest(site))
    assert open_data(site, first) == files and first.added > 0
    first.save()
    again = RowCache(path, global_digest(site))
    assert open_data(site, again) == files and again.added == 0 and _kept(again) == first.added
    path.write_bytes(path.read_bytes()[:-5])  # a damaged file only costs time
    assert open_data(site, RowCache(path, global_digest(site))) == files
    first.save()
    demand = site.demands[0]  # a changed record (a new one, as loading an edited file makes) is serialized again
    site.projects[demand.id] = dataclasses.replace(demand, title=demand.title + "（第二期）")
    again = RowCache(path, global_digest(site))
    changed = open_data(site, again)
    assert again.added == 1 and changed != files and changed == open_data(site)
    assert "（第二期）" in changed["data/demands.json"].decode("utf-8")
    other = RowCache(path, b"another global digest")  # other code, settings or regions: nothing reused
    assert open_data(site, other) == changed and _kept(other) == 0 and other.added == first.added


def test_a_damaged_row_file_is_written_anew(tmp_path):
    from generator.fingerprint import global_digest
    from generator.rowcache import RowCache
    site, _problems = load_site(REPO, use_cache=False)
    path, base = tmp_path / "rows.cache", global_digest(site)
    first = RowCache(path, base)
    files = open_data(site, first)
    first.save()
    data = bytearray(path.read_bytes())
    data[-1] ^= 1  # a row's last byte: the file's structure holds
    data[len(data) // 2] ^= 0xff  # somewhere in the middle: a length, a key or a row
    path.write_bytes(bytes(data))
    damaged = RowCache(path, base)
    assert open_data(site, damaged) == files or damaged.added
    damaged.save()
    again = RowCache(path, base)
    assert open_data(site, again) == files


def test_spreadsheet_columns_are_lettered_as_excel_does():
    from generator.xlsx_export import column_letter
    assert [column_letter(n) for n in (1, 2, 26, 27, 52, 53, 702, 703, 16384)] == [
        "A", "B", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"]


def test_rows_of_an_edit_are_appended_and_the_file_is_written_anew_once_mostly_unused(tmp_path):
    from generator.fingerprint import global_digest
    from generator.rowcache import RowCache
    site, _problems = load_site(REPO, use_cache=False)
    path, base = tmp_path / "rows.cache", global_digest(site)
    first = RowCache(path, base)
    open_data(site, first)
    first.save()
    written = path.read_bytes()
    demand = site.demands[0]
    site.projects[demand.id] = dataclasses.replace(demand, title=demand.title + "（第二期）")
    edited = RowCache(path, base)
    files = open_data(site, edited)
    edited.save()
    assert edited.added == 1 and path.read_bytes().startswith(written)  # appended, not written anew
    again = RowCache(path, base)
    assert open_data(site, again) == files and again.added == 0 and _kept(again) == first.added + 1
    other = RowCache(path, b"another global digest")  # nothing of the file used: written anew
    open_data(site, other)
    other.save()
    assert _kept_after(path, b"another global digest", site) == other.added
    size = path.stat().st_size
    again = RowCache(path, b"another global digest")
    open_data(site, again)
    again.save()  # nothing added, nothing unused: the file stays as it is
    assert path.stat().st_size == size


def _kept_after(path, base, site) -> int:
    from generator.rowcache import RowCache
    cache = RowCache(path, base)
    open_data(site, cache)
    return _kept(cache)
