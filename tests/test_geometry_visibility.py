"""Occlusion by a height field (gdmath.visible_from) on constructed cases, and the scenes'
camera model (``scenes.components.camera_eye``) against manim's own ThreeDCamera projection."""

from __future__ import annotations

import numpy as np
import pytest

import gdmath
from gdmath import SIN_HILLS, visible_from
from scenes.components.camera import camera_eye, still_camera_eye

BOX = ([-4.0, -4.0], [4.0, 4.0])


def peak(p):
    """A single hill of height 2 at the origin."""
    return 2.0 * np.exp(-np.sum(np.asarray(p) ** 2, axis=-1))


def on_peak(xy, lift=0.05):
    """``(1, 3)``: the point just above the hill's surface at ``xy``."""
    return np.array([[*xy, peak(xy) + lift]])


EYE = np.array([20.0, 0.0, 3.0])  # far out on +x, a little above the hill's top


def test_a_point_just_behind_a_peak_is_hidden():
    assert not visible_from(peak, on_peak([-1.2, 0.0]), EYE, *BOX)[0]


def test_the_same_point_moved_in_front_of_the_peak_is_shown():
    assert visible_from(peak, on_peak([1.2, 0.0]), EYE, *BOX)[0]


def test_a_point_beside_the_peak_is_shown_past_it():
    assert visible_from(peak, on_peak([-1.2, 3.5]), EYE, *BOX)[0]


def test_a_point_on_an_open_slope_facing_the_camera_is_shown():
    # on the sin hills, the slope of the peak at (pi/2, pi/2) that faces +x, +x side
    eye = np.array([30.0, 1.5, 6.0])
    x = np.array([2.4, 1.5])
    point = np.array([*x, float(SIN_HILLS.value(x)) + 0.02])
    assert visible_from(SIN_HILLS.value, point[None], eye, [-5, -5], [5, 5])[0]
    # and the same spot on the far face of that peak is hidden
    far = np.array([0.7, 1.5])
    behind = np.array([*far, float(SIN_HILLS.value(far)) + 0.02])
    assert not visible_from(SIN_HILLS.value, behind[None], eye, [-5, -5], [5, 5])[0]


def test_shapes_are_kept_and_bad_input_named():
    points = np.zeros((5, 7, 3))
    points[..., 2] = 3.0  # above the hill: seen
    assert visible_from(peak, points, EYE, *BOX).shape == (5, 7)
    assert visible_from(peak, points, EYE, *BOX).all()
    with pytest.raises(ValueError, match="got \\(4, 2\\)"):
        visible_from(peak, np.zeros((4, 2)), EYE, *BOX)
    with pytest.raises(ValueError, match="samples"):
        visible_from(peak, points, EYE, *BOX, samples=1)


def manim_camera():
    from manim import DEGREES
    from manim.camera.three_d_camera import ThreeDCamera

    from scenes import theme

    camera = ThreeDCamera()
    camera.set_phi(theme.CAMERA_PHI_DEG * DEGREES)
    camera.set_theta(theme.CAMERA_THETA_DEG * DEGREES)
    camera.set_zoom(theme.CAMERA_ZOOM)
    camera.reset_rotation_matrix()
    return camera


def test_the_eye_matches_manims_perspective_projection():
    """Points on one line of sight through the eye land on the same screen spot in
    manim's projection, and manim's depth orders points as their distance to the eye."""
    camera = manim_camera()
    eye = camera_eye(camera.frame_center, camera.get_rotation_matrix(), camera.get_focal_distance())
    rng = np.random.default_rng(0)
    targets = rng.uniform(-3, 3, size=(20, 3))
    for share in (0.0, 0.3, 0.6):
        on_line = targets + share * (eye - targets)
        projected = camera.project_points(on_line)[:, :2]
        np.testing.assert_allclose(projected, camera.project_points(targets)[:, :2], atol=1e-9)
    depth = camera.project_points(targets)[:, 2]  # larger: nearer the camera
    distance = np.linalg.norm(targets - eye, axis=-1)
    # along the view axis, depth and distance agree in order for points near the axis
    near_axis = np.linalg.norm(camera.project_points(targets)[:, :2], axis=-1) < 1.0
    order = np.argsort(-depth[near_axis])
    assert np.all(np.diff(distance[near_axis][order]) > -0.5)
    # a point straight between the eye and a target is nearer in manim's depth
    between = targets + 0.5 * (eye - targets)
    assert np.all(camera.project_points(between)[:, 2] > depth)


def test_the_camera_model_lives_with_the_scenes_not_in_gdmath():
    assert not hasattr(gdmath, "camera_eye") and "camera_eye" not in gdmath.__all__
    camera = manim_camera()
    np.testing.assert_allclose(still_camera_eye(camera), camera_eye(camera.frame_center, camera.get_rotation_matrix(),
                                                                     camera.get_focal_distance()))
    with pytest.raises(ValueError, match="rotation must have shape"):
        camera_eye([0, 0, 0], np.eye(2), 1.0)
    with pytest.raises(ValueError, match="focal_distance must be finite and > 0, got 0"):
        camera_eye([0, 0, 0], np.eye(3), 0.0)


def test_the_hills_camera_hides_the_far_side_of_a_peak():
    """With the hills camera, a point behind the peak nearest the camera's far side is hidden."""
    camera = manim_camera()
    eye = camera_eye(camera.frame_center, camera.get_rotation_matrix(), camera.get_focal_distance())
    # the surface in scene units: z = s * sin x sin y over [-5, 5]^2 (scale 1, so the eye is in the same units)
    field = lambda p: 1.5 * SIN_HILLS.value(p)  # noqa: E731
    front_dir = eye[:2] / np.linalg.norm(eye[:2])
    peak_xy = np.array([np.pi / 2, np.pi / 2]) * np.sign(front_dir)
    peak_xy = peak_xy if field(peak_xy) > 0 else np.array([np.pi / 2, -np.pi / 2]) * np.sign(front_dir)
    behind_xy = peak_xy - 1.2 * front_dir
    front_xy = peak_xy + 1.2 * front_dir
    points = np.array([[*behind_xy, field(behind_xy) + 0.02], [*front_xy, field(front_xy) + 0.02]])
    seen = visible_from(field, points, eye, [-5, -5], [5, 5])
    assert seen.tolist() == [False, True]


def test_marching_in_blocks_of_points_gives_the_same_answer(monkeypatch):
    import gdmath.geometry

    rng = np.random.default_rng(5)
    xy = rng.uniform(-4, 4, (3, 700, 2))
    points = np.concatenate([xy, peak(xy)[..., None] + rng.uniform(0.01, 0.6, (3, 700, 1))], axis=-1)
    whole = visible_from(peak, points, EYE, *BOX)
    assert 0 < whole.mean() < 1  # both kinds occur
    monkeypatch.setattr(gdmath.geometry, "_MARCH_BLOCK", 48 * 37)  # blocks of 37 points, the last one short
    np.testing.assert_array_equal(visible_from(peak, points, EYE, *BOX), whole)
