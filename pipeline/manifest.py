"""``manifest.json``: which files belong to which figure, with their sizes and SHA-256.

Every change is a read-modify-write under the output folder's lock with an atomic
replace, so concurrent runs never lose a figure's entry. A manifest that cannot be
read, or is not of the expected shape, is moved aside (``manifest.json.bad-<timestamp>``)
with a warning and rebuilt from the files on disk.

On a full disk the manifest on disk stays what it was (the atomic write leaves it), and
it stays true to the files: a figure whose record cannot be written is withdrawn (its
just-published files removed, then its entry dropped), and a write that would change
nothing is not made.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

from pipeline.files import DiskFull, sha256, temporaries, write_if_changed
from pipeline.locks import folder_lock
from scenes.theme import THEMES  # the first keeps the bare names (NAME.mp4)

if TYPE_CHECKING:
    from pipeline.check import VideoInfo
    from pipeline.jobs import Job

MANIFEST = "manifest.json"
#: file suffixes a figure may publish, by kind
SUFFIXES = {"video": ("png", "webp", "mp4", "webm", "gif", "vtt"), "still": ("png", "webp"), "page": ("html",)}


def file_stem(name: str, theme: str = THEMES[0]) -> str:
    """The name a figure's files have in a theme: ``hills`` (dark), ``hills-light``.

    >>> file_stem("hills"), file_stem("hills", "light")
    ('hills', 'hills-light')
    """
    return name if theme == THEMES[0] else f"{name}-{theme}"


def entry_id(entry: dict) -> str:
    """An entry's key in the manifest: its figure's file stem in its theme (older entries are dark)."""
    return file_stem(entry["name"], entry.get("theme", THEMES[0]))


def by_figure(entries: dict[str, dict]) -> dict[str, dict[str, dict]]:
    """``{figure name: {theme: entry}}``, figures in the order of ``entries``."""
    grouped: dict[str, dict[str, dict]] = {}
    for entry in entries.values():
        grouped.setdefault(entry["name"], {})[entry.get("theme", THEMES[0])] = entry
    return grouped


class BadManifest(ValueError):
    """The manifest is not JSON of the shape ``{"figures": [{"name": ..., "files": {...}}, ...]}``."""


def _parse(text: str) -> dict[str, dict]:
    data = json.loads(text)
    if not isinstance(data, dict) or not isinstance(data.get("figures"), list):
        raise BadManifest('expected an object with a "figures" list')
    entries = {}
    for entry in data["figures"]:
        if not (isinstance(entry, dict) and isinstance(entry.get("name"), str) and isinstance(entry.get("files"), dict)):
            raise BadManifest(f"a figure entry without a name and files: {str(entry)[:80]}")
        if entry.get("theme", THEMES[0]) not in THEMES:
            raise BadManifest(f"{entry['name']}: theme must be one of {', '.join(THEMES)}, got {entry['theme']!r}")
        for info in entry["files"].values():
            if not (isinstance(info, dict) and isinstance(info.get("path"), str) and isinstance(info.get("bytes"), int)):
                raise BadManifest(f"{entry['name']}: a file without a path and size")
        entries[entry_id(entry)] = entry
    return entries


def read_manifest(out_dir: Path) -> dict[str, dict]:
    """The manifest's entries by file stem (``hills``, ``hills-light``); empty when there is none or it is bad."""
    try:
        return _parse((out_dir / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}


def file_record(path: Path) -> dict:
    """``{"path", "bytes", "sha256"}`` of a published file."""
    return {"path": path.name, "bytes": path.stat().st_size, "sha256": sha256(path)}


def manifest_entry(job: Job, files: dict[str, Path], video: dict, seconds: float,
                   summary: str = "", cues: tuple = ()) -> dict:
    """One figure's manifest record, its files with size and SHA-256; ``summary`` is the
    figure's text alternative from its data and ``cues`` its timed cues (NAME.vtt's)."""
    return {
        "name": job.name,
        "title": job.title,
        "description": job.description,
        "summary": summary or job.description,
        "cues": [{"start": c.start, "end": c.end, "text": c.text} for c in cues],
        "kind": job.kind,
        "files": {fmt: file_record(path) for fmt, path in files.items()},
        **video,
        "quality": job.quality,
        "theme": job.theme,
        "params": job.params,
        "seed": job.params.get("seed"),
        "cache_key": job.key,
        "render_seconds": round(seconds, 2),
        "rendered_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def video_facts(info: VideoInfo | None, poster: Path | None = None) -> dict:
    """Size, rate and length of a video; a still's size (from its poster) so pages reserve its box."""
    if info is None:
        if poster is None or not poster.is_file():
            return {}
        with Image.open(poster) as image:
            return {"width": image.width, "height": image.height}
    return {"width": info.width, "height": info.height, "fps": info.fps, "frames": info.frames,
            "duration": round(info.duration, 3)}


def ordered(entries: dict[str, dict], order: list[str] | None = None) -> dict[str, dict]:
    """``entries`` with figures in ``order``, the rest after; dark before light."""
    rank = {name: i for i, name in enumerate(order or [])}
    figures = sorted(entries.values(), key=lambda e: (rank.get(e["name"], len(rank)), THEMES.index(e.get("theme", THEMES[0]))))
    return {entry_id(e): e for e in figures}


def write_manifest(out_dir: Path, entries: dict[str, dict], order: list[str] | None = None) -> dict[str, dict]:
    """Write ``entries`` (figures in ``order``, the rest after; dark before light) atomically,
    unless the file already says exactly that; return them in that order. A full disk
    raises :class:`~pipeline.files.DiskFull` and leaves the old manifest."""
    entries = ordered(entries, order)
    write_if_changed(out_dir / MANIFEST, json.dumps({"figures": list(entries.values())}, indent=2) + "\n")
    return entries


def rebuild_from_disk(out_dir: Path, registry: dict) -> dict[str, dict]:
    """Entries for the registry's figures whose files are on disk (no cache key: they re-render)."""
    entries = {}
    for name, figure in registry.items():
        for theme in THEMES:
            if entry := _entry_from_disk(out_dir, name, figure, theme):
                entries[file_stem(name, theme)] = entry
    return entries


def _files_on_disk(out_dir: Path, stem: str, kind: str) -> list[Path]:
    """The files ``STEM.<suffix>`` of a figure of ``kind`` that are in ``out_dir``."""
    return [path for suffix in SUFFIXES[kind] if (path := out_dir / f"{stem}.{suffix}").is_file()]


def _entry_from_disk(out_dir: Path, name: str, figure, theme: str) -> dict | None:
    """A figure's entry made from its files on disk (no cache key: it renders again); None without files."""
    files = {p.suffix[1:]: file_record(p) for p in _files_on_disk(out_dir, file_stem(name, theme), figure.kind)}
    if not files:
        return None
    return {"name": name, "title": figure.title, "theme": theme, "description": figure.description,
            "kind": figure.kind, "files": files, "cache_key": ""}


def load_or_repair(out_dir: Path, registry: dict, warn=None) -> dict[str, dict]:
    """The manifest's entries, checked against the files on disk (under the lock): a bad
    manifest is moved aside and rebuilt from the files; the figures whose files and entry
    disagree (a run killed between its renames and its record) are re-recorded from their
    files (:func:`repair_disagreements`)."""
    path = out_dir / MANIFEST
    with folder_lock(out_dir):
        try:
            entries = _parse(path.read_text())
        except FileNotFoundError:
            entries = {}
        except (OSError, ValueError) as error:
            aside = path.with_name(f"{MANIFEST}.bad-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}")
            path.replace(aside)
            (warn or _stderr)(f"warning: {path} is unreadable or of the wrong shape ({error}); "
                              f"moved aside to {aside.name} and rebuilt from the files on disk")
            rebuilt = rebuild_from_disk(out_dir, registry)
            try:
                return write_manifest(out_dir, rebuilt)
            except DiskFull as full:  # the run goes on with them; its tidy-up writes them again
                (warn or _stderr)(f"warning: {full}")
                return rebuilt
        return repair_disagreements(out_dir, registry, entries, warn)


def disagreeing(out_dir: Path, registry: dict, entries: dict[str, dict]) -> list[tuple[str, str]]:
    """(figure name, theme) of the registry's figures whose entry is not what is on disk:
    a listed file missing or of another size or SHA-256, or a file of the figure's on disk
    that the entry does not list (or no entry at all)."""
    found = []
    for name, figure in registry.items():
        for theme in THEMES:
            stem = file_stem(name, theme)
            entry = entries.get(stem, {"files": {}})
            listed = {info["path"] for info in entry["files"].values()}
            if listed != {p.name for p in _files_on_disk(out_dir, stem, figure.kind)} or not trusted(out_dir, entry):
                found.append((name, theme))
    return found


def repair_disagreements(out_dir: Path, registry: dict, entries: dict[str, dict], warn=None) -> dict[str, dict]:
    """``entries`` with each figure whose entry disagrees with its files on disk
    re-recorded from the files (no cache key: it renders again when next asked for), or
    dropped when none is left; the manifest rewritten and the repair said (``warn``).

    Every publish renames its files and records them under the folder's lock, so under
    the lock (the caller holds it) a disagreement is what a process killed between the
    two left, or a hand edit."""
    repaired, rerecorded, dropped = dict(entries), [], []
    for name, theme in disagreeing(out_dir, registry, entries):
        stem = file_stem(name, theme)
        if entry := _entry_from_disk(out_dir, name, registry[name], theme):
            repaired[stem] = entry
            rerecorded.append(stem)
        else:
            repaired.pop(stem)
            dropped.append(stem)
    if not (rerecorded or dropped):
        return entries
    done = []
    if rerecorded:
        done.append(f"re-recorded {', '.join(rerecorded)} from the files "
                    "(no cache key: rendered again when next asked for)")
    if dropped:
        done.append(f"dropped {', '.join(dropped)} (no file left)")
    (warn or _stderr)(f"warning: {out_dir / MANIFEST} disagreed with the files on disk (a run killed while "
                      f"publishing?): {'; '.join(done)}")
    try:
        return write_manifest(out_dir, repaired)
    except (OSError, DiskFull) as error:  # the run goes on with them; its tidy-up writes them again
        (warn or _stderr)(f"warning: {out_dir / MANIFEST} not repaired on disk yet ({error})")
        return repaired


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def record(out_dir: Path, entry: dict) -> None:
    """Put one figure's entry into the manifest (the caller holds the folder lock, and the
    figure's new files are in place); files the old entry listed and the new one does not
    are removed.

    If the disk is too full to write it, the figure is withdrawn so that the manifest on
    disk stays true to the files: its new files (which replaced the old entry's) and the
    old entry's others are removed, the entry is dropped (a smaller write, in the room
    just freed), and :class:`~pipeline.files.DiskFull` is raised saying so.
    """
    entries = read_manifest(out_dir)
    stem = entry_id(entry)
    old = entries.get(stem, {}).get("files", {})
    kept = {info["path"] for info in entry["files"].values()}
    try:
        write_manifest(out_dir, {**entries, stem: entry})
    except DiskFull as full:
        for info in (*entry["files"].values(), *old.values()):
            (out_dir / info["path"]).unlink(missing_ok=True)
        entries.pop(stem, None)
        try:
            write_manifest(out_dir, entries)
        except DiskFull:
            pass  # the old entry stays, its files gone: the next run's tidy-up drops it
        raise DiskFull(f"{full}; the figure's new files were withdrawn") from full
    for info in old.values():
        if info["path"] not in kept:
            (out_dir / info["path"]).unlink(missing_ok=True)


def tidied(out_dir: Path, registry: dict, order: list[str]) -> dict[str, dict]:
    """The manifest's entries without unknown figures or those whose files are gone, in ``order``."""
    entries = {
        stem: entry
        for stem, entry in read_manifest(out_dir).items()
        if entry["name"] in registry and all((out_dir / f["path"]).is_file() for f in entry["files"].values())
    }
    return ordered(entries, order)


def tidy(out_dir: Path, registry: dict, order: list[str]) -> dict[str, dict]:
    """Drop entries of unknown figures or whose files are gone, and order the rest (under the
    lock); the file is rewritten only if that changes it."""
    return write_manifest(out_dir, tidied(out_dir, registry, order), order)


def trusted(out_dir: Path, entry: dict) -> bool:
    """Whether every file of ``entry`` is on disk with its recorded size and SHA-256."""
    for info in entry.get("files", {}).values():
        path = out_dir / info["path"]
        if not path.is_file() or path.stat().st_size != info["bytes"] or sha256(path) != info.get("sha256"):
            return False
    return True


def verify(out_dir: Path) -> list[str]:
    """What is wrong with a published folder (empty when every listed file is there with its
    size and hash, and no temporary is left)."""
    path = out_dir / MANIFEST
    try:
        entries = _parse(path.read_text())
    except FileNotFoundError:
        return [f"{path}: missing"]
    except (OSError, ValueError) as error:
        return [f"{path}: unreadable or of the wrong shape ({error})"]
    problems = []
    for name, entry in entries.items():
        for info in entry["files"].values():
            file = out_dir / info["path"]
            if not file.is_file():
                problems.append(f"{name}: {info['path']} is missing")
            elif file.stat().st_size != info["bytes"]:
                problems.append(f"{name}: {info['path']} has {file.stat().st_size} bytes, the manifest says {info['bytes']}")
            elif sha256(file) != info.get("sha256"):
                problems.append(f"{name}: {info['path']} does not match its SHA-256 in the manifest")
    problems.extend(f"temporary file left behind: {temp.name}" for temp in temporaries(out_dir))
    return problems
