"""Benchmark: what rendering the post costs on this machine. A script, not a test.

    ./run bench                      # gdmath, then every figure at -q h
    ./run bench --quality m --plain  # also the plain-manim baselines against ours (720p30, ~4 min)
    ./run bench --scene hills --skip-math
    ./run bench --batch --skip-figures   # render.py --all wall time: --jobs 1, --jobs 2, cached re-run

Prints, per figure: render seconds, frames, seconds per frame, frames per second
(one process, manim's working files in a fresh temporary cache).
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import gdmath  # noqa: E402
from pipeline.publish import render_figure  # noqa: E402
from pipeline.render import QUALITIES  # noqa: E402
from scenes import REGISTRY  # noqa: E402


def best_of(fn, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def bench_math() -> None:
    starts = gdmath.random_starts(10_000, [-np.pi, -np.pi], [np.pi, np.pi], seed=0)
    seconds = best_of(lambda: gdmath.gradient_descent(gdmath.SIN_HILLS, starts, alpha=0.1, steps=1000))
    click.echo(f"gdmath  gradient_descent  10,000 starts x 1,000 steps (sin hills)   {seconds:6.3f} s")
    adam = gdmath.Adam(0.05)
    seconds = best_of(lambda: gdmath.descend(gdmath.SIN_HILLS, starts, adam, steps=1000))
    click.echo(f"gdmath  descend Adam      10,000 starts x 1,000 steps (sin hills)   {seconds:6.3f} s"
               f"  (target < 1.5 s)")
    grid = np.linspace(-3, 3, 1000)
    for n in (100, 10**6):
        x, y = gdmath.make_linear_data(n=n)
        seconds = best_of(lambda: gdmath.loss_surface(x, y, grid, grid))
        click.echo(f"gdmath  loss_surface      1000 x 1000 grid, {n:>9,} samples          {seconds:6.3f} s")


def bench_figure(name: str, quality: str) -> None:
    _, width, height, fps = QUALITIES[quality]
    with tempfile.TemporaryDirectory(prefix="gdviz-bench-") as tmp:
        start = time.perf_counter()
        figure = REGISTRY[name]
        result = render_figure(name, figure.scene, quality, Path(tmp) / "out", Path(tmp) / "cache",
                               still=figure.kind == "still")
        seconds = time.perf_counter() - start
    if result.info is None:
        click.echo(f"figure  {name:<16} still      render={seconds:6.1f} s")
        return
    frames = result.info.frames
    click.echo(
        f"figure  {name:<16} {height}p{fps}  frames={frames:<5} render={seconds:6.1f} s  "
        f"{seconds / frames:.3f} s/frame  {frames / seconds:5.1f} frames/s"
    )


def bench_batch(quality: str) -> None:
    """Wall time of the whole post as a user runs it, into a fresh folder."""
    with tempfile.TemporaryDirectory(prefix="gdviz-batch-") as tmp:
        for label, extra in (("--jobs 1", ["--jobs", "1", "--force"]), ("--jobs 2", ["--jobs", "2", "--force"]),
                             ("cached re-run, --jobs 2", ["--jobs", "2"])):
            command = [sys.executable, str(ROOT / "render.py"), "--all", "-q", quality, "--quiet",
                       "--out", f"{tmp}/media", "--cache", f"{tmp}/cache", *extra]
            start = time.perf_counter()
            result = subprocess.run(command, capture_output=True, text=True)
            seconds = time.perf_counter() - start
            status = "ok" if result.returncode == 0 else f"exit {result.returncode}: {result.stderr.strip()[-300:]}"
            click.echo(f"batch   --all -q {quality} {label:<24} {seconds:7.1f} s  {status}")


def bench_plain(quality: str) -> None:
    """Each plain-manim baseline in bench/*_plain.py and ours, timed by the same harness."""
    for plain in sorted((ROOT / "bench").glob("*_plain.py")):
        output = subprocess.run(
            [sys.executable, str(plain), "--quality", quality, "--ours"], capture_output=True, text=True, cwd=ROOT
        )
        lines = [line for line in (output.stdout + output.stderr).splitlines() if line.startswith(("plain", "ours"))]
        for line in lines or [f"{plain.name}: no output (exit {output.returncode})"]:
            click.echo(line)


@click.command()
@click.option("--quality", "-q", type=click.Choice(list(QUALITIES)), default="h", show_default=True)
@click.option("--scene", "scenes", multiple=True, type=click.Choice(list(REGISTRY)), help="Only these figures.")
@click.option("--plain", is_flag=True, help="Also time the plain-manim baselines (bench/*_plain.py) against ours.")
@click.option("--skip-math", is_flag=True, help="Skip the gdmath timings.")
@click.option("--skip-figures", is_flag=True, help="Skip the per-figure timings.")
@click.option("--batch", "with_batch", is_flag=True, help="Also time render.py --all (jobs 1, jobs 2, cached).")
def main(quality: str, scenes: tuple[str, ...], plain: bool, skip_math: bool, skip_figures: bool, with_batch: bool) -> None:
    """Print gdmath, per-figure and batch render timings."""
    click.echo(f"machine: {machine()}")
    if not skip_math:
        bench_math()
    if not skip_figures:
        for name in scenes or [n for n, f in REGISTRY.items() if f.kind != "page"]:
            bench_figure(name, quality)
    if plain:
        bench_plain(quality)
    if with_batch:
        bench_batch(quality)


if __name__ == "__main__":
    main()
