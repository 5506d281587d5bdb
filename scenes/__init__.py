"""Manim scenes, one module per section of the post, and the registry of figures.

A figure is declared once, in its module, by decorating its scene class (or, for a page,
its builder) with :func:`figure`::

    @figure("hills", title="Various Hill Descent",
            description="Random starts descend sin x sin y: the 3-D surface and the top view.")
    class HillsScene(DescentScene, ThreeDScene):
        params = HillsParams()
        ...

The registry (``REGISTRY``: name -> :class:`Figure`) is found by importing every module of
this package. ``ORDER`` is the post's order of its own figures (``--all`` and the gallery
follow it); a figure that is not in it (one beyond the post) comes after them, in the
order the modules and their declarations are found.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, fields, replace
from typing import Callable

#: The post's order of its figures: --all renders and the gallery shows them in this order.
ORDER = [
    "convex",
    "minima",
    "hills",
    "field",
    "basins",
    "playground",
    "linear_data",
    "linear_fit",
    "parabolic_data",
    "parabolic_fit",
    "loss_compare",
    "lr_small",
    "lr_good",
    "lr_large",
    "lr_unstable",
    "learning_rates",
    "optimizers",
    "saddle",
    "result",
]

DEFAULT_FIGURE = "hills"
KINDS = ("video", "still", "page")


@dataclass(frozen=True)
class Figure:
    """One figure.

    Attributes:
        name: the figure's name in the CLI and in ``media/`` (``NAME.mp4``, ``NAME.png``).
        description: one line, used in listings, the gallery caption and alt text.
        scene: the manim scene class (for "video" and "still").
        kind: "video" (mp4 + poster), "still" (png only) or "page" (an html file).
        build: for a "page", ``build() -> str`` returns its HTML (the pipeline writes it
            atomically as ``NAME.html``: scenes never write files).
        title: the caption the post gives it (the gallery's heading; the scene's heading);
            the name when none is given.
    """

    name: str
    description: str
    scene: type | None = None
    kind: str = "video"
    build: Callable | None = None
    title: str = ""

    def __post_init__(self) -> None:
        if not self.title:
            object.__setattr__(self, "title", self.name)


_DECLARED: list[Figure] = []


def figure(name: str, title: str, description: str, kind: str = "video") -> Callable:
    """Declare the decorated scene class (or page builder, ``kind="page"``) as figure ``name``.

    A scene class gets ``figure_name`` and ``title`` as class attributes (its heading
    reads ``self.title``). A name declared twice is an error.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")

    def declare(target):
        if any(f.name == name for f in _DECLARED):
            raise ValueError(f"figure {name!r} is declared twice")
        if kind == "page":
            _DECLARED.append(Figure(name, description, kind=kind, build=target, title=title))
        else:
            target.figure_name = name
            target.title = title
            _DECLARED.append(Figure(name, description, target, kind, title=title))
        return target

    return declare


def with_params(scene: type, **overrides) -> type:
    """A subclass of ``scene`` whose ``params`` dataclass has ``overrides`` applied.

    Unknown names raise ``ValueError`` listing the known ones.

    >>> from scenes.hills import HillsScene
    >>> with_params(HillsScene, steps=5).params.steps
    5
    """
    known = [f.name for f in fields(scene.params)]
    unknown = sorted(set(overrides) - set(known))
    if unknown:
        raise ValueError(f"unknown parameter {', '.join(unknown)} for {scene.__name__}; known: {', '.join(known)}")
    return type(scene.__name__, (scene,), {"params": replace(scene.params, **overrides)})


def _registry() -> dict[str, Figure]:
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
    rank = {name: i for i, name in enumerate(ORDER)}
    found = sorted(enumerate(_DECLARED), key=lambda pair: (rank.get(pair[1].name, len(ORDER)), pair[0]))
    return {f.name: f for _, f in found}


REGISTRY: dict[str, Figure] = _registry()
