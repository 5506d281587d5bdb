"""Render many figures: a job per figure, run in this process or a process pool.

A job renders one figure in one theme in a worker process (its own manim media and Tex
folders, so parallel renders never share manim's Tex folder, which manim cleans after every
compile). A process renders in the theme ``scenes.theme`` chose at its import (from
``GDVIZ_THEME``), so a job of another theme than this process's goes to a worker started
with that variable set: one pool per theme.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pipeline import cache, interrupts, locks, manifest
from pipeline.files import sweep_dead_temporaries, write_atomically
from pipeline.params import effective_params


@dataclass(frozen=True)
class Job:
    """One figure to publish; everything a worker process needs, picklable."""

    name: str
    description: str
    kind: str  # "video", "still" or "page"
    title: str  # the post's caption: the gallery's heading
    target_module: str  # where the scene class (or page builder) lives
    target_name: str
    overrides: dict
    quality: str
    formats: tuple[str, ...]
    out_dir: Path
    cache_dir: Path
    key: str
    params: dict
    theme: str = "dark"
    force: bool = False

    @property
    def stem(self) -> str:
        """The job's file names without suffix: ``hills`` (dark), ``hills-light``."""
        return manifest.file_stem(self.name, self.theme)


@dataclass
class Outcome:
    """What happened to one job."""

    job: Job
    status: str  # "done", "cached" or "failed"
    seconds: float = 0.0
    files: dict[str, str] = field(default_factory=dict)  # format -> file name in out_dir
    video: dict = field(default_factory=dict)  # width, height, fps, frames, duration
    error: str = ""


def make_job(figure, overrides: dict, quality: str, formats: tuple[str, ...], out_dir: Path, cache_dir: Path,
             force: bool = False, theme: str = "dark") -> Job:
    """The job that publishes ``figure`` with ``overrides`` (validated before) at ``quality`` in ``theme``."""
    target = figure.scene if figure.kind != "page" else figure.build
    params = effective_params(figure, overrides)
    quality = quality if figure.kind != "page" else ""
    keyed_formats = formats if figure.kind == "video" else ()  # a still is a PNG whatever was asked
    return Job(
        name=figure.name,
        description=figure.description,
        title=figure.title,
        kind=figure.kind,
        target_module=target.__module__,
        target_name=target.__qualname__,
        overrides=overrides,
        quality=quality,
        formats=formats,
        out_dir=out_dir,
        cache_dir=cache_dir,
        key=cache.cache_key(params, quality, keyed_formats, theme, target=f"{target.__module__}.{target.__qualname__}"),
        params=params,
        theme=theme,
        force=force,
    )


def cached_outcome(job: Job, entries: dict) -> Outcome | None:
    """The outcome the manifest recorded, if its key matches and every file has its recorded hash."""
    entry = entries.get(job.stem)
    if not entry or entry.get("cache_key") != job.key or not manifest.trusted(job.out_dir, entry):
        return None
    return Outcome(
        job=job,
        status="cached",
        files={fmt: info["path"] for fmt, info in entry["files"].items()},
        video={k: entry[k] for k in ("width", "height", "fps", "frames", "duration") if k in entry},
    )


def manifest_entry(job: Job, files: dict[str, Path], video: dict, seconds: float,
                   summary: str = "", cues: tuple = ()) -> dict:
    """One figure's manifest record, its files with size and SHA-256; ``summary`` is the
    figure's text alternative from its data and ``cues`` its timed cues (NAME.vtt's)."""
    return {
        "name": job.name,
        "title": job.title,
        "description": job.description,
        "summary": summary or job.description,
        "cues": [{"start": c.start, "end": c.end, "text": c.text} for c in cues],
        "kind": job.kind,
        "files": {fmt: manifest.file_record(path) for fmt, path in files.items()},
        **video,
        "quality": job.quality,
        "theme": job.theme,
        "params": job.params,
        "seed": job.params.get("seed"),
        "cache_key": job.key,
        "render_seconds": round(seconds, 2),
        "rendered_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def _video_facts(info, poster: Path | None = None) -> dict:
    """Size, rate and length of a video; a still's size (from its poster) so pages reserve its box."""
    if info is None:
        if poster is None or not poster.is_file():
            return {}
        from PIL import Image

        with Image.open(poster) as image:
            return {"width": image.width, "height": image.height}
    return {"width": info.width, "height": info.height, "fps": info.fps, "frames": info.frames,
            "duration": round(info.duration, 3)}


# --- running ------------------------------------------------------------------------
def run_job(job: Job) -> Outcome:
    """Render and publish one figure (in whichever process calls it), holding its cache
    entry's lock: a second process wanting the same entry waits, then finds a cache hit
    (or, with ``force``, renders after this one)."""
    started = time.perf_counter()
    try:
        with locks.held(locks.entry_lock(job.cache_dir, job.name, job.key), f"waiting for another render of {job.stem}"):
            if not job.force and (hit := cached_outcome(job, manifest.read_manifest(job.out_dir))):
                return hit
            return _render(job, started)
    except Exception as error:  # one figure's failure must not stop the others
        return Outcome(job, "failed", time.perf_counter() - started, error=_describe(error))


def _render(job: Job, started: float) -> Outcome:
    from scenes import theme

    with theme.use(job.theme):
        return _render_in_theme(job, started)


def _render_in_theme(job: Job, started: float) -> Outcome:
    import importlib

    from pipeline import publish
    from scenes import with_params
    from scenes.captions import description_of

    target = getattr(importlib.import_module(job.target_module), job.target_name)
    folder = locks.folder_lock(job.out_dir)
    if job.kind == "page":
        html = target()
        path = job.out_dir / f"{job.stem}.html"
        job.out_dir.mkdir(parents=True, exist_ok=True)
        with folder:
            write_atomically(path, html)
            seconds = time.perf_counter() - started
            manifest.record(job.out_dir, manifest_entry(job, {"html": path}, {}, seconds))
        return Outcome(job, "done", seconds, files={"html": path.name})

    scene = with_params(target, **job.overrides) if job.overrides else target
    summary = description_of(scene)

    def record(published) -> None:
        facts = _video_facts(published.info, published.files.get("png"))
        manifest.record(job.out_dir, manifest_entry(job, published.files, facts, published.seconds, summary, published.cues))

    result = publish.render_figure(
        job.stem, scene, job.quality, job.out_dir, job.cache_dir, job.formats, still=job.kind == "still",
        work_dir=job.cache_dir / "manim" / job.name / job.quality / job.key,
        publish_lock=folder, on_published=record,
    )
    return Outcome(job, "done", result.seconds, files={k: p.name for k, p in result.files.items()},
                   video=_video_facts(result.info, result.files.get("png")))


def _describe(error: Exception) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{type(error).__name__}: {error}{where}"


def interrupt_on_sigterm() -> None:
    """Make SIGTERM raise KeyboardInterrupt in this process (the CLI and every worker), so
    a killed render unwinds through the publisher's clean-up and leaves the published
    files as they were; the interruption is noted too, so one whose raise Python
    swallowed still stops the render before it publishes (``pipeline.interrupts``)."""
    interrupts.install()


def run_jobs(jobs: list[Job], workers: int, on_event: Callable[[str, str, Outcome | None], None]) -> list[Outcome]:
    """Run ``jobs`` with ``workers`` processes (in this process when one suffices and every
    job is in this process's theme).

    ``on_event(stem, status, outcome)`` is called with "rendering" as a job starts and
    "done"/"failed" as it ends. Interrupting (KeyboardInterrupt, or SIGTERM turned into
    one) stops the workers, whose clean-up removes their temporary files.
    """
    if not jobs:
        return []
    if (workers <= 1 or len(jobs) == 1) and all(job.theme == process_theme() for job in jobs):
        outcomes = []
        for job in jobs:
            on_event(job.stem, "rendering", None)
            outcome = run_job(job)
            interrupts.check()
            on_event(job.stem, outcome.status, outcome)
            outcomes.append(outcome)
        return outcomes

    pools = ThemePools(min(workers, len(jobs)))
    pending: dict[Future, Job] = {}
    outcomes: list[Outcome] = []

    def start(job: Job) -> None:
        pending[pools.submit(job)] = job
        on_event(job.stem, "rendering", None)

    try:
        queue = list(jobs)
        while queue and len(pending) < workers:
            start(queue.pop(0))
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                job = pending.pop(future)
                try:
                    outcome = future.result()
                except Exception as error:  # the worker process itself died
                    outcome = Outcome(job, "failed", error=_describe(error))
                interrupts.check()
                outcomes.append(outcome)
                on_event(job.stem, outcome.status, outcome)
                if queue:
                    start(queue.pop(0))
    except BaseException:
        pools.stop()
        raise
    pools.shutdown()
    return outcomes


def process_theme() -> str:
    """The theme this process renders in (chosen when ``scenes.theme`` was imported)."""
    from scenes import theme

    return theme.current()


class ThemePools:
    """A process pool per theme, each worker started with ``GDVIZ_THEME`` set to its theme.

    (A spawned worker inherits the environment at its start, and ProcessPoolExecutor
    starts a spawn-context worker inside ``submit``; so setting the variable around
    ``submit`` is setting it for the workers that submit starts.)
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pools: dict[str, ProcessPoolExecutor] = {}

    def submit(self, job: Job) -> Future:
        from scenes.theme import THEME_VARIABLE

        if job.theme not in self.pools:
            self.pools[job.theme] = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=interrupt_on_sigterm,
            )
        before = os.environ.get(THEME_VARIABLE)
        os.environ[THEME_VARIABLE] = job.theme
        try:
            return self.pools[job.theme].submit(run_job, job)
        finally:
            if before is None:
                os.environ.pop(THEME_VARIABLE, None)
            else:
                os.environ[THEME_VARIABLE] = before

    def shutdown(self) -> None:
        for pool in self.pools.values():
            pool.shutdown(wait=True)

    def stop(self) -> None:
        for pool in self.pools.values():
            _stop_workers(pool)


def _stop_workers(executor: ProcessPoolExecutor) -> None:
    """Cancel what has not started and SIGTERM the workers (they unwind and clean up)."""
    processes = list(getattr(executor, "_processes", {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            os.kill(process.pid, signal.SIGTERM)
    for process in processes:
        process.join(timeout=10)
        if process.is_alive():
            process.kill()


def sweep(out_dir: Path) -> list[Path]:
    """Remove temporaries of processes no longer alive from ``out_dir`` (every figure's)."""
    return sweep_dead_temporaries(out_dir)
