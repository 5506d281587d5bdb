"""The learning-rate figures: the four alphas behave as the post says (gdmath level),
the bowl's exact contours and the window clipping, scenes that build with tiny
parameters and draw gdmath's numbers, and real renders at -q l."""

from __future__ import annotations

import numpy as np
import pytest
from manim import DL, UR, ValueTracker

import gdmath
from gdmath import ELONGATED_BOWL, bowl_contours, clip_path, gradient_descent
from scenes import REGISTRY, theme, with_params
from scenes.captions import recorded
from scenes.components import (
    ClippedSteps,
    GlyphReadout,
    decade_range,
    label,
    plane_axes,
    power_of_ten,
    sci,
)
from scenes.learning_rates import (
    GOOD,
    LARGE,
    RATE_SCENES,
    RATES,
    SMALL,
    UNSTABLE,
    ABitUnstable,
    AdequatelyFast,
    ComparingLearningRates,
    ComparisonParams,
    LearningRateParams,
    LearningRateScene,
    SlowAndSteady,
    Unusable,
    rate_run,
    rates_overview,
    window_extent,
)

SINGLES = {
    SMALL.name: SlowAndSteady,
    GOOD.name: AdequatelyFast,
    LARGE.name: ABitUnstable,
    UNSTABLE.name: Unusable,
}
TINY = {"steps": 4, "contours": 2}
PARAMS = LearningRateParams()


def run(rate) -> gdmath.DescentHistory:
    """The figure's own run, with the post's parameters."""
    return gradient_descent(ELONGATED_BOWL, [PARAMS.start], alpha=rate.alpha, steps=PARAMS.steps)


def sign_changes(x: np.ndarray) -> int:
    return int(np.sum(np.sign(x[1:]) != np.sign(x[:-1])))


# --- the four behaviours, in gdmath ----------------------------------------------------


def test_alphas_are_chosen_from_the_curvature():
    """Curvatures 5 and 1: stable for alpha < 2/5, no oscillation along x for alpha <= 1/5."""
    assert 0 < SMALL.alpha < GOOD.alpha <= 0.2 < LARGE.alpha < 0.4 <= UNSTABLE.alpha
    assert [r.name for r in RATES] == [scene.figure_name for scene in RATE_SCENES]
    assert ComparingLearningRates.params.alphas == tuple(r.alpha for r in RATES)


def test_every_figure_shares_start_and_iterations():
    for scene in [*SINGLES.values(), ComparingLearningRates]:
        assert scene.params.steps == PARAMS.steps and scene.params.start == PARAMS.start
    assert [scene.params.alpha for scene in SINGLES.values()] == [r.alpha for r in RATES]


def test_small_is_stable_but_far_from_the_minimum():
    history = run(SMALL)
    values = history.values[:, 0]
    assert not history.diverged[0]
    assert np.all(np.diff(values) < 0)
    assert values[-1] > 0.1 * values[0] and values[-1] > 0.5  # well above zero
    assert np.linalg.norm(history.final[0]) > 1.0


def test_good_decreases_monotonically_without_oscillation():
    history = run(GOOD)
    values, x = history.values[:, 0], history.points[:, 0, 0]
    assert not history.diverged[0]
    assert np.all(np.diff(values) < 0)
    assert sign_changes(x) == 0
    assert values[-1] < 1e-6
    np.testing.assert_allclose(history.final[0], ELONGATED_BOWL.minima[0], atol=1e-3)


def test_large_oscillates_across_the_valley_and_settles():
    history = run(LARGE)
    values, x = history.values[:, 0], history.points[:, 0, 0]
    assert not history.diverged[0]
    assert sign_changes(x) >= 10
    assert values[-1] < 1e-3 * values[0]
    assert abs(x[-1]) < 0.01 * abs(x[0]) and np.all(np.abs(x[1:]) < np.abs(x[:-1]))


def test_unstable_diverges_to_the_posts_loss_scale():
    history = run(UNSTABLE)
    final = history.values[-1, 0]
    assert 1e17 <= final <= 1e20
    assert history.diverged[0]
    assert history.frozen_at[0] == -1  # computed honestly all the way, not frozen
    assert np.all(np.diff(history.values[:, 0]) > 0)
    # the loss grows like |1 - 5 alpha|^(2k): 2.5 x0^2 1.5^(2k) once y has died out
    assert final == pytest.approx(2.5 * PARAMS.start[0] ** 2 * 1.5 ** (2 * PARAMS.steps), rel=1e-6)


# --- gdmath geometry: exact contours, clipping -----------------------------------------


def test_bowl_contours_are_level_sets_of_the_bowl():
    levels, semi_axes = bowl_contours(4.5, 6)
    assert levels.shape == (6,) and semi_axes.shape == (6, 2)
    assert levels[-1] == pytest.approx(4.5)
    np.testing.assert_allclose(np.diff(np.sqrt(levels)), np.sqrt(4.5) / 6)  # sizes grow evenly
    angles = np.linspace(0, 2 * np.pi, 17)
    ring = np.stack([np.cos(angles), np.sin(angles)], axis=-1)  # (17, 2)
    on_ellipses = semi_axes[:, None, :] * ring[None]  # (6, 17, 2)
    np.testing.assert_allclose(
        ELONGATED_BOWL.value(on_ellipses), np.repeat(levels[:, None], 17, axis=1)
    )


def test_bowl_contours_pass_through_the_start():
    top = float(ELONGATED_BOWL.value(PARAMS.start))
    _, semi_axes = bowl_contours(top, 3)
    x, y = PARAMS.start
    assert (x / semi_axes[-1, 0]) ** 2 + (y / semi_axes[-1, 1]) ** 2 == pytest.approx(1.0)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"top": 0.0, "n": 3}, "top must be finite and > 0, got 0"),
        ({"top": 1.0, "n": 0}, "n must be >= 1"),
        ({"top": 1.0, "n": 2, "curvature": [5.0, -1.0]}, "curvature must be"),
    ],
)
def test_bowl_contours_reject_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        bowl_contours(**kwargs)


def test_clip_path_matches_dense_sampling():
    rng = np.random.default_rng(7)
    points = rng.uniform(-4, 4, size=(60, 2))
    low, high = np.array([-2.5, -1.0]), np.array([2.0, 3.0])
    clipped = clip_path(points, low, high)
    t = np.linspace(0, 1, 2001)
    for k in range(59):
        samples = points[k] + t[:, None] * (points[k + 1] - points[k])
        seen = np.all((samples >= low) & (samples <= high), axis=-1)
        if not seen.any():
            assert not clipped.visible[k]
            continue
        assert clipped.visible[k]
        assert clipped.t_in[k] == pytest.approx(t[seen].min(), abs=1e-3)
        assert clipped.t_out[k] == pytest.approx(t[seen].max(), abs=1e-3)
    np.testing.assert_array_equal(
        clipped.inside, np.all((points >= low) & (points <= high), axis=-1)
    )


def test_clip_path_puts_outside_points_on_the_boundary():
    history = run(UNSTABLE)
    vx, vy = window_extent(PARAMS)
    low, high = np.array([-vx, -vy]), np.array([vx, vy])
    clipped = clip_path(history.points[:, 0], low, high)
    out = ~clipped.inside
    assert out.sum() > 40 and clipped.inside[0]
    edge = clipped.edge[out]
    on_boundary = np.isclose(edge, low, atol=1e-9) | np.isclose(edge, high, atol=1e-9)
    assert on_boundary.any(axis=-1).all()
    assert np.all((edge >= low - 1e-9) & (edge <= high + 1e-9))
    np.testing.assert_allclose(np.linalg.norm(clipped.heading[out], axis=-1), 1.0)
    np.testing.assert_array_equal(clipped.edge[~out], history.points[~out, 0])
    # the runaway point flips sides every step: the arrowhead points away from the centre
    assert np.all(np.sign(clipped.heading[out, 0]) == np.sign(history.points[out, 0, 0]))


def test_clip_path_rejects_bad_input():
    with pytest.raises(ValueError, match="high must exceed low"):
        clip_path([[0.0, 0.0], [1.0, 1.0]], [1, 1], [0, 2])
    with pytest.raises(ValueError, match="points must be finite"):
        clip_path([[0.0, np.inf]], [0, 0], [1, 1])


# --- the drawing stays in the window ------------------------------------------------------


def test_runaway_path_is_never_drawn_outside_the_window():
    """At any moment of the unstable run, everything drawn lies inside the window."""
    history = run(UNSTABLE)
    vx, vy = window_extent(PARAMS)
    axes = plane_axes([-vx, vx, 1], [-vy, vy, 1], 4.0, 5.0)
    path = history.points[:, 0]
    tracker = ValueTracker(0)
    steps = ClippedSteps(axes, path, clip_path(path, [-vx, -vy], [vx, vy]), tracker)
    lower, upper = axes.c2p(-vx, -vy), axes.c2p(vx, vy)
    arrowheads = 0

    # clipping a step of length ~1e7 leaves ~1e-9 of rounding: allow a millionth of a unit
    def in_window(points: np.ndarray, slack: float = 1e-6) -> bool:
        xy = np.atleast_2d(points)[:, :2]
        return bool(np.all(xy >= lower[:2] - slack) and np.all(xy <= upper[:2] + slack))

    for t in np.linspace(0, PARAMS.steps, 801):
        steps.show_step(t)
        assert in_window(steps.trail.points), t
        assert in_window(steps.step_dots.points, slack=theme.LR_STEP_DOT_RADIUS + 1e-6), t
        if steps.off_map >= 0:
            arrowheads += 1
            assert in_window(steps.marker.points[0]), t  # the arrowhead's tip
        else:
            assert in_window(steps.head.get_center()), t
    assert arrowheads > 600  # off the map for most of the run


def test_glyph_readout_looks_exactly_like_text():
    texts = ["loss 4.5", "loss 1.02 × 10¹⁸", "(−6.4 × 10⁸, 1.8 × 10⁻¹⁵)", "step 37 / 50"]
    shown = {"k": 0}
    readout = GlyphReadout(lambda: shown["k"], texts, theme.READOUT_SIZE, theme.TEXT)
    for k, text in enumerate(texts):
        shown["k"] = k
        readout.update()
        reference = label(text, size=theme.READOUT_SIZE, color=theme.TEXT)
        reference.move_to(readout.get_corner(DL), aligned_edge=DL)
        glyphs = np.vstack([glyph.points for glyph in reference])
        np.testing.assert_allclose(readout.points, glyphs, atol=1e-6)
    shown["k"] = -1
    readout.update()
    assert readout.get_fill_opacity() == 0
    with pytest.raises(ValueError, match="no glyph for 'z'"):
        readout.glyphs.lay_out("lz")


def test_readout_formats_and_log_axis_range():
    assert sci(1.0187e18) == "1.02 × 10¹⁸" and sci(0.747) == "0.747"
    assert sci(-2.9e-10, 2) == "−2.9 × 10⁻¹⁰"
    assert power_of_ten(-8) == "10⁻⁸"
    assert decade_range(run(SMALL).values[:, 0], 1e-8, 7) == (-8, 2, 2)
    assert decade_range(run(UNSTABLE).values[:, 0], 1e-8, 7) == (-8, 20, 4)
    # zero is ignored, smaller values widen the range
    assert decade_range([0.0, 1e-12, 3.0], 1e-8, 7) == (-12, 2, 2)


# --- the figures' pure functions, against gdmath computed here -------------------------------
POST_ALPHAS = {"lr_small": 0.01, "lr_good": 0.15, "lr_large": 0.38, "lr_unstable": 0.5}


def post_run(alpha: float, steps: int = 50) -> gdmath.DescentHistory:
    return gradient_descent(ELONGATED_BOWL, [[1.0, 2.0]], alpha=alpha, steps=steps)


@pytest.mark.parametrize("scene", RATE_SCENES, ids=lambda scene: scene.figure_name)
def test_a_rate_figures_data_is_gdmaths_run(scene):
    alpha = POST_ALPHAS[scene.figure_name]
    h = post_run(alpha)
    data = scene.compute(scene.params)
    assert data.alpha == alpha and data.steps == 50
    np.testing.assert_array_equal(data.path, h.points[:, 0])
    np.testing.assert_array_equal(data.losses, h.values[:, 0])
    assert data.diverged == bool(h.diverged[0])
    # the window: the ellipse through the start (level 4.5) with a tenth to spare
    levels, semi_axes = bowl_contours(4.5, 6)
    np.testing.assert_allclose(data.levels, levels)
    np.testing.assert_allclose(data.semi_axes, semi_axes)
    np.testing.assert_allclose(data.extent, semi_axes[-1] * 1.1)
    vx, vy = semi_axes[-1] * 1.1
    np.testing.assert_allclose(data.clipped.edge, clip_path(h.points[:, 0], [-vx, -vy], [vx, vy]).edge)
    # the numbers its cues and its description print
    assert data.step_text(25) == f"Step 25 of 50: loss {h.values[25, 0]:.3g}"
    ending = "and diverges" if alpha >= 0.4 else "without diverging"  # stable iff |1 - 5 alpha| < 1
    assert data.facts() == (f"the loss goes from 4.5 to {h.values[-1, 0]:.3g} in 50 steps {ending}",)
    assert scene.describe().endswith(f" Step size {alpha:g}: {data.facts()[0]}.")


def test_a_rate_figures_data_follows_its_params():
    h = post_run(0.2, steps=7)
    data = rate_run(LearningRateParams(alpha=0.2, steps=7, contours=3))
    np.testing.assert_array_equal(data.losses, h.values[:, 0])
    assert data.levels.shape == (3,) and data.step_text(3) == f"Step 3 of 7: loss {h.values[3, 0]:.3g}"
    assert with_params(SlowAndSteady, steps=7).describe() != SlowAndSteady.describe()
    assert LearningRateScene.compute is SlowAndSteady.compute  # one function for the four figures


def test_the_overviews_data_is_four_gdmath_runs_in_step():
    data = rates_overview(ComparisonParams())
    runs = [post_run(alpha) for alpha in (0.01, 0.15, 0.38, 0.5)]
    assert len(data.runs) == 4 and data.steps == 50
    for run, h in zip(data.runs, runs):
        np.testing.assert_array_equal(run.path, h.points[:, 0])
        np.testing.assert_array_equal(run.losses, h.values[:, 0])
    assert data.step_text(25) == "Step 25 of 50: losses " + ", ".join(f"{h.values[25, 0]:.3g}" for h in runs)
    assert data.start_text() == "Four runs start at (1, 2), step sizes 0.01, 0.15, 0.38, 0.5"
    text = ComparingLearningRates.describe()
    titles = ["Slow and Steady", "Adequately Fast", "A Bit Unstable", "Unusable"]
    for name, h, fact in zip(titles, runs, data.facts()):
        assert f"to {h.values[-1, 0]:.3g} in 50 steps" in fact
        assert f"{name}, step size {h.alpha:g}: {fact}" in text
    assert len(set(data.facts())) == 4


# --- scenes --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SINGLES))
def test_single_figure_builds_and_draws_the_gdmath_run(name, build_scene):
    scene_class = SINGLES[name]
    scene = build_scene(with_params(scene_class, **TINY))
    panel = scene.panel
    expected = gradient_descent(
        ELONGATED_BOWL, [PARAMS.start], alpha=scene_class.params.alpha, steps=4
    )
    np.testing.assert_array_equal(panel.path, expected.points[:, 0])
    np.testing.assert_array_equal(panel.losses, expected.values[:, 0])
    assert panel.diverged == bool(expected.diverged[0])

    levels, _ = bowl_contours(float(expected.values[0, 0]), 2)
    np.testing.assert_allclose(panel.run.levels, levels)
    lo = 10.0 ** panel.decades[0]
    on_screen = panel.loss_axes.c2p(
        np.column_stack([np.arange(5), np.maximum(expected.values[:, 0], lo)])
    )
    np.testing.assert_allclose(panel.loss_marks.screen_points[:, 0], on_screen)
    # after the last animation: the counter and readout show the last step
    assert scene.counter.shown == 4 and panel.loss_readout.shown == 4
    # the cues print the data's numbers: the fact, the step half-way
    cues = " ".join(text for _, text in recorded(scene))
    assert scene.data.step_text(2) == f"Step 2 of 4: loss {expected.values[2, 0]:.3g}" and scene.data.step_text(2) in cues
    for fact in scene.data.facts():
        assert fact in cues and fact in with_params(scene_class, **TINY).describe()
    vx, vy = window_extent(PARAMS)
    clipped = clip_path(expected.points[:, 0], [-vx, -vy], [vx, vy])
    if clipped.inside[-1]:
        np.testing.assert_allclose(
            panel.steps.head.get_center(), panel.window.c2p(*expected.points[-1, 0]), atol=1e-9
        )
        assert panel.steps.off_map == -1
    else:
        assert panel.steps.off_map == 4
        np.testing.assert_allclose(
            panel.steps.marker.points[0], panel.window.c2p(*clipped.edge[-1]), atol=1e-9
        )


def read_number(text: str) -> float:
    """A readout's number back to a float: ``"−2.9 × 10⁻¹⁰"`` -> -2.9e-10."""
    plain = text.strip().replace("−", "-").translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-"))
    mantissa, _, exponent = plain.partition(" × 10")
    return float(mantissa) * 10.0 ** int(exponent or 0)


def read_point(text: str) -> tuple[float, float]:
    """``"(x, y)"`` as the off-map note writes it, back to numbers."""
    x, y = text.strip("()").split(", ")
    return read_number(x), read_number(y)


def test_unstable_figure_marks_where_the_point_went(build_scene):
    scene = build_scene(with_params(Unusable, **TINY))
    panel = scene.panel
    x_final = panel.path[-1, 0]
    assert abs(x_final) > window_extent(PARAMS)[0]  # 1.5^4 = 5.06: off the window after 4 steps
    assert panel.steps.off_map == 4
    words, where = panel.off_map_note
    assert where.shown == 4  # the note shows where step 4 is: gdmath's point, read back from its text
    np.testing.assert_allclose(read_point(where.texts[4]), panel.path[4], rtol=0.05)
    assert words.get_fill_opacity() > 0 and where.get_fill_opacity() > 0
    # 4 steps: the loss has grown only 7-fold, gdmath does not flag it yet
    assert panel.verdict() is None


def test_unstable_verdict_comes_from_gdmath(build_scene):
    scene = build_scene(with_params(Unusable, steps=16, contours=2))
    history = gradient_descent(ELONGATED_BOWL, [PARAMS.start], alpha=UNSTABLE.alpha, steps=16)
    assert history.diverged[0] and scene.panel.diverged and scene.panel.verdict() is not None


def test_overview_builds_four_panels_in_step(build_scene):
    scene = build_scene(with_params(ComparingLearningRates, **TINY))
    assert len(scene.panels) == 4
    for rate, panel in zip(RATES, scene.panels):
        assert panel.run.alpha == rate.alpha
        assert panel.tracker is scene.tracker
        expected = gradient_descent(ELONGATED_BOWL, [PARAMS.start], alpha=rate.alpha, steps=4)
        np.testing.assert_array_equal(panel.path, expected.points[:, 0])
        assert panel.loss_readout.shown == 4
        assert panel.diverged == bool(expected.diverged[0])
    assert scene.counter.shown == 4
    cues = " ".join(text for _, text in recorded(scene))
    for fact in scene.data.facts():
        assert fact in cues


def arrowhead_lines_of_sight(steps, reach: float) -> np.ndarray:
    """Points along where each of the run's off-window arrowheads points, from its tip
    out to ``reach`` beyond: ``(n, samples, 2)`` on screen."""
    markers = steps.markers[~steps.inside]  # (n, 12, 3): three sides, tip -> corner -> corner -> tip
    tips, backs = markers[:, 0, :2], (markers[:, 3, :2] + markers[:, 7, :2]) / 2
    heading = (tips - backs) / np.linalg.norm(tips - backs, axis=-1, keepdims=True)
    along = np.linspace(0.0, reach, 60)[None, :, None]
    return tips[:, None, :] + along * heading[:, None, :]


@pytest.mark.parametrize("scene_class", [Unusable, ComparingLearningRates])
def test_the_axis_names_are_not_where_an_arrowhead_points(scene_class, build_scene):
    """The runaway point leaves along the x-axis: its arrowhead must not point at the "x"."""
    scene = build_scene(with_params(scene_class, steps=16, contours=2))
    for panel in getattr(scene, "panels", None) or [scene.panel]:
        if panel.steps.inside.all():
            continue
        sight = arrowhead_lines_of_sight(panel.steps, reach=1.0).reshape(-1, 2)
        for name in panel.axis_names:
            low, high = name.get_corner(DL)[:2], name.get_corner(UR)[:2]
            hit = np.all((sight >= low - 0.05) & (sight <= high + 0.05), axis=-1)
            assert not hit.any(), f"an arrowhead points at the axis name {name.text!r}"


def test_the_contours_fill_the_window():
    """The window has the outermost ellipse's shape, with the margin to spare on each side."""
    levels, semi_axes = bowl_contours(4.5, 6)  # the start (1, 2) is on the level 4.5
    np.testing.assert_allclose(window_extent(PARAMS), semi_axes[-1] * (1 + PARAMS.margin))


FIGURE_SCENES = (*RATE_SCENES, ComparingLearningRates)


def test_every_figure_is_registered_with_the_posts_title():
    for scene in FIGURE_SCENES:
        assert REGISTRY[scene.figure_name].scene is scene and REGISTRY[scene.figure_name].title == scene.title
    assert [scene.title for scene in RATE_SCENES] == ["Slow and Steady", "Adequately Fast", "A Bit Unstable", "Unusable"]
    assert ComparingLearningRates.quarter_titles == tuple(scene.title for scene in RATE_SCENES)


@pytest.mark.slow
@pytest.mark.parametrize("name", [scene.figure_name for scene in FIGURE_SCENES])
def test_renders_a_valid_video_at_low_quality(name, published_low):
    from pipeline import publish

    result = published_low(name)
    info = publish.probe_video(result.video)
    publish.check_video(info, "l")
    assert 8 <= info.duration <= 15
    assert result.poster.exists()
