"""The base of the 2-D descent figures (hills, field, basins, optimizers, saddle): the
objective, the view, the starts, the run, the height map and the settled counts, in one place.

Two halves, one per side of the house's one-way flow:

- :class:`ObjectiveParams`, the base of every descent figure's params (2-D and 1-D): its
  ``objective`` is the function the user typed (``--set function=...``, parsed by
  :func:`gdmath.parse_objective`, its minima found in the view by :func:`gdmath.find_minima`)
  or, unset, the figure's ``default_objective`` (a class attribute, ``SIN_HILLS`` unless the
  figure says otherwise); its colour range follows it.
- :class:`DescentParams`, a base of a 2-D figure's params dataclass; the methods are pure functions of the params
  (gdmath only, no manim), which the figure's own pure function calls. The base has no
  dataclass fields: each figure keeps its own fields, in its own order (``--list``,
  ``--set`` and the manifest read them); the methods read the usual names (``view``,
  ``start_box``, ``n_points``, ``seed``, ``per_side``, ``steps``, ``map_pixels``).
- :class:`DescentScene`, a scene mixin: the axes of the view and the points of a history on them.

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class P(DescentParams):
...     view: float = 2.0
...     start_box: float = 1.0
...     per_side: int = 2
...     steps: int = 3
...     map_pixels: int = 5
>>> P().view_box()
((-2.0, 2.0), (-2.0, 2.0))
>>> P().grid_starts()
array([[-0.5, -0.5],
       [ 0.5, -0.5],
       [-0.5,  0.5],
       [ 0.5,  0.5]])
>>> P().height_map().shape, P().cell_centres(4)
((5, 5), array([-1.5, -0.5,  0.5,  1.5]))
"""

from __future__ import annotations

import dataclasses
import functools
from typing import ClassVar

import numpy as np
from manim import Axes

import gdmath
from gdmath import SIN_HILLS
from scenes import theme
from scenes.components.axes import plane_axes
from scenes.components.camera import frame_points
from scenes.components.marks import BatchedMarks, screen_clip
from scenes.components.surfaces import on_surface
from scenes.params import parsed_function

HALF_PI = np.pi / 2

#: The share of a typed function's finite values over the view that its colour range spans
#: (percentiles): one that blows up somewhere in the view (``1/(x^2 + y^2)``) still shows its shape.
RANGE_PERCENTILES = (1.0, 99.0)
#: Samples per axis of the view for a typed function's colour range.
RANGE_SAMPLES = {1: 801, 2: 161}


@functools.lru_cache(maxsize=32)
def typed_objective(text: str, dim: int, low: tuple[float, ...], high: tuple[float, ...]) -> gdmath.Objective:
    """The function ``text`` of ``dim`` variables with the minima found in the box ``[low, high]``
    attached (validation, ``describe`` and ``construct`` all ask for it: computed once per text)."""
    objective = parsed_function(text, dim)
    return gdmath.find_minima(objective, low, high).attach(objective)


@functools.lru_cache(maxsize=32)
def typed_range(text: str, dim: int, low: tuple[float, ...], high: tuple[float, ...]) -> tuple[float, float]:
    """The colour range of a typed function over the box: the ``RANGE_PERCENTILES`` of its
    finite values on a grid, or all of them when neither end's last percent spans more than the
    rest (nothing blows up); from the lowest minimum found at least; never empty: ``(0, 1)``
    where none is finite; widened where flat."""
    objective = typed_objective(text, dim, low, high)
    axes = [np.linspace(low[i], high[i], RANGE_SAMPLES[dim]) for i in range(dim)]
    grid = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1)
    values = objective.evaluate(grid)[0]
    minima = objective.value(objective.minima) if len(objective.minima) else np.zeros(0)
    return gdmath.robust_range(values, RANGE_PERCENTILES, floor=minima.min() if minima.size else None)


class ObjectiveParams:
    """The function a descent figure runs: typed (``function``, a params field of the figure:
    text or None) or the figure's ``default_objective``.

    ``dim`` is 2 (a map of x and y) or 1 (a curve of x); the figure's ``minima_box()`` is
    where a typed function's minima are looked for (its view); ``height_range`` is the ends of
    the colour scale (and of a 1-D figure's value axis): ``default_range`` for the post's
    function, else the typed function's range over the view (:func:`typed_range`).
    """

    dim: ClassVar[int] = 2
    default_objective: ClassVar[gdmath.Objective] = SIN_HILLS
    default_range: ClassVar[tuple[float, float]] = (-1.0, 1.0)

    @property
    def typed(self) -> bool:
        """Whether the figure runs a function the user typed."""
        return getattr(self, "function", None) is not None

    def minima_box(self) -> tuple[tuple[float, ...], tuple[float, ...]]:
        """``(low, high)`` corners of the view, each ``(dim,)``."""
        low, high = zip(*self.view_box())
        return tuple(map(float, low)), tuple(map(float, high))

    @property
    def objective(self) -> gdmath.Objective:
        """The typed function (its minima found in the view attached) or the default."""
        if not self.typed:
            return self.default_objective
        return typed_objective(self.function, self.dim, *self.minima_box())

    @property
    def height_range(self) -> tuple[float, float]:
        if not self.typed:
            return self.default_range
        return typed_range(self.function, self.dim, *self.minima_box())

    def function_text(self, default: str) -> str:
        """How descriptions name the function: ``default`` (the post's words for its own
        function), or ``"f(x, y) = <canonical text> (<its minima found in the view>)"`` for a typed one."""
        if not self.typed:
            return default
        return f"f({', '.join(('x', 'y')[: self.dim])}) = {self.objective.canonical} ({self.minima_text()})"

    def minima_text(self) -> str:
        """The typed function's minima in words: ``"minima found in the view: (-1, 0), (1, 0)"``
        (global ones only, at most four), or ``"no minimum found in the view"``."""
        minima = self.objective.minima
        if not len(minima):
            return "no minimum found in the view"
        best = self.objective.global_minima
        shown = ", ".join(_point(m) for m in best[:4]) + (", ..." if len(best) > 4 else "")
        kind = "global " if len(best) < len(minima) else ""
        return f"{len(minima)} {'minimum' if len(minima) == 1 else 'minima'} found in the view, {kind}at {shown}"

    def window_of(self, history: gdmath.DescentHistory):
        """``gdmath.window_view`` of ``history`` in the view, ``(points, clipped)``, or None when
        every point stays in the view (the paths are drawn whole)."""
        low, high = np.array(self.view_box(), dtype=float).T
        with np.errstate(all="ignore"):
            points = history.points
            stays = np.isfinite(points).all() and bool(((points >= low) & (points <= high)).all())
        if stays and not history.overflowed_towards.any():
            return None
        return gdmath.window_view(history, low, high)

    def ran_off(self, history: gdmath.DescentHistory) -> int:
        """How many of the history's starts ran off the view: diverged (gdmath's flag) or ended outside it."""
        low, high = np.array(self.view_box(), dtype=float).T
        final = history.final
        with np.errstate(all="ignore"):
            inside = np.isfinite(final).all(-1) & (final >= low).all(-1) & (final <= high).all(-1)
        return int((history.diverged | ~inside).sum())

    def run_values(self) -> dict:
        """The values as the figure runs them, with a typed function as its canonical text
        (two spellings of one function share a cache key)."""
        base = getattr(super(), "run_values", None)
        values = base() if callable(base) else dataclasses.asdict(self)
        if self.typed:
            values["function"] = self.objective.canonical
        return values


def _point(m: np.ndarray) -> str:
    return "(" + ", ".join(f"{v:.3g}" for v in m + 0.0) + ")" if len(m) > 1 else f"x = {m[0] + 0.0:.3g}"


def verdict_of(objective: gdmath.Objective, points) -> gdmath.MinimumVerdict:
    """``gdmath.nearest_minimum``, also for a function with no minimum found (nothing settled)."""
    points = np.asarray(points, dtype=float)
    if len(objective.minima):
        return gdmath.nearest_minimum(objective, points)
    shape = points.shape[:-1]
    return gdmath.MinimumVerdict(
        index=np.zeros(shape, dtype=int), minimum=np.full(points.shape, np.nan),
        distance=np.full(shape, np.inf), is_global=np.zeros(shape, dtype=bool), settled=np.zeros(shape, dtype=bool),
    )


class DescentParams(ObjectiveParams):
    """What a 2-D descent figure's params have in common: the objective and what follows from it
    over the view. Mix it into the params dataclass (``class HillsParams(DescentParams, ...)``).
    """

    def view_box(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """``((x0, x1), (y0, y1))``: the square ``[-view, view]^2`` (a figure with another
        window overrides this)."""
        return (-self.view, self.view), (-self.view, self.view)

    def map_shape(self) -> tuple[int, int]:
        """``(nx, ny)``: ``map_pixels`` nodes along x, as many along y as keep the view's aspect."""
        (x0, x1), (y0, y1) = self.view_box()
        nx = self.map_pixels
        return nx, max(2, round(nx * (y1 - y0) / (x1 - x0)))

    def height_map(self) -> np.ndarray:
        """The objective on the map's grid over the view (its edges included): ``(nx, ny)``."""
        (x0, x1), (y0, y1) = self.view_box()
        nx, ny = self.map_shape()
        return gdmath.value_grid(self.objective, np.linspace(x0, x1, nx), np.linspace(y0, y1, ny))

    def cell_centres(self, n: int) -> np.ndarray:
        """The centres of ``n`` equal cells across the view's x side: ``(n,)`` (the field's arrows)."""
        (x0, x1), _ = self.view_box()
        return gdmath.cell_centres(x0, x1, n)

    def seeded_starts(self) -> np.ndarray:
        """``n_points`` starts drawn uniformly in ``[-start_box, start_box]^2`` from ``seed``: ``(n_points, 2)``."""
        box = np.array([self.start_box, self.start_box])
        return gdmath.random_starts(self.n_points, -box, box, seed=self.seed)

    def grid_starts(self) -> np.ndarray:
        """A start at each cell centre of a ``per_side x per_side`` grid over
        ``[-start_box, start_box]^2``: ``(per_side ** 2, 2)``, x running fastest."""
        axis = gdmath.cell_centres(-self.start_box, self.start_box, self.per_side)
        x, y = np.meshgrid(axis, axis, indexing="xy")
        return np.column_stack([x.ravel(), y.ravel()])

    def descend(self, starts, optimizer) -> gdmath.DescentHistory:
        """``steps`` steps of ``optimizer`` on the objective from ``starts`` ``(n, 2)``."""
        return gdmath.descend(self.objective, starts, optimizer, self.steps)

    def settled_counts(self, history: gdmath.DescentHistory) -> np.ndarray:
        """How many of the history's starts have settled in a minimum at each step: ``(steps + 1,)``."""
        if not len(self.objective.minima):
            return np.zeros(history.points.shape[0], dtype=int)
        return gdmath.settled_counts(self.objective, history.points)


class DescentScene:
    """Scene mixin of the descent figures: the view's axes and a history placed on them.

    ``map_dim_opacity`` dims the height map under what is drawn over it (the field's arrows,
    the basins' thousands of paths).
    """

    map_dim_opacity = 0.75

    def view_axes(self, width: float, height: float | None = None, tick: float = HALF_PI) -> Axes:
        """Axes over the params' view, ``width`` by ``height`` (default: square) on screen, without ticks."""
        (x0, x1), (y0, y1) = self.params.view_box()
        return plane_axes([x0, x1, tick], [y0, y1, tick], width, width if height is None else height, ticks=False)

    def map_marks(self, axes: Axes, history: gdmath.DescentHistory, colors, marker_size: float = theme.LR_MARKER_SIZE,
                  **options):
        """``BatchedMarks`` of ``history`` on the map ``axes``: the paths whole, or, for a run that
        leaves the view, clipped to it with an arrowhead (``marker_size`` long) on its edge where a
        point went off (``params.window_of``; as ``lr_unstable``). ``options`` go to ``BatchedMarks``."""
        window = self.params.window_of(history)
        if window is None:
            return BatchedMarks(self.on_axes(axes, history.points), self.tracker, colors, **options)
        nudge = 1e-3 * float(np.ptp(np.array(self.params.view_box(), dtype=float)))
        clip = screen_clip(*window, lambda q: self.on_axes(axes, q), nudge, size=marker_size)
        return BatchedMarks(None, self.tracker, colors, clip=clip, **options)

    def surface_marks(self, axes3d, history: gdmath.DescentHistory, colors, z_range, seen=None, **options):
        """``BatchedMarks`` of a run that leaves the view (``params.window_of`` is not None) on
        the 3-D surface of ``axes3d`` (heights cut to ``z_range``), as a still camera shows it:
        each path to the surface's edge, an arrowhead there where a point went off. ``seen``
        maps scene points ``(..., 3)`` to which are in view (the surface may hide them)."""
        p = self.params
        points, clipped = p.window_of(history)
        in_3d = lambda q: on_surface(axes3d, p.objective, q, z_range)  # noqa: E731
        to_frame = lambda q: frame_points(self.renderer.camera, in_3d(q))  # noqa: E731
        visible = None if seen is None else seen(in_3d(clipped.edge))
        nudge = 1e-3 * float(np.ptp(np.array(p.view_box(), dtype=float)))
        return BatchedMarks(None, self.tracker, colors, visible, clip=screen_clip(points, clipped, to_frame, nudge), **options)

    @staticmethod
    def on_axes(axes: Axes, points: np.ndarray) -> np.ndarray:
        """Data points ``(..., 2)`` (a history's ``(steps + 1, n, 2)``) on ``axes``: ``(..., 3)``."""
        points = np.asarray(points)
        return axes.c2p(points.reshape(-1, 2)).reshape(*points.shape[:-1], 3)
