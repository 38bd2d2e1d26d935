"""Cache entries the build can trust: pickles signed with a key kept outside the content.

A content repository is untrusted (it arrives as a pull request), and loading a pickle
runs code. The caches live in the repository's `.zhuanlan-cache/` folder, where a pull
request could plant a file under the very name a cache entry would have. So every entry
carries an HMAC-SHA256 of its bytes under a secret key that lives in the user's cache
directory (`$XDG_CACHE_HOME/zhuanlan/cache.key`, else `~/.cache/zhuanlan/cache.key`,
mode 0600, made on first use), and an entry whose signature does not verify is never
unpickled: it is computed again. Where no key can be kept, nothing is cached.
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import os
import pickle
import secrets
import tempfile
from pathlib import Path

KEY_BYTES = 32
MAC_BYTES = hashlib.sha256().digest_size


def key_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "zhuanlan" / "cache.key"


@functools.cache
def _key() -> bytes | None:
    path = key_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(KEY_BYTES))
        if path.is_symlink():
            return None
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == KEY_BYTES else None


def _mac(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest()


def load(path: Path):
    """The object stored at path, or None when it is missing, damaged or not signed by us."""
    key = _key()
    if key is None:
        return None
    try:
        with open(path, "rb") as handle:
            blob = handle.read()
    except OSError:
        return None
    mac, data = blob[:MAC_BYTES], blob[MAC_BYTES:]
    if len(mac) != MAC_BYTES or not hmac.compare_digest(mac, _mac(key, data)):
        return None
    try:
        return pickle.loads(data)
    except Exception:  # signed by us but unreadable (another Python, a torn disk): recompute
        return None


def dump(path: Path, value) -> None:
    """Store value at path, signed, replacing any entry atomically; an unwritable cache
    folder only costs time."""
    if _key() is not None:
        dump_pickled(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def dump_pickled(path: Path, data: bytes) -> None:
    """Store an object already pickled (dump)."""
    key = _key()
    if key is None:
        return
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(_mac(key, data) + data)
        os.replace(tmp, path)
    except OSError:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
