"""Command-line entry point: render the post's figures into web-ready files."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click

from publish import QUALITIES, RenderError, render_figure
from scenes import DEFAULT_FIGURE, REGISTRY


def _list_figures() -> str:
    width = max(len(name) for name in REGISTRY)
    return "\n".join(f"{name:<{width}}  {figure.description}" for name, figure in REGISTRY.items())


def _stop_on_sigterm(signum, frame) -> None:
    # Raising here unwinds through the publisher's clean-up, so a killed render
    # leaves the published files as they were and no temporary file behind.
    raise KeyboardInterrupt(f"signal {signum}")


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--scene",
    "scene_name",
    type=click.Choice(list(REGISTRY)),
    default=DEFAULT_FIGURE,
    show_default=True,
    help="The figure to render (see --list).",
)
@click.option("--list", "list_only", is_flag=True, help="List the figures with their descriptions and exit.")
@click.option(
    "-q",
    "--quality",
    type=click.Choice(list(QUALITIES)),
    default="h",
    show_default=True,
    help="l = 480p15, m = 720p30, h = 1080p60, k = 2160p60.",
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
@click.option("--quiet", is_flag=True, help="No progress bars.")
def main(scene_name: str, list_only: bool, quality: str, out_dir: Path, cache_dir: Path, quiet: bool) -> None:
    """Render a figure of the gradient-descent post into OUT/NAME.mp4 and OUT/NAME.png.

    The video is H.264, yuv420p, with its index at the front (it starts playing
    while it downloads); the PNG is its last frame, for the poster attribute. Both
    appear only once the render has succeeded and passed its checks, so a failed or
    interrupted render never leaves a broken file under a published name.

    \b
    Examples:
      python render.py                      # hills at 1080p60 -> media/hills.mp4
      python render.py --scene hills -q l   # a quick 480p draft
      python render.py --list
    """
    if list_only:
        click.echo(_list_figures())
        return
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    figure = REGISTRY[scene_name]
    _, width, height, fps = QUALITIES[quality]
    click.echo(f"rendering {figure.name} at {height}p{fps} ...", err=True)
    try:
        result = render_figure(
            figure.name, figure.scene, quality, out_dir, cache_dir, verbose=not quiet and sys.stderr.isatty()
        )
    except RenderError as error:
        raise click.ClickException(f"{figure.name}: {error}") from error
    except KeyboardInterrupt:
        click.echo(f"interrupted: {figure.name} not published; earlier files left as they were", err=True)
        sys.exit(130)
    info = result.info
    if result.video is None:
        click.echo(f"published {result.poster} (a still) in {result.seconds:.1f} s")
        return
    size_mb = result.video.stat().st_size / 1e6
    click.echo(
        f"published {result.video} ({info.width}x{info.height}, {info.fps:g} fps, {info.frames} frames, "
        f"{info.duration:.1f} s, {size_mb:.1f} MB) and {result.poster} in {result.seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
