"""What a render from Python returns: one :class:`FigureResult` per figure, which shows
itself in a notebook (``_repr_html_``) with the same HTML the gallery's snippets use.

By default the HTML points at the published files by paths relative to the notebook's
folder (the kernel's working directory), so a notebook stays small; with ``embed=True``
it carries the files inline as ``data:`` URIs, so the notebook (or its nbconvert / Jupyter
Book page) is self-contained, as manim's ``%%manim`` magic does. A figure rendered in both
themes shows the reader's theme, as the gallery does.

>>> entry = {"name": "result", "title": "Example Result Plot", "description": "A plot.",
...          "kind": "still", "files": {"png": {"path": "result.png", "bytes": 3}},
...          "width": 854, "height": 480, "summary": "A plot.", "cues": []}
>>> result = FigureResult("result", "cached", Path("media"), {"dark": entry})
>>> result.files["dark"]["png"].as_posix(), result.status
('media/result.png', 'cached')
>>> 'src="media/result.png"' in result.html(relative_to=Path("."))
True
"""

from __future__ import annotations

import base64
import copy
import mimetypes
import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import gallery

EXTRA_MIME = {".webp": "image/webp", ".vtt": "text/vtt", ".mp4": "video/mp4", ".webm": "video/webm"}


@dataclass
class FigureResult:
    """One figure of a render from Python.

    Attributes:
        name: the figure's name (``hills``).
        status: "rendered", "cached" or "failed" (the worst of its themes).
        out_dir: the folder it was published into.
        entries: its manifest entries by theme (``"dark"``, ``"light"``): files, summary,
            cues, parameters, cache key.
        errors: by theme, why a render failed.
        embed: whether the HTML carries the files inline.
    """

    name: str
    status: str
    out_dir: Path
    entries: dict[str, dict]
    errors: dict[str, str] = field(default_factory=dict)
    embed: bool = False

    @property
    def entry(self) -> dict:
        """The manifest entry of the first theme rendered (dark when both are)."""
        return next(iter(self.entries.values()))

    @property
    def files(self) -> dict[str, dict[str, Path]]:
        """The published files, by theme then format: ``files["dark"]["mp4"]``."""
        return {theme: {fmt: self.out_dir / info["path"] for fmt, info in entry["files"].items()}
                for theme, entry in self.entries.items()}

    @property
    def summary(self) -> str:
        """The figure's text alternative (from its data)."""
        return self.entry.get("summary", "")

    def html(self, relative_to: Path | None = None) -> str:
        """The figure as HTML: the gallery's snippet with the files' paths relative to
        ``relative_to`` (default: the working directory, a notebook's folder), or inline."""
        if not self.entries:
            return f"<p><strong>{self.name}</strong> failed: {'; '.join(self.errors.values())}</p>"
        base = Path.cwd() if relative_to is None else relative_to
        dark, light = self.entries.get("dark"), self.entries.get("light")
        shown = [self._located(entry, base) for entry in (dark, light) if entry is not None]
        snippet = gallery.embed_snippet(shown[0], shown[1] if len(shown) == 2 else None)
        return f'<figure class="gdviz">\n{snippet}\n</figure>'

    def _repr_html_(self) -> str:
        return self.html()

    def __repr__(self) -> str:
        themes = ", ".join(self.entries) or "none"
        return f"<FigureResult {self.name}: {self.status} ({themes}) in {self.out_dir}>"

    def _located(self, entry: dict, base: Path) -> dict:
        """``entry`` with each file's path as the page must write it."""
        located = copy.deepcopy(entry)
        for info in located["files"].values():
            path = self.out_dir / info["path"]
            info["path"] = data_uri(path) if self.embed else Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()
        return located


def data_uri(path: Path) -> str:
    """The file as a ``data:`` URI (its type from its suffix)."""
    mime = EXTRA_MIME.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


class RenderResults(list):
    """The results of one ``render()`` call, in order; in a notebook, all of them shown."""

    def __init__(self, results: list[FigureResult]) -> None:
        super().__init__(results)

    def _repr_html_(self) -> str:
        return "\n".join(result.html() for result in self)
