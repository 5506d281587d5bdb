"""The basins figure: its starts, its counts (against a brute-force count from the
descent itself), gdmath.count_ends, and a real render."""

from __future__ import annotations

import numpy as np
import pytest

import gdmath
from gdmath import SIN_HILLS, TRIPLE_WELL
from scenes import REGISTRY, with_params
from scenes.basins import BasinsParams, BasinsScene, basins_run


def brute_force_counts(finals: np.ndarray, tolerance: float) -> tuple[np.ndarray, int]:
    """Per minimum and unsettled, by looping over the minima (not via nearest_minimum)."""
    minima = SIN_HILLS.minima
    per_minimum = np.zeros(len(minima), int)
    unsettled = 0
    for point in finals:
        gaps = [float(np.hypot(*(point - m))) for m in minima]
        best = int(np.argmin(gaps))
        if gaps[best] <= tolerance:
            per_minimum[best] += 1
        else:
            unsettled += 1
    return per_minimum, unsettled


def basins_descent(p: BasinsParams) -> gdmath.DescentHistory:
    return basins_run(p).history


def test_the_starts_are_a_grid_of_cell_centres():
    p = BasinsParams(per_side=4, start_box=2.0, steps=1)
    starts = basins_descent(p).points[0]
    assert starts.shape == (16, 2)
    assert np.allclose(np.unique(starts[:, 0]), [-1.5, -0.5, 0.5, 1.5])
    assert np.allclose(starts[:4, 1], -1.5)  # x runs fastest


def test_the_figures_counts_match_a_brute_force_count():
    p = BasinsParams(per_side=24, steps=40)
    history = basins_descent(p)
    ends = gdmath.count_ends(SIN_HILLS, history.final)
    per_minimum, unsettled = brute_force_counts(history.final, gdmath.SETTLED_TOLERANCE)
    assert ends.per_minimum.tolist() == per_minimum.tolist()
    assert ends.unsettled == unsettled
    assert ends.settled + ends.unsettled == 24 * 24
    # a short run leaves some starts near the saddles and ridges, a long one fewer
    longer = gdmath.count_ends(SIN_HILLS, basins_descent(BasinsParams(per_side=24, steps=400)).final)
    assert 0 < longer.unsettled < ends.unsettled


def test_symmetric_starts_split_evenly_between_mirrored_basins():
    """sin x sin y is symmetric under (x, y) -> (-x, -y): the basins of (-pi/2, pi/2) and
    (pi/2, -pi/2) get the same number of starts from a symmetric grid."""
    history = basins_descent(BasinsParams(per_side=30))
    ends = gdmath.count_ends(SIN_HILLS, history.final)
    minima = SIN_HILLS.minima
    a = np.flatnonzero(np.all(np.isclose(minima, [-np.pi / 2, np.pi / 2]), axis=1))[0]
    b = np.flatnonzero(np.all(np.isclose(minima, [np.pi / 2, -np.pi / 2]), axis=1))[0]
    assert ends.per_minimum[a] == ends.per_minimum[b] > 0


def test_the_post_runs_numbers_are_gdmaths():
    """What the readout, the cues and the description say, computed here from the 60 x 60
    cell centres over [-pi, pi]^2 and plain descent."""
    axis = np.linspace(-np.pi + np.pi / 60, np.pi - np.pi / 60, 60)
    x, y = np.meshgrid(axis, axis)
    h = gdmath.gradient_descent(SIN_HILLS, np.column_stack([x.ravel(), y.ravel()]), alpha=0.1, steps=80)
    settled = gdmath.nearest_minimum(SIN_HILLS, h.final).settled
    per_minimum, unsettled = brute_force_counts(h.final, gdmath.SETTLED_TOLERANCE)
    mid = int(gdmath.nearest_minimum(SIN_HILLS, h.points[40]).settled.sum())

    run = basins_run(BasinsParams())
    np.testing.assert_array_equal(run.history.points, h.points)
    reached = f"{int((per_minimum > 0).sum())} basins reached"
    assert run.facts() == (f"{settled.sum():,} reached a minimum", f"{(~settled).sum():,} still on a saddle or ridge",
                           reached)
    assert unsettled == (~settled).sum() > 0
    assert run.progress(40) == f"Step 40 of 80: {mid:,} starts have settled in a minimum"
    assert run.counts()[0] == "3,600 starts, 80 steps:"
    assert f"3,600 starts, 80 steps: {settled.sum():,} reached a minimum, " in BasinsScene.describe()
    np.testing.assert_array_equal(run.verdict.settled, settled)


def test_count_ends_counts_per_minimum_and_unsettled():
    ends = gdmath.count_ends(TRIPLE_WELL, [[2.0], [2.0], [0.5]])
    assert ends.per_minimum[2] == 2 and ends.settled == 2 and ends.unsettled == 1
    with pytest.raises(ValueError, match="tolerance"):
        gdmath.count_ends(TRIPLE_WELL, [[2.0]], tolerance=-1)


def test_basins_is_registered_after_field():
    names = list(REGISTRY)
    assert names.index("basins") == names.index("field") + 1


@pytest.mark.slow
def test_a_low_render_publishes_a_video_whose_readout_matches_gdmath(tmp_path):
    from pipeline import publish

    shown = []

    class Probed(with_params(BasinsScene, per_side=16, steps=30)):
        def show_counts(self) -> None:
            super().show_counts()
            # the readout as typeset, parsed back: "N reached a minimum", "M still on a saddle or ridge"
            texts = [line.original_text for line in self.readout]
            shown.append(tuple(int(t.split()[0].replace(",", "")) for t in texts[1:3]))

    result = publish.render_figure("basins", Probed, "l", tmp_path / "media", tmp_path / "cache")
    info = publish.probe_video(result.video)
    assert info.frames > 30 and (info.width, info.height) == (854, 480)
    per_minimum, unsettled = brute_force_counts(basins_descent(Probed.params).final, gdmath.SETTLED_TOLERANCE)
    assert shown == [(int(per_minimum.sum()), unsettled)]
