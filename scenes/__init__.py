"""Manim scenes, one module per section of the post, and the registry of figures.

The registry maps a figure's name (as the CLI and ``media/`` know it) to its scene
class and a one-line description, in the post's order.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Figure:
    """One figure of the post."""

    name: str
    scene: type
    description: str


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
