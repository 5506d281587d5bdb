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
'alpha: finite and > 0; steps: a whole number in [0, 100], and steps x points within a 64 MiB history'

A rule over several fields (which values go together) is a :class:`WholeRule` in the
class's ``whole_rules``; ``check`` runs those after the per-field rules. A params class
may also say how its values read once resolved (``run_values``, e.g. the optimizer's
defaults filled in): :func:`run_values` is what the manifest records.
:class:`OptimizerParams` uses both: ``--set optimizer=adam --set beta1=0.8``.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar

import gdmath

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


@dataclass(frozen=True)
class WholeRule:
    """A rule that sees the whole params: ``problem(params) -> text or None``; it reads
    the fields ``keys`` and runs only once each of those follows its own rule."""

    keys: tuple[str, ...]
    text: str
    problem: Callable[[Any], str | None]


def param(default, rule: Rule, kind: type | Callable | None = None):
    """A dataclass field with ``default`` and its ``rule`` (read back by :func:`check`).
    ``kind`` types a ``--set`` value when the default (None: unset) does not; a kind that
    is not a type (e.g. :func:`float_or_auto`) reads the text itself."""
    metadata = {"rule": rule} if kind is None else {"rule": rule, "kind": kind}
    return field(default=default, metadata=metadata)


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


def fraction() -> Rule:
    """In [0, 1): a decay rate such as beta or rho."""
    return Rule("finite and in [0, 1)", lambda v: _number(v) and 0 <= v < 1)


def optional(rule: Rule) -> Rule:
    """Unset (None) or following ``rule``."""
    return Rule(f"unset or {rule.text}", lambda v: v is None or rule.test(v))


#: The word of a step size chosen from the data (``--set alpha=auto``).
AUTO = "auto"


def float_or_auto(text: str) -> float | str:
    """A ``--set`` kind: a number, or the word ``auto``; ``ValueError`` naming both otherwise.

    >>> float_or_auto("0.5"), float_or_auto(" Auto ")
    (0.5, 'auto')
    """
    if text.strip().lower() == AUTO:
        return AUTO
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"a number or {AUTO}") from None


def positive_or_auto() -> Rule:
    """Finite and > 0, or ``auto`` (the figure picks it from its data)."""
    return Rule(f"finite and > 0, or {AUTO}", lambda v: v == AUTO or (_number(v) and v > 0))


def text(what: str = "some text") -> Rule:
    """Text that is not blank, e.g. a path; ``what`` says what it names."""
    return Rule(what, lambda v: isinstance(v, str) and v.strip() != "")


def data_file_rule(budget: int) -> WholeRule:
    """``data`` (a CSV file, with the columns ``x`` and ``y``) must be one
    ``gdmath.read_samples`` reads, with at most ``budget`` rows: its message names the
    file, the row and the column; ``x`` and ``y`` need ``data``."""

    def problem(params) -> str | None:
        if params.data is None:
            given = [key for key in ("x", "y") if getattr(params, key) is not None]
            return f"{' and '.join(given)} choose columns of a data file: set data=PATH too" if given else None
        try:
            gdmath.read_samples(params.data, params.x, params.y, max_rows=budget)
        except ValueError as error:
            return str(error)
        return None

    return WholeRule(("data", "x", "y"), f"data, x, y: a file gdmath.read_samples reads, at most {budget:,} rows, "
                     "with those columns (checked before anything renders)", problem)


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


@dataclass(frozen=True)
class ExplainedRule(Rule):
    """A rule whose check says what is wrong: ``explain(value) -> message or None``; its
    problem reads ``"key: message"`` (the parser's own words, e.g. for a typed function)."""

    explain: Callable[[Any], str | None] = lambda value: None

    def problem(self, key: str, value) -> str | None:
        message = self.explain(value)
        return None if message is None else f"{key}: {message}"


def typed_function(dim: int) -> ExplainedRule:
    """Unset (the figure's own function) or a function of x (``dim`` 1) or x and y (2) that
    :func:`gdmath.parse_objective` accepts; the problem is the parser's message."""
    variables = "x" if dim == 1 else "x and y"

    def explain(value) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            return f"must be text, got {_show(value)}"
        try:
            parsed_function(value, dim)
        except ValueError as error:
            return str(error)
        return None

    return ExplainedRule(f"unset (the post's function) or a function of {variables} (see --help)",
                         lambda v: explain(v) is None, explain)


@functools.lru_cache(maxsize=64)
def parsed_function(text: str, dim: int) -> gdmath.Objective:
    """``gdmath.parse_objective``, once per text (the rule and the figure both ask)."""
    return gdmath.parse_objective(text, dim)


def _show(value) -> str:
    if isinstance(value, tuple):
        return ",".join(f"{v:g}" if _number(v) else str(v) for v in value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def rules_of(params_class) -> dict[str, Rule]:
    """Each field's rule, by field name (fields without one are left out)."""
    return {f.name: f.metadata["rule"] for f in dataclasses.fields(params_class) if "rule" in f.metadata}


GRID_KEYS = ("map_pixels", "surface_resolution", "contour_grid", "arrows_per_side")
HISTORY_KEYS = ("steps", "n_points", "starts")


def rules_text(params_class) -> str:
    """One line: ``key: rule; ...`` with the budgets beside the ranges they narrow, and the
    whole-params rules (what ``render.py --list`` prints).

    >>> @dataclass(frozen=True)
    ... class P:
    ...     map_pixels: int = param(360, whole(2, 2000))
    ...     steps: int = param(80, whole(1, 10_000))
    >>> rules_text(P)
    'map_pixels: a whole number in [2, 2000], and at most 1000 (a budget of 1,000,000 grid cells); steps: a whole number in [1, 10000], and steps x points within a 64 MiB history'
    """
    side = math.isqrt(GRID_BUDGET_CELLS)
    texts = []
    for key, rule in rules_of(params_class).items():
        text = f"{key}: {rule.text}"
        if key in GRID_KEYS:
            text += f", and at most {side} (a budget of {GRID_BUDGET_CELLS:,} grid cells)"
        elif key == "steps":
            text += f", and steps x points within a {HISTORY_BUDGET_BYTES // 2**20} MiB history"
        texts.append(text)
    return "; ".join(texts + [rule.text for rule in getattr(params_class, "whole_rules", ())])


def run_values(params) -> dict:
    """The values as the figure runs them (``params.run_values()`` when the class says so,
    else every field), e.g. for the manifest."""
    hook = getattr(params, "run_values", None)
    return hook() if callable(hook) else dataclasses.asdict(params)


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
    for key in GRID_KEYS:
        side = values.get(key)
        if isinstance(side, int) and side * side > GRID_BUDGET_CELLS:
            problems.append(f"{key} = {side} needs {side * side:,} grid cells, over the {GRID_BUDGET_CELLS:,} budget")
    return problems


def check(params) -> list[str]:
    """Every broken rule and budget of a params instance, as ``"key must be ..., got value"``."""
    broken = {
        key: problem
        for key, rule in rules_of(type(params)).items()
        if (problem := rule.problem(key, getattr(params, key))) is not None
    }
    problems = list(broken.values())
    for rule in getattr(type(params), "whole_rules", ()):
        if not broken.keys() & set(rule.keys) and (problem := rule.problem(params)) is not None:
            problems.append(problem)
    return problems + budget_problems(params)


# --- the optimizer of a descent figure ------------------------------------------------------
HYPERPARAMETERS = ("beta", "beta1", "beta2", "rho", "eps")


def _foreign_hyperparameters(params) -> str | None:
    """A hyperparameter set that the chosen optimizer does not take, with the choices."""
    own = gdmath.hyperparameter_names(params.optimizer)
    foreign = [key for key in HYPERPARAMETERS if getattr(params, key) is not None and key not in own]
    if not foreign:
        return None
    takes = ", ".join(("alpha", *own))
    return (f"{', '.join(foreign)} is not a hyperparameter of {params.optimizer} (it takes {takes}); "
            f"choices: {gdmath.optimizer_choices()}")


@dataclass(frozen=True)
class OptimizerParams:
    """The update rule of a descent figure (a base of its params): ``optimizer`` names
    one of ``gdmath.OPTIMIZERS``; ``beta``, ``beta1``, ``beta2``, ``rho`` and ``eps`` stay
    unset (the rule's defaults) unless that rule takes them; ``alpha`` is the figure's.

    >>> @dataclass(frozen=True)
    ... class P(OptimizerParams):
    ...     alpha: float = param(0.1, positive())
    >>> check(P(optimizer="adam", rho=0.9))[0][:39]
    'rho is not a hyperparameter of adam (it'
    >>> optimizer_of(P(optimizer="momentum", beta=0.5))
    Momentum(alpha=0.1, beta=0.5)
    >>> run_values(P(optimizer="rmsprop"))
    {'optimizer': 'rmsprop', 'alpha': 0.1, 'rho': 0.9, 'eps': 1e-08}
    """

    optimizer: str = param("sgd", choice(*gdmath.OPTIMIZERS))
    beta: float | None = param(None, optional(fraction()), kind=float)
    beta1: float | None = param(None, optional(fraction()), kind=float)
    beta2: float | None = param(None, optional(fraction()), kind=float)
    rho: float | None = param(None, optional(fraction()), kind=float)
    eps: float | None = param(None, optional(positive()), kind=float)

    whole_rules: ClassVar[tuple[WholeRule, ...]] = (
        WholeRule(("optimizer", *HYPERPARAMETERS), "beta, beta1, beta2, rho, eps: only those the optimizer takes",
                  _foreign_hyperparameters),
    )

    def run_values(self) -> dict:
        """Every field, with the optimizer's hyperparameters as they run (defaults filled
        in) and those it does not take left out."""
        values = {k: v for k, v in dataclasses.asdict(self).items() if k not in HYPERPARAMETERS}
        values.update(optimizer_of(self).hyperparameters)
        return values


def optimizer_of(params):
    """The gdmath update rule that ``params`` (an :class:`OptimizerParams` with ``alpha``) names."""
    hyper = {key: getattr(params, key) for key in HYPERPARAMETERS if getattr(params, key) is not None}
    return gdmath.make_optimizer(params.optimizer, params.alpha, **hyper)


def optimizer_lines(optimizer) -> list[str] | None:
    """What a figure says about its update rule, a line each: its name, then alpha and
    its hyperparameters (``eps`` only when not the default); None for plain SGD, the
    post's own descent, which the figures leave unnamed as before.

    >>> optimizer_lines(gdmath.Adam(0.1))
    ['Adam', 'alpha 0.1', 'beta1 0.9', 'beta2 0.999']
    >>> optimizer_lines(gdmath.SGD(0.1)) is None
    True
    """
    if isinstance(optimizer, gdmath.SGD):
        return None
    default_eps = type(optimizer)(optimizer.alpha).hyperparameters.get("eps")
    shown = {k: v for k, v in optimizer.hyperparameters.items() if k != "eps" or v != default_eps}
    return [optimizer.name, *(f"{k} {v:g}" for k, v in shown.items())]


def optimizer_note(params) -> str:
    """What a description adds after the step size: ``" (Adam, beta1 0.9, beta2 0.999)"``,
    or nothing for plain SGD.

    (Tested through the figures' descriptions.)
    """
    lines = optimizer_lines(optimizer_of(params))
    return "" if lines is None else f" ({', '.join([lines[0], *lines[2:]])})"


def optimizer_text(optimizer) -> str | None:
    """The same on one line: ``"Momentum (alpha 0.03, beta 0.8)"``; None for plain SGD.

    >>> optimizer_text(gdmath.Momentum(0.03, beta=0.8))
    'Momentum (alpha 0.03, beta 0.8)'
    """
    lines = optimizer_lines(optimizer)
    return None if lines is None else f"{lines[0]} ({', '.join(lines[1:])})"
