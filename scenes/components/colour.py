"""Colour by height: the theme's height scale as rgb, as manim pivots, and as an image
stretched over a pair of axes (any image: ``stretch_over``)."""

from __future__ import annotations

import numpy as np
from manim import Axes, ImageMobject

from scenes import theme


def height_rgb(values: np.ndarray, low: float, high: float, theme_name: str | None = None) -> np.ndarray:
    """Colour ``values`` on the height scale: ``(...)`` -> ``(..., 3)`` floats in [0, 1]; in
    the theme in force, or in theme ``theme_name`` (a page that carries both palettes)."""
    stops = np.array([theme.in_theme(c, theme_name or theme.current()).to_rgb() for c in theme.HEIGHT_SCALE])
    values = np.where(np.isnan(values), low, values)  # undefined: the lowest colour (a map masks it)
    position = np.clip((values - low) / (high - low), 0.0, 1.0) * (len(stops) - 1)
    knots = np.arange(len(stops))
    return np.stack([np.interp(position, knots, stops[:, k]) for k in range(3)], axis=-1)


def colorscale(low: float, high: float) -> list[tuple]:
    """The height scale as manim's ``(colour, value)`` pivots, for ``Surface.set_fill_by_value``."""
    pivots = np.linspace(low, high, len(theme.HEIGHT_SCALE))
    return list(zip(theme.HEIGHT_SCALE, pivots))


def image_rows(grid: np.ndarray) -> np.ndarray:
    """A grid indexed ``[i, j]`` over (x, y), ``(nx, ny, ...)``, as image rows: ``(ny, nx, ...)``,
    rows top to bottom (y descending), columns left to right (x ascending).

    >>> image_rows(np.array([[1, 2], [3, 4]]))  # x = 0: (1, 2) at y = 0, 1; x = 1: (3, 4)
    array([[2, 4],
           [1, 3]])
    """
    return np.swapaxes(grid, 0, 1)[::-1]


def height_pixels(
    heights: np.ndarray, low: float, high: float, alpha: bool = False, theme_name: str | None = None
) -> np.ndarray:
    """``heights`` ``(nx, ny)`` (indexed ``[i, j]`` over x and y) coloured on the height
    scale (of theme ``theme_name``, default the process's) as image pixels ``(ny, nx, 3 or
    4)`` uint8 (opaque alpha when ``alpha``, but transparent where the function is undefined, nan).
    Values beyond ``[low, high]`` take the end colours (inf the highest)."""
    rgb = height_rgb(heights, low, high, theme_name)
    if alpha:
        rgb = np.concatenate([rgb, (~np.isnan(heights))[..., None].astype(float)], axis=-1)
    return (image_rows(rgb) * 255).round().astype(np.uint8)


def heat_map(axes: Axes, heights: np.ndarray, low: float, high: float) -> ImageMobject:
    """An image of ``heights`` (``(nx, ny)``, indexed ``[i, j]`` over the axes' x and y
    ranges) coloured by height and stretched over ``axes``' plotting area."""
    image = ImageMobject(height_pixels(heights, low, high, alpha=True))
    (x0, x1), (y0, y1) = axes.x_range[:2], axes.y_range[:2]
    return stretch_over(image, axes, (x0, y0), (x1, y1))


def stretch_over(image: ImageMobject, axes: Axes, lower_left, upper_right) -> ImageMobject:
    """Stretch ``image`` over the rectangle of ``axes`` from the data point ``lower_left``
    to ``upper_right`` (each ``(x, y)``); returns it."""
    low, high = axes.c2p(*lower_left), axes.c2p(*upper_right)
    image.stretch_to_fit_width(high[0] - low[0])
    image.stretch_to_fit_height(high[1] - low[1])
    return image.move_to((low + high) / 2)
