"""Vector fields: many arrows drawn as two paths (shafts, heads), and a gradient field
mapped onto a pair of axes."""

from __future__ import annotations

import numpy as np
from manim import Axes, VGroup, VMobject

from scenes import theme
from scenes.components.paths import line_curves


class ArrowField(VGroup):
    """Many arrows as two VMobjects: every shaft in one stroked path, every head in
    one filled path.

    Cairo draws the whole field in two calls; 225 manim ``Arrow``s are ~450 mobjects
    (~45 ms a frame at 720p to draw or fade in, against ~2 ms for this).
    ``starts`` and ``ends`` ``(n, 3)`` are the arrows in scene coordinates; heads are
    ``head_ratio`` of an arrow's length (at most ``max_head`` long), so length shows
    magnitude. :meth:`put` moves them without building anything (e.g. in an updater).
    """

    head_ratio = theme.ARROW_HEAD_RATIO
    head_aspect = theme.ARROW_HEAD_ASPECT  # head width / head length

    def __init__(
        self, starts: np.ndarray, ends: np.ndarray, color, stroke_width: float, max_head: float = np.inf
    ) -> None:
        super().__init__()
        self.max_head = max_head
        self.shafts = VMobject(stroke_color=color, stroke_width=stroke_width, fill_opacity=0.0)
        self.heads = VMobject(fill_color=color, fill_opacity=1.0, stroke_width=0.0)
        self.add(self.shafts, self.heads)
        self.put(starts, ends)

    def put(self, starts: np.ndarray, ends: np.ndarray) -> ArrowField:
        """Redraw the arrows from ``starts`` to ``ends`` (both ``(n, 3)``)."""
        self.starts = np.asarray(starts, dtype=float).reshape(-1, 3)
        self.ends = np.asarray(ends, dtype=float).reshape(-1, 3)
        vectors = self.ends - self.starts
        lengths = np.linalg.norm(vectors, axis=-1, keepdims=True)
        along = vectors / np.maximum(lengths, 1e-300)
        across = np.stack([-along[:, 1], along[:, 0], np.zeros(len(along))], axis=-1)
        head = np.minimum(self.head_ratio * lengths, self.max_head)
        base = self.ends - along * head
        left = base + across * head * self.head_aspect / 2
        right = base - across * head * self.head_aspect / 2
        self.shafts.set_points(line_curves(self.starts, base).reshape(-1, 3))
        triangles = [
            line_curves(self.ends, left),
            line_curves(left, right),
            line_curves(right, self.ends),
        ]
        self.heads.set_points(np.concatenate(triangles, axis=1).reshape(-1, 3))
        return self


def gradient_arrows(
    axes: Axes,
    points: np.ndarray,
    vectors: np.ndarray,
    longest: float,
    color=theme.FIELD_ARROW,
    stroke_width: float = theme.FIELD_ARROW_STROKE,
) -> ArrowField:
    """One arrow per point for a vector field, centred on its point.

    ``points`` and ``vectors`` are ``(..., 2)`` in the axes' coordinates (e.g. from
    ``gdmath.gradient_field``). Each arrow points along its vector as the axes show
    it; the longest vector gets ``longest`` scene units and the others scale with
    their magnitude, so length shows magnitude. Zero vectors get no arrow.
    """
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    vectors = np.asarray(vectors, dtype=float).reshape(-1, 2)
    magnitude = np.linalg.norm(vectors, axis=-1)
    keep = magnitude > 1e-9 * max(float(magnitude.max(initial=0.0)), 1e-300)
    points, vectors, magnitude = points[keep], vectors[keep], magnitude[keep]
    if not len(points):
        return ArrowField(np.zeros((0, 3)), np.zeros((0, 3)), color, stroke_width)
    centres = axes.c2p(points).reshape(-1, 3)
    on_screen = axes.c2p(points + vectors).reshape(-1, 3) - centres  # the axes map is affine
    lengths = longest * magnitude / magnitude.max()
    directions = on_screen / np.maximum(np.linalg.norm(on_screen, axis=-1, keepdims=True), 1e-300)
    halves = directions * (lengths / 2)[:, None]
    return ArrowField(centres - halves, centres + halves, color, stroke_width)
