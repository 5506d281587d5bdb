"""`pip install .` in a fresh virtual environment installs the `gdviz` command, the same
program as `python render.py`: it publishes a figure from a folder outside the checkout."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LEFT_OUT = shutil.ignore_patterns(".git", ".venv", ".cache", "media", "build", "*.egg-info", "__pycache__",
                                  ".pytest_cache", ".ruff_cache")


@pytest.mark.slow
@pytest.mark.subprocess
def test_pip_install_gives_a_gdviz_command_that_publishes_a_figure(tmp_path):
    source = tmp_path / "gdviz-source"
    shutil.copytree(ROOT, source, ignore=LEFT_OUT)  # the checkout as a user clones it
    venv = tmp_path / "v"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", str(source)],
                         capture_output=True, text=True, timeout=1800)
    assert pip.returncode == 0, pip.stderr[-3000:]
    elsewhere = tmp_path / "blog"
    elsewhere.mkdir()
    help_text = subprocess.run([str(venv / "bin" / "gdviz"), "--help"], capture_output=True, text=True, cwd=elsewhere)
    assert help_text.returncode == 0 and "Render figures of the gradient-descent post" in help_text.stdout
    bad = subprocess.run([str(venv / "bin" / "gdviz"), "--scene", "convex", "--set", "alpha=-1"],
                         capture_output=True, text=True, cwd=elsewhere)
    assert bad.returncode == 2 and "alpha must be finite and > 0, got -1" in bad.stderr
    run = subprocess.run([str(venv / "bin" / "gdviz"), "--scene", "convex", "-q", "l", "--quiet"],
                         capture_output=True, text=True, cwd=elsewhere, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert (elsewhere / "media" / "convex.mp4").stat().st_size > 10_000
    verify = subprocess.run([str(venv / "bin" / "gdviz"), "--verify"], capture_output=True, text=True, cwd=elsewhere)
    assert verify.returncode == 0, verify.stderr
