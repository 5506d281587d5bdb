"""Render a figure's scene with manim into its work folder in the cache.

manim writes its partial movies, Tex files and the assembled video under ``work_dir``
(one folder per figure, quality and cache key: parallel renders never share manim's Tex
folder, which manim cleans after every compile); nothing here touches the output folder.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from manim import tempconfig

from scenes.captions import recorded

QUALITIES = {
    # flag: (manim quality name, width, height, fps)
    "l": ("low_quality", 854, 480, 15),
    "m": ("medium_quality", 1280, 720, 30),
    "h": ("high_quality", 1920, 1080, 60),
    "k": ("fourk_quality", 3840, 2160, 60),
}


class RenderError(RuntimeError):
    """A figure could not be rendered or its output failed the checks."""


def manim_settings(quality: str, work_dir: Path, verbose: bool, still: bool = False) -> tuple[dict, dict]:
    """The two layers of manim config: quality first (it resets the frame rate), then the rest."""
    settings = {
        "media_dir": str(work_dir),
        "notify_outdated_version": False,  # no network at run time
        "progress_bar": "display" if verbose else "none",
        "verbosity": "WARNING",
        "disable_caching": True,  # we cache whole figures ourselves; its hashing costs time
        # a still renders its last frame only; a video scene that plays nothing is an error
        "format": "png" if still else "mp4",
        # x264's veryfast preset at crf 20: same size and quality (PSNR ~38.6 vs 38.9 dB
        # against the lossless frame) as manim's default medium/crf 23, ~25 % less render time
        "video_encoder_options": {"preset": "veryfast", "crf": "20"},
        "output_file": "figure",
    }
    return {"quality": QUALITIES[quality][0]}, settings


def run_scene(
    scene_class: type, quality: str, work_dir: Path, verbose: bool = False, still: bool = False,
    cues: list | None = None,
) -> tuple[Path | None, np.ndarray]:
    """Render ``scene_class`` with manim into ``work_dir``; return the movie and its last frame
    (RGBA, ``(height, width, 4)`` uint8).

    For a ``still`` (a scene that plays no animation) the movie is ``None``. ``cues``, when
    given, receives the ``(start seconds, text)`` records of the scene's ``cue`` calls.
    """
    first, rest = manim_settings(quality, work_dir, verbose, still)
    with tempconfig(first), tempconfig(rest):
        scene = scene_class()
        scene.render()
        last_frame = np.array(scene.renderer.get_frame())
        if cues is not None:
            cues.extend(recorded(scene))
        if scene.renderer.num_plays == 0:
            if not still:
                raise RenderError(f"{scene_class.__name__} is a video figure but plays nothing (no play() call)")
            return None, last_frame
        movie = Path(scene.renderer.file_writer.movie_file_path)
    if not movie.is_file():
        raise RenderError(f"manim wrote no video for {scene_class.__name__} (expected {movie})")
    return movie, last_frame
