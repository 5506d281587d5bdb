"""The README and docs/: every relative link resolves inside the repository, the README
stays a five-minute read that starts with the two commands, and what it and the docs
say about figures and gdmath names things that exist.

No render, browser or subprocess: these read files and import the registry.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = [README, *sorted(DOCS.glob("*.md"))]

README_MAX_LINES = 200
#: the two commands a newcomer needs come within this many lines of the top
COMMANDS_WITHIN = 30
COMMANDS = ("./run render", "./run test")

FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$", re.M)
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)  # http:, https:, mailto: ...


def prose(text: str) -> str:
    """``text`` without fenced code blocks and inline code (links there are examples, not links)."""
    return INLINE_CODE.sub("", FENCE.sub("", text))


def links(text: str) -> list[str]:
    """The targets of the Markdown links and images in ``text``, outside code.

    >>> links("[a](docs/x.md) ![p](img.png) `[no](code.md)` [web](https://example.org)")
    ['docs/x.md', 'img.png', 'https://example.org']
    """
    return LINK.findall(prose(text))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens.

    >>> slug("Optimizers (`gdmath/optimizers.py`)"), slug("Light and dark"), slug("`--verify`")
    ('optimizers-gdmathoptimizerspy', 'light-and-dark', '--verify')
    """
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """The anchors of a Markdown page's headings (outside code blocks)."""
    return {slug(h) for h in HEADING.findall(FENCE.sub("", page.read_text(encoding="utf-8")))}


def broken_links(page: Path, root: Path = ROOT) -> list[str]:
    """``"page: target (why)"`` for each relative link of ``page`` that does not resolve to a
    file inside ``root``, or whose ``#anchor`` names no heading of a Markdown target."""
    problems = []
    for target in links(page.read_text(encoding="utf-8")):
        if EXTERNAL.match(target):
            continue
        path_part, _, anchor = target.partition("#")
        resolved = (page.parent / path_part).resolve() if path_part else page
        where = f"{page.relative_to(root)}: {target}"
        if not resolved.is_relative_to(root.resolve()):
            problems.append(f"{where} (outside the repository)")
        elif not resolved.is_file():
            problems.append(f"{where} (no such file)")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            problems.append(f"{where} (no heading with that anchor)")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves_inside_the_repository(page):
    assert broken_links(page) == []


def test_the_link_check_catches_a_broken_link_and_ignores_code(tmp_path):
    (tmp_path / "there.md").write_text("# A heading\n")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](there.md) [ok too](there.md#a-heading) [gone](missing.md) [bad anchor](there.md#nowhere)\n"
        "[out](../../etc/passwd) [web](https://example.org/x.md)\n"
        "```\n[in a block](nothing.md)\n```\n`[inline](nothing.md)`\n"
    )
    assert broken_links(page, root=tmp_path) == [
        "page.md: missing.md (no such file)",
        "page.md: there.md#nowhere (no heading with that anchor)",
        "page.md: ../../etc/passwd (outside the repository)",
    ]


def test_the_readme_is_a_five_minute_read():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines, at most {README_MAX_LINES}"


def test_the_readme_starts_with_the_two_commands():
    top = README.read_text(encoding="utf-8").splitlines()[:COMMANDS_WITHIN]
    for command in COMMANDS:
        assert any(line.strip().startswith(command) for line in top), (
            f"{command!r} is not a command line within the first {COMMANDS_WITHIN} lines of README.md"
        )


def test_the_docs_folder_holds_the_topics_the_readme_links():
    linked = {Path(t.partition("#")[0]).name for t in links(README.read_text(encoding="utf-8"))
              if t.startswith("docs/")}
    assert {"rendering.md", "embedding.md", "performance.md", "gdmath.md", "figures.md", "options.md"} <= linked


def readme_figure_rows() -> list[tuple[str, str, str]]:
    """``(name, title, kind)`` of each row of the README's table of figures."""
    row = re.compile(r"^\|\s*`(\w+)`\s*\|\s*([^|]+?)\s*\|\s*(video|still|page)\s*\|\s*$", re.M)
    return row.findall(README.read_text(encoding="utf-8"))


def test_the_readme_table_of_figures_matches_the_registry():
    from scenes import REGISTRY

    rows = readme_figure_rows()
    assert rows, "no table of figures (| `name` | title | kind |) in README.md"
    for name, title, kind in rows:
        assert name in REGISTRY, f"README.md lists {name}, which is not a registered figure"
        figure = REGISTRY[name]
        assert (figure.title, figure.kind) == (title, kind), f"README.md's row of {name}"


def test_the_generated_figures_page_names_only_registered_figures():
    from scenes import REGISTRY

    sections = re.findall(r"^## (\w+)$", (DOCS / "figures.md").read_text(encoding="utf-8"), re.M)
    assert sections and set(sections) <= set(REGISTRY)


def test_every_public_gdmath_name_is_in_its_api_page():
    import gdmath

    text = (DOCS / "gdmath.md").read_text(encoding="utf-8")
    code = " ".join([m.group(0) for m in FENCE.finditer(text)] + INLINE_CODE.findall(FENCE.sub("", text)))
    missing = [name for name in gdmath.__all__ if not re.search(rf"\b{re.escape(name)}\b", code)]
    assert missing == [], f"docs/gdmath.md does not name {', '.join(missing)} (in code)"


def test_every_function_the_gdmath_page_lists_exists():
    import gdmath

    listed = re.findall(r"^- `(\w+)\(", (DOCS / "gdmath.md").read_text(encoding="utf-8"), re.M)
    assert listed, "no '- `function(...)`' entries in docs/gdmath.md"
    gone = [name for name in listed if name not in gdmath.__all__]
    assert gone == [], f"docs/gdmath.md lists {', '.join(gone)}, not in gdmath.__all__"


def test_the_generator_splits_a_listing_into_figures_and_rules():
    spec = importlib.util.spec_from_file_location("docs_generate", DOCS / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    listing = ("hills           Random starts descend.\n"
               "                --set n_points: a whole number in [1, 1000]; alpha: finite and > 0\n"
               "playground      Interactive page. [page: html]\n")
    assert generate.split_figures(listing) == [
        ("hills", "Random starts descend.", ["n_points: a whole number in [1, 1000]", "alpha: finite and > 0"]),
        ("playground", "Interactive page. [page: html]", []),
    ]
