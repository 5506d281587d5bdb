"""Cameras that also draw :class:`~scenes.components.marks.BatchedMarks` (manim's
cameras skip plain Mobjects), and projecting scene points into a still 3-D camera's frame."""

from __future__ import annotations

import numpy as np
from manim.camera.camera import Camera
from manim.camera.three_d_camera import ThreeDCamera

from scenes import theme
from scenes.components.marks import BatchedMarks


class _DrawsBatchedMarks:
    """Camera mixin: draw :class:`BatchedMarks` (manim's cameras skip plain Mobjects)."""

    def type_or_raise(self, mobject):
        kind = super().type_or_raise(mobject)  # also (re)builds self.display_funcs
        self.display_funcs[BatchedMarks] = self.display_batched_marks
        return BatchedMarks if isinstance(mobject, BatchedMarks) else kind

    def display_batched_marks(self, batch: list[BatchedMarks], pixel_array: np.ndarray) -> None:
        ctx = self.get_cairo_context(pixel_array)
        for marks in batch:
            marks.draw(ctx, self, pixel_array)


class MarksCamera(_DrawsBatchedMarks, Camera):
    """manim's 2-D Cairo camera, drawing :class:`BatchedMarks` too."""


class MarksThreeDCamera(_DrawsBatchedMarks, ThreeDCamera):
    """manim's 3-D Cairo camera, drawing :class:`BatchedMarks` (in frame coordinates) too,
    with the theme's share of manim's lighting on 3-D faces (``theme.surface_lighting()``)."""

    def modified_rgbas(self, vmobject, rgbas: np.ndarray) -> np.ndarray:
        shaded = super().modified_rgbas(vmobject, rgbas)
        lighting = theme.surface_lighting()
        if shaded is rgbas or lighting == 1.0:
            return shaded
        plain = shaded.copy()  # manim's two corner colours before it lit them
        plain[:, :3] = rgbas[: len(shaded), :3] if len(rgbas) >= len(shaded) else rgbas[0, :3]
        lit = plain.copy()
        lit[:, :3] += lighting * (shaded[:, :3] - plain[:, :3])
        return lit


def frame_points(camera: ThreeDCamera, points: np.ndarray) -> np.ndarray:
    """``(..., 3)`` scene points as a still 3-D camera shows them, in frame coordinates (z = 0)."""
    points = np.asarray(points, dtype=float)
    camera.reset_rotation_matrix()
    flat = camera.project_points(points.reshape(-1, 3).copy())
    flat[:, 2] = 0.0
    return flat.reshape(points.shape)
