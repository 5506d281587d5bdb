"""A hostile machine's file systems (issue 21, items 4-6): a full disk under --out or
--cache, a damaged cache entry, a folder that cannot be written. Real renders on real,
small file systems (tmpfs mounts: the tests run as root; they skip, saying why, where
mounting is not allowed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from conftest import leftovers
from figures_for_tests import TINY

import render
from pipeline import manifest

ROOT = Path(__file__).resolve().parent.parent
PAGE = 4096  # tmpfs counts whole pages
CONVEX = ["--scene", "convex", "-q", "l", "--set", "steps=2", "--quiet"]  # has Tex labels; ~2 s


def run(args, cwd, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "render.py"), *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


def said(result) -> str:
    return result.stdout + result.stderr


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("error: ")]


@pytest.fixture
def mount(tmp_path):
    """``mount(name, *options)``: a fresh tmpfs at ``tmp_path/name`` (unmounted at the end);
    ``mount(name, "bind", source)`` binds ``source`` read-only there instead."""
    mounted: list[Path] = []

    def make(name: str, *options: str, source: Path | None = None) -> Path:
        point = tmp_path / name
        point.mkdir()
        if source is not None:  # a read-only bind mount: two steps (Linux ignores ro on the first)
            commands = [["mount", "--bind", str(source), str(point)],
                        ["mount", "-o", "remount,bind,ro", str(point)]]
        else:
            commands = [["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(point)]]
        for step, command in enumerate(commands):
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                pytest.skip(f"cannot mount a small file system here ({' '.join(command)}: "
                            f"{done.stderr.strip() or done.returncode}); these tests need root and mount")
            if step == 0:
                mounted.append(point)
        return point

    yield make
    for point in reversed(mounted):
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def assert_true_to_the_files(out: Path, cwd: Path) -> dict:
    """The folder's manifest lists exactly what is there (``--verify``), no temporary is
    left, and the gallery shows only figures the manifest lists; return the manifest's entries."""
    checked = run(["--verify", "--out", out], cwd)
    assert checked.returncode == 0, said(checked)
    assert leftovers(out) == []
    entries = manifest.read_manifest(out)
    gallery = (out / "index.html").read_text() if (out / "index.html").exists() else ""
    shown = {part.split('"')[0] for part in gallery.split('data-name="')[1:]}
    assert shown <= {entry["name"] for entry in entries.values()}, (shown, list(entries))
    return entries


# --- 4. a full disk under --out -----------------------------------------------------------
@pytest.mark.subprocess
@pytest.mark.slow
def test_a_full_out_folder_fails_the_figures_that_do_not_fit_and_stays_true(tmp_path, mount):
    """A still of ~60 kB fits in 160 kB, the two videos (~130 kB each) do not: each is one
    clear failure line, the summary prints, exit 1; what was published verifies; a later
    cache-hit run into the full folder ends cleanly."""
    out, cache = mount("out", "size=160k"), tmp_path / "cache"
    first = run(["--scene", "linear_data", "--scene", "convex", "--scene", "lr_small", "-q", "l", "--set", "steps=2",
                 "--jobs", "1", "--quiet", "--out", out, "--cache", cache], tmp_path)
    text = said(first)
    assert first.returncode == 1, text
    assert "Traceback" not in text
    assert "figure" in first.stdout and "linear_data" in first.stdout  # the summary
    errors = error_lines(first.stderr)
    assert sorted(line.split(":")[1].strip() for line in errors) == ["convex", "lr_small"], text
    for line in errors:
        assert "no space left on device" in line and str(out) in line and "--out" in line, line
    assert set(assert_true_to_the_files(out, tmp_path)) == {"linear_data"}

    again = run(["--scene", "linear_data", "-q", "l", "--quiet", "--out", out, "--cache", cache], tmp_path)
    assert again.returncode == 0 and "Traceback" not in said(again), said(again)
    assert "cached" in again.stdout
    assert set(assert_true_to_the_files(out, tmp_path)) == {"linear_data"}


def _pages(path: Path) -> int:
    return -(-path.stat().st_size // PAGE)


@pytest.mark.subprocess
@pytest.mark.slow
def test_a_full_disk_at_each_step_of_the_publish_leaves_a_true_folder(tmp_path, mount, tiny_registry):
    """The disk fills at each step in turn: while the media are written, while the
    manifest records the figure (it is withdrawn), while the gallery is written (the old
    one stays), or not at all. Every time: a clear line, the right exit code, no traceback,
    a folder that verifies, no temporary."""
    tiny_registry(TINY)
    cache = tmp_path / "cache"

    def publish(out: Path):
        return CliRunner().invoke(render.main, ["--all", "-q", "l", "--jobs", "1", "--quiet",
                                                "--out", str(out), "--cache", str(cache)], catch_exceptions=False)

    calibration = publish(tmp_path / "roomy")
    assert calibration.exit_code == 0, calibration.output
    media = sum(_pages(p) for p in (tmp_path / "roomy").glob("tiny.*"))
    records = _pages(tmp_path / "roomy" / "manifest.json") + _pages(tmp_path / "roomy" / "index.html")

    seen = {}
    for pages in range(media - 1, media + records + 2):
        out = mount(f"out-{pages}", f"size={pages * PAGE // 1024}k")
        result = publish(out)
        lines = error_lines(result.output)
        assert "Traceback" not in result.output
        assert result.exit_code == (1 if lines else 0), result.output
        assert len(lines) <= 1 and all("no space left on device" in line.lower() for line in lines), result.output
        entries = assert_true_to_the_files(out, tmp_path)
        published = (out / "tiny.mp4").exists()
        assert ("tiny" in entries) == published, (pages, result.output)
        kind = ("withdrawn" if lines and "withdrawn" in lines[0] else "media" if lines and "tiny.mp4" in lines[0]
                else "gallery" if lines and "index.html" in lines[0] else "manifest" if lines else "none")
        seen[pages] = kind
    assert seen[media - 1] == "media" and seen[media + records + 1] == "none", seen
    assert {"withdrawn", "gallery"} <= set(seen.values()), seen  # the manifest's record, then the page


# --- 5. a full disk under --cache, a damaged cache entry ---------------------------------
@pytest.mark.subprocess
@pytest.mark.slow
def test_a_full_cache_names_the_cache_and_leaves_nothing_to_poison_the_next_render(tmp_path, mount):
    """48 kB fills while manim writes a Tex SVG (0 bytes left behind today, after which
    every render failed with ParseError): the error names the cache; with room again the
    next render succeeds."""
    out, cache = tmp_path / "out", mount("cache", "size=48k")
    full = run([*CONVEX, "--out", out, "--cache", cache], tmp_path)
    text = said(full)
    assert full.returncode == 1 and "Traceback" not in text, text
    (line,) = error_lines(full.stderr)
    assert "no space left on device" in line and str(cache) in line and "--cache" in line, line
    assert [p for p in (cache / "manim").rglob("*") if p.is_file()] == [], "the failed render left working files"

    subprocess.run(["mount", "-o", "remount,size=64M", str(cache)], check=True)
    roomy = run([*CONVEX, "--out", out, "--cache", cache], tmp_path)
    assert roomy.returncode == 0, said(roomy)
    assert set(assert_true_to_the_files(out, tmp_path)) == {"convex"}


def _a_tex_svg(cache: Path) -> Path:
    svgs = sorted(cache.glob("manim/convex/l/*/Tex/*.svg"))
    assert svgs, f"no Tex SVG under {cache}"
    return svgs[0]


@pytest.mark.subprocess
@pytest.mark.slow
def test_a_truncated_svg_in_the_cache_is_made_again_with_and_without_force(tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert run([*CONVEX, "--out", out, "--cache", cache], tmp_path).returncode == 0
    svg = _a_tex_svg(cache)
    whole = svg.read_bytes()

    svg.write_bytes(whole[: len(whole) // 2])  # half an SVG, as a full disk leaves it
    forced = run([*CONVEX, "--force", "--out", out, "--cache", cache], tmp_path)
    assert forced.returncode == 0, said(forced)
    ElementTree.parse(_a_tex_svg(cache))  # whole again

    _a_tex_svg(cache).write_bytes(b"")  # 0 bytes; a new --out: a cache miss, not --force
    fresh = run([*CONVEX, "--out", tmp_path / "other", "--cache", cache], tmp_path)
    assert fresh.returncode == 0, said(fresh)
    assert "done in" in fresh.stderr
    ElementTree.parse(_a_tex_svg(cache))
    assert_true_to_the_files(tmp_path / "other", tmp_path)


# --- 6. a folder that cannot be written ---------------------------------------------------
def _unwritable(kind: str, tmp_path: Path, mount) -> tuple[Path, str]:
    """A folder of ``kind`` that cannot be written, and the reason the error must give."""
    if kind == "proc":
        return Path("/proc/gdviz-test"), "No such file or directory"
    if kind == "under a file":
        (tmp_path / "a-file").write_text("not a folder")
        return tmp_path / "a-file" / "media", "Not a directory"
    if kind == "read-only tmpfs":
        return mount("ro", "ro", "size=1m") / "media", "Read-only file system"
    source = tmp_path / "source"
    source.mkdir()
    return mount("ro-bind", source=source), "Read-only file system"


@pytest.mark.subprocess
@pytest.mark.slow
@pytest.mark.parametrize("option", ["--out", "--cache"])
@pytest.mark.parametrize("kind", ["proc", "under a file", "read-only tmpfs", "read-only bind mount"])
def test_an_unwritable_folder_is_a_usage_error_before_anything_renders(tmp_path, mount, option, kind):
    folder, reason = _unwritable(kind, tmp_path, mount)
    folders = {"--out": tmp_path / "out", "--cache": tmp_path / "cache", option: folder}
    result = CliRunner().invoke(render.main, [*CONVEX, "--out", str(folders["--out"]),
                                              "--cache", str(folders["--cache"])])
    assert result.exit_code == 2, result.output
    assert option in result.output and str(folder) in result.output and reason in result.output, result.output
    assert "rendering" not in result.output and not (tmp_path / "cache" / "manim").exists()

    with pytest.raises(ValueError, match=reason):
        render.render("convex", quality="l", out=folders["--out"], cache=folders["--cache"], steps=2)

