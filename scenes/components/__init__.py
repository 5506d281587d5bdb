"""Pieces every figure shares, one module per concept (as manim splits ``mobject/graphing``
from ``mobject/text``):

- ``scene``: ``ThemedScene``, ``centre_between`` (a 3-D group beside flat panels);
- ``axes``: ``plane_axes``, ``surface_axes``, ``log_axes``, ``decade_range``,
  ``tick_labels``, ``ticks``, ``framed_plot``;
- ``colour``: ``height_rgb``, ``colorscale``, ``image_rows``, ``height_pixels``, ``heat_map``,
  ``stretch_over``;
- ``text``: ``title``, ``label``, ``heading``, ``readout``, ``GlyphSet``, ``GlyphReadout``,
  ``step_readout``, ``step_counter``, ``merged_ink``;
- ``numbers``: ``MINUS``, ``power_of_ten``, ``number_text``, ``sci``;
- ``legend``: ``legend_entry``, ``swatch``, ``coloured_entry``;
- ``marks``: ``DescentMarks``, ``BatchedMarks`` (``ScreenClip``, ``screen_clip``) (many points, drawn in batches), ``ring``,
  ``minimum_ring``;
- ``camera``: ``MarksCamera``, ``MarksThreeDCamera`` (draw batched marks), ``frame_points``,
  ``camera_eye``, ``still_camera_eye`` (manim's perspective eye);
- ``descent``: ``DescentParams`` (the descent figures' objective, view, starts, run, height
  map and settled counts: pure, for their params), ``DescentScene`` (the view's axes);
- ``paths``: ``line_curves``, ``arrowheads``, ``ClippedSteps``, ``curve``, ``ellipse_contours``;
- ``fields``: ``ArrowField``, ``gradient_arrows``;
- ``surfaces``: ``height_surface``, ``surface_and_map_paths``, ``on_surface``;
- ``motion``: ``StepTracking``, ``at_step``, ``run_steps``.

Every public name is re-exported here (``from scenes import components;
components.heat_map(...)``). Components map gdmath's arrays to the screen; they never
compute the descent.
"""

from scenes.components.axes import decade_range, framed_plot, log_axes, plane_axes, surface_axes, tick_labels, ticks
from scenes.components.camera import MarksCamera, MarksThreeDCamera, camera_eye, frame_points, still_camera_eye
from scenes.components.colour import colorscale, heat_map, height_pixels, height_rgb, image_rows, stretch_over
from scenes.components.descent import DescentParams, DescentScene, ObjectiveParams, verdict_of
from scenes.components.fields import ArrowField, gradient_arrows
from scenes.components.legend import coloured_entry, legend_entry, swatch
from scenes.components.marks import BatchedMarks, DescentMarks, ScreenClip, minimum_ring, ring, screen_clip
from scenes.components.motion import StepTracking, at_step, run_steps
from scenes.components.numbers import MINUS, number_text, power_of_ten, sci
from scenes.components.paths import ClippedSteps, arrowheads, curve, ellipse_contours, line_curves
from scenes.components.scene import ThemedScene, centre_between
from scenes.components.surfaces import clip_height, height_surface, on_surface, surface_and_map_paths
from scenes.components.text import (
    GlyphReadout,
    GlyphSet,
    heading,
    label,
    merged_ink,
    readout,
    step_counter,
    step_readout,
    title,
)

__all__ = [
    "ArrowField",
    "BatchedMarks",
    "ScreenClip",
    "screen_clip",
    "ClippedSteps",
    "DescentMarks",
    "DescentParams",
    "ObjectiveParams",
    "verdict_of",
    "DescentScene",
    "GlyphReadout",
    "GlyphSet",
    "MINUS",
    "MarksCamera",
    "MarksThreeDCamera",
    "StepTracking",
    "ThemedScene",
    "arrowheads",
    "camera_eye",
    "at_step",
    "centre_between",
    "colorscale",
    "coloured_entry",
    "curve",
    "decade_range",
    "ellipse_contours",
    "frame_points",
    "framed_plot",
    "gradient_arrows",
    "heading",
    "heat_map",
    "height_surface",
    "clip_height",
    "height_pixels",
    "height_rgb",
    "image_rows",
    "label",
    "legend_entry",
    "line_curves",
    "log_axes",
    "merged_ink",
    "minimum_ring",
    "number_text",
    "plane_axes",
    "power_of_ten",
    "readout",
    "ring",
    "run_steps",
    "sci",
    "step_counter",
    "step_readout",
    "still_camera_eye",
    "stretch_over",
    "surface_and_map_paths",
    "on_surface",
    "surface_axes",
    "swatch",
    "tick_labels",
    "ticks",
    "title",
]
