"""Text alternatives: descriptions from the data, cues from the scene's own timeline, NAME.vtt."""

from __future__ import annotations

import re

import pytest

from pipeline import webvtt
from scenes import REGISTRY, theme, with_params
from scenes.captions import Cue, cues_from, recorded

TIMESTAMP = r"(\d\d):(\d\d):(\d\d)\.(\d\d\d)"


def parse_vtt(text: str) -> list[tuple[float, float, str]]:
    """A small WebVTT reader of our own (header, then blocks: optional id, timing, text)."""
    lines = text.split("\n")
    assert lines[0] == "WEBVTT", f"not a WebVTT file: {lines[0]!r}"
    cues = []
    for block in text.strip().split("\n\n")[1:]:
        rows = block.split("\n")
        timing = next(i for i, row in enumerate(rows) if "-->" in row)
        match = re.fullmatch(f"{TIMESTAMP} --> {TIMESTAMP}", rows[timing])
        assert match, f"bad timing line {rows[timing]!r}"
        h0, m0, s0, ms0, h1, m1, s1, ms1 = map(int, match.groups())
        start = h0 * 3600 + m0 * 60 + s0 + ms0 / 1000
        end = h1 * 3600 + m1 * 60 + s1 + ms1 / 1000
        cues.append((start, end, " ".join(rows[timing + 1:])))
    return cues


def assert_timeline(cues, duration: float) -> None:
    assert cues, "no cues"
    assert 0.0 <= cues[0][0] <= theme.INTRO_TIME, f"the first cue starts at {cues[0][0]}, after the figure's intro"
    for (s0, e0, _), (s1, e1, _) in zip(cues, cues[1:]):
        assert s0 < e0 <= s1 + 1e-9 < e1, f"cues out of order: {cues}"
    assert cues[-1][1] <= duration + 0.07, f"the last cue ends at {cues[-1][1]}, after the video's {duration}"


# --- descriptions -------------------------------------------------------------------------
SCENE_FIGURES = [name for name, declared in REGISTRY.items() if declared.kind in ("video", "still")]


def shown(name: str):
    """What figure ``name`` shows for its default parameters: its one pure function's result."""
    scene = REGISTRY[name].scene
    return scene.compute(scene.params)


@pytest.mark.parametrize("name", SCENE_FIGURES)
def test_every_figure_describes_the_facts_it_computes(name):
    """The description is made from the figure's own data: each of its facts (key numbers,
    tested against gdmath in the figure's own test file) is in the text."""
    facts = shown(name).facts()
    assert facts and all(isinstance(fact, str) and re.search(r"\d", fact) for fact in facts), facts
    text = REGISTRY[name].scene.describe()
    for fact in facts:
        assert fact in text, f"{name}: {fact!r} not in its description {text!r}"


@pytest.mark.parametrize("name, key, value", [
    ("hills", "alpha", 0.05), ("field", "steps", 30), ("convex", "alpha", 0.05), ("minima", "alpha", 0.05),
    ("lr_small", "alpha", 0.05), ("learning_rates", "steps", 20), ("linear_fit", "alpha", 0.05),
    ("loss_compare", "noise", 1.0), ("result", "iterations", 10), ("linear_data", "seed", 3),
    ("basins", "alpha", 0.05), ("saddle", "alpha", 0.02), ("optimizers", "steps", 120),
])
def test_the_description_and_facts_follow_set(name, key, value):
    scene = with_params(REGISTRY[name].scene, **{key: value})
    changed = scene.describe()
    assert changed != REGISTRY[name].scene.describe()
    for fact in scene.compute(scene.params).facts():
        assert fact in changed
    if key in ("alpha", "steps", "seed"):
        assert f"{value:g}" in changed


# --- cues ------------------------------------------------------------------------------------
def test_cues_last_until_the_next_and_the_checks_refuse_bad_ones():
    cues = cues_from([(0.0, "a"), (3.0, "c"), (1.0, "b")], 4.0)
    assert [(c.start, c.end, c.text) for c in cues] == [(0.0, 1.0, "a"), (1.0, 3.0, "b"), (3.0, 4.0, "c")]
    webvtt.check_cues(cues, 4.0)
    assert parse_vtt(webvtt.webvtt(cues)) == [(0.0, 1.0, "a"), (1.0, 3.0, "b"), (3.0, 4.0, "c")]
    with pytest.raises(webvtt.BadCues, match="after the video"):
        webvtt.check_cues(cues, 3.5)
    with pytest.raises(webvtt.BadCues, match="before cue 1 ends"):
        webvtt.check_cues([Cue(0.0, 2.0, "a"), Cue(1.0, 3.0, "b")], 4.0)


def test_a_scene_records_its_cues_on_its_own_timeline(build_scene):
    """Hills with 12 steps over the theme's descent time: the cue of step 6 lands where the
    renderer's clock says (half-way through the descent's play), not at a guessed time."""
    scene = build_scene(with_params(REGISTRY["hills"].scene, steps=12, map_pixels=8, surface_resolution=4))
    records = recorded(scene)
    texts = [text for _, text in records]
    assert texts[0].startswith("12 starts appear") and texts[1].startswith("12 steps of size 0.1 begin")
    assert texts[2].startswith("Step 6 of 12") and texts[3].startswith("After 12 steps")
    begin, half, verdict = records[1][0], records[2][0], records[3][0]
    assert begin == pytest.approx(theme.INTRO_TIME, abs=0.1)
    assert half - begin == pytest.approx(theme.DESCENT_TIME / 2, abs=0.1)
    assert verdict - begin == pytest.approx(theme.DESCENT_TIME, abs=0.1)
    assert scene.renderer.time > verdict


# --- the published files (the whole post at 1080p, rendered once per session) -------------------
VIDEO_FIGURES = [name for name, declared in REGISTRY.items() if declared.kind == "video"]


@pytest.mark.slow
@pytest.mark.parametrize("name", VIDEO_FIGURES)
def test_every_video_publishes_webvtt_cues_inside_its_video(whole_post, name):
    out, manifest = whole_post
    entry = manifest[name]
    text = (out / f"{name}.vtt").read_text(encoding="utf-8")
    cues = parse_vtt(text)
    assert_timeline(cues, entry["duration"])
    assert len(cues) >= 3
    assert entry["files"]["vtt"]["bytes"] == len(text.encode())
    assert [c["text"] for c in entry["cues"]] == [c[2] for c in cues]
    joined = "\n".join(c[2] for c in cues)
    for fact in shown(name).facts():
        assert fact in joined, f"{name}: {fact!r} not in\n{joined}"
    assert entry["summary"] == REGISTRY[name].scene.describe()


def test_a_publish_without_captions_or_light_poster_removes_the_old_ones(tmp_path):
    """NAME.vtt and NAME.webp are siblings like the video formats: a publish that no longer
    makes them (a scene that stopped recording cues) leaves none behind; other names stay."""
    from pipeline import publish

    for name in ("fig.png", "fig.webp", "fig.vtt", "fig.mp4", "other.vtt"):
        (tmp_path / name).write_text("old")
    publish.remove_stale_siblings(tmp_path, "fig", {tmp_path / "fig.png", tmp_path / "fig.mp4"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig.mp4", "fig.png", "other.vtt"]
