"""Which minimum a point has reached, and whether that minimum is global.

The post's point about local minima ("where you start decides where you end")
needs a verdict per final point; it is computed here, from the minima an
objective lists, so a scene only colours what this module decides.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import as_points, finite, positive
from .objectives import Objective

#: Default distance within which a point counts as having reached a minimum.
SETTLED_TOLERANCE = 1e-2


@dataclass(frozen=True)
class MinimumVerdict:
    """For each point ``(...)``, the listed minimum nearest to it.

    Attributes:
        index: ``(...)`` int, row of ``objective.minima`` nearest to the point.
        minimum: ``(..., d)``, that minimum.
        distance: ``(...)``, Euclidean distance from the point to it.
        is_global: ``(...)`` bool, that minimum is one of ``objective.global_minima``.
        settled: ``(...)`` bool, the point is within ``tolerance`` of it.
    """

    index: np.ndarray
    minimum: np.ndarray
    distance: np.ndarray
    is_global: np.ndarray
    settled: np.ndarray


def global_mask(objective: Objective) -> np.ndarray:
    """Which rows of ``objective.minima`` are global: ``(k,)`` bool.

    >>> from gdmath import TRIPLE_WELL
    >>> global_mask(TRIPLE_WELL)
    array([ True, False,  True])
    """
    minima, best = objective.minima, objective.global_minima
    same = np.isclose(minima[:, None, :], best[None, :, :], rtol=0.0, atol=1e-12).all(axis=-1)
    return same.any(axis=1)


def nearest_minimum(objective: Objective, points, tolerance: float = SETTLED_TOLERANCE) -> MinimumVerdict:
    """Classify ``points`` ``(..., d)`` by the listed minimum of ``objective`` nearest to each.

    Vectorised over the leading axes. A point's verdict is global or local by the
    minimum it is nearest to; ``settled`` says whether it is actually there (within
    ``tolerance``), so a run that was stopped too early is visible as such.

    >>> from gdmath import TRIPLE_WELL
    >>> v = nearest_minimum(TRIPLE_WELL, [[-1.9], [0.3], [2.0]])
    >>> v.index, v.is_global
    (array([0, 1, 2]), array([ True, False,  True]))
    >>> v.settled
    array([False, False,  True])
    """
    points = finite(as_points(points, objective.dim, "points"), "points")
    tolerance = positive(tolerance, "tolerance")
    minima = objective.minima
    with np.errstate(over="ignore"):  # a runaway at 1e308 is infinitely far from every minimum: inf is right
        distances = np.linalg.norm(points[..., None, :] - minima, axis=-1)  # (..., k)
    index = np.argmin(distances, axis=-1)
    distance = np.take_along_axis(distances, index[..., None], axis=-1)[..., 0]
    return MinimumVerdict(
        index=index,
        minimum=minima[index],
        distance=distance,
        is_global=global_mask(objective)[index],
        settled=distance <= tolerance,
    )


@dataclass(frozen=True)
class EndCounts:
    """How many runs ended where, after the steps they were given.

    Attributes:
        per_minimum: ``(k,)`` int, runs settled (within the tolerance) at each row of
            ``objective.minima``.
        unsettled: runs not at any listed minimum: still on a saddle or a ridge (or on
            their way down) when the steps ran out.
    """

    per_minimum: np.ndarray
    unsettled: int

    @property
    def settled(self) -> int:
        """Runs that reached a minimum."""
        return int(self.per_minimum.sum())


def count_ends(objective: Objective, finals, tolerance: float = SETTLED_TOLERANCE) -> EndCounts:
    """Count the final points ``(..., d)`` of many runs by the minimum they settled at.

    >>> from gdmath import TRIPLE_WELL
    >>> ends = count_ends(TRIPLE_WELL, [[-1.995], [2.0], [2.001], [0.3]])
    >>> ends.per_minimum, ends.unsettled, ends.settled
    (array([1, 0, 2]), 1, 3)
    """
    verdict = nearest_minimum(objective, finals, tolerance)
    index = verdict.index[verdict.settled]
    per_minimum = np.bincount(index.ravel(), minlength=objective.minima.shape[0])
    return EndCounts(per_minimum=per_minimum, unsettled=int((~verdict.settled).sum()))


def settled_counts(objective: Objective, points, tolerance: float = SETTLED_TOLERANCE) -> np.ndarray:
    """How many of the ``n`` points of each step have settled in a listed minimum:
    ``points`` ``(steps + 1, n, d)`` -> ``(steps + 1,)`` ints (index it at any step).

    >>> from gdmath import TRIPLE_WELL
    >>> settled_counts(TRIPLE_WELL, [[[-1.9], [0.3]], [[-2.0], [0.0]]])
    array([0, 2])
    """
    return nearest_minimum(objective, points, tolerance).settled.sum(axis=-1)
