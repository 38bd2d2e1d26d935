"""Loading rules an editor notices: sizes, encodings, YAML 1.1 surprises,
alias bombs, NFC text, and the parse cache."""
from __future__ import annotations

import datetime as dt
import hashlib
import pickle
import re

import pytest

import generator.site
from generator import cachefile
from generator.fingerprint import DIGEST, record_text
from generator.problems import Problems
from generator.site import load_site
from generator.yamlread import parse

from support import CORPUS, copy_sample_site, make_variant, run_cli


def check_lines(site) -> tuple[int, list[str]]:
    code, out, _ = run_cli("check", "--site", str(site), "--no-cache")
    return code, [re.sub(r" 改法：.*(?= \[[EW]\d+\]$)", "", line) for line in out.splitlines()]


def test_file_over_two_mib_is_refused_before_parsing(tmp_path):
    site = make_variant("bom-accepted", tmp_path / "s")
    big = site / "data/projects/371722.yaml"
    big.write_text("# " + "很" * (1024 * 1024) + "\n", encoding="utf-8")  # 3 MiB of UTF-8
    code, lines = check_lines(site)
    assert code == 1
    assert lines[0] == "data/projects/371722.yaml:1:1: 错误: 文件太大（3.0 MiB），单个文件不能超过 2 MiB。 [E101]"


def test_alias_bomb_is_refused_at_its_first_anchor_without_expanding():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8))
    assert len(bomb.encode()) < 400
    problems = Problems()
    assert parse(bomb, "bomb.yaml", problems) is None
    [problem] = list(problems)
    assert (problem.line, problem.col, problem.code) == (1, 4, "E106")
    assert problem.message == "不支持 YAML 锚点和别名（锚点 &a）。"


def test_yaml_11_surprises_keep_the_text_as_written(tmp_path):
    site = make_variant("bom-accepted", tmp_path / "s")
    path = site / "data/projects/371722.yaml"
    text = path.read_text(encoding="utf-8-sig")
    text = text.replace("  status: open\n", "  status: open\n  beneficiaries: no\n  period: 12:30\n")
    text = text.replace("title: 互助养老服务站运营支持", "title: 0755")
    path.write_text(text, encoding="utf-8")
    site_obj, problems = load_site(site, use_cache=False)
    assert not problems.errors
    demand = site_obj.projects["d-371722-2025-001"]
    assert (demand.title, demand.beneficiaries, demand.period) == ("0755", "no", "12:30")
    assert demand.published == dt.date(2025, 3, 1)


def test_an_octal_looking_budget_is_an_error_not_493(tmp_path):
    site = make_variant("bom-accepted", tmp_path / "s")
    path = site / "data/projects/371722.yaml"
    path.write_text(path.read_text(encoding="utf-8-sig").replace("  status: open\n", "  status: open\n  budget: 0755\n"),
                    encoding="utf-8")
    code, lines = check_lines(site)
    assert lines[0] == "data/projects/371722.yaml:13:11: 错误: 「budget」应为金额数字（单位：元），这里是「0755」。 [E214]"


def test_text_is_normalised_to_nfc(tmp_path):
    site = make_variant("bom-accepted", tmp_path / "s")
    path = site / "data/projects/371722.yaml"
    decomposed = "Cafe\u0301 互助"
    path.write_text(path.read_text(encoding="utf-8-sig").replace("互助养老服务站运营支持", decomposed), encoding="utf-8")
    site_obj, problems = load_site(site, use_cache=False)
    assert site_obj.projects["d-371722-2025-001"].title == "Caf\u00e9 互助"
    assert not problems.errors


def test_an_edit_is_seen_through_the_cache_and_the_cache_survives_damage(tmp_path):
    site = make_variant("bom-accepted", tmp_path / "s")
    first = run_cli("check", "--site", str(site))
    assert first[0] == 0 and (site / ".zhuanlan-cache").is_dir()
    assert run_cli("check", "--site", str(site)) == first
    path = site / "data/projects/371722.yaml"
    path.write_text(path.read_text(encoding="utf-8-sig").replace("2025-06-30", "2025-06-31"), encoding="utf-8")
    code, out, _ = run_cli("check", "--site", str(site))
    assert code == 1 and "「deadline」的值「2025-06-31」不是有效的日期" in out
    for cached in (p for p in (site / ".zhuanlan-cache").rglob("*") if p.is_file()):
        cached.write_bytes(b"not a pickle")
    assert run_cli("check", "--site", str(site)) == (code, out, "")


def test_record_digests_kept_with_the_cache_are_those_of_the_records_as_loaded(tmp_path):
    """Page fingerprints and the match cache key read each record's digest, which loading
    keeps with the file's parse: a digest taken before every field was set, or kept for a
    file that changed since, would leave pages stale after an edit."""
    site_dir = make_variant("bom-accepted", tmp_path / "s")
    load_site(site_dir)
    path = site_dir / "data/projects/371722.yaml"
    path.write_text(path.read_text(encoding="utf-8-sig").replace("2025-06-30", "2025-06-29"), encoding="utf-8")
    site, _problems = load_site(site_dir)  # the edited file parsed again, every other file from the cache
    records = list(site.projects.values()) + list(site.organizations.values())
    assert records and all(record.__dict__[DIGEST] == hashlib.sha256(record_text(record).encode()).hexdigest()
                           for record in records)
    assert any(record.deadline == dt.date(2025, 6, 29) for record in site.projects.values())


class _Planted:
    """Unpickling this runs code: it creates the file named in it."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_cache_entry_planted_in_the_repository_is_never_unpickled(tmp_path):
    # a pull request can commit files under .zhuanlan-cache/ with the names our entries
    # have; only entries signed with the key outside the repository are loaded
    site = make_variant("bom-accepted", tmp_path / "s")
    first = run_cli("check", "--site", str(site))
    entries = [p for p in (site / ".zhuanlan-cache").rglob("*") if p.is_file()]
    assert first[0] == 0 and entries
    marker = tmp_path / "ran"
    for entry in entries:
        entry.write_bytes(pickle.dumps(_Planted(marker)))
        assert not cachefile.load(entry)
    assert run_cli("check", "--site", str(site)) == first
    assert not marker.exists()
    cachefile.dump(entries[0], {"signed": True})
    assert cachefile.load(entries[0]) == {"signed": True}
    key = cachefile.key_path()
    assert key.stat().st_mode & 0o077 == 0  # readable by its owner only


def test_a_symlinked_file_is_not_followed(tmp_path):
    site = make_variant("bom-accepted", tmp_path / "s")
    secret = tmp_path / "secret.yaml"
    secret.write_text("- id: x\n", encoding="utf-8")
    (site / "data/projects/zz.yaml").symlink_to(secret)
    code, lines = check_lines(site)
    assert lines[0] == "data/projects/zz.yaml:1:1: 错误: 无法读取这个文件：它是一个符号链接（出于安全原因不跟随链接）。 [E112]"


def test_near_duplicates_are_found_again_through_the_cache_after_edits(tmp_path, monkeypatch):
    """Each county's near-duplicate pairs are cached with the parses (duplicates.py): a check
    on unchanged demands measures nothing, and an edit is seen at once, positions included."""
    from generator import duplicates
    site = make_variant("near-duplicate", tmp_path / "s")
    first = run_cli("check", "--site", str(site))
    assert "[W223]" in first[1] and "data/projects/371721.yaml:16:7" in first[1]
    measured = []
    real = duplicates._pairs
    monkeypatch.setattr(duplicates, "_pairs", lambda group: measured.append(len(group)) or real(group))
    assert run_cli("check", "--site", str(site)) == first and measured == []
    path = site / "data/projects/371721.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text("# 新增一行注释，警告的行号随之后移\n" + text, encoding="utf-8")  # same demands, lines moved
    assert run_cli("check", "--site", str(site))[1] == first[1].replace(":16:7", ":17:7").replace(":1:7", ":2:7")
    assert measured == []
    path.write_text(text.replace("互助养老服务站的运营支持", "村级养老服务站护理员招募与表彰"), encoding="utf-8")
    code, out, _ = run_cli("check", "--site", str(site))
    assert code == 0 and "[W223]" not in out and measured


def test_a_reference_error_points_at_the_same_place_from_the_cache(tmp_path):
    """Cross-file checks read the positions kept with each record's parse: from the cache
    (the file unchanged, another one edited) they must name the same line and column."""
    site = make_variant("bom-accepted", tmp_path / "s")
    path = site / "data/projects/offers.yaml"
    text = path.read_text(encoding="utf-8-sig")
    org = re.search(r"\n  org: (\S+)", text).group(1)
    path.write_text(text.replace(f"\n  org: {org}", "\n  org: ORG-NOT-THERE", 1), encoding="utf-8")
    fresh = run_cli("check", "--site", str(site))
    assert fresh[0] == 1 and re.search(r"data/projects/offers\.yaml:\d+:8: .*ORG-NOT-THERE", fresh[1])
    other = next(p for p in sorted((site / "data/projects").glob("*.yaml")) if p != path)
    other.write_text(other.read_text(encoding="utf-8-sig") + "\n", encoding="utf-8")
    assert run_cli("check", "--site", str(site)) == fresh


def test_cross_file_problems_read_from_the_cache_name_the_same_places(tmp_path, monkeypatch):
    """A cached record makes its nodes only when a cross-file check fails: read back from
    the cache, the reference and duplicate-id problems are the ones a fresh check reports,
    word for word with file, line and column, and a list's resolving items are not named."""
    for name in ("references", "duplicate-ids"):
        site = make_variant(name, tmp_path / name)
        if name == "references":  # a known organization before the unknown one in the list
            path = site / "data/projects/371722.yaml"
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("matched_orgs: [52371700MJD000002B]",
                                         "matched_orgs: [52371700MJD000001D, 52371700MJD000002B]"), encoding="utf-8")
        fresh = run_cli("check", "--site", str(site), "--no-cache")
        assert fresh[0] == 1 and fresh[1] == run_cli("check", "--site", str(site))[1]  # the second fills the cache
        with monkeypatch.context() as patched:  # every file from the cache: parsing is refused
            patched.setattr("generator.site.parse_bytes", lambda *args: pytest.fail("parsed again"))
            assert run_cli("check", "--site", str(site)) == fresh
        expected = (CORPUS / name / "expected.txt").read_text(encoding="utf-8")
        if name == "references":
            expected = expected.replace("371722.yaml:11:18:", "371722.yaml:11:38:")
        assert f"exit {fresh[0]}\n{fresh[1]}" == expected


def test_files_read_by_the_workers_are_read_from_the_cache_next_time(tmp_path, monkeypatch):
    """With many files (the sample's project and organization files), forked workers parse
    them and store their cache entries; the next load parses none of them again, and gets
    the same records."""
    site_dir = copy_sample_site(tmp_path / "s")
    assert len(list((site_dir / "data/projects").glob("*.yaml"))) >= 8  # shared among workers
    first, _problems = load_site(site_dir)

    def parse_again(*_args, **_kwargs):
        raise AssertionError("a file parsed again")

    monkeypatch.setattr(generator.site, "parse_bytes", parse_again)
    again, problems = load_site(site_dir)
    assert not problems.errors
    def texts(site):
        return {ident: record_text(record) for ident, record in [*site.projects.items(), *site.organizations.items()]}

    assert texts(again) == texts(first) and len(texts(first)) > 20
