"""Baseline benchmark: a "plain manim" version of the ``hills`` figure.

Gradient descent on f(x, y) = sin(x) sin(y), written the naive-but-reasonable
way with stock Manim Community 0.22 objects (Surface, ThreeDAxes, Dot3D,
TracedPath, a ValueTracker-driven updater, ambient camera rotation).  It is the
reference the optimized scene is compared against.

Usage::

    python bench/hills_plain.py [--quality l|m|h] [--seconds-only]
                                [--duration-scale S]

Prints one line such as::

    plain hills  720p30  frames=240  render=108.3 s  0.451 s/frame

This is a script, not a test; it renders into a temporary directory under /tmp
and never contacts the network.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
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
    config,
    linear,
    tempconfig,
)

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

QUALITIES = {
    "l": "low_quality",
    "m": "medium_quality",
    "h": "high_quality",
}


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


def count_frames(path: Path | None) -> int | None:
    """Count the video frames in ``path`` with PyAV (decoding, so it is exact)."""
    if path is None or not path.exists():
        return None
    try:
        import av
    except ImportError:
        return None
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return sum(1 for _ in container.decode(stream))


def main(argv: list[str] | None = None) -> int:
    global DURATION_SCALE
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quality", choices=sorted(QUALITIES), default="m",
                    help="l=480p15, m=720p30 (default), h=1080p60")
    ap.add_argument("--seconds-only", action="store_true",
                    help="print only the render wall-clock seconds")
    ap.add_argument("--duration-scale", type=float, default=1.0,
                    help="scale the descent duration (to shorten slow runs)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary media dir")
    args = ap.parse_args(argv)
    DURATION_SCALE = args.duration_scale

    media_dir = Path(tempfile.mkdtemp(prefix="hills_plain_", dir="/tmp"))
    try:
        # Quality first, in its own tempconfig: ManimConfig.update() applies
        # plain keys before property keys such as "quality", and setting quality
        # resets frame_rate/size, so mixing them in one dict is order-fragile.
        with tempconfig({"quality": QUALITIES[args.quality]}):
            with tempconfig(
                {
                    "media_dir": str(media_dir),
                    "notify_outdated_version": False,
                    "disable_caching": True,
                    "write_to_movie": True,
                    "save_last_frame": False,
                    "preview": False,
                    "verbosity": "WARNING",
                    "progress_bar": "none",
                    "output_file": "HillsPlainScene",
                }
            ):
                fps = float(config.frame_rate)
                height = int(config.pixel_height)
                scene = HillsPlainScene()
                t0 = time.perf_counter()
                scene.render()
                elapsed = time.perf_counter() - t0
                movie = getattr(scene.renderer.file_writer, "movie_file_path", None)
                movie = Path(movie) if movie else None
                duration = scene.renderer.time

        frames = count_frames(movie)
        if frames is None:
            frames = int(round(duration * fps))
        if args.seconds_only:
            print(f"{elapsed:.1f}")
        else:
            print(
                f"plain hills  {height}p{fps:g}  frames={frames}  "
                f"render={elapsed:.1f} s  {elapsed / max(frames, 1):.3f} s/frame"
            )
        if args.keep:
            print(f"media: {media_dir}", file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(media_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
