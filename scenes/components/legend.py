"""Legends: a key is a mark with its text to the right; a line swatch stands for a path."""

from __future__ import annotations

from manim import LEFT, RIGHT, Line, Mobject, VGroup

from scenes import theme
from scenes.components.text import label


def legend_entry(mark: Mobject, text: str, size: float = theme.SMALL_SIZE) -> VGroup:
    """A key of a legend: ``mark`` with ``text`` to its right."""
    return VGroup(mark, label(text, size=size)).arrange(RIGHT, buff=theme.LEGEND_GAP)


def swatch(color=theme.TEXT, stroke_width: float = theme.LEGEND_SWATCH_STROKE) -> Line:
    """A short line through the origin, ``theme.LEGEND_SWATCH`` long: a path's mark in a legend."""
    half = theme.LEGEND_SWATCH / 2
    return Line(half * LEFT, half * RIGHT, color=color, stroke_width=stroke_width)


def coloured_entry(color, text: str, size: float = theme.SMALL_SIZE) -> VGroup:
    """A key for one coloured path: its swatch and ``text``, both in ``color``."""
    entry = legend_entry(swatch(color), text, size=size)
    entry[1].set_color(color)
    return entry
