"""Baseline benchmark: a "plain manim" version of the ``hills`` figure.

Gradient descent on f(x, y) = sin(x) sin(y), written the naive-but-reasonable
way with stock Manim Community 0.22 objects (Surface, ThreeDAxes, Dot3D,
TracedPath, a ValueTracker-driven updater, ambient camera rotation).  It is the
reference the optimized scene is compared against.

Run ``python bench/hills_plain.py [-q l|m|h] [--seconds-only] [--keep] [--ours] [--duration-scale S]``
(options, timing and output: ``bench/plain_harness.py``); it prints a line such as::

    plain hills  720p30  frames=240  render=108.3 s  0.451 s/frame
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from manim import (
    BLUE_E,
    DEGREES,
    GREEN,
    PI,
    RED,
    WHITE,
    YELLOW,
    Dot3D,
    FadeIn,
    Surface,
    ThreeDAxes,
    ThreeDScene,
    TracedPath,
    ValueTracker,
    VGroup,
    linear,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plain_harness import main

# --- parameters of the figure ---------------------------------------------------
DOMAIN = 1.5 * PI  # surface over [-3pi/2, 3pi/2]^2
RESOLUTION = (32, 32)
N_STARTS = 12
SEED = 1
ALPHA = 0.2
N_STEPS = 60
INTRO_TIME = 1.0  # fade-in of surface + axes
DESCENT_TIME = 6.0  # the descent itself
OUTRO_TIME = 1.0  # final hold
# Set from --duration-scale (scales the descent time only).
DURATION_SCALE = 1.0



def f(x, y):
    return np.sin(x) * np.sin(y)


def grad_f(x, y):
    return np.cos(x) * np.sin(y), np.sin(x) * np.cos(y)


def descent_paths(
    seed: int = SEED, n: int = N_STARTS, alpha: float = ALPHA, steps: int = N_STEPS
) -> np.ndarray:
    """Return an array of shape (steps + 1, n, 3): (x, y, f(x, y)) per step and start."""
    rng = np.random.default_rng(seed=seed)
    xy = rng.uniform(-PI, PI, size=(n, 2))
    out = np.empty((steps + 1, n, 3))
    for k in range(steps + 1):
        x, y = xy[:, 0], xy[:, 1]
        out[k, :, 0] = x
        out[k, :, 1] = y
        out[k, :, 2] = f(x, y)
        gx, gy = grad_f(x, y)
        xy = xy - alpha * np.stack([gx, gy], axis=1)
    return out


class HillsPlainScene(ThreeDScene):
    def construct(self):
        self.set_camera_orientation(phi=60 * DEGREES, theta=-45 * DEGREES, zoom=0.9)

        axes = ThreeDAxes(
            x_range=[-5, 5, 1],
            y_range=[-5, 5, 1],
            z_range=[-1.5, 1.5, 0.5],
            x_length=8,
            y_length=8,
            z_length=3,
        )

        surface = Surface(
            lambda u, v: axes.c2p(u, v, f(u, v)),
            u_range=(-DOMAIN, DOMAIN),
            v_range=(-DOMAIN, DOMAIN),
            resolution=RESOLUTION,
            fill_opacity=0.8,
        )
        try:
            surface.set_fill_by_value(
                axes=axes, colorscale=[(BLUE_E, -1.0), (GREEN, 0.0), (YELLOW, 1.0)], axis=2
            )
        except Exception:  # pragma: no cover - fallback only
            surface.set_fill_by_checkerboard(BLUE_E, GREEN, opacity=0.8)

        paths = descent_paths()  # (steps + 1, n, 3) in graph coordinates
        n_steps = paths.shape[0] - 1
        step = ValueTracker(0.0)

        def position(i: int) -> np.ndarray:
            s = float(np.clip(step.get_value(), 0.0, n_steps))
            k = min(int(np.floor(s)), n_steps - 1)
            t = s - k
            p = (1 - t) * paths[k, i] + t * paths[k + 1, i]
            return axes.c2p(*p)

        dots = VGroup()
        trails = VGroup()
        for i in range(paths.shape[1]):
            dot = Dot3D(point=axes.c2p(*paths[0, i]), radius=0.07, color=RED)
            dot.add_updater(lambda m, i=i: m.move_to(position(i)))
            dots.add(dot)
            trails.add(TracedPath(dot.get_center, stroke_color=WHITE, stroke_width=2))

        self.play(FadeIn(axes), FadeIn(surface), run_time=INTRO_TIME)
        self.add(trails, dots)
        self.begin_ambient_camera_rotation(rate=0.1)
        self.play(
            step.animate.set_value(n_steps),
            run_time=DESCENT_TIME * DURATION_SCALE,
            rate_func=linear,
        )
        self.wait(OUTRO_TIME)
        self.stop_ambient_camera_rotation()


def set_duration_scale(scale: float) -> None:
    """--duration-scale: scale the descent time of the scene."""
    global DURATION_SCALE
    DURATION_SCALE = scale


if __name__ == "__main__":
    sys.exit(main(HillsPlainScene, "hills", ours="hills", duration_scale=set_duration_scale))
