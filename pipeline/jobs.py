"""Render many figures: a job per figure, run in this process or a process pool.

A job renders one figure in a worker process (its own manim media and Tex folders,
so parallel renders never share manim's Tex folder, which manim cleans after every
compile).
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
    target_module: str  # where the scene class (or page builder) lives
    target_name: str
    overrides: dict
    quality: str
    formats: tuple[str, ...]
    out_dir: Path
    cache_dir: Path
    key: str
    params: dict
    theme: str = cache.THEME
    force: bool = False


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
             force: bool = False) -> Job:
    """The job that publishes ``figure`` with ``overrides`` (validated before) at ``quality``."""
    target = figure.scene if figure.kind != "page" else figure.build
    params = effective_params(figure, overrides)
    quality = quality if figure.kind != "page" else ""
    keyed_formats = formats if figure.kind == "video" else ()  # a still is a PNG whatever was asked
    return Job(
        name=figure.name,
        description=figure.description,
        kind=figure.kind,
        target_module=target.__module__,
        target_name=target.__qualname__,
        overrides=overrides,
        quality=quality,
        formats=formats,
        out_dir=out_dir,
        cache_dir=cache_dir,
        key=cache.cache_key(params, quality, keyed_formats, target=f"{target.__module__}.{target.__qualname__}"),
        params=params,
        force=force,
    )


def cached_outcome(job: Job, entries: dict) -> Outcome | None:
    """The outcome the manifest recorded, if its key matches and every file has its recorded hash."""
    entry = entries.get(job.name)
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


def _video_facts(info) -> dict:
    if info is None:
        return {}
    return {"width": info.width, "height": info.height, "fps": info.fps, "frames": info.frames,
            "duration": round(info.duration, 3)}


# --- running ------------------------------------------------------------------------
def run_job(job: Job) -> Outcome:
    """Render and publish one figure (in whichever process calls it), holding its cache
    entry's lock: a second process wanting the same entry waits, then finds a cache hit
    (or, with ``force``, renders after this one)."""
    started = time.perf_counter()
    try:
        with locks.held(locks.entry_lock(job.cache_dir, job.name, job.key), f"waiting for another render of {job.name}"):
            if not job.force and (hit := cached_outcome(job, manifest.read_manifest(job.out_dir))):
                return hit
            return _render(job, started)
    except Exception as error:  # one figure's failure must not stop the others
        return Outcome(job, "failed", time.perf_counter() - started, error=_describe(error))


def _render(job: Job, started: float) -> Outcome:
    import importlib

    from pipeline import publish
    from scenes import with_params
    from scenes.captions import description_of

    target = getattr(importlib.import_module(job.target_module), job.target_name)
    folder = locks.folder_lock(job.out_dir)
    if job.kind == "page":
        html = target()
        path = job.out_dir / f"{job.name}.html"
        job.out_dir.mkdir(parents=True, exist_ok=True)
        with folder:
            write_atomically(path, html)
            seconds = time.perf_counter() - started
            manifest.record(job.out_dir, manifest_entry(job, {"html": path}, {}, seconds))
        return Outcome(job, "done", seconds, files={"html": path.name})

    scene = with_params(target, **job.overrides) if job.overrides else target
    summary = description_of(scene)

    def record(published) -> None:
        manifest.record(job.out_dir, manifest_entry(job, published.files, _video_facts(published.info), published.seconds,
                                                    summary, published.cues))

    result = publish.render_figure(
        job.name, scene, job.quality, job.out_dir, job.cache_dir, job.formats, still=job.kind == "still",
        work_dir=job.cache_dir / "manim" / job.name / job.quality / job.key,
        publish_lock=folder, on_published=record,
    )
    return Outcome(job, "done", result.seconds, files={k: p.name for k, p in result.files.items()},
                   video=_video_facts(result.info))


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
    """Run ``jobs`` with ``workers`` processes (in this process when one suffices).

    ``on_event(name, status, outcome)`` is called with "rendering" as a job starts and
    "done"/"failed" as it ends. Interrupting (KeyboardInterrupt, or SIGTERM turned into
    one) stops the workers, whose clean-up removes their temporary files.
    """
    if not jobs:
        return []
    if workers <= 1 or len(jobs) == 1:
        outcomes = []
        for job in jobs:
            on_event(job.name, "rendering", None)
            outcome = run_job(job)
            interrupts.check()
            on_event(job.name, outcome.status, outcome)
            outcomes.append(outcome)
        return outcomes

    context = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context, initializer=interrupt_on_sigterm)
    pending: dict[Future, Job] = {}
    outcomes: list[Outcome] = []
    try:
        queue = list(jobs)
        while queue and len(pending) < workers:
            job = queue.pop(0)
            pending[executor.submit(run_job, job)] = job
            on_event(job.name, "rendering", None)
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
                on_event(job.name, outcome.status, outcome)
                if queue:
                    nxt = queue.pop(0)
                    pending[executor.submit(run_job, nxt)] = nxt
                    on_event(nxt.name, "rendering", None)
    except BaseException:
        _stop_workers(executor)
        raise
    executor.shutdown(wait=True)
    return outcomes


def _stop_workers(executor: ProcessPoolExecutor) -> None:
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
