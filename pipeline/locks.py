"""Cross-process locks (``filelock``: ``fcntl.flock`` on Linux, released by the OS when a
process dies, so a killed render never leaves a stale lock).

- :func:`entry_lock`: one per cache entry (figure, quality, parameters, theme, formats: the
  cache key), in ``CACHE/locks/``; a second process that wants the same entry waits.
- :func:`folder_lock`: one per output folder (``OUT/.gdviz.lock``), held for the short
  read-modify-write of the manifest and the gallery and for a figure's final renames.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from filelock import FileLock, Timeout

FOLDER_LOCK = ".gdviz.lock"


def entry_lock(cache_dir: Path, name: str, key: str) -> FileLock:
    """The lock of one cache entry."""
    folder = cache_dir / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    return FileLock(folder / f"{name}-{key}.lock")


def folder_lock(out_dir: Path) -> FileLock:
    """The lock of an output folder's manifest, gallery and renames."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return FileLock(out_dir / FOLDER_LOCK)


@contextlib.contextmanager
def held(lock: FileLock, waiting_message: str):
    """Hold ``lock``; if another process has it, say ``waiting_message`` on stderr and wait."""
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(waiting_message, file=sys.stderr, flush=True)
        lock.acquire()
    try:
        yield lock
    finally:
        lock.release()
