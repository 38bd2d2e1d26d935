"""Pelican may log a problem and go on: any warning or error it logs fails our
build, and the previous output stays as it was."""
from __future__ import annotations

import logging
import os
import subprocess
import sys

import pelican
from support import copy_sample_site, run_cli


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_pelican_warning_fails_the_build_and_keeps_the_old_site(tmp_path, monkeypatch):
    site = copy_sample_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    before = tree(out)
    real = pelican.Pelican

    class Grumbling(real):
        def run(self):
            super().run()
            logging.getLogger("pelican.generators").warning("Skipping %s: could not find information", "x.md")

    monkeypatch.setattr(pelican, "Pelican", Grumbling)
    news = sorted((site / "content/news").glob("*.md"))[0]  # a content change: Pelican must run again
    news.write_text(news.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    code, _out, err = run_cli("build", "--site", str(site), "--output", str(out))
    assert code == 1
    assert "Pelican 生成内容页面时报告了问题" in err and "WARNING: Skipping x.md" in err
    assert tree(out) == before


def test_pelican_is_quiet_on_the_sample_site(tmp_path):
    site = copy_sample_site(tmp_path / "site")
    code, out, err = run_cli("build", "--site", str(site), "--output", str(tmp_path / "out"))
    assert code == 0 and err == ""
    assert out.startswith("网站已生成：")


def test_pelican_is_skipped_when_no_content_changed_and_rerun_when_it_did(tmp_path, monkeypatch):
    site = copy_sample_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    runs = []
    real = pelican.Pelican

    class Counting(real):
        def run(self):
            runs.append(1)
            super().run()

    monkeypatch.setattr(pelican, "Pelican", Counting)
    before = tree(out)
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    assert runs == [] and tree(out) == before
    page = site / "content/pages/about.md"
    page.write_text(page.read_text(encoding="utf-8").replace("关于", "关于本", 1), encoding="utf-8")
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    assert runs == [1] and "关于本" in (out / "pages/about/index.html").read_text(encoding="utf-8")


def test_a_build_that_keeps_the_markdown_sections_does_not_import_pelican(tmp_path):
    """Importing Pelican costs 0.2 s: an edit build whose content did not change keeps
    Pelican's pages and never imports it."""
    site = copy_sample_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    script = ("import sys; from generator.cli import main; code = main(sys.argv[1:]); "
              "print(code, 'pelican' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script, "build", "--site", str(site), "--output", str(out)],
                          capture_output=True, encoding="utf-8", check=True,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.stdout.splitlines()[-1] == "0 False"
