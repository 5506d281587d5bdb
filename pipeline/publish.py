"""Render a registered figure with manim and publish it under flat, stable names.

``render_figure`` runs the scene with manim's working files in a cache folder, then
makes each requested format from manim's video (MP4: remuxed with the index, the moov
atom, at the front so a browser starts playing before the download ends; WebM: VP9;
GIF: palette-optimised at a blog-friendly width), saves the last frame as the poster,
reads every file back and checks it, and only then renames them into the output
folder. A failure or an interruption at any point leaves the previously published
files untouched and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from pipeline import interrupts
from pipeline.files import temp_beside

QUALITIES = {
    # flag: (manim quality name, width, height, fps)
    "l": ("low_quality", 854, 480, 15),
    "m": ("medium_quality", 1280, 720, 30),
    "h": ("high_quality", 1920, 1080, 60),
    "k": ("fourk_quality", 3840, 2160, 60),
}


@dataclass(frozen=True)
class VideoInfo:
    """What a video file holds, as read back from the file itself."""

    codec: str
    pix_fmt: str
    width: int
    height: int
    fps: float
    frames: int
    duration: float


#: Formats a video figure can be published in; every video also gets NAME.png and NAME.webp.
FORMATS = ("mp4", "webm", "gif")
#: Files every figure (video or still) gets beside its formats: the exact last frame as
#: PNG, and a light lossy WebP of it that pages load instead.
POSTERS = ("png", "webp")
#: WebP quality of the light poster, chosen by measurement (bench/poster_quality.py, README
#: "Posters"): at 80 the 15 posters of the post at 1080p weigh 0.76 MB instead of 3.44 MB
#: as PNG, PSNR 38-41 dB and block SSIM >= 0.994 against the PNG; side by side at 100 %
#: zoom (hills' paths, lr_unstable's lines) no difference shows.
WEBP_QUALITY = 80
#: WebP effort (0-6): 4 is Pillow's default; 6 saves ~3 % more for twice the time.
WEBP_METHOD = 4
GIF_WIDTH = 640
GIF_FPS = 15
EXPECTED_CODEC = {"mp4": "h264", "webm": "vp9", "gif": "gif"}


@dataclass(frozen=True)
class Published:
    """One published figure: ``files`` maps a format (and "png" for the poster) to its path."""

    name: str
    files: dict[str, Path]
    info: VideoInfo | None  # of the first video format; None for a still
    seconds: float
    cues: tuple = ()  # the scene's timed cues (scenes.captions.Cue), as in NAME.vtt

    @property
    def poster(self) -> Path:
        return self.files["png"]

    @property
    def light_poster(self) -> Path:
        """The lossy WebP of the poster, the one pages show (``poster`` stays the exact frame)."""
        return self.files["webp"]

    @property
    def video(self) -> Path | None:
        return self.files.get("mp4")


class RenderError(RuntimeError):
    """A figure could not be rendered or its output failed the checks."""


def probe_video(path: Path) -> VideoInfo:
    """Read codec, pixel format, size, frame rate, frame count and duration of ``path``."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = 0
        end = 0.0
        for packet in container.demux(stream):
            if packet.size:
                frames += 1
                if packet.pts is not None and packet.duration is not None:
                    end = max(end, float((packet.pts + packet.duration) * stream.time_base))
        duration = float(stream.duration * stream.time_base) if stream.duration else end
        if not duration and container.duration:
            duration = container.duration / 1e6
        return VideoInfo(
            codec=stream.codec_context.name,
            pix_fmt=stream.codec_context.pix_fmt or "",
            width=stream.codec_context.width,
            height=stream.codec_context.height,
            fps=float(stream.average_rate or 0),
            frames=frames,
            duration=duration,
        )


def check_video(info: VideoInfo, quality: str, fmt: str = "mp4", reference: VideoInfo | None = None) -> None:
    """Raise :class:`RenderError` unless ``info`` is a playable ``fmt`` video at ``quality``.

    ``reference`` (the MP4's info) sets the duration a WebM or GIF must match.
    """
    _, width, height, fps = QUALITIES[quality]
    if fmt == "gif":
        width, height = GIF_WIDTH, round(height * GIF_WIDTH / width)
        fps = min(fps, GIF_FPS)
    problems = []
    if info.codec != EXPECTED_CODEC[fmt]:
        problems.append(f"codec {info.codec}, expected {EXPECTED_CODEC[fmt]}")
    if fmt != "gif" and info.pix_fmt != "yuv420p":
        problems.append(f"pixel format {info.pix_fmt}, expected yuv420p")
    if abs(info.width - width) > 1 or abs(info.height - height) > 1:
        problems.append(f"size {info.width}x{info.height}, expected {width}x{height}")
    if fmt != "gif" and round(info.fps) != fps:
        problems.append(f"{info.fps:g} fps, expected {fps}")
    if info.frames < 1 or info.duration <= 0:
        problems.append(f"{info.frames} frames over {info.duration:g} s")
    if reference is not None and abs(info.duration - reference.duration) > 0.25:
        problems.append(f"duration {info.duration:.2f} s, the mp4 has {reference.duration:.2f} s")
    if problems:
        raise RenderError(f"the {fmt} fails its checks: " + "; ".join(problems))


def manim_settings(quality: str, work_dir: Path, verbose: bool, still: bool = False) -> tuple[dict, dict]:
    """The two layers of manim config: quality first (it resets the frame rate), then the rest."""
    settings = {
        "media_dir": str(work_dir),
        "notify_outdated_version": False,  # no network at run time
        "progress_bar": "display" if verbose else "none",
        "verbosity": "WARNING",
        "disable_caching": True,  # we cache whole figures ourselves; its hashing costs time
        # a still renders its last frame only; a video scene that plays nothing is an error
        "format": "png" if still else "mp4",
        # x264's veryfast preset at crf 20: same size and quality (PSNR ~38.6 vs 38.9 dB
        # against the lossless frame) as manim's default medium/crf 23, ~25 % less render time
        "video_encoder_options": {"preset": "veryfast", "crf": "20"},
        "output_file": "figure",
    }
    return {"quality": QUALITIES[quality][0]}, settings


def run_scene(
    scene_class: type, quality: str, work_dir: Path, verbose: bool = False, still: bool = False,
    cues: list | None = None,
) -> tuple[Path | None, np.ndarray]:
    """Render ``scene_class`` with manim into ``work_dir``; return the movie and its last frame (RGBA).

    For a ``still`` (a scene that plays no animation) the movie is ``None``. ``cues``, when
    given, receives the ``(start seconds, text)`` records of the scene's ``cue`` calls.
    """
    from manim import tempconfig

    first, rest = manim_settings(quality, work_dir, verbose, still)
    with tempconfig(first), tempconfig(rest):
        scene = scene_class()
        scene.render()
        last_frame = np.array(scene.renderer.get_frame())
        if cues is not None:
            from scenes.captions import recorded

            cues.extend(recorded(scene))
        if scene.renderer.num_plays == 0:
            if not still:
                raise RenderError(f"{scene_class.__name__} is a video figure but plays nothing (no play() call)")
            return None, last_frame
        movie = Path(scene.renderer.file_writer.movie_file_path)
    if not movie.is_file():
        raise RenderError(f"manim wrote no video for {scene_class.__name__} (expected {movie})")
    return movie, last_frame


def _ffmpeg(args: list[str], what: str) -> None:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise RenderError("ffmpeg is not installed (./run setup installs it)")
    result = subprocess.run([ffmpeg, "-v", "error", "-y", *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise RenderError(f"ffmpeg could not {what}: {result.stderr.strip()[-500:]}")


def remux_faststart(source: Path, target: Path) -> None:
    """Copy the streams of ``source`` into ``target`` (MP4) with the moov atom first."""
    _ffmpeg(["-i", str(source), "-c", "copy", "-movflags", "+faststart", "-f", "mp4", str(target)], f"remux {source}")


def encode_webm(source: Path, target: Path) -> None:
    """VP9 in WebM at constant quality; row-multithreaded, a fast 'good' preset."""
    _ffmpeg(
        ["-i", str(source), "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "36", "-deadline", "good",
         "-cpu-used", "5", "-row-mt", "1", "-pix_fmt", "yuv420p", "-an", "-f", "webm", str(target)],
        f"encode WebM from {source}",
    )


def encode_gif(source: Path, target: Path) -> None:
    """A palette-optimised GIF, GIF_WIDTH wide at GIF_FPS, looping forever."""
    graph = (
        f"fps={GIF_FPS},scale={GIF_WIDTH}:-2:flags=lanczos,split[a][b];"
        "[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=bayer:bayer_scale=4:diff_mode=rectangle"
    )
    _ffmpeg(["-i", str(source), "-vf", graph, "-loop", "0", "-f", "gif", str(target)], f"make a GIF from {source}")


#: Text files a video figure gets beside its media: its timed cues as WebVTT.
SIDECARS = ("vtt",)

ENCODERS = {"mp4": remux_faststart, "webm": encode_webm, "gif": encode_gif}


def save_poster(frame: np.ndarray, target: Path) -> None:
    """Write an RGBA or RGB frame as an opaque PNG."""
    from PIL import Image

    # optimize=True shrinks a 1080p poster by ~5 % but costs ~0.5 s of a ~6 s render
    Image.fromarray(np.ascontiguousarray(frame[..., :3])).save(target, format="PNG")


def save_light_poster(frame: np.ndarray, target: Path, quality: int = WEBP_QUALITY) -> None:
    """Write an RGBA or RGB frame as an opaque lossy WebP (the poster pages load)."""
    from PIL import Image

    Image.fromarray(np.ascontiguousarray(frame[..., :3])).save(
        target, format="WEBP", quality=quality, method=WEBP_METHOD
    )


def render_figure(
    name: str,
    scene_class: type,
    quality: str,
    out_dir: Path,
    cache_dir: Path,
    formats: tuple[str, ...] = ("mp4",),
    verbose: bool = False,
    still: bool = False,
    work_dir: Path | None = None,
    publish_lock: contextlib.AbstractContextManager | None = None,
    on_published: Callable[[Published], None] | None = None,
) -> Published:
    """Render one figure and publish ``out_dir/NAME.<format>`` for each format and the
    posters ``out_dir/NAME.png`` (the exact last frame) and ``NAME.webp`` (its light
    copy), all or nothing (only the posters for a ``still``: a scene that plays no
    animation; a video figure that plays nothing fails).

    The renames, the removal of the figure's files of formats it no longer produces and
    ``on_published`` (the manifest's record) run under ``publish_lock`` with SIGINT and
    SIGTERM held back, so an interruption lands before or after the whole sequence.
    """
    started = time.perf_counter()
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or not formats:
        raise RenderError(f"formats must be some of {', '.join(FORMATS)}, got {', '.join(formats) or 'none'}")
    out_dir.mkdir(parents=True, exist_ok=True)
    work_dir = work_dir or cache_dir / "manim" / name / quality  # one folder per figure: parallel-safe Tex files
    records: list[tuple[float, str]] = []
    movie, last_frame = run_scene(scene_class, quality, work_dir, verbose, still, cues=records)

    wanted = [*POSTERS] if movie is None else [*POSTERS, *(f for f in FORMATS if f in formats)]
    if movie is not None and records:
        wanted.append("vtt")
    finals = {fmt: out_dir / f"{name}.{fmt}" for fmt in wanted}
    temps = {fmt: temp_beside(path) for fmt, path in finals.items()}
    infos: dict[str, VideoInfo] = {}
    try:
        save_poster(last_frame, temps["png"])
        save_light_poster(last_frame, temps["webp"])
        check_poster(temps["webp"], last_frame.shape)
        for fmt in (f for f in wanted if f in FORMATS):
            ENCODERS[fmt](movie, temps[fmt])
            infos[fmt] = probe_video(temps[fmt])
            check_video(infos[fmt], quality, fmt, reference=infos.get("mp4"))
        cues = ()
        if "vtt" in wanted:
            cues = save_captions(records, next(iter(infos.values())).duration, temps["vtt"])
        published = Published(name=name, files=finals, info=next(iter(infos.values()), None), seconds=0.0,
                              cues=cues)
        with publish_lock or contextlib.nullcontext(), signals_held():
            interrupts.check()  # an interruption whose raise was swallowed stops here
            for fmt in wanted:  # everything checked: now publish, the poster first
                replace_file(temps[fmt], finals[fmt])
            remove_stale_siblings(out_dir, name, set(finals.values()))
            published = Published(name, finals, published.info, time.perf_counter() - started, cues)
            if on_published is not None:
                on_published(published)
    finally:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
    return published


def replace_file(temp: Path, final: Path) -> None:
    """One step of the publish sequence (a seam the interruption tests time their signal on)."""
    os.replace(temp, final)


def save_captions(records: list[tuple[float, str]], duration: float, target: Path) -> tuple:
    """Write the scene's cue records as WebVTT, each cue lasting until the next, the last
    until the video's ``duration``; raise :class:`RenderError` if they do not fit the video."""
    from pipeline.webvtt import BadCues, check_cues, webvtt
    from scenes.captions import cues_from

    cues = cues_from(records, duration)
    try:
        check_cues(cues, duration)
    except BadCues as error:
        raise RenderError(f"the captions fail their checks: {error}") from error
    target.write_text(webvtt(cues), encoding="utf-8")
    return tuple(cues)


def check_poster(path: Path, shape: tuple) -> None:
    """Raise :class:`RenderError` unless ``path`` reads back as an image of the frame's size."""
    from PIL import Image

    with Image.open(path) as image:
        image.load()
        if image.size != (shape[1], shape[0]):
            raise RenderError(f"the poster {path.name} is {image.size[0]}x{image.size[1]}, the frame {shape[1]}x{shape[0]}")


def remove_stale_siblings(out_dir: Path, name: str, keep: set[Path]) -> None:
    """Remove ``NAME.<suffix>`` files of kinds this publish no longer produces (video
    formats, the light poster, the captions)."""
    for fmt in (*FORMATS, *POSTERS, *SIDECARS):
        sibling = out_dir / f"{name}.{fmt}"
        if sibling not in keep:
            sibling.unlink(missing_ok=True)


@contextlib.contextmanager
def signals_held():
    """Hold back SIGINT and SIGTERM until the block ends: their handlers run right after it.

    (Masking the signals would not do: numpy's BLAS threads leave them unmasked, and the
    kernel delivers a process's signal to any thread that does. So the handlers are
    swapped for ones that only note the signal.)
    """
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, frame: noted.append(signum))
                for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for signum in noted[:1]:
            handler = previous[signum]
            if callable(handler):
                handler(signum, None)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(signum)
