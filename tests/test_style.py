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


@pytest.mark.subprocess
def test_ruff_is_clean():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--quiet", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_components_take_their_gaps_and_timings_from_the_theme():
    """The shared layer has no literal buff= or run_time= (nor has any figure a literal layout number: below)."""
    components = ROOT / "scenes" / "components"
    hits = []
    for path in components.glob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\b(buff|run_time)\s*=\s*\d", line):
                hits.append(f"{path.name}:{number}: {line.strip()}")
    assert hits == []


# Keywords and methods that place or size a mark: their numbers are layout, named in the theme.
LAYOUT_KEYWORDS = {"buff", "shift", "radius", "dot_radius", "tip_length", "dash_length"}
LAYOUT_METHODS = {"shift", "scale", "next_to", "to_edge", "to_corner", "move_to", "set_x", "set_y", "arrange",
                  "arrange_in_grid", "set_width", "set_height", "scale_to_fit_width", "scale_to_fit_height"}
FIGURE_SOURCES = [p for p in (ROOT / "scenes").rglob("*.py") if p != THEME]


def _literal_numbers(node) -> list:
    """The non-zero number literals in an expression, outside calls and subscripts (whose
    numbers are data coordinates or indices, as in ``axes.c2p(0, 10.0**hi)``, ``path[i + 1]``).
    Zero is no gap, not a made-up distance (``buff=0``: the arrow touches its ends), and a
    half is geometry (``move_to((low + high) / 2)``: the middle)."""
    if isinstance(node, (ast.Call, ast.Subscript)):
        return []
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and isinstance(node.right, ast.Constant) \
            and node.right.value == 2:
        return _literal_numbers(node.left)
    if isinstance(node, ast.Constant):
        return [node] if isinstance(node.value, (int, float)) and not isinstance(node.value, bool) and node.value else []
    return [n for child in ast.iter_child_nodes(node) for n in _literal_numbers(child)]


def layout_number_offences(source: str, name: str = "<source>") -> list[str]:
    """Every literal layout number in Python ``source``: ``buff=0.3``, ``buff=(0.5, 0.25)``,
    ``radius=theme.DOT_RADIUS * 1.4``, ``shift(LEFT * 0.35)``, ``.scale(0.8)``, ``to_edge(UP, 0.2)``."""
    hits = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        values = [k.value for k in node.keywords if k.arg in LAYOUT_KEYWORDS]
        if isinstance(node.func, ast.Attribute) and node.func.attr in LAYOUT_METHODS:
            values += node.args
        hits += [f"{name}:{node.lineno}: {ast.unparse(node)}" for value in values if _literal_numbers(value)][:1]
    return hits


def test_the_figures_take_their_layout_numbers_from_the_theme():
    """No magic coordinates: every gap, shift and mark scale in scenes/ is a name in the theme."""
    hits = []
    for path in FIGURE_SOURCES:
        hits += layout_number_offences(path.read_text(), str(path.relative_to(ROOT)))
    assert hits == []


@pytest.mark.parametrize(
    "source",
    [
        "a.next_to(b, DOWN, buff=0.3)",
        "a.arrange(DOWN, aligned_edge=LEFT, buff=1)",
        "quarters.arrange_in_grid(rows=2, cols=2, buff=(0.5, 0.25))",
        "a.to_edge(UP, buff=theme.EDGE_BUFF + 0.1)",
        "gap.shift(LEFT * 0.35)",
        "a.shift(0.2 * DOWN)",
        "a.scale(0.8)",
        "a.to_corner(DL, 0.4)",
        "Dot(radius=theme.DOT_RADIUS * 1.4)",
        "FadeIn(a, shift=0.2 * UP)",
        "DashedLine(a, b, dash_length=0.08)",
        "a.move_to(b.get_center() + 0.5 * RIGHT)",
        "a.shift(UP / 3)",
        "a.next_to(b, RIGHT, buff=(1 + theme.GAP) / 2)",
    ],
)
def test_the_layout_rule_catches_every_form(source):
    assert layout_number_offences(source) != []


@pytest.mark.parametrize(
    "source",
    [
        "a.next_to(b, DOWN, buff=theme.BODY_GAP)",
        "DoubleArrow(a, b, buff=0)",
        "a.next_to(axes.c2p(0, 10.0**hi), UP, buff=theme.LOSS_AXIS_NAME_BUFF)",
        "self.dot.move_to(path[i] + (at - i) * (path[i + 1] - path[i]))",
        "a.shift(LEFT * theme.REG_RATIO_INSET)",
        "Dot(radius=self.layout.marks * theme.LR_STEP_DOT_RADIUS * theme.LR_LOSS_DOT_SCALE)",
        "quarters.arrange_in_grid(rows=2, cols=2, buff=theme.LR_QUARTER_GAPS)",
        "image.move_to((low + high) / 2)",
    ],
)
def test_the_layout_rule_passes_named_numbers(source):
    assert layout_number_offences(source) == []
