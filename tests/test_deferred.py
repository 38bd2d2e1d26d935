"""Deferred files (deferred.py): open data (a dataset's or a region's JSON, CSV and
workbook) and each Atom feed are taken over from the output while their key's fingerprint
is the one recorded, so the key must change whenever the file's bytes would (it may
change when they do not: a feed does not show a demand's status, but its key holds the
demand's digest)."""
from __future__ import annotations

import hashlib

from generator.deferred import Deferred, write_deferred
from generator.feeds import feed_files
from generator.fingerprint import global_digest, key_fingerprint
from generator.opendata import open_data_files
from generator.site import load_site
from generator.writer import TreeWriter
from support import copy_sample_site

SITEURL = "https://www.example.gov.cn/col/xczx"
EDITS = [  # (file, text, replacement)
    ("data/projects/371323.yaml", "沂水县山区果品电商销售与消费帮扶", "沂水县山区果品电商销售"),
    ("data/projects/371721.yaml", "status: open", "status: closed"),
    ("data/projects/371323.yaml", "published: 2025-", "published: 2024-"),
    ("data/projects/371525.yaml", "published: 2025-09-15", "published: 2025-09-20"),  # the newest date: every workbook
    ("data/organizations.yaml", "0531-00000000", "0531-00000001"),
    ("site.yaml", "title: ", "title: 新"),
]


def prints(site_dir) -> dict[str, tuple[str, str]]:
    """Each deferred file's (fingerprint by key, digest of its bytes)."""
    site, problems = load_site(site_dir, use_cache=False)
    assert not problems.errors
    base = global_digest(site)
    files = {**open_data_files(site), **feed_files(site, SITEURL)}
    deferred = {name: value for name, value in files.items() if type(value) is Deferred}
    assert any(name.endswith(".xlsx") for name in deferred) and any(name.endswith(".xml") for name in deferred)
    return {name: (key_fingerprint(base, "", name, value.key), hashlib.sha256(value.make()).hexdigest())
            for name, value in deferred.items()}


def test_a_deferred_files_key_changes_whenever_its_bytes_do(tmp_path):
    site = copy_sample_site(tmp_path / "site")
    before, changed = prints(site), set()
    for relative, text, replacement in EDITS:
        path = site / relative
        source = path.read_text(encoding="utf-8-sig")
        assert text in source, (relative, text)
        path.write_text(source.replace(text, replacement, 1), encoding="utf-8")
        after = prints(site)
        assert after.keys() == before.keys()
        by_key = {name for name in after if after[name][0] != before[name][0]}
        by_bytes = {name for name in after if after[name][1] != before[name][1]}
        assert by_bytes <= by_key, (relative, sorted(by_bytes - by_key))
        if "projects" in relative:  # (a setting is read by every file: all keys change)
            assert by_bytes and len(by_key - by_bytes) <= 4, (relative, sorted(by_key - by_bytes))
        changed |= by_bytes
        before = after
    assert {name.rsplit(".", 1)[1] for name in changed} == {"json", "csv", "xlsx", "xml"}


class _Writer(TreeWriter):
    """A TreeWriter that records what it is asked to do instead of touching a tree."""

    def __init__(self, kept: set[str]) -> None:  # no tree, so TreeWriter.__init__ is not called
        self.kept, self.written = kept, {}

    def keep(self, name: str) -> bool:
        return name in self.kept

    def take_over(self, name: str) -> bool:
        return False

    def write(self, name: str, data: bytes) -> None:
        self.written[name] = data


def test_a_deferred_file_with_its_recorded_fingerprint_is_kept_unmade():
    def never() -> bytes:
        raise AssertionError("made although its fingerprint was recorded")

    files = {"a.xml": Deferred(["a"], never), "b.xml": Deferred(["b"], lambda: b"<b/>"), "c.json": b"[]"}
    recorded = {"a.xml": key_fingerprint(b"base", "", "a.xml", ["a"]), "b.xml": "stale"}
    writer = _Writer(kept={"a.xml", "b.xml"})
    found = write_deferred(writer, files, b"base", recorded, {})
    assert writer.written == {"b.xml": b"<b/>", "c.json": b"[]"}
    assert found == {"a.xml": recorded["a.xml"], "b.xml": key_fingerprint(b"base", "", "b.xml", ["b"])}
