"""Text in the theme: titles, headings with a formula, labels, stacked readouts, and
readouts typeset once then recomposed from glyph outlines (no Pango per frame)."""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from manim import DL, DOWN, LEFT, RIGHT, UP, MathTex, Mobject, Text, ValueTracker, VGroup, VMobject, config

from scenes import theme


def title(text: str) -> Text:
    """The figure's title (the post's caption), at the top edge."""
    return Text(text, font=theme.FONT, font_size=theme.TITLE_SIZE, color=theme.TEXT).to_edge(UP, buff=theme.EDGE_BUFF)


def label(text: str, size: float = theme.LABEL_SIZE, color=theme.MUTED_TEXT) -> Text:
    """A line of text in the theme's font (``size``: one of the theme's sizes)."""
    return Text(text, font=theme.FONT, font_size=size, color=color)


#: The tallest a heading's formula may be (the post's own are at most 0.55, with \tfrac): a
#: typed function's \frac is shrunk to it, so the figure below keeps its place.
FORMULA_MAX_HEIGHT = 0.6


def heading(caption: str, tex: str) -> VGroup:
    """The figure's title (the post's caption) with the function's formula beside it, at the top
    (a formula too long for the frame or too tall, such as a typed one, is shrunk to fit)."""
    formula = MathTex(tex, font_size=theme.FORMULA_SIZE, color=theme.MUTED_TEXT)
    head = title(caption)
    room = config.frame_width - 2 * theme.EDGE_BUFF - head.width - theme.HEADING_GAP
    if formula.width > room:
        formula.scale_to_fit_width(room)
    if formula.height > FORMULA_MAX_HEIGHT:
        formula.scale_to_fit_height(FORMULA_MAX_HEIGHT)
    titled = VGroup(head, formula).arrange(RIGHT, buff=theme.HEADING_GAP, aligned_edge=DOWN)
    return titled.to_edge(UP, buff=theme.EDGE_BUFF)


def readout(lines: Sequence[str], size: float = theme.READOUT_SIZE, color=theme.TEXT) -> VGroup:
    """Lines of text stacked and left-aligned, e.g. a value readout rebuilt once per step."""
    rows = VGroup(*(label(line, size=size, color=color) for line in lines))
    return rows.arrange(DOWN, aligned_edge=LEFT, buff=theme.READOUT_LINE_GAP)


class GlyphSet:
    """Outlines and advances of some characters in the theme font, typeset once.

    Building a ``Text`` costs ~35 ms (Pango, then SVG parsing), so readouts rebuilt at
    every step of four panels cost seconds per render. A GlyphSet typesets every
    character it may need in one ``Text``, each between two "0"s, measures where the pen
    goes after each (spaces included), and then lays out any string of them by copying
    outlines: no Pango, no SVG. Kerning is ignored (the theme font does not kern the
    readouts' digits and symbols).
    """

    def __init__(self, chars: str, size: float, color) -> None:
        others = sorted(set(chars) - {"0"})
        specimen = label("00" + "".join(c + "0" for c in others), size=size, color=color)
        glyphs = list(specimen.submobjects)  # one per visible character, in order
        self.style = glyphs[0]
        base = glyphs[0].get_bottom()[1]  # "0" sits on the baseline
        left = [g.get_left()[0] for g in glyphs]
        zero_advance = left[1] - left[0]
        self.outline = {"0": glyphs[0].points - np.array([left[0], base, 0.0])}
        self.advance = {" ": 0.0, "0": zero_advance}
        i = 1  # the "0" before the next character
        for c in others:
            pen = left[i] + zero_advance
            if not c.isspace():
                self.outline[c] = glyphs[i + 1].points - np.array([pen, base, 0.0])
                i += 1
            self.advance[c] = left[i + 1] - pen
            i += 1

    def lay_out(self, text: str) -> list[np.ndarray]:
        """The outlines of ``text``'s visible characters, ``(k, 3)`` arrays each, with the
        pen starting at the origin on the baseline."""
        unknown = sorted(set(text) - set(self.advance))
        if unknown:
            raise ValueError(f"no glyph for {''.join(unknown)!r}; typeset them in the GlyphSet")
        pen, outlines = 0.0, []
        for c in text:
            if c in self.outline:
                outlines.append(self.outline[c] + np.array([pen, 0.0, 0.0]))
            pen += self.advance[c]
        return outlines


class GlyphReadout(VMobject):
    """A one-line readout of ``texts[key()]``, recomposed from a :class:`GlyphSet` only
    when ``key()`` changes; a negative key hides it (the last text stays, transparent).

    All glyphs are one VMobject (one path per glyph contour), so a frame draws it in one
    go. ``texts`` are all the strings it may show. Place it after creation; its
    ``aligned_edge`` corner stays where it was put (``DL``: the baseline stays and the
    text grows to the right; ``UR``: it grows to the left). ``.shown`` is the key shown.
    """

    def __init__(
        self,
        key: Callable[[], int],
        texts: Sequence[str],
        size: float = theme.READOUT_SIZE,
        color=theme.TEXT,
        aligned_edge: np.ndarray = DL,
    ) -> None:
        super().__init__()
        self.texts = list(texts)
        self.glyphs = GlyphSet("".join(self.texts), size, color)
        self.match_style(self.glyphs.style)
        self.key, self.aligned_edge = key, aligned_edge
        self.shown = key()
        self.compose(max(self.shown, 0))
        self.set_fill(opacity=1.0 if self.shown >= 0 else 0.0)
        self.add_updater(lambda readout: readout.follow())

    def compose(self, k: int) -> None:
        outlines = self.glyphs.lay_out(self.texts[k])
        corner = self.get_critical_point(self.aligned_edge) if self.has_points() else None
        self.set_points(np.vstack(outlines) if outlines else np.zeros((0, 3)))
        if corner is not None and self.has_points():
            self.shift(corner - self.get_critical_point(self.aligned_edge))

    def follow(self) -> None:
        k = self.key()
        if k == self.shown:
            return
        if k >= 0:
            self.compose(k)
        self.set_fill(opacity=1.0 if k >= 0 else 0.0)
        self.shown = k


def step_readout(
    tracker: ValueTracker,
    last: int,
    text_of: Callable[[int], str],
    size: int = theme.READOUT_SIZE,
    color=theme.TEXT,
    aligned_edge: np.ndarray = DL,
) -> GlyphReadout:
    """``text_of(k)`` for the step ``k`` the tracker has reached (rounded down, at most
    ``last``), e.g. ``lambda k: f"loss {sci(values[k])}"``; recomposed once per step."""

    def reached() -> int:
        return int(np.clip(np.floor(tracker.get_value() + 1e-9), 0, last))

    return GlyphReadout(reached, [text_of(k) for k in range(last + 1)], size, color, aligned_edge)


def step_counter(tracker: ValueTracker, total: int) -> GlyphReadout:
    """``step k / total`` for the step the tracker has reached, left-anchored on its
    baseline; typeset once, recomposed from glyph outlines when ``k`` changes. It stays
    one mobject throughout, so a 3-D scene can fix it in the frame once."""
    return step_readout(tracker, total, lambda k: f"step {k} / {total}")


def merged_ink(mobject: Mobject) -> VMobject:
    """Every outline of ``mobject``'s family in one VMobject, styled like its first part.

    For something of one colour (a ``Text``, a group of same-coloured dots) this draws
    in one Cairo call instead of one per glyph or dot, which matters for things
    redrawn on every frame. Parts do not overlap, so filling them together changes
    nothing.
    """
    parts = mobject.family_members_with_points()
    ink = VMobject()
    if parts:
        ink.match_style(parts[0])
        ink.set_points(np.concatenate([part.points for part in parts]))
    return ink
