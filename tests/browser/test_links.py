"""Every internal link and asset reference of the built pages resolves inside the output,
to an existing file (and an existing id for a #fragment), without leaving the sub-path."""
from __future__ import annotations

import shutil

import harness

SEEDED_LINKS = """
<p id="seeded-links">
<a href="no-such-page/">broken</a>
<a href="index.html#no-such-id">missing fragment</a>
<a href="../../../../etc/passwd">escape</a>
<a href="/elsewhere/page.html">outside the sub-path</a>
<img src="missing.png" alt="missing image">
</p>
"""


def test_internal_links_resolve(built_site):
    problems = harness.check_links(built_site.output, built_site.siteurl)
    pages = built_site.html_files()
    listing = "\n".join(map(str, problems[:200])) + (f"\n… {len(problems) - 200} more" if len(problems) > 200 else "")
    harness.expect_none(problems, f"{len(problems)} broken or escaping link(s) in {len(pages)} page(s):\n{listing}")


def test_every_page_names_its_template(built_site):
    missing = [p.relative_to(built_site.output).as_posix() for p in built_site.html_files()
               if not harness.scan_file(p).template]
    harness.expect_none(missing, "pages without <body data-template=\"NAME\">:\n" + "\n".join(missing))


def test_seeded_broken_links_are_reported(built_site, tmp_path):
    copy = tmp_path / "col" / "xczx"
    shutil.copytree(built_site.output, copy)
    index = copy / "index.html"
    text = index.read_text(encoding="utf-8")
    assert "</body>" in text, "the built index.html has no </body> to seed links before"
    index.write_text(text.replace("</body>", SEEDED_LINKS + "</body>", 1), encoding="utf-8")

    baseline = {str(p) for p in harness.check_links(built_site.output, built_site.siteurl)}
    problems = [p for p in harness.check_links(copy, built_site.siteurl) if str(p) not in baseline]
    by_url = {p.url: p.reason for p in problems}
    expected = {
        "no-such-page/": "does not exist",
        "index.html#no-such-id": "no element with id='no-such-id'",
        "../../../../etc/passwd": "outside the output root",
        "/elsewhere/page.html": "escapes the sub-path",
        "missing.png": "does not exist",
    }
    for url, reason in expected.items():
        assert url in by_url, f"seeded link {url!r} was not reported; reported: {problems}"
        assert reason in by_url[url], f"seeded link {url!r}: expected {reason!r}, got {by_url[url]!r}"
    assert len(problems) == len(expected), f"only the seeded links should be new: {problems}"
