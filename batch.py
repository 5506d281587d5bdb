"""Render many figures: cache keys, parameter overrides, and a process pool.

A job renders one figure in a worker process (its own manim media and Tex folders,
so parallel renders never share manim's Tex folder, which manim cleans after every
compile). A job whose cache key matches what ``media/manifest.json`` recorded for
the published files is not rendered again.
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import json
import multiprocessing
import os
import signal
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent
ALWAYS_HASHED = [
    ROOT / "scenes" / "__init__.py",
    ROOT / "scenes" / "theme.py",
    ROOT / "scenes" / "components.py",
    ROOT / "publish.py",
    *sorted((ROOT / "gdmath").glob("*.py")),
]


@dataclass(frozen=True)
class Job:
    """One figure to publish; everything a worker process needs, picklable."""

    name: str
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


@dataclass
class Outcome:
    """What happened to one job."""

    job: Job
    status: str  # "done", "cached" or "failed"
    seconds: float = 0.0
    files: dict[str, str] = field(default_factory=dict)  # format -> file name in out_dir
    video: dict = field(default_factory=dict)  # width, height, fps, frames, duration
    error: str = ""


# --- parameters ----------------------------------------------------------------------
def parse_overrides(pairs: tuple[str, ...], figures: list) -> dict[str, dict]:
    """``("alpha=0.1", ...)`` -> ``{figure name: {"alpha": 0.1}}`` for the figures that
    have that parameter, each value converted to the type of the parameter's default.

    Raises ``ValueError`` for a malformed pair, a key no selected figure has (listing the
    keys they have), or a value of the wrong type.
    """
    per_figure: dict[str, dict] = {f.name: {} for f in figures}
    known: dict[str, list] = {}
    for figure in figures:
        if figure.scene is not None and dataclasses.is_dataclass(getattr(figure.scene, "params", None)):
            for f in dataclasses.fields(figure.scene.params):
                known.setdefault(f.name, []).append((figure, getattr(figure.scene.params, f.name)))
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ValueError(f"--set takes key=value, got {pair!r}")
        if key not in known:
            names = ", ".join(sorted(known)) or "none"
            raise ValueError(f"unknown parameter {key!r} for {', '.join(f.name for f in figures)}; known: {names}")
        for figure, default in known[key]:
            per_figure[figure.name][key] = _convert(key, text.strip(), default)
    return per_figure


def _convert(key: str, text: str, default):
    try:
        if isinstance(default, bool):
            lowered = text.lower()
            if lowered not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError
            return lowered in ("true", "1", "yes")
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
        if isinstance(default, tuple):  # e.g. starts=-2.3,-0.4,0.3
            kind = type(default[0]) if default else float
            return tuple(kind(part) for part in text.split(",") if part.strip())
        return type(default)(text)
    except ValueError:
        article = "an" if type(default).__name__[0] in "aeiou" else "a"
        what = "comma-separated numbers" if isinstance(default, tuple) else f"{article} {type(default).__name__}"
        raise ValueError(f"{key} must be {what}, got {text!r}") from None


def effective_params(figure, overrides: dict) -> dict:
    """The figure's parameters with ``overrides`` applied, as plain JSON-able values."""
    if figure.scene is None or not dataclasses.is_dataclass(getattr(figure.scene, "params", None)):
        return {}
    params = dataclasses.replace(figure.scene.params, **overrides)
    return {k: _plain(v) for k, v in dataclasses.asdict(params).items()}


def _plain(value):
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


# --- cache keys -------------------------------------------------------------------
def scene_sources(module_name: str) -> list[Path]:
    """The module's file and, transitively, every ``scenes.*`` module it imports."""
    seen: dict[str, Path] = {}
    todo = [module_name]
    while todo:
        name = todo.pop()
        path = ROOT / Path(*name.split(".")).with_suffix(".py")
        if name in seen or not path.exists():
            continue
        seen[name] = path
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "scenes":
                todo.append(node.module)
                todo.extend(f"scenes.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                todo.extend(a.name for a in node.names if a.name.split(".")[0] == "scenes")
    return sorted(seen.values())


def cache_key(module_name: str, params: dict, quality: str, formats: tuple[str, ...]) -> str:
    """A hash of everything that decides a figure's files: its sources, gdmath, the theme,
    its parameters, the quality, the formats, and the versions of manim and PyAV."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    for path in sorted(set(scene_sources(module_name)) | set(ALWAYS_HASHED)):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    digest.update(json.dumps([params, quality, sorted(formats), version("manim"), version("av")], sort_keys=True).encode())
    return digest.hexdigest()[:16]


def make_job(figure, overrides: dict, quality: str, formats: tuple[str, ...], out_dir: Path, cache_dir: Path) -> Job:
    target = figure.scene if figure.kind != "page" else figure.build
    params = effective_params(figure, overrides)
    keyed_formats = formats if figure.kind == "video" else ()  # a still is a PNG whatever was asked
    return Job(
        name=figure.name,
        kind=figure.kind,
        target_module=target.__module__,
        target_name=target.__qualname__,
        overrides=overrides,
        quality=quality if figure.kind != "page" else "",
        formats=formats,
        out_dir=out_dir,
        cache_dir=cache_dir,
        key=cache_key(target.__module__, params, quality if figure.kind != "page" else "", keyed_formats),
        params=params,
    )


def cached_outcome(job: Job, manifest: dict) -> Outcome | None:
    """The outcome recorded in the manifest if its key matches and its files are intact."""
    entry = manifest.get(job.name)
    if not entry or entry.get("cache_key") != job.key:
        return None
    files = entry.get("files", {})
    for info in files.values():
        path = job.out_dir / info["path"]
        if not path.is_file() or path.stat().st_size != info["bytes"]:
            return None
    return Outcome(
        job=job,
        status="cached",
        seconds=0.0,
        files={fmt: info["path"] for fmt, info in files.items()},
        video={k: entry[k] for k in ("width", "height", "fps", "frames", "duration") if k in entry},
    )


# --- running ------------------------------------------------------------------------
def run_job(job: Job) -> Outcome:
    """Render and publish one figure (in whichever process calls it)."""
    import importlib

    import publish
    from scenes import with_params

    started = time.perf_counter()
    try:
        target = getattr(importlib.import_module(job.target_module), job.target_name)
        if job.kind == "page":
            path = Path(target(job.out_dir))
            return Outcome(job, "done", time.perf_counter() - started, files={"html": path.name})
        scene = with_params(target, **job.overrides) if job.overrides else target
        result = publish.render_figure(
            job.name, scene, job.quality, job.out_dir, job.cache_dir, job.formats, still=job.kind == "still"
        )
    except Exception as error:  # one figure's failure must not stop the others
        return Outcome(job, "failed", time.perf_counter() - started, error=_describe(error))
    video = {}
    if result.info is not None:
        info = result.info
        video = {"width": info.width, "height": info.height, "fps": info.fps, "frames": info.frames,
                 "duration": round(info.duration, 3)}
    return Outcome(job, "done", result.seconds, files={k: p.name for k, p in result.files.items()}, video=video)


def _describe(error: Exception) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{type(error).__name__}: {error}{where}"


def _worker_init() -> None:
    # SIGTERM unwinds like Ctrl-C, through the publisher's clean-up of its temporary files.
    signal.signal(signal.SIGTERM, _raise_interrupt)


def _raise_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


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
            on_event(job.name, outcome.status, outcome)
            outcomes.append(outcome)
        return outcomes

    context = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context, initializer=_worker_init)
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


def sweep_temporary_files(out_dir: Path, names: list[str]) -> None:
    """Remove temporary files a killed worker may have left (``.NAME.*.tmp``)."""
    if not out_dir.is_dir():
        return
    for name in names:
        for temp in out_dir.glob(f".{name}.*.tmp"):
            temp.unlink(missing_ok=True)
