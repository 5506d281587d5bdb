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


HEX_COLOUR = re.compile(r"['\"]#[0-9A-Fa-f]{6}['\"]")


def test_hex_colours_live_only_in_the_theme():
    assert _offending(HEX_COLOUR.pattern, lambda p: p == THEME or p.parent.name in ("tests", "bench")) == []


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


def _bindings(body) -> dict:
    """What a module or class body binds its names to (``NAME = value``, ``name: T = value``)."""
    found = {}
    for statement in body:
        if isinstance(statement, ast.Assign):
            found.update((t.id, statement.value) for t in statement.targets if isinstance(t, ast.Name))
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None and isinstance(statement.target, ast.Name):
            found[statement.target.id] = statement.value
    return found


def _local_names(function) -> set[str]:
    """The parameters of a function and the names it assigns: what carries a value through."""
    args = function.args
    names = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    names |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
    return names | {n.id for n in ast.walk(function) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


class _Scopes:
    """Resolves a size written as a name to the value it names in the same module: a
    module constant (``LABEL_SIZE = 28``) or a class attribute (``self.label_size`` of
    ``label_size = 28``, also from a base class in the module). A name it cannot follow
    (a parameter, a local, ``self.layout.tick_size``, an import) carries a size through."""

    def __init__(self, tree: ast.Module):
        self.module = _bindings(tree.body)
        self.classes = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}

    def class_attribute(self, cls, attr: str, seen=()):
        if cls is None or cls.name in seen:
            return None
        if (value := _bindings(cls.body).get(attr)) is not None:
            return value
        for base in cls.bases:
            if isinstance(base, ast.Name) and (found := self.class_attribute(self.classes.get(base.id), attr, (*seen, cls.name))):
                return found
        return None

    def resolve(self, node, cls=None, local=frozenset()):
        if isinstance(node, ast.Name):
            return None if node.id in local else self.module.get(node.id)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            owner = node.value.id
            if owner in ("self", "cls"):
                return self.class_attribute(cls, node.attr)
            if owner in self.classes and owner not in local:
                return self.class_attribute(self.classes[owner], node.attr)
        return None

    def made_up(self, value, cls=None, local=frozenset(), depth: int = 0) -> bool:
        """True when ``value`` is, or names (through up to five names), a size made up on the spot."""
        if not _plain_size(value):
            return True
        resolved = self.resolve(value, cls, local)
        return resolved is not None and depth < 5 and self.made_up(resolved, cls, frozenset(), depth + 1)


def _size_pairs(node) -> list:
    """The (keyword, value) font sizes a call passes, or a function's parameters default to."""
    if isinstance(node, ast.Call):
        return [(k.arg, k.value) for k in node.keywords if k.arg in FONT_KEYWORDS]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        args = node.args
        positional = args.posonlyargs + args.args
        pairs = list(zip([a.arg for a in positional[len(positional) - len(args.defaults):]], args.defaults))
        pairs += [(a.arg, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
        return [(arg, value) for arg, value in pairs if arg in FONT_KEYWORDS]
    return []


def font_size_offences(source: str, name: str = "<source>") -> list[str]:
    """Every font size in Python ``source`` that is not a plain theme (or passed-on) name:
    ``font_size=28``, ``font_size=theme.LABEL_SIZE * 1.3``, ``size=round(x)``, parameter
    defaults such as ``def label(text, size=22)``, and a name of the module that holds a
    made-up size (``font_size=self.label_size`` with ``label_size = 28`` in the class, or
    ``font_size=LABEL_SIZE`` with ``LABEL_SIZE = 28`` in the module): a font size lives in
    the theme, even when only one figure uses it."""
    tree = ast.parse(source)
    scopes = _Scopes(tree)
    hits = []

    def visit(node, cls, local):
        for arg, value in _size_pairs(node):
            # a default is evaluated where the function is defined, not inside it
            inside = local if isinstance(node, ast.Call) else frozenset()
            if scopes.made_up(value, cls, inside):
                resolved = scopes.resolve(value, cls, inside)
                named = f" (= {ast.unparse(resolved)})" if resolved is not None and _plain_size(value) else ""
                hits.append(f"{name}:{value.lineno}: {arg}={ast.unparse(value)}{named}")
        if isinstance(node, ast.ClassDef):
            cls, local = node, frozenset()
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            local = local | _local_names(node)
        for child in ast.iter_child_nodes(node):
            visit(child, cls, local)

    visit(tree, None, frozenset())
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


@pytest.mark.parametrize(
    "source",
    [
        # a figure's own name for a made-up size is still a size outside the theme
        "class HillsScene:\n    label_size = 28\n    def construct(self):\n        Text('a', font_size=self.label_size)",
        "class Base:\n    label_size = 28\nclass HillsScene(Base):\n    def construct(self):\n"
        "        label('a', size=self.label_size)",
        "class HillsScene:\n    label_size = 28\ndef legend():\n    return label('a', size=HillsScene.label_size)",
        "LABEL_SIZE = 28\ndef legend():\n    return label('a', size=LABEL_SIZE)",
        "LABEL_SIZE = theme.SMALL_SIZE + 2\nBIG = LABEL_SIZE\ndef f(size=BIG): pass",
    ],
)
def test_the_font_size_rule_catches_a_made_up_size_behind_a_name(source):
    assert font_size_offences(source) != []


@pytest.mark.parametrize("source", ["label('a', size=theme.SMALL_SIZE)", "Text('a', font_size=size)",
                                    "label('a', size=self.layout.tick_size)", "def f(size=theme.LABEL_SIZE): pass",
                                    "class HillsScene:\n    label_size = theme.SMALL_SIZE\n"
                                    "    def construct(self):\n        Text('a', font_size=self.label_size)",
                                    "LABEL_SIZE = 28\ndef legend(LABEL_SIZE):\n    return label('a', size=LABEL_SIZE)"])
def test_the_font_size_rule_passes_named_sizes(source):
    assert font_size_offences(source) == []


# --- colours: in the theme, never a literal or a manim constant -----------------------------------
def manim_colour_names() -> set[str]:
    from manim.utils.color import manim_colors

    return {name for name in dir(manim_colors) if name.isupper() and not name.startswith("_")}


MANIM_PALETTES = {"XKCD", "X11", "BS381", "DVIPSNAMES", "SVGNAMES", "AS2700"}  # manim.utils.color's other tables
COLOUR_KEYWORD = re.compile(r"(colou?r|colors|colours)$")


def colour_offences(source: str, name: str = "<source>", names: set[str] | None = None) -> list[str]:
    """Every colour in Python ``source`` that does not come from the theme: a hex literal,
    a manim colour constant (``BLUE``, ``manim.RED_A``, ``XKCD.AVOCADO``, imported or not)
    or a colour word given to a ``*color=`` keyword (``color="red"``)."""
    names = manim_colour_names() if names is None else names
    hits = [f"{name}:{n}: {line.strip()}" for n, line in enumerate(source.splitlines(), 1) if HEX_COLOUR.search(line)]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and node.id in names | MANIM_PALETTES:
            hits.append(f"{name}:{node.lineno}: {node.id}")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id != "theme" \
                and (node.attr in names or node.value.id in MANIM_PALETTES):
            hits.append(f"{name}:{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("manim"):
            hits += [f"{name}:{node.lineno}: import {a.name}" for a in node.names if a.name in names | MANIM_PALETTES]
        elif isinstance(node, ast.Call):
            hits += [f"{name}:{k.value.lineno}: {k.arg}={ast.unparse(k.value)}" for k in node.keywords
                     if k.arg and COLOUR_KEYWORD.search(k.arg) and isinstance(k.value, ast.Constant)
                     and isinstance(k.value.value, str)]
    return hits


def test_colours_live_only_in_the_theme():
    names = manim_colour_names()
    hits = []
    for path in PRODUCT:
        hits += colour_offences(path.read_text(), str(path.relative_to(ROOT)), names)
    assert hits == []


@pytest.mark.parametrize(
    "source",
    [
        "Dot(color='#FFAA00')",
        "class HillsScene:\n    dot_colour = '#ffaa00'",
        "Dot(color=BLUE)",
        "Dot(fill_color=manim.RED_A)",
        "class HillsScene:\n    dot_colour = YELLOW",
        "from manim import BLUE",
        "line.set_color(XKCD.AVOCADO)",
        "Dot(color='red')",
        "DOT = WHITE",
    ],
)
def test_the_colour_rule_catches_every_form(source):
    assert colour_offences(source) != []


@pytest.mark.parametrize(
    "source",
    [
        "Dot(color=theme.ACCENT)",
        "class HillsScene:\n    dot_colour = theme.POINT_COLORS[0]\n    def construct(self):\n"
        "        Dot(color=self.dot_colour)",
        "line.set_color(theme.in_theme(theme.TEXT, 'light'))",
        "from manim import BLUE_FACTOR, Dot",
        "Dot(color=colour)",
    ],
)
def test_the_colour_rule_passes_theme_colours(source):
    assert colour_offences(source) == []


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
        "class HillsScene:\n    counter_gap = 0.4\n    def construct(self):\n"
        "        counter.next_to(title, DOWN, buff=self.counter_gap * 1.5)",
        "class HillsScene:\n    def construct(self):\n        counter.next_to(title, DOWN, buff=0.4)",
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
        # a number only one figure uses: a named class attribute of that figure (3b1b's way) ...
        "class HillsScene:\n    counter_gap = 0.4\n    def construct(self):\n"
        "        counter.next_to(title, DOWN, buff=self.counter_gap)",
        "class HillsScene:\n    inset = 0.35 * LEFT\n    def construct(self):\n        a.shift(self.inset)",
        "class HillsScene:\n    map_scale = 0.8\n    def construct(self):\n        a.scale(HillsScene.map_scale)",
        # ... or a named constant of the figure's module
        "COUNTER_GAP = 0.4\nclass HillsScene:\n    def construct(self):\n"
        "        counter.next_to(title, DOWN, buff=COUNTER_GAP)\n        rows.arrange(DOWN, buff=COUNTER_GAP)",
    ],
)
def test_the_layout_rule_passes_named_numbers(source):
    assert layout_number_offences(source) == []
