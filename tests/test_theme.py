"""The two palettes read on their page: WCAG contrast against the theme's background,
and descending points that differ from each other and from the height scale.

Thresholds (WCAG 2.1): text 4.5 (1.4.3, normal text); marks 3 (1.4.11, graphical
objects: the curves, paths, points, arrows and axes a reader must see). A label set in a
mark's colour (a legend entry, "diverged", the alpha in a title) is held to 3 as well:
at the published 1080p it is large text (1.4.3 allows 3 for it); the body text is not.
Every check runs over both themes, whichever one this process renders.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import ManimColor

from scenes import theme
from scenes.theme import ThemedColor, in_theme

TEXT_CONTRAST = 4.5
MARK_CONTRAST = 3.0
# CIELAB distance (CIE76): ~2.3 is a just-noticeable difference. Twelve points in one
# figure need clearly different colours (the dark palette's closest pair, two pinks, is 19
# apart) and none may melt into the map under it (the closest, dark's white points and
# plain descent on the map's pale top, are 27 and 24 apart).
POINT_SEPARATION = 18.0
POINT_TO_MAP = 24.0

TEXT = {"TEXT": theme.TEXT, "MUTED_TEXT": theme.MUTED_TEXT}
MARKS = {
    "AXIS": theme.AXIS,
    "CURVE": theme.CURVE,
    "TRUE_CURVE": theme.TRUE_CURVE,
    "PREDICTION": theme.PREDICTION,
    "SAMPLE": theme.SAMPLE,
    "GRADIENT_ARROW": theme.GRADIENT_ARROW,
    "FIELD_ARROW": theme.FIELD_ARROW,
    "GLOBAL_MIN": theme.GLOBAL_MIN,
    "LOCAL_MIN": theme.LOCAL_MIN,
    "LR_PATH": theme.LR_PATH,
    "LR_OFF_MAP": theme.LR_OFF_MAP,
    **{f"POINT_COLORS[{k}]": c for k, c in enumerate(theme.POINT_COLORS)},
    **{f"OPT_COLORS[{name}]": c for name, c in theme.OPT_COLORS.items()},
    **{f"BASIN_COLORS[{k}]": c for k, c in enumerate(theme.BASIN_COLORS)},
}


def luminance(colour: ManimColor) -> float:
    """WCAG relative luminance of an sRGB colour."""
    rgb = np.asarray(colour.to_rgb(), dtype=float)
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast(a: ManimColor, b: ManimColor) -> float:
    """WCAG contrast ratio, 1 (same) to 21 (black on white)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def lab(colour: ManimColor) -> np.ndarray:
    """CIELAB (D65) of an sRGB colour."""
    rgb = np.asarray(colour.to_rgb(), dtype=float)
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    to_xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = to_xyz @ linear / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def low_contrast(colours: dict[str, ManimColor], name: str, minimum: float) -> list[str]:
    """The colours of ``colours`` that, in theme ``name``, fall short of ``minimum`` on its background."""
    page = theme.BACKGROUND.by_theme[name]
    ratios = {key: contrast(in_theme(c, name), page) for key, c in colours.items()}
    return [f"{key} {in_theme(colours[key], name).to_hex()}: {r:.2f} < {minimum}" for key, r in ratios.items() if r < minimum]


def test_contrast_matches_wcag_examples():
    white, black = ManimColor("#FFFFFF"), ManimColor("#000000")
    assert contrast(white, black) == pytest.approx(21.0)
    assert contrast(ManimColor("#767676"), white) == pytest.approx(4.54, abs=0.01)  # the lightest AA grey
    assert contrast(white, white) == 1.0


def test_the_check_catches_a_pale_mark():
    """A colour fine on dark but pale grey on white is reported, for light only."""
    pale = {"PALE": ThemedColor("#E6E9EF", "#C8CCD2")}
    assert low_contrast(pale, "dark", MARK_CONTRAST) == []
    assert low_contrast(pale, "light", MARK_CONTRAST) == ["PALE #C8CCD2: 1.61 < 3.0"]


@pytest.mark.parametrize("name", theme.THEMES)
def test_text_reads_on_the_page(name):
    assert low_contrast(TEXT, name, TEXT_CONTRAST) == []


@pytest.mark.parametrize("name", theme.THEMES)
def test_marks_read_on_the_page(name):
    assert low_contrast(MARKS, name, MARK_CONTRAST) == []


def closest_pairs(first: list, second: list, name: str, minimum: float) -> list[str]:
    """Pairs (one of ``first``, one of ``second``, not the same entry) closer than ``minimum`` in CIELAB."""
    pairs = []
    for i, a in enumerate(first):
        for j, b in enumerate(second):
            if first is second and j <= i:
                continue
            distance = float(np.linalg.norm(lab(in_theme(a, name)) - lab(in_theme(b, name))))
            if distance < minimum:
                pairs.append(f"{in_theme(a, name).to_hex()} and {in_theme(b, name).to_hex()}: {distance:.1f}")
    return pairs


@pytest.mark.parametrize("name", theme.THEMES)
def test_points_differ_from_each_other_and_from_the_map(name):
    points, scale = theme.POINT_COLORS, theme.HEIGHT_SCALE
    assert closest_pairs(points, points, name, POINT_SEPARATION) == []
    assert closest_pairs(points, scale, name, POINT_TO_MAP) == []


@pytest.mark.parametrize("name", theme.THEMES)
def test_optimizers_differ_from_each_other_and_from_the_map(name):
    rules = list(theme.OPT_COLORS.values())
    assert closest_pairs(rules, rules, name, POINT_SEPARATION) == []
    assert closest_pairs(rules, theme.HEIGHT_SCALE, name, POINT_TO_MAP) == []
