"""Files in the output folder: temporary names, atomic writes, hashes, and sweeping
temporaries that processes no longer alive left behind.

A temporary sits beside its final file as ``.NAME.<pid>.tmp`` (hidden by its dot, in
the same folder so the final rename is atomic, and naming the process that made it).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

TEMPORARY = re.compile(r"^\.(?P<final>.+)\.(?P<pid>\d+)\.tmp$")


def temp_beside(path: Path) -> Path:
    """``dir/.NAME.<pid>.tmp`` for ``dir/NAME``.

    >>> temp_beside(Path("media/convex.png")).name == f".convex.png.{os.getpid()}.tmp"
    True
    """
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write ``data`` to a temporary beside ``path``, then rename it over ``path``."""
    temp = temp_beside(path)
    try:
        temp.write_bytes(data.encode() if isinstance(data, str) else data)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


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
