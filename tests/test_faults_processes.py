"""``kill -9`` of the run, of one of its workers, and in the middle of a publish: real
processes, real SIGKILLs, real folders (issue 21, items 1-3).

The run is started in a session of its own, so every process it made (workers, the
resource tracker, ffmpeg, LaTeX) carries its process group: "no process of the run is
left" means no live process of that group.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import leftovers, published_names, wait_until

ROOT = Path(__file__).resolve().parent.parent


def start(args, cwd, env=None) -> subprocess.Popen:
    """``render.py args`` in a new session: its process group is the run's."""
    return subprocess.Popen([sys.executable, str(ROOT / "render.py"), *map(str, args)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)


def run(args, cwd, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "render.py"), *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


def verify(out: Path, cwd: Path) -> subprocess.CompletedProcess:
    return run(["--verify", "--out", out], cwd)


def _stat(pid: str) -> list[str]:
    """Fields of /proc/PID/stat after the command's name: state, ppid, pgrp, ..."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def live_processes() -> dict[int, list[str]]:
    """pid -> its stat fields, for every process that is not a zombie (a zombie has ended:
    it only waits for whoever adopted it to read its status)."""
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = _stat(pid)
        except OSError:  # ended while we looked
            continue
        if fields[0] != "Z":
            found[int(pid)] = fields
    return found


def group(pgid: int) -> list[int]:
    """The live processes of process group ``pgid``."""
    return sorted(pid for pid, fields in live_processes().items() if int(fields[2]) == pgid)


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")[:120]
    except OSError:
        return "(ended)"


def described(pids) -> str:
    return "; ".join(f"{pid}: {command_line(pid)}" for pid in pids) or "none"


def child_holding(parent: int, fragment: str) -> int | None:
    """A child of ``parent`` with a file open whose path contains ``fragment``."""
    for pid, fields in live_processes().items():
        if int(fields[1]) != parent:
            continue
        try:
            links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
        except OSError:
            continue
        if any(fragment in link for link in links):
            return pid
    return None


def rendering(work: Path) -> int:
    """How many cache entries under ``work`` manim is writing video into."""
    if not work.is_dir():
        return 0
    return sum(1 for entry in work.iterdir() if next(entry.rglob("*.mp4"), None) is not None)


def snapshot(out: Path) -> dict[str, int]:
    """Every file of ``out`` (temporaries included) with its modification time."""
    return {p.name: p.stat().st_mtime_ns for p in out.iterdir()} if out.is_dir() else {}


def figures_in(out: Path) -> dict:
    return {e["name"]: e for e in json.loads((out / "manifest.json").read_text())["figures"]}


# --- 1. kill -9 of the run ------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.subprocess
def test_kill_9_of_the_run_ends_its_workers_and_nothing_is_published_after(tmp_path):
    """Both workers busy with hills (dark and light, the slowest figure at -q l); SIGKILL
    the run: within ten seconds no process of it is left (workers, resource tracker,
    whatever they started), and none of them published anything. Before, the workers were
    re-parented to PID 1, finished hills, published it and idled on."""
    out, cache = tmp_path / "media", tmp_path / "cache"
    process = start(["--scene", "hills", "--theme", "both", "--jobs", "2", "-q", "l", "--force", "--quiet",
                     "--out", out, "--cache", cache], tmp_path)
    try:
        wait_until(lambda: rendering(cache / "manim" / "hills" / "l") >= 2 or process.poll() is not None,
                   timeout=600, message="both workers to be rendering hills")
        assert process.poll() is None, process.communicate()[0]
        members = group(process.pid)
        assert len(members) >= 3, f"expected the run and its two workers: {described(members)}"
        published = snapshot(out)
        process.kill()
        process.wait(timeout=30)

        wait_until(lambda: not group(process.pid), timeout=10,
                   message=lambda: f"the run's processes to end; left: {described(group(process.pid))}")
    finally:
        for pid in group(process.pid):
            os.kill(pid, signal.SIGKILL)
    assert not [name for name in published if name.startswith("hills")], "hills was published before the kill"
    assert snapshot(out) == published, "a file was published (or changed) after the kill"
    assert leftovers(out) == [], "the workers' temporaries were not removed"


# --- 2. kill -9 of one worker -----------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.subprocess
def test_kill_9_of_a_worker_fails_its_figure_and_the_others_still_render(tmp_path):
    """SIGKILL the worker rendering hills (the one holding hills' cache-entry lock): hills
    fails, named with its signal; convex and linear_data are still published (a fresh
    pool when the dead worker broke the first); the summary prints, exit 1, no hang.
    Before, the run ended in a BrokenProcessPool traceback (or hung)."""
    out, cache = tmp_path / "media", tmp_path / "cache"
    process = start(["--scene", "hills", "--scene", "convex", "--scene", "linear_data", "--jobs", "2", "-q", "l",
                     "--quiet", "--out", out, "--cache", cache], tmp_path)
    try:
        victim = wait_until(lambda: child_holding(process.pid, "/locks/hills-") or process.poll() is not None,
                            timeout=600, message="a worker to start rendering hills")
        assert process.poll() is None, process.communicate()[0]
        os.kill(victim, signal.SIGKILL)
        output, _ = process.communicate(timeout=900)  # generous: no hang
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 1, output
    assert re.search(r"^hills +failed", output, re.M), output
    assert "error: hills: worker died (SIGKILL)" in output, output
    assert re.search(r"^convex +rendered", output, re.M) and re.search(r"^linear_data +rendered", output, re.M), output
    assert "Traceback" not in output, output
    names = published_names(out)
    assert {"convex.mp4", "convex.png", "linear_data.png"} <= set(names) and "hills.mp4" not in names, names
    assert leftovers(out) == []
    assert set(figures_in(out)) == {"convex", "linear_data"}
    checked = verify(out, tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    wait_until(lambda: not group(process.pid), timeout=10,
               message=lambda: f"the run's processes to end; left: {described(group(process.pid))}")


# --- 3. kill -9 between the renames and the manifest's record ---------------------------------
@pytest.mark.slow
@pytest.mark.subprocess
@pytest.mark.parametrize("published_before", [True, False], ids=["republish", "first-publish"])
def test_kill_9_after_the_renames_is_repaired_by_the_next_run_of_another_figure(tmp_path, published_before):
    """Kill the run of convex where ``GDVIZ_TEST_PAUSE_AT=after-renames`` holds it: its new
    files are in place, the manifest still lists the old ones (or none). The next run, of
    linear_data, finds the disagreement, says so and re-records convex from the files on
    disk (no cache key: convex renders again when asked); then --verify passes. Before, the
    next run said nothing and --verify failed (or convex stayed out of the manifest)."""
    out, cache = tmp_path / "media", tmp_path / "cache"
    convex = ["--scene", "convex", "-q", "l", "--quiet", "--out", out, "--cache", cache]
    if published_before:
        first = run([*convex, "--set", "steps=2"], tmp_path)
        assert first.returncode == 0, first.stderr
    marker = tmp_path / "paused-after-renames"
    process = start([*convex, "--set", "steps=3"], tmp_path,
                    env={**os.environ, "GDVIZ_TEST_PAUSE_AT": f"after-renames:{marker}"})
    try:
        pid = wait_until(lambda: (marker.is_file() and marker.read_text().strip()) or process.poll() is not None,
                         timeout=600, message="the publish to pause after its renames")
        assert process.poll() is None, process.communicate()[0]
        os.kill(int(pid), signal.SIGKILL)
        process.kill()
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    broken = verify(out, tmp_path)
    assert broken.returncode == 1, "the kill left files and manifest agreeing: nothing was tested"

    other = run(["--scene", "linear_data", "-q", "l", "--quiet", "--out", out, "--cache", cache], tmp_path)
    assert other.returncode == 0, other.stderr
    said = " ".join(other.stderr.split())
    assert re.search(r"warning: \S*manifest\.json disagreed with the files on disk.*: re-recorded convex\b", said), said
    checked = verify(out, tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    entry = figures_in(out)["convex"]
    assert entry["cache_key"] == ""  # its files came from a render nobody recorded: it renders again
    assert {info["path"] for info in entry["files"].values()} >= {"convex.mp4", "convex.png", "convex.webp"}

    again = run([*convex, "--set", "steps=3"], tmp_path)
    assert again.returncode == 0 and "done in" in again.stderr, again.stderr
    assert verify(out, tmp_path).returncode == 0
