"""The scene base: a 2-D scene on the theme's background, and placing a 3-D group
beside flat panels as a still camera sees it."""

from __future__ import annotations

import numpy as np
from manim import Scene, VGroup

from scenes import theme


class ThemedScene(Scene):
    """A 2-D scene on the project's background."""

    def setup(self) -> None:
        self.camera.background_color = theme.BACKGROUND


def centre_between(scene, group: VGroup, left: float, panel: VGroup) -> None:
    """Shift the 3-D ``group`` of ``scene`` (a ``ThreeDScene``) so that, as its camera
    sees it, it is centred between the screen x ``left`` and ``panel``'s left edge, at
    the height of ``panel[0]``. The camera must stand still (then this holds all along).
    """
    camera = scene.renderer.camera
    camera.reset_rotation_matrix()  # it is only refreshed when a frame is drawn
    on_screen = camera.project_points(group.get_all_points())
    centre = (on_screen.min(axis=0) + on_screen.max(axis=0)) / 2
    target_x = (left + panel.get_left()[0]) / 2
    target = np.array([target_x, panel[0].get_center()[1], 0.0])
    shift_on_screen = target - np.array([centre[0], centre[1], 0.0])
    group.shift(camera.get_rotation_matrix().T @ shift_on_screen)
