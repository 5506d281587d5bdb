"""The render-and-publish layer between the scenes and the command line.

Data flows one way: gdmath <- scenes <- pipeline <- render.py. The pipeline never knows
what a figure shows: it renders a registered figure's scene (or builds its page) and
publishes the files.

``pipeline.run(names, ...)`` (``pipeline.runner``) is the one call the CLI makes (and the
Python API will): it publishes a selection of figures and returns what happened. By concern:

- ``render``: manim renders a figure's scene into its work folder in the cache;
- ``encode``: the formats: MP4 remuxed with the index first, WebM, GIF, PNG and WebP posters, WebVTT;
- ``check``: a file read back: a video's codec, size, rate, frames and duration; a poster's size;
- ``publish``: one figure's way from render to published files, renamed all at once with
  the signals held back, stale siblings removed;
- ``jobs``: a job per figure and theme, run in this process or one pool of workers;
- ``runner``: ``run``: sweep, manifest, jobs, cache hits, running, the gallery;
- ``params``: ``--set`` parsing and each figure's parameter rules and budgets;
- ``cache``: cache keys over every input, and cache hits checked against the manifest;
- ``locks``: cross-process locks (per cache entry, per output folder);
- ``manifest``: ``manifest.json``: its records, read, repaired, merged and verified;
- ``files``: temporary names, atomic writes, sweeping dead processes' temporaries;
- ``interrupts``: SIGTERM unwinds like Ctrl-C and is never lost;
- ``webvtt``: the timed cues' file;
- ``gallery``: ``index.html``.
"""

from pipeline.runner import Plan, RunResult, run

__all__ = ["Plan", "RunResult", "run"]
