"""Functions a user types, parsed safely, differentiated exactly, and their minima found.

``parse_objective("x^2 + 3*y^2", 2)`` returns an :class:`~gdmath.objectives.Objective`
like the hand-written ones: value and gradient vectorised over ``(..., dim)``, plus an
exact Hessian, its TeX and a canonical text form.

**The text is never evaluated.** No ``eval``, ``exec``, ``sympify`` or ``parse_expr``
sees it: it must be printable ASCII, Python's :func:`ast.parse` (``mode="eval"``) turns it
into a syntax tree (parsing executes nothing), and a builder that knows only an allowlist
of nodes (numbers, the variables, ``pi`` and ``e``, ``+ - * / ** ^``, unary ``+ -`` and
calls of the functions in :data:`FUNCTIONS`) turns that tree into a SymPy expression.
Anything else is refused with a ``ValueError`` naming the piece and its column (columns
count from 1). ``^`` means power, as mathematicians type it (Python's xor is not allowed).

**Bounded cost.** Each limit below is checked before the work it bounds, and its error
names it: :data:`MAX_LENGTH` characters, :data:`MAX_NODES` syntax nodes,
:data:`MAX_DEPTH` levels of nesting, :data:`MAX_CONSTANT_BITS` for an exact constant
power (so ``9**9**9`` is refused instead of computed) and :data:`MAX_DERIVATIVE_SIZE`
terms built for the gradient and the Hessian. The expression and its derivatives are
built unevaluated (SymPy's automatic simplification consults its assumption system,
whose cost on a short nested function can reach seconds); only rational numbers are
combined. Derivatives are taken by a memoised chain rule over the expression graph.

**Honest numerics.** A constant that is not a finite real number (``1/0``, ``log(-1)``,
``sqrt(-2)``, ``exp(1000)``) is refused where it is typed, and so is a negative number
to a varying power (``(-1)^x``: complex for real x). Where a real function is not finite
or not defined (``log(x)`` at ``x <= 0``, ``1/x`` at 0, ``exp(100*x)`` overflowing,
``sqrt(x)`` at ``x < 0``), evaluation returns inf or nan, real, with no floating-point
warning, and :func:`gdmath.descend` freezes the point there.

SymPy is imported here only, and only when a function is parsed: ``import gdmath`` does
not import it.
"""

from __future__ import annotations

import ast
import math
import unicodedata
import warnings
from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

from ._checks import as_points, finite
from .objectives import Objective

Array = np.ndarray

#: The longest text accepted, in characters.
MAX_LENGTH = 500
#: The most syntax nodes (numbers, names, operators, calls) in one expression.
MAX_NODES = 200
#: The deepest nesting of operators and calls (a chain like ``a + b - c + d`` counts once).
MAX_DEPTH = 30
#: The largest exact constant power, in bits of its numerator or denominator (``2**4096``).
MAX_CONSTANT_BITS = 4096
#: The most distinct subexpressions in the value, the gradient and the Hessian together.
MAX_DERIVATIVE_SIZE = 10_000

#: The functions a typed expression may call, with their number of arguments.
FUNCTIONS: dict[str, int] = {
    "sin": 1, "cos": 1, "tan": 1, "cot": 1, "sec": 1, "csc": 1,
    "asin": 1, "acos": 1, "atan": 1, "atan2": 2,
    "sinh": 1, "cosh": 1, "tanh": 1, "asinh": 1, "acosh": 1, "atanh": 1,
    "exp": 1, "log": 1, "ln": 1, "sqrt": 1, "abs": 1,
}  # fmt: skip

#: The named constants.
CONSTANTS = ("pi", "e")

#: The variables of a function of ``dim`` variables.
VARIABLES = {1: ("x",), 2: ("x", "y")}

# What a refused node is called in the error (the rest are named by their class).
_NODE_NAMES = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscript",
    ast.Slice: "slice",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehension",
    ast.SetComp: "comprehension",
    ast.DictComp: "comprehension",
    ast.GeneratorExp: "comprehension",
    ast.Starred: "starred argument",
    ast.Compare: "comparison",
    ast.IfExp: "conditional (if/else)",
    ast.BoolOp: "'and'/'or'",
    ast.NamedExpr: "assignment ':='",
    ast.JoinedStr: "f-string",
    ast.FormattedValue: "f-string",
    ast.Tuple: "tuple (a comma outside a function call)",
    ast.List: "list",
    ast.Dict: "dict",
    ast.Set: "set",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}

_OPERATOR_NAMES = {
    ast.FloorDiv: "'//' (use /)",
    ast.Mod: "'%'",
    ast.MatMult: "'@'",
    ast.BitAnd: "bit operator '&'",
    ast.BitOr: "bit operator '|'",
    ast.LShift: "bit operator '<<'",
    ast.RShift: "bit operator '>>'",
    ast.Invert: "bit operator '~'",
    ast.Not: "'not'",
}


def parse_objective(text: str, dim: int) -> Objective:
    """The function of ``x`` (``dim`` 1) or ``x`` and ``y`` (``dim`` 2) that ``text`` spells.

    Args:
        text: an expression such as ``"sin(x)*sin(y)"`` or ``"x^4 - 3*x^2 + x"``; ``^`` and
            ``**`` are both powers; see the module docstring for the grammar and limits.
        dim: 1 or 2.

    Returns:
        An :class:`Objective` named ``"typed"`` with ``evaluate`` (value and exact gradient,
        vectorised over ``(..., dim)``), ``evaluate_hessian`` (``(..., dim, dim)``), ``tex``
        (``f(x, y) = ...``), ``canonical`` (a normalised text that parses to the same
        function) and no known minima (``(0, dim)``; see :func:`find_minima`).

    Raises:
        ValueError: naming the refused piece and its column, or the limit passed.

    >>> f = parse_objective("x^2 + 3*y^2", 2)
    >>> f.canonical, f.tex
    ('x^2 + 3*y^2', 'f(x, y) = x^{2} + 3 y^{2}')
    >>> f.value_and_grad([1.0, 2.0])
    (array(13.), array([ 2., 12.]))
    >>> parse_objective("x + z", 2)
    Traceback (most recent call last):
    ...
    ValueError: unknown name 'z' at column 5 (use x and y)
    """
    if dim not in VARIABLES:
        raise ValueError(f"dim must be 1 or 2, got {dim!r}")
    expr = _Builder(text, dim).build()
    try:
        return _objective(expr, dim)
    except ValueError:
        raise
    except Exception as err:  # SymPy failing on a derivative or in printing: refused, not a crash
        raise ValueError(f"cannot differentiate the function: {type(err).__name__}: {str(err)[:80]}") from None


def _syntax_tree(text: str) -> tuple[ast.expr, list[int]]:
    """Check the text's size and characters, then let Python's parser (which executes nothing)
    read it, with ``^`` as ``**``.

    Returns the tree and, for each offset into the parsed text, the column (from 1) of the
    typed text it came from.
    """
    if not isinstance(text, str):
        raise ValueError(f"a function must be text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ValueError(f"the function is {len(text)} characters long; the limit is {MAX_LENGTH} (MAX_LENGTH)")
    for column, char in enumerate(text, start=1):
        if not " " <= char <= "~":
            name = unicodedata.name(char, "a control character")
            raise ValueError(
                f"character {char!r} (U+{ord(char):04X}, {name}) at column {column} is not allowed: "
                "type plain ASCII letters, digits, spaces and + - * / ^ ( ) , ."
            )
    if not text.strip():
        raise ValueError("the function is empty: type an expression such as x^2 + y^2")
    # Python's ^ is xor, binding looser than +: read it as ** (same precedence as the maths)
    columns, parsed = [], []
    for index, char in enumerate(text):
        for piece in "**" if char == "^" else char:
            parsed.append(piece)
            columns.append(index + 1)
    columns.append(len(text) + 1)
    source = "".join(parsed)
    lead = len(source) - len(source.lstrip())
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. SyntaxWarning for '1is x'
            tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError as err:
        raise ValueError(_syntax_message(text, err, columns[lead:])) from None
    except (RecursionError, MemoryError):
        raise ValueError(f"the function is nested too deeply; the limit is {MAX_DEPTH} levels (MAX_DEPTH)") from None
    return tree, columns[lead:]


def _syntax_message(text: str, err: SyntaxError, columns: list[int]) -> str:
    message = err.msg or "invalid syntax"
    if "too many nested" in message or "too complex" in message:
        return f"the function is nested too deeply; the limit is {MAX_DEPTH} levels (MAX_DEPTH)"
    if not err.offset:  # Python gives no offset for text that stops short, e.g. 'x +'
        return f"syntax error at the end (column {columns[-1]}): {message}"
    column = columns[min(err.offset - 1, len(columns) - 1)]
    hint = " (write a product with *, e.g. 2*x)" if "decimal literal" in message else ""
    return f"syntax error at column {column}: {message}{hint}"


class _Builder:
    """Turns an allowlisted syntax tree into a SymPy expression, refusing everything else.

    Each built piece carries a float "shadow" when it is a constant (no variables): the
    same constant computed with Python floats, so a constant that overflows, divides by
    zero or turns complex is refused where it is typed, before SymPy computes anything.
    """

    def __init__(self, text: str, dim: int):
        import sympy

        self.sp = sympy
        self.text = text
        self.dim = dim
        self.tree, self.columns = _syntax_tree(text)
        self.symbols = {name: _symbol(name) for name in VARIABLES[dim]}
        self.constants = {"pi": (sympy.pi, math.pi), "e": (sympy.E, math.e)}

    def build(self):
        nodes = sum(1 for node in ast.walk(self.tree) if isinstance(node, ast.expr))
        if nodes > MAX_NODES:
            raise ValueError(f"the function has {nodes} parts; the limit is {MAX_NODES} (MAX_NODES)")
        expr, _ = self.node(self.tree, 1)
        return expr

    # -- helpers --------------------------------------------------------------

    def column(self, node: ast.AST) -> int:
        return self.columns[getattr(node, "col_offset", 0)]

    def piece(self, node: ast.AST) -> str:
        """The typed text of ``node`` (shortened past 40 characters)."""
        start = self.column(node) - 1
        end = self.columns[min(getattr(node, "end_col_offset", 0) or 0, len(self.columns) - 1)] - 1
        segment = self.text[start:end] if end > start else type(node).__name__
        return segment if len(segment) <= 40 else segment[:37] + "..."

    def refuse(self, node: ast.AST, what: str) -> ValueError:
        return ValueError(f"{what} is not allowed: {self.piece(node)!r} at column {self.column(node)}")

    def constant_check(self, node: ast.AST, compute: Callable[[], float]) -> float:
        """The shadow float of a constant piece, refusing one that is not a finite real number."""
        try:
            value = compute()
        except (OverflowError, ZeroDivisionError, ValueError):
            value = float("nan")
        if isinstance(value, complex) or not math.isfinite(value):
            raise ValueError(
                f"the constant {self.piece(node)!r} at column {self.column(node)} is not a finite real number"
                " (beyond the floating-point range of about 1.8e308, complex, or undefined)"
            )
        return float(value)

    # -- the allowlist --------------------------------------------------------

    def node(self, node: ast.AST, depth: int):
        """``(sympy expression, shadow float or None)`` of an allowed node."""
        if depth > MAX_DEPTH:
            raise ValueError(
                f"the function is nested too deeply at column {self.column(node)}; "
                f"the limit is {MAX_DEPTH} levels (MAX_DEPTH)"
            )
        try:
            return self.allowed(node, depth)
        except ValueError:
            raise
        except Exception as err:  # SymPy's own evaluation failing (e.g. "Invalid NaN comparison")
            raise ValueError(
                f"cannot build {self.piece(node)!r} at column {self.column(node)}: {type(err).__name__}: {str(err)[:80]}"
            ) from None

    def allowed(self, node: ast.AST, depth: int):
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp):
            return self.unary(node, depth)
        if isinstance(node, ast.BinOp):
            return self.binary(node, depth)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        raise self.refuse(node, _NODE_NAMES.get(type(node), type(node).__name__))

    def number(self, node: ast.Constant):
        value = node.value
        if type(value) is int:
            shadow = self.constant_check(node, lambda: float(value))
            return self.sp.Integer(value), shadow
        if type(value) is float:
            shadow = self.constant_check(node, lambda: value)
            # the shortest decimal that reads back as this float, kept exact: 0.1 is 1/10
            return self.sp.Rational(repr(value)), shadow
        kind = {str: "string", bytes: "bytes", bool: "boolean", complex: "imaginary number"}.get(
            type(value), "constant"
        )
        raise self.refuse(node, kind)

    def name(self, node: ast.Name):
        if node.id in self.symbols:
            return self.symbols[node.id], None
        if node.id in self.constants:
            return self.constants[node.id]
        if node.id in FUNCTIONS:
            raise ValueError(f"{node.id} at column {self.column(node)} is a function: call it, e.g. {node.id}(x)")
        variables = " and ".join(VARIABLES[self.dim])
        raise ValueError(f"unknown name {node.id!r} at column {self.column(node)} (use {variables})")

    def unary(self, node: ast.UnaryOp, depth: int):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            raise self.refuse(node, _OPERATOR_NAMES.get(type(node.op), type(node.op).__name__))
        expr, shadow = self.node(node.operand, depth + 1)
        if isinstance(node.op, ast.UAdd):
            return expr, shadow
        return self.times(self.sp.S.NegativeOne, expr), (None if shadow is None else -shadow)

    # Built unevaluated, so SymPy's automatic simplification never runs on the text: it asks
    # the assumption system questions (is this real? a multiple of pi?) that can take
    # seconds on a short nested function. Only two rational numbers are combined exactly.

    def plus(self, a, b):
        sp = self.sp
        if isinstance(a, sp.Rational) and isinstance(b, sp.Rational):
            return a + b
        return sp.Add(*sp.Add.make_args(a), *sp.Add.make_args(b), evaluate=False)

    def times(self, a, b):
        """``a * b``, flattened, its rational factors combined into one coefficient in front."""
        sp = self.sp
        factors = [*sp.Mul.make_args(a), *sp.Mul.make_args(b)]
        coefficient = sp.S.One
        for factor in factors:
            if isinstance(factor, sp.Rational):
                coefficient *= factor
        others = [factor for factor in factors if not isinstance(factor, sp.Rational)]
        if not others or coefficient == 0:
            return coefficient
        if coefficient == 1:
            return others[0] if len(others) == 1 else sp.Mul(*others, evaluate=False)
        return sp.Mul(coefficient, *others, evaluate=False)

    def raised(self, a, b):
        sp = self.sp
        if isinstance(a, sp.Rational) and isinstance(b, sp.Rational):
            return a**b  # bounded_exact_power checked its size
        return sp.Pow(a, b, evaluate=False)

    def binary(self, node: ast.BinOp, depth: int):
        op = type(node.op)
        if op not in (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow):
            raise self.refuse(node, _OPERATOR_NAMES.get(op, op.__name__))
        if op is ast.Pow:
            return self.power(node, depth)
        # a chain a + b - c + ... (or a * b / c ...) is one level, however long: walk its spine
        same = (ast.Add, ast.Sub) if op in (ast.Add, ast.Sub) else (ast.Mult, ast.Div)
        spine = []
        while isinstance(node, ast.BinOp) and isinstance(node.op, same):
            spine.append(node)
            node = node.left
        expr, shadow = self.node(node, depth + 1)
        for link in reversed(spine):
            right, right_shadow = self.node(link.right, depth + 1)
            expr, shadow = self.combine(link, expr, shadow, right, right_shadow)
        return expr, shadow

    def combine(self, node: ast.BinOp, left, left_shadow, right, right_shadow):
        op = type(node.op)
        constant = left_shadow is not None and right_shadow is not None
        minus_one = self.sp.S.NegativeOne
        if op is ast.Add:
            result = (self.plus(left, right), left_shadow + right_shadow if constant else None)
        elif op is ast.Sub:
            result = (self.plus(left, self.times(minus_one, right)), left_shadow - right_shadow if constant else None)
        elif op is ast.Mult:
            shadow = self.constant_check(node, lambda: left_shadow * right_shadow) if constant else None
            result = (self.times(left, right), shadow)
        else:
            if right_shadow == 0.0 or right == 0:
                raise ValueError(f"division by zero in {self.piece(node)!r} at column {self.column(node)}")
            shadow = self.constant_check(node, lambda: left_shadow / right_shadow) if constant else None
            result = (self.times(left, self.raised(right, minus_one)), shadow)
        if constant:
            self.constant_check(node, lambda: result[1])
        return result

    def power(self, node: ast.BinOp, depth: int):
        base, base_shadow = self.node(node.left, depth + 1)
        exponent, exponent_shadow = self.node(node.right, depth + 1)
        if base_shadow is not None and exponent_shadow is not None:
            self.bounded_exact_power(node, base, exponent)
            self.constant_check(node, lambda: base_shadow**exponent_shadow)
            shadow = base_shadow**exponent_shadow
        else:
            shadow = None
            if base_shadow == 0.0 and exponent_shadow is None:
                raise ValueError(
                    f"0 to a variable power in {self.piece(node)!r} at column {self.column(node)} is not allowed"
                )
        return self.raised(base, exponent), shadow

    def bounded_exact_power(self, node: ast.BinOp, base, exponent) -> None:
        """SymPy computes a rational to a rational power exactly: refuse one whose digits would explode."""
        sp = self.sp
        if not (isinstance(base, sp.Rational) and isinstance(exponent, sp.Rational)):
            return
        if base in (0, 1, -1):
            return
        bits = float(abs(exponent)) * max(math.log2(abs(base.p)), math.log2(base.q))
        if bits > MAX_CONSTANT_BITS:
            raise ValueError(
                f"the constant power {self.piece(node)!r} at column {self.column(node)} is too large to compute "
                f"exactly; the limit is {MAX_CONSTANT_BITS} bits (MAX_CONSTANT_BITS)"
            )

    def call(self, node: ast.Call, depth: int):
        if not isinstance(node.func, ast.Name):
            raise self.refuse(node.func, _NODE_NAMES.get(type(node.func), "calling"))
        name = node.func.id
        if name not in FUNCTIONS:
            if name in self.symbols or name in self.constants:
                raise ValueError(
                    f"{name} at column {self.column(node)} is not a function (write a product with *, e.g. {name}*(...))"
                )
            allowed = ", ".join(FUNCTIONS)
            raise ValueError(f"unknown function {name!r} at column {self.column(node)} (allowed: {allowed})")
        if node.keywords:
            raise self.refuse(node.keywords[0], "keyword argument")
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.refuse(arg, "starred argument")
        arity = FUNCTIONS[name]
        if len(node.args) != arity:
            plural = "argument" if arity == 1 else "arguments"
            raise ValueError(
                f"{name} takes {arity} {plural}, got {len(node.args)} in {self.piece(node)!r} at column {self.column(node)}"
            )
        built = [self.node(arg, depth + 1) for arg in node.args]
        args = [expr for expr, _ in built]
        shadows = [shadow for _, shadow in built]
        expr = _sympy_function(self.sp, name)(*args, evaluate=False)
        if all(shadow is not None for shadow in shadows):
            return expr, self.constant_check(node, lambda: _MATH[name](*shadows))
        return expr, None


def _symbol(name: str):
    import sympy

    return sympy.Symbol(name, real=True)


def _sympy_function(sp, name: str):
    return {"abs": sp.Abs, "ln": sp.log}.get(name) or getattr(sp, name)


_MATH: dict[str, Callable[..., float]] = {
    "sin": math.sin, "cos": math.cos, "tan": math.tan,
    "cot": lambda t: 1.0 / math.tan(t), "sec": lambda t: 1.0 / math.cos(t), "csc": lambda t: 1.0 / math.sin(t),
    "asin": math.asin, "acos": math.acos, "atan": math.atan, "atan2": math.atan2,
    "sinh": math.sinh, "cosh": math.cosh, "tanh": math.tanh,
    "asinh": math.asinh, "acosh": math.acosh, "atanh": math.atanh,
    "exp": math.exp, "log": math.log, "ln": math.log, "sqrt": math.sqrt, "abs": abs,
}  # fmt: skip


# -- from an expression to an Objective -----------------------------------------


def _objective(expr, dim: int) -> Objective:
    import sympy as sp

    variables = [_symbol(name) for name in VARIABLES[dim]]
    _check_real(expr, "the function")
    budget = _Budget()
    gradient = [_derivative(expr, v, budget) for v in variables]
    _check_real_all(gradient, "its gradient")
    hessian = [[_derivative(g, v, budget) for v in variables] for g in gradient]
    _check_size([expr, *gradient, *(h for row in hessian for h in row)])
    canonical = _canonical(expr)
    value_and_grad = _lambdify(sp, variables, [expr, *gradient])
    second = _lambdify(sp, variables, [h for row in hessian for h in row])

    def evaluate(p: Array) -> tuple[Array, Array]:
        shape = p.shape[:-1]
        with np.errstate(all="ignore"):
            value, *slopes = value_and_grad(*_columns(p, dim))
            grad = np.empty(p.shape)
            for i, slope in enumerate(slopes):
                grad[..., i] = slope
            return _filled(value, shape), grad

    def evaluate_hessian(p: Array) -> Array:
        with np.errstate(all="ignore"):
            entries = second(*_columns(p, dim))
            out = np.empty(p.shape + (dim,))
            for k, entry in enumerate(entries):
                out[..., k // dim, k % dim] = entry
            return out

    variables_text = ", ".join(VARIABLES[dim])
    return Objective(
        name="typed",
        dim=dim,
        tex=f"f({variables_text}) = {_tex(expr)}",
        evaluate=evaluate,
        minima=np.empty((0, dim)),
        global_minima=np.empty((0, dim)),
        canonical=canonical,
        evaluate_hessian=evaluate_hessian,
    )


def _columns(p: Array, dim: int) -> list[Array]:
    # contiguous columns: numpy's SIMD loops (sin, exp, ...) run only on contiguous input
    columns = [p[..., i] for i in range(dim)]
    return columns if p.ndim == 1 else [np.ascontiguousarray(column) for column in columns]


def _filled(value, shape) -> Array:
    value = np.asarray(value, dtype=float)
    return value if value.shape == shape else np.full(shape, value)


def _dag(exprs) -> set:
    """Every distinct subexpression of ``exprs`` (each shared piece once)."""
    seen: set = set()
    stack = list(exprs)
    while stack:
        e = stack.pop()
        if e not in seen:
            seen.add(e)
            stack.extend(e.args)
    return seen


def _check_size(exprs) -> None:
    size = len(_dag(exprs))
    if size > MAX_DERIVATIVE_SIZE:
        raise ValueError(
            f"the function's derivatives have {size} distinct parts; "
            f"the limit is {MAX_DERIVATIVE_SIZE} (MAX_DERIVATIVE_SIZE)"
        )


_ALLOWED_FUNCTIONS = (
    "sin", "cos", "tan", "cot", "sec", "csc", "asin", "acos", "atan", "atan2",
    "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "exp", "log", "Abs", "sign",
)  # fmt: skip


def _check_real_all(exprs, what: str) -> None:
    for e in exprs:
        _check_real(e, what)


def _check_real(expr, what: str) -> None:
    """Refuse an expression that is complex for real inputs, infinite, or holds a piece numpy cannot print."""
    import sympy as sp

    for e in _dag([expr]):
        if e is sp.I or e in (sp.zoo, sp.oo, -sp.oo, sp.nan):
            reason = "is complex for real inputs" if e is sp.I else "is not finite"
            raise ValueError(f"{what} {reason}: {_canonical(expr)[:60]}")
        if e.is_Function and type(e).__name__ not in _ALLOWED_FUNCTIONS:
            raise ValueError(f"{what} needs {type(e).__name__}, which is not supported")


class _Budget:
    """The derivative work left: each term the chain rule is about to build is charged
    before it is built, so a product of many factors (whose Hessian has k^3 of them) is
    refused before the work, not after."""

    def __init__(self):
        self.left = MAX_DERIVATIVE_SIZE

    def charge(self, amount: int) -> None:
        self.left -= amount
        if self.left < 0:
            raise ValueError(
                f"the function's derivatives are too large: more than {MAX_DERIVATIVE_SIZE} terms (MAX_DERIVATIVE_SIZE)"
            )


def _derivative(expr, v, budget: _Budget):
    """d expr / d v by the chain rule, memoised over shared subexpressions.

    Built unevaluated (no SymPy simplification, only zeros and ones dropped): SymPy's own
    ``diff`` revisits shared pieces, and its automatic evaluation asks questions of the
    assumption system (is this real? zero? infinite?) whose cost on nested functions can
    reach seconds for a 70-character function.
    """
    import sympy as sp

    zero, one = sp.S.Zero, sp.S.One
    memo: dict = {}
    depends: dict = {}

    def has_v(e) -> bool:
        if e not in depends:
            depends[e] = e == v or any(has_v(a) for a in e.args)
        return depends[e]

    def add(*terms):
        terms = [t for t in terms if t is not zero]
        return zero if not terms else terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)

    def mul(*factors):
        if any(f is zero for f in factors):
            return zero
        factors = [f for f in factors if f is not one]
        return one if not factors else factors[0] if len(factors) == 1 else sp.Mul(*factors, evaluate=False)

    def power(base, exponent):
        return base if exponent is one else sp.Pow(base, exponent, evaluate=False)

    def call(name, *args):
        return getattr(sp, name)(*args, evaluate=False)

    def minus(t):
        return mul(sp.S.NegativeOne, t)

    half = sp.Rational(1, 2)
    slopes = {  # d f(u) / du, with f = e and u = e.args[0]
        "sin": lambda e, u: call("cos", u),
        "cos": lambda e, u: minus(call("sin", u)),
        "tan": lambda e, u: add(one, power(e, 2)),
        "cot": lambda e, u: minus(add(one, power(e, 2))),
        "sec": lambda e, u: mul(e, call("tan", u)),
        "csc": lambda e, u: minus(mul(e, call("cot", u))),
        "asin": lambda e, u: power(add(one, minus(power(u, 2))), -half),
        "acos": lambda e, u: minus(power(add(one, minus(power(u, 2))), -half)),
        "atan": lambda e, u: power(add(one, power(u, 2)), -one),
        "sinh": lambda e, u: call("cosh", u),
        "cosh": lambda e, u: call("sinh", u),
        "tanh": lambda e, u: add(one, minus(power(e, 2))),
        "asinh": lambda e, u: power(add(power(u, 2), one), -half),
        "acosh": lambda e, u: mul(power(add(u, -one), -half), power(add(u, one), -half)),
        "atanh": lambda e, u: power(add(one, minus(power(u, 2))), -one),
        "exp": lambda e, u: e,
        "log": lambda e, u: power(u, -one),
        "Abs": lambda e, u: call("sign", u),
    }

    def negative_constant(base) -> bool:
        try:
            return float(base) < 0
        except (TypeError, ValueError, OverflowError):
            return True

    def d(e):
        if e in memo:
            return memo[e]
        budget.charge(len(e.args) * (len(e.args) if e.is_Mul else 1) + 1)
        if not has_v(e):
            out = zero
        elif e == v:
            out = one
        elif e.is_Add:
            out = add(*[d(a) for a in e.args])
        elif e.is_Mul:
            args = e.args
            out = add(*[mul(*args[:i], d(a), *args[i + 1 :]) for i, a in enumerate(args) if has_v(a)])
        elif e.is_Pow:
            base, exponent = e.args
            if not has_v(exponent):
                lower = exponent - 1 if exponent.is_Number else add(exponent, -one)
                out = mul(exponent, power(base, lower), d(base))
            elif not has_v(base):
                if not base.free_symbols and negative_constant(base):
                    raise ValueError(
                        f"the function is complex for real inputs: {_canonical(e)[:60]} "
                        "(a negative number to a power that varies)"
                    )
                out = mul(e, d(exponent)) if base is sp.E else mul(e, call("log", base), d(exponent))
            else:
                out = mul(e, add(mul(d(exponent), call("log", base)), mul(exponent, d(base), power(base, -one))))
        elif isinstance(e, sp.sign):
            out = zero  # abs has a kink: its second derivative is 0 away from it
        elif isinstance(e, sp.atan2):
            a, b = e.args
            scale = power(add(power(a, 2), power(b, 2)), -one)
            out = add(mul(b, scale, d(a)), minus(mul(a, scale, d(b))))
        elif e.is_Function and type(e).__name__ in slopes:
            out = mul(slopes[type(e).__name__](e, e.args[0]), d(e.args[0]))
        else:
            raise ValueError(f"cannot differentiate {type(e).__name__}")
        memo[e] = out
        return out

    return d(expr)


def _lambdify(sp, variables, exprs) -> Callable:
    # numbers beyond int64 would make numpy raise on a Python int: use floats for those
    exprs = [_big_numbers_as_floats(sp, e) for e in exprs]
    printer = _flat_printer()({"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": False})
    # docstring_limit=-1: no docstring (printing every expression for it costs more than the code)
    return sp.lambdify(
        variables, exprs, modules="numpy", printer=printer, cse=_graph_cse, use_imps=False, docstring_limit=-1
    )


def _flat_printer():
    """SymPy's numpy printer, with sums, products and powers printed directly: after
    :func:`_graph_cse` their arguments are names and numbers, and SymPy's general
    ``_print_Mul`` (ordering factors, finding fractions) is most of the printing time."""
    from sympy.printing.numpy import NumPyPrinter

    class FlatPrinter(NumPyPrinter):
        def _print_Add(self, expr, order=None):
            return " + ".join(f"({self._print(a)})" for a in expr.args)

        def _print_Mul(self, expr):
            return "*".join(f"({self._print(a)})" for a in expr.args)

        def _print_Pow(self, expr, rational=False):
            base, exponent = (f"({self._print(a)})" for a in expr.args)
            if expr.exp.is_Rational and (expr.exp.p, expr.exp.q) == (1, 2):
                return f"numpy.sqrt({base})"
            if expr.exp == -1:
                return f"(1/{base})"
            return f"({base}**{exponent})"

    return FlatPrinter


def _graph_cse(exprs):
    """Common-subexpression elimination for :func:`sympy.lambdify`: every distinct compound
    piece of the expression graph is computed once, into its own variable.

    SymPy's own ``cse`` rebuilds and re-canonicalises every product, which takes most of a
    second on a long derivative; this is linear in the graph's size, and since no line
    nests, Python's parser never sees deep parentheses.
    """
    import sympy as sp

    names = sp.numbered_symbols("_t", real=True)
    replacements: list = []
    memo: dict = {}

    def walk(root):
        stack = [(root, False)]
        while stack:
            e, ready = stack.pop()
            if e in memo:
                continue
            if e.is_Atom:
                memo[e] = e
            elif not ready:
                stack.append((e, True))
                stack.extend((a, False) for a in e.args if a not in memo)
            else:
                args = [memo[a] for a in e.args]
                name = next(names)
                replacements.append((name, e.func(*args, evaluate=False)))
                memo[e] = name
        return memo[root]

    return replacements, [walk(e) for e in exprs]


def _big_numbers_as_floats(sp, expr):
    memo: dict = {}

    def walk(e):
        if e in memo:
            return memo[e]
        if isinstance(e, sp.Rational) and (abs(e.p) > 2**53 or e.q > 2**53):
            out = sp.Float(float(e))
        elif e.args:
            args = [walk(a) for a in e.args]
            out = e.func(*args, evaluate=False) if any(a is not b for a, b in zip(args, e.args)) else e
        else:
            out = e
        memo[e] = out
        return out

    return walk(expr)


_TEX_NAMES = {
    "sin": r"\sin", "cos": r"\cos", "tan": r"\tan", "cot": r"\cot", "sec": r"\sec", "csc": r"\csc",
    "asin": r"\arcsin", "acos": r"\arccos", "atan": r"\arctan", "atan2": r"\operatorname{atan2}",
    "sinh": r"\sinh", "cosh": r"\cosh", "tanh": r"\tanh", "asinh": r"\operatorname{arsinh}",
    "acosh": r"\operatorname{arcosh}", "atanh": r"\operatorname{artanh}", "log": r"\log",
}  # fmt: skip


def _tex(e) -> str:
    """LaTeX of a parsed expression (its nodes only: numbers, x, y, pi, e, + * ^ and the
    listed functions). Written here because SymPy's ``latex`` may call ``simplify`` on a
    product's exponents, whose cost has no bound."""
    import sympy as sp

    def group(inner) -> str:
        return rf"\left({_tex(inner)}\right)"

    if e is sp.pi:
        return r"\pi"
    if e is sp.E:
        return "e"
    if e.is_Symbol:
        return e.name
    if e.is_Integer:
        return str(e.p)
    if e.is_Rational:
        sign = "-" if e.p < 0 else ""
        return rf"{sign}\frac{{{abs(e.p)}}}{{{e.q}}}"
    if e.is_Float:
        return sp.latex(e)
    if e.is_Add:
        terms = e.args  # in the order typed
        out = _tex(terms[0])
        for term in terms[1:]:
            coefficient, _ = term.as_coeff_Mul()
            out += f" - {_tex_factor(_negated(term))}" if coefficient.is_negative else f" + {_tex(term)}"
        return out
    if e.is_Mul:
        coefficient, rest = e.as_coeff_Mul()
        if coefficient.is_negative:
            return "-" + _tex_factor(_negated(e))
        numerator, denominator = [], []
        if coefficient != 1:
            if coefficient.p != 1:
                numerator.append(sp.Integer(coefficient.p))
            if coefficient.q != 1:
                denominator.append(sp.Integer(coefficient.q))
        for factor in sp.Mul.make_args(rest):
            if factor.is_Pow and factor.exp.is_Number and factor.exp.is_negative:
                denominator.append(factor.base if factor.exp == -1 else sp.Pow(factor.base, -factor.exp))
            else:
                numerator.append(factor)
        top = _tex_product(numerator) if numerator else "1"
        if not denominator:
            return top
        return rf"\frac{{{top}}}{{{_tex_product(denominator)}}}"
    if e.is_Pow:
        base, exponent = e.args
        if exponent == sp.Rational(1, 2):
            return rf"\sqrt{{{_tex(base)}}}"
        if exponent.is_Rational and exponent.p == 1 and exponent.q > 1:
            return rf"\sqrt[{exponent.q}]{{{_tex(base)}}}"
        if exponent.is_Number and exponent.is_negative:
            below = base if exponent == -1 else sp.Pow(base, -exponent, evaluate=False)  # 1/b, not 1/b^1
            return rf"\frac{{1}}{{{_tex(below)}}}"
        simple = base.is_Symbol or base is sp.pi or base is sp.E or (base.is_Integer and base >= 0)
        return f"{_tex(base) if simple else group(base)}^{{{_tex(exponent)}}}"
    if isinstance(e, sp.exp):
        return f"e^{{{_tex(e.args[0])}}}"
    if isinstance(e, sp.Abs):
        return rf"\left|{_tex(e.args[0])}\right|"
    name = _TEX_NAMES.get(type(e).__name__, rf"\operatorname{{{type(e).__name__}}}")
    return name + "{" + r"\left(" + ", ".join(_tex(a) for a in e.args) + r"\right)}"


def _negated(e):
    """``-e`` for a product with a negative coefficient, without SymPy evaluating anything."""
    import sympy as sp

    if e.is_Number:
        return -e
    coefficient, rest = e.as_coeff_Mul()
    if coefficient == -1:
        return rest
    return sp.Mul(-coefficient, *sp.Mul.make_args(rest), evaluate=False)


def _tex_factor(e) -> str:
    import sympy as sp

    return rf"\left({_tex(e)}\right)" if isinstance(e, sp.Add) else _tex(e)


def _tex_product(factors) -> str:
    """Factors side by side; a number after another factor gets a \\cdot."""
    if len(factors) == 1:
        return _tex(factors[0])
    out = []
    for factor in factors:
        text = _tex_factor(factor)
        if out and (factor.is_Number or text[0].isdigit()):
            out.append(r"\cdot " + text)
        else:
            out.append(text)
    return " ".join(out)


def _canonical(expr) -> str:
    """A normalised text of the expression that this module parses back to the same function."""
    import sympy as sp

    text = sp.sstr(expr, order="none")
    return text.replace("**", "^").replace("Abs(", "abs(").replace("E", "e")


# -- minima found in a box ------------------------------------------------------

#: Starts per axis of the grid :func:`find_minima` descends from (1-D and 2-D).
MINIMA_GRID = {1: 512, 2: 64}


@dataclass(frozen=True)
class FoundMinima:
    """The minima of a function inside a box.

    Attributes:
        points: ``(k, dim)``, sorted by coordinates.
        values: ``(k,)``, the function there.
        is_global: ``(k,)`` bool, the lowest value found (within a relative 1e-8).
    """

    points: Array
    values: Array
    is_global: Array

    @property
    def global_points(self) -> Array:
        """The global minima, ``(g, dim)``."""
        return self.points[self.is_global]

    def attach(self, objective: Objective) -> Objective:
        """``objective`` with these as its ``minima`` and ``global_minima`` (for the verdicts of
        :mod:`gdmath.basins`)."""
        return replace(objective, minima=self.points, global_minima=self.global_points)


def find_minima(objective: Objective, low, high, per_axis: int | None = None) -> FoundMinima:
    """The minima of ``objective`` inside the box ``[low, high]``, found by descending a grid.

    Every point of a ``per_axis``-per-axis grid of starts descends (gradient steps with a
    per-point backtracking line search, then damped Newton steps with the Hessian). An end
    is kept as a minimum if it lies inside the box, its gradient vanishes (1e-6 of the
    typical slope at the starts) and its Hessian is positive definite, or, where the
    Hessian is only semidefinite (``x^4``), the function is strictly higher at 16 points
    all round at 1e-3 of the box's diagonal (so a flat valley of minima is not reported).
    A kink where the line search stalls (``abs(x)`` at 0) is kept by that second test.
    Ends closer than 1e-4 of the box's diagonal are merged. A parsed objective's Hessian is exact; a hand-written one's is
    central differences of its analytic gradient.

    Args:
        objective: the function, ``dim`` 1 or 2.
        low, high: ``(dim,)`` the box's corners, finite, ``low < high``.
        per_axis: starts per axis (default ``MINIMA_GRID[dim]``).

    Returns:
        A :class:`FoundMinima`; ``points`` has shape ``(0, dim)`` if none was found.

    >>> found = find_minima(parse_objective("(x^2 - 1)^2 + y^2", 2), [-2, -2], [2, 2])
    >>> found.points.round(9) + 0.0, found.is_global
    (array([[-1.,  0.],
           [ 1.,  0.]]), array([ True,  True]))
    """
    dim = objective.dim
    low = finite(as_points(low, dim, "low"), "low").reshape(dim)
    high = finite(as_points(high, dim, "high"), "high").reshape(dim)
    if not (low < high).all():
        raise ValueError(f"low must be below high on every axis, got low {low} and high {high}")
    per_axis = MINIMA_GRID[dim] if per_axis is None else int(per_axis)
    if per_axis < 2:
        raise ValueError(f"per_axis must be >= 2, got {per_axis}")
    hessian = _hessian_of(objective)
    diagonal = float(np.linalg.norm(high - low))

    with np.errstate(all="ignore"):
        axes = [np.linspace(low[i], high[i], per_axis) for i in range(dim)]
        starts = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, dim)
        tolerance = _gradient_tolerance(objective, starts, diagonal)
        ends, stalled = _descend_to_rest(objective, hessian, starts, diagonal, tolerance)
        value, grad = objective.evaluate(ends)
        flat = np.linalg.norm(grad, axis=-1) <= tolerance
        inside = np.isfinite(value) & (ends >= low).all(-1) & (ends <= high).all(-1)
        keep = inside & (flat | stalled)
        ends, value, flat = ends[keep], value[keep], flat[keep]
        ends, value, flat = _merge(ends, value, flat, 1e-4 * diagonal)
        minimum = _is_minimum(objective, hessian, ends, value, flat, 1e-3 * diagonal)
        ends, value = ends[minimum], value[minimum]
    order = np.lexsort(ends.T[::-1]) if len(ends) else np.arange(0)
    ends, value = ends[order], value[order]
    lowest = value.min() if len(value) else 0.0
    is_global = value <= lowest + 1e-8 * (1.0 + abs(lowest))
    return FoundMinima(points=ends, values=value, is_global=is_global)


def _hessian_of(objective: Objective) -> Callable[[Array], Array]:
    if objective.evaluate_hessian is not None:
        return objective.evaluate_hessian

    def central_differences(p: Array) -> Array:
        dim = objective.dim
        out = np.empty(p.shape + (dim,))
        for i in range(dim):
            step = np.zeros(dim)
            h = 1e-5 * (1.0 + np.abs(p[..., i]))
            step[i] = 1.0
            forward = objective.evaluate(p + h[..., None] * step)[1]
            backward = objective.evaluate(p - h[..., None] * step)[1]
            out[..., i, :] = (forward - backward) / (2.0 * h[..., None])
        return 0.5 * (out + np.swapaxes(out, -1, -2))

    return central_differences


def _gradient_tolerance(objective: Objective, starts: Array, diagonal: float) -> float:
    """A gradient this small counts as vanishing: 1e-6 of the typical slope at the starts."""
    value, grad = objective.evaluate(starts)
    slopes = np.linalg.norm(grad, axis=-1)
    slopes = slopes[np.isfinite(slopes)]
    values = np.abs(value[np.isfinite(value)])
    typical = float(np.median(slopes)) if slopes.size else 1.0
    level = float(values.max()) if values.size else 1.0
    return 1e-6 * typical + 1e-12 * (1.0 + level) / diagonal


def _descend_to_rest(objective: Objective, hessian, starts: Array, diagonal: float, tolerance: float):
    """Backtracking gradient descent, then damped Newton steps, each point until it rests.

    Returns the ends ``(n, dim)`` (nan for a start where the function is not finite) and
    ``(n,)`` bool, the points whose line search stalled with a gradient that does not
    vanish (a kink, like ``abs(x)`` at 0, or a ridge).
    """
    p = starts.copy()
    value, grad = objective.evaluate(p)
    alive = np.isfinite(value) & np.isfinite(grad).all(-1)
    slopes = np.linalg.norm(grad, axis=-1)
    # per-point step lengths; the first move is 1% of the box's diagonal
    t = 0.01 * diagonal / np.where(slopes > 0, slopes, 1.0)
    moving = alive & (slopes > tolerance)
    for _ in range(300):
        active = np.flatnonzero(moving)
        if active.size == 0:
            break
        pa, va, ga, ta = p[active], value[active], grad[active], t[active]
        trial = pa - ta[:, None] * ga
        new_value, new_grad = objective.evaluate(trial)
        better = np.isfinite(new_value) & np.isfinite(new_grad).all(-1)
        better &= new_value <= va - 1e-4 * ta * np.sum(ga * ga, axis=-1)
        took = active[better]
        p[took], value[took], grad[took] = trial[better], new_value[better], new_grad[better]
        t[active] = np.where(better, ta * 2.0, ta * 0.5)
        resting = np.linalg.norm(grad[active], axis=-1) <= tolerance
        stuck = t[active] * np.linalg.norm(grad[active], axis=-1) < 1e-15 * diagonal
        moving[active[resting | stuck]] = False
    stalled = alive & (np.linalg.norm(grad, axis=-1) > tolerance) & (t * slopes.clip(1e-300) < 1e-10 * diagonal)
    for _ in range(60):
        active = np.flatnonzero(alive & ~stalled)
        if active.size == 0:
            break
        h = hessian(p[active])
        w, vectors = np.linalg.eigh(np.where(np.isfinite(h), h, 0.0))
        positive = (w > 0).all(-1)
        ga = grad[active]
        along = np.einsum("nij,ni->nj", vectors, ga) / np.where(w > 0, w, 1.0)
        trial = p[active] - np.where(positive[:, None], np.einsum("nij,nj->ni", vectors, along), 0.0)
        new_value, new_grad = objective.evaluate(trial)
        va = value[active]
        better = positive & np.isfinite(new_value) & np.isfinite(new_grad).all(-1)
        better &= new_value <= va + 1e-12 * np.abs(va)
        better &= np.linalg.norm(new_grad, axis=-1) < np.linalg.norm(ga, axis=-1)
        if not better.any():
            break
        took = active[better]
        p[took], value[took], grad[took] = trial[better], new_value[better], new_grad[better]
    _compass_search(objective, p, value, np.flatnonzero(stalled & alive), diagonal)
    return np.where(alive[:, None], p, np.nan), stalled & alive


def _compass_search(objective: Objective, p: Array, value: Array, rows: Array, diagonal: float) -> None:
    """Move the points ``rows`` of ``p`` (in place) by steps along the axes that lower f,
    halving a point's step when none does: a kink's minimum has no gradient to follow."""
    if rows.size == 0:
        return
    dim = p.shape[-1]
    moves = np.concatenate([np.eye(dim), -np.eye(dim)])  # (2 dim, dim)
    step = np.full(rows.size, 1e-3 * diagonal)
    for _ in range(200):
        trial = p[rows, None, :] + step[:, None, None] * moves  # (r, 2 dim, dim)
        around = objective.evaluate(trial)[0]
        around = np.where(np.isfinite(around), around, np.inf)
        best = np.argmin(around, axis=1)
        lower = around[np.arange(rows.size), best] < value[rows]
        p[rows[lower]] = trial[np.flatnonzero(lower), best[lower]]
        value[rows[lower]] = around[np.flatnonzero(lower), best[lower]]
        step = np.where(lower, step, step * 0.5)
        if (step < 1e-13 * diagonal).all():
            break


def _merge(points: Array, values: Array, flat: Array, radius: float):
    """One point per cluster of ends closer than ``radius`` (the lowest of each)."""
    kept: list[int] = []
    for i in np.argsort(values, kind="stable"):
        if not kept or np.linalg.norm(points[kept] - points[i], axis=-1).min() > radius:
            kept.append(int(i))
    index = np.array(kept, dtype=int)
    return points[index].reshape(-1, points.shape[-1]), values[index], flat[index]


def _is_minimum(objective: Objective, hessian, points: Array, values: Array, flat: Array, radius: float) -> Array:
    """Flat with a positive definite Hessian, or strictly higher all round where the Hessian
    is only semidefinite or the point is a kink (not flat): ``(k,)`` bool."""
    if len(points) == 0:
        return np.zeros(0, dtype=bool)
    w = np.linalg.eigvalsh(hessian(points))
    scale = np.abs(w).max(-1)
    definite = (w.min(-1) > 1e-10 * scale) & (scale > 0)
    semidefinite = w.min(-1) >= -1e-8 * np.maximum(scale, 1e-300)
    dim = points.shape[-1]
    angles = np.linspace(0.0, 2.0 * np.pi, 16, endpoint=False)
    directions = np.array([[1.0], [-1.0]]) if dim == 1 else np.stack([np.cos(angles), np.sin(angles)], axis=-1)
    around = objective.evaluate(points[:, None, :] + radius * directions)[0]
    higher = (around > values[:, None] + 1e-12 * (1.0 + np.abs(values[:, None]))).all(-1)
    return (flat & definite) | (flat & semidefinite & higher) | (~flat & higher)
