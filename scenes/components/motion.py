"""Time: the tracker that says which step a figure shows, stepping it at an even pace,
and reading a precomputed array at a fractional step."""

from __future__ import annotations

import numpy as np
from manim import Animation, ValueTracker, linear


class StepTracking:
    """A scene mixin: ``self.tracker``, the ValueTracker of the step shown (fractional
    between steps), made on first use so that any step method may come first."""

    @property
    def tracker(self) -> ValueTracker:
        if not hasattr(self, "_tracker"):
            self._tracker = ValueTracker(0)
        return self._tracker


def at_step(array: np.ndarray, t: float) -> np.ndarray:
    """``array`` ``(steps + 1, ...)`` at fractional step ``t`` (clipped to the steps),
    linearly between steps.

    >>> at_step(np.array([[0.0, 0.0], [2.0, 4.0], [3.0, 4.0]]), 0.25)
    array([0.5, 1. ])
    >>> at_step(np.array([[0.0], [2.0]]), 7.0)
    array([2.])
    """
    last = array.shape[0] - 1
    t = float(np.clip(t, 0, last))
    k = min(int(t), max(last - 1, 0))
    there = array[min(k + 1, last)]
    return array[k] + (t - k) * (there - array[k])


def run_steps(tracker: ValueTracker, last: float, run_time: float) -> Animation:
    """The descent itself: ``tracker`` runs from where it is to step ``last`` at an even
    pace (every step takes the same time); the marks and readouts follow it."""
    return tracker.animate(run_time=run_time, rate_func=linear).set_value(last)
