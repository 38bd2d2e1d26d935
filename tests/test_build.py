"""`zhuanlan build`: checks first, writes whole or nothing, never outside its folder."""
from __future__ import annotations

import fcntl
import re
import time

import jinja2

import pytest

from generator import build, build_stages, trees
from generator.writer import safe_join
from support import copy_sample_site, make_variant, run_cli


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def settled(out):
    """What the output's state folder holds once background deletions are done."""
    state = trees.state_folder(out)
    with open(state / "lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
    for _ in range(300):
        names = sorted(p.name for p in state.iterdir())
        if not any(name.startswith("old-") for name in names):
            return names
        time.sleep(0.1)
    return names


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("built")
    site = copy_sample_site(base / "site")
    code, out, err = run_cli("build", "--site", str(site), "--output", str(base / "out"),
                             "--siteurl", "https://www.example.gov.cn/col/xczx")
    assert (code, err) == (0, ""), err
    return base / "out"


def test_every_page_of_the_spec_is_built(built):
    expected = ["index.html", "404.html", "sitemap.xml", "theme/site.css",
                "policies/index.html", "policies/sample-provincial-plan/index.html",
                "news/index.html", "cases/index.html", "pages/about/index.html",
                "demands/index.html", "demands/d-371721-2025-001/index.html",
                "demands/by/city/371700/index.html", "demands/by/field/care/index.html",
                "offers/index.html", "orgs/index.html", "orgs/52370000MJD000001W/index.html",
                "regions/index.html", "regions/370000/index.html", "regions/371700/index.html",
                "regions/371721/index.html", "regions/500243/index.html", "fields/care/index.html",
                "stats/index.html", "data/index.html", "data/demands.json", "data/demands.csv",
                "data/schema/demands.schema.json", "data/regions/371721.csv",
                "feeds/demands.xml", "feeds/regions/371700.xml", "feeds/regions/371721.xml",
                "feeds/fields/care.xml", "feeds/policies.xml"]
    missing = [path for path in expected if not (built / path).is_file()]
    assert missing == []


def test_every_county_of_shandong_has_a_page(built):
    counties = [p.name for p in (built / "regions").iterdir() if p.is_dir() and not p.name.endswith("00")]
    assert len([c for c in counties if c.startswith("37")]) == 136


def test_key_counties_are_marked_and_listed_first(built):
    heze = (built / "regions/371700/index.html").read_text(encoding="utf-8")
    children = heze.split("所辖县区", 1)[1].split("</ul>", 1)[0]
    names = re.findall(r'">([^<]+)</a>', children)
    assert names[:2] == ["曹县", "鄄城县"]
    assert children.count("重点帮扶县") == 2


def test_policy_page_shows_the_disclosure_table(built):
    page = (built / "policies/sample-provincial-plan/index.html").read_text(encoding="utf-8")
    for label in ("索引号", "发文机关", "成文日期", "发布日期", "文号", "效力状态"):
        assert f'<th scope="row">{label}</th>' in page
    assert "查看原文" in page


def test_portal_footer_carries_the_filing_numbers(built):
    page = (built / "index.html").read_text(encoding="utf-8")
    for text in ("网站标识码：示例0000000000", "示例ICP备00000000号", "主办单位：示例主办单位", "找错 / 意见反馈"):
        assert text in page


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
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.zhuanlan", "out", "site"]
    assert settled(out) == ["lock", "output.seal", "rows.cache", "search.state", "spare", "spare.seal"]  # no staging folder left


def test_a_crash_while_writing_leaves_the_previous_output_untouched(tmp_path, monkeypatch):
    site = copy_sample_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    before = tree(out)

    def broken(writer, files):
        (writer.root / "half.html").write_text("half", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(build_stages, "write_files", broken)
    code, _out, err = run_cli("build", "--site", str(site), "--output", str(out))
    assert code == 3 and "[E901]" in err and "Traceback" not in err
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.zhuanlan", "out", "site"]
    assert settled(out) == ["lock", "output.seal", "rows.cache", "search.state", "spare", "spare.seal"]


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
    assert safe_join(tmp_path, "a/b.html") == str((tmp_path / "a/b.html").resolve())
    for bad in ("../x.html", "/etc/passwd", "a/../../x"):
        with pytest.raises(ValueError):
            safe_join(tmp_path, bad)
    sibling = tmp_path.parent / (tmp_path.name + "-evil")
    with pytest.raises(ValueError):  # a prefix check would accept this one
        safe_join(tmp_path, f"../{sibling.name}/x.html")


def test_a_symlink_in_the_built_tree_is_refused(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a/ok.html").write_text("x", encoding="utf-8")
    build_stages.verify_tree(tmp_path)
    (tmp_path / "a/evil").symlink_to("/etc")
    with pytest.raises(ValueError):
        build_stages.verify_tree(tmp_path)


def test_a_rebuild_rewrites_only_the_files_that_changed(tmp_path):
    site = copy_sample_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    inodes = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    offers = site / "data/projects/offers.yaml"
    offers.write_text(offers.read_text(encoding="utf-8").replace("乡村互助养老服务站护理员培训与运营督导", "乡村互助养老服务站护理员培训", 1),
                      encoding="utf-8")
    code, printed, _ = run_cli("build", "--site", str(site), "--output", str(out))
    assert code == 0
    now = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    rewritten = sorted(path for path in now if now[path] != inodes.get(path))
    assert "offers/s-care-elderly-2025/index.html" in rewritten and "data/offers.json" in rewritten
    assert "policies/sample-provincial-plan/index.html" not in rewritten
    assert "demands/d-371721-2025-001/index.html" not in rewritten
    assert 0 < len(rewritten) < len(now) / 4
    assert f"与上次相比有变化的文件 {len(rewritten)} 个" in printed


def test_the_portals_header_and_footer_fragments_frame_every_page(tmp_path):
    site = make_variant("bom-accepted", tmp_path / "site")
    (site / "portal").mkdir()
    (site / "portal/header.html").write_text('<div class="gov-header">山东省民政厅门户</div>', encoding="utf-8")
    (site / "portal/footer.html").write_text('<div class="gov-footer">版权所有</div>', encoding="utf-8")
    with open(site / "site.yaml", "a", encoding="utf-8") as handle:
        handle.write("portal_header: portal/header.html\nportal_footer: portal/footer.html\n")
    assert run_cli("build", "--site", str(site), "--output", str(tmp_path / "out"))[0] == 0
    for page in ("index.html", "demands/d-371722-2025-001/index.html", "policies/plan/index.html"):
        text = (tmp_path / "out" / page).read_text(encoding="utf-8")
        assert '<div class="portal-header"><div class="gov-header">山东省民政厅门户</div>' in text
        assert '<div class="gov-footer">版权所有</div>' in text


def test_pages_whose_inputs_did_not_change_are_not_rendered_again(tmp_path, monkeypatch):
    """Rendering is skipped by fingerprint; whatever a template reads must be part of it:
    a renamed organization must show on the offers' pages, a new portal header everywhere."""
    site = make_variant("bom-accepted", tmp_path / "site")
    out = tmp_path / "out"
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    rendered = []
    real = jinja2.Template.render

    def counting(self, *args, **kwargs):
        if "root" in kwargs:  # our record renderer (Pelican renders its own pages every time)
            rendered.append(kwargs["output_file"])
        return real(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", counting)
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    assert rendered == []  # nothing changed: every page taken over without rendering
    demands = site / "data/projects/371722.yaml"
    demands.write_text(demands.read_text(encoding="utf-8-sig").replace("为 12 个村", "为 15 个村"), encoding="utf-8")
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    assert "demands/d-371722-2025-001/index.html" in rendered
    # the organization's page recommends the edited demand, so it is rendered again; the other
    # county's demand does not show it
    assert "orgs/52371700MJD000001D/index.html" in rendered
    assert "demands/d-371721-2025-001/index.html" not in rendered and len(rendered) < 40
    orgs = site / "data/organizations.yaml"
    orgs.write_text(orgs.read_text(encoding="utf-8").replace("测试社会工作服务中心", "测试社工服务中心"), encoding="utf-8")
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    assert "测试社工服务中心" in (out / "offers/s-care-2025/index.html").read_text(encoding="utf-8")
    (site / "portal").mkdir()
    (site / "portal/header.html").write_text("<div>门户页头</div>", encoding="utf-8")
    with open(site / "site.yaml", "a", encoding="utf-8") as handle:
        handle.write("portal_header: portal/header.html\n")
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    (site / "portal/header.html").write_text("<div>新的门户页头</div>", encoding="utf-8")
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    assert "新的门户页头" in (out / "demands/d-371722-2025-001/index.html").read_text(encoding="utf-8")


def test_sitemap_lists_every_page_with_absolute_urls(built):
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    pages = sorted(p.relative_to(built).as_posix()[: -len("index.html")] for p in built.rglob("index.html"))
    assert locations == ["https://www.example.gov.cn/col/xczx/" + page for page in pages]
    assert "https://www.example.gov.cn/col/xczx/demands/d-371721-2025-001/" in locations


def test_long_listings_page_through_stable_urls(built):
    first = (built / "demands/index.html").read_text(encoding="utf-8")
    second = (built / "demands/page/2/index.html").read_text(encoding="utf-8")
    assert '<a href="page/2/" rel="next">下一页</a>' in first.replace("../demands/", "")
    assert 'rel="prev">上一页</a>' in second and "第 2 页，共 2 页（28 条）" in second
    assert first.count('class="item-title"') == 20 and second.count('class="item-title"') == 8
    # open demands of key assistance counties come first
    titles = re.findall(r'class="item-title"><a href="[^"]+">([^<]+)</a>', first)
    assert titles[0].startswith(("曹县", "鄄城", "沂水"))


def test_region_pages_count_as_the_statistics_do(built):
    from generator.site import load_site
    from generator.stats import region_figures
    from support import REPO
    site, _ = load_site(REPO, use_cache=False)
    for code in ("370000", "371700", "371721", "500243"):
        page = (built / f"regions/{code}/index.html").read_text(encoding="utf-8")
        shown = int(re.search(r"<strong>(\d+)</strong>需求项目", page).group(1))
        assert shown == region_figures(site, code)["demands"], code


def test_a_build_in_process_leaves_the_collector_as_it_found_it(tmp_path):
    """`zhuanlan serve` builds again after every edit in one process: what a build froze
    (its site and match index) must be collectable once the build is over."""
    import gc
    site = copy_sample_site(tmp_path / "site")
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert build.build_site(site, tmp_path / "out", None) == 0
    assert gc.isenabled() and gc.get_freeze_count() == 0
