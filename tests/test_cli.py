"""The command line: listing, errors, and a real render checked from the file itself."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import changed, leftovers, mp4_top_level_boxes, published_names, read_frames, wait_until
from PIL import Image

import render
from pipeline import check, publish
from pipeline import render as manim_render

ROOT = Path(__file__).resolve().parent.parent


def invoke(*args):
    return CliRunner().invoke(render.main, list(args), catch_exceptions=False)


def test_list_names_every_figure_with_its_description():
    result = invoke("--list")
    assert result.exit_code == 0
    assert "hills" in result.output and "sin x sin y" in result.output


def test_help_explains_the_options():
    result = invoke("--help")
    assert result.exit_code == 0
    for option in ("--scene", "--quality", "--out", "--list", "1080p60"):
        assert option in result.output


def test_unknown_scene_exits_2_and_lists_the_names():
    result = CliRunner().invoke(render.main, ["--scene", "nope"])
    assert result.exit_code == 2
    assert "nope" in result.output and "hills" in result.output


def test_bad_quality_exits_2():
    assert CliRunner().invoke(render.main, ["-q", "x"]).exit_code == 2


@pytest.mark.slow
def test_render_publishes_a_web_ready_video(hills_low):
    out, _, result = hills_low
    video = out / "hills.mp4"
    info = check.probe_video(video)
    assert (info.codec, info.pix_fmt, info.width, info.height) == ("h264", "yuv420p", 854, 480)
    assert info.fps == 15
    assert 5 < info.duration < 60
    assert info.frames == pytest.approx(info.duration * 15, abs=2)
    boxes = mp4_top_level_boxes(video)
    assert boxes.index("moov") < boxes.index("mdat"), f"moov atom not at the front: {boxes}"
    assert "published" in result.output


@pytest.mark.slow
def test_render_publishes_the_last_frame_as_poster(hills_low):
    out, _, _ = hills_low
    poster = np.asarray(Image.open(out / "hills.png").convert("RGB"), dtype=float)
    first, last = read_frames(out / "hills.mp4", [0, -1])
    assert poster.shape == (480, 854, 3)
    # the poster is the lossless last frame: close to the decoded one (codec noise
    # aside), and the figure moves: the first frame differs from the last far more
    assert changed(poster, last) < 0.01
    assert changed(first, last) > 2 * changed(poster, last)


@pytest.mark.slow
def test_the_light_poster_is_a_lossy_webp_that_looks_like_the_png(hills_low):
    """NAME.webp: a WebP of the PNG's size, several times lighter, PSNR over 35 dB against
    it (q80 measures 38-41 dB at 1080p; a broken encode or a wrong frame is far below)."""
    out, _, _ = hills_low
    with Image.open(out / "hills.webp") as webp:
        assert webp.format == "WEBP"
        light = np.asarray(webp.convert("RGB"), dtype=float)
    exact = np.asarray(Image.open(out / "hills.png").convert("RGB"), dtype=float)
    assert light.shape == exact.shape
    psnr = 10 * np.log10(255**2 / np.mean((light - exact) ** 2))
    assert psnr > 35, f"the WebP poster is {psnr:.1f} dB from the PNG"
    assert (out / "hills.webp").stat().st_size * 3 < (out / "hills.png").stat().st_size
    entry = json.loads((out / "manifest.json").read_text())["figures"][0]
    assert entry["files"]["webp"]["bytes"] == (out / "hills.webp").stat().st_size


@pytest.mark.slow
def test_render_keeps_manim_files_out_of_the_published_folder(hills_low):
    out, cache, _ = hills_low
    assert published_names(out) == ["hills.mp4", "hills.png", "hills.vtt", "hills.webp", "index.html", "manifest.json"]
    assert (cache / "manim" / "hills" / "l").is_dir()


def make_video(path: Path, size: str, rate: int = 15) -> Path:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc=size={size}:rate={rate}:duration=1",
         "-pix_fmt", "yuv420p", "-c:v", "libx264", str(path)],
        check=True,
    )
    return path


@pytest.fixture
def old_files(tmp_path):
    out = tmp_path / "media"
    out.mkdir()
    (out / "hills.mp4").write_bytes(b"old video")
    (out / "hills.png").write_bytes(b"old poster")
    return out


def assert_untouched(out: Path) -> None:
    assert (out / "hills.mp4").read_bytes() == b"old video"
    assert (out / "hills.png").read_bytes() == b"old poster"
    assert not leftovers(out), "temporary files left behind"


@pytest.mark.subprocess
def test_a_video_failing_its_checks_is_not_published(tmp_path, old_files, monkeypatch):
    wrong_size = make_video(tmp_path / "wrong.mp4", "320x240")
    monkeypatch.setattr(manim_render, "run_scene", lambda *a, **k: (wrong_size, np.zeros((240, 320, 4), np.uint8)))
    result = CliRunner().invoke(render.main, ["-q", "l", "--out", str(old_files), "--cache", str(tmp_path / "c")])
    assert result.exit_code == 1
    assert "size 320x240, expected 854x480" in result.output
    assert_untouched(old_files)


@pytest.mark.subprocess
def test_a_good_video_replaces_the_old_files(tmp_path, old_files, monkeypatch):
    good = make_video(tmp_path / "good.mp4", "854x480")
    monkeypatch.setattr(manim_render, "run_scene", lambda *a, **k: (good, np.zeros((480, 854, 4), np.uint8)))
    result = CliRunner().invoke(render.main, ["-q", "l", "--out", str(old_files), "--cache", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    assert check.probe_video(old_files / "hills.mp4").width == 854
    assert Image.open(old_files / "hills.png").size == (854, 480)


def test_an_interrupted_render_leaves_the_old_files(tmp_path, old_files, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(manim_render, "run_scene", interrupted)
    result = CliRunner().invoke(render.main, ["-q", "l", "--out", str(old_files), "--cache", str(tmp_path / "c")])
    assert result.exit_code == 130
    assert_untouched(old_files)


@pytest.mark.subprocess
@pytest.mark.parametrize("after_renames", [1, 2])
def test_sigterm_inside_the_rename_sequence_publishes_all_or_nothing(tmp_path, old_files, monkeypatch, after_renames):
    """A real SIGTERM sent to this process between the publish renames (after the poster's,
    or after the video's): the figure's files must end all old or all new, and match the
    manifest. A publisher that lets the signal land mid-sequence leaves a new poster beside
    the old video and fails this."""
    import os

    good = make_video(tmp_path / "good.mp4", "854x480")
    monkeypatch.setattr(manim_render, "run_scene", lambda *a, **k: (good, np.zeros((480, 854, 4), np.uint8)))
    renames = []
    real_replace = publish.replace_file

    def replace_then_signal(temp, final):
        real_replace(temp, final)
        renames.append(final.name)
        if len(renames) == after_renames:
            os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(publish, "replace_file", replace_then_signal)
    previous = signal.getsignal(signal.SIGTERM)
    try:
        result = CliRunner().invoke(render.main, ["-q", "l", "--out", str(old_files), "--cache", str(tmp_path / "c")])
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert result.exit_code == 130, result.output
    assert len(renames) >= after_renames, "the signal was never sent inside the sequence"
    poster_new = (old_files / "hills.png").read_bytes() != b"old poster"
    video_new = (old_files / "hills.mp4").read_bytes() != b"old video"
    assert poster_new == video_new, f"half published: poster new {poster_new}, video new {video_new}"
    assert not leftovers(old_files)
    if video_new:
        verified = invoke("--verify", "--out", str(old_files))
        assert verified.exit_code == 0, verified.output


@pytest.mark.subprocess
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the swallowed raise, on purpose
def test_a_sigterm_whose_raise_python_swallowed_still_stops_the_publish(tmp_path, old_files, monkeypatch):
    """A real SIGTERM whose handler runs inside a ``__del__`` (as one did inside a weakref
    callback of manim's render on CI): Python prints "Exception ignored" and drops the
    KeyboardInterrupt. The render must still stop before publishing, and exit 130."""
    import gc
    import os

    good = make_video(tmp_path / "good.mp4", "854x480")

    class SignalsWhenCollected:
        def __del__(self):
            os.kill(os.getpid(), signal.SIGTERM)  # the handler runs here, inside __del__
            sum(range(1000))  # bytecodes for the handler to run between

    def render_then_swallowed_signal(*args, **kwargs):
        SignalsWhenCollected()
        gc.collect()
        return good, np.zeros((480, 854, 4), np.uint8)

    monkeypatch.setattr(manim_render, "run_scene", render_then_swallowed_signal)
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        result = CliRunner().invoke(render.main, ["-q", "l", "--out", str(old_files), "--cache", str(tmp_path / "c")])
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    assert result.exit_code == 130, result.output
    assert_untouched(old_files)


@pytest.mark.subprocess
@pytest.mark.slow
def test_sigterm_mid_render_leaves_the_old_files(tmp_path, old_files):
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "render.py"), "-q", "l", "--quiet", "--out", str(old_files), "--cache", str(tmp_path / "c")],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    wait_until(lambda: list((tmp_path / "c").rglob("*.mp4")), message="manim to start writing video")
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 130, output
    assert_untouched(old_files)


@pytest.mark.render
def test_a_render_opens_no_network_connection(tmp_path, monkeypatch):
    """Render a real (tiny) still with every socket connection refused and recorded."""
    import socket

    from figures_for_tests import STILL

    attempts = []

    def refuse(self, address):
        attempts.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    published = publish.render_figure("still", STILL.scene, "l", tmp_path / "o", tmp_path / "c", still=True)
    assert published.poster.is_file()
    assert attempts == []
