"""Numerics of the math core: gradients, descent, divergence, regression, validation."""

import ast
import pathlib
import warnings

import numpy as np
import pytest

import gdmath
from gdmath import (
    ELONGATED_BOWL,
    OBJECTIVES,
    PARABOLA,
    SIN_HILLS,
    TRIPLE_WELL,
    VALUE_LIMIT,
    fit_line,
    gradient_descent,
    gradient_field,
    loss_surface,
    make_linear_data,
    make_parabolic_data,
    mse,
    random_starts,
    value_grid,
)

GDMATH_DIR = pathlib.Path(gdmath.__file__).parent


def central_difference(objective, p, h=1e-6):
    """Numerical gradient, one coordinate at a time, vectorised over points."""
    grad = np.empty_like(p)
    for k in range(objective.dim):
        step = np.zeros(objective.dim)
        step[k] = h
        grad[..., k] = (objective.value(p + step) - objective.value(p - step)) / (2 * h)
    return grad


@pytest.mark.parametrize("objective", OBJECTIVES.values(), ids=OBJECTIVES.keys())
def test_gradient_matches_central_differences(objective):
    p = np.random.default_rng(7).uniform(-2.5, 2.5, size=(200, objective.dim))
    np.testing.assert_allclose(objective.grad(p), central_difference(objective, p), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("objective", OBJECTIVES.values(), ids=OBJECTIVES.keys())
def test_objectives_are_vectorised_over_leading_axes(objective):
    p = np.random.default_rng(1).normal(size=(3, 4, objective.dim))
    assert objective.value(p).shape == (3, 4)
    assert objective.grad(p).shape == (3, 4, objective.dim)
    np.testing.assert_allclose(objective.value(p)[2, 1], objective.value(p[2, 1]))


@pytest.mark.parametrize("objective", OBJECTIVES.values(), ids=OBJECTIVES.keys())
def test_listed_minima_have_zero_gradient(objective):
    np.testing.assert_allclose(objective.grad(objective.minima), 0.0, atol=1e-12)


def test_triple_well_has_two_equal_global_minima_and_a_higher_local_one():
    values = TRIPLE_WELL.value(TRIPLE_WELL.minima)
    global_values = TRIPLE_WELL.value(TRIPLE_WELL.global_minima)
    assert global_values[0] == pytest.approx(global_values[1])
    local = TRIPLE_WELL.value([0.0])
    assert local > global_values.max() + 1.0
    xs = np.linspace(-3, 3, 6001)[:, None]
    assert TRIPLE_WELL.value(xs).min() == pytest.approx(values.min(), abs=1e-6)


def test_parabola_descends_to_zero():
    history = gradient_descent(PARABOLA, [[3.0], [-1.5]], alpha=0.1, steps=200)
    np.testing.assert_allclose(history.final, 0.0, atol=1e-12)
    assert np.all(np.diff(history.values, axis=0) <= 0)


def test_bowl_descends_to_origin():
    starts = random_starts(50, [-3, -3], [3, 3], seed=2)
    history = gradient_descent(ELONGATED_BOWL, starts, alpha=0.1, steps=300)
    np.testing.assert_allclose(history.final, 0.0, atol=1e-9)
    assert not history.diverged.any()


def test_sin_hills_starts_end_at_stationary_points():
    starts = random_starts(300, [-np.pi, -np.pi], [np.pi, np.pi], seed=3)
    history = gradient_descent(SIN_HILLS, starts, alpha=0.2, steps=400)
    assert np.abs(SIN_HILLS.grad(history.final)).max() < 1e-6
    # almost every start reaches a minimum (f = -1); none climbs
    assert np.mean(np.isclose(history.values[-1], -1.0, atol=1e-9)) > 0.95
    assert np.all(history.values[-1] <= history.values[0] + 1e-12)


def test_history_shapes():
    history = gradient_descent(SIN_HILLS, np.zeros((5, 2)) + 0.3, alpha=0.1, steps=7)
    assert history.points.shape == (8, 5, 2)
    assert history.values.shape == (8, 5)
    assert history.diverged.shape == (5,)
    assert history.steps == 7


def test_single_start_is_one_point():
    history = gradient_descent(PARABOLA, [1.0], alpha=0.1, steps=3)
    assert history.points.shape == (4, 1, 1)


@pytest.mark.parametrize("alpha", [0.41, 0.45, 0.6, 2.0, 50.0])
def test_bowl_diverges_above_alpha_0_4_without_warnings(alpha):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = gradient_descent(ELONGATED_BOWL, [[1.0, 1.0], [0.0, 1.0]], alpha=alpha, steps=100)
    # the first start has an x component and runs away; the second has none and is
    # stable for alpha < 2 (curvature 1 along y)
    assert history.diverged[0]
    assert np.all(np.isfinite(history.points)) and np.all(np.isfinite(history.values))
    assert np.all(np.abs(history.values) < np.inf)


def test_runaway_point_is_frozen_at_the_bound():
    history = gradient_descent(ELONGATED_BOWL, [[1.0, 0.0], [0.0, 0.5]], alpha=1.0, steps=200)
    runaway = 0
    k = history.frozen_at[runaway]
    assert k > 0 and history.diverged[runaway] and not history.diverged[1]
    assert history.values[k - 1, runaway] <= VALUE_LIMIT < history.values[k, runaway]
    assert np.all(history.points[k:, runaway] == history.points[k, runaway])


def test_unstable_run_is_computed_honestly_up_to_1e18():
    # |1 - 5 alpha|^(2 * steps) growth: the post's "Unusable" loss scale stays below the bound
    history = gradient_descent(ELONGATED_BOWL, [[1.0, 1.0]], alpha=0.45, steps=100)
    assert history.frozen_at[0] == -1
    assert 1e17 < history.values[-1, 0] < VALUE_LIMIT
    assert history.diverged[0]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"alpha": 0.0}, "alpha must be finite and > 0, got 0"),
        ({"alpha": -1}, "alpha must be finite and > 0, got -1"),
        ({"alpha": float("nan")}, "alpha must be finite and > 0, got nan"),
        ({"steps": -3}, "steps must be >= 0, got -3"),
        ({"steps": 2.5}, "steps must be a whole number, got 2.5"),
        ({"starts": [[1.0, 2.0, 3.0]]}, r"starts must have shape \(..., 2\), got shape \(1, 3\)"),
        ({"starts": [[1.0, np.nan]]}, "starts must be finite, got nan"),
    ],
)
def test_descent_rejects_bad_input(kwargs, message):
    args = {"objective": SIN_HILLS, "starts": [[0.1, 0.2]], "alpha": 0.1, "steps": 5} | kwargs
    with pytest.raises(ValueError, match=message):
        gradient_descent(**args)


class CountingObjective:
    """``objective`` with a count of its evaluations and of the points each one got."""

    def __init__(self, objective):
        self.objective, self.dim, self.calls, self.points = objective, objective.dim, 0, []

    def _count(self, p):
        self.calls += 1
        self.points.append(np.shape(p)[:-1])

    def value_and_grad(self, p):
        self._count(p)
        return self.objective.value_and_grad(p)

    def evaluate(self, p):
        self._count(p)
        return self.objective.evaluate(p)


@pytest.mark.parametrize("n", [1, 2000])
def test_descent_evaluates_the_objective_once_per_step_for_all_starts(n):
    """The property itself: one call of the objective per step, on all n points at once
    (a loop over points would make n calls per step, each with one point)."""
    counting = CountingObjective(SIN_HILLS)
    starts = random_starts(n, [-3, -3], [3, 3], seed=0)
    history = gradient_descent(counting, starts, alpha=0.1, steps=50)
    assert counting.calls == 50 + 1  # the starts, then one per step
    assert set(counting.points) == {(n,)}
    single = gradient_descent(SIN_HILLS, starts[:1], alpha=0.1, steps=50)
    np.testing.assert_array_equal(history.points[:, :1], single.points)


def post_loop(X, S, w0, b0, alpha, iterations):
    """The post's training loop, transcribed as written."""

    def line_func(x, w, b):
        return w * x + b

    def MSE(Y, Yhat):
        return np.sum(np.square(Y - Yhat)) / Y.size

    def get_gradient(X, Y, Yhat):
        N = X.size
        error = Y - Yhat
        dm = -2 * np.sum(X * error) / N
        db = -2 * np.sum(error) / N
        return dm, db

    model = [w0, b0]
    losses, ws, bs = [], [], []
    for i in range(iterations):
        Yhat = line_func(X, *model)
        loss = MSE(S, Yhat)
        losses.append(loss)
        ws.append(model[0])
        bs.append(model[1])
        dm, db = get_gradient(X, S, Yhat)
        model[0] -= alpha * dm
        model[1] -= alpha * db
    return np.array(ws), np.array(bs), np.array(losses), model


def test_fit_line_is_the_posts_loop():
    x, y = make_linear_data(seed=4)
    history = fit_line(x, y, alpha=0.015, iterations=100, w0=0.3, b0=0.8)
    ws, bs, losses, model = post_loop(x, y, 0.3, 0.8, 0.015, 100)
    np.testing.assert_allclose(history.w[:-1], ws, rtol=0, atol=1e-12)
    np.testing.assert_allclose(history.b[:-1], bs, rtol=0, atol=1e-12)
    np.testing.assert_allclose(history.loss[:-1], losses, rtol=0, atol=1e-12)
    assert history.w[-1] == pytest.approx(model[0], abs=1e-12)
    assert history.b[-1] == pytest.approx(model[1], abs=1e-12)
    assert history.loss[-1] == pytest.approx(mse(y, history.w[-1] * x + history.b[-1]), abs=1e-12)
    assert history.loss.shape == (101,)


@pytest.mark.parametrize("make_data", [make_linear_data, make_parabolic_data])
def test_fit_line_approaches_least_squares(make_data):
    x, y = make_data(seed=5)
    history = fit_line(x, y, alpha=0.05, iterations=3000)
    w, b = np.polyfit(x, y, 1)
    assert history.w[-1] == pytest.approx(w, abs=1e-8)
    assert history.b[-1] == pytest.approx(b, abs=1e-8)


def test_linear_data_follows_the_posts_recipe():
    x, y = make_linear_data(seed=0)
    assert x.shape == y.shape == (100,)
    assert x[0] == -2 and x[-1] == 2
    residual = y - (2 * x + 1)
    assert abs(residual.std() - 0.5) < 0.1 and abs(residual.mean()) < 0.15
    np.testing.assert_array_equal(make_linear_data(seed=0)[1], y)
    assert not np.array_equal(make_linear_data(seed=1)[1], y)


def test_loss_surface_equals_brute_force_mse():
    x, y = make_parabolic_data(n=37, seed=6)
    ws = np.linspace(-1, 4, 9)
    bs = np.linspace(-2, 3, 7)
    surface = loss_surface(x, y, ws, bs)
    brute = np.array([[mse(y, w * x + b) for b in bs] for w in ws])
    assert surface.shape == (9, 7)
    np.testing.assert_allclose(surface, brute, rtol=1e-10, atol=1e-12)


def test_loss_surface_never_allocates_per_sample_arrays_of_the_grids_size():
    """The property itself: the peak memory is a few grids and a few sample arrays, far
    below one per-sample array per grid cell (a brute-force MSE, or one row of the grid at
    a time over every sample, needs n_samples x len(bs) floats at least)."""
    import tracemalloc

    x, y = make_linear_data(n=20_000, noise=0.5)
    ws = bs = np.linspace(-3, 3, 100)
    grid_bytes, sample_bytes = ws.size * bs.size * 8, x.size * 8
    tracemalloc.start()
    try:
        loss_surface(x, y, ws, bs)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * grid_bytes + 4 * sample_bytes < x.size * bs.size * 8 / 10


def test_loss_surface_is_exact_far_from_the_origin_on_a_wide_grid():
    """x around 1e6: raw moments (mean of x^2 ~ 1e12) lose the loss to cancellation (here
    0.7% off, and a wrong minimum); centred statistics agree with a brute-force MSE
    everywhere on a wide (w, b) grid, and at the least-squares line."""
    rng = np.random.default_rng(11)
    x = 1e6 + rng.uniform(-2, 2, 100)
    y = 2.0 * x + 1.0 + rng.normal(0, 0.5, 100)
    best_w, best_b, best_loss = gdmath.least_squares_line(x, y)
    ws = np.append(np.linspace(best_w - 5, best_w + 5, 41), best_w)
    bs = np.append(np.linspace(best_b - 1e7, best_b + 1e7, 41), best_b)
    surface = loss_surface(x, y, ws, bs)
    brute = ((y - ws[:, None, None] * x - bs[None, :, None]) ** 2).mean(axis=-1)
    np.testing.assert_allclose(surface, brute, rtol=1e-9)
    assert surface[-1, -1] == pytest.approx(brute[-1, -1], rel=1e-6)
    assert surface[-1, -1] == pytest.approx(best_loss, rel=1e-9)
    assert (surface >= 0).all()


def test_loss_surface_is_never_negative_at_an_exact_fit():
    """No clamp: each term of the centred form is >= 0 as computed, also where the loss is 0."""
    x, y = make_linear_data(n=50, noise=0.0)
    ws = np.linspace(1.5, 2.5, 201)
    bs = np.linspace(0.5, 1.5, 201)
    assert loss_surface(x, y, ws, bs).min() >= 0.0


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: fit_line([1, 2], [1, 2, 3]), "x and y must be 1-D arrays of equal length"),
        (lambda: fit_line([1, 2], [1, 2], alpha=-1), "alpha must be finite and > 0, got -1"),
        (lambda: fit_line([1, 2], [1, 2], iterations=-1), "iterations must be >= 0, got -1"),
        (lambda: fit_line([1, np.inf], [1, 2]), "x must be finite, got inf"),
        (lambda: fit_line([], []), "at least one sample"),
        (lambda: loss_surface([1, 2], [1, 2], [[1.0]], [1.0]), "ws and bs must be 1-D"),
        (lambda: mse([1, 2], [1, 2, 3]), "y and yhat must have the same shape"),
        (lambda: make_linear_data(n=0), "n must be >= 1, got 0"),
        (lambda: make_linear_data(noise=-0.5), "noise must be >= 0, got -0.5"),
        (lambda: SIN_HILLS.value([1.0, 2.0, 3.0]), r"p must have shape \(..., 2\)"),
        (lambda: random_starts(3, [1, 1], [0, 2], seed=0), "high must exceed low"),
        (lambda: gradient_field(SIN_HILLS, [], [1.0]), "xs must be a non-empty 1-D array"),
    ],
)
def test_bad_input_raises_value_error_naming_it(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_gradient_field_points_uphill():
    xs = ys = np.linspace(-3, 3, 11)
    points, grads = gradient_field(SIN_HILLS, xs, ys)
    assert points.shape == grads.shape == (11, 11, 2)
    eps = 1e-4
    uphill = SIN_HILLS.value(points + eps * grads) - SIN_HILLS.value(points)
    assert np.all(uphill >= -1e-15)
    assert value_grid(SIN_HILLS, xs, ys).shape == (11, 11)


def test_random_starts_are_reproducible():
    a = random_starts(5, [-1, -1], [1, 1], seed=11)
    np.testing.assert_array_equal(a, random_starts(5, [-1, -1], [1, 1], seed=11))
    assert np.all((a >= -1) & (a <= 1))


@pytest.mark.parametrize("module", ["manim", "argparse", "click"])
def test_gdmath_never_imports_manim_or_a_command_line(module):
    """gdmath is a numpy library: no drawing, no command line (the training log's lives in scenes)."""
    for path in GDMATH_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] == module for n in names), f"{path} imports {module}"
