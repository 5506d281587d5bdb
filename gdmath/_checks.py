"""Validation at the edge: every public function checks its input here and
names the bad value in the error, so a scene or a CLI flag fails loudly and early."""

from __future__ import annotations

import numpy as np


def as_points(p, dim: int, name: str = "p") -> np.ndarray:
    """Return ``p`` as a float array of shape ``(..., dim)``.

    >>> as_points([1, 2], 2).shape
    (2,)
    >>> as_points([1, 2, 3], 2)
    Traceback (most recent call last):
    ...
    ValueError: p must have shape (..., 2), got shape (3,)
    """
    arr = np.asarray(p, dtype=float)
    if arr.ndim == 0 or arr.shape[-1] != dim:
        raise ValueError(f"{name} must have shape (..., {dim}), got shape {arr.shape}")
    return arr


def finite(arr: np.ndarray, name: str) -> np.ndarray:
    """Raise ``ValueError`` if ``arr`` holds NaN or infinity, echoing the first bad entry."""
    bad = ~np.isfinite(arr)
    if bad.any():
        first = np.argwhere(bad)[0]
        raise ValueError(
            f"{name} must be finite, got {arr[tuple(first)]} at index {tuple(int(i) for i in first)}"
        )
    return arr


def positive(value: float, name: str) -> float:
    """Return ``value`` as a float if it is a finite number > 0.

    >>> positive(float("inf"), "alpha")
    Traceback (most recent call last):
    ...
    ValueError: alpha must be finite and > 0, got inf
    """
    value = float(value)
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be finite and > 0, got {value:g}")
    return value


def count(value: int, name: str, minimum: int = 0) -> int:
    """Return ``value`` as an int if it is a whole number >= ``minimum``."""
    if isinstance(value, bool) or int(value) != value:
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def samples(x, y) -> tuple[np.ndarray, np.ndarray]:
    """Return ``x`` and ``y`` as equal-length, finite, 1-D float arrays with at least one sample."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.ndim != 1 or y.ndim != 1 or x.shape != y.shape:
        raise ValueError(
            f"x and y must be 1-D arrays of equal length, got shapes {x.shape} and {y.shape}"
        )
    if x.size == 0:
        raise ValueError("x and y must hold at least one sample, got 0")
    return finite(x, "x"), finite(y, "y")
