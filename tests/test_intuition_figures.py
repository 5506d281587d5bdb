"""The convex, minima and field figures: gdmath's minimum classification, scenes that
build with tiny parameters and draw gdmath's numbers, and real renders at -q l."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from manim import LEFT, UL, ValueTracker

import gdmath
from gdmath import PARABOLA, SIN_HILLS, TRIPLE_WELL, global_mask, gradient_descent, nearest_minimum
from scenes import REGISTRY, theme, with_params
from scenes.captions import recorded
from scenes.components import gradient_arrows, label, plane_axes, step_counter
from scenes.convex import SLIDE_SAMPLES, ConvexScene, convex_run
from scenes.field import FieldScene
from scenes.hills import HillsScene
from scenes.minima import MinimaScene, minima_run

TINY_CONVEX = {"steps": 3}
TINY_MINIMA = {"starts": (-2.3, -0.4, 0.3, 1.7), "steps": 5}
TINY_FIELD = {"n_points": 3, "steps": 4, "arrows_per_side": 4, "map_pixels": 16}


# --- gdmath: which minimum, global or local ----------------------------------------


def test_global_mask_marks_the_global_minima():
    np.testing.assert_array_equal(global_mask(TRIPLE_WELL), [True, False, True])
    assert global_mask(PARABOLA).tolist() == [True]
    assert global_mask(SIN_HILLS).all()


def test_nearest_minimum_matches_brute_force_and_is_vectorised():
    points = np.random.default_rng(3).uniform(-3, 3, size=(4, 5, 1))
    verdict = nearest_minimum(TRIPLE_WELL, points)
    assert verdict.index.shape == verdict.is_global.shape == verdict.distance.shape == (4, 5)
    assert verdict.minimum.shape == (4, 5, 1)
    for i in range(4):
        for j in range(5):
            distances = [abs(points[i, j, 0] - m) for m in TRIPLE_WELL.minima[:, 0]]
            assert verdict.index[i, j] == int(np.argmin(distances))
            assert verdict.distance[i, j] == pytest.approx(min(distances))
            assert verdict.is_global[i, j] == (abs(TRIPLE_WELL.minima[verdict.index[i, j], 0]) == 2.0)


def test_triple_well_verdict_follows_the_basin_of_the_start():
    """Start in |x| < 1 and you stop in the local minimum; start outside and you reach a global one."""
    starts = np.concatenate([np.linspace(-2.4, -1.1, 14), np.linspace(-0.9, 0.9, 19), np.linspace(1.1, 2.4, 14)])
    history = gradient_descent(TRIPLE_WELL, starts[:, None], alpha=0.03, steps=400)
    verdict = nearest_minimum(TRIPLE_WELL, history.final)
    assert verdict.settled.all()
    np.testing.assert_array_equal(verdict.is_global, np.abs(starts) > 1)
    np.testing.assert_allclose(TRIPLE_WELL.value(verdict.minimum), np.where(verdict.is_global, 0.0, 4 / 3), atol=1e-12)


def test_sin_hills_verdicts_are_all_global():
    starts = gdmath.random_starts(50, [-3, -3], [3, 3], seed=5)
    verdict = nearest_minimum(SIN_HILLS, gradient_descent(SIN_HILLS, starts, alpha=0.1, steps=300).final)
    assert verdict.is_global.all()


@pytest.mark.parametrize(
    "args, message",
    [
        (([1.0, 2.0],), r"points must have shape \(\.\.\., 1\)"),
        (([[np.nan]],), "points must be finite"),
        (([[0.0]], 0.0), "tolerance must be finite and > 0, got 0"),
    ],
)
def test_nearest_minimum_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        nearest_minimum(TRIPLE_WELL, *args)


# --- convex ---------------------------------------------------------------------------


def test_convex_run_is_gdmaths_descent_with_its_slopes_and_the_curve_between_steps():
    p = ConvexScene.params
    run = convex_run(p)
    expected = gradient_descent(PARABOLA, [[p.start]], alpha=p.alpha, steps=p.steps)
    np.testing.assert_array_equal(run.history.points, expected.points)
    x = expected.points[:, 0, 0]
    np.testing.assert_allclose(run.slopes, 2 * x)  # d(x^2)/dx
    # each step's stretch of curve: samples of x from x_k to x_k+1, on x^2
    assert run.slides.shape == (p.steps, SLIDE_SAMPLES, 2)
    np.testing.assert_allclose(run.slides[:, 0, 0], x[:-1])
    np.testing.assert_allclose(run.slides[:, -1, 0], x[1:])
    np.testing.assert_allclose(run.slides[..., 1], run.slides[..., 0] ** 2)
    assert np.all(np.diff(run.slides[..., 0], axis=1) > 0)  # from the left, x only grows
    assert run.top == p.view**2


def test_convex_facts_are_gdmaths_numbers_in_the_description():
    h = gdmath.gradient_descent(PARABOLA, [[-2.5]], alpha=0.2, steps=12)
    x, f = h.final[0, 0], h.values[-1, 0]
    facts = convex_run(ConvexScene.params).facts()
    assert facts == ("starts at x = -2.5, where df/dx = -5", "12 steps of size 0.2",
                     f"After 12 steps the dot is at x = {x:.3g}, f = {f:.3g}; the minimum is at x = 0")
    for fact in facts:
        assert fact in ConvexScene.describe()
    changed = with_params(ConvexScene, start=1.5, steps=4)
    assert "starts at x = 1.5, where df/dx = 3" in changed.describe()


def test_convex_builds_and_its_readout_shows_gdmaths_history(build_scene):
    scene = build_scene(with_params(ConvexScene, **TINY_CONVEX))
    p = scene.params
    expected = gradient_descent(PARABOLA, [[p.start]], alpha=p.alpha, steps=3)
    np.testing.assert_array_equal(scene.data.history.points, expected.points)

    # the readout's lines as they stand at the end, parsed back: gdmath's last step
    step_line, x_line, slope_line = (line.texts[line.shown] for line in scene.readout)
    assert step_line == "step 3 / 3"
    assert float(x_line.split("=")[1]) == pytest.approx(expected.points[-1, 0, 0], abs=5e-4)
    assert float(slope_line.split("=")[1]) == pytest.approx(2 * expected.points[-1, 0, 0], abs=5e-4)  # d(x^2)/dx
    # every step's line was typeset from the history (x_k, then the slope 2 x_k)
    xs = [float(text.split("=")[1]) for text in scene.readout[1].texts]
    np.testing.assert_allclose(xs, expected.points[:, 0, 0], atol=5e-4)
    # the dots sit on the curve at gdmath's points, and the dot ends on the last one
    on_curve = scene.axes.c2p(np.column_stack([expected.points[:, 0, 0], expected.values[:, 0]]))
    np.testing.assert_allclose(scene.places, on_curve)
    np.testing.assert_allclose(scene.step_paths[:, [0, -1]], np.stack([on_curve[:-1], on_curve[1:]], axis=1))
    np.testing.assert_allclose(scene.dot.get_center(), on_curve[-1], atol=1e-9)
    crumbs = scene.crumbs.points.reshape(3, -1, 3)  # one faint dot left at each step's start
    np.testing.assert_allclose((crumbs.min(axis=1) + crumbs.max(axis=1)) / 2, on_curve[:-1], atol=1e-9)


def test_convex_cues_name_each_step_and_the_facts(build_scene):
    scene = build_scene(with_params(ConvexScene, **TINY_CONVEX))
    h = gdmath.gradient_descent(PARABOLA, [[-2.5]], alpha=0.2, steps=3)
    texts = "\n".join(text for _, text in recorded(scene))
    for k in (1, 2):
        assert f"Step {k}: x = {h.points[k, 0, 0]:.3g}, df/dx = {2 * h.points[k, 0, 0]:.3g}" in texts
    for fact in scene.data.facts():
        assert fact in texts


def test_convex_arrow_points_uphill_and_the_dot_moves_against_it(build_scene):
    scene = build_scene(with_params(ConvexScene, **TINY_CONVEX))
    slopes = scene.data.slopes
    for k in range(3):
        arrow_x = (scene.tips[k] - scene.places[k])[0]
        moved_x = (scene.places[k + 1] - scene.places[k])[0]
        assert np.sign(arrow_x) == np.sign(slopes[k]) == -np.sign(moved_x)
        assert abs(arrow_x) == pytest.approx(abs(slopes[k]) * ConvexScene.slope_arrow_scale)
    # halfway through the arrow's growth in step 0 it is half grown, at the dot
    scene.follow_arrow(scene.arrow_share / 2)
    np.testing.assert_allclose(scene.arrow.starts[0], scene.places[0])
    np.testing.assert_allclose(scene.arrow.ends[0], (scene.places[0] + scene.tips[0]) / 2)
    assert scene.moment(1.999)[0] == 1 and scene.moment(3.0) == (3, 0.0, 0.0)


def test_convex_default_run_settles_at_the_minimum():
    p = ConvexScene.params
    run = convex_run(p)
    assert abs(p.start) > 0.8 * p.view  # it starts well up one side
    assert abs(run.history.final[0, 0]) < 0.01


def test_convex_reads_its_objective_from_one_field():
    """A figure on another function of x: the one field swaps what is computed and drawn."""
    shifted = gdmath.Objective(
        name="shifted", dim=1, tex="f(x) = (x - 1)^2",
        evaluate=lambda q: ((q[..., 0] - 1) ** 2, 2 * (q[..., 0:1] - 1)),
        minima=np.array([[1.0]]), global_minima=np.array([[1.0]]),
    )
    shifted_params = dataclasses.make_dataclass("ShiftedParams", [], bases=(type(ConvexScene.params),), frozen=True,
                                                namespace={"default_objective": shifted})
    other = type("ShiftedConvex", (ConvexScene,), {"params": shifted_params()})
    assert other.describe().endswith("the minimum is at x = 1.")
    np.testing.assert_allclose(other.compute(other.params).slopes[0], 2 * (-2.5 - 1))


# --- minima ---------------------------------------------------------------------------


def test_minima_run_is_gdmaths_descent_verdict_and_settled_counts():
    p = MinimaScene.params
    run = minima_run(p)
    starts = np.array([-2.35, -1.6, -0.8, -0.25, 0.45, 1.2, 1.75, 2.4])[:, None]
    h = gdmath.gradient_descent(TRIPLE_WELL, starts, alpha=0.03, steps=50)
    np.testing.assert_array_equal(run.history.points, h.points)
    verdict = nearest_minimum(TRIPLE_WELL, h.final)
    np.testing.assert_array_equal(run.verdict.is_global, verdict.is_global)
    np.testing.assert_array_equal(run.verdict.index, verdict.index)
    settled = [int(nearest_minimum(TRIPLE_WELL, h.points[k]).settled.sum()) for k in range(51)]
    np.testing.assert_array_equal(run.settled, settled)
    assert run.settled[0] == 0 and run.settled[-1] == 8  # none start in a minimum; all arrive
    np.testing.assert_array_equal(run.minimum_is_global, [True, False, True])


def test_minima_facts_are_gdmaths_verdict_in_the_description():
    starts = np.array([-2.35, -1.6, -0.8, -0.25, 0.45, 1.2, 1.75, 2.4])[:, None]
    h = gdmath.gradient_descent(TRIPLE_WELL, starts, alpha=0.03, steps=50)
    best = int(nearest_minimum(TRIPLE_WELL, h.final).is_global.sum())
    run = minima_run(MinimaScene.params)
    assert run.n_global == best
    assert run.facts() == ("8 starts", f"After 50 steps {best} of 8 starts end in a global minimum, {8 - best} in the local one")
    for fact in run.facts():
        assert fact in MinimaScene.describe()


def test_minima_builds_and_its_verdicts_are_gdmaths(build_scene):
    scene = build_scene(with_params(MinimaScene, **TINY_MINIMA))
    starts = np.array(TINY_MINIMA["starts"])[:, None]
    expected = gradient_descent(TRIPLE_WELL, starts, alpha=MinimaScene.params.alpha, steps=5)
    np.testing.assert_array_equal(scene.data.history.points, expected.points)
    verdict = nearest_minimum(TRIPLE_WELL, expected.final)
    np.testing.assert_array_equal(scene.data.verdict.is_global, verdict.is_global)
    np.testing.assert_array_equal(scene.data.verdict.is_global, [True, False, False, True])

    on_curve = scene.curve_axes.c2p(np.stack([expected.points[..., 0], expected.values], -1).reshape(-1, 2))
    np.testing.assert_allclose(scene.marks_curve.screen_points, on_curve.reshape(6, 4, 3))
    for dot, end in zip(scene.marks_curve.dots, on_curve.reshape(6, 4, 3)[-1]):
        np.testing.assert_allclose(dot.get_center(), end, atol=1e-9)
    assert scene.summary[0].text.startswith("2of4")  # Text drops spaces
    # the mid-run cue counts the starts settled by then; the last one says where they ended
    texts = "\n".join(text for _, text in recorded(scene))
    mid = int(nearest_minimum(TRIPLE_WELL, expected.points[2]).settled.sum())
    assert f"Step 2 of 5: {mid} of 4 starts have settled in a minimum" in texts
    for fact in scene.data.facts():
        assert fact in texts


def test_minima_default_starts_reach_both_kinds_of_minimum():
    p = MinimaScene.params
    assert len(p.starts) >= 6
    starts = np.array(p.starts)
    assert (np.abs(starts) < 1).sum() >= 2 and (starts < -1).sum() >= 1 and (starts > 1).sum() >= 1
    history = gradient_descent(TRIPLE_WELL, starts[:, None], alpha=p.alpha, steps=p.steps)
    verdict = nearest_minimum(TRIPLE_WELL, history.final)
    assert verdict.settled.all() and not history.diverged.any()
    np.testing.assert_array_equal(verdict.is_global, np.abs(starts) > 1)
    # the curve stays inside its axes over the view
    assert TRIPLE_WELL.value([p.view]) < p.default_range[1]


# --- field ----------------------------------------------------------------------------


def test_field_draws_the_hills_run():
    """The same starts and paths as the hills figure (each figure's pure function of its own params)."""
    field = FieldScene.compute(FieldScene.params).run.history
    hills = HillsScene.compute(HillsScene.params).history
    np.testing.assert_array_equal(field.points, hills.points)
    starts = gdmath.random_starts(12, [-np.pi, -np.pi], [np.pi, np.pi], seed=1)
    np.testing.assert_array_equal(field.points, gradient_descent(SIN_HILLS, starts, alpha=0.1, steps=80).points)


def test_field_builds_with_arrows_from_gdmath_pointing_uphill(build_scene):
    scene = build_scene(with_params(FieldScene, **TINY_FIELD))
    grid = np.array([-3.75, -1.25, 1.25, 3.75])  # the centres of 4 cells across [-5, 5]
    points, grads = gdmath.gradient_field(SIN_HILLS, grid, grid)
    np.testing.assert_allclose(scene.data.arrow_points, points, atol=1e-12)
    np.testing.assert_allclose(scene.data.arrow_grads, grads, atol=1e-12)
    arrows = scene.arrows
    assert arrows.starts.shape == arrows.ends.shape == (16, 3)
    vectors = (arrows.ends - arrows.starts)[:, :2]
    flat_grads = grads.reshape(-1, 2)
    assert np.all(np.sum(vectors * flat_grads, axis=-1) > 0)  # uphill
    np.testing.assert_allclose(
        (arrows.starts + arrows.ends)[:, :2] / 2, scene.map_axes.c2p(points.reshape(-1, 2))[:, :2], atol=1e-9
    )
    lengths = np.linalg.norm(vectors, axis=-1)
    magnitudes = np.linalg.norm(flat_grads, axis=-1)
    np.testing.assert_allclose(lengths / lengths.max(), magnitudes / magnitudes.max(), rtol=1e-9)
    spacing = FieldScene.map_size / TINY_FIELD["arrows_per_side"]
    assert lengths.max() == pytest.approx(FieldScene.arrow_fill * spacing)  # arrows never touch

    starts = gdmath.random_starts(3, [-np.pi, -np.pi], [np.pi, np.pi], seed=FieldScene.params.seed)
    expected = gradient_descent(SIN_HILLS, starts, alpha=FieldScene.params.alpha, steps=4)
    np.testing.assert_array_equal(scene.data.run.history.points, expected.points)
    for dot, end in zip(scene.marks.dots, scene.marks.screen_points[-1]):
        np.testing.assert_allclose(dot.get_center(), end, atol=1e-9)
    assert scene.counter.shown == 4


def test_field_arrows_are_drawn_before_the_moving_marks(build_scene):
    scene = build_scene(with_params(FieldScene, **TINY_FIELD))
    order = scene.mobjects
    assert order.index(scene.arrows) < order.index(scene.marks)
    assert order.index(scene.map) < order.index(scene.marks)


def test_the_three_are_registered():
    assert REGISTRY["convex"].scene is ConvexScene
    assert REGISTRY["minima"].scene is MinimaScene
    assert REGISTRY["field"].scene is FieldScene


# --- components -------------------------------------------------------------------------


def test_gradient_arrows_skip_zero_vectors_and_batch_into_two_paths():
    axes = plane_axes([-1, 1, 1], [-1, 1, 1], 4, 4)
    field = gradient_arrows(axes, [[0, 0], [0.5, 0.5], [-0.5, 0]], [[1, 0], [0, 0], [0, -0.5]], longest=1.0)
    assert len(field.submobjects) == 2 and field.starts.shape == (2, 3)
    np.testing.assert_allclose(field.ends - field.starts, [[1.0, 0, 0], [0, -0.5, 0]])
    assert field.shafts.get_num_curves() == 2 and field.heads.get_num_curves() == 6
    assert gradient_arrows(axes, np.zeros((0, 2)), np.zeros((0, 2)), 1.0).starts.shape == (0, 3)


@pytest.mark.parametrize("k", [0, 7, 10, 45, 80])
def test_step_counter_looks_exactly_like_typeset_text(k):
    tracker = ValueTracker(0)
    counter = step_counter(tracker, 80).to_corner(UL)
    tracker.set_value(k + 0.5)
    counter.update(0)
    assert counter.shown == k
    typeset = label(f"step {k} / 80", size=theme.READOUT_SIZE, color=theme.TEXT)
    typeset.move_to(counter.get_left(), aligned_edge=LEFT)
    typeset_points = np.concatenate([glyph.points for glyph in typeset])
    np.testing.assert_allclose(counter.points, typeset_points, atol=1e-6)
    np.testing.assert_allclose(counter.get_fill_color().to_rgb(), typeset[0].get_fill_color().to_rgb())


# --- real renders -----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name, shortest, longest", [("convex", 10, 30), ("minima", 8, 20), ("field", 8, 20)])
def test_renders_a_valid_video_at_low_quality(name, shortest, longest, published_low):
    from pipeline import publish

    result = published_low(name)
    info = publish.probe_video(result.video)
    publish.check_video(info, "l")
    assert shortest <= info.duration <= longest
    assert result.poster.exists()
