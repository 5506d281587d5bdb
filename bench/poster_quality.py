"""Which WebP quality makes a light poster that looks like the PNG? A script, not a test.

    .venv/bin/python bench/poster_quality.py media/          # every NAME.png poster there

For each poster PNG and each quality, encodes a lossy WebP with Pillow (the publisher's
settings) and prints its size, PSNR against the PNG (dB, over RGB), a block SSIM on
luminance (8x8 windows, the usual constants) and the 99.9th percentile of the absolute
error (thin lines and small text fail first). ``pipeline.encode.WEBP_QUALITY`` is
the chosen value; the README gives the figures.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.encode import WEBP_METHOD  # noqa: E402

QUALITIES = (50, 60, 70, 75, 80, 85, 90)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    """Peak signal-to-noise ratio of two uint8 images, in dB."""
    mse = np.mean((a.astype(float) - b.astype(float)) ** 2)
    return float("inf") if mse == 0 else float(10 * np.log10(255**2 / mse))


def block_ssim(a: np.ndarray, b: np.ndarray, block: int = 8) -> float:
    """Mean SSIM over non-overlapping ``block`` windows of the luminance (Rec. 601)."""

    def windows(image):
        y = image[..., :3].astype(float) @ np.array([0.299, 0.587, 0.114])
        h, w = (y.shape[0] // block) * block, (y.shape[1] // block) * block
        return y[:h, :w].reshape(h // block, block, w // block, block).transpose(0, 2, 1, 3).reshape(-1, block * block)

    x, y = windows(a), windows(b)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mx, my = x.mean(1), y.mean(1)
    vx, vy = x.var(1), y.var(1)
    cov = ((x - mx[:, None]) * (y - my[:, None])).mean(1)
    ssim = ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx**2 + my**2 + c1) * (vx + vy + c2))
    return float(ssim.mean())


def webp_of(image: np.ndarray, quality: int) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="WEBP", quality=quality, method=WEBP_METHOD)
    return buffer.getvalue()


def compare(png: Path, quality: int) -> tuple[int, int, float, float, float, np.ndarray]:
    """(png bytes, webp bytes, PSNR, SSIM, p99.9 abs error, decoded webp) for one poster."""
    original = np.asarray(Image.open(png).convert("RGB"))
    data = webp_of(original, quality)
    decoded = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    error = np.abs(original.astype(int) - decoded.astype(int)).max(axis=-1)
    return png.stat().st_size, len(data), psnr(original, decoded), block_ssim(original, decoded), \
        float(np.percentile(error, 99.9)), decoded


def main(folder: str) -> None:
    posters = sorted(p for p in Path(folder).glob("*.png"))
    print(f"{'poster':<16} {'q':>3} {'png kB':>8} {'webp kB':>8} {'PSNR dB':>8} {'SSIM':>7} {'p99.9 err':>9}")
    totals = {q: [0, 0, []] for q in QUALITIES}
    for png in posters:
        for quality in QUALITIES:
            png_bytes, webp_bytes, db, ssim, err, _ = compare(png, quality)
            totals[quality][0] += png_bytes
            totals[quality][1] += webp_bytes
            totals[quality][2].append(db)
            print(f"{png.stem:<16} {quality:>3} {png_bytes / 1e3:8.1f} {webp_bytes / 1e3:8.1f} {db:8.2f} {ssim:7.4f} {err:9.0f}")
    for quality, (png_total, webp_total, dbs) in totals.items():
        print(f"all {len(posters)} posters at q{quality}: png {png_total / 1e6:.2f} MB, webp {webp_total / 1e6:.3f} MB, "
              f"worst PSNR {min(dbs):.2f} dB")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "media")
