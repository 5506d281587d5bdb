"""``--set optimizer=...`` on the descent figures that run many starts (hills, field,
minima): the chosen rule is the one that runs, its name is on screen, the manifest
records it, and a name or hyperparameter that does not fit is refused before any render."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from click.testing import CliRunner
from manim import Text

import gdmath
import render
from pipeline.params import effective_params, parse_overrides, validation_problems
from scenes import REGISTRY, with_params
from scenes.field import FieldScene
from scenes.hills import HillsScene
from scenes.minima import MinimaScene
from scenes.params import check

TINY_HILLS = {"n_points": 3, "steps": 6, "surface_resolution": 6, "map_pixels": 16}
TINY_FIELD = {"n_points": 3, "steps": 6, "arrows_per_side": 3, "map_pixels": 16}
TINY_MINIMA = {"starts": (-2.2, -0.5, 0.6, 1.9), "steps": 8}
CHOICES = "sgd (alpha), momentum (alpha, beta), nesterov (alpha, beta), rmsprop (alpha, rho, eps), adam (alpha, beta1, beta2, eps)"


def seeded_starts(params) -> np.ndarray:
    """The hills starts, drawn here from the seed as the post describes them."""
    box = np.array([params.start_box, params.start_box])
    return gdmath.random_starts(params.n_points, -box, box, seed=params.seed)


def texts(scene) -> list[str]:
    """Every Text on screen at the end (the scene's mobjects and their families), without
    spaces (manim's ``Text.text`` drops them)."""
    return [m.text for top in scene.mobjects for m in top.get_family() if isinstance(m, Text)]


def spaceless(*lines: str) -> list[str]:
    return [line.replace(" ", "") for line in lines]


# --- the rule that runs ----------------------------------------------------------------------
def test_hills_runs_adam_with_the_given_beta1(build_scene):
    scene = build_scene(with_params(HillsScene, **TINY_HILLS, optimizer="adam", alpha=0.2, beta1=0.8))
    p = scene.params
    expected = gdmath.descend(gdmath.SIN_HILLS, seeded_starts(p), gdmath.Adam(0.2, beta1=0.8), 6)
    np.testing.assert_array_equal(scene.data.history.points, expected.points)
    plain = gdmath.gradient_descent(gdmath.SIN_HILLS, seeded_starts(p), alpha=0.2, steps=6)
    assert np.abs(scene.data.history.points - plain.points).max() > 1e-3  # Adam is not SGD here
    assert spaceless("Adam (alpha 0.2, beta1 0.8, beta2 0.999)")[0] in texts(scene)


def test_field_runs_nesterov_like_hills(build_scene):
    scene = build_scene(with_params(FieldScene, **TINY_FIELD, optimizer="nesterov", beta=0.5))
    p = scene.params
    expected = gdmath.descend(gdmath.SIN_HILLS, seeded_starts(p), gdmath.Nesterov(p.alpha, beta=0.5), 6)
    np.testing.assert_array_equal(scene.data.run.history.points, expected.points)
    shown = texts(scene)
    assert shown[shown.index("Nesterov"):][:3] == spaceless("Nesterov", f"alpha {p.alpha:g}", "beta 0.5")


def test_minima_runs_momentum(build_scene):
    scene = build_scene(with_params(MinimaScene, **TINY_MINIMA, optimizer="momentum"))
    starts = np.array([[-2.2], [-0.5], [0.6], [1.9]])
    expected = gdmath.descend(gdmath.TRIPLE_WELL, starts, gdmath.Momentum(MinimaScene.params.alpha, beta=0.9), 8)
    np.testing.assert_array_equal(scene.data.history.points, expected.points)
    shown = texts(scene)
    assert shown[shown.index("Momentum"):][:3] == spaceless("Momentum", f"alpha {MinimaScene.params.alpha:g}", "beta 0.9")


def test_plain_sgd_is_the_default_and_goes_unnamed(build_scene):
    scene = build_scene(with_params(MinimaScene, **TINY_MINIMA))
    expected = gdmath.gradient_descent(gdmath.TRIPLE_WELL, np.array(TINY_MINIMA["starts"])[:, None],
                                       alpha=MinimaScene.params.alpha, steps=8)
    np.testing.assert_array_equal(scene.data.history.points, expected.points)
    assert not [t for t in texts(scene) if "alpha" in t or t in ("SGD", "Momentum", "Adam")]


# --- the rules -------------------------------------------------------------------------------
@pytest.mark.parametrize("scene", [HillsScene, FieldScene, MinimaScene])
@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"optimizer": "lbfgs"}, "optimizer must be one of sgd, momentum, nesterov, rmsprop, adam, got lbfgs"),
        ({"beta": 0.9}, f"beta is not a hyperparameter of sgd (it takes alpha); choices: {CHOICES}"),
        ({"optimizer": "adam", "rho": 0.9}, "rho is not a hyperparameter of adam (it takes alpha, beta1, beta2, eps)"),
        ({"optimizer": "rmsprop", "beta1": 0.9, "beta": 0.5}, "beta, beta1 is not a hyperparameter of rmsprop"),
        ({"optimizer": "momentum", "beta": 1.0}, "beta must be unset or finite and in [0, 1), got 1"),
        ({"optimizer": "adam", "eps": 0.0}, "eps must be unset or finite and > 0, got 0"),
    ],
)
def test_check_refuses_what_the_optimizer_does_not_take(scene, overrides, words):
    problems = check(dataclasses.replace(scene.params, **overrides))
    assert len(problems) == 1 and words in problems[0]


def test_a_foreign_hyperparameter_is_reported_beside_another_broken_field():
    problems = check(dataclasses.replace(HillsScene.params, optimizer="adam", beta=0.9, steps=0))
    assert len(problems) == 2 and problems[0].startswith("steps must be") and "beta is not" in problems[1]
    # with the optimizer itself broken, only that is said (what it takes is unknown)
    assert check(dataclasses.replace(HillsScene.params, optimizer="adamw", beta=0.9)) == [
        "optimizer must be one of sgd, momentum, nesterov, rmsprop, adam, got adamw"]


def test_every_optimizer_with_its_own_hyperparameters_passes():
    for overrides in [{"optimizer": "sgd"}, {"optimizer": "momentum", "beta": 0.95},
                      {"optimizer": "nesterov", "beta": 0.0}, {"optimizer": "rmsprop", "rho": 0.5, "eps": 1e-6},
                      {"optimizer": "adam", "beta1": 0.8, "beta2": 0.99, "eps": 1e-7}]:
        assert check(dataclasses.replace(HillsScene.params, **overrides)) == [], overrides


def test_set_values_are_typed_as_floats_though_unset_by_default():
    figures = [REGISTRY["hills"], REGISTRY["minima"]]
    overrides = parse_overrides(("optimizer=adam", "beta2=0.99", "eps=1e-6"), figures)
    assert overrides["hills"] == overrides["minima"] == {"optimizer": "adam", "beta2": 0.99, "eps": 1e-6}
    assert validation_problems(figures, overrides) == []
    with pytest.raises(ValueError, match="beta must be a float, got 'high'"):
        parse_overrides(("beta=high",), figures)


def test_manifest_values_name_the_rule_and_its_hyperparameters_as_run():
    hills = REGISTRY["hills"]
    adam = effective_params(hills, {"optimizer": "adam", "beta1": 0.8})
    assert {k: adam[k] for k in ("optimizer", "alpha", "beta1", "beta2", "eps")} == {
        "optimizer": "adam", "alpha": 0.1, "beta1": 0.8, "beta2": 0.999, "eps": 1e-8}
    assert "beta" not in adam and "rho" not in adam and adam["n_points"] == 12
    plain = effective_params(hills, {})
    assert plain["optimizer"] == "sgd" and not {"beta", "beta1", "beta2", "rho", "eps"} & set(plain)
    # the same run said two ways has the same parameters (and so the same cache key)
    assert effective_params(hills, {"optimizer": "momentum"}) == effective_params(hills, {"optimizer": "momentum", "beta": 0.9})


# --- the command line --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sets", "words"),
    [
        (["optimizer=adagrad"], "one of sgd, momentum, nesterov, rmsprop, adam, got adagrad"),
        (["beta=0.9"], f"minima: beta is not a hyperparameter of sgd (it takes alpha); choices: {CHOICES}"),
        (["optimizer=adam", "rho=0.9"], f"minima: rho is not a hyperparameter of adam (it takes alpha, beta1, beta2, eps); choices: {CHOICES}"),
    ],
)
def test_cli_refuses_before_any_render(tmp_path, sets, words):
    out = tmp_path / "media"
    args = ["--scene", "minima", "-q", "l", "--out", str(out), "--cache", str(tmp_path / "cache")]
    result = CliRunner().invoke(render.main, args + [x for s in sets for x in ("--set", s)])
    assert result.exit_code == 2, result.output
    assert words in " ".join(result.output.split())
    assert not out.exists() or not any(p.suffix in (".mp4", ".png") for p in out.iterdir())


@pytest.mark.slow
def test_cli_render_records_the_optimizer_in_the_manifest(tmp_path):
    out = tmp_path / "media"
    args = ["--scene", "minima", "-q", "l", "--out", str(out), "--cache", str(tmp_path / "cache"),
            "--set", "starts=-2.2,0.6", "--set", "steps=3", "--set", "optimizer=momentum", "--set", "beta=0.5"]
    result = CliRunner().invoke(render.main, args)
    assert result.exit_code == 0, result.output
    (entry,) = [e for e in json.loads((out / "manifest.json").read_text())["figures"] if e["name"] == "minima"]
    assert entry["params"]["optimizer"] == "momentum"
    assert entry["params"]["beta"] == 0.5 and entry["params"]["alpha"] == MinimaScene.params.alpha
    assert not {"beta1", "beta2", "rho", "eps"} & set(entry["params"])
    assert (out / "minima.mp4").stat().st_size > 0


def test_the_params_module_examples_hold():
    """scenes/params.py's doctests (the suite collects doctests from gdmath only)."""
    import doctest

    import scenes.params

    result = doctest.testmod(scenes.params)
    assert result.attempted >= 8 and result.failed == 0


def test_descriptions_name_the_rule_and_use_its_numbers():
    plain = MinimaScene.describe()
    assert "Momentum" not in plain and "(SGD" not in plain
    momentum = with_params(MinimaScene, optimizer="momentum")
    text = momentum.describe()
    assert f"step size {MinimaScene.params.alpha:g} (Momentum, beta 0.9);" in text
    # its closing count is Momentum's own, computed here with gdmath
    h = gdmath.descend(gdmath.TRIPLE_WELL, np.array(MinimaScene.params.starts)[:, None],
                       gdmath.Momentum(MinimaScene.params.alpha), MinimaScene.params.steps)
    best = int(gdmath.nearest_minimum(gdmath.TRIPLE_WELL, h.final).is_global.sum())
    assert f"{best} of 8 starts end in a global minimum" in text and best != 5
    assert "5 of 8 starts end in a global minimum" in plain
    assert "(Adam, beta1 0.9, beta2 0.999)" in with_params(HillsScene, optimizer="adam").describe()
    assert "(Nesterov, beta 0.9)" in with_params(FieldScene, optimizer="nesterov").describe()
