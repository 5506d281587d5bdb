"""The door: the command line (``python render.py``, or ``gdviz`` after ``pip install .``)
and ``render()`` for Python and notebooks. Both validate by the same rules and call
``pipeline.run``, so they share the cache, the locks and the atomic publishing.

>>> from render import render
>>> result = render("convex", quality="l", alpha=0.1)  # doctest: +SKIP
>>> result.status, result.files["dark"]["mp4"]  # doctest: +SKIP
('rendered', PosixPath('media/convex.mp4'))
"""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

import click

import pipeline
from pipeline import jobs, manifest
from pipeline.encode import FORMATS
from pipeline.files import unwritable
from pipeline.notebook import FigureResult, RenderResults
from pipeline.params import params_of, parse_overrides, validation_problems
from pipeline.render import QUALITIES
from scenes import DEFAULT_FIGURE, ORDER, REGISTRY
from scenes.params import rules_text
from scenes.theme import THEMES

KIND_NOTE = {"video": "", "still": " [still: png]", "page": " [page: html]"}


def _typed_figures() -> list[str]:
    """The figures that take ``--set function=EXPR``."""
    return [name for name, figure in REGISTRY.items()
            if (params := params_of(figure)) is not None and "function" in {f.name for f in dataclasses.fields(params)}]


def _function_grammar() -> str:
    """What ``--set function=EXPR`` accepts, for --list and --help."""
    import gdmath

    one = ", ".join(name for name, count in gdmath.FUNCTIONS.items() if count == 1)
    two = ", ".join(f"{name}(y, x)" for name, count in gdmath.FUNCTIONS.items() if count == 2)
    two_d = [name for name in _typed_figures() if getattr(params_of(REGISTRY[name]), "dim", 2) == 2]
    return (f"--set function=EXPR (your own function, the whole text after '=') on: {', '.join(_typed_figures())}. "
            f"Names: x (and y on the 2-D ones: {', '.join(two_d)}), pi, e. "
            "Operators: + - * / and ^ or ** for power (^ is power, not xor), unary -, parentheses. "
            f"Functions: {one}, {two}. Example: --set function=\"x^2 + 3*y^2\".")


def _list_figures() -> str:
    width = max(len(name) for name in REGISTRY)
    lines = []
    for name, figure in REGISTRY.items():
        lines.append(f"{name:<{width}}  {figure.description}{KIND_NOTE[figure.kind]}")
        if (params := params_of(figure)) is not None:
            lines.append(f"{'':<{width}}  --set {rules_text(type(params))}")
    return "\n".join([*lines, "", _function_grammar()])


def _verify(out_dir: Path) -> None:
    problems = manifest.verify(out_dir)
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if problems:
        sys.exit(1)
    click.echo(f"{out_dir}/ verified: every file of {manifest.MANIFEST} present with its size and SHA-256")


class Progress:
    """One line per figure as its state changes, plus an overall count; a live display on a terminal."""

    def __init__(self, live: bool) -> None:
        self.wants_live = live
        self.names: list[str] = []
        self.finished = 0
        self.live = None

    def planned(self, plan: pipeline.Plan) -> None:
        """Say what the run will do, then list every figure as queued."""
        _, _, height, fps = QUALITIES[plan.quality]
        click.echo(
            f"{len(plan.stems)} figure(s){' (each theme counted)' if len(plan.themes) > 1 else ''} at {height}p{fps}: "
            f"{len(plan.cached)} unchanged, {len(plan.to_render)} to render with {plan.processes} process(es)",
            err=True,
        )
        self.names = list(plan.stems)
        if self.wants_live:
            from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            self.live = RichProgress(
                TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), transient=False
            )
            self.overall = self.live.add_task("all figures", total=len(self.names))
            self.tasks = {n: self.live.add_task(f"{n:<16} queued", total=1) for n in self.names}
            self.live.start()
        else:
            for name in self.names:
                self.line(name, "queued")

    def line(self, name: str, status: str) -> None:
        click.echo(f"[{self.finished}/{len(self.names)}] {name:<16} {status}", err=True)

    def event(self, name: str, status: str, outcome=None) -> None:
        text = status
        if outcome is not None:
            self.finished += 1
            if status == "rendered":
                text = f"done in {outcome.seconds:.1f} s"
            elif status == "failed":
                text = f"failed: {outcome.error}"
        if self.live is None:
            self.line(name, text)
            return
        self.live.update(self.tasks[name], description=f"{name:<16} {text}", completed=1 if outcome else 0)
        self.live.update(self.overall, completed=self.finished)

    def stop(self) -> None:
        if self.live is not None:
            self.live.stop()


def _summary(outcomes) -> str:
    rows = [("figure", "status", "seconds", "size")]
    for outcome in outcomes:
        size = outcome.bytes
        rows.append(
            (outcome.job.stem, outcome.status, f"{outcome.seconds:.1f}", f"{size / 1e6:.2f} MB" if size else "-")
        )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join(
        f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]:>{widths[3]}}" for r in rows
    )


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--scene",
    "scene_names",
    type=click.Choice(list(REGISTRY)),
    multiple=True,
    help=f"A figure to render; repeat for several (default: {DEFAULT_FIGURE}). See --list.",
)
@click.option("--all", "render_all", is_flag=True, help="Render every figure, in the post's order.")
@click.option("--list", "list_only", is_flag=True, help="List the figures, their descriptions and --set rules, and exit.")
@click.option("--verify", "verify_only", is_flag=True,
              help="Check OUT against its manifest (files, sizes, SHA-256, no temporaries); exit 1 naming what is wrong.")
@click.option(
    "-q",
    "--quality",
    type=click.Choice(list(QUALITIES)),
    default="h",
    show_default=True,
    help="l = 480p15, m = 720p30, h = 1080p60, k = 2160p60.",
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(FORMATS),
    multiple=True,
    help="Video formats to publish; repeat for several (default: mp4). Every video also gets NAME.png.",
)
@click.option(
    "--jobs",
    "-j",
    "jobs_count",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="number of cores",
    help="Figures rendered at once, each in its own process.",
)
@click.option(
    "--theme",
    "theme_choice",
    type=click.Choice([*THEMES, "both"]),
    default=THEMES[0],
    show_default=True,
    help="The palette: dark (NAME.mp4 ...), light (NAME-light.mp4 ...) or both, for pages that "
    "switch with the reader's prefers-color-scheme. The playground follows the reader's scheme itself.",
)
@click.option("--force", is_flag=True, help="Render even figures whose inputs are unchanged.")
@click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override a figure parameter, e.g. --set alpha=0.1 --set steps=50 (see --list). "
    + _function_grammar(),
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("media"),
    show_default=True,
    help="Where the published files go.",
)
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(".cache"),
    show_default=True,
    help="Where manim's working files go (never beside the published files).",
)
@click.option("--quiet", is_flag=True, help="No live progress display.")
def main(
    scene_names: tuple[str, ...],
    render_all: bool,
    list_only: bool,
    verify_only: bool,
    quality: str,
    formats: tuple[str, ...],
    jobs_count: int,
    theme_choice: str,
    force: bool,
    settings: tuple[str, ...],
    out_dir: Path,
    cache_dir: Path,
    quiet: bool,
) -> None:
    """Render figures of the gradient-descent post and publish them into OUT.

    Each video figure becomes OUT/NAME.mp4 (H.264, yuv420p, index at the front so it
    plays while it downloads; add --format webm / gif for VP9 and GIF) and its poster
    OUT/NAME.png (the last frame); a still becomes OUT/NAME.png; the playground is
    OUT/playground.html. OUT/manifest.json lists what was published and
    OUT/index.html shows it all as a gallery with copy-paste snippets.

    --theme light publishes the light palette's files as OUT/NAME-light.*; with --theme
    both, the gallery and its snippets show the light or dark files according to the
    reader's prefers-color-scheme, without JavaScript.

    Files appear only once a render has succeeded and passed its checks: a failed or
    interrupted render (Ctrl-C, SIGTERM) leaves the earlier files untouched. A figure
    whose inputs (every source and data file, parameters, quality, formats, tool
    versions) are unchanged is not rendered again unless --force. Runs may share OUT
    and CACHE: a second run of the same figure waits for the first. --verify checks
    OUT against its manifest.

    \b
    Examples:
      python render.py                          # hills at 1080p60 -> media/hills.mp4
      python render.py --all --jobs 2           # every figure, plus media/index.html
      python render.py --scene hills -q l       # a quick 480p draft
      python render.py --scene hills --set alpha=0.05 --set steps=120
      python render.py --scene hills --set function="x^2 + 3*y^2"
      python render.py --all --theme both       # dark and light, for a page that switches
      python render.py --list
    """
    if list_only:
        click.echo(_list_figures())
        return
    if verify_only:
        _verify(out_dir)
        return
    names = list(REGISTRY) if render_all else list(dict.fromkeys(scene_names or [DEFAULT_FIGURE]))
    figures = [REGISTRY[name] for name in names]
    try:  # every value checked before anything is written or rendered
        overrides = parse_overrides(settings, figures)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--set") from error
    if problems := validation_problems(figures, overrides):
        raise click.BadParameter("\n".join(problems), param_hint="--set")
    for option, folder in (("--out", out_dir), ("--cache", cache_dir)):
        if problem := unwritable(folder):  # a usage error, before anything renders
            raise click.BadParameter(problem, param_hint=option)

    jobs.interrupt_on_sigterm()
    progress = Progress(live=not quiet and sys.stderr.isatty())
    try:
        result = pipeline.run(
            names, overrides=overrides, quality=quality, formats=formats or ("mp4",),
            themes=THEMES if theme_choice == "both" else (theme_choice,), workers=jobs_count, force=force,
            out_dir=out_dir, cache_dir=cache_dir, registry=REGISTRY, order=ORDER,
            on_plan=progress.planned, on_event=progress.event, warn=lambda text: click.echo(text, err=True),
        )
    except KeyboardInterrupt:
        progress.stop()
        click.echo("interrupted: unfinished figures not published; earlier files left as they were", err=True)
        sys.exit(130)
    progress.stop()
    click.echo(_summary(result.outcomes))
    for outcome in result.failed:
        click.echo(f"error: {outcome.job.stem}: {outcome.error}", err=True)
    for problem in result.problems:
        click.echo(f"error: {problem}", err=True)
    click.echo(f"published into {out_dir}/ (index.html, manifest.json)", err=True)
    if not result.ok:
        sys.exit(1)


# --- Python ---------------------------------------------------------------------------------
def render(
    *names: str,
    quality: str = "h",
    theme: str = THEMES[0],
    out: str | Path = "media",
    cache: str | Path = ".cache",
    formats: tuple[str, ...] = ("mp4",),
    force: bool = False,
    jobs: int = 1,
    progress: bool = False,
    embed: bool = False,
    **params,
) -> FigureResult | RenderResults:
    """Render and publish figures from Python, as ``python render.py`` does.

    ``names`` are figure names (default: hills); ``quality``, ``theme`` (dark, light or
    both), ``out``, ``cache``, ``formats``, ``force`` and ``jobs`` are the CLI's options;
    every other keyword is a ``--set`` parameter (``alpha=0.05``, ``starts=(-2, 1.5)``),
    checked by the CLI's rules: a bad value raises ``ValueError`` with the CLI's message
    before anything renders or is written. No output unless ``progress=True`` (the CLI's
    rich bar, in a terminal or a notebook).

    Returns a :class:`~pipeline.notebook.FigureResult` (for several names, a list of
    them): its files, manifest entries (summary, cues, parameters, cache key) and status
    (rendered, cached or failed). In a notebook it shows itself: the video with its
    poster and transcript, by a path relative to the notebook's folder, or inline with
    ``embed=True``.
    """
    names = names or (DEFAULT_FIGURE,)
    unknown = [name for name in names if name not in REGISTRY]
    if unknown:
        raise ValueError(f"unknown figure {unknown[0]!r}; known: {', '.join(REGISTRY)}")
    if theme not in (*THEMES, "both"):
        raise ValueError(f"theme must be one of {', '.join((*THEMES, 'both'))}, got {theme!r}")
    figures = [REGISTRY[name] for name in dict.fromkeys(names)]
    overrides = parse_overrides(tuple(_setting(key, value) for key, value in params.items() if value is not None),
                                figures)
    if problems := validation_problems(figures, overrides):
        raise ValueError("\n".join(problems))
    shown = Progress(live=True) if progress else None
    try:
        result = pipeline.run(
            [f.name for f in figures], overrides=overrides, quality=quality, formats=tuple(formats),
            themes=THEMES if theme == "both" else (theme,), workers=jobs, force=force,
            out_dir=Path(out), cache_dir=Path(cache), registry=REGISTRY, order=ORDER,
            on_plan=shown.planned if shown else None, on_event=shown.event if shown else None,
        )
    finally:
        if shown is not None:
            shown.stop()
    results = RenderResults([_figure_result(figure.name, result, embed) for figure in figures])
    return results[0] if len(results) == 1 else results


def _setting(key: str, value) -> str:
    """A keyword argument as the ``--set KEY=VALUE`` text the CLI would parse."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (list, tuple)):
        text = ",".join(str(item) for item in value)
    else:
        text = str(value)
    return f"{key}={text}"


def _figure_result(name: str, result: pipeline.RunResult, embed: bool) -> FigureResult:
    outcomes = [o for o in result.outcomes if o.job.name == name]
    statuses = {o.status for o in outcomes}
    status = "failed" if "failed" in statuses else "rendered" if "rendered" in statuses else "cached"
    return FigureResult(
        name, status, result.out_dir,
        entries={o.job.theme: o.entry for o in outcomes if o.entry},
        errors={o.job.theme: o.error for o in outcomes if o.status == "failed"},
        embed=embed,
    )


if __name__ == "__main__":
    main()
