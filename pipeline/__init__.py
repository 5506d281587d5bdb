"""The render-and-publish layer between the scenes and the command line.

Data flows one way: gdmath <- scenes <- pipeline <- render.py.

- ``publish``: render one figure with manim into the cache, make its formats, check them,
  publish them atomically;
- ``params``: ``--set`` parsing and each figure's parameter rules and budgets;
- ``cache``: cache keys over every input, and cache hits checked against the manifest;
- ``jobs``: a job per figure, run in this process or a process pool;
- ``locks``: cross-process locks (per cache entry, per output folder);
- ``manifest``: ``manifest.json`` read, repaired, merged and verified;
- ``files``: temporary names, atomic writes, sweeping dead processes' temporaries;
- ``gallery``: ``index.html``.
"""
