"""Baseline benchmark: a "plain manim" version of the ``field`` figure.

The gradient field of f(x, y) = sin(x) sin(y) with the descent paths of 12 seeded
random starts over it, written the naive-but-reasonable way with stock Manim
Community 0.22 objects: a grid of coloured ``Square``s for the height map, an
``ArrowVectorField``, ``Dot``s moved by updaters from a ``ValueTracker``, ``TracedPath``
trails and an ``Integer`` step counter. It is the reference the optimized scene
(``scenes/field.py``) is compared against; same length (about 10.5 s) and content.

Run ``python bench/field_plain.py [-q l|m|h] [--seconds-only] [--keep] [--ours]``
(options, timing and output: ``bench/plain_harness.py``); it prints a line such as::

    plain field  720p30  frames=315  render=20.1 s  0.064 s/frame
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from manim import (
    BLUE_E,
    DOWN,
    LEFT,
    PI,
    RIGHT,
    TEAL_A,
    UP,
    ArrowVectorField,
    Axes,
    Dot,
    FadeIn,
    GrowFromCenter,
    Integer,
    LaggedStart,
    Scene,
    Square,
    Text,
    TracedPath,
    ValueTracker,
    VGroup,
    interpolate_color,
    linear,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plain_harness import main

# --- parameters of the figure (those of the hills run) ------------------------------
VIEW = 5.0
N_STARTS = 12
SEED = 1
ALPHA = 0.1
N_STEPS = 80
MAP_CELLS = 48  # squares per side of the height map
ARROW_STEP = 10 / 15  # arrow spacing in graph units (15 per side)
FIELD_TIME = 1.5
INTRO_TIME = 1.0
DESCENT_TIME = 6.0
HOLD_TIME = 2.0
COLORS = ["#FF4D6D", "#FFD23F", "#FF8C42", "#FFFFFF", "#F72585", "#C6F432",
          "#FF9EBB", "#E9C46A", "#FF5400", "#D0A2F7", "#FFB4A2", "#FB6F92"]



def f(x, y):
    return np.sin(x) * np.sin(y)


def grad_f(x, y):
    return np.cos(x) * np.sin(y), np.sin(x) * np.cos(y)


def descent_paths() -> np.ndarray:
    """(steps + 1, n, 2) points of plain gradient descent from seeded uniform starts."""
    rng = np.random.default_rng(seed=SEED)
    xy = rng.uniform(-PI, PI, size=(N_STARTS, 2))
    out = np.empty((N_STEPS + 1, N_STARTS, 2))
    for k in range(N_STEPS + 1):
        out[k] = xy
        gx, gy = grad_f(xy[:, 0], xy[:, 1])
        xy = xy - ALPHA * np.stack([gx, gy], axis=1)
    return out


class FieldPlainScene(Scene):
    def construct(self):
        self.camera.background_color = "#0E1117"
        title = Text("Gradient Field with Paths", font_size=40).to_edge(UP, buff=0.3)
        axes = Axes(x_range=[-VIEW, VIEW, 1], y_range=[-VIEW, VIEW, 1], x_length=6.4, y_length=6.4, tips=False)
        axes.next_to(title, DOWN, buff=0.3).to_edge(LEFT, buff=1.4)
        unit = axes.x_length / (2 * VIEW)

        cell = 2 * VIEW / MAP_CELLS
        squares = VGroup()
        for i in range(MAP_CELLS):
            for j in range(MAP_CELLS):
                x, y = -VIEW + (i + 0.5) * cell, -VIEW + (j + 0.5) * cell
                color = interpolate_color(BLUE_E, TEAL_A, (f(x, y) + 1) / 2)
                square = Square(side_length=cell * unit, stroke_width=0, fill_color=color, fill_opacity=0.8)
                squares.add(square.move_to(axes.c2p(x, y)))

        def field_func(point):
            x, y = axes.p2c(point)
            gx, gy = grad_f(x, y)
            return np.array([gx, gy, 0.0]) * unit

        half = VIEW - ARROW_STEP / 2
        field = ArrowVectorField(
            field_func,
            # ArrowVectorField adds one step to the end of each range; stop half a step short
            x_range=[axes.c2p(-half, 0)[0], axes.c2p(half, 0)[0] - ARROW_STEP * unit / 2, ARROW_STEP * unit],
            y_range=[axes.c2p(0, -half)[1], axes.c2p(0, half)[1] - ARROW_STEP * unit / 2, ARROW_STEP * unit],
            length_func=lambda norm: 0.55 * norm,
            color="#CFE4FF",
        )

        counter = Integer(0, font_size=32).next_to(axes, RIGHT, buff=1.0)
        key = Text("arrows: gradient, paths: descent", font_size=24).next_to(counter, UP, buff=0.6)

        self.add(title, squares, axes, key)
        self.play(FadeIn(field, lag_ratio=0.01), run_time=FIELD_TIME)

        paths = descent_paths()
        step = ValueTracker(0.0)

        def position(i: int) -> np.ndarray:
            s = float(np.clip(step.get_value(), 0.0, N_STEPS))
            k = min(int(np.floor(s)), N_STEPS - 1)
            t = s - k
            return axes.c2p(*((1 - t) * paths[k, i] + t * paths[k + 1, i]))

        dots, trails = VGroup(), VGroup()
        for i in range(N_STARTS):
            dot = Dot(axes.c2p(*paths[0, i]), radius=0.075, color=COLORS[i])
            dot.add_updater(lambda m, i=i: m.move_to(position(i)))
            dots.add(dot)
            trails.add(TracedPath(dot.get_center, stroke_color=COLORS[i], stroke_width=3.5))
        counter.add_updater(lambda m: m.set_value(int(step.get_value())))

        self.add(trails)
        self.play(LaggedStart(*(GrowFromCenter(d) for d in dots), lag_ratio=0.04), FadeIn(counter),
                  run_time=INTRO_TIME)
        self.play(step.animate.set_value(N_STEPS), run_time=DESCENT_TIME, rate_func=linear)
        self.wait(HOLD_TIME)


if __name__ == "__main__":
    sys.exit(main(FieldPlainScene, "field", ours="field"))
