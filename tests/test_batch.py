"""Batch publishing: --all with a process pool, the cache, formats, failures, --set."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from click.testing import CliRunner
from conftest import leftovers, published_names, wait_until
from figures_for_tests import BROKEN, OTHER, STILL, TINY

import render
from pipeline import cache, check, jobs, params


def run_cli(*args):
    return CliRunner().invoke(render.main, list(args), catch_exceptions=False)


def cache_files(cache) -> dict:
    """Every file of a cache folder but its locks, with its modification time."""
    return {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file() and "locks" not in p.relative_to(cache).parts}


@pytest.mark.subprocess
@pytest.mark.slow
def test_all_in_parallel_publishes_every_file_then_caches_then_forces(tmp_path, tiny_registry):
    tiny_registry(TINY, OTHER, STILL)
    out, cache = tmp_path / "media", tmp_path / "cache"
    args = ["--all", "--jobs", "2", "-q", "l", "--out", str(out), "--cache", str(cache)]
    formats = ["--format", "mp4", "--format", "webm", "--format", "gif"]

    first = run_cli(*args, *formats)
    assert first.exit_code == 0, first.output
    assert published_names(out) == [
        "index.html", "manifest.json", "other.gif", "other.mp4", "other.png", "other.webm", "other.webp",
        "still.png", "still.webp", "tiny.gif", "tiny.mp4", "tiny.png", "tiny.webm", "tiny.webp",
    ]
    for name in ("tiny", "other"):
        mp4 = check.probe_video(out / f"{name}.mp4")
        check.check_video(mp4, "l")
        check.check_video(check.probe_video(out / f"{name}.webm"), "l", "webm", reference=mp4)
        check.check_video(check.probe_video(out / f"{name}.gif"), "l", "gif", reference=mp4)

    manifest = {e["name"]: e for e in json.loads((out / "manifest.json").read_text())["figures"]}
    assert list(manifest) == ["tiny", "other", "still"]
    assert manifest["tiny"]["files"]["mp4"]["bytes"] == (out / "tiny.mp4").stat().st_size
    assert manifest["tiny"]["duration"] == pytest.approx(1.0, abs=0.1)
    assert (manifest["tiny"]["width"], manifest["tiny"]["height"], manifest["tiny"]["fps"]) == (854, 480, 15)
    assert manifest["other"]["params"]["distance"] == -1.0 and manifest["tiny"]["seed"] == 0
    assert manifest["still"]["kind"] == "still" and list(manifest["still"]["files"]) == ["png", "webp"]
    assert all(len(e["cache_key"]) == 16 and e["render_seconds"] > 0 for e in manifest.values())

    mtimes = {name: (out / name).stat().st_mtime_ns for name in published_names(out) if name.endswith((".mp4", ".png", ".webm", ".gif"))}
    rendered = cache_files(cache)
    second = run_cli(*args, *formats)
    assert second.exit_code == 0
    assert rendered and cache_files(cache) == rendered  # nothing rendered again: no cache file written
    assert second.output.count("cached") >= 3 and "done in" not in second.output
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.name in mtimes} == mtimes

    other_formats = run_cli(*args, "--format", "mp4")  # formats are part of the key
    assert "done in" in other_formats.output
    forced = run_cli(*args, "--force")
    assert forced.exit_code == 0 and forced.output.count("done in") == 3


@pytest.mark.subprocess
@pytest.mark.slow
def test_one_failing_figure_does_not_stop_the_others(tmp_path, tiny_registry):
    tiny_registry(TINY, BROKEN, STILL)
    out = tmp_path / "media"
    result = CliRunner().invoke(
        render.main, ["--all", "--jobs", "2", "-q", "l", "--out", str(out), "--cache", str(tmp_path / "c")]
    )
    assert result.exit_code == 1
    assert "RuntimeError: this figure is broken on purpose" in result.output
    assert (out / "tiny.mp4").exists() and (out / "still.png").exists()
    assert not list(out.glob("broken*")) and not list(out.glob(".*tmp"))
    names = [e["name"] for e in json.loads((out / "manifest.json").read_text())["figures"]]
    assert names == ["tiny", "still"]


def test_set_overrides_a_parameter_with_its_type():
    overrides = params.parse_overrides(("distance=3", "loud=yes", "label=x"), [TINY, STILL])
    assert overrides["tiny"] == {"distance": 3.0, "loud": True, "label": "x"}
    job = jobs.make_job(TINY, overrides["tiny"], "l", ("mp4",), None, None)
    assert job.params["distance"] == 3.0
    plain = jobs.make_job(TINY, {}, "l", ("mp4",), None, None)
    assert plain.key != job.key


@pytest.mark.parametrize(
    "setting, message",
    [
        ("speed=3", "unknown parameter 'speed' for tiny; known: distance, label, loud, seed"),
        ("distance=far", "distance must be a float, got 'far'"),
        ("seed=1.5", "seed must be an int, got '1.5'"),
        ("loud=maybe", "loud must be a bool, got 'maybe'"),
        ("distance", "--set takes key=value, got 'distance'"),
    ],
)
def test_bad_set_exits_2_naming_the_problem(setting, message, tiny_registry, tmp_path):
    tiny_registry(TINY)
    result = CliRunner().invoke(render.main, ["--all", "--set", setting, "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())


def test_set_takes_a_tuple_as_comma_separated_numbers():
    from scenes import REGISTRY

    overrides = params.parse_overrides(("starts=-2.5,0.5,1.5",), [REGISTRY["minima"]])
    assert overrides["minima"] == {"starts": (-2.5, 0.5, 1.5)}
    with pytest.raises(ValueError, match="starts must be comma-separated numbers, got 'a,b'"):
        params.parse_overrides(("starts=a,b",), [REGISTRY["minima"]])


def test_cache_key_covers_every_file_of_the_trees_and_the_settings():
    names = {str(p.relative_to(cache.ROOT)) for p in cache.input_files()}
    assert {"scenes/hills.py", "scenes/theme.py", "scenes/playground_template.html", "gdmath/descent.py",
            "pipeline/publish.py", "pipeline/render.py"} <= names
    key = cache.cache_key({"a": 1}, "l", ("mp4",))
    assert key == cache.cache_key({"a": 1}, "l", ("mp4",))
    assert key != cache.cache_key({"a": 2}, "l", ("mp4",))
    assert key != cache.cache_key({"a": 1}, "h", ("mp4",))
    assert key != cache.cache_key({"a": 1}, "l", ("mp4", "gif"))
    assert key != cache.cache_key({"a": 1}, "l", ("mp4",), theme="light")
    assert {"manim", "av", "pillow", "ffmpeg", "cairo", "pango", "latex", "dvisvgm"} <= set(cache.tool_versions())


@pytest.mark.subprocess
@pytest.mark.slow
def test_sigterm_stops_a_parallel_batch_and_leaves_the_old_files(tmp_path):
    """SIGTERM while both workers are busy and hills, whose old files we check, is in flight:
    hills goes first (the slowest figure at -q l, ~5 s, against convex's ~3 s) and the
    signal waits for hills' own manim output to appear."""
    import signal
    import subprocess
    import sys
    from pathlib import Path

    root = Path(render.__file__).resolve().parent
    out = tmp_path / "media"
    out.mkdir()
    (out / "hills.mp4").write_bytes(b"old video")
    (out / "hills.png").write_bytes(b"old poster")
    process = subprocess.Popen(
        [sys.executable, str(root / "render.py"), "--scene", "hills", "--scene", "convex",
         "--jobs", "2", "-q", "l", "--force", "--out", str(out), "--cache", str(tmp_path / "c")],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    hills_work = tmp_path / "c" / "manim" / "hills"
    wait_until(lambda: list(hills_work.rglob("*.mp4")), timeout=120, message="hills to start rendering")
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 130, output
    assert not re.search(r"hills +done", output), "hills had finished before the signal: nothing was tested"
    assert (out / "hills.mp4").read_bytes() == b"old video"
    assert (out / "hills.png").read_bytes() == b"old poster"
    assert not leftovers(out), "temporary files left behind"


@pytest.mark.subprocess
@pytest.mark.slow
def test_gallery_plays_every_video_in_a_browser(tmp_path, tiny_registry, browser):
    """index.html served from localhost: every <video> loads its metadata with the
    duration and size the manifest says, images load, and the page logs no error."""
    from conftest import serve

    tiny_registry(TINY, OTHER, STILL)
    out = tmp_path / "media"
    result = run_cli("--all", "--jobs", "2", "-q", "l", "--format", "webm", "--format", "mp4",
                     "--out", str(out), "--cache", str(tmp_path / "c"))
    assert result.exit_code == 0, result.output
    manifest = {e["name"]: e for e in json.loads((out / "manifest.json").read_text())["figures"]}

    with serve(out) as base:
        page = browser.new_page()
        problems = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
        page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
        # the gallery's videos load nothing until played (preload="none"): serve it asking for
        # their metadata (changing preload in the page would abort the first request)
        page.route(f"{base}/index.html", lambda route: route.fulfill(
            response=route.fetch(), body=(out / "index.html").read_text().replace('preload="none"', 'preload="metadata"')))
        page.goto(f"{base}/index.html")
        page.wait_for_function(
            "[...document.querySelectorAll('video')].every(v => v.readyState >= 1)"
            " && [...document.querySelectorAll('img')].every(i => i.complete && i.naturalWidth > 0)",
            timeout=20_000,
        )
        videos = page.evaluate(
            "[...document.querySelectorAll('figure')].map(f => { const v = f.querySelector('video');"
            " return {name: f.dataset.name, label: v && v.getAttribute('aria-label'),"
            " duration: v && v.duration, width: v && v.videoWidth, height: v && v.videoHeight,"
            " poster: v && v.getAttribute('poster'), source: v && v.currentSrc}; })"
        )
        page.screenshot(path=str(tmp_path / "gallery.png"), full_page=True)
        page.close()

    assert [v["name"] for v in videos] == ["tiny", "other", "still"]
    for video in videos[:2]:
        entry = manifest[video["name"]]
        assert video["duration"] == pytest.approx(entry["duration"], abs=0.1)
        assert (video["width"], video["height"]) == (entry["width"], entry["height"])
        assert video["label"] == entry["description"] and video["poster"] == f"{video['name']}.webp"
        assert video["source"].endswith(".webm")  # the first source Chromium can play
    assert problems == []


def test_the_gallery_css_takes_its_font_sizes_from_the_theme(tmp_path):
    """No literal px font size in the page's CSS, in the source or in the written page
    (where every size must be one the theme names)."""
    import re
    from pathlib import Path

    from pipeline import gallery
    from scenes import theme

    literal = re.compile(r"font(?:-size)?\s*:\s*[^;{}]*?\b\d+(?:\.\d+)?px")
    assert literal.findall(Path(gallery.__file__).read_text()) == []
    page = gallery.write_gallery(tmp_path, {}).read_text()
    sizes = {int(s) for s in re.findall(r"font(?:-size)?\s*:\s*[^;{}]*?\b(\d+)px", page)}
    named = {value for key, value in vars(theme).items() if key.startswith("PAGE_") and key.endswith("_PX")}
    assert sizes and sizes <= named


# --- one pool for every theme; the one pipeline call -------------------------------------------
def corner_of(path) -> tuple[int, int, int]:
    import numpy as np
    from PIL import Image

    return tuple(int(c) for c in np.asarray(Image.open(path).convert("RGB"))[2, 2])


def background_of(name: str) -> tuple[int, int, int]:
    from scenes import theme

    return tuple(int(round(255 * c)) for c in theme.in_theme(theme.BACKGROUND, name).to_rgb())


def both_theme_jobs(names, out, cache) -> list:
    from scenes import REGISTRY

    return [jobs.make_job(REGISTRY[name], {}, "l", ("mp4",), out, cache, theme=theme)
            for name in names for theme in ("dark", "light")]


def assert_drawn_in_their_themes(outcomes, out) -> None:
    for outcome in outcomes:
        assert corner_of(out / outcome.files["png"]) == background_of(outcome.job.theme), outcome.job.stem


@pytest.mark.slow
def test_jobs_2_renders_both_themes_in_one_pool_of_two_workers(tmp_path):
    """Two stills in both themes with two workers: every job runs in a worker (not here),
    the four jobs in at most two processes whatever their themes (a pool per theme could
    use four), each drawn in its own job's theme."""
    import os

    out = tmp_path / "o"
    outcomes = jobs.run_jobs(both_theme_jobs(("result", "linear_data"), out, tmp_path / "c"), 2, lambda *a: None)
    assert [o.status for o in outcomes] == ["rendered"] * 4, [o.error for o in outcomes]
    pids = {o.pid for o in outcomes}
    assert os.getpid() not in pids and 0 not in pids
    assert len(pids) <= 2, pids
    assert_drawn_in_their_themes(outcomes, out)


@pytest.mark.slow
def test_a_worker_renders_dark_then_light_then_dark(tmp_path):
    """One worker process of the pool, three jobs of alternating themes: the same process
    renders them all, each in its job's theme (no theme chosen per process)."""
    import os

    out = tmp_path / "o"
    dark, light = both_theme_jobs(("result",), out, tmp_path / "c")
    forced_dark = dataclasses.replace(dark, force=True)
    with jobs.worker_pool(1) as pool:
        outcomes = [pool.submit(jobs.run_job, job).result(timeout=300) for job in (dark, light, forced_dark)]
    assert [o.status for o in outcomes] == ["rendered"] * 3, [o.error for o in outcomes]
    assert len({o.pid for o in outcomes}) == 1 and outcomes[0].pid != os.getpid()
    assert_drawn_in_their_themes(outcomes, out)


@pytest.mark.slow
def test_jobs_1_renders_both_themes_in_the_calling_process(tmp_path):
    """``pipeline.run`` (the CLI's path) with one worker and both themes renders every job
    in this process, and says so in its result."""
    import os

    import pipeline

    out = tmp_path / "o"
    result = pipeline.run(["result"], quality="l", themes=("dark", "light"), workers=1, out_dir=out,
                          cache_dir=tmp_path / "c")
    assert [(o.job.stem, o.status) for o in result.outcomes] == [("result", "rendered"), ("result-light", "rendered")]
    assert {o.pid for o in result.outcomes} == {os.getpid()}
    assert_drawn_in_their_themes(result.outcomes, out)
    assert [o.entry["theme"] for o in result.outcomes] == ["dark", "light"]
    assert result.outcomes[1].entry == json.loads((out / "manifest.json").read_text())["figures"][1]
    assert result.gallery == out / "index.html" and result.gallery.is_file()


def test_the_pipeline_call_names_a_bad_value_before_writing(tmp_path):
    import pipeline

    out = tmp_path / "o"
    for request, message in [
        ({"names": ["nope"]}, "unknown figure 'nope'"),
        ({"names": ["convex"], "themes": ("sepia",)}, "themes must be some of dark, light, got sepia"),
        ({"names": ["convex"], "quality": "x"}, "quality must be one of l, m, h, k, got 'x'"),
        ({"names": ["convex"], "formats": ("avi",)}, "formats must be some of mp4, webm, gif, got avi"),
        ({"names": ["convex"], "overrides": {"convex": {"alpha": -1.0}}}, "convex: alpha must be finite and > 0"),
    ]:
        with pytest.raises(ValueError, match=re.escape(message)):
            pipeline.run(out_dir=out, cache_dir=tmp_path / "c", **request)
    assert not out.exists() and not (tmp_path / "c").exists()
