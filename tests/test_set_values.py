"""``--set`` values that used to pass silently: an empty list item, a key given twice, and
``--list`` saying the budgets beside the ranges."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import render
from pipeline.params import parse_overrides
from scenes import REGISTRY


@pytest.mark.parametrize("text, item", [("1,,2", 2), (",1", 1), ("1,2,", 3), ("1, ,2", 2)])
def test_an_empty_list_item_is_an_error_naming_it(text, item):
    with pytest.raises(ValueError, match=rf"starts has an empty item \(item {item} of '{text}'\)"):
        parse_overrides((f"starts={text}",), [REGISTRY["minima"]])


def test_a_full_list_still_reads():
    assert parse_overrides(("starts=-1.5, 0.5,2",), [REGISTRY["minima"]])["minima"]["starts"] == (-1.5, 0.5, 2.0)


def test_a_key_given_twice_is_an_error_naming_both_values():
    with pytest.raises(ValueError, match=r"alpha is set twice \('0.1', then '0.2'\): set it once"):
        parse_overrides(("alpha=0.1", "alpha=0.2"), [REGISTRY["hills"]])


@pytest.mark.parametrize("settings", [("starts=1,,2",), ("alpha=0.1", "alpha=0.2")])
def test_the_cli_refuses_them_with_exit_2_before_writing(tmp_path, settings):
    args = ["--scene", "minima", "-q", "l", "--out", str(tmp_path / "o"), "--cache", str(tmp_path / "c")]
    for setting in settings:
        args += ["--set", setting]
    result = CliRunner().invoke(render.main, args)
    assert result.exit_code == 2 and ("empty item" in result.output or "set twice" in result.output)
    assert not (tmp_path / "o").exists() and not (tmp_path / "c").exists()


def test_list_states_the_grid_budget_beside_the_range():
    listing = CliRunner().invoke(render.main, ["--list"]).output
    assert "map_pixels: a whole number in [2, 2000], and at most 1000 (a budget of 1,000,000 grid cells)" in listing
    assert "steps x points within a 64 MiB history" in listing
