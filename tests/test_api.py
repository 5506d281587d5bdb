"""``render()`` from Python: the CLI's rules, cache and files; a result that shows itself."""

from __future__ import annotations

import json
import os
import re

import pytest
from click.testing import CliRunner

import render as door
from pipeline.check import check_video, probe_video
from pipeline.notebook import FigureResult

QUICK = {"quality": "l", "steps": 3}  # convex: three steps at 480p, a few seconds


@pytest.mark.parametrize("kwargs, message", [
    ({"alpha": -1}, "convex: alpha must be finite and > 0, got -1"),
    ({"steps": 0}, "convex: steps must be a whole number in [1, 10000], got 0"),
    ({"speed": 3}, "unknown parameter 'speed' for convex"),
    ({"alpha": "fast"}, "alpha must be a float, got 'fast'"),
])
def test_a_bad_value_raises_the_clis_message_before_anything_is_written(tmp_path, kwargs, message):
    with pytest.raises(ValueError) as error:
        door.render("convex", out=tmp_path / "o", cache=tmp_path / "c", **kwargs)
    assert message in str(error.value)
    cli = CliRunner().invoke(door.main, ["--scene", "convex", "--out", str(tmp_path / "o"), "--cache",
                                         str(tmp_path / "c"), *[f"--set={k}={v}" for k, v in kwargs.items()]])
    assert cli.exit_code == 2 and message in " ".join(cli.output.split())
    assert not (tmp_path / "o").exists() and not (tmp_path / "c").exists()


@pytest.mark.parametrize("kwargs, message", [
    ({"theme": "sepia"}, "theme must be one of dark, light, both, got 'sepia'"),
    ({"quality": "x"}, "quality must be one of"),
    ({"formats": ("avi",)}, "formats must be some of"),
])
def test_bad_options_name_themselves(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        door.render("convex", out=tmp_path / "o", cache=tmp_path / "c", **kwargs)
    with pytest.raises(ValueError, match="unknown figure 'hils'"):
        door.render("hils", out=tmp_path / "o")


def test_keywords_become_the_same_set_values_the_cli_parses():
    assert door._setting("starts", (-2, 1.5)) == "starts=-2,1.5"
    assert door._setting("alpha", 0.05) == "alpha=0.05"
    assert door._setting("function", "x^2 + 3*y^2") == "function=x^2 + 3*y^2"


def entry(name, stem, kind="video"):
    files = {fmt: {"path": f"{stem}.{fmt}", "bytes": 1} for fmt in ("mp4", "png", "webp", "vtt")}
    if kind == "still":
        files = {"png": files["png"]}
    return {"name": name, "title": "A title", "description": "A figure.", "summary": "It shows a figure.",
            "kind": kind, "files": files, "width": 854, "height": 480, "cues": [{"start": 0, "end": 1, "text": "a"}]}


def test_the_html_points_at_the_files_relative_to_the_notebook(tmp_path):
    result = FigureResult("convex", "rendered", tmp_path / "media", {"dark": entry("convex", "convex")})
    html = result.html(relative_to=tmp_path / "notes")
    assert '<source src="../media/convex.mp4" type="video/mp4">' in html
    assert 'poster="../media/convex.webp"' in html and "controls" in html and "<details" in html
    assert "It shows a figure." in html  # the transcript


def test_both_themes_show_the_readers_theme(tmp_path):
    result = FigureResult("convex", "cached", tmp_path, {"dark": entry("convex", "convex"),
                                                         "light": entry("convex", "convex-light")})
    html = result.html(relative_to=tmp_path)
    assert 'src="convex.mp4" type="video/mp4" media="(prefers-color-scheme: dark)"' in html
    assert 'src="convex-light.mp4"' in html and "prefers-color-scheme: light" in html


def test_embed_carries_the_files_inline(tmp_path):
    for suffix, data in (("mp4", b"\x00\x00\x00\x18ftyp"), ("png", b"\x89PNG"), ("webp", b"RIFF"), ("vtt", b"WEBVTT")):
        (tmp_path / f"convex.{suffix}").write_bytes(data)
    result = FigureResult("convex", "rendered", tmp_path, {"dark": entry("convex", "convex")}, embed=True)
    html = result.html(relative_to=tmp_path / "elsewhere")
    assert 'src="data:video/mp4;base64,AAAAGGZ0eXA="' in html and 'poster="data:image/webp;base64,' in html
    assert "convex.mp4" not in html


def test_a_failure_shows_its_reason():
    result = FigureResult("convex", "failed", "media", {}, errors={"dark": "RenderError: boom"})
    assert "failed: RenderError: boom" in result._repr_html_()


@pytest.mark.slow
def test_python_and_the_cli_share_the_cache_and_the_manifest_entry(tmp_path, monkeypatch):
    out, cache = tmp_path / "o", tmp_path / "c"
    first = door.render("convex", out=out, cache=cache, **QUICK)
    assert first.status == "rendered" and first.files["dark"]["mp4"] == out / "convex.mp4"
    info = probe_video(first.files["dark"]["mp4"])
    check_video(info, "l")
    recorded = {e["name"]: e for e in json.loads((out / "manifest.json").read_text())["figures"]}["convex"]
    assert first.entry == recorded and first.summary == recorded["summary"]
    assert first.entry["params"]["steps"] == 3 and first.entry["cues"]

    cli = CliRunner().invoke(door.main, ["--scene", "convex", "-q", "l", "--set", "steps=3", "--quiet",
                                         "--out", str(out), "--cache", str(cache)])
    assert cli.exit_code == 0 and re.search(r"convex\s+cached", cli.output), cli.output
    again = door.render("convex", out=out, cache=cache, **QUICK)
    assert again.status == "cached" and again.entry == first.entry

    monkeypatch.chdir(tmp_path)
    assert 'src="o/convex.mp4"' in again._repr_html_()
    both = door.render("convex", "result", out=out, cache=cache, **QUICK | {"theme": "light"})
    assert [r.name for r in both] == ["convex", "result"] and all(r.status == "rendered" for r in both)
    assert (out / "convex-light.mp4").is_file() and "convex-light.mp4" in both._repr_html_()
    assert os.path.samefile(both[1].files["light"]["png"], out / "result-light.png")
