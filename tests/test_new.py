"""`zhuanlan new`: a valid skeleton in the right file, the next free id, today's date,
the file's comments kept; a record with a problem is not written."""
from __future__ import annotations

import datetime as dt

from generator.newrecord import new_record
from support import run_cli

DAY = dt.date(2026, 11, 29)


def repo(tmp_path):
    assert run_cli("init", str(tmp_path / "r"))[0] == 0
    return tmp_path / "r"


def test_a_new_demand_goes_into_its_countys_file_with_the_next_id(tmp_path):
    site = repo(tmp_path)
    before = (site / "data/projects/371721.yaml").read_text(encoding="utf-8")
    code, message = new_record(site, "demand", {"county": "371721", "title": "村级电商服务点建设", "field": "产业发展"}, DAY)
    assert code == 0 and message.startswith("已写入 data/projects/371721.yaml")
    after = (site / "data/projects/371721.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)  # comments and records already there are kept as they were
    assert "- id: d-371721-2026-001" in after and "published: 2026-11-29" in after
    code, _ = new_record(site, "demand", {"county": "371721", "title": "第二个", "field": "care"}, DAY)
    assert code == 0 and "- id: d-371721-2026-002" in (site / "data/projects/371721.yaml").read_text(encoding="utf-8")
    assert run_cli("check", "--site", str(site), "--no-cache")[0] == 0


def test_a_demand_in_a_county_without_a_file_gets_a_new_file(tmp_path):
    site = repo(tmp_path)
    code, _ = new_record(site, "demand", {"county": "371722", "title": "单县需求", "field": "文化建设"}, DAY)
    assert code == 0 and (site / "data/projects/371722.yaml").read_text(encoding="utf-8").startswith("# 371722 的需求")


def test_supply_org_and_policy_skeletons_are_valid(tmp_path):
    site = repo(tmp_path)
    assert new_record(site, "supply", {"org": "52370000MJD000001W", "title": "电商培训", "field": "产业发展"}, DAY)[0] == 0
    assert new_record(site, "org", {"id": "52371700MJD000001D", "name": "示例县级社工站", "county": "371721"}, DAY)[0] == 0
    assert new_record(site, "policy", {"slug": "new-plan", "title": "新的示例政策"}, DAY)[0] == 0
    assert run_cli("check", "--site", str(site), "--no-cache")[1] == "检查通过：没有发现问题。\n"


def test_a_record_with_a_problem_is_not_written(tmp_path):
    site = repo(tmp_path)
    before = (site / "data/projects/371721.yaml").read_text(encoding="utf-8")
    code, message = new_record(site, "demand", {"county": "371721", "title": "标题", "field": "农业"}, DAY)
    assert code == 1
    assert "「field」的值「农业」不在词表的领域（fields）中" in message and "没有写入" in message
    assert (site / "data/projects/371721.yaml").read_text(encoding="utf-8") == before
    code, _ = new_record(site, "demand", {"county": "379999", "title": "标题", "field": "产业发展"}, DAY)
    assert code == 1 and not (site / "data/projects/379999.yaml").exists()


def test_text_typed_by_an_editor_cannot_change_the_files_structure(tmp_path):
    site = repo(tmp_path)
    title = '电商: 培训 "第一期"\n- id: injected'
    assert new_record(site, "demand", {"county": "371721", "title": title, "field": "产业发展"}, DAY)[0] == 0
    from generator.site import load_site
    loaded, problems = load_site(site, use_cache=False)
    assert not problems.errors
    assert loaded.projects["d-371721-2026-001"].title == '电商: 培训 "第一期" - id: injected'


def test_without_a_terminal_missing_essentials_are_a_usage_error(tmp_path):
    site = repo(tmp_path)
    code, _out, err = run_cli("new", "demand", "--site", str(site), "--county", "371721")
    assert code == 2 and "缺少标题、领域" in err


def test_in_a_terminal_missing_essentials_are_asked_for(monkeypatch):
    from generator import newrecord
    monkeypatch.setattr(newrecord.sys.stdin, "isatty", lambda: True, raising=False)
    answers = iter(["村级电商服务点", "产业发展"])
    values = {"county": "371721", "title": None, "field": None}
    assert newrecord.ask_missing("demand", values, ask=lambda prompt: next(answers)) == []
    assert values == {"county": "371721", "title": "村级电商服务点", "field": "产业发展"}
