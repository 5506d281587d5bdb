"""House rules that a reviewer would otherwise have to remember."""

from __future__ import annotations

import ast
import pathlib
import re

import pytest

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


FONT_KEYWORDS = {"font_size", "size"}  # manim's font_size; the components' size (label, readout, legends)
PRODUCT = [p for p in SOURCES if p != THEME and p.relative_to(ROOT).parts[0] in ("scenes", "pipeline", "render.py")]
PAGES = [ROOT / "scenes" / "playground_template.html", *(ROOT / "pipeline").glob("*.py"), ROOT / "scenes" / "playground.py"]


def _plain_size(node) -> bool:
    """A size named, not computed: ``theme.NAME``, or a variable / attribute that carries
    one through (a parameter, ``self.layout.tick_size``). A number, an arithmetic
    expression or a call is a size made up on the spot."""
    if isinstance(node, ast.Name):
        return True
    if isinstance(node, ast.Attribute):
        return _plain_size(node.value)
    return False


def font_size_offences(source: str, name: str = "<source>") -> list[str]:
    """Every font size in Python ``source`` that is not a plain theme (or passed-on) name:
    ``font_size=28``, ``font_size=theme.LABEL_SIZE * 1.3``, ``size=round(x)``, and
    parameter defaults such as ``def label(text, size=22)``."""
    hits = []
    for node in ast.walk(ast.parse(source)):
        pairs = []
        if isinstance(node, ast.Call):
            pairs = [(k.arg, k.value) for k in node.keywords if k.arg in FONT_KEYWORDS]
        elif isinstance(node, (ast.FunctionDef, ast.Lambda)):
            args = node.args
            positional = args.posonlyargs + args.args
            pairs = list(zip([a.arg for a in positional[len(positional) - len(args.defaults):]], args.defaults))
            pairs += [(a.arg, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
            pairs = [(arg, value) for arg, value in pairs if arg in FONT_KEYWORDS]
        hits += [f"{name}:{value.lineno}: {arg}={ast.unparse(value)}" for arg, value in pairs if not _plain_size(value)]
    return hits


def css_size_offences(text: str, name: str = "<page>") -> list[str]:
    """Literal font sizes in a page's CSS or canvas script (``font-size: 0.85rem``,
    ``font: 11px sans-serif``, ``ctx.font = "12px ..."``) and literal radii of canvas arcs."""
    patterns = [
        r"font(?:-size)?\s*:\s*[^;{}]*?(?<![\w{])\d+(?:\.\d+)?\s*(?:px|rem|em|pt|%)",
        r"\.font\s*=\s*[\"'`][^\"'`]*\d",
        r"[\"']\d+(?:\.\d+)?px\b",
        r"\barc\([^,]+,[^,]+,\s*\d",
    ]
    return [f"{name}:{number}: {line.strip()}" for number, line in enumerate(text.splitlines(), 1)
            if any(re.search(p, line) for p in patterns)]


def test_font_sizes_live_only_in_the_theme():
    hits = []
    for path in PRODUCT:
        hits += font_size_offences(path.read_text(), str(path.relative_to(ROOT)))
    assert hits == []


def test_page_sizes_live_only_in_the_theme():
    """The playground's and the gallery's CSS font sizes and canvas marks are injected from the theme."""
    hits = []
    for path in PAGES:
        hits += css_size_offences(path.read_text(), str(path.relative_to(ROOT)))
    assert hits == []


@pytest.mark.parametrize(
    "source",
    [
        "Text('a', font_size=28)",
        "MathTex(t, font_size=theme.LABEL_SIZE * 1.3)",
        "MathTex(t, font_size=LABEL_SIZE * 1.3)",
        "label('a', size=theme.SMALL_SIZE + 2)",
        "label('a', size=round(s))",
        "def label(text, size=22): pass",
        "def label(text, *, size=20.5): pass",
    ],
)
def test_the_font_size_rule_catches_every_form(source):
    assert font_size_offences(source) != []


@pytest.mark.parametrize("source", ["label('a', size=theme.SMALL_SIZE)", "Text('a', font_size=size)",
                                    "label('a', size=self.layout.tick_size)", "def f(size=theme.LABEL_SIZE): pass"])
def test_the_font_size_rule_passes_named_sizes(source):
    assert font_size_offences(source) == []


@pytest.mark.parametrize(
    "text", ["h1 { font-size: 1.4rem; }", ".x { font: 11px DejaVu Sans; }", 'ctx.font = "11px sans-serif";',
             '"tickFont": "11px DejaVu Sans"', "ctx.arc(sx, sy, 6, 0, 2 * Math.PI);", "p { font-size:12px }"],
)
def test_the_page_size_rule_catches_every_form(text):
    assert css_size_offences(text) != []


@pytest.mark.parametrize(
    "text", ["h1 { font-size: var(--font-title); }", "font: {text_px}px/1.5 system-ui", "ctx.font = CONFIG.tickFont;",
             "ctx.arc(sx, sy, M.dotRadius, 0, 2 * Math.PI);"],
)
def test_the_page_size_rule_passes_injected_sizes(text):
    assert css_size_offences(text) == []


def test_star_imports_of_manim_only_in_scenes():
    assert _offending(r"from manim import \*", lambda p: p.parent.name == "scenes") == []


def test_ruff_is_clean():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--quiet", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_components_take_their_gaps_and_timings_from_the_theme():
    """The shared layer has no literal buff= or run_time= (each figure's own layout may still)."""
    components = ROOT / "scenes" / "components"
    hits = []
    for path in components.glob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\b(buff|run_time)\s*=\s*\d", line):
                hits.append(f"{path.name}:{number}: {line.strip()}")
    assert hits == []
