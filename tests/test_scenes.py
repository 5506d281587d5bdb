"""Scenes build with tiny parameters, and what they draw comes from gdmath."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import gdmath
from gdmath import SIN_HILLS
from scenes import DEFAULT_FIGURE, ORDER, REGISTRY, figure, with_params
from scenes.field import FieldParams, FieldScene, field_run
from scenes.hills import HillsParams, HillsScene, hills_run

TINY_HILLS = {"n_points": 3, "steps": 4, "surface_resolution": 6, "map_pixels": 16}


def test_registry_describes_every_figure():
    assert DEFAULT_FIGURE in REGISTRY
    for name, declared in REGISTRY.items():
        assert declared.name == name and declared.title and declared.title != name
        assert declared.kind in ("video", "still", "page")
        assert declared.description.endswith(".") and len(declared.description) < 120
        if declared.kind == "page":
            assert callable(declared.build)
        else:
            assert declared.scene.figure_name == name and declared.scene.title == declared.title
            assert dataclasses.is_dataclass(declared.scene.params), f"{name} has no params dataclass"


def test_the_post_figures_come_first_in_the_post_order_and_the_rest_after():
    names = list(REGISTRY)
    post = [name for name in names if name in ORDER]
    assert post == [name for name in ORDER if name in REGISTRY]
    assert names[: len(post)] == post


def test_a_figure_is_declared_once():
    with pytest.raises(ValueError, match="figure 'hills' is declared twice"):
        figure("hills", title="Again", description="A second hills.")(type("Again", (), {}))
    with pytest.raises(ValueError, match="kind must be one of video, still, page, got 'movie'"):
        figure("new", title="New", description="New.", kind="movie")


def test_with_params_rejects_unknown_names():
    with pytest.raises(ValueError, match="unknown parameter speed for HillsScene; known: .*n_points"):
        with_params(HillsScene, speed=3)


def seeded_starts(n: int, seed: int, box: float = np.pi) -> np.ndarray:
    """The hills starts as the post describes them: uniform in [-box, box]^2 from the seed."""
    return gdmath.random_starts(n, [-box, -box], [box, box], seed=seed)


def test_hills_builds_and_draws_the_gdmath_descent(build_scene):
    scene = build_scene(with_params(HillsScene, **TINY_HILLS))
    history = scene.data.history
    assert history.points.shape == (5, 3, 2)

    expected = gdmath.gradient_descent(gdmath.SIN_HILLS, seeded_starts(3, seed=1), alpha=0.1, steps=4)
    np.testing.assert_array_equal(history.points, expected.points)

    on_map = scene.map_axes.c2p(expected.points.reshape(-1, 2)).reshape(5, 3, 3)
    np.testing.assert_allclose(scene.marks_map.screen_points, on_map)
    # after the last animation the dots sit on the last step of the history
    for dot, end in zip(scene.marks_map.dots, on_map[-1]):
        np.testing.assert_allclose(dot.get_center(), end, atol=1e-9)
    assert scene.counter.shown == 4


def test_hills_starts_come_from_the_seed():
    for seed in (1, 99):
        run = hills_run(HillsParams(n_points=5, steps=2, seed=seed))
        np.testing.assert_array_equal(run.history.points[0], seeded_starts(5, seed))
    assert not np.array_equal(hills_run(HillsParams(steps=1)).history.points[0],
                              hills_run(HillsParams(steps=1, seed=99)).history.points[0])


def test_default_hills_run_ends_every_start_in_a_minimum():
    params = HillsParams()
    history = hills_run(params).history
    assert not history.diverged.any()
    np.testing.assert_allclose(history.values[-1], -1.0, atol=1e-3)
    assert np.all(np.abs(history.final) <= params.view)


def test_hills_numbers_are_gdmaths_for_the_post_run():
    """What the cues and the description say (step 40 and the end of 80), computed here."""
    h = gdmath.gradient_descent(SIN_HILLS, seeded_starts(12, seed=1), alpha=0.1, steps=80)
    mid = int(gdmath.nearest_minimum(SIN_HILLS, h.points[40]).settled.sum())
    end = int(gdmath.nearest_minimum(SIN_HILLS, h.final).settled.sum())
    run = hills_run(HillsParams())
    np.testing.assert_array_equal(run.history.points, h.points)
    assert run.progress(40) == f"Step 40 of 80: {mid} of 12 starts have settled in a minimum"
    assert run.facts() == (f"{end} of 12 starts end in a minimum",)
    assert f"after 80 steps, {end} of 12 starts end in a minimum." in HillsScene.describe()
    # the field draws the same run and says the same
    field = field_run(FieldParams())
    np.testing.assert_array_equal(field.run.history.points, h.points)
    assert field.facts() == run.facts() and f"{end} of 12 starts end in a minimum." in FieldScene.describe()


def test_the_hills_map_is_the_objective_over_the_view():
    run = hills_run(HillsParams(steps=1, map_pixels=7))
    axis = np.linspace(-5.0, 5.0, 7)
    np.testing.assert_allclose(run.heights, np.outer(np.sin(axis), np.sin(axis)), atol=1e-12)
    assert run.settled.shape == (2,)


def test_a_new_objective_reaches_the_figure_through_one_field():
    """Swap the objective on the params (the one place) and the run, map and counts follow it."""

    @dataclasses.dataclass(frozen=True)
    class BowlParams(HillsParams):
        objective = gdmath.ELONGATED_BOWL

    p = BowlParams(n_points=4, steps=80, alpha=0.1, map_pixels=5)
    run = hills_run(p)
    expected = gdmath.gradient_descent(gdmath.ELONGATED_BOWL, seeded_starts(4, seed=1), alpha=0.1, steps=80)
    np.testing.assert_array_equal(run.history.points, expected.points)
    axis = np.linspace(-5.0, 5.0, 5)
    np.testing.assert_allclose(run.heights, 0.5 * (5 * axis[:, None] ** 2 + axis[None, :] ** 2))
    near = np.linalg.norm(expected.points, axis=-1) <= gdmath.SETTLED_TOLERANCE  # the bowl's one minimum: 0
    np.testing.assert_array_equal(run.settled, near.sum(axis=-1))
    assert run.settled[0] < run.settled[-1] == 4
