"""The playground's optimizer selector: every update rule, driven in headless Chromium,
lands where gdmath puts it (1e-9), across a switch of optimizer (state reset to zero,
t to 0) and across alpha and hyperparameter changes (state kept).

Fixtures ``browser`` (Debian's chromium through Playwright's driver) and the page
helpers come from conftest.py and test_playground.py.
"""

from __future__ import annotations

import numpy as np
import pytest
import test_playground
from test_playground import AGREE, click_at, paths, shown

import gdmath
from gdmath import SIN_HILLS
from scenes.playground import PlaygroundParams, page_config

ALPHA = PlaygroundParams().alpha
# the page fixtures of test_playground.py: the built page served locally, opened in Chromium
site = test_playground.site
open_page = test_playground.open_page


def choose(page, name: str) -> None:
    """Pick ``name`` in the selector as a reader would (the select element's value)."""
    page.select_option("#optimizer", name)


def slide(page, selector: str, value: float) -> None:
    page.eval_on_selector(selector, f"s => {{ s.value = '{value}'; s.dispatchEvent(new Event('input')); }}")


def steps(page, k: int) -> None:
    for _ in range(k):
        page.keyboard.press("s")


def descend(start, optimizer, k: int) -> np.ndarray:
    """gdmath's path of one start: ``(k + 1, 2)``."""
    return gdmath.descend(SIN_HILLS, np.asarray(start, dtype=float)[None, :], optimizer, k).points[:, 0]


def run_with_changes(start, segments) -> np.ndarray:
    """gdmath's own update rules (``start``/``step``) over ``segments`` of ``(rule, k)``
    that share ONE state and update count, as an optimizer whose alpha or beta is
    changed between steps keeps its state. ``(sum k + 1, 2)``."""
    p = np.asarray(start, dtype=float)[None, :]
    state, t, path = segments[0][0].start(p.shape), 0, [p[0]]
    for rule, k in segments:
        for _ in range(k):
            t += 1
            out = np.empty_like(p)
            rule.step(p, SIN_HILLS.grad(p), state, t, out)
            p = out
            path.append(p[0])
    return np.array(path)


RULES = {
    "sgd": gdmath.SGD(ALPHA),
    "momentum": gdmath.Momentum(ALPHA),
    "nesterov": gdmath.Nesterov(ALPHA),
    "rmsprop": gdmath.RMSProp(ALPHA),
    "adam": gdmath.Adam(ALPHA),
}


def test_the_selector_offers_every_gdmath_optimizer_with_its_defaults():
    offered = page_config()["optimizers"]
    assert [o["key"] for o in offered] == list(gdmath.OPTIMIZERS)
    for o in offered:
        rule = gdmath.OPTIMIZERS[o["key"]]
        assert o["name"] == rule.name
        assert o["defaults"] == {k: v for k, v in rule(0.5).hyperparameters.items() if k != "alpha"}
    for name, (low, high, step) in page_config()["hyperSliders"].items():
        for o in offered:
            if name in o["defaults"]:  # the default sits on its slider's grid
                assert low <= o["defaults"][name] <= high
                assert abs(round((o["defaults"][name] - low) / step) * step + low - o["defaults"][name]) < 1e-12


@pytest.mark.parametrize("name", list(RULES))
def test_each_optimizer_agrees_with_gdmath_descend(open_page, name):
    page = open_page()
    choose(page, name)
    a = click_at(page, 0.6, 0.4)
    b = click_at(page, -2.3, 1.9)
    steps(page, 30)
    expected = gdmath.descend(SIN_HILLS, np.array([a, b]), RULES[name], 30).points
    got = paths(page)
    np.testing.assert_allclose(got[0], expected[:, 0], rtol=0, atol=AGREE)
    np.testing.assert_allclose(got[1], expected[:, 1], rtol=0, atol=AGREE)
    if name != "sgd":  # the rule really is another one than plain descent
        plain = gdmath.gradient_descent(SIN_HILLS, np.array([a]), alpha=ALPHA, steps=30).points[:, 0]
        assert np.abs(got[0] - plain).max() > 1e-3
    assert page.evaluate("playground.state()")["points"][0]["t"] == 30


def test_switching_optimizer_mid_run_restarts_its_state(open_page):
    page = open_page()
    start = click_at(page, 1.1, -0.5)
    choose(page, "momentum")
    assert "state starts from zero" in page.inner_text("#status")
    steps(page, 7)
    choose(page, "adam")
    assert page.evaluate("playground.state()")["points"][0]["t"] == 0
    steps(page, 9)
    page.keyboard.press("o")  # the next one in the list after adam: back to sgd
    assert shown_optimizer(page) == "sgd"
    steps(page, 4)
    first = descend(start, gdmath.Momentum(ALPHA), 7)
    second = descend(first[-1], gdmath.Adam(ALPHA), 9)  # fresh state, t from 1
    third = descend(second[-1], gdmath.SGD(ALPHA), 4)
    expected = np.vstack([first, second[1:], third[1:]])
    np.testing.assert_allclose(paths(page)[0], expected, rtol=0, atol=AGREE)
    # carrying Momentum's velocity into Adam would have landed elsewhere
    carried = run_with_changes(start, [(gdmath.Momentum(ALPHA), 7), (gdmath.Momentum(ALPHA), 9)])
    assert np.abs(carried[-1] - expected[16]).max() > 1e-3


def shown_optimizer(page) -> str:
    return page.evaluate("document.getElementById('playground').dataset.optimizer")


@pytest.mark.parametrize("name", ["momentum", "adam"])
def test_alpha_and_hyperparameter_changes_keep_the_state(open_page, name):
    page = open_page()
    choose(page, name)
    start = click_at(page, -0.7, 2.2)
    steps(page, 5)
    page.focus("#alpha")
    for _ in range(10):
        page.keyboard.press("ArrowRight")  # 0.10 -> 0.20, keyboard only
    assert shown(page)["alpha"] == 0.2
    steps(page, 6)
    if name == "momentum":
        slide(page, "#beta", 0.5)
        later = gdmath.Momentum(0.2, beta=0.5)
        segments = [(gdmath.Momentum(ALPHA), 5), (gdmath.Momentum(0.2), 6), (later, 4)]
    else:
        slide(page, "#beta1", 0.7)
        slide(page, "#beta2", 0.95)
        later = gdmath.Adam(0.2, beta1=0.7, beta2=0.95)
        segments = [(gdmath.Adam(ALPHA), 5), (gdmath.Adam(0.2), 6), (later, 4)]
    steps(page, 4)
    expected = run_with_changes(start, segments)
    np.testing.assert_allclose(paths(page)[0], expected, rtol=0, atol=AGREE)
    # the first stretch is gdmath.descend itself; restarting the state at the change would differ
    np.testing.assert_allclose(expected[:6], descend(start, segments[0][0], 5), rtol=0, atol=AGREE)
    restarted = descend(expected[5], gdmath.OPTIMIZERS[name](0.2), 6)
    assert np.abs(restarted[-1] - expected[11]).max() > 1e-6
    assert page.evaluate("playground.state()")["points"][0]["t"] == 15


def test_rmsprop_rho_and_only_the_chosen_rules_controls_show(open_page):
    page = open_page()
    visible = lambda: sorted(  # noqa: E731
        page.evaluate("[...document.querySelectorAll('.hyper')].filter(d => !d.hidden).map(d => d.dataset.hyper)")
    )
    assert visible() == [] and not page.is_visible(".hypers")
    for name, controls in [("momentum", ["beta"]), ("nesterov", ["beta"]), ("rmsprop", ["rho"]),
                           ("adam", ["beta1", "beta2"]), ("sgd", [])]:
        choose(page, name)
        assert visible() == controls, name
        for control in controls:  # each control is named by its label
            assert page.get_by_label(page.inner_text(f"label[for={control}]").split("\n")[0].strip()).count() >= 1
    choose(page, "rmsprop")
    start = click_at(page, 2.0, 0.3)
    slide(page, "#rho", 0.6)
    steps(page, 12)
    expected = descend(start, gdmath.RMSProp(ALPHA, rho=0.6), 12)
    np.testing.assert_allclose(paths(page)[0], expected, rtol=0, atol=AGREE)


def test_reset_and_new_points_start_with_zero_state(open_page):
    page = open_page()
    choose(page, "nesterov")
    a = click_at(page, 0.4, 0.9)
    steps(page, 6)
    b = click_at(page, -1.2, -2.0)  # dropped later: its own t counts from its first step
    steps(page, 5)
    got = paths(page)
    np.testing.assert_allclose(got[0], descend(a, gdmath.Nesterov(ALPHA), 11), rtol=0, atol=AGREE)
    np.testing.assert_allclose(got[1], descend(b, gdmath.Nesterov(ALPHA), 5), rtol=0, atol=AGREE)
    page.keyboard.press("r")
    steps(page, 3)
    np.testing.assert_allclose(paths(page)[0], descend(a, gdmath.Nesterov(ALPHA), 3), rtol=0, atol=AGREE)


def test_the_selector_works_from_the_keyboard(open_page):
    page = open_page()
    start = click_at(page, 0.8, -2.6)
    page.focus("#optimizer")
    page.keyboard.press("ArrowDown")  # sgd -> momentum, as a keyboard user moves in a select
    assert shown_optimizer(page) == "momentum"
    assert page.inner_text("#rule").startswith("v \u2190 \u03b2v + g")
    page.keyboard.press("s")
    np.testing.assert_allclose(paths(page)[0], descend(start, gdmath.Momentum(ALPHA), 1), rtol=0, atol=AGREE)


def test_play_with_adam_pauses_by_itself_near_a_minimum(open_page):
    page = open_page()
    choose(page, "adam")
    start = click_at(page, 0.9, 0.7)
    page.click("#play")
    page.wait_for_function("document.getElementById('playground').dataset.playing === 'false'", timeout=60_000)
    k = shown(page)["step"]
    expected = descend(start, gdmath.Adam(ALPHA), k)
    np.testing.assert_allclose(paths(page)[0], expected, rtol=0, atol=AGREE)
    assert SIN_HILLS.value(expected[-1]) == pytest.approx(-1.0, abs=1e-6)
    assert np.hypot(*(expected[-1] - expected[-2])) < PlaygroundParams().settled_step


@pytest.mark.parametrize(("width", "height", "options"), [
    (1280, 800, {}),
    (390, 844, {"device_scale_factor": 3, "is_mobile": True, "has_touch": True}),
])
def test_controls_fit_with_adam_chosen(open_page, tmp_path, width, height, options):
    page = open_page(width, height, **options)
    choose(page, "adam")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scrolling"
    for selector in ["#optimizer", "#alpha", "#beta1", "#beta2", "#play", "#status"]:
        box = page.locator(selector).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, selector
    if width > 1000:  # on a desktop every control is in view without scrolling
        assert page.locator("#beta2").bounding_box()["y"] + 20 <= height
    page.screenshot(path=tmp_path / f"adam_{width}.png", full_page=True)
