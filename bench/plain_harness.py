"""Shared harness of the plain-manim baseline scripts (``bench/*_plain.py``).

Each baseline script holds only its scene and ends with::

    if __name__ == "__main__":
        sys.exit(main(SomePlainScene, "name", ours="name"))

:func:`main` parses the common options, renders the scene once into a temporary
directory under /tmp (see :func:`time_render`) and prints one line such as::

    plain hills  720p30  frames=240  render=93.9 s  0.391 s/frame

With ``--ours`` it then times the project's registered figure
(``scenes.REGISTRY[ours].scene``) with the same harness and prints::

    ours  hills  720p30  frames=288  render=7.8 s  0.027 s/frame  (plain/ours per frame: 14.5x)

Never contacts the network.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from manim import config, tempconfig

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from pipeline.render import QUALITIES  # noqa: E402  (the quality flags: one table, the pipeline's)


def count_frames(path: Path | None) -> int | None:
    """Count the video frames in ``path`` with PyAV (decoding, so it is exact)."""
    if path is None or not path.exists():
        return None
    try:
        import av
    except ImportError:
        return None
    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(container.streams.video[0]))


def time_render(
    scene_class: type, quality: str, keep: bool = False, output_name: str | None = None
) -> tuple[float, int, int, float]:
    """Render ``scene_class`` once into a fresh temporary folder: (seconds, frames, height, fps).

    Only ``scene.render()`` is timed. The folder is deleted afterwards unless ``keep``
    (then its path goes to stderr).
    """
    output_name = output_name or scene_class.__name__
    media_dir = Path(tempfile.mkdtemp(prefix=f"{output_name}_", dir="/tmp"))
    try:
        # Quality first, in its own tempconfig: ManimConfig.update() applies plain keys
        # before property keys such as "quality", and setting quality resets
        # frame_rate/size, so mixing them in one dict is order-fragile.
        with (
            tempconfig({"quality": QUALITIES[quality][0]}),
            tempconfig(
                {
                    "media_dir": str(media_dir),
                    "notify_outdated_version": False,
                    "disable_caching": True,
                    "write_to_movie": True,
                    "save_last_frame": False,
                    "preview": False,
                    "verbosity": "WARNING",
                    "progress_bar": "none",
                    "output_file": output_name,
                }
            ),
        ):
            fps = float(config.frame_rate)
            height = int(config.pixel_height)
            scene = scene_class()
            t0 = time.perf_counter()
            scene.render()
            elapsed = time.perf_counter() - t0
            movie = getattr(scene.renderer.file_writer, "movie_file_path", None)
            movie = Path(movie) if movie else None
            duration = scene.renderer.time
        frames = count_frames(movie)
        if frames is None:
            frames = round(duration * fps)
        if keep:
            print(f"media: {media_dir}", file=sys.stderr)
        return elapsed, frames, height, fps
    finally:
        if not keep:
            shutil.rmtree(media_dir, ignore_errors=True)


def result_line(label: str, elapsed: float, frames: int, height: int, fps: float) -> str:
    """``LABEL  720p30  frames=240  render=93.9 s  0.391 s/frame``; LABEL as ``plain hills``."""
    return (
        f"{label}  {height}p{fps:g}  frames={frames}  "
        f"render={elapsed:.1f} s  {elapsed / max(frames, 1):.3f} s/frame"
    )


def main(
    scene_class: type,
    name: str,
    argv: list[str] | None = None,
    ours: str | None = None,
    duration_scale: Callable[[float], None] | None = None,
) -> int:
    """Command line of a baseline script: time ``scene_class`` and print one line.

    Args:
        scene_class: the plain-manim scene.
        name: the figure's name in the printed line (``plain NAME ...``).
        argv: arguments (default ``sys.argv[1:]``).
        ours: a figure name of ``scenes.REGISTRY``; enables ``--ours``.
        duration_scale: if given, enables ``--duration-scale S`` and is called with S
            before rendering (the script applies it to its own scene).
    """
    module_doc = sys.modules[scene_class.__module__].__doc__ or ""
    description = module_doc.strip().splitlines()[0] if module_doc.strip() else f"plain {name} baseline"
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("-q", "--quality", choices=sorted(QUALITIES), default="m",
                    help="l=480p15, m=720p30 (default), h=1080p60")
    ap.add_argument("--seconds-only", action="store_true", help="print only the render wall-clock seconds")
    ap.add_argument("--keep", action="store_true", help="keep the temporary media dir")
    if duration_scale is not None:
        ap.add_argument("--duration-scale", type=float, default=1.0,
                        help="scale the plain scene's descent duration (to shorten slow runs; not applied to --ours)")
    if ours is not None:
        ap.add_argument("--ours", action="store_true",
                        help=f"also time the project's {ours!r} figure with this same harness, right after, "
                             "and print the per-frame ratio")
    args = ap.parse_args(argv)
    if duration_scale is not None:
        duration_scale(args.duration_scale)

    elapsed, frames, height, fps = time_render(scene_class, args.quality, args.keep)
    if args.seconds_only:
        print(f"{elapsed:.1f}")
        return 0
    print(result_line(f"plain {name}", elapsed, frames, height, fps), flush=True)
    if ours is not None and args.ours:
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        from scenes import REGISTRY

        our_elapsed, our_frames, our_height, our_fps = time_render(REGISTRY[ours].scene, args.quality, args.keep)
        ratio = (elapsed / max(frames, 1)) / (our_elapsed / max(our_frames, 1))
        line = result_line(f"ours  {ours}", our_elapsed, our_frames, our_height, our_fps)
        print(f"{line}  (plain/ours per frame: {ratio:.1f}x)")
    return 0
