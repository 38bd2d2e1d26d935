"""`zhuanlan build`: checks first, writes whole or nothing, never outside its folder."""
from __future__ import annotations

import pytest

from generator import build
from support import copy_sample_site, make_variant, run_cli


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_writes_the_front_page_of_the_sample_site(tmp_path):
    site = copy_sample_site(tmp_path / "site")
    code, out, err = run_cli("build", "--site", str(site), "--output", str(tmp_path / "out"))
    assert (code, err) == (0, "")
    page = (tmp_path / "out/index.html").read_text(encoding="utf-8")
    assert "<title>社会组织参与乡村振兴</title>" in page
    assert "本站为示例站点" in page
    assert "<li>菏泽市：" in page


def test_a_failed_build_leaves_the_previous_output_untouched(tmp_path):
    site = copy_sample_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    before = tree(out)
    projects = site / "data/projects/offers.yaml"
    projects.write_text(projects.read_text(encoding="utf-8") + "- id: BAD\n", encoding="utf-8")
    code, _out, err = run_cli("build", "--site", str(site), "--output", str(out))
    assert code == 1
    assert "网站没有生成，原有输出保持不变。" in err
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]  # no staging folder left


def test_a_crash_while_writing_leaves_the_previous_output_untouched(tmp_path, monkeypatch):
    site = copy_sample_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    before = tree(out)

    def broken(files, target):
        (target / "half.html").write_text("half", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(build, "write_tree", broken)
    code, _out, err = run_cli("build", "--site", str(site), "--output", str(out))
    assert code == 3 and "[E901]" in err and "Traceback" not in err
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


@pytest.mark.parametrize("where", [".", ".."])
def test_build_refuses_an_output_folder_that_holds_the_content(tmp_path, where):
    site = make_variant("bom-accepted", tmp_path / "site")
    code, _out, err = run_cli("build", "--site", str(site), "--output", str(site / where))
    assert code == 2 and "不能用作输出目录" in err


def test_build_refuses_to_replace_a_folder_it_did_not_write(tmp_path):
    site = make_variant("bom-accepted", tmp_path / "site")
    other = tmp_path / "documents"
    other.mkdir()
    (other / "report.docx").write_bytes(b"keep me")
    code, _out, err = run_cli("build", "--site", str(site), "--output", str(other))
    assert code == 2 and "为免误删" in err
    assert (other / "report.docx").read_bytes() == b"keep me"


def test_safe_join_refuses_paths_outside_the_output(tmp_path):
    assert build.safe_join(tmp_path, "a/b.html") == (tmp_path / "a/b.html").resolve()
    for bad in ("../x.html", "/etc/passwd", "a/../../x"):
        with pytest.raises(ValueError):
            build.safe_join(tmp_path, bad)
    sibling = tmp_path.parent / (tmp_path.name + "-evil")
    with pytest.raises(ValueError):  # a prefix check would accept this one
        build.safe_join(tmp_path, f"../{sibling.name}/x.html")
