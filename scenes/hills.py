"""Hill Descent: random starts descending sin x sin y, in 3-D and from above.

The post: "What you can see is a 3D view and a top down view of the paths taken by
each of the points. They all reach minimums [...] depending on where the points
start they have a destined minimum they'll end up in."

Render with ``python render.py --scene hills`` or plain ``manim -ql scenes/hills.py HillsScene``.

Speed: manim's Cairo renderer re-shades and z-sorts every 3-D face on every frame in
which anything 3-D moves, but draws the mobjects added before the first moving one
into a cached background while the camera stands still. So the camera never moves
here: the surface and the top-down map are drawn once, and each frame only redraws
the light dots and their trails. Both views sit side by side, so the poster frame
shows both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    RIGHT,
    UP,
    FadeIn,
    GrowFromCenter,
    LaggedStart,
    MathTex,
    Surface,
    ThreeDScene,
    ValueTracker,
    VGroup,
    smooth,
)

import gdmath
from gdmath import SIN_HILLS
from scenes import Figure, theme
from scenes.captions import Captioned, milestones, plural, sentence
from scenes.components import (
    DescentMarks,
    colorscale,
    heat_map,
    label,
    plane_axes,
    run_steps,
    step_counter,
    surface_axes,
    title,
)
from scenes.params import param, positive, whole

HALF_PI = np.pi / 2


@dataclass(frozen=True)
class HillsParams:
    """What the figure computes; the CLI may override any field, tests shrink them.

    Starts are uniform in ``[-start_box, start_box]^2``. The view spans
    ``[-view, view]^2`` so that it holds every minimum a start there can reach
    (starts near a peak roll into the next basin, whose minimum is up to 3 pi / 2 away).
    """

    n_points: int = param(12, whole(1, 1000))
    alpha: float = param(0.1, positive())
    steps: int = param(80, whole(1, 10_000))
    seed: int = param(1, whole(0, 2**32 - 1))
    start_box: float = param(np.pi, positive())
    view: float = param(5.0, positive())
    surface_resolution: int = param(40, whole(2, 200))
    map_pixels: int = param(360, whole(2, 2000))


def hills_descent(p) -> gdmath.DescentHistory:
    """The hills run for parameters ``p`` (any object with the fields of HillsParams'
    descent: ``n_points`` seeded starts in ``[-start_box, start_box]^2``, ``alpha``, ``steps``).
    The field figure draws the same run."""
    box = [p.start_box, p.start_box]
    starts = gdmath.random_starts(p.n_points, np.negative(box), box, seed=p.seed)
    return gdmath.gradient_descent(SIN_HILLS, starts, alpha=p.alpha, steps=p.steps)


def settled_count(history: gdmath.DescentHistory, step: int = -1) -> tuple[int, int]:
    """``(starts settled in a minimum, starts)``: gdmath's verdict at ``step`` (default the last)."""
    settled = gdmath.nearest_minimum(SIN_HILLS, history.points[step]).settled
    return int(settled.sum()), int(settled.size)


def progress_cues(scene, p, history: gdmath.DescentHistory) -> None:
    """Mid-descent cues of the hills and the field, at the steps splitting the run in halves."""
    for k in milestones(p.steps, 2):
        settled, n = settled_count(history, k)
        scene.cue_at_step(scene.tracker, k, f"Step {k} of {p.steps}: {settled} of {n} starts have settled in a minimum")


def hills_verdict(p, history: gdmath.DescentHistory) -> str:
    """The hills' and field's closing sentence, e.g. "after 80 steps, 12 of 12 starts end in a minimum"."""
    settled, n = settled_count(history)
    return f"after {plural(p.steps, 'step')}, {settled} of {n} starts end in a minimum"


class HillsScene(Captioned, ThreeDScene):
    """Random starts descend sin x sin y: the 3-D surface and the top-down map, side by side."""

    params = HillsParams()
    surface_size = 4.8  # x and y length of the 3-D surface, in scene units
    map_size = 5.6  # side of the top-down map
    z_length = 1.6

    def construct(self) -> None:
        self.camera.background_color = theme.BACKGROUND
        self.history = self.descend()
        self.set_camera_orientation(
            phi=theme.CAMERA_PHI_DEG * DEGREES, theta=theme.CAMERA_THETA_DEG * DEGREES, zoom=theme.CAMERA_ZOOM
        )
        self.show_landscape()
        self.show_starts()
        self.take_steps()
        self.show_verdict()
        self.wait(theme.HOLD_TIME)

    # --- numbers -----------------------------------------------------------------
    def descend(self) -> gdmath.DescentHistory:
        return hills_descent(self.params)

    @classmethod
    def describe(cls) -> str:
        p = cls.params
        return (f"{plural(p.n_points, 'random start')} (seed {p.seed}) descend f(x, y) = sin x sin y with "
                f"step size {p.alpha:g}, shown on the 3-D surface (left) and on a top-down map of the same "
                f"paths (right), with a step counter; {hills_verdict(p, hills_descent(p))}.")

    # --- the two views ------------------------------------------------------------
    def show_landscape(self) -> None:
        v = self.params.view
        span = [-v, v, HALF_PI]
        self.axes3d = surface_axes(span, span, [-1, 1, 1], (self.surface_size, self.surface_size, self.z_length))
        self.surface = self.make_surface()
        self.map_axes = plane_axes(span, span, self.map_size, self.map_size, ticks=False)
        heights = gdmath.value_grid(SIN_HILLS, *self.map_grid())
        self.map = heat_map(self.map_axes, heights, -1.0, 1.0)

        self.heading = self.make_heading()
        map_panel = VGroup(self.map_axes, label("from above")).arrange(DOWN, buff=0.2)
        map_panel.next_to(self.heading, DOWN, buff=0.3).to_edge(RIGHT, buff=0.5)
        self.map.move_to(self.map_axes)
        self.counter = step_counter(self.tracker, self.params.steps)
        self.counter.next_to(self.heading, DOWN, buff=0.4).to_edge(LEFT, buff=0.5)

        self.add_fixed_in_frame_mobjects(self.heading, self.map, map_panel)
        surface_group = VGroup(self.axes3d, self.surface)
        self.place_left_of(surface_group, map_panel)
        caption = label("in 3-D").match_y(map_panel[1])
        caption.set_x(self.renderer.camera.project_point(surface_group.get_center())[0])
        self.add_fixed_in_frame_mobjects(caption)
        self.add(self.surface)  # the axes only place things; drawn, they show through the faces

    def make_heading(self) -> VGroup:
        formula = MathTex(SIN_HILLS.tex, font_size=theme.LABEL_SIZE * 1.3, color=theme.MUTED_TEXT)
        heading = VGroup(title("Various Hill Descent"), formula).arrange(RIGHT, buff=0.6, aligned_edge=DOWN)
        return heading.to_edge(UP, buff=0.3)

    def make_surface(self) -> Surface:
        v = self.params.view
        res = self.params.surface_resolution
        surface = Surface(
            lambda x, y: self.axes3d.c2p(x, y, SIN_HILLS.value([x, y])),
            u_range=(-v, v),
            v_range=(-v, v),
            resolution=(res, res),
            fill_opacity=theme.SURFACE_OPACITY,
            stroke_width=theme.SURFACE_STROKE,
        )
        surface.set_fill_by_value(axes=self.axes3d, colorscale=colorscale(-1.0, 1.0), axis=2)
        for face in surface:
            face.set_stroke(face.get_fill_color(), width=theme.SURFACE_STROKE)
        return surface

    def map_grid(self) -> tuple[np.ndarray, np.ndarray]:
        v = self.params.view
        axis = np.linspace(-v, v, self.params.map_pixels)
        return axis, axis

    def place_left_of(self, group: VGroup, panel: VGroup) -> None:
        """Shift the 3-D group so that, as the camera sees it, it is centred in the
        space left of ``panel`` (the camera stands still, so this holds all along)."""
        camera = self.renderer.camera
        camera.reset_rotation_matrix()  # it is only refreshed when a frame is drawn
        on_screen = camera.project_points(group.get_all_points())
        centre = (on_screen.min(axis=0) + on_screen.max(axis=0)) / 2
        target_x = (-self.camera.frame_width / 2 + panel.get_left()[0]) / 2
        target = np.array([target_x, panel[0].get_center()[1], 0.0])
        shift_on_screen = target - np.array([centre[0], centre[1], 0.0])
        group.shift(camera.get_rotation_matrix().T @ shift_on_screen)

    # --- the descent ---------------------------------------------------------------
    @property
    def tracker(self) -> ValueTracker:
        if not hasattr(self, "_tracker"):
            self._tracker = ValueTracker(0)
        return self._tracker

    def screen_paths(self) -> tuple[np.ndarray, np.ndarray]:
        """The history mapped to both views: two ``(steps + 1, n, 3)`` arrays."""
        points = self.history.points
        flat = points.reshape(-1, 2)
        heights = self.history.values.reshape(-1, 1)
        in_3d = self.axes3d.c2p(np.hstack([flat, heights])).reshape(*points.shape[:2], 3)
        in_3d[..., 2] += theme.PATH_LIFT  # float just above the surface
        on_map = self.map_axes.c2p(flat).reshape(*points.shape[:2], 3)
        return in_3d, on_map

    def show_starts(self) -> None:
        in_3d, on_map = self.screen_paths()
        colors = theme.POINT_COLORS
        self.marks_3d = DescentMarks(in_3d, self.tracker, colors, stroke_width=theme.PATH_STROKE_3D)
        self.marks_map = DescentMarks(on_map, self.tracker, colors)
        self.renderer.camera.add_fixed_orientation_mobjects(*self.marks_3d.dots)
        self.add_fixed_in_frame_mobjects(self.marks_map)
        self.add(self.marks_3d)
        self.add_fixed_in_frame_mobjects(self.counter)
        dots = [*self.marks_3d.dots, *self.marks_map.dots]
        self.cue(f"{plural(self.params.n_points, 'start')} appear on the surface and on the map")
        self.play(
            LaggedStart(*(GrowFromCenter(d) for d in dots), lag_ratio=0.02),
            FadeIn(self.counter),
            run_time=theme.INTRO_TIME,
            rate_func=smooth,
        )

    def take_steps(self) -> None:
        self.cue(f"{plural(self.params.steps, 'step')} of size {self.params.alpha:g} begin: each start rolls downhill")
        progress_cues(self, self.params, self.history)
        self.play(run_steps(self.tracker, self.params.steps, theme.DESCENT_TIME))

    def show_verdict(self) -> None:
        """Say where the starts ended: gdmath's verdict on the last step of the history."""
        settled = gdmath.nearest_minimum(SIN_HILLS, self.history.final).settled
        verdict = label(
            f"{int(settled.sum())} of {settled.size} starts end in a minimum", size=theme.READOUT_SIZE, color=theme.TEXT
        )
        verdict.to_edge(DOWN, buff=0.25)
        self.cue(sentence(hills_verdict(self.params, self.history)))
        self.add_fixed_in_frame_mobjects(verdict)
        self.play(FadeIn(verdict, shift=0.2 * UP), run_time=0.6)


FIGURES = [
    Figure(
        "hills",
        "Random starts descend sin x sin y: the 3-D surface and the top-down view of the same paths.",
        HillsScene,
    ),
]
