"""The spare tree a build updates in place (generator/trees.py, seal.py): trusted only as sealed."""
from __future__ import annotations

import fcntl
import json
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator import build_stages, cachefile, matchindex, spare_links, trees
from generator.build import reference_date
from generator.pelican_content import PelicanFailed
from generator.seal import inspect, read_seal, write_seal
from generator.site import load_site
from generator.writer import TreeWriter
from support import REPO, copy_sample_site, run_cli


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def stamps(folder):
    return {p.relative_to(folder).as_posix(): (p.lstat().st_ino, p.lstat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))}


def links_in(folder):
    return [p for p in folder.rglob("*") if p.is_symlink()]


def edit_offer(site, new):
    offers = site / "data/projects/offers.yaml"
    text = offers.read_text(encoding="utf-8")
    old = "乡村互助养老服务站护理员培训与运营督导"
    offers.write_text(text.replace(old, new, 1) if old in text else text, encoding="utf-8")


@pytest.fixture
def sample(tmp_path):
    """A sample site built twice into out (so that its output and spare both exist), and a
    fresh build of the same content elsewhere to compare with."""
    site = copy_sample_site(tmp_path / "site")
    out = tmp_path / "out"
    for _ in range(2):
        assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    return site, out


def fresh(site, folder):
    assert run_cli("build", "--site", str(site), "--output", str(folder))[0] == 0
    return tree(folder)


def test_a_small_sites_first_build_links_no_spare_the_next_build_links_one_while_it_loads(tmp_path):
    """Below trees.LINK_LATER_FROM files, linking a spare takes a moment: the first build on
    an output leaves none behind; the next build links one from the output while it
    loads, and is as a fresh build."""
    site = copy_sample_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    state = trees.state_folder(out)
    assert not (state / "spare").exists() and not (state / "spare.seal").exists()
    edit_offer(site, "乡村互助养老服务站护理员培训")
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    assert tree(out) == fresh(site, tmp_path / "fresh")
    assert (state / "spare").is_dir() and (state / "spare.seal").is_file()  # the output it replaced


def test_a_large_outputs_spare_is_linked_after_the_build_by_a_process_that_holds_the_lock(tmp_path, monkeypatch):
    """After `zhuanlan build` leaves a large output without a spare (its first build), a
    detached process links one, holding the build's lock until it is done: a build (or
    anything that takes the lock) started meanwhile waits; the next build finds the spare
    ready, links nothing itself, keeps the unchanged pages' files, and is as a fresh build."""
    monkeypatch.setattr(trees, "LINK_LATER_FROM", 1)  # the sample site counts as large
    linked = trees.link_tree

    def slow_link(*args, **kwargs):
        time.sleep(1)  # were the lock let go, the check below would come first
        return linked(*args, **kwargs)

    monkeypatch.setattr(trees, "link_tree", slow_link)
    site = copy_sample_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    with trees.OutputState(out) as state:  # waits for the detached process
        assert state.has_sealed_spare()
    spare = state.folder / "spare"
    assert tree(spare) == tree(out)
    page = "policies/sample-provincial-plan/index.html"  # not one the offer's edit changes
    inode = (out / page).stat().st_ino
    assert (spare / page).stat().st_ino == inode  # linked, not copied
    monkeypatch.setattr(trees, "link_tree", None)  # the next build must not link one itself
    edit_offer(site, "乡村互助养老服务站护理员培训")
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    assert (out / page).stat().st_ino == inode
    assert tree(out) == fresh(site, tmp_path / "fresh")


def test_a_build_that_finds_the_output_busy_says_it_waits_then_builds(sample):
    """The lock is held by another build, or by the process linking a spare after one."""
    site, out = sample
    with trees.OutputState(out):
        build = subprocess.Popen([sys.executable, "-m", "generator", "build", "--site", str(site), "--output", str(out)],
                                 cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
        assert build.stderr.readline() == "同一输出目录正被另一次生成（或上次生成后在后台准备下次生成所需的文件）占用，等待其结束……\n"
    _out, _err = build.communicate(timeout=120)
    assert build.returncode == 0


def test_a_build_that_waits_a_moment_for_the_output_says_nothing_of_it(sample):
    """Background work after a build (storing the match index's cache) ends within a
    second or so: a build waits that long for the lock without a word."""
    site, out = sample
    held, release = threading.Event(), threading.Event()

    def hold():
        with trees.OutputState(out):
            held.set()
            release.wait(timeout=30)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(timeout=30)
    threading.Timer(0.5, release.set).start()
    code, _out, err = run_cli("build", "--site", str(site), "--output", str(out))
    holder.join()
    assert code == 0 and trees.WAITING not in err


@pytest.mark.parametrize("atomic", [True, False])
def test_after_a_build_that_changed_most_of_the_site_the_next_one_links_a_fresh_spare(sample, tmp_path, monkeypatch,
                                                                                       atomic):
    """The output a build retires is one build behind: after a new column title changed
    every page, keeping it would make the next build write every page again. It is not
    kept; the next build links a spare from the output, and comes out as a fresh build
    (where the trees swap in one exchange, and where by two renames)."""
    site, out = sample
    if not atomic:
        monkeypatch.setattr(trees, "exchange", lambda a, b: False)
    state = trees.state_folder(out)
    settings = site / "site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "title: 社会组织参与乡村振兴", "title: 社会组织助力乡村振兴", 1), encoding="utf-8")
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    assert not (state / "spare").exists() and not (state / "spare.seal").exists()
    page = "policies/sample-provincial-plan/index.html"  # not one the offer's edit changes
    before = (out / page).stat().st_ino
    edit_offer(site, "乡村互助养老服务站护理员培训")
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    assert (out / page).stat().st_ino == before  # linked from the output, not written again
    assert tree(out) == fresh(site, tmp_path / "fresh")
    assert (state / "spare").is_dir() and (state / "spare.seal").is_file()  # an edit's retired output is kept


def test_a_spare_the_preview_cannot_link_costs_the_next_build_time_not_the_preview(sample, tmp_path, monkeypatch):
    """`zhuanlan serve` links a missing spare while the editor reads; a disk that refuses
    (full, say) must not stop the preview, and the next build still comes out whole."""
    site, out = sample
    state = trees.state_folder(out)
    (state / "spare.seal").unlink()  # no sealed spare: the preview would link one

    def refuse(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(trees, "write_seal", refuse)
        assert trees.prepare_spare(out) is False
    edit_offer(site, "乡村互助养老服务站护理员培训")
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    assert tree(out) == fresh(site, tmp_path / "fresh")


def test_a_leftover_whose_background_deletion_ends_meanwhile_does_not_stop_the_next_build(sample, monkeypatch):
    """A build deletes the tree it retires in the background; the next build, sweeping the
    hidden folder, may list that folder just before its deletion ends. It is passed over."""
    _site, out = sample
    state = trees.state_folder(out)
    listed = trees.Path.iterdir
    monkeypatch.setattr(trees.Path, "iterdir",
                        lambda folder: [*listed(folder), folder / "old-gone"] if folder == state else listed(folder))
    with trees.OutputState(out):
        pass
    assert [name for name in os.listdir(state) if name.startswith("old-")] == []  # no empty folder left either


def test_a_retired_output_is_worth_keeping_as_a_spare_while_at_most_a_quarter_of_it_was_renewed():
    assert trees.worth_keeping(0, 100) and trees.worth_keeping(25, 100)
    assert not trees.worth_keeping(26, 100) and not trees.worth_keeping(100, 100)


def test_the_output_is_a_real_folder_and_the_spare_shares_its_unchanged_files(sample):
    site, out = sample
    spare = trees.state_folder(out) / "spare"
    assert out.is_dir() and not out.is_symlink() and links_in(out) == []
    assert tree(spare) == tree(out)
    page = "policies/sample-provincial-plan/index.html"
    assert (spare / page).stat().st_ino == (out / page).stat().st_ino  # linked, not copied


@pytest.mark.parametrize("mask", [0o022, 0o027])
def test_the_output_is_as_open_to_others_as_the_umask_makes_folders_so_a_web_server_can_read_it(tmp_path, mask):
    """Published with `rsync -a output/ …`, the output's own folder's mode is copied too: built
    by mkdtemp (its owner's only), the web server would be refused every page. Each tree that
    becomes the output (the first build's, then spares taken over as staging trees) is as a
    plain mkdir makes it, and so is everything in it, also where an earlier version left the
    output and its spare their owner's only."""
    site = copy_sample_site(tmp_path / "site")
    out = tmp_path / "out"
    old = os.umask(mask)
    try:
        for number in range(3):
            if number == 2:
                for root in (out, trees.state_folder(out) / "spare"):
                    os.chmod(root, 0o700)
            assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
            entries = [out, *out.rglob("*")]
            assert {stat.S_IMODE(p.lstat().st_mode) for p in entries if p.is_dir()} == {0o777 & ~mask}
            assert {stat.S_IMODE(p.lstat().st_mode) for p in entries if p.is_file()} == {0o666 & ~mask}
    finally:
        os.umask(old)


def test_a_file_edited_by_hand_in_the_output_is_not_trusted_and_is_rewritten(sample, tmp_path):
    site, out = sample
    page = out / "policies/sample-provincial-plan/index.html"
    spare_page = trees.state_folder(out) / "spare/policies/sample-provincial-plan/index.html"
    assert page.stat().st_ino == spare_page.stat().st_ino
    original = page.read_bytes()
    with open(page, "r+b") as handle:  # edited in place: the spare's link shows the edit too
        handle.write(b"<!-- hand -->")
    assert spare_page.read_bytes() != original
    added = out / "demands/by-hand.html"
    added.write_text("手工添加", encoding="utf-8")
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    assert page.read_bytes() == original
    assert not added.exists()
    assert tree(out) == fresh(site, tmp_path / "fresh")
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0  # and the spare as well
    assert tree(out) == tree(tmp_path / "fresh")


def test_a_file_edited_by_hand_in_the_spare_is_not_trusted(sample, tmp_path):
    site, out = sample
    spare = trees.state_folder(out) / "spare"
    page = spare / "regions/371721/index.html"
    status = page.stat()
    data = page.read_bytes()
    os.unlink(page)  # replaced by a file of the same size and times, but another inode
    page.write_bytes(data.replace(b"<", b"(", 1))
    os.utime(page, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    assert tree(out) == fresh(site, tmp_path / "fresh")


def test_an_interrupted_build_leaves_the_output_byte_identical_and_the_next_build_correct(sample, tmp_path,
                                                                                        monkeypatch):
    site, out = sample
    before, before_stamps = tree(out), stamps(out)
    edit_offer(site, "乡村互助养老服务站护理员培训")
    real_write, calls = TreeWriter.write, []

    def failing(self, relative, data):
        calls.append(relative)
        real_write(self, relative, data)
        if len(calls) == 3:  # some files written into the staging tree, then the disk fails
            raise OSError("disk full")

    monkeypatch.setattr(TreeWriter, "write", failing)
    code, _out, err = run_cli("build", "--site", str(site), "--output", str(out))
    assert code == 3 and "[E901]" in err
    assert len(calls) == 3
    assert tree(out) == before and stamps(out) == before_stamps
    monkeypatch.setattr(TreeWriter, "write", real_write)
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    assert "乡村互助养老服务站护理员培训</h1>" in (out / "offers/s-care-elderly-2025/index.html").read_text(
        encoding="utf-8")
    assert tree(out) == fresh(site, tmp_path / "fresh")
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0  # the spare it left as well
    assert tree(out) == tree(tmp_path / "fresh")


def test_a_build_that_fails_in_pelican_keeps_a_usable_spare(sample, tmp_path, monkeypatch):
    site, out = sample
    before = tree(out)
    edit_offer(site, "乡村互助养老服务站护理员培训")
    news = site / "content/news/sample-key-county-push.md"
    news.write_text(news.read_text(encoding="utf-8").replace("---\n\n", "---\n\n新增一段。\n\n", 1), encoding="utf-8")

    def failing(*args):
        raise PelicanFailed("模拟的失败")

    monkeypatch.setattr(build_stages, "render_content", failing)
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 1
    assert tree(out) == before
    state = trees.state_folder(out)
    assert sorted(p.name for p in state.iterdir()) == ["lock", "output.seal", "rows.cache", "search.state", "spare", "spare.seal"]
    monkeypatch.undo()
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    assert tree(out) == fresh(site, tmp_path / "fresh")


def test_links_planted_in_the_spare_are_removed_not_followed(sample, tmp_path):
    site, out = sample
    spare = trees.state_folder(out) / "spare"
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.html"
    secret.write_text("不可改动", encoding="utf-8")
    (spare / "evil").symlink_to(outside)  # a new entry at the root
    os.unlink(spare / "index.html")  # a page the build writes, now a link to a file outside
    (spare / "index.html").symlink_to(secret)
    os.unlink(spare / "404.html")  # a hard link to a file outside, in place of a page
    os.link(secret, spare / "404.html")
    offer = spare / "offers/s-care-elderly-2025"  # a folder the build writes into, now a link
    for child in offer.iterdir():
        child.unlink()
    offer.rmdir()
    offer.symlink_to(outside, target_is_directory=True)
    folder = spare / "demands"  # a link planted, and the folder's modification time set back
    status = folder.stat()
    (folder / "planted").symlink_to(outside, target_is_directory=True)
    os.utime(folder, ns=(status.st_atime_ns, status.st_mtime_ns))
    edit_offer(site, "乡村互助养老服务站护理员培训")
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    assert sorted(p.name for p in outside.iterdir()) == ["secret.html"]
    assert secret.read_text(encoding="utf-8") == "不可改动" and secret.stat().st_nlink == 1
    assert links_in(out) == [] and links_in(spare) == []
    assert build_stages.verify_tree(out)
    assert tree(out) == fresh(site, tmp_path / "fresh")


def test_the_seal_finds_what_changed_in_a_tree(tmp_path):
    root = tmp_path / "t"
    (root / "a/b").mkdir(parents=True)
    for name in ("x.html", "a/y.html", "a/b/z.html"):
        (root / name).write_text(name, encoding="utf-8")
    writer = TreeWriter(trees.Staging(root))
    for name in ("x.html", "a/y.html", "a/b/z.html"):
        writer.write(name, name.encode())  # files there but not trusted: written anew
    seal = writer.seal()
    assert sorted(seal.files) == ["a/b/z.html", "a/y.html", "x.html"] and "" in seal.folders
    assert inspect(root, seal).untrusted == []
    (root / "a/y.html").write_text("edited", encoding="utf-8")
    status = (root / "a/b").stat()
    (root / "a/b/new.html").write_text("new", encoding="utf-8")
    os.utime(root / "a/b", ns=(status.st_atime_ns, status.st_mtime_ns))
    found = inspect(root, seal)
    assert found.untrusted == ["a/b/new.html", "a/y.html"]
    assert sorted(found.seal.files) == ["a/b/z.html", "x.html"]
    os.rename(root, tmp_path / "moved")  # the root's own times change on a rename: still trusted
    (tmp_path / "moved").rename(root)
    assert inspect(root, seal).untrusted == ["a/b/new.html", "a/y.html"]
    (root / "a").rename(tmp_path / "a-elsewhere")
    (root / "a").mkdir()
    assert inspect(root, seal).untrusted == ["a"]


def test_the_swap_is_one_exchange_or_two_renames(sample, tmp_path, monkeypatch):
    site, out = sample
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "a").write_text("1", encoding="utf-8")
    if trees.exchange(first, second):  # Linux: both names swap in one step
        assert (second / "a").is_file() and not (first / "a").exists()
    edit_offer(site, "乡村互助养老服务站护理员培训")
    monkeypatch.setattr(trees, "exchange", lambda a, b: False)  # elsewhere: two renames
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    assert tree(out) == fresh(site, tmp_path / "fresh")
    assert tree(trees.state_folder(out) / "spare") != tree(out)  # the previous output, kept as the spare


def test_a_seal_reads_back_as_written_and_a_damaged_one_not_at_all(tmp_path):
    root = tmp_path / "t"
    (root / "a").mkdir(parents=True)
    writer = TreeWriter(trees.Staging(root))
    for name in ("x.html", "a/y.html"):
        writer.write(name, name.encode())
    seal = writer.seal()
    path = tmp_path / "t.seal"
    write_seal(path, seal)
    assert read_seal(path) == seal
    data = json.loads(path.read_text(encoding="utf-8"))
    for damaged in ({**data, "file_stamps": data["file_stamps"][:-1]},  # a stamp short
                    {"files": seal.files, "folders": seal.folders},  # the format before
                    {**data, "folders": {"": 1}}):
        path.write_text(json.dumps(damaged), encoding="utf-8")
        assert read_seal(path) is None
    path.write_bytes(b"\xff not json")
    assert read_seal(path) is None


def test_a_damaged_spare_seal_costs_time_not_correctness(sample, tmp_path):
    site, out = sample
    (out.parent / f".{out.name}.zhuanlan" / "spare.seal").write_text('{"files": [', encoding="utf-8")
    edit_offer(site, "乡村互助养老护理员培训")
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    assert tree(out) == fresh(site, tmp_path / "fresh")


@pytest.mark.parametrize("workers", [1, 2])
def test_the_spare_is_linked_from_the_output_by_one_or_two_processes_alike(tmp_path, monkeypatch, workers):
    monkeypatch.setattr(spare_links, "LINKS_PER_WORKER", 1)  # share even a few files among the workers
    source = tmp_path / "out"
    names = [f"{folder}/{page}/index.html" for folder in ("demands", "offers", "orgs") for page in "abcd"]
    writer = TreeWriter(trees.Staging(source))
    for name in names + ["index.html"]:
        writer.write(name, name.encode())
    seal = writer.seal()
    (source / "offers/b/index.html").write_text("edited by hand", encoding="utf-8")  # not as sealed: not linked
    made = spare_links.link_tree(source, seal, tmp_path / "spare", workers=workers)
    linked = sorted(set(seal.files) - {"offers/b/index.html"})
    assert sorted(made.files) == linked and made.files == {name: seal.files[name] for name in linked}
    assert all((tmp_path / "spare" / name).stat().st_ino == (source / name).stat().st_ino for name in linked)
    assert not (tmp_path / "spare/offers/b/index.html").exists()
    assert inspect(tmp_path / "spare", made).untrusted == []  # every folder stamped as made


def test_the_match_index_cache_is_stored_after_the_build_by_a_process_that_holds_the_lock(tmp_path, monkeypatch):
    """Storing the match index's cache (pickling its halves: 0.5-1.5 s at provincial scale)
    is not waited for: the process that wrote the index's files does it after handing its
    result over, holding the build's lock, so that a build started meanwhile waits for it,
    and then reads the whole index back from the cache."""
    dump = cachefile.dump

    def slow_dump(path, value):
        if Path(path).parent.name == matchindex.MATCH_CACHE:
            time.sleep(0.5)
        dump(path, value)

    monkeypatch.setattr(cachefile, "dump", slow_dump)
    site = copy_sample_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    with open(trees.state_folder(out) / "lock", "a+b") as lock, pytest.raises(BlockingIOError):
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # still held: the cache is being stored
    with trees.OutputState(out):  # waits until it is stored
        pass
    monkeypatch.setattr(cachefile, "dump", dump)
    loaded, _problems = load_site(site)
    assert matchindex.cached_matches(loaded, reference_date(loaded))[1] is None  # nothing left to store


def test_the_spare_is_checked_beside_the_imports_of_the_build_stages(tmp_path):
    """The forked process checking the spare starts before the stages' modules (numpy,
    Jinja2, Markdown, YAML) are imported: importing them takes the parent a quarter of a
    second, which the check, started after them, made every edit build wait out."""
    site = copy_sample_site(tmp_path / "site")
    out, seen = tmp_path / "out", tmp_path / "seen.json"
    assert run_cli("build", "--site", str(site), "--output", str(out))[0] == 0
    script = ("import json, sys\n"
              "from generator import trees\n"
              "real = trees.OutputState.spare_for_build\n"
              "def spy(self):\n"
              "    heavy = [name for name in ('numpy', 'jinja2', 'markdown', 'yaml') if name in sys.modules]\n"
              f"    open({str(seen)!r}, 'w').write(json.dumps(heavy))\n"
              "    return real(self)\n"
              "trees.OutputState.spare_for_build = spy\n"
              "from generator.cli import main\n"
              "print(main(sys.argv[1:]))\n")
    done = subprocess.run([sys.executable, "-c", script, "build", "--site", str(site), "--output", str(out)],
                          capture_output=True, encoding="utf-8", check=True,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.stdout.splitlines()[-1] == "0"
    assert json.loads(seen.read_text(encoding="utf-8")) == []


def test_the_writer_never_writes_through_what_is_in_the_way(tmp_path):
    """A new file is created exclusively: a link, a file or a folder where it goes is
    cleared first (the link's target untouched), and a missing folder is made, also where
    a file stands in its place; each written file is stamped as it is on disk."""
    root, outside = tmp_path / "staging", tmp_path / "outside.html"
    root.mkdir()
    outside.write_text("not ours", encoding="utf-8")
    (root / "linked.html").symlink_to(outside)
    (root / "file-as-folder").write_text("a file", encoding="utf-8")
    (root / "folder-as-file" / "deep").mkdir(parents=True)
    writer = TreeWriter(trees.Staging(root))
    files = {"linked.html": b"linked", "file-as-folder/index.html": b"nested", "folder-as-file": b"flat",
             "new/folder/index.html": b"new", "empty.html": b""}
    for name, data in files.items():
        writer.write(name, data)
    assert outside.read_text(encoding="utf-8") == "not ours" and links_in(root) == []
    assert {name: (root / name).read_bytes() for name in files} == files
    assert writer.stamps == {name: (os.lstat(root / name).st_ino, len(data), os.lstat(root / name).st_mtime_ns)
                             for name, data in files.items()}
    with pytest.raises(ValueError):
        writer.write("../escaped.html", b"no")
