"""The base of the 2-D descent figures (hills, field, basins, optimizers, saddle): the
objective, the view, the starts, the run, the height map and the settled counts, in one place.

Two halves, one per side of the house's one-way flow:

- :class:`DescentParams`, a base of a figure's params dataclass. ``objective`` is a class
  attribute (``SIN_HILLS`` unless the figure says otherwise), so a new objective reaches
  a figure by changing that one field; the methods are pure functions of the params
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

from typing import ClassVar

import numpy as np
from manim import Axes

import gdmath
from gdmath import SIN_HILLS
from scenes.components.axes import plane_axes

HALF_PI = np.pi / 2


class DescentParams:
    """What a descent figure's params have in common: the objective and what follows from it
    over the view. Mix it into the params dataclass (``class HillsParams(DescentParams, ...)``).

    ``height_range`` is the ends of the height colour scale, the objective's range over the
    view (sin x sin y: -1 to 1).
    """

    objective: ClassVar[gdmath.Objective] = SIN_HILLS
    height_range: ClassVar[tuple[float, float]] = (-1.0, 1.0)

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

    @staticmethod
    def on_axes(axes: Axes, points: np.ndarray) -> np.ndarray:
        """Data points ``(..., 2)`` (a history's ``(steps + 1, n, 2)``) on ``axes``: ``(..., 3)``."""
        points = np.asarray(points)
        return axes.c2p(points.reshape(-1, 2)).reshape(*points.shape[:-1], 3)
