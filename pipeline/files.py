"""Files in the output folder: temporary names, atomic writes, hashes, sweeping
temporaries that processes no longer alive left behind, a full disk named as such, and
whether a folder can be written at all.

A temporary sits beside its final file as ``.NAME.<pid>.tmp`` (hidden by its dot, in
the same folder so the final rename is atomic, and naming the process that made it).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
from pathlib import Path
from typing import Iterator

TEMPORARY = re.compile(r"^\.(?P<final>.+)\.(?P<pid>\d+)\.tmp$")
#: the errors of a write that found no room: the device is full, or the user's quota is
NO_SPACE = (errno.ENOSPC, errno.EDQUOT)
#: how ffmpeg says it (it prints this and may still exit 0, leaving a truncated file)
NO_SPACE_TEXT = os.strerror(errno.ENOSPC)


class DiskFull(RuntimeError):
    """A write found no space left on its device; the message names the folder and what to do."""


def final_name(path: Path) -> str:
    """The published name a temporary stands for (``convex.png`` for ``.convex.png.123.tmp``).

    >>> final_name(Path("media/.convex.png.123.tmp")), final_name(Path("media/index.html"))
    ('convex.png', 'index.html')
    """
    named = TEMPORARY.match(path.name)
    return named["final"] if named else path.name


def free_bytes(folder: Path) -> int | None:
    """The bytes free on ``folder``'s device (its nearest existing parent's), or None if unknown."""
    for candidate in (folder, *folder.parents):
        with contextlib.suppress(OSError):
            return shutil.disk_usage(candidate).free
    return None


def disk_full_message(folder: Path, writing: str, option: str = "--out") -> str:
    """``no space left on device in FOLDER (N kB free) writing WHAT: ...``, with what to do."""
    free = free_bytes(folder)
    room = f" ({free / 1000:.0f} kB free)" if free is not None else ""
    return (f"no space left on device in {folder}{room} writing {writing}: free some space "
            f"(or choose another {option}) and run again")


def is_no_space(error: BaseException) -> bool:
    """Whether ``error`` (or what it wraps) is a write that found no room."""
    for _ in range(8):  # a chain of causes, not a cycle
        if error is None:
            return False
        if isinstance(error, DiskFull) or (isinstance(error, OSError) and error.errno in NO_SPACE):
            return True
        if NO_SPACE_TEXT in str(error):  # wrapped by a library that kept only the text
            return True
        error = error.__cause__ or error.__context__
    return False


@contextlib.contextmanager
def naming_a_full_disk(path: Path, option: str = "--out") -> Iterator[None]:
    """Turn a write's "no space left" into :class:`DiskFull` naming ``path``'s folder."""
    try:
        yield
    except DiskFull:
        raise
    except OSError as error:
        if error.errno not in NO_SPACE:
            raise
        raise DiskFull(disk_full_message(path.parent, final_name(path), option)) from error


def unwritable(folder: Path) -> str | None:
    """Why files cannot be written into ``folder`` (created if missing), or None when they can.

    It makes the folder and an empty file in it, then removes the file: an empty file
    needs no free block, so a full disk is not unwritable here (its writes fail later,
    each named as a full disk), but a read-only one, ``/proc``, or a path through a file is.
    """
    probe = temp_beside(folder / "gdviz-write-test")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        probe.unlink()
    except OSError as error:
        reason = error.strerror or str(error)
        where = f" ({error.filename})" if error.filename and Path(error.filename) not in (folder, probe) else ""
        return f"cannot write into {folder}: {reason}{where}"
    return None


def temp_beside(path: Path) -> Path:
    """``dir/.NAME.<pid>.tmp`` for ``dir/NAME``.

    >>> temp_beside(Path("media/convex.png")).name == f".convex.png.{os.getpid()}.tmp"
    True
    """
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write ``data`` to a temporary beside ``path``, then rename it over ``path``; a full
    disk raises :class:`DiskFull` and leaves ``path`` as it was, with no temporary."""
    temp = temp_beside(path)
    try:
        with naming_a_full_disk(path):
            temp.write_bytes(data.encode() if isinstance(data, str) else data)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def write_if_changed(path: Path, data: str | bytes) -> bool:
    """:func:`write_atomically` unless ``path`` already holds exactly ``data`` (a run that
    changes nothing writes nothing: it ends cleanly on a full disk); return whether it wrote."""
    raw = data.encode() if isinstance(data, str) else data
    with contextlib.suppress(OSError):
        if path.stat().st_size == len(raw) and path.read_bytes() == raw:
            return False
    write_atomically(path, raw)
    return True


def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (on this machine)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def temporaries(out_dir: Path) -> list[Path]:
    """Every hidden ``.*.tmp`` file in ``out_dir``, whoever made it."""
    if not out_dir.is_dir():
        return []
    return sorted(p for p in out_dir.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp"))


def sweep_dead_temporaries(out_dir: Path) -> list[Path]:
    """Remove the temporaries of processes that are no longer alive (any figure's); return them."""
    swept = []
    for temp in temporaries(out_dir):
        named = TEMPORARY.match(temp.name)
        if named and int(named["pid"]) != os.getpid() and not pid_alive(int(named["pid"])):
            temp.unlink(missing_ok=True)
            swept.append(temp)
    return swept
