"""Baseline benchmark: a "plain manim" version of the ``linear_fit`` figure.

Linear regression by gradient descent on the post's data, written the naive-but-reasonable
way with stock Manim Community 0.22 objects: the loss landscape as a grid of coloured
squares, ``Axes`` with their coordinates, a ``Dot`` moved by an updater along the
precomputed history, its path as a ``TracedPath``, the red line redrawn with
``always_redraw``, and ``Integer``/``DecimalNumber`` readouts with updaters. It is the
reference the optimised scene (``scenes/regression.py``) is compared against; same
timings (1 s intro, 6 s descent, 2 s hold).

Run ``python bench/linear_fit_plain.py [-q l|m|h] [--seconds-only] [--keep] [--ours]``
(options, timing and output: ``bench/plain_harness.py``); it prints a line such as::

    plain linear_fit  720p30  frames=270  render=60.0 s  0.222 s/frame
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from manim import (
    BLUE_E,
    DOWN,
    LEFT,
    RED,
    RIGHT,
    UP,
    WHITE,
    YELLOW,
    Axes,
    Create,
    DecimalNumber,
    Dot,
    FadeIn,
    Integer,
    Line,
    Scene,
    Square,
    Text,
    TracedPath,
    ValueTracker,
    VGroup,
    always_redraw,
    interpolate_color,
    linear,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plain_harness import main

# --- the post's problem ---------------------------------------------------------------
N, W_TRUE, B_TRUE, NOISE, SEED = 100, 2.0, 1.0, 0.5, 277
ALPHA, ITERATIONS, W0, B0 = 0.015, 100, 0.62, 0.90
W_RANGE, B_RANGE = (-1.0, 3.0), (-1.0, 3.0)
CELLS = 40  # heat-map squares per side
INTRO_TIME, DESCENT_TIME, HOLD_TIME = 1.0, 6.0, 2.0



def make_data() -> tuple[np.ndarray, np.ndarray]:
    x = np.linspace(-2, 2, N)
    return x, W_TRUE * x + B_TRUE + np.random.default_rng(SEED).normal(0, NOISE, N)


def descend(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The post's loop: (w, b, loss) before each update, plus the final state."""
    w, b = W0, B0
    ws, bs, losses = [], [], []
    for _ in range(ITERATIONS + 1):
        error = y - (w * x + b)
        ws.append(w), bs.append(b), losses.append(np.mean(error**2))
        w, b = w + ALPHA * 2 * np.mean(x * error), b + ALPHA * 2 * np.mean(error)
    return np.array(ws), np.array(bs), np.array(losses)


class LinearFitPlainScene(Scene):
    def construct(self):
        x, y = make_data()
        ws, bs, losses = descend(x, y)
        step = ValueTracker(0.0)

        def at(values):
            s = float(np.clip(step.get_value(), 0, ITERATIONS))
            k = min(int(s), ITERATIONS - 1)
            return values[k] + (s - k) * (values[k + 1] - values[k])

        title = Text("Loss Curve for Linear Dataset", font_size=36).to_edge(UP)

        # left: the loss landscape as coloured squares
        land = Axes(x_range=[*W_RANGE, 1], y_range=[*B_RANGE, 1], x_length=4.5, y_length=4.5, tips=False)
        land.add_coordinates()
        cell = (W_RANGE[1] - W_RANGE[0]) / CELLS
        centres = W_RANGE[0] + cell * (np.arange(CELLS) + 0.5)
        heat = VGroup()
        low, high = np.log(0.25), np.log(25.0)
        for w in centres:
            for b in centres:
                loss = np.mean((y - (w * x + b)) ** 2)
                t = float(np.clip((np.log(loss) - low) / (high - low), 0, 1))
                square = Square(side_length=land.x_length / CELLS, stroke_width=0)
                square.set_fill(interpolate_color(BLUE_E, YELLOW, t), opacity=1).move_to(land.c2p(w, b))
                heat.add(square)
        left = VGroup(heat, land)

        # right: samples and the predicted line
        data = Axes(x_range=[-2.25, 2.25, 1], y_range=[-5, 7, 2], x_length=5.4, y_length=4.5, tips=False)
        data.add_coordinates()
        dots = VGroup(*(Dot(data.c2p(a, c), radius=0.045, color=WHITE, fill_opacity=0.6) for a, c in zip(x, y)))
        right = VGroup(data, dots)
        VGroup(left, right).arrange(RIGHT, buff=1.0).next_to(title, DOWN)

        point = Dot(land.c2p(W0, B0), color=RED, radius=0.09)
        point.add_updater(lambda d: d.move_to(land.c2p(at(ws), at(bs))))
        path = TracedPath(point.get_center, stroke_color=RED, stroke_width=3.5)
        line = always_redraw(
            lambda: Line(data.c2p(-2, at(ws) * -2 + at(bs)), data.c2p(2, at(ws) * 2 + at(bs)), color=RED,
                         stroke_width=5)
        )

        iteration = Integer(0).add_updater(lambda m: m.set_value(int(step.get_value())))
        loss = DecimalNumber(losses[0], num_decimal_places=3).add_updater(
            lambda m: m.set_value(losses[int(step.get_value())])
        )
        readout = VGroup(Text("iteration", font_size=26), iteration, Text("loss", font_size=26), loss)
        readout.arrange(RIGHT).next_to(land, DOWN, buff=0.6)
        w_value = DecimalNumber(W0, num_decimal_places=2, color=RED).add_updater(lambda m: m.set_value(at(ws)))
        b_value = DecimalNumber(B0, num_decimal_places=2, color=RED).add_updater(lambda m: m.set_value(at(bs)))
        equation = VGroup(Text("w =", font_size=26, color=RED), w_value, Text("b =", font_size=26, color=RED), b_value)
        equation.arrange(RIGHT).next_to(data, DOWN, buff=0.6).align_to(data, LEFT)
        readout.align_to(equation, DOWN)

        self.add(title, left, right)
        self.play(FadeIn(point), Create(line), FadeIn(readout), FadeIn(equation), run_time=INTRO_TIME)
        self.add(path, point)
        self.play(step.animate.set_value(ITERATIONS), run_time=DESCENT_TIME, rate_func=linear)
        self.wait(HOLD_TIME)


if __name__ == "__main__":
    sys.exit(main(LinearFitPlainScene, "linear_fit", ours="linear_fit"))
