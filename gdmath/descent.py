"""Plain gradient descent, many starting points at once.

The history keeps every step so a scene can draw any of them. Divergence is a
result, not a crash: a point whose coordinates or value run away is frozen where it
got to and flagged, and no floating-point warning escapes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import as_points, count, finite, positive
from .objectives import Objective

#: A point is frozen and flagged once ``|f|`` passes this bound (or anything turns
#: non-finite). It is far above the post's "Unusable" run (loss ~1e18), so that run
#: is computed honestly all the way.
VALUE_LIMIT = 1e30

#: A point is also flagged (but not frozen) when its final value has grown this many
#: times its starting scale above its start: ``f_end - f_0 > GROWTH_LIMIT * (1 + |f_0|)``.
#: Descent never climbs like that, so a slower blow-up is caught even before VALUE_LIMIT.
GROWTH_LIMIT = 1e3


@dataclass(frozen=True)
class DescentHistory:
    """Every step of a descent.

    Attributes:
        points: ``(steps + 1, n, d)``; ``points[0]`` are the starts.
        values: ``(steps + 1, n)``; the objective at each point.
        diverged: ``(n,)`` bool; the point ran away (see ``VALUE_LIMIT``, ``GROWTH_LIMIT``).
        frozen_at: ``(n,)`` int; the step at which a runaway point was frozen, -1 if never.
        alpha: the learning rate used.
    """

    points: np.ndarray
    values: np.ndarray
    diverged: np.ndarray
    frozen_at: np.ndarray
    alpha: float

    @property
    def steps(self) -> int:
        return self.points.shape[0] - 1

    @property
    def final(self) -> np.ndarray:
        """The last points, ``(n, d)``."""
        return self.points[-1]


def gradient_descent(objective: Objective, starts, alpha: float, steps: int) -> DescentHistory:
    """Run ``p <- p - alpha * grad f(p)`` for ``steps`` steps from every start at once.

    Args:
        objective: the function to minimise.
        starts: ``(n, d)`` starting points (a single ``(d,)`` point is taken as ``n = 1``).
        alpha: learning rate, > 0.
        steps: number of updates, >= 0.

    Returns:
        A :class:`DescentHistory` with ``points (steps + 1, n, d)`` and ``values (steps + 1, n)``.

    >>> from gdmath import PARABOLA
    >>> h = gradient_descent(PARABOLA, [[1.0], [-2.0]], alpha=0.25, steps=2)
    >>> h.points[:, :, 0]
    array([[ 1.  , -2.  ],
           [ 0.5 , -1.  ],
           [ 0.25, -0.5 ]])
    >>> h.diverged
    array([False, False])
    """
    alpha = positive(alpha, "alpha")
    steps = count(steps, "steps")
    starts = as_points(starts, objective.dim, "starts")
    if starts.ndim == 1:
        starts = starts[None, :]
    if starts.ndim != 2 or starts.shape[0] == 0:
        raise ValueError(f"starts must have shape (n, {objective.dim}) with n >= 1, got {starts.shape}")
    finite(starts, "starts")

    n, d = starts.shape
    points = np.empty((steps + 1, n, d))
    values = np.empty((steps + 1, n))
    frozen_at = np.full(n, -1)
    with np.errstate(all="ignore"):
        value, grad = objective.value_and_grad(starts)
        frozen = ~_is_tame(starts, value, grad)
        frozen_at[frozen] = 0
        current = starts
        points[0], values[0] = current, value
        for k in range(1, steps + 1):
            proposal = points[k]
            np.multiply(grad, -alpha, out=proposal)
            proposal += current
            new_value, new_grad = objective._value_and_grad(proposal)
            # |value| <= limit is False for NaN and inf too: the one test of the fast path.
            tame = np.abs(new_value) <= VALUE_LIMIT
            if tame.all() and not frozen.any():
                current, value, grad = proposal, new_value, new_grad
            else:
                tame &= _is_finite(proposal, new_value, new_grad)
                current, value, grad = _freeze_runaways(
                    frozen, tame, k, frozen_at, current, value, grad, proposal, new_value, new_grad
                )
                points[k] = current
            values[k] = value

        grew = values[-1] - values[0] > GROWTH_LIMIT * (1.0 + np.abs(values[0]))
    return DescentHistory(
        points=points,
        values=values,
        diverged=frozen | grew,
        frozen_at=frozen_at,
        alpha=alpha,
    )


def _freeze_runaways(frozen, tame, k, frozen_at, current, value, grad, proposal, new_value, new_grad):
    """Move the points that may move; freeze (in place) those that ran away at step ``k``.

    A point that runs past the bound still takes that step ("frozen there"), unless the
    step produced non-finite numbers: then it stays where it was.
    """
    finite_now = _is_finite(proposal, new_value, new_grad)
    move = ~frozen & finite_now
    newly = ~frozen & ~tame
    frozen_at[newly] = k
    frozen |= newly
    return (
        np.where(move[:, None], proposal, current),
        np.where(move, new_value, value),
        np.where(move[:, None], new_grad, grad),
    )


def _is_finite(p: np.ndarray, value: np.ndarray, grad: np.ndarray) -> np.ndarray:
    return np.isfinite(p).all(-1) & np.isfinite(value) & np.isfinite(grad).all(-1)


def _is_tame(p: np.ndarray, value: np.ndarray, grad: np.ndarray) -> np.ndarray:
    return _is_finite(p, value, grad) & (np.abs(value) <= VALUE_LIMIT)
