"""Benchmark: seconds per frame of the descent figures as the number of starts grows.
A script, not a test; one run, one process per render.

    .venv/bin/python bench/scaling.py                      # hills at N = 12, 100, 1000; basins; -q m
    .venv/bin/python bench/scaling.py --root /path/to/other/checkout --label before --no-basins

``--root`` times another checkout of the project (e.g. main, for a before/after
table) with the same harness: its ``scenes`` and ``pipeline`` are imported from
there. Every render goes into a fresh temporary folder.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import click


def seconds_per_frame(scene_class: type, name: str, quality: str) -> tuple[int, float]:
    from pipeline.publish import render_figure

    with tempfile.TemporaryDirectory(prefix="gdviz-scaling-") as tmp:
        start = time.perf_counter()
        result = render_figure(name, scene_class, quality, Path(tmp) / "out", Path(tmp) / "cache")
        seconds = time.perf_counter() - start
    return result.info.frames, seconds / result.info.frames


@click.command()
@click.option("--quality", "-q", default="m", show_default=True)
@click.option("--points", "counts", multiple=True, type=int, default=(12, 100, 1000), show_default=True)
@click.option("--root", type=click.Path(exists=True, file_okay=False), default=None,
              help="The checkout to time (default: this one).")
@click.option("--label", default="after", show_default=True, help="A name for the run in the table.")
@click.option("--basins/--no-basins", default=True, help="Also time the basins figure (its own N).")
def main(quality: str, counts: tuple[int, ...], root: str | None, label: str, basins: bool) -> None:
    """Print `label  figure  N  frames  s/frame` rows, hills at each N, then basins."""
    root_path = Path(root).resolve() if root else Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root_path))
    from scenes import REGISTRY, with_params

    sys.path.insert(1, str(Path(__file__).resolve().parent))
    from bench import machine  # noqa: E402  (this folder's bench.py)

    click.echo(f"machine: {machine()}  root: {root_path}")
    hills = REGISTRY["hills"].scene
    for n in counts:
        frames, spf = seconds_per_frame(with_params(hills, n_points=n), "hills", quality)
        click.echo(f"{label:<7} hills   N={n:<6} frames={frames:<5} {spf * 1000:8.1f} ms/frame", nl=True)
    if basins and "basins" in REGISTRY:
        scene = REGISTRY["basins"].scene
        n = scene.params.per_side**2
        frames, spf = seconds_per_frame(scene, "basins", quality)
        click.echo(f"{label:<7} basins  N={n:<6} frames={frames:<5} {spf * 1000:8.1f} ms/frame")


if __name__ == "__main__":
    main()
