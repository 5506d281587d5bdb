"""Publish one figure under flat, stable names, all of its files or none.

``render_figure`` is the whole way of one figure: manim renders it into the cache
(``pipeline.render``), its formats are made (``pipeline.encode``) as temporaries beside
their final names and read back and checked (``pipeline.check``), and only then are they
renamed into the output folder, here: the renames, the removal of the figure's files of
kinds it no longer produces and the manifest's record run with SIGINT and SIGTERM held
back, so an interruption lands before or after the whole sequence. A failure or an
interruption at any point leaves the previously published files untouched and no
temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from pipeline import encode, interrupts, render
from pipeline.check import VideoInfo, check_poster, check_video, probe_video
from pipeline.encode import FORMATS, POSTERS, SIDECARS
from pipeline.files import temp_beside
from pipeline.render import RenderError


@dataclass(frozen=True)
class Published:
    """One published figure: ``files`` maps a format (and "png" for the poster) to its path."""

    name: str
    files: dict[str, Path]
    info: VideoInfo | None  # of the first video format; None for a still
    seconds: float
    cues: tuple = ()  # the scene's timed cues (scenes.captions.Cue), as in NAME.vtt

    @property
    def poster(self) -> Path:
        return self.files["png"]

    @property
    def light_poster(self) -> Path:
        """The lossy WebP of the poster, the one pages show (``poster`` stays the exact frame)."""
        return self.files["webp"]

    @property
    def video(self) -> Path | None:
        return self.files.get("mp4")


def render_figure(
    name: str,
    scene_class: type,
    quality: str,
    out_dir: Path,
    cache_dir: Path,
    formats: tuple[str, ...] = ("mp4",),
    verbose: bool = False,
    still: bool = False,
    work_dir: Path | None = None,
    publish_lock: contextlib.AbstractContextManager | None = None,
    on_published: Callable[[Published], None] | None = None,
) -> Published:
    """Render one figure and publish ``out_dir/NAME.<format>`` for each format and the
    posters ``out_dir/NAME.png`` (the exact last frame) and ``NAME.webp`` (its light
    copy), all or nothing (only the posters for a ``still``: a scene that plays no
    animation; a video figure that plays nothing fails).

    The renames, the removal of the figure's files of formats it no longer produces and
    ``on_published`` (the manifest's record) run under ``publish_lock`` with SIGINT and
    SIGTERM held back, so an interruption lands before or after the whole sequence.
    """
    started = time.perf_counter()
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or not formats:
        raise RenderError(f"formats must be some of {', '.join(FORMATS)}, got {', '.join(formats) or 'none'}")
    out_dir.mkdir(parents=True, exist_ok=True)
    work_dir = work_dir or cache_dir / "manim" / name / quality  # one folder per figure: parallel-safe Tex files
    records: list[tuple[float, str]] = []
    movie, last_frame = render.run_scene(scene_class, quality, work_dir, verbose, still, cues=records)

    wanted = [*POSTERS] if movie is None else [*POSTERS, *(f for f in FORMATS if f in formats)]
    if movie is not None and records:
        wanted.append("vtt")
    finals = {fmt: out_dir / f"{name}.{fmt}" for fmt in wanted}  # the poster first
    temps = {fmt: temp_beside(path) for fmt, path in finals.items()}
    try:
        info, cues = _make_and_check(movie, last_frame, records, quality, temps)
        with publish_lock or contextlib.nullcontext(), signals_held():
            interrupts.check()  # an interruption whose raise was swallowed stops here
            publish_files(temps, finals, out_dir, name)
            pause_for_tests("after-renames")
            published = Published(name, finals, info, time.perf_counter() - started, cues)
            if on_published is not None:
                on_published(published)
    finally:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
    return published


def _make_and_check(movie: Path | None, last_frame: np.ndarray, records: list, quality: str,
                    temps: dict[str, Path]) -> tuple[VideoInfo | None, tuple]:
    """Write every file of ``temps`` (format -> temporary) and read each back; return the
    first video's info (None for a still) and the cues written as WebVTT."""
    encode.save_poster(last_frame, temps["png"])
    encode.save_light_poster(last_frame, temps["webp"])
    check_poster(temps["webp"], last_frame.shape)
    infos: dict[str, VideoInfo] = {}
    for fmt in (f for f in temps if f in FORMATS):
        encode.ENCODERS[fmt](movie, temps[fmt])
        infos[fmt] = probe_video(temps[fmt])
        check_video(infos[fmt], quality, fmt, reference=infos.get("mp4"))
    info = next(iter(infos.values()), None)
    cues = encode.save_captions(records, info.duration, temps["vtt"]) if "vtt" in temps else ()
    return info, cues


def publish_files(temps: dict[str, Path], finals: dict[str, Path], out_dir: Path, name: str) -> None:
    """Rename each checked temporary over its final name (in ``temps``' order), then remove
    the figure's files of kinds this publish no longer produces. The caller holds the
    folder's lock and the signals (:func:`signals_held`)."""
    for fmt, temp in temps.items():
        replace_file(temp, finals[fmt])
    remove_stale_siblings(out_dir, name, set(finals.values()))


def replace_file(temp: Path, final: Path) -> None:
    """One step of the publish sequence (a seam the interruption tests time their signal on)."""
    os.replace(temp, final)


def remove_stale_siblings(out_dir: Path, name: str, keep: set[Path]) -> None:
    """Remove ``NAME.<suffix>`` files of kinds this publish no longer produces (video
    formats, the light poster, the captions)."""
    for fmt in (*FORMATS, *POSTERS, *SIDECARS):
        sibling = out_dir / f"{name}.{fmt}"
        if sibling not in keep:
            sibling.unlink(missing_ok=True)


def pause_for_tests(point: str) -> None:
    """Tests only: with ``GDVIZ_TEST_PAUSE_AT=POINT:MARKER`` in the environment, write this
    process's pid to the file MARKER and sleep for good at ``point`` (``after-renames``:
    the files renamed, the manifest not yet told), so a test can ``kill -9`` the process
    exactly there (tests/test_faults_processes.py). Unset, as always outside tests: nothing."""
    wanted, _, marker = os.environ.get("GDVIZ_TEST_PAUSE_AT", "").partition(":")
    if wanted == point and marker:
        Path(marker).write_text(str(os.getpid()))
        while True:
            time.sleep(60)


@contextlib.contextmanager
def signals_held():
    """Hold back SIGINT and SIGTERM until the block ends: their handlers run right after it.

    (Masking the signals would not do: numpy's BLAS threads leave them unmasked, and the
    kernel delivers a process's signal to any thread that does. So the handlers are
    swapped for ones that only note the signal.)
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, frame: noted.append(signum))
                for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for signum in noted[:1]:
            handler = previous[signum]
            if callable(handler):
                handler(signum, None)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(signum)
