"""The optimizers and saddle figures draw gdmath's numbers; their renders show every path."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import read_frames

import gdmath
from gdmath import ROSENBROCK, SADDLE
from scenes import REGISTRY, theme, with_params
from scenes.optimizers import OptimizerRace, RaceParams, race
from scenes.saddle import SaddleEscape, SaddleParams, escape

TINY_RACE = {"steps": 12, "map_pixels": 16}
TINY_SADDLE = {"steps": 40, "surface_resolution": 4, "map_pixels": 16}


def test_both_figures_follow_the_learning_rates_in_the_post_order():
    assert list(REGISTRY).index("optimizers") == list(REGISTRY).index("learning_rates") + 1
    assert list(REGISTRY).index("saddle") == list(REGISTRY).index("optimizers") + 1


def expected_race(p):
    """The five runs written out from the params, independently of the scene module."""
    rules = [
        gdmath.SGD(p.sgd_alpha),
        gdmath.Momentum(p.momentum_alpha, p.momentum_beta),
        gdmath.Nesterov(p.nesterov_alpha, p.nesterov_beta),
        gdmath.RMSProp(p.rmsprop_alpha, p.rmsprop_rho),
        gdmath.Adam(p.adam_alpha, p.adam_beta1, p.adam_beta2),
    ]
    return [gdmath.descend(ROSENBROCK, [p.start], rule, p.steps) for rule in rules]


@pytest.mark.parametrize("steps", [12, 300])
def test_race_verdict_names_gdmaths_closest_run(build_scene, steps):
    scene = build_scene(with_params(OptimizerRace, **(TINY_RACE | {"steps": steps})))
    expected = expected_race(scene.params)
    distances = [float(np.hypot(*(h.points[-1, 0] - [1.0, 1.0]))) for h in expected]
    winner = expected[int(np.argmin(distances))].optimizer.name
    shown = scene.verdict.original_text
    assert f": {winner}, " in shown and f"{min(distances):.3f} away" in shown, shown
    assert f"after {steps} steps" in shown
    for h, want in zip(scene.data.histories, expected):
        np.testing.assert_array_equal(h.points, want.points)


def test_race_draws_each_path_and_loss_where_gdmath_put_it(build_scene):
    scene = build_scene(with_params(OptimizerRace, **TINY_RACE))
    expected = expected_race(scene.params)
    # drawn in reverse: the last group is SGD's path
    for steps, h in zip(reversed(scene.paths), expected):
        assert steps.last == h.steps
        head = np.array(scene.window.p2c(steps.head.get_center()))
        np.testing.assert_allclose(head, h.points[-1, 0], atol=1e-6)
    losses = scene.loss_marks.dots
    for dot, h in zip(losses, expected):
        step, loss = scene.loss_axes.p2c(dot.get_center())
        assert step == pytest.approx(h.steps)
        assert loss == pytest.approx(max(h.values[-1, 0], 10.0 ** scene.decades[0]), rel=1e-6)
    colours = [e[1].get_color() for e in scene.legend]
    assert len(set(map(str, colours))) == 5
    assert [str(c) for c in colours] == [str(theme.OPT_COLORS[h.optimizer.name]) for h in expected]


def test_saddle_readout_is_the_steps_gdmath_took_to_leave(build_scene):
    scene = build_scene(with_params(SaddleEscape, **TINY_SADDLE))
    p = scene.params
    rules = [gdmath.SGD(p.alpha), gdmath.Momentum(p.alpha, p.momentum_beta),
             gdmath.Adam(p.alpha, p.adam_beta1, p.adam_beta2)]
    lines = [m.original_text for m in scene.readout[1]]
    for rule, line in zip(rules, lines):
        assert line == steps_to_leave(gdmath.descend(SADDLE, [p.start], rule, p.steps), p.radius, p.steps)
    # in 40 steps plain descent has not left yet (the readout says so); the other two have
    assert lines[0] == "SGD: not within 40" and all(int(k) > 0 for k in scene.data.leave[1:]), lines


def steps_to_leave(h, radius: float, steps: int) -> str:
    """``"SGD: 66"``, or ``"SGD: not within 100"``: the first step outside the circle, found here."""
    outside = np.hypot(h.points[:, 0, 0], h.points[:, 0, 1]) > radius
    return f"{h.optimizer.name}: {int(np.flatnonzero(outside)[0])}" if outside.any() else \
        f"{h.optimizer.name}: not within {steps}"


def test_the_race_numbers_are_gdmaths():
    """What the cues and the description say: the losses at a third of the way and at the
    end, and the run closest to (1, 1), computed here."""
    expected = expected_race(RaceParams())
    data = race(RaceParams())
    for h, want in zip(data.histories, expected):
        np.testing.assert_array_equal(h.points, want.points)
    adam = gdmath.descend(ROSENBROCK, [[-1.2, 1.0]], gdmath.Adam(0.1), 300)
    assert f"Adam {adam.values[100, 0]:.3g}" in data.losses(100)
    final = ", ".join(f"{h.optimizer.name} {h.values[-1, 0]:.3g}" for h in expected)
    distances = [float(np.hypot(*(h.points[-1, 0] - [1.0, 1.0]))) for h in expected]
    best = int(np.argmin(distances))
    verdict = f"closest to (1, 1) after 300 steps: {expected[best].optimizer.name}, {distances[best]:.3f} away"
    assert data.facts() == (verdict, final)
    text = OptimizerRace.describe()
    assert f"Final losses: {final}. The {verdict}." in text


def test_the_escape_numbers_are_gdmaths():
    p = SaddleParams()
    rules = [gdmath.SGD(0.05), gdmath.Momentum(0.05, beta=0.9), gdmath.Adam(0.05)]
    expected = [steps_to_leave(gdmath.descend(SADDLE, [[0.4, 0.001]], rule, 100), 0.5, 100) for rule in rules]
    data = escape(p)
    assert data.facts() == tuple(expected) and all("not within" not in line for line in expected)
    assert f"Steps to leave the circle of radius 0.5: {', '.join(expected)}." in SaddleEscape.describe()


def colour_present(frame: np.ndarray, colour, tolerance: int = 40, at_least: int = 10) -> bool:
    rgb = np.array([round(255 * c) for c in colour.to_rgb()])
    return int((np.abs(frame.astype(int) - rgb).max(axis=-1) < tolerance).sum()) >= at_least


@pytest.mark.slow
@pytest.mark.parametrize("name, rules", [("optimizers", ["SGD", "Momentum", "Nesterov", "RMSProp", "Adam"]),
                                         ("saddle", ["SGD", "Momentum", "Adam"])])
def test_low_quality_render_shows_every_optimizers_colour(name, rules, published_low):
    from pipeline import publish

    result = published_low(name)
    publish.check_video(publish.probe_video(result.video), "l")
    first, last = read_frames(result.video, [0, -1])
    assert first.shape == (480, 854, 3)
    for rule in rules:
        assert colour_present(last, theme.OPT_COLORS[rule]), f"{rule}'s colour is missing from {name}"
    assert np.abs(first.astype(int) - last.astype(int)).max() > 100  # the paths were drawn
