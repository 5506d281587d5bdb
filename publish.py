"""Render a registered figure with manim and publish it under a flat, stable name.

``render_figure`` runs the scene with manim's working files in a cache folder, checks
the video manim wrote, remuxes it with the index (moov atom) at the front so a browser
can start playing before the download ends, saves the last frame as the poster, and
only then renames both into the output folder. A failure or an interruption at any
point leaves the previously published files untouched and no temporary file behind.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

QUALITIES = {
    # flag: (manim quality name, width, height, fps)
    "l": ("low_quality", 854, 480, 15),
    "m": ("medium_quality", 1280, 720, 30),
    "h": ("high_quality", 1920, 1080, 60),
    "k": ("fourk_quality", 3840, 2160, 60),
}


@dataclass(frozen=True)
class VideoInfo:
    """What a video file holds, as read back from the file itself."""

    codec: str
    pix_fmt: str
    width: int
    height: int
    fps: float
    frames: int
    duration: float


@dataclass(frozen=True)
class Published:
    """One published figure."""

    name: str
    video: Path | None  # None for a still
    poster: Path
    info: VideoInfo | None
    seconds: float


class RenderError(RuntimeError):
    """A figure could not be rendered or its output failed the checks."""


def probe_video(path: Path) -> VideoInfo:
    """Read codec, pixel format, size, frame rate, frame count and duration of ``path``."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for packet in container.demux(stream) if packet.size)
        duration = float(stream.duration * stream.time_base) if stream.duration else 0.0
        return VideoInfo(
            codec=stream.codec_context.name,
            pix_fmt=stream.codec_context.pix_fmt or "",
            width=stream.codec_context.width,
            height=stream.codec_context.height,
            fps=float(stream.average_rate or 0),
            frames=frames,
            duration=duration,
        )


def check_video(info: VideoInfo, quality: str) -> None:
    """Raise :class:`RenderError` unless ``info`` is a playable H.264 video at ``quality``."""
    _, width, height, fps = QUALITIES[quality]
    problems = []
    if info.codec != "h264":
        problems.append(f"codec {info.codec}, expected h264")
    if info.pix_fmt != "yuv420p":
        problems.append(f"pixel format {info.pix_fmt}, expected yuv420p")
    if (info.width, info.height) != (width, height):
        problems.append(f"size {info.width}x{info.height}, expected {width}x{height}")
    if round(info.fps) != fps:
        problems.append(f"{info.fps:g} fps, expected {fps}")
    if info.frames < 1 or info.duration <= 0:
        problems.append(f"{info.frames} frames over {info.duration:g} s")
    if problems:
        raise RenderError("the rendered video fails its checks: " + "; ".join(problems))


def manim_settings(quality: str, work_dir: Path, verbose: bool) -> tuple[dict, dict]:
    """The two layers of manim config: quality first (it resets the frame rate), then the rest."""
    settings = {
        "media_dir": str(work_dir),
        "notify_outdated_version": False,  # no network at run time
        "progress_bar": "display" if verbose else "none",
        "verbosity": "WARNING",
        "disable_caching": True,  # we cache whole figures ourselves; its hashing costs time
        "format": "mp4",
        "output_file": "figure",
    }
    return {"quality": QUALITIES[quality][0]}, settings


def run_scene(
    scene_class: type, quality: str, work_dir: Path, verbose: bool = False
) -> tuple[Path | None, np.ndarray]:
    """Render ``scene_class`` with manim into ``work_dir``; return the movie and its last frame (RGBA).

    A scene that plays no animation is a still: the movie is ``None``.
    """
    from manim import tempconfig

    first, rest = manim_settings(quality, work_dir, verbose)
    with tempconfig(first), tempconfig(rest):
        scene = scene_class()
        scene.render()
        last_frame = np.array(scene.renderer.get_frame())
        if scene.renderer.num_plays == 0:
            return None, last_frame
        movie = Path(scene.renderer.file_writer.movie_file_path)
    if not movie.is_file():
        raise RenderError(f"manim wrote no video for {scene_class.__name__} (expected {movie})")
    return movie, last_frame


def remux_faststart(source: Path, target: Path) -> None:
    """Copy the streams of ``source`` into ``target`` with the moov atom first."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise RenderError("ffmpeg is not installed (make setup installs it)")
    result = subprocess.run(
        [ffmpeg, "-v", "error", "-y", "-i", str(source), "-c", "copy", "-movflags", "+faststart", "-f", "mp4", str(target)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RenderError(f"ffmpeg could not remux {source}: {result.stderr.strip()}")


def save_poster(frame: np.ndarray, target: Path) -> None:
    """Write an RGBA or RGB frame as an opaque PNG."""
    from PIL import Image

    Image.fromarray(np.ascontiguousarray(frame[..., :3])).save(target, format="PNG", optimize=True)


def render_figure(
    name: str,
    scene_class: type,
    quality: str,
    out_dir: Path,
    cache_dir: Path,
    verbose: bool = False,
) -> Published:
    """Render one figure and publish ``out_dir/NAME.mp4`` and ``out_dir/NAME.png`` atomically
    (only the PNG for a still: a scene that plays no animation)."""
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    work_dir = cache_dir / "manim" / name / quality  # one folder per figure: parallel-safe Tex files
    movie, last_frame = run_scene(scene_class, quality, work_dir, verbose)

    video = out_dir / f"{name}.mp4"
    poster = out_dir / f"{name}.png"
    temp_video, temp_poster = (_temp_beside(path) for path in (video, poster))
    info = None
    try:
        if movie is not None:
            remux_faststart(movie, temp_video)
            info = probe_video(temp_video)
            check_video(info, quality)
        save_poster(last_frame, temp_poster)
        os.replace(temp_poster, poster)
        if movie is not None:
            os.replace(temp_video, video)
    finally:
        temp_video.unlink(missing_ok=True)
        temp_poster.unlink(missing_ok=True)
    return Published(
        name=name,
        video=video if movie is not None else None,
        poster=poster,
        info=info,
        seconds=time.perf_counter() - started,
    )


def _temp_beside(path: Path) -> Path:
    """A temporary name in the same folder (so the final rename is atomic), hidden by its dot."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")
