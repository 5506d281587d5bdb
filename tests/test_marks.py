"""BatchedMarks draws many dots as numpy-composited sprites: they must look like the
Cairo circles it draws for a few points (same places, colours and size)."""

from __future__ import annotations

import numpy as np
import pytest
from manim import ValueTracker, tempconfig

from scenes import components, theme


def _draw(points: np.ndarray, stamp: bool, monkeypatch, before=None) -> np.ndarray:
    """The last step of ``points`` ``(steps + 1, n, 3)`` drawn by a 480p marks camera
    (``before(marks)``, if given, first)."""
    monkeypatch.setattr(theme, "STAMP_DOTS_ABOVE", 0 if stamp else 10**9)
    with tempconfig({"quality": "low_quality"}):
        camera = components.MarksCamera()
        pixels = camera.pixel_array
        marks = components.BatchedMarks(points, ValueTracker(points.shape[0] - 1), theme.POINT_COLORS)
        if before is not None:
            before(marks)
        marks.draw(camera.get_cairo_context(pixels), camera, pixels)
        camera.get_cairo_context(pixels).get_target().flush()
        return pixels[..., :3].astype(int).copy()


@pytest.fixture
def points() -> np.ndarray:
    rng = np.random.default_rng(3)
    ends = np.concatenate([rng.uniform([-6, -3.5], [6, 3.5], (150, 2)), np.zeros((150, 1))], axis=1)
    return np.stack([ends, ends])  # one step that stays put: only the dots show


def test_stamped_dots_look_like_cairo_circles(points, monkeypatch):
    cairo_frame = _draw(points, stamp=False, monkeypatch=monkeypatch)
    stamped = _draw(points, stamp=True, monkeypatch=monkeypatch)
    inked = (cairo_frame.sum(-1) > 0) | (stamped.sum(-1) > 0)
    assert inked.sum() > 150 * 50  # the dots were drawn at all
    differs = np.abs(cairo_frame - stamped).max(-1) > 48
    # quarter-pixel placement and overlaps move some rim pixels, never whole dots
    assert differs.sum() < 0.08 * inked.sum(), (differs.sum(), inked.sum())


def test_stamped_dots_sit_where_the_points_are(points, monkeypatch):
    stamped = _draw(points, stamp=True, monkeypatch=monkeypatch)
    with tempconfig({"quality": "low_quality"}):
        camera = components.MarksCamera()
        centres = camera.points_to_pixel_coords(components.BatchedMarks(points, ValueTracker(1), theme.POINT_COLORS[:1]), points[-1])
    # the last-drawn colour group's centres show its colour (others may overlap earlier groups)
    last_group = np.arange(points.shape[1]) % len(theme.POINT_COLORS) == len(theme.POINT_COLORS) - 1
    want = np.array(theme.POINT_COLORS[-1].to_rgb()) * 255
    got = stamped[centres[last_group, 1], centres[last_group, 0]]
    assert np.median(np.abs(got - want).max(-1)) < 24


def test_fading_premultiplied_pixels_rounds_every_channel_like_integer_division():
    from scenes.components.marks import _faded

    channel, keep = (a.ravel() for a in np.meshgrid(np.arange(256), np.arange(256)))
    want = (channel * keep + 127) // 255
    for lane in range(4):  # blue, green, red, alpha: this lane runs through 0..255, the others are 255
        shift = 8 * lane
        others = np.uint32(0xFFFFFFFF) & ~np.uint32(0xFF << shift)
        got = _faded(others | (channel.astype(np.uint32) << shift), keep.astype(np.uint32))
        np.testing.assert_array_equal((got >> shift) & 0xFF, want)
        for other in set(range(4)) - {lane}:  # 255 * keep / 255: no carry from lane to lane
            np.testing.assert_array_equal((got >> 8 * other) & 0xFF, keep)


def test_dots_growing_in_look_like_cairo_circles_with_the_grown_ones_stamped(points, monkeypatch):
    """Mid ``grow_in`` some dots are full size (stamped), some growing (Cairo), some not yet shown."""

    def halfway(marks):
        marks.grow_in(lag_ratio=0.005)
        marks.growth.set_value(0.5)

    cairo_frame = _draw(points, stamp=False, monkeypatch=monkeypatch, before=halfway)
    stamped = _draw(points, stamp=True, monkeypatch=monkeypatch, before=halfway)
    inked = (cairo_frame.sum(-1) > 0) | (stamped.sum(-1) > 0)
    assert 150 * 10 < inked.sum() < 150 * 50 * 0.9  # some dots drawn, not all at full size
    differs = np.abs(cairo_frame - stamped).max(-1) > 48
    assert differs.sum() < 0.08 * inked.sum(), (differs.sum(), inked.sum())
