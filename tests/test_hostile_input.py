"""Hostile typed functions: every one refused with a ValueError that names the piece or the
limit, nothing executed, nothing exhausted (gdmath.typed; no manim)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gdmath import parse_objective, typed

ROOT = Path(__file__).resolve().parent.parent

# -- each rejection class, with its message ---------------------------------------

REJECTIONS = [
    ("x + z", 2, "unknown name 'z' at column 5 (use x and y)"),
    ("x + y", 1, "unknown name 'y' at column 5 (use x)"),
    ("X^2", 2, "unknown name 'X' at column 1"),
    ("foo(x)", 2, "unknown function 'foo' at column 1 (allowed: sin, cos"),
    ("__import__('os')", 2, "unknown function '__import__' at column 1"),
    ("x.real", 2, "attribute access is not allowed: 'x.real' at column 1"),
    ("sin(x).__class__", 2, "attribute access is not allowed"),
    ("x[0]", 2, "subscript is not allowed: 'x[0]' at column 1"),
    ("'x'", 2, "string is not allowed: \"'x'\" at column 1"),
    ("b'x'", 2, "bytes is not allowed"),
    ("f'{x}'", 2, "f-string is not allowed"),
    ("lambda: x", 2, "lambda is not allowed"),
    ("[x for x in y]", 2, "comprehension is not allowed"),
    ("sin(*x)", 2, "starred argument is not allowed: '*x' at column 5"),
    ("sin(x=1)", 2, "keyword argument is not allowed: 'x=1' at column 5"),
    ("x < y", 2, "comparison is not allowed: 'x < y' at column 1"),
    ("x if y else 1", 2, "conditional (if/else) is not allowed"),
    ("x and y", 2, "'and'/'or' is not allowed"),
    ("x & y", 2, "bit operator '&' is not allowed"),
    ("x | y", 2, "bit operator '|' is not allowed"),
    ("x << 2", 2, "bit operator '<<' is not allowed"),
    ("~x", 2, "bit operator '~' is not allowed"),
    ("x % 2", 2, "'%' is not allowed"),
    ("x // 2", 2, "'//' (use /) is not allowed"),
    ("x @ y", 2, "'@' is not allowed"),
    ("not x", 2, "'not' is not allowed"),
    ("(x := 1)", 2, "assignment ':=' is not allowed"),
    ("(x, y)", 2, "tuple (a comma outside a function call) is not allowed"),
    ("{x: y}", 2, "dict is not allowed"),
    ("1j*x", 2, "imaginary number is not allowed: '1j' at column 1"),
    ("True*x", 2, "boolean is not allowed"),
    ("sin(x, y)", 2, "sin takes 1 argument, got 2 in 'sin(x, y)' at column 1"),
    ("atan2(x)", 2, "atan2 takes 2 arguments, got 1"),
    ("sqrt()", 2, "sqrt takes 1 argument, got 0"),
    ("x(y)", 2, "x at column 1 is not a function"),
    ("sin", 2, "sin at column 1 is a function: call it"),
    ("sin(x)(y)", 2, "is not allowed: 'sin(x)' at column 1"),
    ("2x", 2, "syntax error at column 1: invalid decimal literal (write a product with *, e.g. 2*x)"),
    ("x +", 2, "syntax error at the end"),
    ("x y", 2, "syntax error at column 3"),
    ("", 2, "the function is empty"),
    ("   ", 2, "the function is empty"),
    ("ｓｉｎ(x)", 2, "character 'ｓ' (U+FF53, FULLWIDTH LATIN SMALL LETTER S) at column 1 is not allowed"),
    ("x\t+ y", 2, "character '\\t' (U+0009, a control character) at column 2 is not allowed"),
    ("1/0 + x", 2, "division by zero in '1/0' at column 1"),
    ("log(-1)*x", 2, "the constant 'log(-1)' at column 1 is not a finite real number"),
    ("sqrt(-2) + x", 2, "the constant 'sqrt(-2)' at column 1 is not a finite real number"),
    ("asin(2) + x", 2, "the constant 'asin(2)'"),
    ("exp(1000) * x", 2, "the constant 'exp(1000)'"),
    ("1e999 * x", 2, "the constant '1e999' at column 1"),
    ("(-8)^(1/3) * x", 2, "the constant '(-8)^(1/3)'"),
    ("(-1)^x", 1, "the function is complex for real inputs: (-1)^x (a negative number to a power that varies)"),
    ("(1 - pi)^(x*y)", 2, "the function is complex for real inputs"),
    ("dim", 3, "dim must be 1 or 2, got 3"),
]


@pytest.mark.parametrize("text, dim, message", REJECTIONS)
def test_each_rejection_names_the_piece_and_its_column(text, dim, message):
    with pytest.raises(ValueError) as raised:
        parse_objective(text, dim)
    assert message in str(raised.value)


def test_caret_is_power_with_the_precedence_of_powers():
    f = parse_objective("x^2 + 3*y^2", 2)
    assert f.value([2.0, 1.0]) == 7.0  # Python's xor would read x ^ (2 + 3*y) ^ 2
    assert parse_objective("2^3^2", 1).value([0.0]) == 512.0  # right-associative, like **
    assert parse_objective("-x^2", 1).value([3.0]) == -9.0


# -- each limit, named in its error ------------------------------------------------


def test_limits_are_named_in_their_errors():
    with pytest.raises(ValueError, match=rf"limit is {typed.MAX_LENGTH} \(MAX_LENGTH\)"):
        parse_objective("x" + "+x" * typed.MAX_LENGTH, 2)
    with pytest.raises(ValueError, match=rf"limit is {typed.MAX_NODES} \(MAX_NODES\)"):
        parse_objective("x" + "+x" * 150, 2)
    with pytest.raises(ValueError, match=rf"limit is {typed.MAX_DEPTH} levels \(MAX_DEPTH\)"):
        parse_objective("sin(" * 40 + "x" + ")" * 40, 2)
    with pytest.raises(ValueError, match=rf"limit is {typed.MAX_DEPTH} levels \(MAX_DEPTH\)"):
        parse_objective("(" * 240 + "x" + ")" * 240, 2)  # Python's own parser gives up first
    with pytest.raises(ValueError, match=rf"limit is {typed.MAX_CONSTANT_BITS} bits \(MAX_CONSTANT_BITS\)"):
        parse_objective("9^9^9 * x", 2)
    with pytest.raises(ValueError, match=rf"more than {typed.MAX_DERIVATIVE_SIZE} terms \(MAX_DERIVATIVE_SIZE\)"):
        parse_objective("*".join(f"sin({i}*x + y)" for i in range(1, 16)), 2)


@pytest.mark.parametrize(
    "text", ["(" * 10_000 + "x" + ")" * 10_000, "-" * 100_000 + "x", "sin(" * 5_000 + "x" + ")" * 5_000]
)
def test_python_parser_overflow_is_caught_even_past_the_length_limit(monkeypatch, text):
    # with the length limit lifted, Python's own parser overflows (SyntaxError, RecursionError
    # or MemoryError): still a ValueError naming the depth limit, or the part count
    monkeypatch.setattr(typed, "MAX_LENGTH", 10**6)
    with pytest.raises(ValueError, match="MAX_DEPTH|MAX_NODES"):
        parse_objective(text, 2)


def test_inside_the_limits_is_accepted():
    parse_objective("x" + "+x" * 99, 2)  # a long sum is one level deep
    parse_objective("sin(" * 25 + "x" + ")" * 25, 2)
    parse_objective("9^9 * x + 2^1000 * y / 2^1000 + 0.5^4000", 2)
    parse_objective(" " * 20 + "x^2" + " " * 20, 1)
    parse_objective("(" * 150 + "x" + ")" * 150, 2)  # parentheses alone nest nothing


# -- crafted attacks, in a separate process, with a canary -------------------------

ATTACKS = [
    "__import__('os').system('touch {canary}')",
    '__import__("os").system("touch {canary}")',
    "eval(\"__import__('os').system('touch {canary}')\")",
    "exec('import os; os.system(\"touch {canary}\")')",
    "open('{canary}', 'w')",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__.__mro__",
    "sin.__globals__['__builtins__']",
    "(lambda: __import__('os').system('touch {canary}'))()",
    "[c for c in ().__class__.__base__.__subclasses__()]",
    "getattr(x, '__class__')",
    "globals()",
    "__builtins__",
    "breakpoint()",
    "compile('1', 'a', 'eval')",
    "x if __import__('os').system('touch {canary}') else y",
    "sin(**{{'x': 1}})",
    "x; __import__('os').system('touch {canary}')",
    "import os",
    "x[::-1]",
    'f\'{{__import__("os").system("touch {canary}")}}\'',
    "await x",
    "(yield x)",
    "9**9**9**9",
    "9^9^9^9",
    "2**2**2**2**2**2",
    "(1/3)**100000 * x",
    "10**10**10 * x",
    "(" * 10_000 + "x" + ")" * 10_000,
    "(" * 240 + "x" + ")" * 240,
    "-" * 400 + "x",
    "sin(" * 90 + "x" + ")" * 90,
    "x" + "+x" * 5_000,
    "x+" * 240 + "x",
    "x" * 1_000_000,
    "*".join(f"sin({i}*x + y)" for i in range(1, 30)),
    "ｓｉｎ(x)",
    "ｘ + y",
    "x\u200b + y",
    "x\n+ y",
    "\x00",
    "\U0001d431 + y",
    "x\u00b2",
    "sin(x, y)",
    "log(x, 2)",
    "",
    "   ",
    "\t",
    "Pi + E + I + oo + zoo + nan + inf",
    "None",
    "...",
    "x.conjugate()",
    "sqrt(-1) * x",
    "x ** 1j",
]

RUNNER = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from gdmath import parse_objective
parse_objective("x", 2)  # SymPy's import is not the attack's cost
for text in json.loads(sys.stdin.read()):
    start = time.perf_counter()
    try:
        parse_objective(text, 2)
        kind, message = "accepted", ""
    except ValueError as err:
        kind, message = "ValueError", str(err)
    except BaseException as err:  # anything else is a failure of the test
        kind, message = type(err).__name__, str(err)[:200]
    print(json.dumps({"text": text[:60], "kind": kind, "message": message,
                      "seconds": time.perf_counter() - start}), flush=True)
"""


def test_crafted_attacks_are_refused_and_execute_nothing(tmp_path):
    canary = tmp_path / "CANARY"
    attacks = [text.format(canary=canary) if "{canary}" in text or "{{" in text else text for text in ATTACKS]
    assert len(attacks) >= 40
    run = subprocess.run(
        [sys.executable, "-c", RUNNER, str(ROOT)],
        input=json.dumps(attacks),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=180,  # a generous bound for all of them on a loaded machine: none may hang
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stderr == ""  # no traceback, no warning
    results = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(results) == len(attacks)
    for result in results:
        assert result["kind"] == "ValueError", result
        assert result["message"], result
        assert "Traceback" not in result["message"]
    assert not canary.exists()
    assert list(tmp_path.iterdir()) == []  # nothing written at all
