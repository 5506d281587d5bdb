"""Typed functions in the descent figures (``--set function=EXPR``): each figure's pure
function against gdmath computed here, the CLI refusing bad expressions before anything is
written, and the cache key following the canonical text."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from click.testing import CliRunner

import gdmath
from scenes import REGISTRY, with_params
from scenes.basins import BasinsParams, basins_run
from scenes.convex import ConvexParams, ConvexScene, convex_run
from scenes.field import FieldParams, capped_arrows, field_run
from scenes.hills import HillsParams, HillsScene, hills_run
from scenes.minima import MinimaParams, MinimaScene, minima_run
from scenes.optimizers import OptimizerRace, RaceParams, race
from scenes.saddle import SaddleEscape, SaddleParams, escape

BOWL = "x^2 + 3*y^2"
DOUBLE_WELL = "(x^2 - 1)^2 + y^2"
QUARTIC = "x^4 - 3*x^2 + x"
TYPED_FIGURES = ("hills", "field", "basins", "optimizers", "saddle", "convex", "minima")


def typed(text: str, dim: int, low, high) -> gdmath.Objective:
    """The function as the figures should see it: parsed, its minima found in the box attached."""
    objective = gdmath.parse_objective(text, dim)
    return gdmath.find_minima(objective, low, high).attach(objective)


def seeded(p) -> np.ndarray:
    box = np.array([p.start_box, p.start_box])
    return gdmath.random_starts(p.n_points, -box, box, seed=p.seed)


# --- each figure's pure function on a typed function -------------------------------------


@pytest.mark.parametrize("text", [BOWL, DOUBLE_WELL])
def test_hills_descends_the_typed_function(text):
    p = HillsParams(function=text, n_points=6, steps=60, map_pixels=9)
    run = hills_run(p)
    f = typed(text, 2, [-5, -5], [5, 5])
    expected = gdmath.gradient_descent(f, seeded(p), alpha=0.1, steps=60)
    np.testing.assert_array_equal(run.history.points, expected.points)
    axis = np.linspace(-5, 5, 9)
    np.testing.assert_allclose(run.heights, gdmath.value_grid(f, axis, axis), rtol=1e-12)
    np.testing.assert_array_equal(run.settled, gdmath.settled_counts(f, expected.points))
    assert run.ended() == f"{run.settled[-1]} of 6 starts end in a minimum found in the view"
    np.testing.assert_allclose(p.objective.minima, f.minima, atol=1e-9)


def test_the_title_the_description_and_the_manifest_name_the_typed_function():
    scene = with_params(HillsScene, function="x**2+3*y**2", n_points=3, steps=5)
    assert scene.params.objective.tex == "f(x, y) = x^{2} + 3 y^{2}"
    text = scene.describe()
    assert "f(x, y) = x^2 + 3*y^2 (1 minimum found in the view, at (0, 0))" in text
    assert "sin x sin y" not in text
    assert dataclasses.replace(scene.params).run_values()["function"] == BOWL  # canonical


def test_the_colour_range_follows_the_function_and_survives_a_blow_up():
    low, high = HillsParams(function=BOWL).height_range
    assert low == 0.0 and 90 <= high <= 100  # the whole range: 0 at the minimum, 100 at a corner
    low, high = HillsParams(function="1/(x^2 + y^2)").height_range
    assert np.isfinite([low, high]).all() and high < 10  # percentiles, not the pole's inf
    assert HillsParams().height_range == (-1.0, 1.0)  # the post's


def test_field_arrows_are_the_typed_gradient_capped_and_finite():
    p = FieldParams(function="log(x) + y^2", n_points=3, steps=5, arrows_per_side=6, map_pixels=5)
    run = field_run(p)
    f = gdmath.parse_objective("log(x) + y^2", 2)
    grid = gdmath.cell_centres(-5, 5, 6)
    points, grads = gdmath.gradient_field(f, grid, grid)
    np.testing.assert_array_equal(run.arrow_points, points)
    assert np.isfinite(run.arrow_grads).all()
    left = points[..., 0] < 0  # log(x) undefined there: no arrow
    assert (run.arrow_grads[left] == 0).all()
    right = ~left
    cosine = np.sum(run.arrow_grads[right] * grads[right], -1) / (
        np.linalg.norm(run.arrow_grads[right], axis=-1) * np.linalg.norm(grads[right], axis=-1))
    np.testing.assert_allclose(cosine, 1.0, rtol=1e-12)  # same directions, only long ones shortened
    lengths = np.linalg.norm(run.arrow_grads[right], axis=-1)
    assert lengths.max() <= np.percentile(np.linalg.norm(grads[right], axis=-1), 90) * (1 + 1e-12)
    assert (capped_arrows(np.zeros((2, 2))) == 0).all()


def test_basins_count_the_ends_at_the_minima_found():
    p = BasinsParams(function=DOUBLE_WELL, per_side=12, steps=60, map_pixels=5)
    run = basins_run(p)
    f = typed(DOUBLE_WELL, 2, [-5, -5], [5, 5])
    np.testing.assert_allclose(f.minima, [[-1, 0], [1, 0]], atol=1e-9)
    expected = gdmath.gradient_descent(f, p.grid_starts(), alpha=0.1, steps=60)
    ends = gdmath.count_ends(f, expected.final)
    np.testing.assert_array_equal(run.ends.per_minimum, ends.per_minimum)
    away = int((expected.diverged | (np.abs(expected.final) > 5).any(-1)).sum())
    assert away > 0  # the quartic walls send the corner starts off at this step size
    assert run.counts() == [
        "144 starts, 60 steps:",
        f"{ends.settled} reached a minimum",
        f"{ends.unsettled} not in a minimum",
        f"{away} ran off the map",
        f"{int((ends.per_minimum > 0).sum())} of 2 basins reached",
        "(the minima found in the view)",
    ]


def test_optimizers_judge_by_the_lowest_minimum_found():
    text = "(x - 0.5)^2 + 2*(y - 0.25)^2 + 0.3*sin(3*x)"
    p = RaceParams(function=text, steps=40, map_pixels=8)
    run = race(p)
    f = typed(text, 2, [-1.6, -0.6], [1.6, 1.6])
    lowest = f.minima[np.argmin(f.value(f.minima))]
    np.testing.assert_allclose(run.target, lowest)
    histories = [gdmath.descend(f, [p.start], rule, 40) for rule in
                 (gdmath.SGD(0.001), gdmath.Momentum(0.001, beta=0.9), gdmath.Nesterov(0.001, beta=0.9),
                  gdmath.RMSProp(0.01, rho=0.9), gdmath.Adam(0.1))]
    distances = [gdmath.final_distance(h, lowest)[0] for h in histories]
    np.testing.assert_allclose(run.distances, distances, rtol=1e-12)
    assert run.winner == int(np.argmin(distances))
    assert run.verdict().startswith("closest to the lowest minimum found in the view, (")
    assert "Rosenbrock" not in with_params(OptimizerRace, function=text, steps=40).describe()


def test_saddle_counts_steps_to_leave_the_circle_about_the_centre():
    typed_saddle = SaddleParams(function="x^2 - y^2 + y^4/4")
    run, post = escape(typed_saddle), escape(SaddleParams())
    np.testing.assert_array_equal(run.leave, post.leave)  # the same function, typed: the same escape
    np.testing.assert_allclose(typed_saddle.objective.minima, gdmath.SADDLE.minima[::1], atol=1e-9)
    moved = SaddleParams(function="(x - 1)^2 - y^2 + y^4/4", start=(1.4, 0.001), centre=(1.0, 0.0))
    f = gdmath.parse_objective("(x - 1)^2 - y^2 + y^4/4", 2)
    expected = gdmath.steps_to_leave(gdmath.gradient_descent(f, [[1.4, 0.001]], 0.05, 100), [1.0, 0.0], 0.5)
    assert escape(moved).leave[0] == expected[0] == run.leave[0]  # shifted by one: the same count
    assert "about (1, 0)" in escape(moved).summary()
    assert SaddleParams().colour_range == (-1.0, 4.0)
    assert "near (1, 0)" in with_params(SaddleEscape, **dataclasses.asdict(moved)).describe()


def test_convex_descends_a_typed_function_of_x():
    p = ConvexParams(function=QUARTIC, alpha=0.05)
    run = convex_run(p)
    f = typed(QUARTIC, 1, [-3], [3])
    expected = gdmath.gradient_descent(f, [[-2.5]], alpha=0.05, steps=12)
    np.testing.assert_array_equal(run.history.points, expected.points)
    np.testing.assert_allclose(run.slopes, f.grad(expected.points)[:, 0, 0])
    assert len(f.minima) == 2
    assert "2 minima found in the view, global at x = -1.3" in run.end
    assert run.bottom <= f.value(f.minima).min() and run.top >= f.value([[3.0]])[0]
    assert "f(x) = x^4 - 3*x^2 + x" in with_params(ConvexScene, function=QUARTIC).describe()


def test_convex_says_when_the_dot_runs_away():
    run = convex_run(ConvexParams(function=QUARTIC))  # alpha 0.2 overshoots x^4 from -2.5
    assert "ran away" in run.end


def test_minima_classify_the_ends_by_the_minima_found():
    p = MinimaParams(function=QUARTIC, starts=(-2.0, -0.5, 0.5, 2.0), alpha=0.02, steps=200)
    run = minima_run(p)
    f = typed(QUARTIC, 1, [-2.45], [2.45])
    expected = gdmath.gradient_descent(f, np.array(p.starts)[:, None], alpha=0.02, steps=200)
    np.testing.assert_array_equal(run.history.points, expected.points)
    verdict = gdmath.nearest_minimum(f, expected.final)
    np.testing.assert_array_equal(run.verdict.is_global, verdict.is_global)
    glob = int((verdict.is_global & verdict.settled).sum())
    local = int((~verdict.is_global & verdict.settled).sum())
    assert run.end == (f"after 200 steps {glob} of 4 starts end in a global minimum found in the view, "
                       f"{local} in a local one, {4 - glob - local} in none")
    assert glob >= 1 and local >= 1
    assert "x^6/6" not in with_params(MinimaScene, **dataclasses.asdict(p)).describe()


@pytest.mark.parametrize("name", TYPED_FIGURES)
def test_a_function_without_a_minimum_in_the_view_still_runs_and_says_so(name):
    figure = REGISTRY[name]
    text = "x + y" if figure.scene.params.dim == 2 else "x"
    small = {"hills": dict(n_points=3, steps=5, map_pixels=5), "field": dict(n_points=3, steps=5, map_pixels=5),
             "basins": dict(per_side=4, steps=5, map_pixels=5), "optimizers": dict(steps=5, map_pixels=5),
             "saddle": dict(steps=5, map_pixels=5), "convex": dict(steps=3), "minima": dict(steps=3)}[name]
    scene = with_params(figure.scene, function=text, **small)
    assert "no minimum found in the view" in scene.describe()
    assert all(isinstance(fact, str) for fact in scene.compute(scene.params).facts())


# --- the command line ---------------------------------------------------------------------


def test_list_and_help_say_which_figures_take_a_function_and_the_grammar():
    import render

    runner = CliRunner()
    for args in (["--list"], ["--help"]):
        out = " ".join(runner.invoke(render.main, args).output.split())
        for name in TYPED_FIGURES:
            assert name in out
        for word in ("function=EXPR", "^ is power", "sin", "atan2", "pi"):
            assert word in out


def hostile_texts(canary) -> list[str]:
    from test_hostile_input import ATTACKS, REJECTIONS

    texts = [text.format(canary=canary) if "{canary}" in text or "{{" in text else text for text in ATTACKS]
    return texts + [text for text, dim, _ in REJECTIONS if dim == 2]


def test_hostile_expressions_exit_2_with_the_parsers_message_and_write_nothing(tmp_path):
    import render

    canary = tmp_path / "CANARY"
    texts = hostile_texts(canary)
    assert len(texts) >= 40
    runner = CliRunner()
    out, cache = tmp_path / "out", tmp_path / "cache"
    for text in texts:
        result = runner.invoke(render.main, ["--scene", "hills", "--set", f"function={text}", "-q", "l",
                                             "--out", str(out), "--cache", str(cache), "--quiet"])
        output = result.output + (result.stderr if result.stderr_bytes is not None else "")
        try:
            gdmath.parse_objective(text.strip(), 2)
            pytest.fail(f"{text[:60]!r} was accepted")
        except ValueError as error:
            message = str(error)
        assert result.exit_code == 2, (text[:60], output[-500:])
        assert f"hills: function: {message}" in output, (text[:60], output[-500:])
        assert "Traceback" not in output and isinstance(result.exception, SystemExit)
    assert not out.exists() and not cache.exists() and not canary.exists()


def test_a_function_of_two_variables_on_a_one_dimensional_figure_is_refused():
    import render

    result = CliRunner().invoke(render.main, ["--scene", "convex", "--set", "function=x + y"])
    assert result.exit_code == 2
    assert "convex: function: unknown name 'y' at column 5 (use x)" in result.output


def test_the_value_is_the_whole_text_after_the_first_equals_sign():
    from pipeline.params import parse_overrides

    parsed = parse_overrides(("function=atan2(y, x) + (x - 1)^2",), [REGISTRY["hills"]])
    assert parsed["hills"]["function"] == "atan2(y, x) + (x - 1)^2"


def test_the_cache_key_carries_the_canonical_text(tmp_path):
    from pipeline import jobs

    figure = REGISTRY["hills"]

    def job(text):
        return jobs.make_job(figure, {"function": text}, "l", ("mp4",), tmp_path, tmp_path)

    one, same, other = job("x^2 + 3*y^2"), job("x**2+3*y**2"), job("x^2 + 2*y^2")
    assert one.params["function"] == same.params["function"] == BOWL
    assert one.key == same.key != other.key
    assert jobs.make_job(figure, {}, "l", ("mp4",), tmp_path, tmp_path).key != one.key


# --- real renders -------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name, text", [("hills", "1/(x^2 + y^2)"), ("convex", QUARTIC), ("saddle", "x^2 - y^2")])
def test_a_typed_figure_renders_without_warnings(name, text, tmp_path):
    import warnings

    from pipeline import publish

    small = {"hills": dict(n_points=4, steps=10, map_pixels=40, surface_resolution=8),
             "convex": dict(steps=3, alpha=0.05), "saddle": dict(steps=10, map_pixels=40, surface_resolution=8)}
    scene = with_params(REGISTRY[name].scene, function=text, **small[name])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        result = publish.render_figure(name, scene, "l", tmp_path / "media", tmp_path / "cache")
    assert result.poster.exists()
    publish.check_video(publish.probe_video(result.video), "l")


def test_a_runaway_point_is_drawn_to_the_edge_of_the_view():
    p = BasinsParams(function=DOUBLE_WELL, per_side=6, steps=20)  # x^4 from x = 2.6 at alpha 0.1 diverges
    run = basins_run(p)
    assert run.history.diverged.any()
    points, clipped = p.window_of(run.history)
    assert np.isfinite(points).all() and (np.abs(clipped.edge) <= 5 + 1e-9).all()  # shown on the view
    ended_away = (np.abs(run.history.points[-1]) > 5).any(-1)
    assert ended_away.any() and not clipped.inside[-1, ended_away].any()
    tame = ~run.history.diverged & (np.abs(run.history.points) <= 5).all(axis=(0, 2))
    np.testing.assert_array_equal(points[:, tame], run.history.points[:, tame])
    assert clipped.inside[:, tame].all()
