"""Text alternatives: descriptions from the data, cues from the scene's own timeline, NAME.vtt."""

from __future__ import annotations

import re

import numpy as np
import pytest

import gdmath
from gdmath import ELONGATED_BOWL, SIN_HILLS
from pipeline import webvtt
from scenes import REGISTRY, with_params
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
    assert cues[0][0] == 0.0 or cues[0][0] > 0
    for (s0, e0, _), (s1, e1, _) in zip(cues, cues[1:]):
        assert s0 < e0 <= s1 + 1e-9 < e1, f"cues out of order: {cues}"
    assert cues[-1][1] <= duration + 0.07, f"the last cue ends at {cues[-1][1]}, after the video's {duration}"


# --- descriptions -------------------------------------------------------------------------
SCENE_FIGURES = [name for name, figure in REGISTRY.items() if figure.kind in ("video", "still")]


@pytest.mark.parametrize("name", SCENE_FIGURES)
def test_every_figure_describes_itself_with_numbers(name):
    text = REGISTRY[name].scene.describe()
    assert len(text) > 80 and re.search(r"\d", text), text


@pytest.mark.parametrize("name, key, value", [
    ("hills", "alpha", 0.05), ("field", "steps", 30), ("convex", "alpha", 0.05), ("minima", "alpha", 0.05),
    ("lr_small", "alpha", 0.05), ("learning_rates", "steps", 20), ("linear_fit", "alpha", 0.05),
    ("loss_compare", "noise", 1.0), ("result", "iterations", 10), ("linear_data", "seed", 3),
    ("basins", "alpha", 0.05), ("saddle", "alpha", 0.02), ("optimizers", "steps", 120),
])
def test_the_description_follows_set(name, key, value):
    scene = REGISTRY[name].scene
    changed = with_params(scene, **{key: value}).describe()
    assert changed != scene.describe()
    if key in ("alpha", "steps", "seed"):
        assert f"{value:g}" in changed


def test_descriptions_carry_gdmath_numbers_computed_here():
    h = gdmath.gradient_descent(ELONGATED_BOWL, [[1.0, 2.0]], alpha=0.5, steps=50)
    assert f"{h.values[-1, 0]:.3g}" in REGISTRY["lr_unstable"].scene.describe()
    assert "diverges" in REGISTRY["lr_unstable"].scene.describe()
    hills = with_params(REGISTRY["hills"].scene, alpha=0.05, steps=40)
    starts = gdmath.random_starts(12, [-np.pi, -np.pi], [np.pi, np.pi], seed=1)
    final = gdmath.gradient_descent(SIN_HILLS, starts, alpha=0.05, steps=40).final
    settled = int(gdmath.nearest_minimum(SIN_HILLS, final).settled.sum())
    assert f"after 40 steps, {settled} of 12 starts end in a minimum" in hills.describe()
    x, y = gdmath.make_linear_data(seed=277)
    fit = gdmath.fit_line(x, y, alpha=0.015, iterations=100, w0=0.62, b0=0.9)
    assert f"y = {fit.w[-1]:.3f}x + {fit.b[-1]:.3f}, loss {fit.loss[-1]:.3f}" in REGISTRY["linear_fit"].scene.describe()


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
    from scenes import theme

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
def expected_texts(name: str) -> list[str]:
    """Numbers each figure's cues must show, computed here from gdmath."""
    if name in ("hills", "field"):
        starts = gdmath.random_starts(12, [-np.pi, -np.pi], [np.pi, np.pi], seed=1)
        h = gdmath.gradient_descent(SIN_HILLS, starts, alpha=0.1, steps=80)
        mid = int(gdmath.nearest_minimum(SIN_HILLS, h.points[40]).settled.sum())
        end = int(gdmath.nearest_minimum(SIN_HILLS, h.final).settled.sum())
        return [f"Step 40 of 80: {mid} of 12 starts", f"After 80 steps, {end} of 12 starts end in a minimum"]
    if name == "convex":
        h = gdmath.gradient_descent(gdmath.PARABOLA, [[-2.5]], alpha=0.2, steps=12)
        return [f"Step {k}: x = {h.points[k, 0, 0]:.3g}" for k in range(1, 12)]
    if name.startswith("lr_"):
        alpha = {"lr_small": 0.01, "lr_good": 0.15, "lr_large": 0.38, "lr_unstable": 0.5}[name]
        h = gdmath.gradient_descent(ELONGATED_BOWL, [[1.0, 2.0]], alpha=alpha, steps=50)
        return [f"Step 25 of 50: loss {h.values[25, 0]:.3g}", f"to {h.values[-1, 0]:.3g} in 50 steps"]
    if name in ("linear_fit", "parabolic_fit"):
        make = gdmath.make_linear_data if name == "linear_fit" else gdmath.make_parabolic_data
        h = gdmath.fit_line(*make(seed=277), alpha=0.015, iterations=100, w0=0.62, b0=0.9)
        return [f"Iteration {k}: loss {h.loss[k]:.3f}" for k in (25, 50, 75)]
    if name == "loss_compare":
        low = gdmath.least_squares_line(*gdmath.make_linear_data(seed=277))[2]
        high = gdmath.least_squares_line(*gdmath.make_parabolic_data(seed=277))[2]
        return [f"linear {low:.3f}, parabolic {high:.3f}", f"{high / low:.1f} times"]
    if name == "minima":
        starts = np.array([-2.35, -1.6, -0.8, -0.25, 0.45, 1.2, 1.75, 2.4])[:, None]
        h = gdmath.gradient_descent(gdmath.TRIPLE_WELL, starts, alpha=0.03, steps=50)
        best = int(gdmath.nearest_minimum(gdmath.TRIPLE_WELL, h.final).is_global.sum())
        return [f"{best} of 8 starts end in a global minimum, {8 - best} in the local one"]
    if name == "learning_rates":
        losses = [gdmath.gradient_descent(ELONGATED_BOWL, [[1.0, 2.0]], alpha=a, steps=50).values[25, 0]
                  for a in (0.01, 0.15, 0.38, 0.5)]
        return ["Step 25 of 50: losses " + ", ".join(f"{v:.3g}" for v in losses)]
    if name == "basins":
        axis = np.linspace(-np.pi + np.pi / 60, np.pi - np.pi / 60, 60)
        x, y = np.meshgrid(axis, axis)
        h = gdmath.gradient_descent(SIN_HILLS, np.column_stack([x.ravel(), y.ravel()]), alpha=0.1, steps=80)
        settled = gdmath.nearest_minimum(SIN_HILLS, h.final).settled
        return [f"{settled.sum():,} reached a minimum", f"{(~settled).sum():,} still on a saddle or ridge"]
    if name == "saddle":
        rules = [gdmath.SGD(0.05), gdmath.Momentum(0.05, beta=0.9), gdmath.Adam(0.05)]
        counts = []
        for rule in rules:
            h = gdmath.descend(gdmath.SADDLE, [[0.4, 0.001]], rule, 100)
            outside = np.linalg.norm(h.points[:, 0], axis=-1) > 0.5
            counts.append(f"{rule.name}: {int(np.argmax(outside))}")
        return [", ".join(counts)]
    if name == "optimizers":
        h = gdmath.descend(gdmath.ROSENBROCK, [[-1.2, 1.0]], gdmath.Adam(0.1), 300)
        return [f"Adam {h.values[100, 0]:.3g}", f"Adam {h.values[-1, 0]:.3g}"]
    raise AssertionError(f"no expectation for {name}: add one")


VIDEO_FIGURES = [name for name, figure in REGISTRY.items() if figure.kind == "video"]


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
    for expected in expected_texts(name):
        assert expected in joined, f"{name}: {expected!r} not in\n{joined}"
    assert entry["summary"] == REGISTRY[name].scene.describe()


def test_a_publish_without_captions_or_light_poster_removes_the_old_ones(tmp_path):
    """NAME.vtt and NAME.webp are siblings like the video formats: a publish that no longer
    makes them (a scene that stopped recording cues) leaves none behind; other names stay."""
    from pipeline import publish

    for name in ("fig.png", "fig.webp", "fig.vtt", "fig.mp4", "other.vtt"):
        (tmp_path / name).write_text("old")
    publish.remove_stale_siblings(tmp_path, "fig", {tmp_path / "fig.png", tmp_path / "fig.mp4"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig.mp4", "fig.png", "other.vtt"]
