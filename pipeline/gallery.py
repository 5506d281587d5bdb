"""The published bundle's ``index.html`` gallery.

The gallery embeds every figure in the post's order
with its poster, its description as caption and accessible label, and a copy-paste
snippet; it has no external assets, so it works opened from disk and served.

A figure published in both themes gets one snippet that shows the light or the dark
files according to the reader's ``prefers-color-scheme``, with no JavaScript: the video
picks its file with ``<source media>`` (the dark sources, first, for a dark reader only),
its poster is a CSS background chosen by a media
query (a ``poster`` attribute cannot switch, and a hidden second video still downloads
its poster), and a still is a ``<picture>`` with a light ``<source media>``. The page
itself follows the reader's scheme.
"""

from __future__ import annotations

import html
from pathlib import Path

from pipeline.files import write_if_changed
from pipeline.manifest import by_figure
from scenes import theme

INDEX = "index.html"
MIME = {"webm": "video/webm", "mp4": "video/mp4"}
LIGHT_SCHEME = "(prefers-color-scheme: light)"
DARK_SCHEME = "(prefers-color-scheme: dark)"


# --- the gallery -------------------------------------------------------------------------
def _poster(files: dict) -> str:
    """The poster pages load: the light WebP when published, else the exact PNG."""
    return files.get("webp", files["png"])["path"]


def _source(path: str, mime: str, media: str = "") -> str:
    when = f' media="{media}"' if media else ""
    return f'<source srcset="{path}" type="{mime}"{when}>'


IMAGE_MIME = {"webp": "image/webp", "png": "image/png", "gif": "image/gif"}


def still_image(files: dict, label: str, described_by: str = "", light: dict | None = None, fmt: str = "png",
                box: tuple = ()) -> str:
    """A still (or a GIF) as ``<picture>``: with ``light`` (the light theme's files), its
    sources first, for a reader whose scheme is light; then the WebP for browsers that
    take it; the ``<img>`` of ``fmt`` (PNG or GIF) for the rest.

    >>> print(still_image({"png": {"path": "a.png"}, "webp": {"path": "a.webp"}}, "A"))
    <picture>
      <source srcset="a.webp" type="image/webp">
      <img src="a.png" alt="A" loading="lazy">
    </picture>
    """
    described = f' aria-describedby="{described_by}"' if described_by else ""
    reserved = f' width="{box[0]}" height="{box[1]}"' if box else ""  # its box kept before it loads
    image = f'<img src="{files[fmt]["path"]}" alt="{label}"{reserved}{described} loading="lazy">'
    ladder = ("webp", fmt) if fmt == "png" else (fmt,)  # a GIF moves: no still WebP instead of it
    sources = [_source(light[f]["path"], IMAGE_MIME[f], LIGHT_SCHEME) for f in ladder if light and f in light]
    sources += [_source(files[f]["path"], IMAGE_MIME[f]) for f in ladder[:-1] if f in files]
    if not sources:
        return image
    lines = "".join(f"\n  {source}" for source in sources)
    return f"<picture>{lines}\n  {image}\n</picture>"


def transcript_id(entry: dict) -> str:
    return f'{entry["name"]}-transcript'


def minutes(seconds: float) -> str:
    """``m:ss.s`` for a transcript line.

    >>> minutes(75.25)
    '1:15.2'
    """
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


def transcript(entry: dict) -> str:
    """The figure's text alternative as a ``<details>``: its description from the data, then
    its timed cues (the same as NAME.vtt's); ``aria-describedby`` points at it."""
    summary = entry.get("summary") or entry["description"]
    lines = "".join(f'\n    <li><time>{minutes(c["start"])}</time> {html.escape(c["text"])}</li>'
                    for c in entry.get("cues", []))
    timeline = f"\n  <ol>{lines}\n  </ol>" if lines else ""
    return (f'<details class="transcript" id="{transcript_id(entry)}">'
            f"<summary>What the figure shows</summary>\n  <p>{html.escape(summary)}</p>{timeline}\n</details>")


def embed_snippet(entry: dict, light: dict | None = None) -> str:
    """The HTML a blog author pastes to show this figure; with ``light`` (the light theme's
    entry of the same figure) it shows the light files to a reader whose scheme is light.

    Videos never autoplay and load nothing but their poster until the reader presses
    play (``preload="none"``): a post with a dozen figures stays light.
    """
    files = entry["files"]
    label = html.escape(entry["description"], quote=True)
    if entry["kind"] == "page":
        return f'<iframe src="{files["html"]["path"]}" title="{label}" width="100%" height="560" loading="lazy"></iframe>'
    described = transcript_id(entry)
    light_files = light["files"] if light else None
    if entry["kind"] == "still" or not any(fmt in files for fmt in MIME):
        fmt = "gif" if "gif" in files else "png"
        box = (entry["width"], entry["height"]) if "width" in entry else ()
        return f"{still_image(files, label, described, light_files, fmt, box)}\n{transcript(entry)}"
    # Dark first, for a dark reader only; then light. A browser that ignores <source media>
    # plays the first: the default theme, as the poster's CSS default is.
    only_dark = f' media="{DARK_SCHEME}"' if light_files else ""
    sources = "".join(
        f'\n  <source src="{files[fmt]["path"]}" type="{MIME[fmt]}"{only_dark}>' for fmt in ("webm", "mp4") if fmt in files
    )
    sources += "".join(
        f'\n  <source src="{light_files[fmt]["path"]}" type="{MIME[fmt]}">'
        for fmt in ("webm", "mp4") if light_files and fmt in light_files
    )
    if "vtt" in files:  # the cues are the same text in both themes
        sources += (f'\n  <track kind="descriptions" src="{files["vtt"]["path"]}" srclang="en" '
                    f'label="What happens, step by step">')
    width, height = entry.get("width", ""), entry.get("height", "")
    if light_files:
        style, poster = _switching_poster(entry, light_files), f' class="{_poster_class(entry)}"'
    else:
        style, poster = "", f' poster="{_poster(files)}"'
    return (
        f'{style}<video{poster} controls loop muted playsinline preload="none"\n'
        f'       width="{width}" height="{height}" aria-label="{label}"\n'
        f'       aria-describedby="{described}">{sources}\n</video>\n{transcript(entry)}'
    )


def _poster_class(entry: dict) -> str:
    return f'gd-{entry["name"]}'


def _switching_poster(entry: dict, light_files: dict) -> str:
    """The poster of a video that switches theme, as a CSS background a media query picks:
    only the reader's scheme's poster downloads. (Chromium's controls paint a grey panel
    over a video without a ``poster``; the ``::-webkit-media-controls`` rule lifts it.)"""
    selector = f"video.{_poster_class(entry)}"
    return (
        "<style>\n"
        f'  {selector} {{ background: url("{_poster(entry["files"])}") center / contain no-repeat; }}\n'
        f"  {selector}::-webkit-media-controls {{ background: none; }}\n"
        f'  @media {LIGHT_SCHEME} {{ {selector} {{ background-image: url("{_poster(light_files)}"); }} }}\n'
        "</style>\n"
    )


def _figure_card(themed: dict[str, dict], number: int) -> str:
    """One figure's card; ``themed`` is its entries by theme (dark, light or both)."""
    entry = themed.get("dark") or themed["light"]
    light = themed.get("light") if "dark" in themed else None
    snippet = embed_snippet(entry, light)
    heading = html.escape(entry.get("title") or entry["name"])
    facts = []
    if entry.get("duration"):
        facts.append(f'{entry["duration"]:.1f} s, {entry["width"]}x{entry["height"]} at {entry["fps"]:.3g} fps')
    elif entry["kind"] == "still":
        facts.append("still image")
    else:
        facts.append("interactive page")
    for theme_name, files in ((t, e["files"]) for t, e in themed.items()):
        sizes = ", ".join(f'{fmt} {info["bytes"] / 1e6:.2f} MB' for fmt, info in files.items())
        facts.append(f"{theme_name}: {sizes}" if len(themed) > 1 or theme_name != "dark" else sizes)
    return f"""
<figure id="{entry["name"]}" data-name="{entry["name"]}" data-kind="{entry["kind"]}">
  <h2>{heading}</h2>
  <div class="media">{snippet}</div>
  <figcaption><code>{entry["name"]}</code> {html.escape(entry["description"])}
    <span class="facts">{html.escape(" · ".join(facts))}</span></figcaption>
  <details><summary>Embed snippet</summary>
    <pre tabindex="0" aria-label="embed snippet of {entry["name"]}"><code id="snippet-{number}">{html.escape(snippet)}</code></pre>
    <button type="button" data-copy="snippet-{number}">Copy</button>
  </details>
</figure>"""


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gradient descent: the figures</title>
<link rel="icon" href="data:,">
<style>
  :root {{ color-scheme: dark light; {dark} }}
  @media (prefers-color-scheme: light) {{ :root {{ {light} }} }}
  body {{ margin: 0; background: var(--background); color: var(--text);
         font: {text_px}px/1.5 system-ui, -apple-system, "DejaVu Sans", sans-serif; }}
  main {{ max-width: 960px; margin: 0 auto; padding: 24px 16px 64px; }}
  h1 {{ font-weight: 600; }}
  h2 {{ font-weight: 500; font-size: {heading_px}px; margin: 0 0 10px; }}
  figure {{ margin: 40px 0; }}
  .media video, .media img, .media picture, .media iframe {{ width: 100%; height: auto; display: block;
         border-radius: 6px; background-color: var(--panel); border: 0; }}
  .media iframe {{ height: 560px; }}
  figcaption {{ margin-top: 8px; }}
  .facts {{ display: block; color: var(--muted); font-size: {small_px}px; }}
  details {{ margin-top: 6px; color: var(--muted); }}
  .transcript {{ color: var(--text); }}
  .transcript ol {{ padding-left: 1.4em; }}
  .transcript time {{ color: var(--muted); font-variant-numeric: tabular-nums; }}
  pre {{ background: var(--panel); padding: 12px; overflow-x: auto; border-radius: 6px; }}
  button {{ font: inherit; padding: 2px 12px; cursor: pointer; }}
  :focus-visible {{ outline: 2px solid var(--text); outline-offset: 2px; }}
</style>
</head>
<body>
<main>
<h1>Gradient descent: the figures</h1>
<p>Every figure of the post, rendered from code. Open a figure's snippet to paste it into a page
(keep the files beside it).</p>
{cards}
</main>
<script>
document.addEventListener("click", async (event) => {{
  const id = event.target.dataset && event.target.dataset.copy;
  if (!id) return;
  const text = document.getElementById(id).textContent;
  try {{ await navigator.clipboard.writeText(text); event.target.textContent = "Copied"; }}
  catch (error) {{
    const range = document.createRange(); range.selectNodeContents(document.getElementById(id));
    const selection = getSelection(); selection.removeAllRanges(); selection.addRange(range);
    event.target.textContent = "Selected: press Ctrl+C";
  }}
}});
</script>
</body>
</html>
"""


def _css_variables(colours: dict[str, str]) -> str:
    return " ".join(f"--{name}: {value};" for name, value in colours.items())


def write_gallery(out_dir: Path, manifest: dict) -> Path:
    """Write ``out_dir/index.html`` atomically for the figures in ``manifest`` (already in order;
    the caller holds the folder lock), unless it already is that page. A full disk raises
    :class:`~pipeline.files.DiskFull` and leaves the old page."""
    cards = "".join(_figure_card(themed, i) for i, themed in enumerate(by_figure(manifest).values()))
    palette = {name: {"background": theme.in_theme(theme.BACKGROUND, name).to_hex(),
                      "text": theme.in_theme(theme.TEXT, name).to_hex(),
                      "muted": theme.in_theme(theme.MUTED_TEXT, name).to_hex(),
                      "panel": theme.in_theme(theme.GRID, name).to_hex()} for name in theme.THEMES}
    page = PAGE.format(
        cards=cards,
        dark=_css_variables(palette["dark"]),
        light=_css_variables(palette["light"]),
        text_px=theme.PAGE_TEXT_PX,
        heading_px=theme.PAGE_HEADING_PX,
        small_px=theme.PAGE_SMALL_PX,
    )
    target = out_dir / INDEX
    write_if_changed(target, page)
    return target
