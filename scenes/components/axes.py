"""Axes in the theme: plane, 3-D and log-scaled axes, their tick values and labels, and
a matplotlib-like frame around a plot."""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from manim import DOWN, LEFT, Axes, Line, LogBase, Rectangle, ThreeDAxes, VGroup

from scenes import theme
from scenes.components.numbers import number_text, power_of_ten
from scenes.components.text import label


def plane_axes(
    x_range: Sequence[float], y_range: Sequence[float], x_length: float, y_length: float, ticks: bool = True
) -> Axes:
    """2-D axes in the theme; ranges are ``(min, max, tick step)``."""
    return Axes(
        x_range=x_range,
        y_range=y_range,
        x_length=x_length,
        y_length=y_length,
        tips=False,
        axis_config={"color": theme.AXIS, "stroke_width": theme.AXIS_STROKE, "include_ticks": ticks},
    )


def surface_axes(
    x_range: Sequence[float], y_range: Sequence[float], z_range: Sequence[float], lengths: Sequence[float]
) -> ThreeDAxes:
    """3-D axes in the theme; ``lengths`` are the (x, y, z) lengths on screen."""
    x_length, y_length, z_length = lengths
    return ThreeDAxes(
        x_range=x_range,
        y_range=y_range,
        z_range=z_range,
        x_length=x_length,
        y_length=y_length,
        z_length=z_length,
        tips=False,
        axis_config={"color": theme.AXIS, "stroke_width": theme.AXIS_STROKE, "include_ticks": False},
    )


def decade_range(values, floor: float, max_intervals: int) -> tuple[int, int, int]:
    """Exponents ``(lo, hi, step)`` for a log axis over the positive ``values`` that reaches
    down at least to ``floor``; ``step`` is 1, 2, 4, ... so that there are at most
    ``max_intervals`` ticks gaps, and ``lo``, ``hi`` are multiples of it.

    >>> decade_range([4.5, 0.75], 1e-8, 7)
    (-8, 2, 2)
    >>> decade_range([4.5, 1.02e18], 1e-8, 7)
    (-8, 20, 4)
    """
    values = np.asarray(values, dtype=float)
    positive = values[np.isfinite(values) & (values > 0)]
    lo = math.floor(math.log10(min(positive.min(initial=floor), floor)))
    hi = max(math.ceil(math.log10(positive.max(initial=floor))), lo + 1)
    step = 1
    while math.ceil(hi / step) - math.floor(lo / step) > max_intervals:
        step *= 2
    return step * math.floor(lo / step), step * math.ceil(hi / step), step


def log_axes(
    x_range: Sequence[float], decades: tuple[int, int, int], x_length: float, y_length: float
) -> Axes:
    """2-D axes in the theme whose y axis is logarithmic over the powers of ten
    ``decades = (lo, hi, step)``; ``c2p(x, value)`` takes the values themselves."""
    lo, hi, step = decades
    return Axes(
        x_range=x_range,
        y_range=[lo, hi, step],
        x_length=x_length,
        y_length=y_length,
        tips=False,
        axis_config={"color": theme.AXIS, "stroke_width": theme.AXIS_STROKE},
        y_axis_config={"scaling": LogBase()},
    )


def tick_labels(
    axes: Axes, xs: Sequence[float], exponents: Sequence[int], size: float = theme.LR_TICK_SIZE
) -> VGroup:
    """Labels under the x ticks at ``xs`` and, left of the y ticks, ``10ᵏ`` for each of
    ``exponents`` (the y axis is a :func:`log_axes` one)."""
    y_floor = 10.0 ** axes.y_range[0]
    x_labels = (
        label(f"{x:g}", size=size).next_to(axes.c2p(x, y_floor), DOWN, buff=theme.TICK_LABEL_BUFF) for x in xs
    )
    y_labels = (
        label(power_of_ten(k), size=size).next_to(
            axes.c2p(axes.x_range[0], 10.0**k), LEFT, buff=theme.TICK_LABEL_BUFF
        )
        for k in exponents
    )
    return VGroup(*x_labels, *y_labels)


def ticks(axis_range) -> np.ndarray:
    """The multiples of ``step`` within an axis range ``(min, max, step)``.

    >>> ticks((-1.5, 4.0, 1.0))
    array([-1.,  0.,  1.,  2.,  3.,  4.])
    """
    low, high, step = axis_range
    return step * np.arange(np.ceil(low / step - 1e-9), np.floor(high / step + 1e-9) + 1)


def framed_plot(axes, x_ticks, y_ticks, names: tuple[str, str], grid: bool = True) -> VGroup:
    """A plot frame in the manner of the post's matplotlib figures, around ``axes``'
    plotting area: faint grid lines at the ticks (optional), the frame, tick labels on
    the bottom and left edges, and the axis ``names`` beyond them. ``axes`` itself only
    places things; it is not drawn."""
    (x0, x1), (y0, y1) = axes.x_range[:2], axes.y_range[:2]
    low, high = axes.c2p(x0, y0), axes.c2p(x1, y1)
    frame = Rectangle(width=high[0] - low[0], height=high[1] - low[1], color=theme.AXIS,
                      stroke_width=theme.AXIS_STROKE).move_to((low + high) / 2)
    lines = VGroup()
    if grid:
        lines.add(*(Line(axes.c2p(x, y0), axes.c2p(x, y1)) for x in x_ticks))
        lines.add(*(Line(axes.c2p(x0, y), axes.c2p(x1, y)) for y in y_ticks))
        lines.set_stroke(theme.GRID, width=theme.AXIS_STROKE)
    x_labels = VGroup(*(label(number_text(x), size=theme.REG_TICK_SIZE).next_to(axes.c2p(x, y0), DOWN, buff=theme.FRAME_TICK_BUFF)
                        for x in x_ticks))
    y_labels = VGroup(*(label(number_text(y), size=theme.REG_TICK_SIZE).next_to(axes.c2p(x0, y), LEFT, buff=theme.FRAME_TICK_BUFF)
                        for y in y_ticks))
    x_name = label(names[0]).next_to(x_labels, DOWN, buff=theme.FRAME_X_NAME_BUFF)
    y_name = label(names[1]).next_to(y_labels, LEFT, buff=theme.FRAME_Y_NAME_BUFF)
    return VGroup(lines, frame, x_labels, y_labels, x_name, y_name)
