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

    >>> float(SIN_HILLS.value([np.pi / 2, -np.pi / 2]))
    -1.0
    >>> ELONGATED_BOWL.grad([[1.0, 1.0], [0.0, 2.0]])
    array([[5., 1.],
           [0., 2.]])
    """

    name: str
    dim: int
    tex: str
    _value_and_grad: Callable[[Array], tuple[Array, Array]] = field(repr=False)
    minima: Array = field(repr=False)
    global_minima: Array = field(repr=False)

    def value(self, p) -> Array:
        """f(p): ``(..., dim)`` -> ``(...)``."""
        return self._value_and_grad(as_points(p, self.dim))[0]

    def grad(self, p) -> Array:
        """Gradient of f at p: ``(..., dim)`` -> ``(..., dim)``."""
        return self._value_and_grad(as_points(p, self.dim))[1]

    def value_and_grad(self, p) -> tuple[Array, Array]:
        """Both at once, sharing the work: ``(...)`` and ``(..., dim)``."""
        return self._value_and_grad(as_points(p, self.dim))


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
    _value_and_grad=_parabola,
    minima=np.array([[0.0]]),
    global_minima=np.array([[0.0]]),
)

TRIPLE_WELL = Objective(
    name="triple_well",
    dim=1,
    tex=r"f(x) = \tfrac{x^6}{6} - \tfrac{5x^4}{4} + 2x^2 + \tfrac{4}{3}",
    _value_and_grad=_triple_well,
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
    _value_and_grad=_sin_hills,
    minima=_sin_hills_minima(),
    global_minima=_sin_hills_minima(),
)

ELONGATED_BOWL = Objective(
    name="elongated_bowl",
    dim=2,
    tex=r"f(x, y) = \frac{5x^2 + y^2}{2}",
    _value_and_grad=_elongated_bowl,
    minima=np.array([[0.0, 0.0]]),
    global_minima=np.array([[0.0, 0.0]]),
)

OBJECTIVES = {o.name: o for o in (PARABOLA, TRIPLE_WELL, SIN_HILLS, ELONGATED_BOWL)}
