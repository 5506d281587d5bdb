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
import ctypes
import dataclasses
import importlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
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
    """Make SIGTERM raise KeyboardInterrupt in this process (the CLI), so a killed render
    unwinds through the publisher's clean-up and leaves the published files as they were;
    the interruption is noted too, so one whose raise Python swallowed still stops the
    render before it publishes (``pipeline.interrupts``). Workers have their own
    (:func:`_start_worker`)."""
    interrupts.install()


def run_jobs(jobs: list[Job], workers: int, on_event: OnEvent) -> list[Outcome]:
    """Run ``jobs`` with ``workers`` processes: in this process when one suffices (one
    worker or one job), else in one pool of ``min(workers, len(jobs))`` worker processes
    for every job, whatever its theme.

    ``on_event(stem, status, outcome)`` is called with "rendering" as a job starts and
    its outcome's status as it ends. Interrupting (KeyboardInterrupt, or SIGTERM turned
    into one) stops the workers, whose clean-up removes their temporary files. A worker
    that dies (``kill -9``, a crash) fails the job it held ("worker died (SIGKILL)"); that
    breaks the pool (its other workers are stopped), so the jobs that had not finished
    run again in a fresh one.
    """
    if not jobs:
        return []
    if workers <= 1 or len(jobs) == 1:
        return [_run_here(job, on_event) for job in jobs]

    outcomes: list[Outcome] = []
    queue = list(jobs)
    while queue:
        queue = _run_in_pool(queue, workers, on_event, outcomes)
    return outcomes


def _run_in_pool(queue: list[Job], workers: int, on_event: OnEvent, outcomes: list[Outcome]) -> list[Job]:
    """Run the jobs of ``queue`` in one pool, appending their outcomes to ``outcomes``;
    return the jobs to run again in a fresh pool (none unless a worker died)."""
    queue, finished = list(queue), len(outcomes)
    unfinished: list[Job] = []  # jobs the pool could not finish: it broke
    with worker_pool(min(workers, len(queue))) as pool:
        pending: dict[Future, Job] = {}

        def start(job: Job) -> None:
            try:
                pending[pool.submit(_run_in_worker, job)] = job
            except BrokenProcessPool:
                unfinished.append(job)
                return
            on_event(job.stem, "rendering", None)

        while queue and len(pending) < workers:
            start(queue.pop(0))
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            pool.note_reports()
            for future in done:
                job = pending.pop(future)
                if isinstance(error := future.exception(), BrokenProcessPool):
                    unfinished.append(job)
                    continue
                outcome = future.result() if error is None else Outcome(job, "failed", error=_describe(error))
                interrupts.check()
                outcomes.append(outcome)
                on_event(job.stem, outcome.status, outcome)
                if queue and not unfinished:
                    start(queue.pop(0))
        interrupts.check()  # a Ctrl-C reaches the workers too: it may break the pool first
        deaths = pool.deaths(unfinished) if unfinished else {}
    progressed = deaths or len(outcomes) > finished
    for job in unfinished:
        if job.stem in deaths or not progressed:  # no worker to blame: fail them all, or this would loop
            outcome = Outcome(job, "failed", error=deaths.get(job.stem, "the worker pool broke"))
            outcomes.append(outcome)
            on_event(job.stem, outcome.status, outcome)
    ended = {outcome.job.stem for outcome in outcomes[finished:]}
    return [job for job in unfinished if job.stem not in ended] + queue


def _run_here(job: Job, on_event: OnEvent) -> Outcome:
    on_event(job.stem, "rendering", None)
    outcome = run_job(job)
    interrupts.check()
    on_event(job.stem, outcome.status, outcome)
    return outcome


# --- worker processes ---------------------------------------------------------------
#: A worker stopped by SIGTERM or SIGINT (from its parent, or because its parent is gone)
#: exits with this status once its job has unwound; any other end of a worker is a death.
INTERRUPTED = 130
#: How often a worker checks that its parent is alive (besides PR_SET_PDEATHSIG on Linux),
#: and how long an orphaned worker's job may take to unwind before the worker just exits.
PARENT_POLL, ORPHAN_GRACE = 0.5, 5.0
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>

_worker: dict = {}  # in a worker process: its "parent" pid, its "reports" pipe, the "job" it runs


def _start_worker(parent: int, reports) -> None:
    """A worker's initializer: SIGTERM and SIGINT unwind its job, then end the worker
    (:func:`_on_interrupt`); the worker ends when its parent does, even by ``kill -9``
    (:func:`_die_with_parent`); it tells ``reports`` each job it starts."""
    _worker.update(parent=parent, reports=reports, job=None)
    interrupts.forget()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _on_interrupt)
    _die_with_parent(parent)


def _on_interrupt(signum, frame) -> None:
    """A worker's SIGTERM and SIGINT handler: between jobs, exit at once; in a job, raise
    KeyboardInterrupt (noted) so the job unwinds, and :func:`_run_in_worker` exits after."""
    if _worker.get("job") is None:
        _exit_interrupted()
    interrupts.raise_interrupt(signum, frame)


def _die_with_parent(parent: int) -> None:
    """Have the kernel send this worker SIGTERM when its parent dies (Linux's
    PR_SET_PDEATHSIG), exit now if the parent already died, and watch it in a thread too
    (elsewhere, and should the signal not end the worker)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # it died before prctl: we were re-parented already
        _exit_interrupted()
    threading.Thread(target=_watch_parent, args=(parent,), name="gdviz-parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL)
    if not interrupts.received():
        os.kill(os.getpid(), signal.SIGTERM)  # the job unwinds (no PR_SET_PDEATHSIG here)
    time.sleep(ORPHAN_GRACE)
    _exit_interrupted()


def _exit_interrupted() -> None:
    with contextlib.suppress(Exception):
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(INTERRUPTED)


def _run_in_worker(job: Job) -> Outcome:
    """``run_job`` in a worker: report the job, run it; a worker interrupted (by its
    parent, or because its parent is gone) exits once the job has unwound, sending nothing."""
    _worker["job"] = job.stem
    _worker["reports"].send((os.getpid(), job.stem))
    try:
        outcome = run_job(job)
    except KeyboardInterrupt:
        _exit_interrupted()
    _worker["job"] = None
    if interrupts.received() or os.getppid() != _worker["parent"]:
        _exit_interrupted()
    return outcome


class WorkerPool:
    """A ``ProcessPoolExecutor`` of spawned workers that knows its worker processes and
    which job each started, to tell which job a dead worker held."""

    def __init__(self, workers: int) -> None:
        self.others = set(multiprocessing.active_children())  # children that are not this pool's
        context = multiprocessing.get_context("spawn")
        self.reports, self.writer = context.Pipe(duplex=False)  # (pid, stem): one small atomic write each
        self.executor = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                            initializer=_start_worker, initargs=(os.getpid(), self.writer))
        self.processes: dict[int, multiprocessing.process.BaseProcess] = {}
        self.started: dict[str, int] = {}  # job stem -> the pid of the worker that started it

    def submit(self, fn, *args) -> Future:
        future = self.executor.submit(fn, *args)
        self._note_processes()  # the executor starts its workers as jobs are submitted
        return future

    def _note_processes(self) -> None:
        for process in multiprocessing.active_children():
            if process not in self.others:
                self.processes.setdefault(process.pid, process)

    def note_reports(self) -> None:
        """Read the workers' reports of the jobs they started (so the pipe never fills)."""
        while self.reports.poll():
            pid, stem = self.reports.recv()
            self.started[stem] = pid

    def deaths(self, unfinished: list[Job]) -> dict[str, str]:
        """For a broken pool: stem -> "worker died (SIGKILL)" for each job of ``unfinished``
        whose worker died rather than being stopped. Waits for (or kills) every worker."""
        self._note_processes()
        alive = [process for process in self.processes.values() if process.exitcode is None]
        multiprocessing.connection.wait([process.sentinel for process in alive], timeout=ORPHAN_GRACE)
        for process in alive:  # the pool SIGTERMs its other workers: one that ignored it
            if process.is_alive():
                process.kill()
        self.executor.shutdown(wait=True)  # its manager thread joins every worker: their exit codes are known
        self.note_reports()
        deaths = {}
        for job in unfinished:
            process = self.processes.get(self.started.get(job.stem, 0))
            if process is not None and process.exitcode != INTERRUPTED:
                deaths[job.stem] = f"worker died ({_exit_status(process.exitcode)})"
        return deaths

    def close(self) -> None:
        self.executor.shutdown(wait=True)
        self._close_pipe()

    def _close_pipe(self) -> None:
        self.writer.close()
        self.reports.close()

    def stop(self) -> None:
        """Cancel what has not started and SIGTERM the workers: they unwind, clean up and
        exit; one still alive after ``ORPHAN_GRACE`` is killed."""
        self._note_processes()
        self.executor.shutdown(wait=False, cancel_futures=True)
        for process in self.processes.values():
            if process.is_alive():
                process.terminate()
        for process in self.processes.values():
            process.join(timeout=ORPHAN_GRACE)
            if process.is_alive():
                process.kill()
        self._close_pipe()


def _exit_status(code: int | None) -> str:
    """``SIGKILL`` for a process a signal ended (a negative exit code), else ``exit code N``."""
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return signal.Signals(-code).name
        return f"signal {-code}"
    return f"exit code {code}"


@contextlib.contextmanager
def worker_pool(workers: int) -> Iterator[WorkerPool]:
    """A pool of up to ``workers`` spawned processes, each interrupted by SIGTERM like
    Ctrl-C and ended with its parent; it waits for its jobs when the block ends, and
    stops its workers when the block raises (an interruption: :meth:`WorkerPool.stop`).

    (Spawned, not forked: a fork would copy the caller's threads' locks, BLAS's among
    them, in whatever state they are.)
    """
    pool = WorkerPool(workers)
    try:
        yield pool
    except BaseException:
        pool.stop()
        raise
    pool.close()


def sweep(out_dir: Path) -> list[Path]:
    """Remove temporaries of processes no longer alive from ``out_dir`` (every figure's)."""
    return sweep_dead_temporaries(out_dir)
