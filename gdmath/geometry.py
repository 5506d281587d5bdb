"""Plane geometry for drawing descents: the level sets of the bowl, and paths clipped to a window.

The bowl ``f(p) = 1/2 sum_i c_i p_i^2`` (``ELONGATED_BOWL`` has ``c = (5, 1)``) has
ellipses for level sets, so its contour lines are exact, not traced on a grid. A
descent that runs away leaves any window it is drawn in; :func:`clip_path` says which
part of every step is visible and, for a point outside, where it left and which way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import count, finite, positive
from .objectives import BOWL_CURVATURE


def bowl_contours(top: float, n: int, curvature=BOWL_CURVATURE) -> tuple[np.ndarray, np.ndarray]:
    """``n`` level sets of ``f(p) = 1/2 sum_i c_i p_i^2``, evenly spaced in size up to level ``top``.

    The level set ``f = v`` is the ellipse (ellipsoid) with semi-axes ``sqrt(2 v / c_i)``;
    the levels are ``top * (j / n)^2`` for ``j = 1..n``, so the ellipses grow by equal
    steps and the outermost is the level ``top`` (e.g. the one through the start).

    Args:
        top: the outermost level, > 0.
        n: how many levels, >= 1.
        curvature: ``(d,)`` the ``c_i`` (> 0); the default is ``ELONGATED_BOWL``'s ``(5, 1)``.

    Returns:
        ``(levels, semi_axes)``: ``(n,)`` and ``(n, d)``.

    >>> levels, axes = bowl_contours(4.5, 3)
    >>> levels
    array([0.5, 2. , 4.5])
    >>> axes[-1]
    array([1.34164079, 3.        ])
    """
    top = positive(top, "top")
    n = count(n, "n", minimum=1)
    curvature = finite(np.atleast_1d(np.asarray(curvature, dtype=float)), "curvature")
    if curvature.ndim != 1 or np.any(curvature <= 0):
        raise ValueError(f"curvature must be a 1-D array of values > 0, got {curvature}")
    levels = top * (np.arange(1, n + 1) / n) ** 2
    return levels, np.sqrt(2.0 * levels[:, None] / curvature)


@dataclass(frozen=True)
class ClippedPath:
    """A path ``points`` ``(m + 1, d)`` seen through the box ``[low, high]``.

    Attributes:
        t_in, t_out: ``(m,)``; segment ``k`` (from ``points[k]`` to ``points[k + 1]``) is
            visible for the parameters ``t_in[k] <= t <= t_out[k]`` (point
            ``points[k] + t * (points[k + 1] - points[k])``); ``t_in > t_out`` means not at all.
        inside: ``(m + 1,)`` bool; the point lies in the box.
        edge: ``(m + 1, d)``; the point itself when inside, otherwise where it is shown on the
            box's boundary: where the step that took it there left the box, or, if that step
            never crossed the box, where the ray from the box's centre to it leaves the box.
        heading: ``(m + 1, d)``; for a point outside, the unit direction it went off in
            (that step's direction, or the ray's); zero for a point inside.
    """

    t_in: np.ndarray
    t_out: np.ndarray
    inside: np.ndarray
    edge: np.ndarray
    heading: np.ndarray

    @property
    def visible(self) -> np.ndarray:
        """``(m,)`` bool: some part of segment ``k`` is in the box."""
        return self.t_in <= self.t_out


def clip_path(points, low, high) -> ClippedPath:
    """Clip the polyline ``points`` ``(m + 1, d)`` to the box ``[low, high]`` (Liang-Barsky,
    all segments at once), and say where each outside point left the box. Several
    polylines at once: ``points`` ``(m + 1, n, d)`` gives every array an ``n`` axis after the first.

    >>> path = clip_path([[0.0, 0.0], [4.0, 0.0], [5.0, 1.0]], [-1, -1], [1, 1])
    >>> path.t_in, path.t_out
    (array([0., 1.]), array([0.25, 0.  ]))
    >>> path.visible, path.inside
    (array([ True, False]), array([ True, False, False]))
    >>> path.edge
    array([[0. , 0. ],
           [1. , 0. ],
           [1. , 0.2]])
    >>> path.heading[1:]
    array([[1.        , 0.        ],
           [0.98058068, 0.19611614]])
    """
    points = finite(np.asarray(points, dtype=float), "points")
    if points.ndim not in (2, 3) or points.shape[0] < 1:
        raise ValueError(f"points must have shape (m + 1, d) or (m + 1, n, d), got {points.shape}")
    low, high = _box(low, high, points.shape[-1])

    start, move = points[:-1], np.diff(points, axis=0)
    t_in, t_out = _segment_params(start, move, low, high)
    inside = np.all((points >= low) & (points <= high), axis=-1)

    edge, heading = _rays_from_centre(points, low, high)
    # a point that a visible step carried out of the box is shown where that step left it
    left_here = ~inside[1:] & (t_in <= t_out)
    exit_point = start + t_out[..., None] * move
    step_length = np.linalg.norm(move, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        step_heading = np.where(step_length > 0, move / step_length, 0.0)
    edge[1:][left_here] = exit_point[left_here]
    heading[1:][left_here] = step_heading[left_here]
    return ClippedPath(t_in=t_in, t_out=t_out, inside=inside, edge=edge, heading=heading)


#: How far beyond the window (in window sizes) :func:`window_view` follows a runaway point
#: before it holds it: far enough that a point coming back is followed, near enough that
#: no difference of two coordinates overflows.
FOLLOW_REACH = 1e6


def window_view(history, low, high) -> tuple[np.ndarray, ClippedPath]:
    """A descent's history as a window ``[low, high]`` ``(d,)`` shows it: every start's path
    clipped to the window (:func:`clip_path`, ``(steps + 1, n, d)`` points), so a runaway
    is drawn to the window's edge, and shown there, pointing where it went.

    Made finite first: a point whose step overflowed (``history.overflowed_towards``) is
    sent out of the window along that step from the step it was frozen at, and a point
    that runs farther than ``FOLLOW_REACH`` window sizes is held where it passed that
    distance (its direction kept).

    Returns ``(points, clipped)``: those finite points ``(steps + 1, n, d)`` and their
    :class:`ClippedPath` (``t_in``, ``t_out`` ``(steps, n)``; ``inside`` ``(steps + 1, n)``; ...).

    >>> from gdmath import PARABOLA, gradient_descent
    >>> h = gradient_descent(PARABOLA, [[1.0]], alpha=1e308, steps=2)   # the first step overflows
    >>> points, view = window_view(h, [-2.0], [2.0])
    >>> view.inside, view.edge[:, 0, 0], view.heading[:, 0, 0]
    (array([[ True],
           [False],
           [False]]), array([ 1., -2., -2.]), array([ 0., -1., -1.]))
    """
    low, high = _box(low, high, history.points.shape[-1])
    size = high - low
    points = _held_within(np.array(history.points, dtype=float), low - FOLLOW_REACH * size, high + FOLLOW_REACH * size)
    towards = history.overflowed_towards
    for i in np.flatnonzero(np.abs(towards).sum(-1) > 0):
        k = history.frozen_at[i]
        far = np.linalg.norm(size) * 2 + np.linalg.norm(points[k - 1, i] - (low + high) / 2)
        points[k:, i] = points[k - 1, i] + far * towards[i]
    return points, held_exits(clip_path(points, low, high))


def held_exits(clipped: ClippedPath) -> ClippedPath:
    """``clipped`` (of paths ``(m + 1, ...)``) with each point outside shown where its path
    last left the box, and heading as it did then, for as long as it stays out (clip_path's
    ray from the centre only for a path that starts outside): a runaway's arrowhead stays
    where it went off instead of sliding along the edge.

    >>> c = held_exits(clip_path([[0.0, 0.0], [4.0, 0.0], [4.0, 9.0]], [-1, -1], [1, 1]))
    >>> c.edge[2], c.heading[2]
    (array([1., 0.]), array([1., 0.]))
    """
    steps = np.arange(clipped.inside.shape[0]).reshape(-1, *([1] * (clipped.inside.ndim - 1)))
    left = np.zeros_like(clipped.inside)
    left[1:] = ~clipped.inside[1:] & clipped.visible
    last = np.maximum.accumulate(np.where(left, steps, -1), axis=0)
    held = ~clipped.inside & (last >= 0)
    source = np.where(held, last, steps)
    pick = lambda a: np.take_along_axis(a, source[..., None], axis=0)  # noqa: E731
    return ClippedPath(t_in=clipped.t_in, t_out=clipped.t_out, inside=clipped.inside,
                       edge=pick(clipped.edge), heading=pick(clipped.heading))


def followed(points, low, high) -> np.ndarray:
    """Paths ``(m + 1, ...,  d)`` with every point farther than ``FOLLOW_REACH`` sizes of the
    window ``[low, high]`` (or not finite) held where its path passed that distance, from then
    on: safe to clip (:func:`clip_path`) however far a runaway went.

    >>> followed([[0.0, 0.0], [1e308, 0.0]], [-1, -1], [1, 1])[1]
    array([2000001.,       0.])
    """
    points = np.array(points, dtype=float)
    low, high = _box(low, high, points.shape[-1])
    size = high - low
    return _held_within(points, low - FOLLOW_REACH * size, high + FOLLOW_REACH * size)


def drawable_points(history, low, high) -> np.ndarray:
    """``history.points`` ``(steps + 1, n, d)``, or where a step overflowed (a point frozen where it
    was), :func:`window_view`'s points, which send it out of the window ``[low, high]`` the way it went.

    >>> from gdmath import PARABOLA, gradient_descent
    >>> drawable_points(gradient_descent(PARABOLA, [[1.0]], alpha=1e308, steps=1), [-2.0], [2.0])[:, 0, 0]
    array([ 1., -8.])
    """
    if not np.any(history.overflowed_towards):
        return history.points
    return window_view(history, low, high)[0]


def _held_within(points: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Paths ``(m + 1, n, d)`` with every point that leaves the box ``[low, high]`` (or is not
    finite) stopped where its path crossed the box's edge, and held there from then on."""
    inside = lambda q: np.isfinite(q).all(-1) & (q >= low).all(-1) & (q <= high).all(-1)  # noqa: E731
    if inside(points).all():
        return points
    for k in range(1, points.shape[0]):
        leaving = ~inside(points[k])
        if not leaving.any():
            continue
        a, b = points[k - 1, leaving], points[k, leaving]
        with np.errstate(all="ignore"):
            move = np.where(np.isfinite(b), b - a, 0.0)
            to_high = np.where(move > 0, (high - a) / move, np.inf)
            to_low = np.where(move < 0, (low - a) / move, np.inf)
        t = np.clip(np.minimum(to_high, to_low).min(-1), 0.0, 1.0)
        points[k, leaving] = a + t[:, None] * move
        points[k + 1:, leaving] = points[k, leaving]
    return points


def _box(low, high, d: int) -> tuple[np.ndarray, np.ndarray]:
    low = finite(np.broadcast_to(np.asarray(low, dtype=float), (d,)).copy(), "low")
    high = finite(np.broadcast_to(np.asarray(high, dtype=float), (d,)).copy(), "high")
    if np.any(high <= low):
        raise ValueError(f"high must exceed low in every coordinate, got low={low} high={high}")
    return low, high


def _segment_params(start: np.ndarray, move: np.ndarray, low: np.ndarray, high: np.ndarray):
    """Liang-Barsky for ``(m, d)`` segments ``start + t * move``, ``0 <= t <= 1``: ``(t_in, t_out)``."""
    t_in = np.zeros(start.shape[:-1])
    t_out = np.ones(start.shape[:-1])
    with np.errstate(divide="ignore", invalid="ignore"):
        for bound, sign in ((low, -1.0), (high, 1.0)):
            # the segment is on the inner side of this face where sign * (p - bound) <= 0
            distance = sign * (bound - start)  # >= 0 while the start is inside the face
            rate = sign * move  # how fast the segment approaches the face
            t = distance / rate
            entering = rate < 0
            leaving = rate > 0
            t_in = np.maximum(t_in, np.where(entering, t, -np.inf).max(axis=-1))
            t_out = np.minimum(t_out, np.where(leaving, t, np.inf).min(axis=-1))
            parallel_outside = ((rate == 0) & (distance < 0)).any(axis=-1)
            t_out = np.where(parallel_outside, -np.inf, t_out)
    never = t_in > t_out
    return np.where(never, 1.0, t_in), np.where(never, 0.0, t_out)


def _rays_from_centre(points: np.ndarray, low: np.ndarray, high: np.ndarray):
    """Where the ray from the box's centre to each point leaves the box, and its direction;
    points inside are returned as they are, with a zero direction."""
    centre, half = (low + high) / 2, (high - low) / 2
    offset = points - centre
    with np.errstate(divide="ignore", invalid="ignore"):
        reach = np.where(offset != 0, half / np.abs(offset), np.inf).min(axis=-1, keepdims=True)
        length = np.linalg.norm(offset, axis=-1, keepdims=True)
        direction = np.where(length > 0, offset / length, 0.0)
    outside = reach < 1
    edge = np.where(outside, centre + np.minimum(reach, 1.0) * offset, points)
    return edge, np.where(outside, direction, 0.0)


def visible_from(height, points, eye, low, high, samples: int = 48, clearance: float = 1e-3) -> np.ndarray:
    """Which ``points`` ``(..., 3)`` a still camera at ``eye`` ``(3,)`` sees past the height field.

    The field is the surface ``z = height(x, y)`` over the box ``[low, high]`` ``(2,)``
    (no surface outside it). The straight segment from each point to the eye (a
    perspective camera's line of sight, e.g. manim's ``ThreeDCamera`` whose eye sits at
    ``frame_center + R.T @ (0, 0, focal_distance)``) is marched at ``samples`` evenly
    spaced places where it is over the box; the point is hidden where the surface
    rises more than ``clearance`` above the segment. Any affine map of space keeps
    segments straight, so points and eye may be given in the field's own coordinates.

    Args:
        height: callable ``(..., 2) -> (...)`` (e.g. an ``Objective``'s ``value``).
        points: ``(..., 3)`` ``(x, y, z)``; a point on the surface should sit a little
            above it (``z > height``), or it hides itself on any slope.
        eye: ``(3,)`` the camera's position.
        low, high: ``(2,)`` the box the surface covers.
        samples: places per segment, >= 2.
        clearance: how far the surface must rise above a line of sight to hide it, >= 0.

    Returns:
        ``(...)`` bool, True where the point is visible.

    >>> peak = lambda p: np.exp(-np.sum(np.asarray(p) ** 2, axis=-1))  # a hill of height 1 at 0
    >>> eye = [10.0, 0.0, 2.0]
    >>> visible_from(peak, [[-1.5, 0.0, 0.1], [1.5, 0.0, 0.2]], eye, [-3, -3], [3, 3])
    array([False,  True])
    """
    points = finite(np.asarray(points, dtype=float), "points")
    if points.ndim < 1 or points.shape[-1] != 3:
        raise ValueError(f"points must have shape (..., 3), got {points.shape}")
    eye = finite(np.asarray(eye, dtype=float), "eye")
    if eye.shape != (3,):
        raise ValueError(f"eye must have shape (3,), got {eye.shape}")
    samples = count(samples, "samples", minimum=2)
    if not np.isfinite(clearance) or clearance < 0:
        raise ValueError(f"clearance must be >= 0, got {clearance}")
    low, high = _box(low, high, 2)

    flat = points.reshape(-1, 3)
    share = np.linspace(0.0, 1.0, samples)
    hidden = np.empty(len(flat), bool)
    # in blocks of points, so the (points, samples, 3) marches stay small (cache-sized,
    # no fresh memory to fault in); each point's answer depends on that point alone
    block = max(1, _MARCH_BLOCK // samples)
    for first in range(0, len(flat), block):
        part = slice(first, first + block)
        hidden[part] = _hidden_from(height, flat[part], eye, low, high, share, clearance)
    return ~hidden.reshape(points.shape[:-1])


_MARCH_BLOCK = 1 << 15  # places marched at once by visible_from (points x samples)


def _hidden_from(height, flat: np.ndarray, eye, low, high, share: np.ndarray, clearance: float) -> np.ndarray:
    """``(p,)`` bool: which of the points ``flat`` ``(p, 3)`` the field hides from ``eye``
    (``visible_from``'s march, at the places ``share`` of each segment over the box)."""
    move = eye - flat  # (p, 3)
    t_in, t_out = _segment_params(flat[:, :2], move[:, :2], low, high)
    t_in = np.maximum(t_in, 1e-6)  # never the point itself
    t = t_in[:, None] + share * np.maximum(t_out - t_in, 0.0)[:, None]  # (p, samples)
    along = flat[:, None, :] + t[..., None] * move[:, None, :]  # (p, samples, 3)
    surface = np.asarray(height(along[..., :2]), dtype=float)
    above = surface > along[..., 2] + clearance
    crosses_box = (t_out > t_in)[:, None]
    return np.any(above & crosses_box, axis=-1)

