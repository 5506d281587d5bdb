"""Make a figure's published formats from manim's video and last frame.

MP4: manim's H.264 remuxed with its index (the moov atom) at the front, so a browser
starts playing before the download ends; WebM: VP9; GIF: palette-optimised at a
blog-friendly width. Every figure also gets its last frame as an exact PNG and as a
light lossy WebP (the poster pages load), and a video its timed cues as WebVTT. Each
function writes one target file (a temporary the publisher later renames).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image

from pipeline.files import NO_SPACE_TEXT, DiskFull, disk_full_message, final_name, naming_a_full_disk
from pipeline.render import RenderError
from pipeline.webvtt import BadCues, check_cues, webvtt
from scenes.captions import cues_from

#: Formats a video figure can be published in; every video also gets NAME.png and NAME.webp.
FORMATS = ("mp4", "webm", "gif")
#: Files every figure (video or still) gets beside its formats: the exact last frame as
#: PNG, and a light lossy WebP of it that pages load instead.
POSTERS = ("png", "webp")
#: Text files a video figure gets beside its media: its timed cues as WebVTT.
SIDECARS = ("vtt",)
#: WebP quality of the light poster, chosen by measurement (bench/poster_quality.py, README
#: "Posters"): at 80 the 15 posters of the post at 1080p weigh 0.76 MB instead of 3.44 MB
#: as PNG, PSNR 38-41 dB and block SSIM >= 0.994 against the PNG; side by side at 100 %
#: zoom (hills' paths, lr_unstable's lines) no difference shows.
WEBP_QUALITY = 80
#: WebP effort (0-6): 4 is Pillow's default; 6 saves ~3 % more for twice the time.
WEBP_METHOD = 4
GIF_WIDTH = 640
GIF_FPS = 15


def _ffmpeg(args: list[str], what: str, target: Path) -> None:
    """Run ffmpeg writing ``target``; a full disk raises :class:`DiskFull` (ffmpeg itself
    may exit 0 then, leaving a truncated file)."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise RenderError("ffmpeg is not installed (./run setup installs it)")
    result = subprocess.run([ffmpeg, "-v", "error", "-y", *args], capture_output=True, text=True)
    if NO_SPACE_TEXT in result.stderr:
        raise DiskFull(disk_full_message(target.parent, final_name(target)))
    if result.returncode != 0:
        raise RenderError(f"ffmpeg could not {what}: {result.stderr.strip()[-500:]}")


def remux_faststart(source: Path, target: Path) -> None:
    """Copy the streams of ``source`` into ``target`` (MP4) with the moov atom first."""
    _ffmpeg(["-i", str(source), "-c", "copy", "-movflags", "+faststart", "-f", "mp4", str(target)], f"remux {source}",
            target)


def encode_webm(source: Path, target: Path) -> None:
    """VP9 in WebM at constant quality; row-multithreaded, a fast 'good' preset."""
    _ffmpeg(
        ["-i", str(source), "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "36", "-deadline", "good",
         "-cpu-used", "5", "-row-mt", "1", "-pix_fmt", "yuv420p", "-an", "-f", "webm", str(target)],
        f"encode WebM from {source}", target,
    )


def encode_gif(source: Path, target: Path) -> None:
    """A palette-optimised GIF, GIF_WIDTH wide at GIF_FPS, looping forever."""
    graph = (
        f"fps={GIF_FPS},scale={GIF_WIDTH}:-2:flags=lanczos,split[a][b];"
        "[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=bayer:bayer_scale=4:diff_mode=rectangle"
    )
    _ffmpeg(["-i", str(source), "-vf", graph, "-loop", "0", "-f", "gif", str(target)], f"make a GIF from {source}",
            target)


ENCODERS = {"mp4": remux_faststart, "webm": encode_webm, "gif": encode_gif}


def save_poster(frame: np.ndarray, target: Path) -> None:
    """Write an RGBA or RGB frame as an opaque PNG."""
    # optimize=True shrinks a 1080p poster by ~5 % but costs ~0.5 s of a ~6 s render
    with naming_a_full_disk(target):
        Image.fromarray(np.ascontiguousarray(frame[..., :3])).save(target, format="PNG")


def save_light_poster(frame: np.ndarray, target: Path, quality: int = WEBP_QUALITY) -> None:
    """Write an RGBA or RGB frame as an opaque lossy WebP (the poster pages load)."""
    with naming_a_full_disk(target):
        Image.fromarray(np.ascontiguousarray(frame[..., :3])).save(
            target, format="WEBP", quality=quality, method=WEBP_METHOD
        )


def save_captions(records: list[tuple[float, str]], duration: float, target: Path) -> tuple:
    """Write the scene's cue records as WebVTT, each cue lasting until the next, the last
    until the video's ``duration``; raise :class:`RenderError` if they do not fit the video."""
    cues = cues_from(records, duration)
    try:
        check_cues(cues, duration)
    except BadCues as error:
        raise RenderError(f"the captions fail their checks: {error}") from error
    with naming_a_full_disk(target):
        target.write_text(webvtt(cues), encoding="utf-8")
    return tuple(cues)
