"""Update rules for gradient descent, each a small frozen dataclass.

Every rule works on all starts at once: ``p``, ``g`` and every state array have shape
``(n, d)`` and every operation is per coordinate. A state starts at zero and ``t``
counts updates from 1. ``g`` is the gradient at the current point.

- :class:`SGD`: ``p <- p - alpha g``
- :class:`Momentum` (heavy ball, as ``torch.optim.SGD`` with momentum):
  ``v <- beta v + g``; ``p <- p - alpha v``
- :class:`Nesterov` (as ``torch.optim.SGD`` with ``nesterov=True``):
  ``v <- beta v + g``; ``p <- p - alpha (g + beta v)``
- :class:`RMSProp`: ``s <- rho s + (1 - rho) g^2``; ``p <- p - alpha g / (sqrt(s) + eps)``
- :class:`Adam` (Kingma and Ba, Algorithm 1): ``m <- beta1 m + (1 - beta1) g``;
  ``s <- beta2 s + (1 - beta2) g^2``;
  ``p <- p - alpha (m / (1 - beta1^t)) / (sqrt(s / (1 - beta2^t)) + eps)``

:func:`gdmath.descend` runs any of them. ``step`` writes the new point into ``out`` and
updates the state in place (the state of a point that :func:`~gdmath.descend` froze is
never read again).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from ._checks import positive


def _alpha(value) -> float:
    return positive(value, "alpha")


def _decay(value, name: str) -> float:
    value = float(value)
    if not (0.0 <= value < 1.0):  # False for NaN too
        raise ValueError(f"{name} must be in [0, 1), got {value:g}")
    return value


def _eps(value) -> float:
    return positive(value, "eps")


class _Rule:
    """What every update rule shares: its name and hyperparameters, for titles and manifests."""

    name = "rule"

    @property
    def hyperparameters(self) -> dict[str, float]:
        """``{"alpha": ..., ...}`` in the order of the constructor.

        >>> Adam(0.1).hyperparameters
        {'alpha': 0.1, 'beta1': 0.9, 'beta2': 0.999, 'eps': 1e-08}
        """
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def describe(self) -> str:
        """``"Adam(alpha=0.1, beta1=0.9, beta2=0.999, eps=1e-08)"``, every value with ``:g``."""
        inner = ", ".join(f"{k}={v:g}" for k, v in self.hyperparameters.items())
        return f"{type(self).__name__}({inner})"


@dataclass(frozen=True)
class SGD(_Rule):
    """Plain gradient descent: ``p <- p - alpha g``.

    >>> SGD(0.1)
    SGD(alpha=0.1)
    >>> SGD(0)
    Traceback (most recent call last):
    ...
    ValueError: alpha must be finite and > 0, got 0
    """

    alpha: float
    name = "SGD"

    def __post_init__(self) -> None:
        object.__setattr__(self, "alpha", _alpha(self.alpha))

    def start(self, shape: tuple[int, ...]) -> tuple:
        return ()

    def step(self, p: np.ndarray, g: np.ndarray, state: tuple, t: int, out: np.ndarray) -> None:
        np.multiply(g, -self.alpha, out=out)
        out += p


@dataclass(frozen=True)
class Momentum(_Rule):
    """Heavy ball, as ``torch.optim.SGD(momentum=beta)``: ``v <- beta v + g``; ``p <- p - alpha v``.

    >>> Momentum(0.1, beta=1.0)
    Traceback (most recent call last):
    ...
    ValueError: beta must be in [0, 1), got 1
    """

    alpha: float
    beta: float = 0.9
    name = "Momentum"

    def __post_init__(self) -> None:
        object.__setattr__(self, "alpha", _alpha(self.alpha))
        object.__setattr__(self, "beta", _decay(self.beta, "beta"))

    def start(self, shape: tuple[int, ...]) -> tuple:
        return (np.zeros(shape),)

    def step(self, p, g, state, t, out) -> None:
        (v,) = state
        v *= self.beta
        v += g
        np.multiply(v, -self.alpha, out=out)
        out += p


@dataclass(frozen=True)
class Nesterov(Momentum):
    """Nesterov momentum, as ``torch.optim.SGD(momentum=beta, nesterov=True)``:
    ``v <- beta v + g``; ``p <- p - alpha (g + beta v)``. Momentum's fields, checks and
    state; only the step differs.

    >>> Nesterov(0.1).beta
    0.9
    """

    name = "Nesterov"

    def step(self, p, g, state, t, out) -> None:
        (v,) = state
        v *= self.beta
        v += g
        np.multiply(v, self.beta, out=out)
        out += g
        out *= -self.alpha
        out += p


@dataclass(frozen=True)
class RMSProp(_Rule):
    """``s <- rho s + (1 - rho) g^2``; ``p <- p - alpha g / (sqrt(s) + eps)``.

    >>> RMSProp(0.01, rho=-0.1)
    Traceback (most recent call last):
    ...
    ValueError: rho must be in [0, 1), got -0.1
    """

    alpha: float
    rho: float = 0.9
    eps: float = 1e-8
    name = "RMSProp"

    def __post_init__(self) -> None:
        object.__setattr__(self, "alpha", _alpha(self.alpha))
        object.__setattr__(self, "rho", _decay(self.rho, "rho"))
        object.__setattr__(self, "eps", _eps(self.eps))

    def start(self, shape: tuple[int, ...]) -> tuple:
        return (np.zeros(shape), np.empty(shape))

    def step(self, p, g, state, t, out) -> None:
        s, scratch = state
        s *= self.rho
        np.multiply(g, g, out=scratch)
        scratch *= 1.0 - self.rho
        s += scratch
        np.sqrt(s, out=scratch)
        scratch += self.eps
        np.divide(g, scratch, out=out)
        out *= -self.alpha
        out += p


@dataclass(frozen=True)
class Adam(_Rule):
    """Kingma and Ba's Adam (Algorithm 1) with bias correction.

    ``m <- beta1 m + (1 - beta1) g``; ``s <- beta2 s + (1 - beta2) g^2``;
    ``p <- p - alpha (m / (1 - beta1^t)) / (sqrt(s / (1 - beta2^t)) + eps)``.
    Its first step moves every coordinate with a non-zero gradient by about ``alpha``.

    >>> Adam(0.1, beta2=float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: beta2 must be in [0, 1), got nan
    """

    alpha: float
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    name = "Adam"

    def __post_init__(self) -> None:
        object.__setattr__(self, "alpha", _alpha(self.alpha))
        object.__setattr__(self, "beta1", _decay(self.beta1, "beta1"))
        object.__setattr__(self, "beta2", _decay(self.beta2, "beta2"))
        object.__setattr__(self, "eps", _eps(self.eps))

    def start(self, shape: tuple[int, ...]) -> tuple:
        return (np.zeros(shape), np.zeros(shape), np.empty(shape))

    def step(self, p, g, state, t, out) -> None:
        m, s, scratch = state
        m *= self.beta1
        np.multiply(g, 1.0 - self.beta1, out=scratch)
        m += scratch
        s *= self.beta2
        np.multiply(g, g, out=scratch)
        scratch *= 1.0 - self.beta2
        s += scratch
        # denominator: sqrt(s / (1 - beta2^t)) + eps
        np.multiply(s, 1.0 / (1.0 - self.beta2**t), out=scratch)
        np.sqrt(scratch, out=scratch)
        scratch += self.eps
        np.divide(m, scratch, out=out)
        out *= -self.alpha / (1.0 - self.beta1**t)
        out += p


#: The rules by lower-case name, as a command line would name them.
OPTIMIZERS = {cls.__name__.lower(): cls for cls in (SGD, Momentum, Nesterov, RMSProp, Adam)}


def hyperparameter_names(name: str) -> tuple[str, ...]:
    """The hyperparameters besides ``alpha`` that the rule called ``name`` takes.

    >>> hyperparameter_names("adam")
    ('beta1', 'beta2', 'eps')
    >>> hyperparameter_names("sgd")
    ()
    """
    return tuple(f.name for f in fields(_rule_class(name)) if f.name != "alpha")


def optimizer_choices() -> str:
    """Every rule with what it takes, for messages.

    >>> optimizer_choices()
    'sgd (alpha), momentum (alpha, beta), nesterov (alpha, beta), rmsprop (alpha, rho, eps), adam (alpha, beta1, beta2, eps)'
    """
    return ", ".join(f"{name} ({', '.join(('alpha', *hyperparameter_names(name)))})" for name in OPTIMIZERS)


def make_optimizer(name: str, alpha: float, **hyperparameters):
    """The rule called ``name`` (a key of :data:`OPTIMIZERS`) with ``alpha`` and any of its
    own hyperparameters; those not given keep the rule's defaults.

    Raises ``ValueError`` for an unknown name or a hyperparameter the rule does not
    have (both listing the choices), and for a bad value (naming it).

    >>> make_optimizer("momentum", 0.1, beta=0.95)
    Momentum(alpha=0.1, beta=0.95)
    >>> make_optimizer("adam", 0.1, rho=0.9)
    Traceback (most recent call last):
    ...
    ValueError: adam has no hyperparameter rho (it takes alpha, beta1, beta2, eps); choices: sgd (alpha), momentum (alpha, beta), nesterov (alpha, beta), rmsprop (alpha, rho, eps), adam (alpha, beta1, beta2, eps)
    """
    rule = _rule_class(name)
    own = hyperparameter_names(name)
    foreign = [key for key in hyperparameters if key not in own]
    if foreign:
        raise ValueError(
            f"{name} has no hyperparameter {', '.join(foreign)} (it takes {', '.join(('alpha', *own))}); "
            f"choices: {optimizer_choices()}"
        )
    return rule(alpha, **hyperparameters)


def _rule_class(name: str) -> type:
    if name not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, got {name!r}")
    return OPTIMIZERS[name]
