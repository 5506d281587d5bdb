"""Typed functions: exact derivatives, honest numerics, minima found (gdmath.typed; no manim)."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import gdmath
from gdmath import (
    ELONGATED_BOWL,
    PARABOLA,
    ROSENBROCK,
    SADDLE,
    SIN_HILLS,
    TRIPLE_WELL,
    descend,
    find_minima,
    gradient_descent,
    parse_objective,
)

ROOT = Path(__file__).resolve().parent.parent

# (text, dim, box where the function is smooth and finite)
TYPED = [
    ("x^2 + 3*y^2", 2, (-3, 3)),
    ("sin(x)*sin(y)", 2, (-5, 5)),
    ("(x^2 - 1)^2 + y^2", 2, (-2, 2)),
    ("exp(-(x^2 + y^2)/2) * cos(3*x) + 0.1*y", 2, (-2, 2)),
    ("log(x) + x*y^3 - sqrt(y)", 2, (0.5, 3)),
    ("atan2(y, x) + tanh(x*y) - cosh(x/3)", 2, (0.5, 2)),
    ("asin(x/2) + acos(y/2) + atan(x*y)", 2, (-1.5, 1.5)),
    ("sinh(x) - asinh(y) + cot(x) + sec(y) - csc(x)", 2, (0.3, 1.2)),
    ("acosh(x + 2) + atanh(y/2) + ln(x + 2)", 2, (-0.9, 0.9)),
    ("abs(x - 5) * y + x^y", 2, (0.5, 2)),
    ("x^x - 2^y + pi*e*x", 2, (0.5, 2)),
    ("(1 - x)^2 + 100*(y - x^2)^2", 2, (-2, 2)),
    ("x^4 - 3*x^2 + x", 1, (-3, 3)),
    ("x^6/6 - 5*x^4/4 + 2*x^2 + 4/3", 1, (-3, 3)),
    ("tan(x) / (1 + x^2) ** 0.5", 1, (-1.2, 1.2)),
]


def central_gradient(f, p, h=1e-6):
    grads = []
    for i in range(p.shape[-1]):
        step = np.zeros(p.shape[-1])
        step[i] = h
        grads.append((f.value(p + step) - f.value(p - step)) / (2 * h))
    return np.stack(grads, axis=-1)


@pytest.mark.parametrize("text, dim, box", TYPED)
def test_gradient_and_hessian_match_central_differences(text, dim, box):
    f = parse_objective(text, dim)
    p = np.random.default_rng(1).uniform(box[0], box[1], size=(50, dim))
    value, grad = f.value_and_grad(p)
    assert value.shape == (50,) and grad.shape == (50, dim)
    assert np.isfinite(value).all() and np.isfinite(grad).all()
    np.testing.assert_allclose(grad, central_gradient(f, p), rtol=1e-5, atol=1e-5)
    h = 1e-6
    numeric = np.stack(
        [(f.grad(p + h * np.eye(dim)[i]) - f.grad(p - h * np.eye(dim)[i])) / (2 * h) for i in range(dim)], axis=-2
    )
    np.testing.assert_allclose(f.hessian(p), numeric, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize(
    "text, hand",
    [
        ("sin(x)*sin(y)", SIN_HILLS),
        ("x^6/6 - 5*x^4/4 + 2*x^2 + 4/3", TRIPLE_WELL),
        ("x^2", PARABOLA),
        ("(5*x^2 + y^2)/2", ELONGATED_BOWL),
        ("(1 - x)^2 + 100*(y - x^2)^2", ROSENBROCK),
        ("x^2 - y^2 + y^4/4", SADDLE),
    ],
)
def test_typed_matches_the_hand_written_objective(text, hand):
    f = parse_objective(text, hand.dim)
    p = np.random.default_rng(2).uniform(-3, 3, size=(200, hand.dim))
    value, grad = f.value_and_grad(p)
    hand_value, hand_grad = hand.value_and_grad(p)
    scale = 1.0 + np.abs(hand_value).max()
    np.testing.assert_allclose(value, hand_value, rtol=1e-12, atol=1e-12 * scale)
    np.testing.assert_allclose(grad, hand_grad, rtol=1e-12, atol=1e-12 * (1.0 + np.abs(hand_grad).max()))


def test_vectorised_over_leading_axes_and_constants_broadcast():
    f = parse_objective("x*y + 1", 2)
    p = np.arange(24.0).reshape(3, 4, 2)
    value, grad = f.value_and_grad(p)
    assert value.shape == (3, 4) and grad.shape == (3, 4, 2)
    np.testing.assert_array_equal(grad[..., 0], p[..., 1])
    assert f.hessian(p).shape == (3, 4, 2, 2)
    constant = parse_objective("3", 2)
    value, grad = constant.value_and_grad(p)
    assert value.shape == (3, 4) and (value == 3).all() and (grad == 0).all()
    line = parse_objective("2*x", 1)
    assert line.value_and_grad([1.5])[0] == 3.0 and line.grad([[1.0], [2.0]]).tolist() == [[2.0], [2.0]]


def test_tex_canonical_and_the_same_function_typed_differently():
    f = parse_objective("x^2 + 3*y^2", 2)
    assert f.tex == "f(x, y) = x^{2} + 3 y^{2}"
    assert f.canonical == "x^2 + 3*y^2"
    assert parse_objective("x ^ 2+3 * y**2", 2).canonical == f.canonical
    assert parse_objective("3*y^2 + x^2", 2).canonical == "3*y^2 + x^2"  # terms keep the order typed
    assert parse_objective("2*3*x/4 - (-y)", 2).canonical == "3*x/2 + y"
    assert parse_objective("x^4 - 3*x^2 + x", 1).tex.startswith("f(x) = ")
    assert f.name == "typed" and f.minima.shape == (0, 2)


@pytest.mark.parametrize("text, dim, _", TYPED + [("abs(x) + e^x - 1/(2 + sin(y))", 2, None)])
def test_canonical_text_parses_back_to_itself(text, dim, _):
    f = parse_objective(text, dim)
    again = parse_objective(f.canonical, dim)
    assert again.canonical == f.canonical
    p = np.random.default_rng(3).uniform(0.5, 1.0, size=(20, dim))
    np.testing.assert_allclose(again.value(p), f.value(p), rtol=1e-12)


def test_import_gdmath_does_not_import_sympy():
    code = "import sys, gdmath; gdmath.descend; print('sympy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


# -- honest numerics -----------------------------------------------------------


@pytest.mark.parametrize(
    "text, point, expect",
    [
        ("log(x)", [-1.0], "nan"),
        ("log(x)", [0.0], "inf"),
        ("1/x", [0.0], "inf"),
        ("exp(100*x)", [10.0], "inf"),
        ("sqrt(x)", [-1.0], "nan"),
        ("x^0.5", [-4.0], "nan"),
        ("x^(1/3)", [-8.0], "nan"),
        ("acosh(x)", [0.5], "nan"),
        ("x^x", [-0.5], "nan"),
        ("sqrt(-x^2)", [1.0], "nan"),  # real nowhere but at 0: nan, never complex
        ("log(x - x)", [1.0], "inf"),
        ("x/(x - x)", [1.0], "inf"),
    ],
)
def test_non_finite_regions_give_inf_or_nan_real_and_without_warnings(text, point, expect):
    # pytest turns RuntimeWarning into an error here: none may escape
    f = parse_objective(text, 1)
    value, grad = f.value_and_grad(np.array([point, [2.0]]))
    assert value.dtype == np.float64 and grad.dtype == np.float64
    assert not np.isfinite(value[0]) or not np.isfinite(grad[0]).all()
    if expect == "nan":
        assert np.isnan(value[0])
    assert np.isfinite(value[1]) or text in ("exp(100*x)", "sqrt(-x^2)", "log(x - x)", "x/(x - x)")
    assert f.hessian(np.array([point])).dtype == np.float64


def test_descent_freezes_points_where_a_typed_function_is_not_finite():
    f = parse_objective("x^2 - log(x)", 1)
    h = gradient_descent(f, [[-1.0], [0.0], [2.0]], alpha=0.1, steps=100)
    assert h.diverged.tolist() == [True, True, False]
    assert h.frozen_at.tolist() == [0, 0, -1]
    np.testing.assert_array_equal(h.points[:, :2, 0], [[-1.0, 0.0]] * 101)  # frozen where they started
    np.testing.assert_allclose(h.final[2], [np.sqrt(0.5)], atol=1e-9)  # f' = 2x - 1/x = 0
    overflow = parse_objective("-exp(10*x)", 1)
    h = descend(overflow, [[1.0]], gdmath.SGD(0.1), steps=20)
    assert h.diverged.all() and h.frozen_at[0] >= 1 and np.isfinite(h.points).all()


# -- minima found --------------------------------------------------------------


def test_find_minima_double_well():
    found = find_minima(parse_objective("(x^2 - 1)^2 + y^2", 2), [-2, -2], [2, 2])
    np.testing.assert_allclose(found.points, [[-1, 0], [1, 0]], atol=1e-9)
    assert found.is_global.tolist() == [True, True]
    np.testing.assert_allclose(found.values, 0, atol=1e-12)


def test_find_minima_triple_well_typed_as_text():
    f = parse_objective("x^6/6 - 5*x^4/4 + 2*x^2 + 4/3", 1)
    found = find_minima(f, [-3], [3])
    np.testing.assert_allclose(found.points, TRIPLE_WELL.minima, atol=1e-9)
    assert found.is_global.tolist() == [True, False, True]
    np.testing.assert_allclose(found.global_points, TRIPLE_WELL.global_minima, atol=1e-9)


def test_find_minima_sin_hills_typed_and_hand_written_agree_with_the_known_minima():
    view = ([-5, -5], [5, 5])
    typed = find_minima(parse_objective("sin(x)*sin(y)", 2), *view)
    hand = find_minima(SIN_HILLS, *view)  # no exact Hessian: central differences of its gradient
    np.testing.assert_allclose(typed.points, SIN_HILLS.minima, atol=1e-9)
    np.testing.assert_allclose(hand.points, SIN_HILLS.minima, atol=1e-7)
    assert typed.is_global.all()


def test_found_minima_feed_the_verdicts():
    f = parse_objective("x^6/6 - 5*x^4/4 + 2*x^2 + 4/3", 1)
    g = find_minima(f, [-3], [3]).attach(f)
    verdict = gdmath.nearest_minimum(g, [[-1.999], [0.001], [2.5]])
    assert verdict.is_global.tolist() == [True, False, True]
    assert verdict.settled.tolist() == [True, True, False]


@pytest.mark.parametrize(
    "text, box, minima",
    [
        ("x^4 + y^4", ([-2, -2], [2, 2]), [[0, 0]]),  # Hessian 0 at the minimum
        ("abs(x) + y^2", ([-2, -2], [2, 2]), [[0, 0]]),  # a kink
        ("(x - y)^2", ([-2, -2], [2, 2]), []),  # a valley of minima: none isolated
        ("x + y", ([-2, -2], [2, 2]), []),  # the minimum is on the box's edge
        ("x^2 - y^2", ([-2, -2], [2, 2]), []),  # a saddle only
        ("(x - 3)^2 + y^2", ([-2, -2], [2, 2]), []),  # outside the box
        ("log(x) + 1/x", ([-2], [4]), [[1]]),  # undefined in part of the box
    ],
)
def test_find_minima_degenerate_kinks_and_none(text, box, minima):
    f = parse_objective(text, len(box[0]))
    found = find_minima(f, *box)
    assert found.points.shape == (len(minima), f.dim)
    if minima:
        np.testing.assert_allclose(found.points, minima, atol=1e-4)


def test_find_minima_checks_its_box():
    f = parse_objective("x^2", 1)
    with pytest.raises(ValueError, match="low must be below high"):
        find_minima(f, [1], [0])
    with pytest.raises(ValueError, match="high must be finite"):
        find_minima(f, [0], [np.inf])
    with pytest.raises(ValueError, match="shape"):
        find_minima(f, [0, 0], [1, 1])


@pytest.mark.parametrize("text, tex", [
    ("1/(x^2+y^2)", r"f(x, y) = \frac{1}{x^{2} + y^{2}}"),
    ("(x+1)^-1", r"f(x, y) = \frac{1}{x + 1}"),
    ("x^-2", r"f(x, y) = \frac{1}{x^{2}}"),
])
def test_a_reciprocal_prints_without_a_power_of_one(text, tex):
    assert gdmath.parse_objective(text, 2).tex == tex
