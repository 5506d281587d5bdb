"""The example notebook, run headless (nbclient and an ipykernel), and its nbconvert page
played in Chromium: each output is a video whose files exist and pass the publish check."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from pipeline.check import check_poster, check_video, probe_video
from pipeline.render import QUALITIES

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "gdviz.ipynb"

pytestmark = [pytest.mark.slow, pytest.mark.subprocess]  # a kernel process that renders


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The example notebook executed in a copy of ``examples/``: (folder, notebook)."""
    import nbformat
    from nbclient import NotebookClient

    folder = tmp_path_factory.mktemp("examples")
    shutil.copy(NOTEBOOK, folder / NOTEBOOK.name)
    notebook = nbformat.read(folder / NOTEBOOK.name, as_version=4)
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [before])])  # this checkout's code
    try:
        NotebookClient(notebook, timeout=900, kernel_name="python3",
                       resources={"metadata": {"path": str(folder)}}).execute()
    finally:
        os.environ.pop("PYTHONPATH") if before is None else os.environ.update(PYTHONPATH=before)
    return folder, notebook


def test_the_repository_keeps_the_notebook_without_outputs():
    import nbformat

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(not cell.outputs and cell.execution_count is None for cell in code)


def video_outputs(notebook) -> list[str]:
    html = [out["data"]["text/html"] for cell in notebook.cells if cell.cell_type == "code"
            for out in cell.get("outputs", []) if "text/html" in out.get("data", {})]
    return [page for page in html if "<video" in page]


def test_every_render_shows_a_video_whose_files_pass_the_publish_check(executed):
    folder, notebook = executed
    videos = video_outputs(notebook)
    assert len(videos) == 2, "the notebook renders two figures"
    for page in videos:
        sources = re.findall(r'<source src="([^"]+)" type="video/mp4"', page)
        posters = re.findall(r'poster="([^"]+)"|url\("([^"]+)"\)', page)
        assert sources and posters
        for source in sources:
            path = folder / source
            assert not Path(source).is_absolute() and path.is_file(), source
            check_video(probe_video(path), "l")
        _, width, height, _ = QUALITIES["l"]
        for poster in (p for pair in posters for p in pair if p):
            check_poster(folder / poster, (height, width, 3))


def test_the_nbconvert_page_shows_the_poster_and_plays_the_video(executed, browser):
    from conftest import serve
    from nbconvert import HTMLExporter

    folder, notebook = executed
    body, _ = HTMLExporter().from_notebook_node(notebook)
    (folder / "page.html").write_text(body, encoding="utf-8")
    with serve(folder) as base:
        page = browser.new_page(viewport={"width": 1000, "height": 800}, color_scheme="dark")
        page.goto(f"{base}/page.html")
        video = page.locator("video").first
        video.scroll_into_view_if_needed()
        poster = video.get_attribute("poster")
        assert poster and page.evaluate("async (src) => (await fetch(src)).ok", poster)
        page.evaluate("document.querySelector('video').play()")
        page.wait_for_function("document.querySelector('video').currentTime > 0", timeout=60_000)
        assert page.evaluate("document.querySelector('video').currentSrc").endswith("convex.mp4")
        page.close()
