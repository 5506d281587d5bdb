"""Grids of points over a box: random starts, function values, gradient fields."""

from __future__ import annotations

import numpy as np

from ._checks import count, finite
from .objectives import Objective


def _axis(values, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {arr.shape}")
    return finite(arr, name)


def grid_points(xs, ys) -> np.ndarray:
    """The points of the grid ``xs x ys``: ``(len(xs), len(ys), 2)``, indexed ``[i, j]``.

    >>> grid_points([0, 1], [5, 6, 7])[1, 2]
    array([1., 7.])
    """
    xs, ys = _axis(xs, "xs"), _axis(ys, "ys")
    return np.stack(np.meshgrid(xs, ys, indexing="ij"), axis=-1)


def value_grid(objective: Objective, xs, ys) -> np.ndarray:
    """f over the grid ``xs x ys``: ``(len(xs), len(ys))``, e.g. to colour a map by height."""
    return objective.value(grid_points(xs, ys))


def gradient_field(objective: Objective, xs, ys) -> tuple[np.ndarray, np.ndarray]:
    """The gradient of f sampled on a grid.

    Returns:
        ``(points, grads)``, both ``(len(xs), len(ys), 2)``; ``grads[i, j]`` is the
        gradient at ``points[i, j]`` (pointing uphill).

    >>> from gdmath import ELONGATED_BOWL
    >>> points, grads = gradient_field(ELONGATED_BOWL, [1.0], [0.0, 2.0])
    >>> grads[0]
    array([[5., 0.],
           [5., 2.]])
    """
    points = grid_points(xs, ys)
    return points, objective.grad(points)


def random_starts(n: int, low, high, seed: int) -> np.ndarray:
    """``n`` points drawn uniformly in the box ``[low, high]``: ``(n, d)``.

    ``low`` and ``high`` are ``(d,)`` corners; the draw goes through
    ``numpy.random.default_rng(seed)``, so the same seed gives the same points.

    >>> random_starts(3, [0, 0], [1, 1], seed=0).shape
    (3, 2)
    """
    n = count(n, "n", minimum=1)
    low = finite(np.atleast_1d(np.asarray(low, dtype=float)), "low")
    high = finite(np.atleast_1d(np.asarray(high, dtype=float)), "high")
    if low.shape != high.shape or low.ndim != 1:
        raise ValueError(f"low and high must be (d,) arrays of equal length, got {low.shape} and {high.shape}")
    if np.any(high <= low):
        raise ValueError(f"high must exceed low in every coordinate, got low={low} high={high}")
    rng = np.random.default_rng(seed)
    return rng.uniform(low, high, size=(n, low.size))


def cell_centres(low: float, high: float, n: int) -> np.ndarray:
    """The centres of ``n`` equal cells spanning ``[low, high]``: ``(n,)``.

    (The basins' starts, the field's arrows and the playground's pixels sit there.)

    >>> cell_centres(-1.0, 1.0, 4)
    array([-0.75, -0.25,  0.25,  0.75])
    """
    n = count(n, "n", minimum=1)
    low, high = (float(finite(np.asarray(v, dtype=float), name)) for v, name in ((low, "low"), (high, "high")))
    if not low < high:
        raise ValueError(f"low must be below high, got {low:g} and {high:g}")
    half_cell = (high - low) / (2 * n)
    return np.linspace(low + half_cell, high - half_cell, n)


def robust_range(values, percentiles: tuple[float, float] = (1.0, 99.0), whole_when_tame: bool = True,
                 floor: float | None = None) -> tuple[float, float]:
    """A colour range for ``values`` (any shape) that a function blowing up somewhere cannot
    stretch: the ``percentiles`` of the finite values; all of them when ``whole_when_tame``
    and neither end's outer percent spans more than the rest (nothing blows up); never
    below ``floor`` at the bottom's end (e.g. the lowest minimum); ``(0, 1)`` where none is
    finite; a band of 1 about the one value where flat.

    >>> spike = np.append(np.linspace(0.0, 1.0, 999), 1e9)  # one cell near a pole
    >>> tuple(round(v, 3) for v in robust_range(spike))
    (0.01, 0.991)
    >>> robust_range([0.0, 1.0, 2.0])
    (0.0, 2.0)
    >>> robust_range([np.inf, np.nan]), robust_range([3.0, 3.0])
    ((0.0, 1.0), (2.5, 3.5))
    """
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if not values.size:
        return 0.0, 1.0
    bottom, top = (float(v) for v in np.percentile(values, percentiles))
    if whole_when_tame and values.max() - top < top - bottom and bottom - values.min() < top - bottom:
        bottom, top = float(values.min()), float(values.max())
    if floor is not None:
        bottom = min(bottom, float(floor))
    if top - bottom <= 1e-12 * max(1.0, abs(top)):
        bottom, top = bottom - 0.5, top + 0.5
    return bottom, top
