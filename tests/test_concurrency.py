"""Safe under concurrency, bad values and crashes: real processes sharing a cache and an
output folder, SIGKILL mid-publish, corrupted files, bad --set values, stale caches and
stale siblings."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import leftovers, published_names, wait_until

ROOT = Path(__file__).resolve().parent.parent
CONVEX = ["--scene", "convex", "-q", "l", "--set", "steps=2", "--quiet"]  # ~2 s: the cheapest video


def start(args, cwd, script=ROOT / "render.py"):
    return subprocess.Popen([sys.executable, str(script), *map(str, args)], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def run(args, cwd, script=ROOT / "render.py", timeout=180):
    return subprocess.run([sys.executable, str(script), *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


def figures_in(out: Path) -> dict:
    return {e["name"]: e for e in json.loads((out / "manifest.json").read_text())["figures"]}


def verify(out: Path, cwd: Path) -> subprocess.CompletedProcess:
    return run(["--verify", "--out", out], cwd)


# --- concurrency ---------------------------------------------------------------------------
@pytest.mark.subprocess
@pytest.mark.slow
def test_three_concurrent_runs_of_one_figure_render_it_once(tmp_path):
    out, cache = tmp_path / "media", tmp_path / "cache"
    processes = [start([*CONVEX, "--out", out, "--cache", cache], tmp_path) for _ in range(3)]
    outputs = [p.communicate(timeout=180)[0] for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], outputs
    statuses = sorted("done in" in o and "done" or "cached" for o in outputs)
    assert statuses == ["cached", "cached", "done"], outputs
    assert sum("waiting for another render of convex" in o for o in outputs) >= 1
    assert verify(out, tmp_path).returncode == 0


@pytest.mark.subprocess
@pytest.mark.slow
def test_three_concurrent_forced_runs_render_one_after_another(tmp_path):
    out, cache = tmp_path / "media", tmp_path / "cache"
    processes = [start([*CONVEX, "--force", "--out", out, "--cache", cache], tmp_path) for _ in range(3)]
    outputs = [p.communicate(timeout=180)[0] for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], outputs
    assert all("done in" in o for o in outputs), outputs
    assert sum("waiting for another render of convex" in o for o in outputs) >= 1
    assert verify(out, tmp_path).returncode == 0


@pytest.mark.subprocess
@pytest.mark.slow
def test_two_figures_from_two_processes_both_land_in_manifest_and_gallery(tmp_path):
    out, cache = tmp_path / "media", tmp_path / "cache"
    processes = [
        start([*CONVEX, "--out", out, "--cache", cache], tmp_path),
        start(["--scene", "linear_data", "-q", "l", "--quiet", "--out", out, "--cache", cache], tmp_path),
    ]
    outputs = [p.communicate(timeout=180)[0] for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    assert set(figures_in(out)) == {"convex", "linear_data"}
    gallery = (out / "index.html").read_text()
    assert 'data-name="convex"' in gallery and 'data-name="linear_data"' in gallery
    assert verify(out, tmp_path).returncode == 0


# --- crashes and corruption ---------------------------------------------------------------
@pytest.mark.subprocess
@pytest.mark.slow
def test_kill_9_mid_publish_then_another_figure_leaves_no_temporary(tmp_path):
    out, cache = tmp_path / "media", tmp_path / "cache"
    process = start([*CONVEX, "--format", "webm", "--format", "mp4", "--out", out, "--cache", cache], tmp_path)
    # the poster's temporary appears first; the WebM encode follows
    wait_until(lambda: list(out.glob(".convex.*.tmp")) or process.poll() is not None, timeout=120,
               interval=0.02, message="the publish to start")
    assert list(out.glob(".convex.*.tmp")), "never saw the publish start"
    process.kill()
    process.wait(timeout=30)
    assert list(out.glob(".convex.*.tmp")), "SIGKILL came too late to leave a temporary"

    other = run(["--scene", "linear_data", "-q", "l", "--quiet", "--out", out, "--cache", cache], tmp_path)
    assert other.returncode == 0, other.stdout + other.stderr
    assert leftovers(out) == []
    checked = verify(out, tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.subprocess
@pytest.mark.slow
def test_a_flipped_byte_fails_verify_and_the_next_run_renders_again(tmp_path):
    out, cache = tmp_path / "media", tmp_path / "cache"
    assert run([*CONVEX, "--out", out, "--cache", cache], tmp_path).returncode == 0
    assert verify(out, tmp_path).returncode == 0
    video = out / "convex.mp4"
    data = bytearray(video.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, different content
    video.write_bytes(bytes(data))

    checked = verify(out, tmp_path)
    assert checked.returncode == 1
    assert "convex.mp4" in checked.stderr and "SHA-256" in checked.stderr

    again = run([*CONVEX, "--out", out, "--cache", cache], tmp_path)
    assert again.returncode == 0 and "done in" in again.stderr, again.stderr
    assert verify(out, tmp_path).returncode == 0


@pytest.mark.subprocess
def test_verify_names_a_missing_file_and_a_stray_temporary(tmp_path):
    out = tmp_path / "media"
    out.mkdir()
    (out / "a.png").write_bytes(b"png")
    entry = {"name": "a", "files": {"png": {"path": "a.png", "bytes": 3, "sha256": "0" * 64},
                                    "mp4": {"path": "a.mp4", "bytes": 9, "sha256": "0" * 64}}}
    (out / "manifest.json").write_text(json.dumps({"figures": [entry]}))
    (out / ".a.png.12345.tmp").write_bytes(b"")
    checked = verify(out, tmp_path)
    assert checked.returncode == 1
    assert "a.mp4 is missing" in checked.stderr
    assert "a.png does not match its SHA-256" in checked.stderr
    assert ".a.png.12345.tmp" in checked.stderr
    assert verify(tmp_path / "nowhere", tmp_path).returncode == 1


@pytest.mark.subprocess
@pytest.mark.parametrize("content", ["[1, 2, 3]", "{not json", '{"figures": [{"name": 3}]}'])
def test_a_bad_manifest_is_moved_aside_and_rebuilt_from_disk(tmp_path, content):
    out = tmp_path / "media"
    out.mkdir()
    (out / "manifest.json").write_text(content)
    # a still already on disk: the rebuilt manifest lists it (with no cache key: it renders again)
    shutil.copy(ROOT / "tests" / "reference" / "linear_data_poster_480p.png", out / "linear_data.png")
    result = run(["--scene", "playground", "--quiet", "--out", out, "--cache", tmp_path / "c"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "moved aside to manifest.json.bad-" in result.stderr
    aside = list(out.glob("manifest.json.bad-*"))
    assert len(aside) == 1 and aside[0].read_text() == content
    assert set(figures_in(out)) == {"linear_data", "playground"}
    assert verify(out, tmp_path).returncode == 0


# --- bad values ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "figure, setting, message",
    [
        ("hills", "alpha=-1", "hills: alpha must be finite and > 0, got -1"),
        ("hills", "alpha=inf", "hills: alpha must be finite and > 0, got inf"),
        ("hills", "alpha=nan", "hills: alpha must be finite and > 0, got nan"),
        ("hills", "steps=-5", "hills: steps must be a whole number in [1, 10000], got -5"),
        ("hills", "n_points=0", "hills: n_points must be a whole number in [1, 1000], got 0"),
        ("hills", "view=0", "hills: view must be finite and > 0, got 0"),
        ("hills", "seed=-1", "hills: seed must be a whole number in [0, 4294967295], got -1"),
        ("hills", "steps=100000000", "MiB history (100000000 steps x 12 points), over the 64 MiB budget"),
        ("field", "map_pixels=1500", "field: map_pixels = 1500 needs 2,250,000 grid cells"),
        ("minima", "starts=1,inf", "minima: starts must be 1 or more comma-separated numbers"),
        ("linear_fit", "w_range=3,1,1", "linear_fit: w_range must be 3 finite numbers, the first below the second"),
    ],
)
@pytest.mark.subprocess
def test_a_bad_value_exits_2_at_once_naming_the_key_and_writes_nothing(tmp_path, figure, setting, message):
    out = tmp_path / "fresh"
    result = run(["--scene", figure, "-q", "l", "--set", setting, "--out", out, "--cache", tmp_path / "c"],
                 tmp_path, timeout=60)
    assert result.returncode == 2, result.stderr
    assert message in " ".join(result.stderr.split())
    assert not out.exists() and not (tmp_path / "c").exists()


@pytest.mark.subprocess
def test_every_budget_breach_gives_its_estimate(tmp_path):
    result = run(["--all", "--set", "steps=10000", "--set", "n_points=1000", "--out", tmp_path / "o"], tmp_path)
    assert result.returncode == 2
    text = " ".join(result.stderr.split())
    assert "hills: steps x points needs a 229 MiB history (10000 steps x 1000 points)" in text
    assert "field: steps x points needs a 229 MiB history" in text


# --- the cache sees every input -----------------------------------------------------------
def copy_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    for name in ("scenes", "gdmath", "pipeline"):
        shutil.copytree(ROOT / name, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "render.py", tree / "render.py")
    return tree


@pytest.mark.subprocess
@pytest.mark.slow
def test_editing_any_kind_of_input_in_a_copy_of_the_tree_renders_again(tmp_path):
    tree = copy_tree(tmp_path)
    out, cache = tmp_path / "media", tmp_path / "cache"
    args = ["--scene", "playground", "--quiet", "--out", out, "--cache", cache]

    def status() -> str:
        result = run(args, tmp_path, script=tree / "render.py")
        assert result.returncode == 0, result.stderr
        return "done" if "done in" in result.stderr else "cached" if "cached" in result.stderr else result.stderr

    assert status() == "done"
    assert status() == "cached"
    template = tree / "scenes" / "playground_template.html"
    template.write_text(template.read_text().replace("</body>", "<!-- edited template --></body>"))
    assert status() == "done"
    assert "<!-- edited template -->" in (out / "playground.html").read_text()  # the copy is what ran
    edits = [
        tree / "scenes" / "hills.py",  # a scene module the page imports
        tree / "gdmath" / "grids.py",  # the math core
        tree / "pipeline" / "publish.py",  # the pipeline
        tree / "scenes" / "concepts" / "shapes.py",  # a new subpackage module nobody imports yet
        tree / "gdmath" / "data.json",  # a data file
    ]
    for path in edits:
        path.parent.mkdir(exist_ok=True)
        path.write_text((path.read_text() if path.exists() else "") + "\n# edited\n")
        assert status() == "done", f"editing {path.relative_to(tree)} did not render again"
        assert status() == "cached"


def test_a_change_of_tool_version_changes_the_key(monkeypatch):
    from pipeline import cache

    before = cache.cache_key({}, "l", ("mp4",))
    versions = dict(cache.tool_versions())
    for tool in ("ffmpeg", "pillow", "latex", "cairo"):
        monkeypatch.setattr(cache, "tool_versions", lambda tool=tool: {**versions, tool: "other"})
        assert cache.cache_key({}, "l", ("mp4",)) != before, tool


# --- stale siblings and scenes that play nothing (in this process, with tiny figures) ------
@pytest.fixture
def tiny_cli(tiny_registry):
    from click.testing import CliRunner

    import render

    def use(*figures):
        tiny_registry(*figures)
        return lambda *args: CliRunner().invoke(render.main, [str(a) for a in args], catch_exceptions=False)

    return use


@pytest.mark.slow
def test_no_stale_sibling_survives_a_change_of_formats(tmp_path, tiny_cli):
    from figures_for_tests import TINY

    cli = tiny_cli(TINY)
    args = ["--all", "-q", "l", "--quiet", "--out", tmp_path / "o", "--cache", tmp_path / "c"]
    assert cli(*args, "--format", "webm", "--format", "mp4").exit_code == 0
    assert published_names(tmp_path / "o") == ["index.html", "manifest.json", "tiny.mp4", "tiny.png", "tiny.webm", "tiny.webp"]
    result = cli(*args, "--format", "mp4", "--set", "distance=1")
    assert result.exit_code == 0, result.output
    assert published_names(tmp_path / "o") == ["index.html", "manifest.json", "tiny.mp4", "tiny.png", "tiny.webp"]
    assert set(figures_in(tmp_path / "o")["tiny"]["files"]) == {"mp4", "png", "webp"}
    assert "tiny.webm" not in (tmp_path / "o" / "index.html").read_text()


@pytest.mark.render
def test_a_video_figure_that_plays_nothing_fails(tmp_path, tiny_cli):
    from figures_for_tests import STILL

    from scenes import Figure

    silent = Figure("silent", "Plays nothing.", STILL.scene)  # a video figure whose scene never plays
    result = tiny_cli(silent)("--all", "-q", "l", "--quiet", "--out", tmp_path / "o", "--cache", tmp_path / "c")
    assert result.exit_code == 1
    # manim 0.22 refuses itself ("no play calls"); pipeline.render.run_scene checks it too, for older behaviour
    assert "failed" in result.output and ("no play calls" in result.output or "plays nothing" in result.output)
    assert not list((tmp_path / "o").glob("silent*"))
    assert "silent" not in figures_in(tmp_path / "o")


@pytest.mark.slow
def test_set_under_all_reaches_every_figure_with_the_key(tmp_path, tiny_cli):
    from figures_for_tests import OTHER, STILL, TINY

    cli = tiny_cli(TINY, OTHER, STILL)
    result = cli("--all", "-q", "l", "--quiet", "--jobs", "1", "--set", "distance=0.5",
                 "--out", tmp_path / "o", "--cache", tmp_path / "c")
    assert result.exit_code == 0, result.output
    assert {name: e["params"]["distance"] for name, e in figures_in(tmp_path / "o").items()} == {
        "tiny": 0.5, "other": 0.5, "still": 0.5}


def test_set_under_all_reaches_every_real_figure_with_the_key():
    import dataclasses

    from pipeline import jobs, params
    from scenes import REGISTRY

    figures = list(REGISTRY.values())
    overrides = params.parse_overrides(("alpha=0.05",), figures)
    with_alpha = {f.name for f in figures if params.params_of(f) is not None
                  and "alpha" in {field.name for field in dataclasses.fields(params.params_of(f))}}
    assert {"convex", "minima", "hills", "field", "linear_fit", "lr_small", "lr_unstable"} <= with_alpha
    for figure in figures:
        job = jobs.make_job(figure, overrides[figure.name], "l", ("mp4",), Path("o"), Path("c"))
        assert (job.params.get("alpha") == 0.05) == (figure.name in with_alpha), figure.name


@pytest.mark.subprocess
@pytest.mark.slow
def test_a_short_figure_at_the_default_quality(tmp_path):
    from pipeline import check

    result = run(["--scene", "convex", "--set", "steps=1", "--quiet", "--out", tmp_path / "o",
                  "--cache", tmp_path / "c"], tmp_path, timeout=300)  # no -q: the default, h
    assert result.returncode == 0, result.stderr
    info = check.probe_video(tmp_path / "o" / "convex.mp4")
    assert (info.codec, info.pix_fmt, info.width, info.height, round(info.fps)) == ("h264", "yuv420p", 1920, 1080, 60)
