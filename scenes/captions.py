"""Text alternatives for the figures: a description from the data, and timed cues.

Every figure tells a reader who cannot see it what it shows and its key numbers, from
gdmath's results for the figure's own parameters (so ``--set alpha=0.05`` changes the
text), in two parts:

- ``describe()``: a classmethod of the scene returning the description (a paragraph, plain
  text). It reads ``cls.params``, so ``scenes.with_params`` subclasses describe
  themselves with their overrides. It runs gdmath (cheap: no manim objects).
- ``self.cue(text)``: called by the scene at the start of each phase of its timeline
  (the first thing in a step method, before its ``play``). It records ``text`` with
  ``self.renderer.time``, the seconds of video manim has rendered so far (the Cairo
  renderer adds each frame's duration as it writes the frame), so the timestamps come
  from the scene's own timeline, never from a guess. A still records none.
- ``self.cue_at_step(tracker, k, text)``: inside a play, at the first frame where the
  step tracker reaches step ``k`` (e.g. "step 40 of 80: 9 of 12 starts have settled").

The pipeline publishes the cues as ``NAME.vtt`` (WebVTT, ``kind="descriptions"``: each
cue lasts until the next one, the last until the video ends), puts the description in
the manifest, and the gallery and snippets link both.

To give a new figure its text alternative (``optimizers``, ``saddle``, ``basins``...)::

    from scenes.captions import Captioned

    class SaddleScene(Captioned, ThemedScene):     # Captioned first
        @classmethod
        def describe(cls) -> str:
            h = saddle_descent(cls.params)         # the same gdmath call construct() makes
            return f"... {h.final[0, 0]:.2f} ..."

        def take_steps(self) -> None:
            self.cue(f"{self.params.steps} steps of size {self.params.alpha:g} begin")
            self.play(...)

``tests/test_captions.py`` checks that every registered video figure has a description
and records cues, in order and inside the video.

>>> Cue(1.0, 2.5, "the descent begins").timing
'00:00:01.000 --> 00:00:02.500'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cue:
    """One timed text: from ``start`` to ``end`` seconds of the video."""

    start: float
    end: float
    text: str

    @property
    def timing(self) -> str:
        """The WebVTT timing line of this cue."""
        return f"{clock(self.start)} --> {clock(self.end)}"


def clock(seconds: float) -> str:
    """A WebVTT timestamp ``hh:mm:ss.ttt``.

    >>> clock(75.25)
    '00:01:15.250'
    """
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    return f"{hours:02d}:{minutes:02d}:{millis / 1000:06.3f}"


class Captioned:
    """Mixin for a manim scene: ``describe()`` (override it) and ``cue(text)``."""

    @classmethod
    def describe(cls) -> str:
        """What the figure shows and its key numbers, for ``cls.params`` (plain text)."""
        raise NotImplementedError(f"{cls.__name__} gives no description: override describe()")

    def cue(self, text: str) -> None:
        """Record that a phase described by ``text`` starts now, at ``self.renderer.time``."""
        if not text.strip():
            raise ValueError(f"a cue needs some text, got {text!r}")
        recorded = self.__dict__.setdefault("recorded_cues", [])
        recorded.append((float(self.renderer.time), " ".join(text.split())))

    def cue_at_step(self, tracker, step: float, text: str) -> None:
        """Record ``text`` at the first frame where ``tracker`` (the descent's step tracker)
        reaches ``step``: call it before the ``play`` that runs the steps. A scene updater
        watches the tracker's value and removes itself once it fired, so a later ``wait``
        still freezes its frame."""

        def watch(dt: float) -> None:
            if tracker.get_value() >= step - 1e-9:
                self.updaters = [f for f in self.updaters if f is not watch]
                self.cue(text)

        self.add_updater(watch)


def description_of(scene_class: type | None) -> str:
    """The scene's description, or "" when it gives none (a scene without ``Captioned``)."""
    describe = getattr(scene_class, "describe", None)
    if describe is None:
        return ""
    try:
        return describe()
    except NotImplementedError:
        return ""


def recorded(scene) -> list[tuple[float, str]]:
    """The ``(start seconds, text)`` records of a rendered scene's ``cue`` calls."""
    return list(getattr(scene, "recorded_cues", []))


def cues_from(records: list[tuple[float, str]], end: float) -> list[Cue]:
    """Cues from ``(start, text)`` records: each lasts until the next starts, the last until
    ``end`` (seconds: the video's duration). Records at the same instant are merged.

    >>> [(c.start, c.end, c.text) for c in cues_from([(0.0, "a"), (2.0, "b"), (2.0, "c")], 5.0)]
    [(0.0, 2.0, 'a'), (2.0, 5.0, 'b c')]
    """
    merged: list[tuple[float, str]] = []
    for start, text in sorted(records, key=lambda record: record[0]):
        if merged and abs(merged[-1][0] - start) < 1e-6:
            merged[-1] = (merged[-1][0], f"{merged[-1][1]} {text}")
        else:
            merged.append((start, text))
    ends = [start for start, _ in merged[1:]] + [end]
    return [Cue(round(start, 3), round(stop, 3), text) for (start, text), stop in zip(merged, ends)]


def sentence(text: str) -> str:
    """``text`` with its first letter in capitals (the rest untouched).

    >>> sentence("after 80 steps, x = 0")
    'After 80 steps, x = 0'
    """
    return text[:1].upper() + text[1:]


def milestones(steps: int, parts: int) -> list[int]:
    """Whole steps splitting ``steps`` into ``parts`` (the last step excluded, duplicates dropped).

    >>> milestones(80, 2), milestones(100, 4), milestones(1, 4)
    ([40], [25, 50, 75], [])
    """
    return sorted({steps * k // parts for k in range(1, parts)} - {0, steps})


def plural(n: int, word: str) -> str:
    """``"1 start"``, ``"12 starts"``.

    >>> plural(1, "start"), plural(3, "step")
    ('1 start', '3 steps')
    """
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
