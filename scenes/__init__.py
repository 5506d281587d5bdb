"""Manim scenes, one module per section of the post, and the registry of figures.

Each scene module lists its figures in a module-level ``FIGURES``; the registry
collects them from ``SCENE_MODULES`` and orders them as the post shows them
(``ORDER``). A figure is a name (as the CLI and ``media/`` know it), a one-line
description, and either a scene class (``kind`` "video" or "still") or a page
builder (``kind`` "page").
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, fields, replace
from typing import Callable

#: Scene modules, by the post's sections.
SCENE_MODULES = [
    "convex", "minima", "hills", "field", "basins", "regression", "learning_rates", "optimizers", "saddle", "playground",
]

#: The post's order: --all renders and the gallery shows figures in this order.
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

#: The caption the post gives each figure (the gallery's headings).
POST_TITLES = {
    "convex": "Simple Convex Example",
    "minima": "Multiple Minima Example",
    "hills": "Various Hill Descent",
    "field": "Gradient Field with Paths",
    "basins": "Basins of Attraction",
    "playground": "Gradient Playground",
    "linear_data": "True Line and Noisy Points",
    "linear_fit": "Loss Curve for Linear Dataset",
    "parabolic_data": "Parabolic Dataset",
    "parabolic_fit": "Loss Curve for Quadratic Dataset",
    "loss_compare": "Comparison of Losses",
    "lr_small": "Slow and Steady",
    "lr_good": "Adequately Fast",
    "lr_large": "A Bit Unstable",
    "lr_unstable": "Unusable",
    "learning_rates": "Comparing Learning Rates",
    "optimizers": "Comparing Optimizers",
    "saddle": "Escaping a Saddle Point",
    "result": "Example Result Plot",
}

DEFAULT_FIGURE = "hills"


@dataclass(frozen=True)
class Figure:
    """One figure of the post.

    Attributes:
        name: the figure's name in the CLI and in ``media/`` (``NAME.mp4``, ``NAME.png``).
        description: one line, used in listings, the gallery caption and alt text.
        scene: the manim scene class (for "video" and "still").
        kind: "video" (mp4 + poster), "still" (png only) or "page" (an html file).
        build: for a "page", ``build() -> str`` returns its HTML (the pipeline writes it
            atomically as ``NAME.html``: scenes never write files).
    """

    name: str
    description: str
    scene: type | None = None
    kind: str = "video"
    build: Callable | None = None


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


def _module_exists(name: str) -> bool:
    return importlib.util.find_spec(f"scenes.{name}") is not None


def _registry() -> dict[str, Figure]:
    figures: list[Figure] = []
    for module in SCENE_MODULES:
        if _module_exists(module):  # a module not written yet; an existing one that fails to import raises
            figures.extend(importlib.import_module(f"scenes.{module}").FIGURES)
    rank = {name: i for i, name in enumerate(ORDER)}
    figures.sort(key=lambda f: rank.get(f.name, len(ORDER)))
    return {f.name: f for f in figures}


REGISTRY: dict[str, Figure] = _registry()
