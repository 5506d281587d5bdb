"""The update rules of gdmath.optimizers, run by gdmath.descend, against the formulas
written out one point and one coordinate at a time in plain Python."""

import math
import warnings

import numpy as np
import pytest

import gdmath
from gdmath import (
    ROSENBROCK,
    SADDLE,
    SGD,
    SIN_HILLS,
    VALUE_LIMIT,
    Adam,
    Momentum,
    Nesterov,
    RMSProp,
    descend,
    gradient_descent,
    steps_to_leave,
)

STARTS = np.array([[-1.2, 1.0], [0.3, -0.4], [1.5, 2.0], [-0.7, -0.9]])
STEPS = 50


# --- the formulas, one point and one coordinate at a time ------------------------------
def plain_run(objective, start, steps, update, state):
    """``steps`` updates of one point; ``update(p_i, g_i, state_i, t) -> p_i`` per coordinate."""
    p = [float(c) for c in start]
    path = [list(p)]
    for t in range(1, steps + 1):
        g = [float(c) for c in objective.grad(np.array(p))]
        p = [update(p[i], g[i], state[i], t) for i in range(len(p))]
        path.append(list(p))
    return np.array(path)


def sgd_rule(alpha):
    def update(p, g, s, t):
        return p - alpha * g
    return update


def momentum_rule(alpha, beta):
    def update(p, g, s, t):
        s["v"] = beta * s["v"] + g
        return p - alpha * s["v"]
    return update


def nesterov_rule(alpha, beta):
    def update(p, g, s, t):
        s["v"] = beta * s["v"] + g
        return p - alpha * (g + beta * s["v"])
    return update


def rmsprop_rule(alpha, rho, eps):
    def update(p, g, s, t):
        s["s"] = rho * s["s"] + (1 - rho) * g * g
        return p - alpha * g / (math.sqrt(s["s"]) + eps)
    return update


def adam_rule(alpha, beta1, beta2, eps):
    def update(p, g, s, t):
        s["m"] = beta1 * s["m"] + (1 - beta1) * g
        s["s"] = beta2 * s["s"] + (1 - beta2) * g * g
        m_hat = s["m"] / (1 - beta1**t)
        s_hat = s["s"] / (1 - beta2**t)
        return p - alpha * m_hat / (math.sqrt(s_hat) + eps)
    return update


CASES = [
    (SGD(0.001), lambda: sgd_rule(0.001)),
    (Momentum(0.0005, beta=0.9), lambda: momentum_rule(0.0005, 0.9)),
    (Momentum(0.001, beta=0.5), lambda: momentum_rule(0.001, 0.5)),
    (Nesterov(0.0005, beta=0.9), lambda: nesterov_rule(0.0005, 0.9)),
    (RMSProp(0.01, rho=0.9, eps=1e-8), lambda: rmsprop_rule(0.01, 0.9, 1e-8)),
    (RMSProp(0.02, rho=0.5, eps=1e-3), lambda: rmsprop_rule(0.02, 0.5, 1e-3)),
    (Adam(0.05), lambda: adam_rule(0.05, 0.9, 0.999, 1e-8)),
    (Adam(0.02, beta1=0.5, beta2=0.9, eps=1e-4), lambda: adam_rule(0.02, 0.5, 0.9, 1e-4)),
]


@pytest.mark.parametrize("objective", [ROSENBROCK, SIN_HILLS, SADDLE], ids=lambda o: o.name)
@pytest.mark.parametrize("optimizer, rule", CASES, ids=[c[0].describe() for c in CASES])
def test_each_rule_matches_its_formula_point_by_point(objective, optimizer, rule):
    history = descend(objective, STARTS, optimizer, STEPS)
    assert history.optimizer is optimizer
    assert not history.diverged.any()
    for i, start in enumerate(STARTS):
        state = [{"v": 0.0, "s": 0.0, "m": 0.0} for _ in start]
        expected = plain_run(objective, start, STEPS, rule(), state)
        np.testing.assert_allclose(history.points[:, i], expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(history.values, objective.value(history.points), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("rule", [Momentum, Nesterov])
def test_momentum_without_momentum_is_sgd(rule):
    plain = descend(ROSENBROCK, STARTS, SGD(0.001), STEPS)
    no_momentum = descend(ROSENBROCK, STARTS, rule(0.001, beta=0.0), STEPS)
    np.testing.assert_allclose(no_momentum.points, plain.points, rtol=0, atol=1e-15)


def test_gradient_descent_is_descend_with_sgd_exactly():
    starts = gdmath.random_starts(300, [-3, -3], [3, 3], seed=4)
    old = gradient_descent(SIN_HILLS, starts, alpha=0.3, steps=40)
    new = descend(SIN_HILLS, starts, SGD(0.3), 40)
    assert np.array_equal(old.points, new.points) and np.array_equal(old.values, new.values)
    assert np.array_equal(old.diverged, new.diverged) and np.array_equal(old.frozen_at, new.frozen_at)
    assert old.alpha == new.alpha == 0.3 and old.optimizer == SGD(0.3)


@pytest.mark.parametrize("scale", [1e-2, 1.0, 1e3, 1e6, 1e9])
def test_adams_first_step_is_alpha_whatever_the_gradient_scale(scale):
    # the step is alpha |g| / (|g| + eps): within 1e-6 of alpha once |g| > alpha eps / 1e-6
    # f = scale * (x^2 + y^2) / 2 has gradient scale * p: tiny to huge, one sign per coordinate
    bowl = gdmath.Objective(
        "scaled_bowl", 2, "", lambda p: (0.5 * scale * (p * p).sum(-1), scale * p),
        np.zeros((1, 2)), np.zeros((1, 2)),
    )
    starts = np.array([[1.0, -2.0], [-3.0, 0.5], [0.25, 4.0]])
    history = descend(bowl, starts, Adam(0.07), 1)
    np.testing.assert_allclose(np.abs(history.points[1] - starts), 0.07, atol=1e-6)


def test_adam_leaves_a_coordinate_with_zero_gradient_where_it_is():
    history = descend(SADDLE, [[0.0, 0.5]], Adam(0.1), 3)  # d/dx at x = 0 is 0
    assert np.all(history.points[:, 0, 0] == 0.0)
    assert np.all(np.diff(np.abs(history.points[:, 0, 1] - 0.5)) > 0)


@pytest.mark.parametrize(
    "optimizer", [SGD(0.01), Momentum(0.01), Nesterov(0.01), RMSProp(1e6), Adam(1e6)], ids=repr
)
def test_runaway_runs_are_flagged_without_warnings(optimizer):
    starts = np.array([[3.0, 3.0], [1.0, 1.0], [-2.0, 4.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = descend(ROSENBROCK, starts * np.array([[10.0], [1.0], [1.0]]), optimizer, 200)
    assert history.diverged[0], history.values[:, 0]
    assert history.frozen_at[0] > 0 or history.values[-1, 0] > history.values[0, 0]
    assert np.all(np.isfinite(history.points))
    if history.frozen_at[0] > 0:
        k = history.frozen_at[0]
        assert np.all(history.points[k:, 0] == history.points[k, 0])
        assert abs(history.values[k, 0]) > VALUE_LIMIT or not np.isfinite(history.values[k, 0])


def test_a_tame_start_beside_a_runaway_is_untouched():
    starts = np.array([[30.0, 30.0], [-1.2, 1.0]])
    both = descend(ROSENBROCK, starts, Momentum(0.001), 100)
    alone = descend(ROSENBROCK, starts[1:], Momentum(0.001), 100)
    assert both.diverged.tolist() == [True, False]
    np.testing.assert_array_equal(both.points[:, 1], alone.points[:, 0])


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: SGD(float("inf")), "alpha must be finite and > 0, got inf"),
        (lambda: SGD(0.0), "alpha must be finite and > 0, got 0"),
        (lambda: Momentum(-0.1), "alpha must be finite and > 0, got -0.1"),
        (lambda: Momentum(0.1, beta=1.0), r"beta must be in \[0, 1\), got 1"),
        (lambda: Nesterov(0.1, beta=-0.5), r"beta must be in \[0, 1\), got -0.5"),
        (lambda: RMSProp(0.1, rho=1.5), r"rho must be in \[0, 1\), got 1.5"),
        (lambda: RMSProp(0.1, eps=0.0), "eps must be finite and > 0, got 0"),
        (lambda: Adam(float("nan")), "alpha must be finite and > 0, got nan"),
        (lambda: Adam(0.1, beta1=1.0), r"beta1 must be in \[0, 1\), got 1"),
        (lambda: Adam(0.1, beta2=float("nan")), r"beta2 must be in \[0, 1\), got nan"),
        (lambda: Adam(0.1, eps=-1e-8), "eps must be finite and > 0, got -1e-08"),
        (lambda: descend(ROSENBROCK, [[0.0, 0.0]], "adam", 3), "optimizer must be one of"),
        (lambda: descend(ROSENBROCK, [[0.0, 0.0]], Adam(0.1), -1), "steps must be >= 0, got -1"),
    ],
)
def test_bad_hyperparameters_raise_naming_them(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_optimizers_are_frozen_and_listed():
    with pytest.raises(AttributeError):
        Adam(0.1).alpha = 0.2
    assert sorted(gdmath.OPTIMIZERS) == ["adam", "momentum", "nesterov", "rmsprop", "sgd"]
    assert Momentum(0.1).hyperparameters == {"alpha": 0.1, "beta": 0.9}


def test_descend_loops_over_steps_not_points():
    calls = []

    def counted(p):
        calls.append(p.shape)
        return ROSENBROCK.evaluate(p)

    objective = gdmath.Objective("counted", 2, "", counted, ROSENBROCK.minima, ROSENBROCK.minima)
    descend(objective, np.zeros((500, 2)), Adam(0.01), 7)
    assert calls == [(500, 2)] * 8


# --- the new objectives and steps_to_leave ---------------------------------------------
def test_rosenbrock_minimum_is_one_one_and_the_valley_is_curved():
    assert ROSENBROCK.value([1.0, 1.0]) == 0.0
    grid = np.stack(np.meshgrid(np.linspace(-2, 2, 401), np.linspace(-1, 3, 401)), -1)
    assert ROSENBROCK.value(grid).min() == 0.0
    assert np.isclose(ROSENBROCK.value([-1.0, 1.0]), 4.0)  # on the valley floor y = x^2


def test_saddle_is_a_saddle_bounded_below_with_its_minima():
    np.testing.assert_allclose(SADDLE.grad([0.0, 0.0]), 0.0)
    assert SADDLE.value([0.1, 0.0]) > 0 > SADDLE.value([0.0, 0.1])
    grid = np.stack(np.meshgrid(np.linspace(-3, 3, 601), np.linspace(-3, 3, 601)), -1)
    assert SADDLE.value(grid).min() == pytest.approx(-1.0, abs=1e-4)
    np.testing.assert_allclose(SADDLE.value(SADDLE.minima), -1.0)
    np.testing.assert_allclose(np.abs(SADDLE.minima[:, 1]), math.sqrt(2))


def test_steps_to_leave_counts_the_first_step_outside():
    history = descend(SADDLE, [[0.0, 1e-3], [0.0, 0.0], [2.0, 0.0]], SGD(0.05), 200)
    leave = steps_to_leave(history, [0.0, 0.0], 0.5)
    distance = np.linalg.norm(history.points, axis=-1)
    k = leave[0]
    assert k > 0 and distance[k, 0] > 0.5 and np.all(distance[:k, 0] <= 0.5)
    assert leave[1] == -1 and leave[2] == 0


def test_momentum_and_adam_leave_the_saddle_sooner_than_sgd():
    start = [[1e-3, 1e-3]]
    leave = {
        o.name: int(steps_to_leave(descend(SADDLE, start, o, 300), [0, 0], 0.5)[0])
        for o in (SGD(0.05), Momentum(0.05), Adam(0.05))
    }
    assert 0 < leave["Momentum"] < leave["SGD"] and 0 < leave["Adam"] < leave["SGD"], leave


@pytest.mark.parametrize(
    "args, message",
    [
        (([0.0, 0.0], 0.0), "radius must be finite and > 0, got 0"),
        (([0.0], 1.0), r"centre must have shape \(\.\.\., 2\)"),
        (([np.nan, 0.0], 1.0), "centre must be finite"),
    ],
)
def test_steps_to_leave_rejects_bad_input(args, message):
    history = descend(SADDLE, [[0.0, 0.1]], SGD(0.1), 3)
    with pytest.raises(ValueError, match=message):
        steps_to_leave(history, *args)
