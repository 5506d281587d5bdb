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
    ThreeDScene,
    VGroup,
    smooth,
)

import gdmath
from scenes import figure, theme
from scenes.captions import Captioned, milestones, plural, sentence
from scenes.components import (
    BatchedMarks,
    DescentParams,
    DescentScene,
    MarksThreeDCamera,
    StepTracking,
    centre_between,
    clip_height,
    frame_points,
    heading,
    heat_map,
    height_surface,
    label,
    run_steps,
    step_counter,
    still_camera_eye,
    surface_and_map_paths,
    surface_axes,
)
from scenes.params import (
    OptimizerParams,
    optimizer_note,
    optimizer_of,
    optimizer_text,
    param,
    positive,
    typed_function,
    whole,
)

HALF_PI = np.pi / 2


@dataclass(frozen=True)
class SinHillsParams(DescentParams, OptimizerParams):
    """The descent on sin x sin y that the hills and field figures both draw, and the
    top-down map they draw it on; the CLI may override any field, tests shrink them.
    The update rule is plain SGD unless ``optimizer`` (and its hyperparameters) say otherwise.

    Starts are uniform in ``[-start_box, start_box]^2``. The view spans
    ``[-view, view]^2`` so that it holds every minimum a start there can reach
    (starts near a peak roll into the next basin, whose minimum is up to 3 pi / 2 away).
    ``map_pixels`` is the map's resolution along each side. ``function`` (text, e.g.
    ``x^2 + 3*y^2``) replaces sin x sin y; its minima are those found in the view.
    """

    n_points: int = param(12, whole(1, 1000))
    alpha: float = param(0.1, positive())
    steps: int = param(80, whole(1, 10_000))
    seed: int = param(1, whole(0, 2**32 - 1))
    start_box: float = param(np.pi, positive())
    view: float = param(5.0, positive())
    map_pixels: int = param(360, whole(2, 2000))
    function: str | None = param(None, typed_function(2), kind=str)


@dataclass(frozen=True)
class HillsParams(SinHillsParams):
    """The run, and the 3-D surface's resolution."""

    surface_resolution: int = param(40, whole(2, 200))


@dataclass(frozen=True)
class HillsRun:
    """What the hills figure shows, and the field figure draws again.

    Attributes:
        history: the descent, ``points (steps + 1, n, 2)``.
        heights: ``(map_pixels, map_pixels)`` the objective over the view (the top-down map).
        settled: ``(steps + 1,)`` how many starts have settled in a minimum at each step.
        minimum: how the verdicts name a minimum: "a minimum", or for a typed function
            "a minimum found in the view" (or "no minimum found in the view").
    """

    history: gdmath.DescentHistory
    heights: np.ndarray
    settled: np.ndarray
    minimum: str = "a minimum"
    away: int = 0  # starts that ran off the map (diverged, or ended outside the view)

    @property
    def starts(self) -> int:
        return self.history.points.shape[1]

    def progress(self, step: int) -> str:
        """A mid-descent cue: ``"Step 40 of 80: 9 of 12 starts have settled in a minimum"``."""
        return f"Step {step} of {self.history.steps}: {self.settled[step]} of {self.starts} starts have settled in {self.minimum}"

    def ended(self) -> str:
        """``"12 of 12 starts end in a minimum"``: gdmath's verdict on the last step."""
        off = f", {self.away} ran off the map" if self.away else ""
        if self.minimum.startswith("no "):
            return f"{self.minimum}: 0 of {self.starts} starts end in one{off}"
        return f"{self.settled[-1]} of {self.starts} starts end in {self.minimum}{off}"

    def verdict(self) -> str:
        """The closing sentence: ``"after 80 steps, 12 of 12 starts end in a minimum"``."""
        return f"after {plural(self.history.steps, 'step')}, {self.ended()}"

    def facts(self) -> tuple[str, ...]:
        return (self.ended(),)


def hills_run(p: SinHillsParams) -> HillsRun:
    """The run for parameters ``p``: ``n_points`` seeded starts in ``[-start_box, start_box]^2``,
    ``steps`` steps of the params' optimizer (step size ``alpha``), the map and the settled counts."""
    history = p.descend(p.seeded_starts(), optimizer_of(p))
    return HillsRun(history=history, heights=p.height_map(), settled=p.settled_counts(history), minimum=minimum_words(p),
                    away=p.ran_off(history))


def minimum_words(p) -> str:
    """How a figure's verdicts name a minimum: the post's "a minimum", or for a typed function
    "a minimum found in the view" ("no minimum found in the view" when none was)."""
    if not p.typed:
        return "a minimum"
    return "a minimum found in the view" if len(p.objective.minima) else "no minimum found in the view"


def progress_cues(scene, run: HillsRun) -> None:
    """Mid-descent cues of the hills and the field, at the steps splitting the run in halves."""
    for k in milestones(run.history.steps, 2):
        scene.cue_at_step(scene.tracker, k, run.progress(k))


@figure("hills", title="Various Hill Descent",
        description="Random starts descend sin x sin y: the 3-D surface and the top-down view of the same paths.")
class HillsScene(Captioned, StepTracking, DescentScene, ThreeDScene):
    """Random starts descend sin x sin y: the 3-D surface and the top-down map, side by side."""

    params = HillsParams()
    compute = staticmethod(hills_run)
    surface_size = 4.8  # x and y length of the 3-D surface, in scene units
    map_size = 5.6  # side of the top-down map
    z_length = 1.6
    counter_gap = 0.4  # the step counter under the heading
    verdict_edge_buff = 0.25  # the verdict to the frame's bottom edge

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("camera_class", MarksThreeDCamera)  # it draws the batched marks
        super().__init__(**kwargs)

    def construct(self) -> None:
        self.data = self.compute(self.params)
        self.camera.background_color = theme.BACKGROUND
        self.set_camera_orientation(
            phi=theme.CAMERA_PHI_DEG * DEGREES, theta=theme.CAMERA_THETA_DEG * DEGREES, zoom=theme.CAMERA_ZOOM
        )
        self.show_landscape()
        self.show_starts()
        self.take_steps()
        self.show_verdict()
        self.wait(theme.HOLD_TIME)

    @classmethod
    def describe(cls) -> str:
        p = cls.params
        return (f"{plural(p.n_points, 'random start')} (seed {p.seed}) descend {p.function_text('f(x, y) = sin x sin y')} with "
                f"step size {p.alpha:g}{optimizer_note(p)}, shown on the 3-D surface (left) and on a top-down map of the same "
                f"paths (right), with a step counter; {cls.compute(p).verdict()}.")

    # --- the two views ------------------------------------------------------------
    def show_landscape(self) -> None:
        p = self.params
        span = [-p.view, p.view, HALF_PI]
        low, high = p.height_range
        self.axes3d = surface_axes(span, span, [low, high, (high - low) / 2], (self.surface_size, self.surface_size, self.z_length))
        self.surface = height_surface(self.axes3d, p.objective, p.view, p.surface_resolution, p.height_range)
        self.map_axes = self.view_axes(self.map_size)
        self.map = heat_map(self.map_axes, self.data.heights, low, high)

        self.heading = heading(self.title, p.objective.tex)
        map_panel = VGroup(self.map_axes, label("from above")).arrange(DOWN, buff=theme.VIEW_CAPTION_GAP)
        map_panel.next_to(self.heading, DOWN, buff=theme.BODY_GAP).to_edge(RIGHT, buff=theme.SIDE_MARGIN)
        self.map.move_to(self.map_axes)
        self.counter = step_counter(self.tracker, p.steps)
        self.counter.next_to(self.heading, DOWN, buff=self.counter_gap).to_edge(LEFT, buff=theme.SIDE_MARGIN)
        self.show_optimizer()

        self.add_fixed_in_frame_mobjects(self.heading, self.map, map_panel)
        surface_group = VGroup(self.axes3d, self.surface)
        centre_between(self, surface_group, -self.camera.frame_width / 2, map_panel)
        if self.rule_name is not None:
            self.move_below(surface_group, self.rule_name)
        caption = label("in 3-D").match_y(map_panel[1])
        caption.set_x(self.renderer.camera.project_point(surface_group.get_center())[0])
        self.add_fixed_in_frame_mobjects(caption)
        self.add(self.surface)  # the axes only place things; drawn, they show through the faces

    def show_optimizer(self) -> None:
        """Name the update rule under the step counter (plain SGD, the post's, goes unnamed)."""
        self.rule_name = None
        if (text := optimizer_text(self.data.history.optimizer)) is not None:
            self.rule_name = label(text, size=theme.SMALL_SIZE)
            self.rule_name.next_to(self.counter, DOWN, aligned_edge=LEFT, buff=theme.LEGEND_GAP)
            self.add_fixed_in_frame_mobjects(self.rule_name)

    def move_below(self, group: VGroup, above) -> None:
        """Shift the 3-D group down, as the camera sees it, until its top is a gap below ``above``."""
        camera = self.renderer.camera
        top = camera.project_points(group.get_all_points())[:, 1].max()
        drop = max(0.0, top - (above.get_bottom()[1] - theme.LEGEND_GAP))
        group.shift(camera.get_rotation_matrix().T @ (drop * DOWN))

    # --- the descent ---------------------------------------------------------------
    def screen_paths(self) -> tuple[np.ndarray, np.ndarray]:
        """The history mapped to both views: two ``(steps + 1, n, 3)`` arrays."""
        history = self.data.history
        points, values = history.points, history.values  # all in the view (else clipped_marks)
        return surface_and_map_paths(self.axes3d, self.map_axes, points, values, self.params.height_range)

    def visible_in_3d(self, in_3d: np.ndarray) -> np.ndarray:
        """``(steps + 1, n)`` bool: which 3-D path points the surface leaves in view
        (gdmath's ray march, in the axes' own coordinates; the camera stands still)."""
        eye = still_camera_eye(self.renderer.camera)
        origin = self.axes3d.c2p(0, 0, 0)
        to_scene = np.column_stack([self.axes3d.c2p(*unit) - origin for unit in np.eye(3)])
        from_scene = np.linalg.inv(to_scene)
        in_data = (in_3d - origin) @ from_scene.T
        low, high = np.transpose(self.params.view_box())
        z_range = self.params.height_range
        height = lambda p: clip_height(self.params.objective.value(p), z_range)  # noqa: E731  as drawn
        return gdmath.visible_from(height, in_data, from_scene @ (eye - origin), low, high)

    def clipped_marks(self, colors) -> tuple[BatchedMarks, BatchedMarks]:
        """The marks of a run that leaves the view: each path clipped to the surface and to the
        map, an arrowhead on their edges where a point went off (as ``lr_unstable``)."""
        history, p = self.data.history, self.params
        return (
            self.surface_marks(self.axes3d, history, colors, p.height_range, seen=self.visible_in_3d,
                               stroke_width=theme.PATH_STROKE_3D),
            self.map_marks(self.map_axes, history, colors),
        )

    def show_starts(self) -> None:
        colors = theme.POINT_COLORS
        if self.params.window_of(self.data.history) is not None:
            self.marks_3d, self.marks_map = self.clipped_marks(colors)
        else:
            in_3d, on_map = self.screen_paths()
            seen = self.visible_in_3d(in_3d)
            self.marks_3d = BatchedMarks(
                frame_points(self.renderer.camera, in_3d), self.tracker, colors, seen, stroke_width=theme.PATH_STROKE_3D
            )
            self.marks_map = BatchedMarks(on_map, self.tracker, colors)
        self.add_fixed_in_frame_mobjects(self.marks_3d, self.marks_map)
        self.add_fixed_in_frame_mobjects(self.counter)
        self.cue(f"{plural(self.params.n_points, 'start')} appear on the surface and on the map")
        self.play(
            self.marks_3d.grow_in(lag_ratio=0.01),
            self.marks_map.grow_in(lag_ratio=0.01),
            FadeIn(self.counter),
            run_time=theme.INTRO_TIME,
            rate_func=smooth,
        )

    def take_steps(self) -> None:
        self.cue(f"{plural(self.params.steps, 'step')} of size {self.params.alpha:g} begin: each start rolls downhill")
        progress_cues(self, self.data)
        self.play(run_steps(self.tracker, self.params.steps, theme.DESCENT_TIME))

    def show_verdict(self) -> None:
        """Say where the starts ended: gdmath's verdict on the last step of the history."""
        verdict = label(self.data.ended(), size=theme.READOUT_SIZE, color=theme.TEXT)
        verdict.to_edge(DOWN, buff=self.verdict_edge_buff)
        self.cue(sentence(self.data.verdict()))
        self.add_fixed_in_frame_mobjects(verdict)
        self.play(FadeIn(verdict, shift=theme.VERDICT_RISE * UP), run_time=theme.VERDICT_TIME)
