"""Height surfaces in 3-D: a function of (x, y) drawn as a surface coloured by height,
and descent paths mapped onto it (floating just above) and onto its top-down map."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from manim import Axes, Surface, ThreeDAxes

from scenes import theme
from scenes.components.colour import colorscale


def height_surface(axes: ThreeDAxes, objective, view: float, resolution: int, z_range: Sequence[float]) -> Surface:
    """``objective`` (a gdmath objective of (x, y)) over ``[-view, view]^2`` on ``axes``,
    ``resolution`` faces a side, coloured on the height scale over ``z_range`` (low, high);
    thin strokes in each face's colour hide the seams between faces. Heights beyond ``z_range``
    are drawn at its ends (a function that blows up in the view is cut flat), undefined ones at its low end."""
    low, high = z_range
    surface = Surface(
        lambda x, y: axes.c2p(x, y, clip_height(objective.value([x, y]), z_range)),
        u_range=(-view, view),
        v_range=(-view, view),
        resolution=(resolution, resolution),
        fill_opacity=theme.SURFACE_OPACITY,
        stroke_width=theme.SURFACE_STROKE,
    )
    surface.set_fill_by_value(axes=axes, colorscale=colorscale(low, high), axis=2)
    for face in surface:
        face.set_stroke(face.get_fill_color(), width=theme.SURFACE_STROKE)
    return surface


def clip_height(values, z_range: Sequence[float]) -> np.ndarray:
    """Heights as the surface draws them: within ``z_range``, nan at its low end (values
    inside the range are returned unchanged)."""
    low, high = z_range
    values = np.asarray(values, dtype=float)
    return np.clip(np.where(np.isnan(values), low, values), low, high)


def surface_and_map_paths(
    axes3d: ThreeDAxes, map_axes: Axes, points: np.ndarray, values: np.ndarray, z_range: Sequence[float] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """A descent ``points`` ``(steps + 1, n, 2)`` with its ``values`` ``(steps + 1, n)`` on
    screen: on the surface (lifted by ``theme.PATH_LIFT`` so it is never buried in it) and
    on the map. Two ``(steps + 1, n, 3)`` arrays. With ``z_range`` the heights are cut to it,
    as the surface's are (:func:`clip_height`)."""
    if z_range is not None:
        values = clip_height(values, z_range)
    flat = points.reshape(-1, 2)
    in_3d = axes3d.c2p(np.hstack([flat, values.reshape(-1, 1)])).reshape(*points.shape[:2], 3)
    in_3d[..., 2] += theme.PATH_LIFT
    on_map = map_axes.c2p(flat).reshape(*points.shape[:2], 3)
    return in_3d, on_map


def on_surface(axes3d: ThreeDAxes, objective, points: np.ndarray, z_range: Sequence[float]) -> np.ndarray:
    """Data points ``(..., 2)`` on the drawn surface, lifted as the paths are
    (:func:`surface_and_map_paths`): ``(..., 3)`` scene points."""
    points = np.asarray(points, dtype=float)
    with np.errstate(all="ignore"):
        heights = clip_height(objective.value(points), z_range)
    flat = np.column_stack([points.reshape(-1, 2), heights.reshape(-1)])
    in_3d = axes3d.c2p(flat).reshape(*points.shape[:-1], 3)
    in_3d[..., 2] += theme.PATH_LIFT
    return in_3d
