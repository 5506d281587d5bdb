"""Tiny figures for testing the batch machinery (registered by tests, never by the CLI)."""

from __future__ import annotations

from dataclasses import dataclass

from manim import RIGHT, Dot, Scene, Square

from scenes import Figure


@dataclass(frozen=True)
class TinyParams:
    distance: float = 2.0
    seed: int = 0
    label: str = "tiny"
    loud: bool = False


class TinyScene(Scene):
    params = TinyParams()

    def construct(self) -> None:
        dot = Dot()
        self.add(Square())
        self.play(dot.animate.shift(self.params.distance * RIGHT), run_time=1)


class OtherTinyScene(TinyScene):
    params = TinyParams(distance=-1.0)


class TinyStill(Scene):
    params = TinyParams()

    def construct(self) -> None:
        self.add(Square(), Dot())


class BrokenScene(Scene):
    params = TinyParams()

    def construct(self) -> None:
        raise RuntimeError("this figure is broken on purpose")


TINY = Figure("tiny", "A dot moves right.", TinyScene)
OTHER = Figure("other", "A dot moves left.", OtherTinyScene)
STILL = Figure("still", "A square.", TinyStill, kind="still")
BROKEN = Figure("broken", "Fails.", BrokenScene)
