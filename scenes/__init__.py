"""Manim scenes, one module per section of the post, and the registry of figures.

The registry maps a figure's name (as the CLI and ``media/`` know it) to its scene
class and a one-line description, in the post's order.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One figure of the post."""

    name: str
    scene: type
    description: str


def _registry() -> dict[str, Figure]:
    from scenes.hills import HillsScene

    figures = [
        Figure(
            "hills",
            HillsScene,
            "Random starts descend sin x sin y: the 3-D surface and the top-down view of the same paths.",
        ),
    ]
    return {f.name: f for f in figures}


REGISTRY: dict[str, Figure] = _registry()
DEFAULT_FIGURE = "hills"
