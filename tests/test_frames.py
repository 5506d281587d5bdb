"""Picture tests: the published poster against a reviewed reference image.

manim's own ``frames_comparison`` skips silently on cairo < 1.18 (Debian 12 has
1.16), so this compares pixels itself. After a deliberate change to a figure, look
at the new poster, then refresh the reference with

    GDVIZ_REGEN_REFERENCE=1 ./run test tests/test_frames.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from conftest import changed

REFERENCE = Path(__file__).parent / "reference"


@pytest.mark.slow
def test_hills_poster_matches_the_reference(hills_low):
    out, _, _ = hills_low
    poster = out / "hills.png"
    reference = REFERENCE / "hills_poster_480p.png"
    if os.environ.get("GDVIZ_REGEN_REFERENCE"):
        shutil.copyfile(poster, reference)
    assert reference.exists(), f"no reference yet: run with GDVIZ_REGEN_REFERENCE=1 and look at {reference}"
    new = np.asarray(Image.open(poster).convert("RGB"))
    old = np.asarray(Image.open(reference).convert("RGB"))
    assert new.shape == old.shape
    # rendering is deterministic (same run twice: identical pixels); allow ~40 pixels
    # of anti-aliasing drift, while a single recoloured path moves ~250
    assert changed(new, old, tolerance=8, block=1) < 1e-4, "the hills poster changed: look, then refresh"
