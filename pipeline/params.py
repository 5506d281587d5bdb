"""Figure parameters: ``--set KEY=VALUE`` parsing (typed by each parameter's default) and
the check of every figure's rules and budgets before anything renders."""

from __future__ import annotations

import dataclasses

from scenes.params import check, run_values


def parse_overrides(pairs: tuple[str, ...], figures: list) -> dict[str, dict]:
    """``("alpha=0.1", ...)`` -> ``{figure name: {"alpha": 0.1}}`` for the figures that
    have that parameter, each value converted to the type of the parameter's default.

    Raises ``ValueError`` for a malformed pair, a key no selected figure has (listing the
    keys they have), or a value of the wrong type.
    """
    per_figure: dict[str, dict] = {f.name: {} for f in figures}
    known: dict[str, list] = {}
    for figure in figures:
        if (params := params_of(figure)) is not None:
            for f in dataclasses.fields(params):
                default, kind = getattr(params, f.name), f.metadata.get("kind")
                if default is None and isinstance(kind, type):  # unset by default: typed by its kind
                    default = kind()
                known.setdefault(f.name, []).append((figure, kind if callable(kind) and not isinstance(kind, type)
                                                     else default))
    given: dict[str, str] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ValueError(f"--set takes key=value, got {pair!r}")
        if key in given:
            raise ValueError(f"{key} is set twice ({given[key]!r}, then {text.strip()!r}): set it once")
        given[key] = text.strip()
        if key not in known:
            names = ", ".join(sorted(known)) or "none"
            raise ValueError(f"unknown parameter {key!r} for {', '.join(f.name for f in figures)}; known: {names}")
        for figure, default in known[key]:
            per_figure[figure.name][key] = _convert(key, text.strip(), default)
    return per_figure


def _convert(key: str, text: str, default):
    """``text`` as the type of ``default``, or read by ``default`` itself when it is a kind
    that reads text (``scenes.params.float_or_auto``: its ValueError says what it takes)."""
    if callable(default) and not isinstance(default, type):
        try:
            return default(text)
        except ValueError as error:
            raise ValueError(f"{key} must be {error}, got {text!r}") from None
    if isinstance(default, tuple):  # e.g. starts=-2.3,-0.4,0.3
        parts = [part.strip() for part in text.split(",")]
        if "" in parts and text:
            raise ValueError(f"{key} has an empty item (item {parts.index('') + 1} of {text!r})")
    try:
        if isinstance(default, bool):
            lowered = text.lower()
            if lowered not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError
            return lowered in ("true", "1", "yes")
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
        if isinstance(default, tuple):
            kind = type(default[0]) if default else float
            return tuple(kind(part) for part in parts if part)
        return type(default)(text)
    except ValueError:
        article = "an" if type(default).__name__[0] in "aeiou" else "a"
        what = "comma-separated numbers" if isinstance(default, tuple) else f"{article} {type(default).__name__}"
        raise ValueError(f"{key} must be {what}, got {text!r}") from None


def effective_params(figure, overrides: dict) -> dict:
    """The figure's parameters with ``overrides`` applied, as plain JSON-able values, as
    the figure runs them (``scenes.params.run_values``: e.g. the optimizer's hyperparameters)."""
    if params_of(figure) is None:
        return {}
    params = dataclasses.replace(params_of(figure), **overrides)
    return {k: _plain(v) for k, v in run_values(params).items()}


def _plain(value):
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value




def params_of(figure):
    """The figure's params dataclass instance (a scene's, or a page builder's ``params``), or None."""
    target = figure.scene if figure.scene is not None else figure.build
    params = getattr(target, "params", None)
    return params if dataclasses.is_dataclass(params) else None


def validation_problems(figures: list, overrides: dict[str, dict]) -> list[str]:
    """``"<figure>: <key> must be ..., got <value>"`` for every broken rule or budget of the
    selected figures with ``overrides`` applied (empty when all hold)."""
    problems = []
    for figure in figures:
        params = params_of(figure)
        if params is not None:
            candidate = dataclasses.replace(params, **overrides.get(figure.name, {}))
            problems.extend(f"{figure.name}: {problem}" for problem in check(candidate))
    return problems
