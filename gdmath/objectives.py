"""The functions the post descends, each with its value and its analytic gradient.

Every objective is vectorised over the leading axes of its input: ``p`` has shape
``(..., dim)``, ``value(p)`` shape ``(...)`` and ``grad(p)`` shape ``(..., dim)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ._checks import as_points

Array = np.ndarray


@dataclass(frozen=True)
class Objective:
    """A differentiable function of ``dim`` variables.

    Attributes:
        name: short identifier, e.g. ``"sin_hills"``.
        dim: number of input variables ``d``.
        tex: the formula as LaTeX, for titles.
        minima: known local minima as a ``(k, dim)`` array.
        global_minima: the subset of ``minima`` that are global, ``(g, dim)``.
        evaluate: ``p -> (value, grad)``, the function itself, vectorised, without an
            input check: ``p`` must already be a float ``ndarray`` of shape ``(..., dim)``
            (a caller that checked its input once, like :func:`gdmath.descend`, calls it
            every step). :meth:`value`, :meth:`grad` and :meth:`value_and_grad` check
            their input, then call it.
        canonical: for a typed function (:func:`gdmath.parse_objective`), a normalised
            text of it (for cache keys and manifests); ``None`` for the hand-written ones.
        evaluate_hessian: ``p -> (..., dim, dim)``, the exact Hessian, unchecked like
            ``evaluate``; typed functions have one, the hand-written ones ``None``.

    >>> float(SIN_HILLS.value([np.pi / 2, -np.pi / 2]))
    -1.0
    >>> ELONGATED_BOWL.grad([[1.0, 1.0], [0.0, 2.0]])
    array([[5., 1.],
           [0., 2.]])
    >>> ROSENBROCK.evaluate(np.array([[0.0, 1.0]]))
    (array([101.]), array([[ -2., 200.]]))
    """

    name: str
    dim: int
    tex: str
    evaluate: Callable[[Array], tuple[Array, Array]] = field(repr=False)
    minima: Array = field(repr=False)
    global_minima: Array = field(repr=False)
    canonical: str | None = None
    evaluate_hessian: Callable[[Array], Array] | None = field(default=None, repr=False)

    def value(self, p) -> Array:
        """f(p): ``(..., dim)`` -> ``(...)``."""
        return self.evaluate(as_points(p, self.dim))[0]

    def grad(self, p) -> Array:
        """Gradient of f at p: ``(..., dim)`` -> ``(..., dim)``."""
        return self.evaluate(as_points(p, self.dim))[1]

    def value_and_grad(self, p) -> tuple[Array, Array]:
        """Both at once, sharing the work: ``(...)`` and ``(..., dim)``."""
        return self.evaluate(as_points(p, self.dim))

    def hessian(self, p) -> Array:
        """Hessian of f at p: ``(..., dim)`` -> ``(..., dim, dim)`` (objectives with ``evaluate_hessian``)."""
        if self.evaluate_hessian is None:
            raise ValueError(f"{self.name} has no exact Hessian")
        return self.evaluate_hessian(as_points(p, self.dim))


def _parabola(p: Array) -> tuple[Array, Array]:
    x = p[..., 0]
    return x * x, 2.0 * p


# Sextic with f'(x) = x (x^2 - 1)(x^2 - 4): minima at 0 and +-2, maxima at +-1.
# Shifted so the two global minima (+-2) sit at 0; the local one (0) is at 4/3.
TRIPLE_WELL_OFFSET = 4.0 / 3.0


def _triple_well(p: Array) -> tuple[Array, Array]:
    x = p[..., 0]
    x2 = x * x
    value = x2 * x2 * x2 / 6.0 - 1.25 * x2 * x2 + 2.0 * x2 + TRIPLE_WELL_OFFSET
    slope = x * (x2 - 1.0) * (x2 - 4.0)
    return value, slope[..., None]


def _sin_hills(p: Array) -> tuple[Array, Array]:
    sin, cos = np.sin(p), np.cos(p)
    # grad = (cos x sin y, sin x cos y) = cos(p) * sin(p) with x and y swapped
    return sin[..., 0] * sin[..., 1], cos * sin[..., ::-1]


BOWL_CURVATURE = np.array([5.0, 1.0])


def _elongated_bowl(p: Array) -> tuple[Array, Array]:
    scaled = BOWL_CURVATURE * p
    return 0.5 * np.sum(scaled * p, axis=-1), scaled


PARABOLA = Objective(
    name="parabola",
    dim=1,
    tex=r"f(x) = x^2",
    evaluate=_parabola,
    minima=np.array([[0.0]]),
    global_minima=np.array([[0.0]]),
)

TRIPLE_WELL = Objective(
    name="triple_well",
    dim=1,
    tex=r"f(x) = \tfrac{x^6}{6} - \tfrac{5x^4}{4} + 2x^2 + \tfrac{4}{3}",
    evaluate=_triple_well,
    minima=np.array([[-2.0], [0.0], [2.0]]),
    global_minima=np.array([[-2.0], [2.0]]),
)

def _sin_hills_minima() -> Array:
    """The minima of sin x sin y in [-2pi, 2pi]^2 (it is periodic; all are global)."""
    odd_halves = np.array([-3, -1, 1, 3]) * (np.pi / 2)
    grid = np.stack(np.meshgrid(odd_halves, odd_halves, indexing="ij"), axis=-1).reshape(-1, 2)
    return grid[np.isclose(np.sin(grid[:, 0]) * np.sin(grid[:, 1]), -1.0)]


SIN_HILLS = Objective(
    name="sin_hills",
    dim=2,
    tex=r"f(x, y) = \sin x \, \sin y",
    evaluate=_sin_hills,
    minima=_sin_hills_minima(),
    global_minima=_sin_hills_minima(),
)

ELONGATED_BOWL = Objective(
    name="elongated_bowl",
    dim=2,
    tex=r"f(x, y) = \frac{5x^2 + y^2}{2}",
    evaluate=_elongated_bowl,
    minima=np.array([[0.0, 0.0]]),
    global_minima=np.array([[0.0, 0.0]]),
)

#: Rosenbrock's banana: ``a = 1``, ``b = 100``; a narrow curved valley along ``y = x^2``.
ROSENBROCK_A, ROSENBROCK_B = 1.0, 100.0


def _rosenbrock(p: Array) -> tuple[Array, Array]:
    x, y = p[..., 0], p[..., 1]
    off_valley = y - x * x
    near_min = ROSENBROCK_A - x
    value = near_min * near_min + ROSENBROCK_B * off_valley * off_valley
    dx = -2.0 * near_min - 4.0 * ROSENBROCK_B * x * off_valley
    dy = 2.0 * ROSENBROCK_B * off_valley
    return value, np.stack([dx, dy], axis=-1)


def _saddle(p: Array) -> tuple[Array, Array]:
    x, y = p[..., 0], p[..., 1]
    y2 = y * y
    value = x * x - y2 + 0.25 * y2 * y2
    return value, np.stack([2.0 * x, y * (y2 - 2.0)], axis=-1)


ROSENBROCK = Objective(
    name="rosenbrock",
    dim=2,
    tex=r"f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2",
    evaluate=_rosenbrock,
    minima=np.array([[ROSENBROCK_A, ROSENBROCK_A**2]]),
    global_minima=np.array([[ROSENBROCK_A, ROSENBROCK_A**2]]),
)
"""Rosenbrock's function with ``a = 1, b = 100``: the one minimum is (1, 1) with f = 0,
at the end of a narrow curved valley along ``y = x^2`` (curvatures about 1 along it and
up to ~1000 across it)."""

#: Where SADDLE's two minima lie: ``(0, +-sqrt 2)``, ``f = -1`` at both.
SADDLE_MINIMA = np.array([[0.0, -np.sqrt(2.0)], [0.0, np.sqrt(2.0)]])

SADDLE = Objective(
    name="saddle",
    dim=2,
    tex=r"f(x, y) = x^2 - y^2 + \tfrac{y^4}{4}",
    evaluate=_saddle,
    minima=SADDLE_MINIMA,
    global_minima=SADDLE_MINIMA,
)
"""``x^2 - y^2 + y^4 / 4``: a saddle at the origin (curvature +2 along x, -2 along y,
f = 0), bounded below (f >= -1): the gradient ``(2x, y (y^2 - 2))`` vanishes only
there and at the two global minima ``(0, +-sqrt 2)`` with f = -1. A point just off the
origin along y sees a gradient of size ~2|y|, so plain descent leaves it slowly."""

OBJECTIVES = {
    o.name: o for o in (PARABOLA, TRIPLE_WELL, SIN_HILLS, ELONGATED_BOWL, ROSENBROCK, SADDLE)
}
