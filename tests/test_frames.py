"""Picture tests: the published poster against a reviewed reference image.

manim's own ``frames_comparison`` skips silently on cairo < 1.18 (Debian 12 has
1.16), so this compares pixels itself. After a deliberate change to a figure, look
at the new poster, then refresh the reference with

    GDVIZ_REGEN_REFERENCE=1 ./run test tests/test_frames.py

which writes the new references and then FAILS, naming each one written (a run that
regenerates never passes: it compared nothing). Run again without the variable.
References are dark (``NAME_poster_480p.png``) except a few light ones
(``NAME-light_poster_480p.png``, rendered by the command line with ``--theme light``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import changed
from PIL import Image

from scenes import REGISTRY

# GDVIZ_REFERENCE_DIR: another folder of references (the test of the regeneration itself)
REFERENCE = Path(os.environ.get("GDVIZ_REFERENCE_DIR", Path(__file__).parent / "reference"))


RENDERED = [name for name, figure in REGISTRY.items() if figure.kind in ("video", "still")]


# Light posters with a reference: the 3-D surface and map, and the contour windows.
LIGHT_REFERENCED = ["hills", "learning_rates"]


@pytest.mark.slow
@pytest.mark.parametrize("name", RENDERED)
def test_poster_matches_the_reference(name, published_low):
    assert_matches_reference(published_low(name).poster, name)


@pytest.fixture(scope="session")
def published_light(tmp_path_factory) -> Path:
    """The LIGHT_REFERENCED figures rendered at -q l in the light theme, by the command
    line in its own process (the theme is fixed per process): the folder they are in."""
    import subprocess
    import sys

    out, cache = tmp_path_factory.mktemp("light"), tmp_path_factory.mktemp("light-cache")
    scenes = [arg for name in LIGHT_REFERENCED for arg in ("--scene", name)]
    result = subprocess.run(
        [sys.executable, "render.py", *scenes, "--theme", "light", "-q", "l", "--jobs", "2", "--quiet",
         "--out", str(out), "--cache", str(cache)],
        cwd=Path(__file__).parent.parent, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.mark.subprocess
@pytest.mark.slow
@pytest.mark.parametrize("name", LIGHT_REFERENCED)
def test_light_poster_matches_the_reference(name, published_light):
    assert_matches_reference(published_light / f"{name}-light.png", f"{name}-light")


def assert_matches_reference(poster: Path, name: str) -> None:
    reference = REFERENCE / f"{name}_poster_480p.png"
    if os.environ.get("GDVIZ_REGEN_REFERENCE"):
        shutil.copyfile(poster, reference)
        pytest.fail(f"wrote a new reference {reference}: look at it, "
                    "then run again without GDVIZ_REGEN_REFERENCE", pytrace=False)
    assert reference.exists(), f"no reference yet: run with GDVIZ_REGEN_REFERENCE=1 and look at {reference}"
    new = np.asarray(Image.open(poster).convert("RGB"))
    old = np.asarray(Image.open(reference).convert("RGB"))
    assert new.shape == old.shape
    # rendering is deterministic (same run twice: identical pixels); allow ~40 pixels
    # of anti-aliasing drift, while a single recoloured path in hills moves ~250
    assert changed(new, old, tolerance=8, block=1) < 1e-4, f"the {name} poster changed: look, then refresh"


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in RENDERED if REGISTRY[n].kind == "video"])
def test_every_video_figure_publishes_a_valid_video(name, published_low):
    from pipeline import publish

    result = published_low(name)
    publish.check_video(publish.probe_video(result.video), "l")
    assert result.info.duration < 60


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in RENDERED if REGISTRY[n].kind == "still"])
def test_every_still_publishes_only_a_png(name, published_low):
    result = published_low(name)
    assert result.video is None and result.poster.exists()
    assert Image.open(result.poster).size == (854, 480)


@pytest.mark.subprocess
@pytest.mark.slow
def test_regenerating_writes_the_reference_and_fails(tmp_path):
    """GDVIZ_REGEN_REFERENCE must not pass: it writes the reference, then fails naming it."""
    import subprocess
    import sys

    env = dict(os.environ, GDVIZ_REGEN_REFERENCE="1", GDVIZ_REFERENCE_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", __file__, "-k", "poster_matches and linear_data"],
        cwd=Path(__file__).parent.parent, env=env, capture_output=True, text=True, timeout=300,
    )
    written = tmp_path / "linear_data_poster_480p.png"
    assert result.returncode == 1, result.stdout + result.stderr
    assert written.exists()
    assert f"wrote a new reference {written}" in result.stdout
    assert "1 failed" in result.stdout
