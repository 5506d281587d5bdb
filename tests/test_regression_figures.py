"""The regression figures (linear_data, linear_fit, parabolic_data, parabolic_fit,
loss_compare, result), their math in gdmath, and the post's training log."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import gdmath
from gdmath.regression import ALPHA, ITERATIONS, START_B, START_W, X_RANGE
from scenes import REGISTRY, with_params
from scenes import training_log as fit_cli
from scenes.captions import recorded
from scenes.regression import (
    LINEAR,
    PARABOLIC,
    FitScene,
    LinearData,
    LinearFit,
    LossCompareScene,
    ParabolicData,
    ParabolicFit,
    RegressionParams,
    ResultScene,
    data_plot,
    fit_result,
    fit_run,
    line_text,
    loss_comparison,
    number_text,
)

NAMES = ["linear_data", "linear_fit", "parabolic_data", "parabolic_fit", "loss_compare", "result"]
STILLS = {"linear_data", "parabolic_data", "result"}
TINY = {"n_samples": 12, "iterations": 6, "map_pixels": 8, "curve_points": 9, "profile_points": 24}
POST_LOG = [2.997, 1.483, 0.824, 0.537, 0.412, 0.358, 0.334, 0.323, 0.319, 0.317]
LOG_LINE = re.compile(r"^Loss at iteration (?P<i>[ \d]{3}): (?P<loss>\d+\.\d{3})$")


@pytest.fixture
def quick(monkeypatch):
    """Short timings, so a scene built with the post's full run renders few frames."""
    from scenes import theme

    for name in ("INTRO_TIME", "HOLD_TIME"):
        monkeypatch.setattr(theme, name, 0.2)
    monkeypatch.setattr(FitScene, "descent_time", 0.2)
    monkeypatch.setattr(LossCompareScene, "curve_time", 0.2)


def post_run(make_data=gdmath.make_linear_data, **data):
    x, y = make_data(**data)
    return x, y, gdmath.fit_line(x, y, alpha=ALPHA, iterations=ITERATIONS, w0=START_W, b0=START_B)


# --- gdmath ---------------------------------------------------------------------------------
@pytest.mark.parametrize("make_data", [gdmath.make_linear_data, gdmath.make_parabolic_data])
def test_loss_profile_is_the_floor_of_the_loss_surface(make_data):
    x, y = make_data(n=37, seed=3)
    ws = np.linspace(-1, 3, 9)
    loss, best_b = gdmath.loss_profile(x, y, ws)
    assert loss.shape == best_b.shape == (9,)
    # the loss at the best b is the surface there ...
    at_best = np.array([gdmath.loss_surface(x, y, [w], [b])[0, 0] for w, b in zip(ws, best_b)])
    np.testing.assert_allclose(loss, at_best, rtol=1e-10, atol=1e-12)
    # ... and no b on a fine grid does better
    grid = gdmath.loss_surface(x, y, ws, np.linspace(-3, 6, 4001))
    assert np.all(loss <= grid.min(axis=1) + 1e-12)
    np.testing.assert_allclose(grid.min(axis=1), loss, atol=1e-5)


def test_least_squares_line_is_the_bottom_of_the_landscape():
    x, y = gdmath.make_parabolic_data(seed=8)
    w, b, loss = gdmath.least_squares_line(x, y)
    np.testing.assert_allclose([w, b], np.polyfit(x, y, 1), atol=1e-12)
    assert loss == pytest.approx(gdmath.mse(y, w * x + b), abs=1e-12)
    ws = np.linspace(w - 1, w + 1, 201)
    profile, _ = gdmath.loss_profile(x, y, ws)
    assert profile.min() >= loss - 1e-12
    assert profile[100] == pytest.approx(loss, abs=1e-12)
    # gradient descent gets there
    history = gdmath.fit_line(x, y, alpha=0.05, iterations=3000)
    assert history.loss[-1] == pytest.approx(loss, abs=1e-10)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: gdmath.loss_profile([1, 2], [1, 2], [[1.0]]), r"ws must be 1-D, got shape \(1, 1\)"),
        (lambda: gdmath.loss_profile([1, 2], [1, 2], [np.nan]), "ws must be finite, got nan"),
        (lambda: gdmath.loss_profile([1, 2], [1], [1.0]), "x and y must be 1-D arrays of equal length"),
        (lambda: gdmath.least_squares_line([1, 1], [1, 2]), "x must not be constant, got every x = 1"),
    ],
)
def test_bad_input_raises_value_error_naming_it(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_the_default_run_reproduces_the_posts_log():
    *_, history = post_run()
    logged = history.loss[:ITERATIONS:10]
    assert np.max(np.abs(np.round(logged, 3) - POST_LOG)) <= 0.0015
    assert history.w[0] == START_W and history.b[0] == START_B
    assert 0 <= START_W <= 1 and 0 <= START_B <= 1  # the post draws them from uniform(0, 1)


def test_loss_compare_minima():
    """The linear minimum is the noise in the samples; the parabolic one is several times higher."""
    x, y = gdmath.make_linear_data()
    noise = y - gdmath.make_linear_data(noise=0.0)[1]
    linear_min = gdmath.least_squares_line(x, y)[2]
    parabolic_min = gdmath.least_squares_line(*gdmath.make_parabolic_data())[2]
    assert abs(linear_min - noise.var()) <= 0.2 * noise.var()
    assert parabolic_min > 4 * linear_min


# --- the log CLI ------------------------------------------------------------------------------
def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            status = fit_cli.main(list(args))
        except SystemExit as exit_:
            status = exit_.code
    out, err = capsys.readouterr()
    return status, out, err


def parse_log(out: str) -> tuple[list[int], list[float]]:
    matches = [LOG_LINE.match(line) for line in out.splitlines()]
    assert all(matches), out
    return [int(m["i"]) for m in matches], [float(m["loss"]) for m in matches]


def test_log_prints_fit_lines_losses_in_the_posts_format(capsys):
    status, out, err = run_cli(capsys)
    assert status == 0 and err == ""
    *_, history = post_run()
    iterations, losses = parse_log(out)
    assert iterations == list(range(0, 100, 10))
    assert losses == [round(float(v), 3) for v in history.loss[:100:10]]
    assert np.max(np.abs(np.array(losses) - POST_LOG)) <= 0.0015  # the post's own printout


def test_log_options_change_the_run(capsys):
    status, out, _ = run_cli(capsys, "--seed", "5", "--alpha", "0.05", "--iterations", "30", "--data", "parabolic")
    assert status == 0
    x, y = gdmath.make_parabolic_data(seed=5)
    history = gdmath.fit_line(x, y, alpha=0.05, iterations=30, w0=START_W, b0=START_B)
    iterations, losses = parse_log(out)
    assert iterations == [0, 10, 20]
    assert losses == [round(float(v), 3) for v in history.loss[:30:10]]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--alpha", "-1"], "argument --alpha: alpha must be finite and > 0, got -1"),
        (["--alpha", "fast"], "argument --alpha: alpha must be a number or auto, got 'fast'"),
        (["--seed", "1.5"], "argument --seed: seed must be a whole number, got 1.5"),
        (["--seed", "-2"], "argument --seed: seed must be >= 0, got -2"),
        (["--iterations", "-3"], "argument --iterations: iterations must be >= 0, got -3"),
        (["--data", "cubic"], "argument --data: cubic: no such file"),  # not linear or parabolic: a path
    ],
)
def test_log_rejects_bad_values_with_exit_2(capsys, args, message):
    status, out, err = run_cli(capsys, *args)
    assert status == 2 and out == ""
    assert message in err


def test_a_diverging_alpha_is_reported_without_warnings(capsys):
    status, out, err = run_cli(capsys, "--alpha", "50")
    assert status == 0
    assert "diverged" in err and "this data allows alpha < 0.74" in err
    # the fit froze once its loss passed gdmath.VALUE_LIMIT: the log says so from there on
    assert "Loss at iteration  10: diverged (the loss passed 1e+30 at iteration 7)" in out


# --- the figures' pure functions, against gdmath computed here ---------------------------------
POST = RegressionParams()


def post_data(name: str):
    make = gdmath.make_linear_data if name == "linear" else gdmath.make_parabolic_data
    return make(seed=277)


@pytest.mark.parametrize("scene_class, dataset", [(LinearData, LINEAR), (ParabolicData, PARABOLIC)])
def test_a_data_stills_data_is_gdmaths_samples(scene_class, dataset):
    data = scene_class.compute(scene_class.params)
    x, y = post_data(dataset.name)
    np.testing.assert_array_equal(data.x, x)
    np.testing.assert_array_equal(data.y, y)
    truth_x, truth_y = dataset.make(n=121, noise=0.0)
    np.testing.assert_array_equal(data.truth_y, truth_y)
    assert data.facts() == ("100 noisy samples", "noise N(0, 0.5^2)", "seed 277")
    for fact in data.facts():
        assert fact in scene_class.describe()


@pytest.mark.parametrize("scene_class, dataset", [(LinearFit, LINEAR), (ParabolicFit, PARABOLIC)])
def test_a_fits_data_is_the_posts_run_and_its_landscape(scene_class, dataset):
    x, y = post_data(dataset.name)
    h = gdmath.fit_line(x, y, alpha=0.015, iterations=100, w0=0.62, b0=0.9)
    data = scene_class.compute(scene_class.params)
    for field in ("w", "b", "loss"):
        np.testing.assert_array_equal(getattr(data.history, field), getattr(h, field))
    grid = np.linspace(-1.0, 3.0, 240)
    np.testing.assert_array_equal(data.surface, gdmath.loss_surface(x, y, grid, grid))
    # the numbers its cues print
    assert [data.iteration_text(k) for k in (25, 50, 75)] == [f"Iteration {k}: loss {h.loss[k]:.3f}" for k in (25, 50, 75)]
    assert data.start_text() == f"The fit starts at w = 0.62, b = 0.9, loss {h.loss[0]:.3f}"
    assert data.facts() == (f"the line is y = {h.w[-1]:.3f}x + {h.b[-1]:.3f}, loss {h.loss[-1]:.3f}",)
    assert f"After 100 iterations {data.facts()[0]} (it started at {h.loss[0]:.3f})." in scene_class.describe()
    assert fit_run(POST, dataset).facts() == data.facts()


def test_the_fit_follows_its_params():
    p = RegressionParams(alpha=0.05, iterations=7, seed=3, map_pixels=5)
    x, y = gdmath.make_parabolic_data(seed=3)
    h = gdmath.fit_line(x, y, alpha=0.05, iterations=7, w0=0.62, b0=0.9)
    data = fit_run(p, PARABOLIC)
    np.testing.assert_array_equal(data.history.loss, h.loss)
    assert data.surface.shape == (5, 5) and data.seed == 3


def test_the_results_data_is_the_posts_fit_of_the_linear_data():
    x, y = post_data("linear")
    h = gdmath.fit_line(x, y, alpha=0.015, iterations=100, w0=0.62, b0=0.9)
    data = ResultScene.compute(ResultScene.params)
    np.testing.assert_array_equal(data.history.w, h.w)
    assert data.facts()[-1] == f"the line is y = {h.w[-1]:.3f}x + {h.b[-1]:.3f}, loss {h.loss[-1]:.3f}"
    assert data.facts() == (*data_plot(POST, LINEAR).facts(), fit_result(POST, LINEAR).fitted())
    for fact in data.facts():
        assert fact in ResultScene.describe()


def test_loss_compares_data_is_both_least_squares_minima():
    lines = [gdmath.least_squares_line(*post_data(name)) for name in ("linear", "parabolic")]
    low, high = lines[0][2], lines[1][2]
    data = LossCompareScene.compute(LossCompareScene.params)
    assert (data.low, data.high) == (low, high)
    ws = np.linspace(-1.5, 4.0, 400)
    for dataset, line in zip((LINEAR, PARABOLIC), lines):
        floor = data.floor(dataset)
        np.testing.assert_array_equal(floor.ws, ws)
        np.testing.assert_array_equal(floor.loss, gdmath.loss_profile(*post_data(dataset.name), ws)[0])
        np.testing.assert_array_equal(floor.minimum, line)
    x, y = post_data("linear")
    assert data.linear.noise == pytest.approx(np.mean((y - (2 * x + 1)) ** 2), rel=1e-12)
    # the numbers its cues print
    assert data.minima_text() == f"Their minima: linear {low:.3f}, parabolic {high:.3f}"
    assert f"{high / low:.1f} times" in data.ratio_text()
    assert data.facts() == (f"linear {low:.3f}", f"parabolic {high:.3f}", f"{high / low:.1f} times the linear one")
    for fact in data.facts():
        assert fact in LossCompareScene.describe()
    assert loss_comparison(RegressionParams(noise=1.0)).low > low


# --- scenes ----------------------------------------------------------------------------------
def test_figures_are_registered_with_their_kind():
    for name in NAMES:
        assert REGISTRY[name].kind == ("still" if name in STILLS else "video")


@pytest.mark.parametrize("scene_class, dataset", [(LinearData, LINEAR), (ParabolicData, PARABOLIC)])
def test_data_stills_build_without_animation_and_draw_gdmaths_samples(build_scene, scene_class, dataset):
    scene = build_scene(with_params(scene_class, **TINY))
    assert scene.renderer.num_plays == 0
    x, y = dataset.make(n=12)
    np.testing.assert_array_equal(scene.data.y, y)
    centres = np.array([dot.get_center() for dot in scene.dots])
    np.testing.assert_allclose(centres, scene.axes.c2p(np.column_stack([x, y])), atol=1e-9)
    truth_x, truth_y = dataset.make(n=9, noise=0.0)
    np.testing.assert_allclose(scene.truth.get_start(), scene.axes.c2p(truth_x[0], truth_y[0]), atol=1e-9)


def test_result_draws_the_fitted_line_of_the_posts_run(build_scene):
    scene = build_scene(ResultScene)
    assert scene.renderer.num_plays == 0
    *_, history = post_run()
    # the line as drawn, read back from the screen into data coordinates
    (x0, y0), (x1, y1) = (scene.axes.p2c(point)[:2] for point in (scene.fitted.get_start(), scene.fitted.get_end()))
    w, b = (y1 - y0) / (x1 - x0), y0 - x0 * (y1 - y0) / (x1 - x0)
    np.testing.assert_allclose([w, b], [history.w[-1], history.b[-1]], atol=1e-9)
    assert (round(w, 2), round(b, 2)) == (2.0, 1.03)  # the post's result: y-hat = 2.00x + 1.03


@pytest.mark.parametrize("scene_class, dataset", [(LinearFit, LINEAR), (ParabolicFit, PARABOLIC)])
def test_fit_scenes_build_and_draw_gdmaths_history(build_scene, quick, scene_class, dataset):
    scene = build_scene(with_params(scene_class, **TINY))
    x, y = dataset.make(n=12)
    history = gdmath.fit_line(x, y, alpha=ALPHA, iterations=6, w0=START_W, b0=START_B)
    for field in ("w", "b", "loss"):
        np.testing.assert_array_equal(getattr(scene.history, field), getattr(history, field))
    on_landscape = scene.landscape_axes.c2p(np.column_stack([history.w, history.b]))
    np.testing.assert_allclose(scene.marks.screen_points[:, 0], on_landscape)
    np.testing.assert_allclose(scene.marks.dots[0].get_center(), on_landscape[-1], atol=1e-9)
    assert scene.progress.shown == scene.equation.shown == 6
    cues = " ".join(text for _, text in recorded(scene))
    assert scene.data.iteration_text(3) == f"Iteration 3: loss {history.loss[3]:.3f}"
    for text in (*scene.data.facts(), scene.data.iteration_text(3)):
        assert text in cues


def test_linear_fit_ends_on_the_gdmath_fit(build_scene, quick):
    """The line drawn at the last step of linear_fit (default params) is fit_line's last entry,
    and the landscape's point is the same (w, b)."""
    scene = build_scene(with_params(LinearFit, map_pixels=16))
    *_, history = post_run()
    w, b = history.w[-1], history.b[-1]
    ends = scene.data_axes.c2p(np.column_stack([X_RANGE, gdmath.line(np.array(X_RANGE), w, b)]))
    np.testing.assert_allclose(scene.prediction.screen_ends[-1], ends, atol=1e-12)
    np.testing.assert_allclose(scene.prediction.get_start(), ends[0], atol=1e-9)
    np.testing.assert_allclose(scene.prediction.get_end(), ends[1], atol=1e-9)
    np.testing.assert_allclose(scene.marks.dots[0].get_center(), scene.landscape_axes.c2p(w, b), atol=1e-9)
    assert (w, b) == pytest.approx((2.0, 1.0), abs=0.05)


def test_fit_heat_map_is_the_loss_surface(build_scene, quick):
    scene = build_scene(with_params(LinearFit, **TINY))
    surface = gdmath.loss_surface(*gdmath.make_linear_data(n=12), np.linspace(-1, 3, 8), np.linspace(-1, 3, 8))
    np.testing.assert_array_equal(scene.data.surface, surface)
    assert scene.heat.pixel_array.shape[:2] == (8, 8)
    # darkest pixel (lowest loss) where the surface is lowest; image rows run top down
    i, j = np.unravel_index(surface.argmin(), surface.shape)
    brightness = scene.heat.pixel_array[..., :3].astype(float).sum(axis=-1)
    assert brightness[::-1].T[i, j] == brightness.min()


def test_loss_compare_draws_the_profiles_and_their_minima(build_scene, quick):
    scene = build_scene(with_params(LossCompareScene, **TINY))
    for dataset in (LINEAR, PARABOLIC):
        x, y = dataset.make(n=12)
        floor = scene.data.floor(dataset)
        loss, _ = gdmath.loss_profile(x, y, floor.ws)
        np.testing.assert_array_equal(floor.loss, loss)
        shown = loss <= scene.params.loss_top
        expected = scene.axes.c2p(np.column_stack([floor.ws[shown], loss[shown]]))
        drawn = scene.curves[dataset.name]
        np.testing.assert_allclose(drawn.get_start(), expected[0], atol=1e-9)
        np.testing.assert_allclose(drawn.get_end(), expected[-1], atol=1e-9)
        w, _, low = gdmath.least_squares_line(x, y)
        np.testing.assert_allclose(scene.minima[dataset.name][1].get_center(), scene.axes.c2p(w, low), atol=1e-9)
    cues = " ".join(text for _, text in recorded(scene))
    for fact in scene.data.facts():
        assert fact in cues


def test_fit_readouts_show_the_history(build_scene, quick):
    scene = build_scene(with_params(LinearFit, **TINY))
    h = scene.history
    # the readouts' texts parsed back: gdmath's numbers, to the digits shown
    for k, text in enumerate(scene.progress.texts):
        iteration, total, loss = re.fullmatch(r"iteration (\d+) / (\d+)\s+loss (\d+\.\d+)", text).groups()
        assert (int(iteration), int(total)) == (k, 6)
        assert float(loss) == pytest.approx(h.loss[k], abs=5e-4)
    for k, text in enumerate(scene.equation.texts):
        w, sign, b = re.fullmatch(r"ŷ = (−?\d+\.\d+)x ([+−]) (\d+\.\d+)", text).groups()
        assert float(w.replace("−", "-")) == pytest.approx(h.w[k], abs=5e-3)
        assert float(b) * (-1 if sign == "−" else 1) == pytest.approx(h.b[k], abs=5e-3)
    assert scene.progress.shown == scene.equation.shown == 6


def test_readout_numbers():
    assert line_text(2.0, 1.03) == "ŷ = 2.00x + 1.03"
    assert line_text(0.004, -0.5) == "ŷ = 0.00x − 0.50"
    assert number_text(-0.0) == "0" and number_text(-2) == "−2"


# --- real renders ------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_figure_publishes_at_low_quality(name, published_low):
    from PIL import Image

    from pipeline import publish

    result = published_low(name)
    assert result.poster.exists()
    assert Image.open(result.poster).size == (854, 480)
    if name in STILLS:
        assert result.video is None and result.info is None
        assert not (result.poster.parent / f"{name}.mp4").exists()
    else:
        info = publish.probe_video(result.video)
        publish.check_video(info, "l")
        assert result.video.suffix == ".mp4"
        assert 5 < info.duration < 20
