"""Parameter rules, declared next to each figure's defaults.

A figure's ``params`` dataclass gives every field its default and its rule::

    @dataclass(frozen=True)
    class ConvexParams:
        alpha: float = param(0.2, positive())
        steps: int = param(12, whole(1, 10_000))

``check(params)`` lists what breaks the rules (and the memory budget) without
building anything, so a command line can refuse bad values before any render.

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class P:
...     alpha: float = param(0.1, positive())
...     steps: int = param(5, whole(0, 100))
>>> check(P(alpha=float("inf"), steps=-1))
['alpha must be finite and > 0, got inf', 'steps must be a whole number in [0, 100], got -1']
>>> check(P(steps=100)) == []
True
>>> rules_text(P)
'alpha: finite and > 0; steps: a whole number in [0, 100]'
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, Callable

#: A figure may hold at most this much descent history (steps + 1) x points x (coordinates + value).
HISTORY_BUDGET_BYTES = 64 * 2**20
#: ... and sample at most this many grid cells (map pixels, surface faces, arrows, contour nodes).
GRID_BUDGET_CELLS = 1_000_000


@dataclass(frozen=True)
class Rule:
    """``test(value) -> bool`` and the words for it ("finite and > 0")."""

    text: str
    test: Callable[[Any], bool]

    def problem(self, key: str, value) -> str | None:
        try:
            ok = self.test(value)
        except (TypeError, ValueError):
            ok = False
        return None if ok else f"{key} must be {self.text}, got {_show(value)}"


def param(default, rule: Rule):
    """A dataclass field with ``default`` and its ``rule`` (read back by :func:`check`)."""
    return field(default=default, metadata={"rule": rule})


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def positive() -> Rule:
    return Rule("finite and > 0", lambda v: _number(v) and v > 0)


def finite() -> Rule:
    return Rule("a finite number", _number)


def between(low: float, high: float) -> Rule:
    return Rule(f"finite and in [{low:g}, {high:g}]", lambda v: _number(v) and low <= v <= high)


def whole(low: int, high: int) -> Rule:
    return Rule(f"a whole number in [{low}, {high}]",
                lambda v: isinstance(v, int) and not isinstance(v, bool) and low <= v <= high)


def choice(*options) -> Rule:
    return Rule("one of " + ", ".join(map(str, options)), lambda v: v in options)


def each(rule: Rule, length: int | None = None, at_least: int = 1) -> Rule:
    """A tuple whose every item follows ``rule`` (``length`` items exactly, or at least ``at_least``)."""
    size = f"{length}" if length is not None else f"{at_least} or more"
    return Rule(
        f"{size} comma-separated numbers, each {rule.text}",
        lambda v: isinstance(v, tuple)
        and (len(v) == length if length is not None else len(v) >= at_least)
        and all(rule.test(item) for item in v),
    )


def increasing(length: int) -> Rule:
    """A ``(low, high[, ...])`` range: finite numbers with low < high."""
    return Rule(f"{length} finite numbers, the first below the second",
                lambda v: isinstance(v, tuple) and len(v) == length and all(map(_number, v)) and v[0] < v[1])


def _show(value) -> str:
    if isinstance(value, tuple):
        return ",".join(f"{v:g}" if _number(v) else str(v) for v in value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def rules_of(params_class) -> dict[str, Rule]:
    """Each field's rule, by field name (fields without one are left out)."""
    return {f.name: f.metadata["rule"] for f in dataclasses.fields(params_class) if "rule" in f.metadata}


def rules_text(params_class) -> str:
    """One line: ``key: rule; ...`` (what ``render.py --list`` prints)."""
    return "; ".join(f"{key}: {rule.text}" for key, rule in rules_of(params_class).items())


def budget_problems(params) -> list[str]:
    """Sizes beyond the budgets, each with its estimate (read from the usual field names)."""
    values = dataclasses.asdict(params)
    problems = []
    points = values.get("n_points") or len(values.get("starts") or ()) or 1
    if isinstance(values.get("steps"), int) and isinstance(points, int):
        history = (values["steps"] + 1) * points * 3 * 8
        if history > HISTORY_BUDGET_BYTES:
            problems.append(
                f"steps x points needs a {history / 2**20:,.0f} MiB history ({values['steps']} steps x {points} points), "
                f"over the {HISTORY_BUDGET_BYTES // 2**20} MiB budget"
            )
    for key in ("map_pixels", "surface_resolution", "contour_grid", "arrows_per_side"):
        side = values.get(key)
        if isinstance(side, int) and side * side > GRID_BUDGET_CELLS:
            problems.append(f"{key} = {side} needs {side * side:,} grid cells, over the {GRID_BUDGET_CELLS:,} budget")
    return problems


def check(params) -> list[str]:
    """Every broken rule and budget of a params instance, as ``"key must be ..., got value"``."""
    problems = [
        problem
        for key, rule in rules_of(type(params)).items()
        if (problem := rule.problem(key, getattr(params, key))) is not None
    ]
    return problems + budget_problems(params)
