import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# Property tests explore new random examples on every developer run; the CI run
# (.ci/run sets ZHUANLAN_CI) uses a fixed seed, so that a clean clone's result does not
# depend on luck. Failures found either way are pinned with @example.
import os  # noqa: E402

from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("ZHUANLAN_CI"):
    settings.load_profile("ci")
