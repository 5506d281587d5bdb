"""Linear regression by gradient descent, as in the post's "Implementation" section.

The model is always the line ``yhat = w x + b``; the loss is the mean squared error.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import count, finite, positive, samples
from .descent import VALUE_LIMIT

#: The post's data: 100 points on [-2, 2], true line w=2, b=1, noise N(0, 0.5^2).
N_SAMPLES = 100
X_RANGE = (-2.0, 2.0)
TRUE_W, TRUE_B = 2.0, 1.0
NOISE = 0.5
#: The post's training run.
ALPHA = 0.015
ITERATIONS = 100
#: The data's seed and a fixed start (the post draws w0, b0 from uniform(0, 1)), chosen
#: by a search over seeds 0-1999 and starts on a 0.01 grid in [0, 1]^2 so that the log
#: of the default run matches the post's printed log (2.997, 1.483, ..., 0.317) to within
#: 0.001 at every line.
DATA_SEED = 277
START_W, START_B = 0.62, 0.90


def _noisy(curve: np.ndarray, noise: float, seed: int) -> np.ndarray:
    if noise < 0 or not np.isfinite(noise):
        raise ValueError(f"noise must be >= 0, got {noise:g}")
    return curve + np.random.default_rng(seed).normal(0.0, noise, curve.shape)


def _inputs(n: int) -> np.ndarray:
    return np.linspace(*X_RANGE, count(n, "n", minimum=1))


def make_linear_data(
    n: int = N_SAMPLES, w: float = TRUE_W, b: float = TRUE_B, noise: float = NOISE, seed: int = DATA_SEED
) -> tuple[np.ndarray, np.ndarray]:
    """Samples of the line ``y = w x + b`` plus Gaussian noise: ``(x, y)``, each ``(n,)``.

    ``x`` is evenly spaced on [-2, 2]; the noise has standard deviation ``noise``.

    >>> x, y = make_linear_data(n=5, noise=0.0)
    >>> y
    array([-3., -1.,  1.,  3.,  5.])
    """
    x = _inputs(n)
    return x, _noisy(w * x + b, noise, seed)


def make_parabolic_data(
    n: int = N_SAMPLES,
    a: float = 1.0,
    b: float = 0.0,
    c: float = 0.0,
    noise: float = NOISE,
    seed: int = DATA_SEED,
) -> tuple[np.ndarray, np.ndarray]:
    """Samples of the parabola ``y = a x^2 + b x + c`` plus Gaussian noise: ``(x, y)``, each ``(n,)``.

    >>> x, y = make_parabolic_data(n=3, noise=0.0)
    >>> y
    array([4., 0., 4.])
    """
    x = _inputs(n)
    return x, _noisy(a * x * x + b * x + c, noise, seed)


def line(x, w: float, b: float) -> np.ndarray:
    """The model's prediction ``w x + b`` (the post's ``line_func``)."""
    return w * np.asarray(x, dtype=float) + b


def mse(y, yhat) -> float:
    """Mean squared error between equal-shape arrays (the post's ``MSE``).

    >>> mse([1.0, 2.0], [1.0, 4.0])
    2.0
    """
    y = np.asarray(y, dtype=float)
    yhat = np.asarray(yhat, dtype=float)
    if y.shape != yhat.shape:
        raise ValueError(f"y and yhat must have the same shape, got {y.shape} and {yhat.shape}")
    return float(np.sum(np.square(y - yhat)) / y.size)


@dataclass(frozen=True)
class FitHistory:
    """Every iteration of a line fit, each array ``(iterations + 1,)``.

    Entry ``i < iterations`` is the state at the start of iteration ``i`` and its loss,
    computed before that iteration's update (as the post's loop prints it); the last
    entry is the final state. ``frozen_at`` is the iteration at which a runaway fit
    (loss past ``VALUE_LIMIT``) stopped moving, -1 if never: entries after it repeat it.
    """

    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    alpha: float
    frozen_at: int = -1

    @property
    def iterations(self) -> int:
        return self.w.size - 1

    @property
    def diverged(self) -> bool:
        """The fit ran away (its loss passed ``VALUE_LIMIT``), or ended above its start."""
        return self.frozen_at >= 0 or bool(self.loss[-1] > self.loss[0])


#: Where a step that would overflow float64 stops (a quarter of its largest value: sums of a
#: few such numbers stay finite).
FARTHEST = np.finfo(float).max / 4


def fit_line(
    x,
    y,
    alpha: float = ALPHA,
    iterations: int = ITERATIONS,
    w0: float = START_W,
    b0: float = START_B,
) -> FitHistory:
    """Fit ``y ~ w x + b`` by gradient descent on the MSE, with the post's arithmetic.

    A step size above :func:`max_stable_alpha` makes the loss grow without end: once it
    passes ``VALUE_LIMIT`` (as :func:`gradient_descent` does) the fit is frozen where it
    got to (``frozen_at``); a step that would overflow stops at ``FARTHEST``. So ``w`` and
    ``b`` stay finite (the loss may be inf) and no floating-point warning is raised; below
    the limit every number is the post's loop's.

    Args:
        x, y: samples, ``(N,)`` each.
        alpha: learning rate, > 0.
        iterations: number of updates, >= 0.
        w0, b0: the starting line.

    >>> x, y = make_linear_data(noise=0.0)
    >>> h = fit_line(x, y, alpha=0.1, iterations=500, w0=0.0, b0=0.0)
    >>> round(float(h.w[-1]), 6), round(float(h.b[-1]), 6), h.loss.shape
    (2.0, 1.0, (501,))
    """
    x, y = samples(x, y)
    alpha = positive(alpha, "alpha")
    iterations = count(iterations, "iterations")
    w0 = float(finite(np.asarray(w0, dtype=float), "w0"))
    b0 = float(finite(np.asarray(b0, dtype=float), "b0"))

    w = np.empty(iterations + 1)
    b = np.empty(iterations + 1)
    loss = np.empty(iterations + 1)
    w[0], b[0] = w0, b0
    n = x.size
    frozen_at = -1
    with np.errstate(all="ignore"):  # a runaway step may overflow: it is caught below, not warned about
        for i in range(iterations + 1):
            error = y - (w[i] * x + b[i])
            loss[i] = np.sum(np.square(error)) / n
            if i == iterations:
                break
            if not loss[i] <= VALUE_LIMIT:  # also False for inf and nan
                frozen_at = i
                w[i + 1:], b[i + 1:], loss[i + 1:] = w[i], b[i], loss[i]
                break
            dw = -2 * np.sum(x * error) / n
            db = -2 * np.sum(error) / n
            # a step past float64's range goes as far as it reaches (then the loss freezes it)
            w[i + 1] = np.clip(w[i] - alpha * dw, -FARTHEST, FARTHEST)
            b[i + 1] = np.clip(b[i] - alpha * db, -FARTHEST, FARTHEST)
    return FitHistory(w=w, b=b, loss=loss, alpha=alpha, frozen_at=frozen_at)


def loss_surface(x, y, ws, bs) -> np.ndarray:
    """MSE of the line ``(w, b)`` for every ``w`` in ``ws`` and ``b`` in ``bs``: ``(len(ws), len(bs))``.

    Computed from the data's centred sufficient statistics (as :func:`loss_profile` and
    :func:`least_squares_line`), so its cost depends on the grid, not on the number of
    samples, and data far from the origin (x around 1e6) loses nothing to cancellation:
    with ``w*`` the least-squares slope and ``r`` the least-squares residual,

        MSE(w, b) = var(x) (w - w*)^2 + r + (mean y - w mean x - b)^2,

    a sum of three terms that are each >= 0 as computed, so the surface is never
    negative and needs no clamp.

    >>> x, y = make_linear_data(n=4, noise=0.0)
    >>> loss_surface(x, y, [2.0, 0.0], [1.0]).round(12)
    array([[0.        ],
           [8.88888889]])
    """
    x, y = samples(x, y)
    ws = finite(np.asarray(ws, dtype=float), "ws")
    bs = finite(np.asarray(bs, dtype=float), "bs")
    if ws.ndim != 1 or bs.ndim != 1:
        raise ValueError(f"ws and bs must be 1-D, got shapes {ws.shape} and {bs.shape}")
    mx, my = x.mean(), y.mean()
    dx, dy = x - mx, y - my
    vx = float(np.mean(dx * dx))
    best_w = float(np.mean(dx * dy)) / vx if vx > 0 else 0.0  # any slope fits a constant x
    residual = float(np.mean((dy - best_w * dx) ** 2))
    slope_cost = vx * (ws - best_w) ** 2  # (len(ws),): the valley's floor above its bottom
    offset = (my - ws * mx)[:, None] - bs[None, :]  # how far b is from the best b for this w
    surface = offset * offset
    surface += (slope_cost + residual)[:, None]
    return surface


def _centred_moments(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float, float]:
    """``(mean x, mean y, var x, cov xy, var y)`` with the 1/N convention of the MSE."""
    mx, my = x.mean(), y.mean()
    dx, dy = x - mx, y - my
    return mx, my, float(np.mean(dx * dx)), float(np.mean(dx * dy)), float(np.mean(dy * dy))


def loss_profile(x, y, ws) -> tuple[np.ndarray, np.ndarray]:
    """The floor of the loss landscape along ``w``: for each ``w`` in ``ws`` the lowest
    MSE over all ``b``, and the ``b`` that reaches it: ``(loss, best_b)``, each ``(len(ws),)``.

    For a fixed slope the best intercept is ``mean(y) - w mean(x)``, and the loss there is
    ``var(y) - 2 w cov(x, y) + w^2 var(x)`` (1/N moments): a parabola in ``w`` whose
    minimum is the least-squares line's loss (see :func:`least_squares_line`). This is the
    slice the "Comparison of Losses" figure draws, following the landscape's valley rather
    than a fixed ``b``. Cost: one pass over the samples, then ``O(len(ws))``.

    >>> x, y = make_linear_data(n=5, noise=0.0)
    >>> loss, best_b = loss_profile(x, y, [2.0, 1.0])
    >>> loss.round(12), best_b
    (array([0., 2.]), array([1., 1.]))
    """
    x, y = samples(x, y)
    ws = finite(np.asarray(ws, dtype=float), "ws")
    if ws.ndim != 1:
        raise ValueError(f"ws must be 1-D, got shape {ws.shape}")
    mx, my, vx, cxy, vy = _centred_moments(x, y)
    loss = vy - 2.0 * ws * cxy + ws * ws * vx
    return np.maximum(loss, 0.0), my - ws * mx  # clipped at 0 against rounding at an exact fit


def least_squares_line(x, y) -> tuple[float, float, float]:
    """The exact minimum of the MSE over all lines: ``(w, b, loss)``.

    What gradient descent approaches; the bottom of :func:`loss_surface` and of
    :func:`loss_profile`. Raises ``ValueError`` when all ``x`` are equal (no slope).

    >>> x, y = make_linear_data(n=5, noise=0.0)
    >>> tuple(round(v, 12) for v in least_squares_line(x, y))
    (2.0, 1.0, 0.0)
    """
    x, y = samples(x, y)
    mx, my, vx, cxy, vy = _centred_moments(x, y)
    if vx == 0:
        raise ValueError(f"x must not be constant, got every x = {mx:g}")
    w = cxy / vx
    return float(w), float(my - w * mx), float(max(vy - cxy * w, 0.0))


#: ``alpha=auto`` takes this share of :func:`max_stable_alpha`: fast, and with room for rounding.
AUTO_ALPHA_FRACTION = 0.5


def mse_hessian(x) -> np.ndarray:
    """The Hessian of the MSE of ``w x + b`` over ``(w, b)``: ``2 E[[x^2, x], [x, 1]]``, ``(2, 2)``.

    It does not depend on ``y`` nor on the point: the loss is a quadratic bowl.

    >>> mse_hessian([-1.0, 1.0])
    array([[2., 0.],
           [0., 2.]])
    """
    x, _ = samples(x, np.zeros_like(np.asarray(x, dtype=float)))
    mean_x, mean_xx = float(np.mean(x)), float(np.mean(x * x))
    return 2.0 * np.array([[mean_xx, mean_x], [mean_x, 1.0]])


def max_stable_alpha(x) -> float:
    """The step size above which plain descent on the MSE of a line diverges: ``2 / lambda_max``
    of :func:`mse_hessian` (each step multiplies the error along the top eigenvector by
    ``1 - alpha lambda_max``, which leaves [-1, 1] beyond it).

    The post's ``x`` in [-2, 2] allows up to about 0.74, so its 0.015 is safe; house prices in
    the thousands allow far less.

    >>> round(max_stable_alpha(np.linspace(-2, 2, 100)), 4)
    0.7351
    """
    return float(2.0 / np.linalg.eigvalsh(mse_hessian(x))[-1])


def auto_alpha(x) -> float:
    """The step size ``alpha=auto`` picks: :data:`AUTO_ALPHA_FRACTION` of :func:`max_stable_alpha`."""
    return AUTO_ALPHA_FRACTION * max_stable_alpha(x)
