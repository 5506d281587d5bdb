"""Baseline benchmark: a "plain manim" version of the ``learning_rates`` overview.

Four learning rates on f(x, y) = (5x^2 + y^2) / 2, side by side in a 2 x 2 grid,
written the naive-but-reasonable way with stock Manim Community 0.22 objects:
``Axes.plot_implicit_curve`` for the contour lines, ``always_redraw`` to rebuild each
path (a Dot per step and a Line between steps, clamped to the window) and each loss
curve (``plot_line_graph`` on a log-scaled axis with LaTeX tick labels) every frame,
and ``Text`` readouts rebuilt every frame. It is the reference the optimised scene
(``scenes/learning_rates.py``) is compared against; same parameters, same timing.

Run ``python bench/learning_rates_plain.py [-q l|m|h] [--seconds-only] [--keep] [--ours]``
(options, timing and output: ``bench/plain_harness.py``); it prints a line such as::

    plain learning_rates  720p30  frames=318  render=95.1 s  0.299 s/frame
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np
from manim import (
    BLUE_B,
    DOWN,
    GREEN,
    LEFT,
    RED,
    RIGHT,
    UP,
    YELLOW,
    Axes,
    Dot,
    FadeIn,
    Line,
    LogBase,
    Scene,
    Text,
    ValueTracker,
    VGroup,
    always_redraw,
    linear,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plain_harness import main

# --- parameters of the figure (as in scenes/learning_rates.py) ---------------------
RATES = [
    ("Slow and Steady", 0.01),
    ("Adequately Fast", 0.15),
    ("A Bit Unstable", 0.38),
    ("Unusable", 0.5),
]
START = np.array([1.0, 2.0])
STEPS = 50
VIEW = (2.5, 3.2)
INTRO_TIME = 1.0
DESCENT_TIME = 7.0
VERDICT_TIME = 0.6
HOLD_TIME = 2.0



def f(p: np.ndarray) -> np.ndarray:
    return (5 * p[..., 0] ** 2 + p[..., 1] ** 2) / 2


def descend(alpha: float) -> np.ndarray:
    """(STEPS + 1, 2): the path of plain gradient descent from START."""
    path = [START]
    for _ in range(STEPS):
        x, y = path[-1]
        path.append(path[-1] - alpha * np.array([5 * x, y]))
    return np.array(path)


class LearningRatesPlainScene(Scene):
    def construct(self):
        step = ValueTracker(0.0)
        self.add(Text("Comparing Learning Rates", font_size=34).to_edge(UP, buff=0.2))
        counter = always_redraw(
            lambda: Text(f"step {int(step.get_value())} / {STEPS}", font_size=24).to_corner(
                UP + RIGHT, buff=0.3
            )
        )
        panels = VGroup(*(self.panel(title, alpha, step) for title, alpha in RATES))
        panels.arrange_in_grid(rows=2, cols=2, buff=(0.6, 0.4)).next_to(
            self.mobjects[0], DOWN, buff=0.2
        )
        self.play(FadeIn(panels), FadeIn(counter), run_time=INTRO_TIME)
        self.play(step.animate.set_value(STEPS), run_time=DESCENT_TIME, rate_func=linear)
        self.wait(VERDICT_TIME)
        self.wait(HOLD_TIME)

    def panel(self, title: str, alpha: float, step: ValueTracker) -> VGroup:
        path = descend(alpha)
        losses = f(path)
        vx, vy = VIEW
        plane = Axes(
            x_range=[-vx, vx, 1], y_range=[-vy, vy, 1], x_length=2.0, y_length=2.5, tips=False
        )
        contours = VGroup(
            *(
                plane.plot_implicit_curve(
                    lambda x, y, c=c: (5 * x * x + y * y) / 2 - c, color=BLUE_B
                )
                for c in f(START) * (np.arange(1, 7) / 6) ** 2
            )
        )
        lo, hi = -8, (20 if losses.max() > 1e3 else 2)
        loss_axes = Axes(
            x_range=[0, STEPS, 25],
            y_range=[lo, hi, 4 if hi > 2 else 2],
            x_length=2.6,
            y_length=1.8,
            tips=False,
            y_axis_config={"scaling": LogBase(custom_labels=True)},
        ).add_coordinates()

        def visited() -> np.ndarray:
            k = int(step.get_value())
            shown = np.clip(path[: k + 1], [-vx, -vy], [vx, vy])  # keep runaway points on the map
            return plane.c2p(shown)

        def draw_path() -> VGroup:
            points = visited()
            dots = [Dot(p, radius=0.03, color=YELLOW) for p in points]
            lines = [
                Line(a, b, color=YELLOW, stroke_width=3) for a, b in itertools.pairwise(points)
            ]
            return VGroup(*lines, *dots)

        def draw_loss() -> VGroup:
            k = int(step.get_value())
            return loss_axes.plot_line_graph(
                np.arange(k + 1),
                np.maximum(losses[: k + 1], 10.0**lo),
                line_color=YELLOW,
                vertex_dot_radius=0.02,
            )

        readout = always_redraw(
            lambda: Text(f"loss {losses[int(step.get_value())]:.3g}", font_size=18).next_to(
                loss_axes, DOWN
            )
        )
        body = VGroup(
            VGroup(plane, contours, Dot(plane.c2p(0, 0), color=GREEN)), loss_axes
        ).arrange(RIGHT, buff=0.7)
        header = VGroup(
            Text(title, font_size=22), Text(f"α = {alpha:g}", font_size=22, color=YELLOW)
        )
        header.arrange(RIGHT, buff=0.3)
        group = VGroup(header, body).arrange(DOWN, buff=0.15, aligned_edge=LEFT)
        group.add(always_redraw(draw_path), always_redraw(draw_loss), readout)
        if losses[-1] > 1e6:
            group.add(Text("diverged", font_size=18, color=RED).next_to(loss_axes, UP, buff=0.05))
        return group


if __name__ == "__main__":
    sys.exit(main(LearningRatesPlainScene, "learning_rates", ours="learning_rates"))
