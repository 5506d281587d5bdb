"""Cameras that also draw :class:`~scenes.components.marks.BatchedMarks` (manim's
cameras skip plain Mobjects), projecting scene points into a still 3-D camera's frame, and
where that camera's eye is (manim's perspective model: it belongs here, not in gdmath)."""

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


def camera_eye(frame_center, rotation, focal_distance: float) -> np.ndarray:
    """Where a perspective camera looking along its rotated ``-z`` stands: ``(3,)``.

    manim's ``ThreeDCamera`` maps ``p`` to ``R @ (p - frame_center)`` and divides ``x, y``
    by ``(d - z) / d`` (``d`` the focal distance), so its eye is the point with camera
    coordinates ``(0, 0, d)``: ``frame_center + R.T @ (0, 0, d)``.

    >>> camera_eye([0, 0, 0], np.eye(3), 20.0)
    array([ 0.,  0., 20.])
    """
    rotation = np.asarray(rotation, dtype=float)
    if rotation.shape != (3, 3):
        raise ValueError(f"rotation must have shape (3, 3), got {rotation.shape}")
    d = float(focal_distance)
    if not (np.isfinite(d) and d > 0):
        raise ValueError(f"focal_distance must be finite and > 0, got {d:g}")
    return np.asarray(frame_center, dtype=float) + rotation.T @ np.array([0.0, 0.0, d])


def still_camera_eye(camera: ThreeDCamera) -> np.ndarray:
    """``(3,)``: the eye of a still 3-D camera (its rotation refreshed first, as a frame would)."""
    camera.reset_rotation_matrix()
    return camera_eye(camera.frame_center, camera.get_rotation_matrix(), camera.get_focal_distance())
