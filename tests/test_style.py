"""House rules that a reviewer would otherwise have to remember."""

from __future__ import annotations

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCES = [p for p in ROOT.rglob("*.py") if not any(part.startswith(".") for part in p.relative_to(ROOT).parts)]
THEME = ROOT / "scenes" / "theme.py"


def _offending(pattern: str, allowed=lambda path: False) -> list[str]:
    regex = re.compile(pattern)
    hits = []
    for path in SOURCES:
        if allowed(path):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if regex.search(line):
                hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return hits


def test_hex_colours_live_only_in_the_theme():
    assert _offending(r"['\"]#[0-9A-Fa-f]{6}['\"]", lambda p: p == THEME or p.parent.name in ("tests", "bench")) == []


def test_font_sizes_live_only_in_the_theme():
    assert _offending(r"font_size\s*=\s*\d", lambda p: p == THEME or p.parent.name in ("tests", "bench")) == []


def test_star_imports_of_manim_only_in_scenes():
    assert _offending(r"from manim import \*", lambda p: p.parent.name == "scenes") == []


def test_ruff_is_clean():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--quiet", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
