"""Your own data on the regression figures (issue 19): ``--set data=PATH`` (``x``, ``y``) on
linear_data, linear_fit and result, the bad files the command line refuses before anything
renders, the cache key over the file's contents, ``alpha=auto``, the honest figure of a step
size the data does not allow, and ``python -m scenes.training_log --data PATH``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import gdmath
import render
from pipeline.params import parse_overrides
from scenes import REGISTRY, with_params
from scenes import training_log as log_cli
from scenes.captions import recorded
from scenes.components import ClippedSteps
from scenes.regression import (
    LINEAR,
    MAX_SAMPLES,
    FitScene,
    LinearData,
    LinearFit,
    OwnDataParams,
    ResultScene,
    data_plot,
    fit_result,
    fit_run,
)

ROOT = Path(__file__).resolve().parent.parent
HOUSES = ROOT / "examples" / "house_prices.csv"
OWN_DATA_FIGURES = ["linear_data", "linear_fit", "result"]


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def rows(n: int, x=lambda i: i, y=lambda i: 2 * i + 1) -> str:
    return "x,y\n" + "".join(f"{x(i)},{y(i)}\n" for i in range(n))


@pytest.fixture
def quick(monkeypatch):
    from scenes import theme

    for name in ("INTRO_TIME", "HOLD_TIME"):
        monkeypatch.setattr(theme, name, 0.2)
    monkeypatch.setattr(FitScene, "descent_time", 0.2)


# --- bad files: exit 2 through the command line, nothing written ----------------------------------
def bad_files(folder: Path) -> list[tuple[str, list[str], str]]:
    """``(file or path, extra --set pairs, the message expected after "linear_fit: ")``."""
    not_a_number = rows(15) + "15,n/a\n"  # the header is row 1: the bad cell is on row 17
    return [
        (str(folder / "missing.csv"), [], f"missing.csv: no such file ({folder / 'missing.csv'})"),
        (write(folder, "empty.csv", ""), [], "empty.csv: the file is empty"),
        (write(folder, "one.csv", "x,y\n1,2\n"), [],
         "one.csv: only one data row (row 2); a line needs at least two samples"),
        (write(folder, "data.csv", not_a_number), [], "data.csv: row 17, column 'y': 'n/a' is not a number"),
        (write(folder, "nan.csv", "x,y\n1,2\n2,nan\n"), [], "nan.csv: row 3, column 'y': 'nan' is not finite"),
        (write(folder, "inf.csv", "x,y\n1,2\ninf,3\n"), [], "inf.csv: row 3, column 'x': 'inf' is not finite"),
        (write(folder, "prices.csv", "size,price\n1,2\n2,3\n"), ["x=area"],
         "prices.csv: no column 'area' for x; the columns are 'size', 'price'"),
        (write(folder, "flat.csv", "x,y\n3,1\n3,2\n3,5\n"), [], "flat.csv: every x ('x') is 3: no line can be fitted by x"),
        (write(folder, "image.csv", b"\x89PNG\r\n\x1a\n\x00\x00"), [], "image.csv: not a text file (byte 0 is not UTF-8)"),
        (write(folder, "short.csv", "x,y\n1,2\n3\n"), [], "short.csv: row 3 has 1 cells, no column 'y'"),
    ]


def invoke(tmp_path: Path, *args: str):
    out, cache = tmp_path / "out", tmp_path / "cache"
    result = CliRunner().invoke(render.main, [*args, "-q", "l", "--quiet", "--out", str(out), "--cache", str(cache)])
    return result, out, cache


def nothing_written(out: Path, cache: Path) -> bool:
    return not out.exists() and not cache.exists()


def test_every_bad_file_exits_2_naming_file_row_and_column_before_anything_is_written(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    for path, extra, message in bad_files(folder):
        sets = [arg for pair in [f"data={path}", *extra] for arg in ("--set", pair)]
        result, out, cache = invoke(tmp_path, "--scene", "linear_fit", *sets)
        assert result.exit_code == 2, (message, result.output)
        assert f"linear_fit: {message}" in result.output, result.output
        assert nothing_written(out, cache), message


def test_more_rows_than_the_sample_budget_exit_2(tmp_path):
    path = write(tmp_path, "big.csv", "x,y\n" + "1,2\n2,3\n" * ((MAX_SAMPLES + 2) // 2))
    result, out, cache = invoke(tmp_path, "--scene", "result", "--set", f"data={path}")
    assert result.exit_code == 2
    assert f"result: big.csv: {MAX_SAMPLES + 2:,} data rows, over the budget of {MAX_SAMPLES:,}" in result.output
    assert nothing_written(out, cache)


def test_columns_without_a_file_and_a_file_on_the_posts_parabola_are_refused(tmp_path):
    result, out, cache = invoke(tmp_path, "--scene", "linear_data", "--set", "x=area")
    assert result.exit_code == 2 and "linear_data: x choose columns of a data file: set data=PATH too" in result.output
    result, out, cache = invoke(tmp_path, "--scene", "parabolic_fit", "--set", f"data={HOUSES}")
    assert result.exit_code == 2 and "unknown parameter 'data' for parabolic_fit" in result.output
    assert nothing_written(out, cache)


def test_every_own_data_figure_checks_its_file(tmp_path):
    path = write(tmp_path, "data.csv", rows(15) + "15,n/a\n")
    scenes = [arg for name in OWN_DATA_FIGURES for arg in ("--scene", name)]
    result, out, cache = invoke(tmp_path, *scenes, "--set", f"data={path}")
    assert result.exit_code == 2
    for name in OWN_DATA_FIGURES:
        assert f"{name}: data.csv: row 17, column 'y': 'n/a' is not a number" in result.output


def test_the_path_is_the_whole_text_after_data(tmp_path):
    path = write(tmp_path, "my data, 2024 (v2).csv", rows(5))
    overrides = parse_overrides((f"data={path}", "alpha=auto"), [REGISTRY["linear_fit"]])
    assert overrides["linear_fit"] == {"data": str(path), "alpha": "auto"}
    assert fit_run(OwnDataParams(data=str(path)), LINEAR).source.file_name == "my data, 2024 (v2).csv"
    with pytest.raises(ValueError, match="alpha must be a number or auto, got 'fast'"):
        parse_overrides(("alpha=fast",), [REGISTRY["linear_fit"]])


def test_a_relative_path_is_read_from_the_current_folder(tmp_path, monkeypatch):
    write(tmp_path, "here.csv", rows(4))
    monkeypatch.chdir(tmp_path)
    assert data_plot(OwnDataParams(data="here.csv"), LINEAR).n_samples == 4


# --- what the figures show on a file's data ---------------------------------------------------
def test_the_columns_are_chosen_by_name_or_default_to_x_and_y_or_the_first_two(tmp_path):
    named = write(tmp_path, "named.csv", "id;x;note;y\n1;0;a;5\n2;1;b;7\n3;2;c;10\n")
    plot = data_plot(OwnDataParams(data=str(named)), LINEAR)
    np.testing.assert_array_equal(plot.y, [5, 7, 10])
    assert plot.names == ("x", "y")
    chosen = data_plot(OwnDataParams(data=str(named), x="id", y="x"), LINEAR)
    np.testing.assert_array_equal(chosen.x, [1, 2, 3])
    np.testing.assert_array_equal(chosen.y, [0, 1, 2])
    assert chosen.names == ("id", "x")
    bare = write(tmp_path, "bare.tsv", "4\t10\t1\n5\t12\t1\n6\t13\t1\n")
    plot = data_plot(OwnDataParams(data=str(bare)), LINEAR)
    np.testing.assert_array_equal(plot.x, [4, 5, 6])
    assert plot.names == ("1", "2") and plot.source.delimiter == "\t"


def test_the_least_squares_line_matches_numpy_polyfit():
    result = fit_result(OwnDataParams(data=str(HOUSES)), LINEAR)
    x, y = np.loadtxt(HOUSES, delimiter=",", skiprows=1, unpack=True)
    w, b = np.polyfit(x, y, 1)
    np.testing.assert_allclose(result.least_squares[:2], (w, b), rtol=0, atol=1e-6)
    assert result.least_squares[2] == pytest.approx(np.mean((y - (w * x + b)) ** 2), abs=1e-6)
    assert f"the least-squares line is y = {w:.3f}x + {b:.3f}" in result.least_squares_text()
    assert result.least_squares_text() in with_params(ResultScene, data=str(HOUSES)).describe()


def test_axes_landscape_and_texts_follow_the_data():
    p = OwnDataParams(data=str(HOUSES), alpha="auto", map_pixels=16)
    run = fit_run(p, LINEAR)
    x, y = run.x, run.y
    # the data panel holds every sample, its ticks nice multiples of the step
    assert run.x_axis[0] < x.min() and x.max() < run.x_axis[1]
    assert run.y_axis[0] < y.min() and y.max() < run.y_axis[1]
    for axis, shown in ((run.x_axis, run.x_ticks), (run.y_axis, run.y_ticks)):
        assert 3 <= len(shown) <= 8 and all(abs(t / axis[2] - round(t / axis[2])) < 1e-9 for t in shown)
    assert run.names == ("area_m2", "price_k")
    # the landscape is centred on the least-squares line and holds the whole (stable) descent
    w, b, _ = run.least_squares
    assert (run.w_axis[0] + run.w_axis[1]) / 2 == pytest.approx(w)
    assert (run.b_axis[0] + run.b_axis[1]) / 2 == pytest.approx(b)
    h = run.history
    assert run.w_axis[0] < h.w.min() and h.w.max() < run.w_axis[1]
    assert run.b_axis[0] < h.b.min() and h.b.max() < run.b_axis[1]
    assert not run.leaves_window and not run.diverged
    np.testing.assert_array_equal(run.surface, gdmath.loss_surface(x, y, run.ws, run.bs))
    assert run.loss_scale == (run.surface.min(), run.surface.max())  # the window's losses, on a log scale
    # ... unless the ranges are set
    set_run = fit_run(OwnDataParams(data=str(HOUSES), w_range=(0.0, 5.0, 1.0), b_range=(0.0, 80.0, 20.0),
                                    map_pixels=4), LINEAR)
    assert (set_run.w_axis, set_run.b_axis) == ((0.0, 5.0, 1.0), (0.0, 80.0, 20.0))
    # the texts give the data's numbers
    text = with_params(LinearFit, data=str(HOUSES), alpha="auto", map_pixels=16).describe()
    assert "40 samples of house_prices.csv (x: area_m2, y: price_k)" in text
    for fact in run.facts():
        assert fact in text
    assert run.facts()[0] == f"the line is y = {h.w[-1]:.3f}x + {h.b[-1]:.3f}, loss {h.loss[-1]:.3f}"


def test_alpha_auto_is_gdmaths_fraction_of_the_bound_and_the_manifest_records_it():
    p = OwnDataParams(data=str(HOUSES), alpha="auto", map_pixels=4)
    x = gdmath.read_samples(HOUSES).x
    run = fit_run(p, LINEAR)
    assert run.history.alpha == gdmath.auto_alpha(x) == pytest.approx(gdmath.max_stable_alpha(x) / 2)
    assert run.auto and "(auto: 0.5 of what the data allows)" in run.alpha_text()
    assert p.run_values()["alpha"] == gdmath.auto_alpha(x)
    # on the post's own data too
    post = OwnDataParams(alpha="auto")
    assert post.run_values()["alpha"] == gdmath.auto_alpha(gdmath.make_linear_data()[0])


def test_a_step_size_above_the_bound_renders_honestly_and_says_what_the_data_allows():
    run = fit_run(OwnDataParams(data=str(HOUSES), map_pixels=8), LINEAR)  # the post's alpha 0.015
    x = run.x
    assert run.history.alpha == 0.015 > gdmath.max_stable_alpha(x)
    assert run.diverged and run.history.frozen_at >= 0 and run.leaves_window
    assert np.isfinite(run.history.loss).all() and np.isfinite(run.line_ends).all()
    assert run.allows_text() == "this data allows alpha < 7.5e-05"
    assert "step size 0.015 is too large: the descent diverges" in run.outcome()
    text = with_params(LinearFit, data=str(HOUSES), map_pixels=8).describe()
    assert "this data allows alpha < 7.5e-05" in text and "an arrowhead on its edge" in text
    # the fitted lines that leave the data panel are cut to it, or hidden
    assert not run.line_shown[-1]
    shown = run.line_ends[run.line_shown]
    assert np.all(shown[..., 1] >= run.y_axis[0] - 1e-9) and np.all(shown[..., 1] <= run.y_axis[1] + 1e-9)


def test_a_diverging_fit_scene_clips_its_path_and_warns_of_nothing(build_scene, quick):
    """pytest turns RuntimeWarning into errors: building the whole scene proves none escapes."""
    scene = build_scene(with_params(LinearFit, data=str(HOUSES), map_pixels=8, iterations=6))
    assert isinstance(scene.marks, ClippedSteps)
    assert scene.note[0].original_text == "α = 0.015 diverges: this data allows α < 7.5 × 10⁻⁵"
    cues = " ".join(text for _, text in recorded(scene))
    for fact in scene.data.facts():
        assert fact in cues


def test_own_data_stills_build(build_scene):
    still = build_scene(with_params(LinearData, data=str(HOUSES)))
    assert not hasattr(still, "truth") and len(still.dots) == 40
    np.testing.assert_allclose(still.dots[0].get_center(), still.axes.c2p(still.data.x[0], still.data.y[0]), atol=1e-9)
    result = build_scene(with_params(ResultScene, data=str(HOUSES), alpha="auto"))
    dashes = result.truth.submobjects
    (x0, y0), (x1, y1) = (result.axes.p2c(p)[:2] for p in (dashes[0].get_start(), dashes[-1].get_end()))
    w, b, _ = result.data.least_squares
    assert (y1 - y0) / (x1 - x0) == pytest.approx(w, rel=1e-6)


# --- the cache key covers the file's contents ---------------------------------------------------
def test_run_values_hold_the_files_name_hash_and_columns_not_its_time(tmp_path):
    path = write(tmp_path, "prices.csv", "area,price\n1,2\n2,4\n3,7\n")
    values = OwnDataParams(data=str(path)).run_values()
    assert values["data"] == "prices.csv" and values["x"] == "area" and values["y"] == "price"
    assert values["data_sha256"] == gdmath.read_samples(path).sha256 and values["n_samples"] == 3
    assert "seed" not in values and "noise" not in values
    os.utime(path, (1, 1))
    assert OwnDataParams(data=str(path)).run_values() == values
    path.write_text("area,price\n1,2\n2,4\n3,8\n")
    assert OwnDataParams(data=str(path)).run_values()["data_sha256"] != values["data_sha256"]


def render_tiny(out: Path, cache: Path, data: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "render.py", "--scene", "linear_fit", "--set", f"data={data}", "--set", "iterations=3",
         "--set", "map_pixels=8", "-q", "l", "--jobs", "1", "--quiet", "--out", str(out), "--cache", str(cache)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    entry = next(e for e in json.loads((out / "manifest.json").read_text())["figures"] if e["name"] == "linear_fit")
    status = re.search(r"linear_fit\s+(\w+)", result.stdout + result.stderr).group(1)
    return {"key": entry["cache_key"], "status": status, "params": entry["params"]}


@pytest.mark.slow
def test_editing_the_file_re_renders_and_touching_it_does_not(tmp_path):
    data = write(tmp_path, "prices.csv", "area,price\n40,150\n80,250\n120,330\n160,450\n")
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = render_tiny(out, cache, data)
    assert first["status"] == "rendered"
    assert first["params"]["data"] == "prices.csv" and first["params"]["x"] == "area"
    assert first["params"]["data_sha256"] == gdmath.read_samples(data).sha256
    os.utime(data, (10**9, 10**9))
    touched = render_tiny(out, cache, data)
    assert touched == {**first, "status": "cached"}
    data.write_text("area,price\n40,150\n80,250\n120,330\n160,460\n")
    edited = render_tiny(out, cache, data)
    assert edited["status"] == "rendered" and edited["key"] != first["key"]


# --- the training log of a file ---------------------------------------------------------------
def test_the_training_log_prints_the_posts_log_for_a_file(capsys):
    status = log_cli.main(["--data", str(HOUSES), "--alpha", "auto", "--iterations", "30"])
    out, err = capsys.readouterr()
    assert status == 0 and err == ""
    x, y = gdmath.read_samples(HOUSES).x, gdmath.read_samples(HOUSES).y
    h = gdmath.fit_line(x, y, alpha=gdmath.auto_alpha(x), iterations=30)
    assert out.splitlines() == [f"Loss at iteration {i:3}: {h.loss[i]:0.3f}" for i in (0, 10, 20)]


def test_the_training_log_of_a_file_with_the_posts_alpha_says_it_diverged(capsys, tmp_path):
    status = log_cli.main(["--data", str(HOUSES), "--x", "area_m2", "--y", "price_k"])
    out, err = capsys.readouterr()
    assert status == 0 and "diverged" in out
    assert "this data allows alpha < 7.5e-05" in err
    bad = write(tmp_path, "data.csv", rows(15) + "15,n/a\n")
    with pytest.raises(SystemExit) as exit_:
        log_cli.main(["--data", str(bad)])
    assert exit_.value.code == 2
    assert "data.csv: row 17, column 'y': 'n/a' is not a number" in capsys.readouterr().err


def test_the_loss_pointer_follows_the_loss_on_the_colour_bars_log_scale():
    run = fit_run(OwnDataParams(data=str(HOUSES), map_pixels=8), LINEAR)  # diverges
    levels, above = run.loss_levels()
    low, high = run.loss_scale
    assert levels[0] == pytest.approx(np.log10(run.history.loss[0])) and not above[0]
    assert above[-1] and levels[-1] == pytest.approx(np.log10(high))
