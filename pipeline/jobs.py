"""Render many figures: a job per figure and theme, run in this process or in one pool of
worker processes.

A job carries everything a worker needs (picklable) and renders inside
``with theme.use(job.theme):``, so any process renders any theme: one pool serves dark and
light alike, and ``--jobs 1`` renders every job in the calling process. Each job has its
own manim media and Tex folders (parallel renders never share manim's Tex folder, which
manim cleans after every compile) and holds its cache entry's lock.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import multiprocessing
import os
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from pipeline import cache, interrupts, locks, manifest, publish
from pipeline.files import sweep_dead_temporaries, write_atomically
from pipeline.params import effective_params
from scenes import theme, with_params
from scenes.captions import description_of

#: ``on_event(stem, status, outcome)``: "rendering" (outcome None) as a job starts, then
#: its outcome's status ("rendered", "cached" or "failed") as it ends.
OnEvent = Callable[[str, str, "Outcome | None"], None]


@dataclass(frozen=True)
class Job:
    """One figure to publish in one theme; everything a worker process needs, picklable."""

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
    status: str  # "rendered", "cached" or "failed"
    seconds: float = 0.0
    files: dict[str, str] = field(default_factory=dict)  # format -> file name in out_dir
    video: dict = field(default_factory=dict)  # width, height, fps, frames, duration
    error: str = ""
    entry: dict = field(default_factory=dict)  # the figure's manifest record (none for a failure)
    pid: int = 0  # the process that rendered the job or found it cached (0: a worker that died)

    @property
    def bytes(self) -> int:
        """The size of the job's files on disk now."""
        paths = [self.job.out_dir / name for name in self.files.values()]
        return sum(path.stat().st_size for path in paths if path.exists())


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
        entry=entry,
        pid=os.getpid(),
    )


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
            with theme.use(job.theme):
                return _render(job, started)
    except Exception as error:  # one figure's failure must not stop the others
        return Outcome(job, "failed", time.perf_counter() - started, error=_describe(error), pid=os.getpid())


def _render(job: Job, started: float) -> Outcome:
    target = getattr(importlib.import_module(job.target_module), job.target_name)
    folder = locks.folder_lock(job.out_dir)
    if job.kind == "page":  # a builder with params gets them with the overrides applied
        params = getattr(target, "params", None)
        html = target(dataclasses.replace(params, **job.overrides)) if job.overrides and params is not None else target()
        return _write_page(job, html, folder, started)

    scene = with_params(target, **job.overrides) if job.overrides else target
    summary = description_of(scene)
    recorded: list[dict] = []

    def record(published: publish.Published) -> None:
        facts = manifest.video_facts(published.info, published.files.get("png"))
        entry = manifest.manifest_entry(job, published.files, facts, published.seconds, summary, published.cues)
        manifest.record(job.out_dir, entry)
        recorded.append(entry)

    result = publish.render_figure(
        job.stem, scene, job.quality, job.out_dir, job.cache_dir, job.formats, still=job.kind == "still",
        work_dir=job.cache_dir / "manim" / job.name / job.quality / job.key,
        publish_lock=folder, on_published=record,
    )
    return Outcome(job, "rendered", result.seconds, files={k: p.name for k, p in result.files.items()},
                   video=manifest.video_facts(result.info, result.files.get("png")), entry=recorded[0],
                   pid=os.getpid())


def _write_page(job: Job, html: str, folder, started: float) -> Outcome:
    path = job.out_dir / f"{job.stem}.html"
    job.out_dir.mkdir(parents=True, exist_ok=True)
    with folder:
        write_atomically(path, html)
        seconds = time.perf_counter() - started
        entry = manifest.manifest_entry(job, {"html": path}, {}, seconds)
        manifest.record(job.out_dir, entry)
    return Outcome(job, "rendered", seconds, files={"html": path.name}, entry=entry, pid=os.getpid())


def _describe(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{type(error).__name__}: {error}{where}"


def interrupt_on_sigterm() -> None:
    """Make SIGTERM raise KeyboardInterrupt in this process (the CLI and every worker), so
    a killed render unwinds through the publisher's clean-up and leaves the published
    files as they were; the interruption is noted too, so one whose raise Python
    swallowed still stops the render before it publishes (``pipeline.interrupts``)."""
    interrupts.install()


def run_jobs(jobs: list[Job], workers: int, on_event: OnEvent) -> list[Outcome]:
    """Run ``jobs`` with ``workers`` processes: in this process when one suffices (one
    worker or one job), else in one pool of ``min(workers, len(jobs))`` worker processes
    for every job, whatever its theme.

    ``on_event(stem, status, outcome)`` is called with "rendering" as a job starts and
    its outcome's status as it ends. Interrupting (KeyboardInterrupt, or SIGTERM turned
    into one) stops the workers, whose clean-up removes their temporary files.
    """
    if not jobs:
        return []
    if workers <= 1 or len(jobs) == 1:
        return [_run_here(job, on_event) for job in jobs]

    outcomes: list[Outcome] = []
    with worker_pool(min(workers, len(jobs))) as pool:
        pending: dict[Future, Job] = {}
        queue = list(jobs)

        def start(job: Job) -> None:
            pending[pool.submit(run_job, job)] = job
            on_event(job.stem, "rendering", None)

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
    return outcomes


def _run_here(job: Job, on_event: OnEvent) -> Outcome:
    on_event(job.stem, "rendering", None)
    outcome = run_job(job)
    interrupts.check()
    on_event(job.stem, outcome.status, outcome)
    return outcome


@contextlib.contextmanager
def worker_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of up to ``workers`` spawned processes, each interrupted by SIGTERM like
    Ctrl-C; it waits for its jobs when the block ends, and stops its workers when the
    block raises (an interruption: :func:`_stop_workers`).

    (Spawned, not forked: a fork would copy the caller's threads' locks, BLAS's among
    them, in whatever state they are.)
    """
    others = set(multiprocessing.active_children())  # children that are not this pool's
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=interrupt_on_sigterm)
    try:
        yield pool
    except BaseException:
        _stop_workers(pool, others)
        raise
    pool.shutdown(wait=True)


def _stop_workers(pool: ProcessPoolExecutor, others: set) -> None:
    """Cancel what has not started and SIGTERM the pool's workers (this process's children
    but ``others``): they unwind and clean up; one still alive after 10 s is killed."""
    workers = [process for process in multiprocessing.active_children() if process not in others]
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        if process.is_alive():
            process.terminate()
    for process in workers:
        process.join(timeout=10)
        if process.is_alive():
            process.kill()


def sweep(out_dir: Path) -> list[Path]:
    """Remove temporaries of processes no longer alive from ``out_dir`` (every figure's)."""
    return sweep_dead_temporaries(out_dir)
