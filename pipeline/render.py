"""Render a figure's scene with manim into its work folder in the cache.

manim writes its partial movies, Tex files and the assembled video under ``work_dir``
(one folder per figure, quality and cache key: parallel renders never share manim's Tex
folder, which manim cleans after every compile); nothing here touches the output folder.

manim reuses a Tex or text SVG it finds in the work folder, whole or not: one cut short
(a full disk, a killed render) would fail every later render with a ``ParseError``. So
a work folder is reused only as a render that finished left it (it says so in
:data:`FINISHED`); a render that fails or is cut short leaves it to be removed, and one
that fails in a reused folder is tried once more in a fresh one.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from xml.etree.ElementTree import ParseError

import numpy as np
from manim import tempconfig

from pipeline.files import disk_full_message, is_no_space
from scenes.captions import recorded

#: the marker of a work folder whose render finished: its files are whole
FINISHED = ".finished"
WORKING_FILES = "manim's working files"

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
    A failure removes ``work_dir`` (nothing half-written is left to poison the next
    render); one in a reused ``work_dir`` is retried once in a fresh one. The caller holds
    the cache entry's lock (no other process renders into ``work_dir`` meanwhile).
    """
    reused = open_work_dir(work_dir)
    try:
        result = _render(scene_class, quality, work_dir, verbose, still, cues)
    except Exception as error:
        full = is_no_space(error) or (isinstance(error, ParseError) and _nearly_full(work_dir))
        named = _pointing_at_the_cache(error, work_dir, full)  # before the removal frees room
        remove_work_dir(work_dir)
        if reused and not full:
            return run_scene(scene_class, quality, work_dir, verbose, still, cues)
        if named is error:
            raise
        raise named from error
    (work_dir / FINISHED).touch()  # an empty file: no free block needed
    return result


def open_work_dir(work_dir: Path) -> bool:
    """Make ``work_dir`` ready for a render; return whether it keeps a finished render's files.

    A folder without the :data:`FINISHED` mark (a render failed, was interrupted or killed
    in it) is removed first; the mark is taken off while a render runs.
    """
    finished = (work_dir / FINISHED).is_file()
    if not finished:
        remove_work_dir(work_dir)
    (work_dir / FINISHED).unlink(missing_ok=True)
    work_dir.mkdir(parents=True, exist_ok=True)
    return finished


def remove_work_dir(work_dir: Path) -> None:
    shutil.rmtree(work_dir, ignore_errors=True)


def _nearly_full(work_dir: Path) -> bool:
    """Whether the cache's disk has under 1 MB free: a file cut short there was most likely cut by it."""
    usage = shutil.disk_usage(next((p for p in (work_dir, *work_dir.parents) if p.exists()), Path("/")))
    return usage.free < 1_000_000


def _pointing_at_the_cache(error: Exception, work_dir: Path, full: bool) -> Exception:
    """The error a failed render raises: one that names the cache when the cache was at fault."""
    if full:
        return RenderError(f"{disk_full_message(work_dir, WORKING_FILES, '--cache')} "
                           f"(manim's {type(error).__name__})")
    if isinstance(error, (ParseError, OSError)):
        said = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"[:200]
        return RenderError(f"{WORKING_FILES} in the cache ({work_dir}) failed ({said}); "
                           f"they were removed, so the next render starts afresh")
    return error


def _render(scene_class: type, quality: str, work_dir: Path, verbose: bool, still: bool,
            cues: list | None) -> tuple[Path | None, np.ndarray]:
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
