"""``NAME.vtt``: a figure's timed cues as WebVTT, written plainly, checked before publishing.

The cues come from the scene's own timeline (``scenes.captions``); the publisher writes
them after the render, next to the video, and refuses cues out of order, empty or
outside the video's duration.

>>> from scenes.captions import Cue
>>> print(webvtt([Cue(0.0, 1.5, "12 starts appear")]), end="")
WEBVTT
<BLANKLINE>
1
00:00:00.000 --> 00:00:01.500
12 starts appear
"""

from __future__ import annotations

from scenes.captions import Cue

#: how far (s) the last cue may end past the probed duration (one frame at 15 fps, rounding)
SLACK = 0.07


class BadCues(ValueError):
    """Cues that do not fit their video: out of order, empty, or past its end."""


def check_cues(cues: list[Cue], duration: float) -> None:
    """Raise :class:`BadCues` naming the first cue that is empty, out of order or outside
    ``[0, duration]``."""
    previous_end = 0.0
    for number, cue in enumerate(cues, 1):
        if not cue.text.strip() or "-->" in cue.text:
            raise BadCues(f"cue {number} has no text or a '-->' in it: {cue.text!r}")
        if not (0 <= cue.start < cue.end):
            raise BadCues(f"cue {number} runs from {cue.start} s to {cue.end} s")
        if cue.start < previous_end - 1e-9:
            raise BadCues(f"cue {number} starts at {cue.start} s, before cue {number - 1} ends at {previous_end} s")
        if cue.end > duration + SLACK:
            raise BadCues(f"cue {number} ends at {cue.end} s, after the video's {duration:.3f} s")
        previous_end = cue.end


def webvtt(cues: list[Cue]) -> str:
    """The WebVTT text of ``cues``: a header, then numbered cues separated by blank lines."""
    blocks = ["WEBVTT"]
    blocks += [f"{number}\n{cue.timing}\n{cue.text}" for number, cue in enumerate(cues, 1)]
    return "\n\n".join(blocks) + "\n"
