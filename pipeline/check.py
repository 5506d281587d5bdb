"""Check a file by reading it back: a video's codec, pixel format, size, rate, frames and
duration (probed from the file itself, not from what the encoder was asked for), and a
poster's size."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
from PIL import Image

from pipeline.encode import GIF_FPS, GIF_WIDTH
from pipeline.render import QUALITIES, RenderError

EXPECTED_CODEC = {"mp4": "h264", "webm": "vp9", "gif": "gif"}


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


def probe_video(path: Path) -> VideoInfo:
    """Read codec, pixel format, size, frame rate, frame count and duration of ``path``."""
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


def check_poster(path: Path, shape: tuple) -> None:
    """Raise :class:`RenderError` unless ``path`` reads back as an image of the frame's
    ``shape`` (``(height, width, channels)``)."""
    with Image.open(path) as image:
        image.load()
        if image.size != (shape[1], shape[0]):
            raise RenderError(f"the poster {path.name} is {image.size[0]}x{image.size[1]}, the frame {shape[1]}x{shape[0]}")
