"""Light and dark: ``--theme``, the NAME-light files, the manifest, and pages that switch
with the reader's ``prefers-color-scheme`` (checked in headless Chromium)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import read_frames, serve, wait_until
from PIL import Image

import render
from pipeline import gallery, jobs, manifest
from scenes import REGISTRY, theme

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ("convex", "result", "playground")  # a video, a still and the page: quick at -q l


def background(name: str) -> tuple[int, int, int]:
    return tuple(int(round(255 * c)) for c in theme.in_theme(theme.BACKGROUND, name).to_rgb())


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """A video, a still and the playground published with ``--theme both`` at -q l."""
    out = tmp_path_factory.mktemp("both")
    cache = tmp_path_factory.mktemp("both-cache")
    args = [arg for name in FIGURES for arg in ("--scene", name)]
    args += ["--theme", "both", "-q", "l", "--jobs", "2", "--quiet", "--out", str(out), "--cache", str(cache)]
    result = CliRunner().invoke(render.main, args)
    assert result.exit_code == 0, result.output
    return out, cache, args


# --- units ------------------------------------------------------------------------------------
def test_file_stems_keep_dark_names_and_suffix_light():
    assert manifest.file_stem("hills") == "hills"
    assert manifest.file_stem("hills", "light") == "hills-light"
    assert manifest.entry_id({"name": "hills"}) == "hills"  # an entry from before themes is dark
    assert manifest.entry_id({"name": "hills", "theme": "light"}) == "hills-light"


def test_a_manifest_entry_of_an_unknown_theme_is_bad():
    bad = {"figures": [{"name": "hills", "theme": "sepia", "files": {}}]}
    with pytest.raises(manifest.BadManifest, match="sepia"):
        manifest._parse(json.dumps(bad))


def test_the_theme_is_part_of_the_job_key_and_names():
    figure = REGISTRY["convex"]
    dark = jobs.make_job(figure, {}, "l", ("mp4",), Path("o"), Path("c"))
    light = jobs.make_job(figure, {}, "l", ("mp4",), Path("o"), Path("c"), theme="light")
    assert (dark.stem, light.stem) == ("convex", "convex-light")
    assert dark.key != light.key


def test_every_colour_has_a_value_per_theme_and_the_two_differ_where_it_matters():
    for name in ("BACKGROUND", "TEXT", "AXIS", "GRID"):
        colour = getattr(theme, name)
        assert isinstance(colour, theme.ThemedColor), name
        assert colour.by_theme["dark"] != colour.by_theme["light"], name
        for chosen in theme.THEMES:  # the colour is the one of the theme in force where it is read
            with theme.use(chosen):
                assert colour.to_hex() == colour.by_theme[chosen].to_hex(), (name, chosen)


def test_uses_nest_and_a_mobject_keeps_the_colour_of_the_theme_it_was_built_in():
    from manim import Dot

    with theme.use("light"):
        built_light = Dot(color=theme.TEXT)
        with theme.use("dark"):
            assert theme.current() == "dark"
        assert theme.current() == "light"
    with theme.use("dark"):
        assert built_light.get_color().to_hex() == theme.TEXT.by_theme["light"].to_hex()
    with pytest.raises(ValueError, match="theme must be one of dark, light, got 'sepia'"), theme.use("sepia"):
        pass


def test_a_switching_snippet_names_both_files_and_a_single_one_keeps_its_poster():
    def entry(stem, kind="video"):
        files = {fmt: {"path": f"{stem}.{fmt}", "bytes": 1} for fmt in ("mp4", "png", "webp", "vtt")}
        return {"name": "hills", "description": "Hills.", "kind": kind, "files": files, "width": 854, "height": 480}

    single = gallery.embed_snippet(entry("hills"))
    assert 'poster="hills.webp"' in single and "<style>" not in single
    switching = gallery.embed_snippet(entry("hills"), entry("hills-light"))
    assert "poster=" not in switching  # a poster attribute cannot switch
    assert '<source src="hills.mp4" type="video/mp4" media="(prefers-color-scheme: dark)">' in switching
    assert '<source src="hills-light.mp4" type="video/mp4">' in switching
    # the first matching source plays; a browser ignoring media plays the first: dark, the default
    assert switching.index('"hills.mp4"') < switching.index("hills-light.mp4")
    assert 'url("hills-light.webp")' in switching and 'url("hills.webp")' in switching


@pytest.mark.parametrize("variable, expected", [("light", "light"), ("", "dark"), ("sepia", None)])
def test_the_theme_variable_is_the_default_outside_a_context_and_is_checked(monkeypatch, variable, expected):
    monkeypatch.setenv(theme.THEME_VARIABLE, variable)
    if expected is None:
        with pytest.raises(ValueError, match="GDVIZ_THEME must be one of dark, light, got 'sepia'"):
            theme.current()
    else:
        assert theme.current() == expected
    with theme.use("dark"):  # a context overrides the variable
        assert theme.current() == "dark"


@pytest.mark.slow
def test_one_process_renders_dark_then_light(tmp_path):
    outcomes = [jobs.run_job(jobs.make_job(REGISTRY["result"], {}, "l", ("mp4",), tmp_path / "o", tmp_path / "c",
                                           force=True, theme=name)) for name in ("dark", "light", "dark")]
    assert [o.status for o in outcomes] == ["rendered", "rendered", "rendered"]
    for name, stem in (("dark", "result"), ("light", "result-light")):
        corner = np.asarray(Image.open(tmp_path / "o" / f"{stem}.png").convert("RGB"))[2, 2]
        assert tuple(corner) == background(name), stem


def test_an_unknown_theme_exits_2():
    result = CliRunner().invoke(render.main, ["--theme", "sepia"])
    assert result.exit_code == 2 and "sepia" in result.output


# --- a real render in both themes --------------------------------------------------------------
@pytest.mark.subprocess
@pytest.mark.slow
def test_both_themes_publish_light_files_beside_the_dark_ones(both):
    out, _, _ = both
    entries = json.loads((out / "manifest.json").read_text())["figures"]
    assert [(e["name"], e["theme"]) for e in entries] == [
        ("convex", "dark"), ("convex", "light"), ("playground", "dark"), ("result", "dark"), ("result", "light")
    ]  # the post's order, dark before light; the playground once (it follows the reader's scheme itself)
    for stem in ("convex", "convex-light"):
        assert {p.name for p in out.glob(f"{stem}.*")} == {f"{stem}.{s}" for s in ("mp4", "png", "webp", "vtt")}
    assert (out / "convex.vtt").read_text() == (out / "convex-light.vtt").read_text()  # the same story
    verified = CliRunner().invoke(render.main, ["--verify", "--out", str(out)])
    assert verified.exit_code == 0, verified.output


@pytest.mark.subprocess
@pytest.mark.slow
def test_the_light_files_are_drawn_in_the_light_palette(both):
    out, _, _ = both
    for stem, name in (("convex", "dark"), ("convex-light", "light"), ("result", "dark"), ("result-light", "light")):
        corner = np.asarray(Image.open(out / f"{stem}.png").convert("RGB"))[2, 2]
        assert np.abs(corner.astype(int) - background(name)).max() <= 2, (stem, corner)
    first = read_frames(out / "convex-light.mp4", [0])[0]
    assert np.abs(first[2, 2, :3].astype(int) - background("light")).max() <= 6  # video: yuv420p rounding


@pytest.mark.subprocess
@pytest.mark.slow
def test_a_second_run_finds_both_themes_in_the_cache(both):
    out, cache, args = both
    result = CliRunner().invoke(render.main, args)
    assert result.exit_code == 0, result.output
    assert "0 to render" in result.output


# --- in a browser -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def both_url(both):
    with serve(both[0]) as base:
        yield f"{base}/index.html"


def open_in(browser, url: str, scheme: str):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1000, "height": 2400})
    page = context.new_page()
    loaded: list[str] = []
    page.on("requestfinished", lambda request: loaded.append(request.url.rsplit("/", 1)[-1]))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return context, page, loaded


@pytest.mark.subprocess
@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_the_gallery_loads_and_plays_the_readers_theme(browser, both_url, scheme):
    """With an emulated colour scheme, only that theme's posters and still load, and the
    video that plays is that theme's file."""
    other = "light" if scheme == "dark" else "dark"
    stem = {"dark": "{}", "light": "{}-light"}
    context, page, loaded = open_in(browser, both_url, scheme)
    try:
        assert page.evaluate("matchMedia('(prefers-color-scheme: light)').matches") == (scheme == "light")
        assert stem[scheme].format("convex") + ".webp" in loaded
        assert stem[scheme].format("result") + ".webp" in loaded
        assert stem[other].format("convex") + ".webp" not in loaded
        assert stem[other].format("result") + ".webp" not in loaded
        assert page.evaluate("document.querySelector('#result img').currentSrc").endswith(
            stem[scheme].format("result") + ".webp")
        played = page.evaluate("""async () => {
            const video = document.querySelector('#convex video');
            await video.play();
            for (let waited = 0; video.currentTime === 0 && waited < 10000; waited += 100) {
                await new Promise(resolve => setTimeout(resolve, 100));  // a loaded machine starts late
            }
            video.pause();
            return {src: video.currentSrc, time: video.currentTime};
        }""")
        assert played["src"].endswith(stem[scheme].format("convex") + ".mp4"), played
        assert played["time"] > 0, played
        assert stem[other].format("convex") + ".mp4" not in loaded
        colour = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert colour == "rgb({}, {}, {})".format(*background(scheme))
    finally:
        context.close()


@pytest.mark.subprocess
@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_the_switching_poster_shows_before_play(browser, both_url, scheme):
    """The poster (a CSS background, not hidden under the player's grey panel) is on screen:
    the video's box shows the figure's background colour, the theme's."""
    context, page, _ = open_in(browser, both_url, scheme)
    try:
        box = page.locator("#convex video").bounding_box()
        corners = []

        def poster_shows() -> bool:  # once the player's loading spinner has gone
            shot = np.asarray(Image.open(__import__("io").BytesIO(page.screenshot(clip=box))).convert("RGB"))
            corners.append(shot[8, 8].astype(int))
            return np.abs(corners[-1] - background(scheme)).max() <= 12

        wait_until(poster_shows, interval=0.2, message=lambda: f"the poster's colour, the corner is {corners[-1]}")
        corner = corners[-1]
        assert np.abs(corner - background(scheme)).max() <= 12, corner
    finally:
        context.close()


@pytest.mark.subprocess
@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_the_two_theme_gallery_passes_axe_core(browser, both_url, scheme):
    from test_blog_ready import axe_violations

    context, page, _ = open_in(browser, both_url, scheme)
    try:
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert axe_violations(page) == []
    finally:
        context.close()


@pytest.mark.slow
def test_the_whole_post_is_published_in_both_themes_at_1080p(whole_post):
    """``--all --theme both -q h``: every figure has its light files beside the dark ones,
    the same size, drawn on the light background, telling the same story (captions)."""
    out, _ = whole_post
    entries = {manifest.entry_id(e): e for e in json.loads((out / "manifest.json").read_text())["figures"]}
    for name, figure in REGISTRY.items():
        if figure.kind == "page":
            assert f"{name}-light" not in entries and (out / f"{name}.html").is_file()
            continue
        dark, light = entries[name], entries[f"{name}-light"]
        for entry, scheme in ((dark, "dark"), (light, "light")):
            poster = Image.open(out / entry["files"]["png"]["path"]).convert("RGB")
            assert poster.size == (1920, 1080), (name, scheme)
            corner = np.asarray(poster)[3, 3].astype(int)
            assert np.abs(corner - background(scheme)).max() <= 2, (name, scheme, corner)
        assert light["summary"] == dark["summary"] and light["cues"] == dark["cues"], name
