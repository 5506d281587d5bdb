"""Issue 21 item 8: any step size the rules allow is drawn honestly. A run that leaves a
figure's view is clipped to its panel, with an arrowhead on the edge where it went; one
whose step overflows (``alpha=1e308``) is drawn going out the way it went; the captions
count what ran off; and no floating-point warning escapes (warnings are errors here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import gdmath
from gdmath import PARABOLA, SIN_HILLS
from scenes import REGISTRY, with_params
from scenes.components import BatchedMarks

ROOT = Path(__file__).resolve().parent.parent
HUGE = 1e308

#: The descent figures whose one step size is ``alpha``, and small versions of them.
SMALL = {
    "hills": dict(steps=6, map_pixels=8, surface_resolution=4, n_points=5),
    "field": dict(steps=6, map_pixels=8, arrows_per_side=4, n_points=5),
    "basins": dict(steps=6, map_pixels=8, per_side=6),
    "minima": dict(steps=6),
    "convex": dict(steps=4),
    "saddle": dict(steps=6, map_pixels=8, surface_resolution=4),
}


# --- gdmath ---------------------------------------------------------------------------
@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_a_step_that_overflows_records_its_direction():
    h = gdmath.gradient_descent(PARABOLA, [[1.0], [-2.0], [0.0]], alpha=HUGE, steps=3)
    np.testing.assert_array_equal(h.frozen_at, [1, 1, -1])
    np.testing.assert_array_equal(h.overflowed_towards, [[-1.0], [1.0], [0.0]])  # against the slope
    assert np.isfinite(h.points).all()
    tame = gdmath.gradient_descent(PARABOLA, [[1.0]], alpha=0.1, steps=3)
    assert not tame.overflowed_towards.any()


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_window_view_is_finite_and_each_shown_point_is_on_the_window():
    starts = gdmath.random_starts(20, [-3, -3], [3, 3], seed=2)
    low, high = np.array([-5.0, -5.0]), np.array([5.0, 5.0])
    for alpha in (HUGE, 1e200, 3.0, 0.1):
        h = gdmath.gradient_descent(SIN_HILLS, starts, alpha=alpha, steps=30)
        points, clipped = gdmath.window_view(h, low, high)
        assert points.shape == h.points.shape and np.isfinite(points).all()
        assert ((clipped.edge >= low - 1e-9) & (clipped.edge <= high + 1e-9)).all()
        start, move = points[:-1], np.diff(points, axis=0)
        for t in (clipped.t_in, clipped.t_out):  # each visible part of a step lies in the window
            ends = (start + t[..., None] * move)[clipped.visible]
            assert ((ends >= low - 1e-9) & (ends <= high + 1e-9)).all()
        outside = ~clipped.inside
        assert np.allclose(np.linalg.norm(clipped.heading[outside], axis=-1), 1.0)
        if alpha == HUGE:
            assert outside[-1].all()  # every start went off
        if alpha == 0.1:
            assert clipped.inside.all()


def test_clip_path_of_many_paths_is_each_path_clipped():
    rng = np.random.default_rng(4)
    paths = rng.normal(scale=3.0, size=(9, 4, 2))
    many = gdmath.clip_path(paths, [-2, -1], [2, 1])
    for i in range(4):
        one = gdmath.clip_path(paths[:, i], [-2, -1], [2, 1])
        for name in ("t_in", "t_out", "inside", "edge", "heading"):
            np.testing.assert_allclose(getattr(many, name)[:, i], getattr(one, name))


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_a_line_fit_at_a_huge_step_stays_finite():
    x, y = gdmath.make_linear_data()
    h = gdmath.fit_line(x, y, alpha=HUGE, iterations=5)
    assert np.isfinite(h.w).all() and np.isfinite(h.b).all() and h.frozen_at >= 0
    assert abs(h.w[-1]) > 1e300  # it went as far as float64 goes, the way the step pointed


def test_a_steep_line_is_cut_exactly_to_the_panel():
    from scenes.regression import clipped_lines

    ends, shown = clipped_lines(np.array([4.49e307, 0.62, 1e-300]), np.array([2.83e307, 0.9, 100.0]),
                                (-2, 2), (-2.2, 2.2, 1), (-5, 7, 2))
    np.testing.assert_allclose(ends[0], [[-2.83 / 4.49, -5.0], [-2.83 / 4.49, 7.0]], rtol=1e-12)
    np.testing.assert_allclose(ends[1], [[-2.0, -0.34], [2.0, 2.14]], rtol=1e-12)
    assert shown.tolist() == [True, True, False]  # the last is flat at y = 100, above the panel


# --- what the figures compute ---------------------------------------------------------
@pytest.mark.filterwarnings("error::RuntimeWarning")
@pytest.mark.parametrize("name", sorted(SMALL))
def test_the_figures_compute_a_huge_step_without_a_warning(name):
    scene = with_params(REGISTRY[name].scene, alpha=HUGE, **SMALL[name])
    data = scene.compute(scene.params)
    text = " ".join(data.facts()) + " " + scene.describe()
    assert "1e+308" in text
    if name in ("hills", "field", "basins", "minima"):
        assert "ran off" in text, text
    if name == "convex":
        assert "diverged" in text, text


def test_hills_says_how_many_ran_off():
    scene = with_params(REGISTRY["hills"].scene, alpha=HUGE, **SMALL["hills"])
    assert scene.compute(scene.params).ended() == "0 of 5 starts end in a minimum, 5 ran off the map"


# --- what the figures draw (manim, in this process) -----------------------------------
def panel_box(axes) -> tuple[np.ndarray, np.ndarray]:
    corners = axes.c2p(np.array([[axes.x_range[0], axes.y_range[0]], [axes.x_range[1], axes.y_range[1]]]))
    return corners.min(0)[:2], corners.max(0)[:2]


def assert_within(points: np.ndarray, box, slack: float = 1e-6) -> None:
    low, high = box
    xy = points[..., :2].reshape(-1, 2)
    assert ((xy >= low - slack) & (xy <= high + slack)).all(), (xy.min(0), xy.max(0), box)


@pytest.mark.filterwarnings("error::RuntimeWarning")
@pytest.mark.parametrize("name", ["hills", "field", "basins"])
def test_a_runaway_is_drawn_inside_the_map_with_arrowheads(build_scene, name):
    scene = build_scene(with_params(REGISTRY[name].scene, alpha=HUGE, **SMALL[name]))
    marks = scene.marks_map if name == "hills" else scene.marks
    assert isinstance(marks, BatchedMarks) and marks.clip is not None
    box = panel_box(scene.map_axes)
    clip = marks.clip
    drawn = clip.t_in <= clip.t_out
    for ends in (clip.enter, clip.leave):
        assert_within(ends[drawn], box)
    assert_within(clip.shown_at, box)
    assert not clip.inside[-1].any()  # each start ends as an arrowhead on the edge
    tips = clip.markers[-1][:, 0]
    assert_within(tips, box)


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_minima_clips_both_panels(build_scene):
    scene = build_scene(with_params(REGISTRY["minima"].scene, alpha=0.3, **SMALL["minima"]))
    for marks, axes in ((scene.marks_curve, scene.curve_axes), (scene.marks_steps, scene.steps_axes)):
        assert marks.clip is not None
        drawn = marks.clip.t_in <= marks.clip.t_out
        assert_within(marks.clip.leave[drawn], panel_box(axes))
        assert_within(marks.clip.shown_at, panel_box(axes))
    assert "ran off the view" in scene.compute(scene.params).end


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_convex_hides_its_dot_off_the_panel_behind_an_arrowhead(build_scene):
    scene = build_scene(with_params(REGISTRY["convex"].scene, alpha=HUGE, **SMALL["convex"]))
    box = panel_box(scene.axes)
    assert scene.data.clipped is not None
    assert scene.dot.get_fill_opacity() == 0.0  # the poster: gone off the panel
    assert len(scene.off_marker.points) > 0
    assert_within(scene.off_marker.points[:1], box)  # its tip on the panel's edge


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_saddle_draws_a_runaway_inside_both_views(build_scene):
    scene = build_scene(with_params(REGISTRY["saddle"].scene, alpha=HUGE, **SMALL["saddle"]))
    assert isinstance(scene.marks_map, BatchedMarks) and scene.marks_map.clip is not None
    assert_within(scene.marks_map.clip.shown_at, panel_box(scene.map_axes))
    assert isinstance(scene.marks_3d, BatchedMarks)


# --- a real render, stderr read --------------------------------------------------------
@pytest.mark.subprocess
@pytest.mark.slow
def test_rendering_every_descent_figure_at_1e308_prints_no_warning(tmp_path):
    names = [*SMALL, "lr_unstable", "linear_fit", "parabolic_fit", "result"]
    scenes = [arg for name in names for arg in ("--scene", name)]
    run = subprocess.run(
        [sys.executable, "render.py", *scenes, "--set", f"alpha={HUGE:g}", "-q", "l", "--jobs", "2",
         "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "cache")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Warning" not in run.stderr, run.stderr
    for name in names:
        assert (tmp_path / "out" / f"{name}.png").stat().st_size > 0  # a video's poster, or the still
