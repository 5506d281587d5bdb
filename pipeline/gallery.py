"""The published bundle's ``index.html`` gallery.

The gallery embeds every figure in the post's order
with its poster, its description as caption and accessible label, and a copy-paste
snippet; it has no external assets, so it works opened from disk and served.
"""

from __future__ import annotations

import html
from pathlib import Path

from pipeline.files import write_atomically

INDEX = "index.html"
MIME = {"webm": "video/webm", "mp4": "video/mp4"}


# --- the gallery -------------------------------------------------------------------------
def _poster(files: dict) -> str:
    """The poster pages load: the light WebP when published, else the exact PNG."""
    return files.get("webp", files["png"])["path"]


def still_image(files: dict, label: str, described_by: str = "") -> str:
    """A still as ``<picture>``: the WebP for browsers that take it, the PNG for the rest."""
    described = f' aria-describedby="{described_by}"' if described_by else ""
    image = f'<img src="{files["png"]["path"]}" alt="{label}"{described} loading="lazy">'
    if "webp" not in files:
        return image
    return f'<picture>\n  <source srcset="{files["webp"]["path"]}" type="image/webp">\n  {image}\n</picture>'


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


def embed_snippet(entry: dict) -> str:
    """The HTML a blog author pastes to show this figure.

    Videos never autoplay and load nothing but their poster until the reader presses
    play (``preload="none"``): a post with a dozen figures stays light.
    """
    files = entry["files"]
    label = html.escape(entry["description"], quote=True)
    if entry["kind"] == "page":
        return f'<iframe src="{files["html"]["path"]}" title="{label}" width="100%" height="560" loading="lazy"></iframe>'
    if entry["kind"] == "still" or not any(fmt in files for fmt in MIME):
        described = transcript_id(entry)
        if "gif" in files:
            image = f'<img src="{files["gif"]["path"]}" alt="{label}" aria-describedby="{described}" loading="lazy">'
        else:
            image = still_image(files, label, described)
        return f"{image}\n{transcript(entry)}"
    sources = "".join(
        f'\n  <source src="{files[fmt]["path"]}" type="{MIME[fmt]}">' for fmt in ("webm", "mp4") if fmt in files
    )
    if "vtt" in files:
        sources += (f'\n  <track kind="descriptions" src="{files["vtt"]["path"]}" srclang="en" '
                    f'label="What happens, step by step">')
    width, height = entry.get("width", ""), entry.get("height", "")
    return (
        f'<video controls loop muted playsinline preload="none" poster="{_poster(files)}"\n'
        f'       width="{width}" height="{height}" aria-label="{label}"\n'
        f'       aria-describedby="{transcript_id(entry)}">{sources}\n</video>\n{transcript(entry)}'
    )


def _figure_card(entry: dict, number: int) -> str:
    from scenes import POST_TITLES

    snippet = embed_snippet(entry)
    heading = html.escape(POST_TITLES.get(entry["name"], entry["name"]))
    facts = []
    if entry.get("duration"):
        facts.append(f'{entry["duration"]:.1f} s, {entry["width"]}x{entry["height"]} at {entry["fps"]:.3g} fps')
    elif entry["kind"] == "still":
        facts.append("still image")
    else:
        facts.append("interactive page")
    sizes = ", ".join(f'{fmt} {info["bytes"] / 1e6:.2f} MB' for fmt, info in entry["files"].items())
    facts.append(sizes)
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
  :root {{ --bg: {background}; --text: {text}; --muted: {muted}; --panel: {panel}; }}
  body {{ margin: 0; background: var(--bg); color: var(--text);
         font: {text_px}px/1.5 system-ui, -apple-system, "DejaVu Sans", sans-serif; }}
  main {{ max-width: 960px; margin: 0 auto; padding: 24px 16px 64px; }}
  h1 {{ font-weight: 600; }}
  h2 {{ font-weight: 500; font-size: {heading_px}px; margin: 0 0 10px; }}
  figure {{ margin: 40px 0; }}
  .media video, .media img, .media picture, .media iframe {{ width: 100%; height: auto; display: block;
         border-radius: 6px; background: var(--panel); border: 0; }}
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


def write_gallery(out_dir: Path, manifest: dict) -> Path:
    """Write ``out_dir/index.html`` atomically for the figures in ``manifest`` (already in order;
    the caller holds the folder lock)."""
    from scenes import theme

    cards = "".join(_figure_card(entry, i) for i, entry in enumerate(manifest.values()))
    page = PAGE.format(
        cards=cards,
        background=theme.BACKGROUND.to_hex(),
        text=theme.TEXT.to_hex(),
        muted=theme.MUTED_TEXT.to_hex(),
        panel=theme.GRID.to_hex(),
        text_px=theme.PAGE_TEXT_PX,
        heading_px=theme.PAGE_HEADING_PX,
        small_px=theme.PAGE_SMALL_PX,
    )
    target = out_dir / INDEX
    write_atomically(target, page)
    return target
