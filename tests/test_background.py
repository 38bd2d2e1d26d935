"""Work left running after a build returns (generator/background.py): detached, holding
none of the build's streams, so that whatever reads the build's output sees it end."""
from __future__ import annotations

import subprocess
import sys
import time

from support import REPO

CALLER = """
import sys, time
from pathlib import Path
from generator.background import detached
folder = Path(sys.argv[1])

def work():
    print("from the detached process")
    deadline = time.monotonic() + 60
    while not (folder / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    (folder / "done").write_text("done")

print("started" if detached(work) else "not started")
"""


def test_detached_work_goes_on_after_the_caller_without_holding_its_output(tmp_path):
    """The caller's output is read through a pipe: were the detached process to keep it
    open, reading would wait for the work, which waits for `go`, written only after."""
    caller = subprocess.run([sys.executable, "-c", CALLER, str(tmp_path)], cwd=REPO, capture_output=True, text=True,
                            timeout=30)
    assert (caller.returncode, caller.stdout, caller.stderr) == (0, "started\n", "")
    assert not (tmp_path / "done").exists()  # still waiting: the caller did not wait for it
    (tmp_path / "go").write_text("go")
    deadline = time.monotonic() + 30
    while not (tmp_path / "done").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (tmp_path / "done").read_text() == "done"
