"""The output's two trees: the published output, and a spare the next build updates in place.

A whole-or-nothing build cannot write into the output; writing a fresh staging tree
means creating tens of thousands of page folders, which costs seconds. So the output
retired by a build is kept as the *spare*, and the next build takes it as its staging
tree: files still right are left alone, changed ones replaced, vanished ones deleted;
then the output and the staging tree swap places (one atomic exchange where the system
has it, else two renames), and the retired output becomes the next spare (unless the
build changed most of the site: then the next build links a spare afresh, `worth_keeping`). Everything
lives in one hidden folder beside the output:

    .<output name>.zhuanlan/
        lock          held by a build from start to end
        spare/        the previous output, once retired
        output.seal   for each file of the output: (inode, size, modification time)
        spare.seal    the same for the spare (the output's seal, carried along on retirement)
        rows.cache    open-data rows kept between builds (rowcache.py)
        search.state  what the output's search index was made from (search_state.py)
        build-*/ old-*/ pelican-*/ spare-*/   work folders; left by an interrupted run, swept

Trust. A file of the spare is used only when it is as its seal says (seal.py), so a file
edited, replaced or added since is not trusted; links, devices and untrusted files are
removed before any file is written (so that no write can follow a link), and a spare
whose root folder is not the sealed one is discarded. A build takes the spare by
renaming it into its work folder, so a build that fails or is killed half-way leaves no
spare behind, only a work folder that the next build sweeps. Files of the output and of
the spare share inodes (unchanged files are hard-linked), so nothing ever writes into an
existing file: files are unlinked and created anew.

Linking a spare: folders are created and the output's files linked, never copied, which
costs a few seconds for the provincial site. `zhuanlan build` does it after a build that
leaves no sealed spare (the output's first build, or one that changed most of the site),
in a detached process that holds the lock until it is done (`link_spare_later`; only for
a large output); `zhuanlan serve` does it while the editor reads. A build that still
finds none (the spare was discarded, or the detached process was stopped) links one
while it loads the content, in its forked process.
"""
from __future__ import annotations

import ctypes
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .background import detached
from .seal import Inspection, Seal, inspect, read_seal, stamp_folders, write_seal
from .spare_links import LINKS_PER_WORKER, link_tree

try:
    import fcntl
except ImportError:  # not on Windows: builds there take no lock
    fcntl = None

MANIFEST = ".zhuanlan-output"  # in every built tree: marks it as ours, and holds its fingerprints (fingerprint.py)
WAITING = "同一输出目录正被另一次生成（或上次生成后在后台准备下次生成所需的文件）占用，等待其结束……"
QUIET_WAIT = 2.0  # seconds a build waits for the lock before it says it waits
LINK_LATER_FROM = 2 * LINKS_PER_WORKER  # files: an output this large gets its spare linked after the build
KEEP = frozenset({"lock", "spare", "output.seal", "spare.seal", "rows.cache", "search.state"})


def state_folder(output: Path) -> Path:
    return output.parent / f".{output.name}.zhuanlan"


@dataclass
class Staging:
    """Where a build writes: `root`, and the files and folders in it that are already
    right if the build would write the same (`present`; empty for a fresh tree); the
    entries removed from it as untrusted are in `removed`."""
    root: Path
    present: Seal = field(default_factory=Seal)
    removed: list[str] = field(default_factory=list)


class OutputState:
    """The hidden folder beside an output; use as a context manager (it holds the lock)."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.folder = state_folder(output)
        self._lock = None
        self._discarded: list[Path] = []

    def __enter__(self) -> "OutputState":
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.folder / "lock", "a+b")
        if fcntl is not None and not self._try_lock(QUIET_WAIT):
            print(WAITING, file=sys.stderr, flush=True)
            fcntl.flock(self._lock, fcntl.LOCK_EX)
        self._sweep()
        return self

    def _try_lock(self, seconds: float) -> bool:
        """Take the lock if it is free within `seconds` (the background work after a build,
        storing the match index's cache, ends within a second or so: no need to say so)."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(0.02)

    def __exit__(self, *exc) -> None:
        for path in self._discarded:
            try:
                self.retire(path)
            except OSError:  # it stays a work folder, which the next build sweeps
                continue
        self._lock.close()  # releases the lock
        self._lock = None

    def discard_later(self, path: Path) -> None:
        """Delete a work folder in the background once the build is done (retire), not
        while it writes: this machine's file system (ext4 without a journal) makes every
        file created in the minutes after a deletion pass over each inode deleted."""
        self._discarded.append(path)

    def _sweep(self) -> None:
        """Work folders and files of an interrupted run: deleted (folders in the background).
        Among them may be folders an earlier build is still deleting in the background: one
        gone by the time it is moved is passed over."""
        for path in sorted(path for path in self.folder.iterdir() if path.name not in KEEP):
            try:
                if path.is_dir() and not path.is_symlink():
                    self.retire(path)
                else:
                    path.unlink()
            except FileNotFoundError:
                continue

    def output_seal(self) -> Seal | None:
        """The output's seal, if the output is still the sealed tree (its files are
        checked one by one where they are used)."""
        seal = read_seal(self.folder / "output.seal")
        root = stamp_folders(self.output, [""]).get("")
        return seal if seal is not None and root is not None and seal.folders.get("", ())[:1] == root[:1] \
            else None

    def new_staging(self, inspection: Inspection | None) -> Staging:
        """The spare, taken over as the staging tree with what `inspection` found trusted
        (its untrusted entries removed); else an empty folder."""
        root = Path(tempfile.mkdtemp(prefix="build-", dir=self.folder))
        spare = self.folder / "spare"
        (self.folder / "spare.seal").unlink(missing_ok=True)
        if inspection is None:
            if os.path.lexists(spare):
                self.retire(spare)
            return Staging(open_to_others(root))
        os.rmdir(root)
        os.replace(spare, root)  # ours now: if this build dies, the next one sweeps it
        open_to_others(root)  # every output passes here; a spare's root is mkdtemp's too
        for relative in inspection.untrusted:
            remove(root / relative)
        return Staging(root, inspection.seal, inspection.untrusted)

    def retire(self, path: Path) -> None:
        """Move path out of the way at once; delete it in the background."""
        retired = Path(tempfile.mkdtemp(prefix="old-", dir=self.folder))
        try:
            os.replace(path, retired / "tree")
        except OSError:
            os.rmdir(retired)
            raise
        discard(retired)

    def swap_in(self, staging: Path, seal: Seal, carried: bool, keep_retired: bool = True) -> None:
        """Make staging the output; the old output becomes the spare (sealed if `carried`:
        the output is still the tree its seal describes), or is deleted when not
        `keep_retired` (see `worth_keeping`)."""
        write_seal(self.folder / "staging.seal", seal)
        spare = self.folder / "spare"
        if os.path.lexists(spare):
            self.retire(spare)
        if not os.path.lexists(self.output):
            os.replace(staging, self.output)
            retired = None
        elif exchange(staging, self.output):  # staging now holds the old output
            retired = staging
        else:
            retired = self.folder / "retired"
            os.replace(self.output, retired)
            os.replace(staging, self.output)
        if retired is not None and keep_retired:
            os.replace(retired, spare)
        elif retired is not None:
            self.retire(retired)
        if carried and keep_retired:
            os.replace(self.folder / "output.seal", self.folder / "spare.seal")
        os.replace(self.folder / "staging.seal", self.folder / "output.seal")

    def keep_spare(self, staging: Staging) -> None:
        """After a failed build: its staging tree becomes the spare, sealed as it was
        taken; whatever the build changed in it is found untrusted by the next one."""
        if not staging.present.files:
            self.retire(staging.root)
            return
        write_seal(self.folder / "spare.seal", staging.present)
        os.replace(staging.root, self.folder / "spare")

    def spare_for_build(self) -> Inspection | None:
        """What of the spare this build can trust (None: nothing). When there is no sealed
        spare (none was linked after the previous build, or it was discarded), one is
        linked from the output now, in the forked process beside loading."""
        if self.has_sealed_spare():
            seal = read_seal(self.folder / "spare.seal")
            spare = self.folder / "spare"
            return inspect(spare, seal) if seal is not None and spare.is_dir() else None
        made = self.link_spare()
        return Inspection(made, []) if made is not None else None  # as linked this instant: every file as sealed

    def link_spare(self) -> Seal | None:
        """Link a spare from the output, in place of an unsealed one: its seal (None: the
        output is not the sealed tree, and there is nothing to link)."""
        spare = self.folder / "spare"
        if os.path.lexists(spare):
            self.retire(spare)
        seal = self.output_seal()
        if seal is None:
            return None
        work = Path(tempfile.mkdtemp(prefix="spare-", dir=self.folder))
        made = link_tree(self.output, seal, work)
        write_seal(self.folder / "spare.seal", made)
        os.replace(work, spare)
        return made

    def link_spare_later(self, files: int) -> bool:
        """After a build that leaves no sealed spare (the output's first build, or one that
        renewed most of the site): link one in a detached process, which goes on holding
        this build's lock until it is done (a build started meanwhile waits for it, as for
        a build), so that the next build finds it ready instead of linking it while it
        loads (92,000 files: 3-5 s that the first edit after a full build waited for). Only
        for an output of many `files` (a small one is linked in a moment); True if started."""
        if self.has_sealed_spare() or files < LINK_LATER_FROM:
            return False
        return detached(self.link_missing_spare, keep=self._lock.fileno() if self._lock is not None else None)

    def link_missing_spare(self) -> bool:
        """Link a spare when there is no sealed one; True if one was linked. One that cannot
        be (a full disk) only costs the next build the time: what was half made is a work
        folder, swept by the next build."""
        try:
            return not self.has_sealed_spare() and self.link_spare() is not None
        except OSError:
            return False

    def has_sealed_spare(self) -> bool:
        return os.path.lexists(self.folder / "spare") and (self.folder / "spare.seal").is_file()


def open_to_others(folder: Path) -> Path:
    """folder, its mode made what a plain mkdir gives it. A tree that becomes the output must
    not keep mkdtemp's (its owner's only): published with `rsync -a`, the column's folder would
    take it, and a web server running as another user would refuse every page."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(folder, 0o777 & ~mask)
    return folder


def prepare_spare(output: Path) -> bool:
    """For `zhuanlan serve`, while the editor reads the pages: link the spare that the next
    build would otherwise link while it loads (a few seconds for the provincial site), so
    that the first saved change is rebuilt as fast as the later ones. True if one was linked;
    a spare that cannot be linked (a full disk) only costs the next build that time."""
    if not os.path.isdir(output):
        return False
    try:
        with OutputState(output) as state:
            return state.link_missing_spare()
    except OSError:  # the hidden folder cannot be opened or swept: the next build sees to it
        return False


def worth_keeping(renewed: int, fingerprinted: int) -> bool:
    """Whether the output a build retires is worth keeping as the next build's spare, when
    `renewed` of the build's `fingerprinted` pages and data files have fingerprints other
    than the retired output's. The next build renders again every page of the spare whose
    fingerprint is not its own, so after a build that renewed most of the site (new code,
    a setting every page shows) that is most of the site again, even where the bytes come
    out the same (27 s for the provincial site, against 7-10 s to link a fresh spare from
    the output, 3-5 s for an edit). Rendering a page costs about ten links: beyond a
    quarter of the site, linking costs less."""
    return renewed * 4 <= fingerprinted


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where
    the system cannot, and nothing was changed."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0


def remove(path: Path | str) -> None:
    """Remove a file, link or folder without following links."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.unlink(path)


def discard(folder: Path) -> None:
    """Delete a folder in a detached process (tens of thousands of files take seconds to
    unlink), so that the build does not wait; one left half-deleted is swept next time."""
    if not detached(lambda: shutil.rmtree(folder, ignore_errors=True)):
        shutil.rmtree(folder, ignore_errors=True)
