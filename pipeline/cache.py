"""Cache keys over every input of a figure's render.

The key hashes the source and data files of the ``scenes/``, ``gdmath/`` and
``pipeline/`` trees (all of them, whatever imports what: relative imports, subpackages,
templates), the parameters, quality, theme and formats, and the versions of the tools
that shape the output: manim, PyAV, Pillow, ffmpeg, Pango/Cairo, LaTeX and dvisvgm.
"""

from __future__ import annotations

import functools
import hashlib
import json
import shutil
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HASHED_TREES = ("scenes", "gdmath", "pipeline")
SKIPPED_SUFFIXES = {".pyc", ".pyo"}


def input_files(root: Path = ROOT) -> list[Path]:
    """Every file under the hashed trees, except bytecode and caches, sorted."""
    return sorted(
        path
        for tree in HASHED_TREES
        for path in (root / tree).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in SKIPPED_SUFFIXES
    )


def _first_line(*command: str) -> str:
    if shutil.which(command[0]) is None:
        return f"{command[0]} missing"
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return f"{command[0]} unreadable"
    return (result.stdout or result.stderr).strip().splitlines()[0] if (result.stdout or result.stderr).strip() else ""


def _package(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "missing"


@functools.lru_cache(maxsize=1)
def tool_versions() -> dict[str, str]:
    """The versions of everything outside the tree that shapes a figure's files (once per process)."""
    versions = {name: _package(name) for name in ("manim", "av", "pillow", "manimpango", "pycairo", "numpy")}
    try:
        import cairo

        versions["cairo"] = cairo.cairo_version_string()
    except ImportError:
        versions["cairo"] = "missing"
    try:
        import manimpango

        versions["pango"] = manimpango.pango_version()
    except (ImportError, AttributeError):
        versions["pango"] = "missing"
    versions["ffmpeg"] = _first_line("ffmpeg", "-version")
    versions["latex"] = _first_line("latex", "--version")
    versions["dvisvgm"] = _first_line("dvisvgm", "--version")
    return versions


@functools.lru_cache(maxsize=4)
def tree_digest(root: Path = ROOT) -> str:
    """One hash of every input file's relative path and bytes (once per process)."""
    digest = hashlib.sha256()
    for path in input_files(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(params: dict, quality: str, formats: tuple[str, ...], theme: str = "dark", target: str = "") -> str:
    """A 16-hex-digit hash of everything that decides a figure's files."""
    material = [tree_digest(), target, params, quality, sorted(formats), theme, tool_versions()]
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()[:16]
