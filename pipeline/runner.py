"""One call publishes a selection of figures: the path of the command line and of Python.

>>> import pipeline
>>> result = pipeline.run(["convex"], quality="l", themes=("dark", "light"))  # doctest: +SKIP
>>> [(o.job.stem, o.status) for o in result.outcomes]  # doctest: +SKIP
[('convex', 'rendered'), ('convex-light', 'rendered')]

``run`` sweeps the output folder of dead processes' temporaries, loads its manifest (a bad
one is moved aside and rebuilt from the files on disk), makes a job per figure and theme,
finds the jobs whose files are already published with the same cache key, renders the
others (in this process, or a pool of ``workers`` processes), then writes the gallery.
It tells what it does through callbacks (``on_plan`` once, ``on_event`` per job) and
returns a :class:`RunResult`; it prints nothing, installs no signal handler and never
exits: ``render.py`` does those.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from pipeline import gallery, jobs, manifest
from pipeline.encode import FORMATS
from pipeline.files import DiskFull, unwritable
from pipeline.jobs import Job, OnEvent, Outcome
from pipeline.locks import folder_lock
from pipeline.params import validation_problems
from pipeline.render import QUALITIES
from scenes import ORDER, REGISTRY
from scenes.theme import THEMES


@dataclass(frozen=True)
class Plan:
    """What a run is about to do, told once before it renders (``on_plan``)."""

    stems: tuple[str, ...]  # every job's file stem (``hills``, ``hills-light``), in the run's order
    cached: tuple[str, ...]  # those already published with their cache key: not rendered again
    to_render: tuple[str, ...]
    processes: int  # how many processes render ``to_render``
    quality: str
    themes: tuple[str, ...]


@dataclass(frozen=True)
class RunResult:
    """What a run did: one outcome per job, in the plan's order."""

    plan: Plan
    outcomes: tuple[Outcome, ...]
    out_dir: Path
    gallery: Path  # the written ``index.html``
    problems: tuple[str, ...] = ()  # the folder's own failures (manifest.json, index.html not written)

    @property
    def by_stem(self) -> dict[str, Outcome]:
        return {outcome.job.stem: outcome for outcome in self.outcomes}

    @property
    def ok(self) -> bool:
        """Whether every figure was published (or cached) and the manifest and gallery written."""
        return not self.failed and not self.problems

    @property
    def failed(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "failed"]


def run(
    names: Sequence[str],
    *,
    overrides: dict[str, dict] | None = None,
    quality: str = "h",
    formats: Sequence[str] = ("mp4",),
    themes: Sequence[str] = THEMES[:1],
    workers: int = 1,
    force: bool = False,
    out_dir: Path = Path("media"),
    cache_dir: Path = Path(".cache"),
    registry: dict | None = None,
    order: Sequence[str] | None = None,
    on_plan: Callable[[Plan], None] | None = None,
    on_event: OnEvent | None = None,
    warn: Callable[[str], None] | None = None,
) -> RunResult:
    """Publish the figures ``names`` into ``out_dir`` in each of ``themes``; return what happened.

    ``overrides`` maps a figure's name to its parameter values (typed: ``--set`` text goes
    through ``pipeline.params.parse_overrides`` first). A video figure is published in
    ``formats`` (some of ``FORMATS``) at ``quality`` (a key of ``QUALITIES``); a page in
    the first theme only (it follows the reader's scheme itself). ``registry`` (name ->
    Figure) and ``order`` (the gallery's) default to the scenes'. A bad value raises
    ``ValueError`` naming it, before anything is written. ``on_plan(plan)`` is called once
    the cache is checked, then ``on_event(stem, status, outcome)``: "cached" for each hit,
    and "rendering", then the outcome's status, for each job rendered. A figure that
    fails does not stop the others (its outcome says why); an interruption
    (KeyboardInterrupt) stops the run, leaves every published file as it was, and is
    raised again.
    """
    registry = REGISTRY if registry is None else registry
    figures = _figures(names, registry)
    overrides = {figure.name: dict((overrides or {}).get(figure.name, {})) for figure in figures}
    formats, themes = tuple(dict.fromkeys(formats)), tuple(dict.fromkeys(themes))
    _check(figures, overrides, quality, formats, themes, workers)
    for what, folder in (("out_dir", out_dir), ("cache_dir", cache_dir)):
        if problem := unwritable(folder):
            raise ValueError(f"{what}: {problem}")
    on_event = on_event or (lambda stem, status, outcome: None)

    out_dir.mkdir(parents=True, exist_ok=True)
    jobs.sweep(out_dir)
    entries = manifest.load_or_repair(out_dir, registry, warn=warn)
    all_jobs = [jobs.make_job(figure, overrides[figure.name], quality, formats, out_dir, cache_dir, force, theme)
                for figure in figures for theme in (THEMES[:1] if figure.kind == "page" else themes)]
    cached = {} if force else {job.stem: hit for job in all_jobs if (hit := jobs.cached_outcome(job, entries))}
    to_render = [job for job in all_jobs if job.stem not in cached]
    plan = Plan(stems=tuple(job.stem for job in all_jobs), cached=tuple(cached), to_render=tuple(j.stem for j in to_render),
                processes=min(workers, max(len(to_render), 1)), quality=quality, themes=themes)
    if on_plan is not None:
        on_plan(plan)
    for stem, outcome in cached.items():
        on_event(stem, "cached", outcome)

    try:
        rendered = jobs.run_jobs(to_render, workers, on_event)
    finally:
        jobs.sweep(out_dir)  # an interrupted worker's temporaries too
    by_stem = {outcome.job.stem: outcome for outcome in [*cached.values(), *rendered]}
    index, problems = _tidy_and_gallery(out_dir, registry, list(ORDER if order is None else order))
    return RunResult(plan, tuple(by_stem[stem] for stem in plan.stems), out_dir, index, problems)


def _tidy_and_gallery(out_dir: Path, registry: dict, order: list[str]) -> tuple[Path, tuple[str, ...]]:
    """Tidy the manifest and write the gallery of what it lists (under the folder's lock);
    a write that fails (a full disk) leaves that file as it was and is one of the problems
    returned. The gallery shows the tidied entries even when the manifest was not rewritten:
    both stay true to the files."""
    problems = []
    with folder_lock(out_dir):
        entries = manifest.tidied(out_dir, registry, order)
        for name, write in ((manifest.MANIFEST, lambda: manifest.write_manifest(out_dir, entries, order)),
                            (gallery.INDEX, lambda: gallery.write_gallery(out_dir, entries))):
            try:
                write()
            except (DiskFull, OSError) as error:
                problems.append(f"{name} not updated (the old one is kept): {error}")
    return out_dir / gallery.INDEX, tuple(problems)


def _figures(names: Sequence[str], registry: dict) -> list:
    """The registry's figures of ``names``, each once, in the order given."""
    unknown = [name for name in names if name not in registry]
    if unknown:
        raise ValueError(f"unknown figure {unknown[0]!r}; known: {', '.join(registry)}")
    return [registry[name] for name in dict.fromkeys(names)]


def _check(figures: list, overrides: dict, quality: str, formats: tuple, themes: Sequence[str], workers: int) -> None:
    """Raise ``ValueError`` naming the first bad value of a run's request."""
    if quality not in QUALITIES:
        raise ValueError(f"quality must be one of {', '.join(QUALITIES)}, got {quality!r}")
    if not formats or not set(formats) <= set(FORMATS):
        raise ValueError(f"formats must be some of {', '.join(FORMATS)}, got {', '.join(formats) or 'none'}")
    if not themes or not set(themes) <= set(THEMES):
        raise ValueError(f"themes must be some of {', '.join(THEMES)}, got {', '.join(themes) or 'none'}")
    if workers < 1:
        raise ValueError(f"workers must be 1 or more, got {workers}")
    if problems := validation_problems(figures, overrides):
        raise ValueError("\n".join(problems))


__all__ = ["Job", "Outcome", "Plan", "RunResult", "run"]
