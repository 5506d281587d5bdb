"""Scenes build with tiny parameters, and what they draw comes from gdmath."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import gdmath
from scenes import DEFAULT_FIGURE, ORDER, REGISTRY, figure, with_params
from scenes.hills import HillsScene

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


def test_hills_builds_and_draws_the_gdmath_descent(build_scene):
    scene = build_scene(with_params(HillsScene, **TINY_HILLS))
    history = scene.history
    assert history.points.shape == (5, 3, 2)

    expected = gdmath.gradient_descent(
        gdmath.SIN_HILLS, history.points[0], alpha=HillsScene.params.alpha, steps=4
    )
    np.testing.assert_array_equal(history.points, expected.points)

    on_map = scene.map_axes.c2p(history.points.reshape(-1, 2)).reshape(5, 3, 3)
    np.testing.assert_allclose(scene.marks_map.screen_points, on_map)
    # after the last animation the dots sit on the last step of the history
    for dot, end in zip(scene.marks_map.dots, on_map[-1]):
        np.testing.assert_allclose(dot.get_center(), end, atol=1e-9)
    assert scene.counter.shown == 4


def test_hills_starts_come_from_the_seed(build_scene):
    a = build_scene(with_params(HillsScene, **TINY_HILLS)).history.points[0]
    b = build_scene(with_params(HillsScene, **TINY_HILLS, seed=99)).history.points[0]
    assert not np.array_equal(a, b)
    box = HillsScene.params.start_box
    assert np.all(np.abs(a) <= box)


def test_default_hills_run_ends_every_start_in_a_minimum():
    params = HillsScene.params
    scene = HillsScene.__new__(HillsScene)  # descend() needs only the params
    history = HillsScene.descend(scene)
    assert not history.diverged.any()
    np.testing.assert_allclose(history.values[-1], -1.0, atol=1e-3)
    assert np.all(np.abs(history.final) <= params.view)
