"""Gradient descent with any update rule (:mod:`gdmath.optimizers`), many starting points at once.

The history keeps every step so a scene can draw any of them. Divergence is a
result, not a crash: a point whose coordinates or value run away is frozen where it
got to and flagged, and no floating-point warning escapes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import as_points, count, finite
from .objectives import Objective
from .optimizers import SGD, Adam, Momentum, Nesterov, RMSProp

Optimizer = SGD | Momentum | Nesterov | RMSProp | Adam

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
        overflowed_towards: ``(n, d)``; for a point frozen because its step overflowed (it
            stays where it was), the unit direction of that step; zero for every other point.
        optimizer: the update rule that ran (``alpha`` is its learning rate).
    """

    points: np.ndarray
    values: np.ndarray
    diverged: np.ndarray
    frozen_at: np.ndarray
    overflowed_towards: np.ndarray
    optimizer: Optimizer

    @property
    def alpha(self) -> float:
        """The learning rate used (the optimizer's ``alpha``)."""
        return self.optimizer.alpha

    @property
    def steps(self) -> int:
        return self.points.shape[0] - 1

    @property
    def final(self) -> np.ndarray:
        """The last points, ``(n, d)``."""
        return self.points[-1]


def gradient_descent(objective: Objective, starts, alpha: float, steps: int) -> DescentHistory:
    """Run ``p <- p - alpha * grad f(p)`` for ``steps`` steps from every start at once.

    The same as ``descend(objective, starts, SGD(alpha), steps)``.

    Args:
        objective: the function to minimise.
        starts: ``(n, d)`` starting points (a single ``(d,)`` point is taken as ``n = 1``).
        alpha: learning rate, finite and > 0.
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
    return descend(objective, starts, SGD(alpha), steps)


def descend(objective: Objective, starts, optimizer: Optimizer, steps: int) -> DescentHistory:
    """Run ``optimizer`` for ``steps`` updates from every start at once (a loop over steps only).

    Divergence is a result: a point whose value passes ``VALUE_LIMIT`` or turns
    non-finite is frozen where it got to (``frozen_at``), and one whose value grew by
    more than ``GROWTH_LIMIT`` is flagged; no floating-point warning escapes.

    Args:
        objective: the function to minimise.
        starts: ``(n, d)`` starting points (a single ``(d,)`` point is taken as ``n = 1``).
        optimizer: an update rule from :mod:`gdmath.optimizers` (``SGD``, ``Momentum``,
            ``Nesterov``, ``RMSProp``, ``Adam``); its state starts at zero.
        steps: number of updates, >= 0.

    Returns:
        A :class:`DescentHistory` with ``points (steps + 1, n, d)``, ``values (steps + 1, n)``
        and ``optimizer``.

    >>> from gdmath import PARABOLA, Adam
    >>> h = descend(PARABOLA, [[1.0], [-300.0]], Adam(alpha=0.1), steps=1)
    >>> h.points[1, :, 0].round(6)   # Adam's first step is alpha whatever the gradient
    array([   0.9, -299.9])
    """
    if not isinstance(optimizer, (SGD, Momentum, Nesterov, RMSProp, Adam)):
        raise ValueError(
            f"optimizer must be one of SGD, Momentum, Nesterov, RMSProp, Adam, got {optimizer!r}"
        )
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
    towards = np.zeros((n, d))
    state = optimizer.start((n, d))
    with np.errstate(all="ignore"):
        value, grad = objective.value_and_grad(starts)
        frozen = ~_is_tame(starts, value, grad)
        frozen_at[frozen] = 0
        current = starts
        points[0], values[0] = current, value
        for k in range(1, steps + 1):
            proposal = points[k]
            optimizer.step(current, grad, state, k, out=proposal)
            new_value, new_grad = objective.evaluate(proposal)
            # |value| <= limit is False for NaN and inf too: the one test of the fast path.
            tame = np.abs(new_value) <= VALUE_LIMIT
            if tame.all() and not frozen.any():
                current, value, grad = proposal, new_value, new_grad
            else:
                tame &= _is_finite(proposal, new_value, new_grad)
                stayed = ~frozen & ~_is_finite(proposal, new_value, new_grad)
                towards[stayed] = _direction(proposal[stayed] - current[stayed])
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
        overflowed_towards=towards,
        optimizer=optimizer,
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


def _direction(move: np.ndarray) -> np.ndarray:
    """Unit directions of steps ``(m, d)`` that overflowed: along the infinite coordinates
    where there are any, else the finite step scaled; zero where nothing says (NaN)."""
    with np.errstate(all="ignore"):
        infinite = np.isinf(move)
        signs = np.where(infinite, np.sign(move), 0.0)
        finite_part = np.where(np.isfinite(move), move, 0.0)
        scale = np.abs(finite_part).max(-1, keepdims=True)
        scaled = np.divide(finite_part, scale, out=np.zeros_like(finite_part), where=scale > 0)
        raw = np.where(infinite.any(-1, keepdims=True), signs, scaled)
        length = np.linalg.norm(raw, axis=-1, keepdims=True)
        return np.divide(raw, length, out=np.zeros_like(raw), where=length > 0)


def _is_finite(p: np.ndarray, value: np.ndarray, grad: np.ndarray) -> np.ndarray:
    return np.isfinite(p).all(-1) & np.isfinite(value) & np.isfinite(grad).all(-1)


def _is_tame(p: np.ndarray, value: np.ndarray, grad: np.ndarray) -> np.ndarray:
    return _is_finite(p, value, grad) & (np.abs(value) <= VALUE_LIMIT)


def steps_to_leave(history: DescentHistory, centre, radius: float) -> np.ndarray:
    """The first step at which each point is farther than ``radius`` from ``centre``.

    Args:
        history: a descent's history, ``points (steps + 1, n, d)``.
        centre: ``(d,)`` the centre of the neighbourhood (e.g. a saddle point).
        radius: > 0, the Euclidean radius of the neighbourhood.

    Returns:
        ``(n,)`` int: the step ``k`` of the first point with ``|p_k - centre| > radius``
        (0 if the start is already outside), -1 for a point that never leaves.

    >>> from gdmath import SADDLE
    >>> h = gradient_descent(SADDLE, [[0.0, 0.01], [0.0, 0.0]], alpha=0.1, steps=40)
    >>> steps_to_leave(h, [0.0, 0.0], 0.5)
    array([22, -1])
    """
    d = history.points.shape[-1]
    centre = finite(as_points(centre, d, "centre"), "centre")
    radius = float(radius)
    if not np.isfinite(radius) or radius <= 0:
        raise ValueError(f"radius must be finite and > 0, got {radius:g}")
    with np.errstate(all="ignore"):
        outside = np.linalg.norm(history.points - centre, axis=-1) > radius  # (steps + 1, n)
    first = np.argmax(outside, axis=0)
    return np.where(outside.any(axis=0), first, -1)


def final_distance(history: DescentHistory, target) -> np.ndarray:
    """How far each run's last point is from ``target`` (e.g. the known minimum): ``(n,)``.

    >>> from gdmath import PARABOLA
    >>> final_distance(gradient_descent(PARABOLA, [[1.0], [-2.0]], alpha=0.25, steps=2), [0.0])
    array([0.25, 0.5 ])
    """
    target = finite(as_points(target, history.points.shape[-1], "target"), "target")
    with np.errstate(all="ignore"):
        return np.linalg.norm(history.final - target, axis=-1)
