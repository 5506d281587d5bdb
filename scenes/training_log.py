"""The post's training log: ``python -m scenes.training_log``.

Fits the line ``y = w x + b`` to the post's data by gradient descent (``fit_line``, the
same data, start and learning rate as the figures) and prints the loss every 10
iterations exactly as the post's loop does::

    $ python -m scenes.training_log
    Loss at iteration   0: 2.997
    Loss at iteration  10: 1.483
    ...

Options: ``--seed`` (the data), ``--alpha`` (a number, or ``auto``: ``gdmath.auto_alpha``
of the data), ``--iterations``, ``--data linear|parabolic|PATH`` (the post's line, its
parabola, or a CSV file of your own, see docs/data-files.md) and, for a file, ``--x NAME
--y NAME`` (its columns). A bad value or a bad file is echoed and the exit status is 2.
A learning rate so large that the loss grows is a result, not a crash: the log shows it
(``diverged`` once the fit passes ``gdmath.VALUE_LIMIT`` and freezes, without
floating-point warnings), a note on stderr says so and what step size the data allows,
the exit status is 0::

    $ python -m scenes.training_log --data examples/house_prices.csv --alpha auto

It lives beside the scenes, not in gdmath: the math core has no command line (it stays
a library of numpy functions); this prints what gdmath computes, as the figures draw it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

import numpy as np

import gdmath
from gdmath._checks import count, positive
from gdmath.regression import (
    ALPHA,
    DATA_SEED,
    ITERATIONS,
    START_B,
    START_W,
    FitHistory,
    fit_line,
    make_linear_data,
    make_parabolic_data,
)

#: The post prints the loss every this many iterations.
LOG_EVERY = 10

DATASETS: dict[str, Callable[..., tuple[np.ndarray, np.ndarray]]] = {
    "linear": make_linear_data,
    "parabolic": make_parabolic_data,
}


def log_lines(history: FitHistory, every: int = LOG_EVERY) -> list[str]:
    """The post's log of a fit: the loss of every ``every``-th iteration, before its update.

    >>> x, y = make_linear_data()
    >>> log_lines(fit_line(x, y))[0]
    'Loss at iteration   0: 2.997'
    """
    every = count(every, "every", minimum=1)
    return [f"Loss at iteration {i:3}: {_loss(history, i)}" for i in range(0, history.iterations, every)]


def _loss(history: FitHistory, i: int) -> str:
    if 0 <= history.frozen_at < i:
        return f"diverged (the loss passed {gdmath.VALUE_LIMIT:g} at iteration {history.frozen_at})"
    return f"{history.loss[i]:0.3f}"


def samples(data: str = "linear", seed: int = DATA_SEED, x: str | None = None, y: str | None = None):
    """``(x, y)`` ``(n,)`` each: the post's named data set with ``seed``, or the columns of
    the CSV file at the path ``data`` (``ValueError`` naming file, row and column)."""
    if data in DATASETS:
        if x is not None or y is not None:
            raise ValueError("--x and --y choose the columns of a data file: give --data PATH")
        return DATASETS[data](seed=seed)
    read = gdmath.read_samples(data, x, y)
    return read.x, read.y


def run(seed: int = DATA_SEED, alpha: float | str = ALPHA, iterations: int = ITERATIONS, data: str = "linear",
        x: str | None = None, y: str | None = None) -> FitHistory:
    """The fit the log reports: the named data set with ``seed`` (or the file ``data``), from
    the figures' start; ``alpha="auto"`` is ``gdmath.auto_alpha`` of the data."""
    xs, ys = samples(data, seed, x, y)
    alpha = gdmath.auto_alpha(xs) if alpha == "auto" else alpha
    return fit_line(xs, ys, alpha=alpha, iterations=iterations, w0=START_W, b0=START_B)


def _argument(check: Callable, name: str, kind: str = "a number") -> Callable[[str], object]:
    """An argparse type: read a number, then validate it with gdmath's checks, so the
    error names the option and echoes the value (``alpha must be finite and > 0, got -1``)."""

    def parse(text: str):
        try:
            return check(_number(text), name)
        except (TypeError, ValueError, OverflowError) as error:
            message = str(error) if str(error).startswith(name) else f"{name} must be {kind}, got {text!r}"
            raise argparse.ArgumentTypeError(message) from None

    return parse


def _number(text: str) -> int | float:
    """``"3"`` -> 3, ``"0.5"`` -> 0.5 (so an error echoes the value as it was typed)."""
    try:
        return int(text)
    except ValueError:
        return float(text)


def _whole(value: float, name: str) -> int:
    return count(value, name)


def _alpha(text: str) -> float | str:
    return "auto" if text.strip().lower() == "auto" else _argument(positive, "alpha", "a number or auto")(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scenes.training_log",
        description="Print the post's training log: gradient descent on the MSE of the line y = w x + b.",
    )
    parser.add_argument("--seed", type=_argument(_whole, "seed", "a whole number"), default=DATA_SEED,
                        help=f"seed of the data's noise (default {DATA_SEED})")
    parser.add_argument("--alpha", type=_alpha, default=ALPHA,
                        help=f"learning rate, > 0, or auto: {gdmath.AUTO_ALPHA_FRACTION:g} of the largest stable "
                             f"step for the data (default {ALPHA})")
    parser.add_argument("--iterations", type=_argument(_whole, "iterations", "a whole number"), default=ITERATIONS,
                        help=f"number of updates, >= 0 (default {ITERATIONS})")
    parser.add_argument("--data", default="linear", metavar="linear|parabolic|PATH",
                        help="the samples: the post's line, its parabola, or a CSV file (default linear)")
    parser.add_argument("--x", default=None, metavar="NAME", help="a data file's x column (default: x, else the first)")
    parser.add_argument("--y", default=None, metavar="NAME", help="a data file's y column (default: y, else the second)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, fit, print the log; return the exit status (argparse exits 2 on bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        xs, _ = samples(args.data, args.seed, args.x, args.y)
        history = run(args.seed, args.alpha, args.iterations, args.data, args.x, args.y)
    except ValueError as error:
        parser.error(f"argument --data: {error}")
    print("\n".join(log_lines(history)))
    first, last = history.loss[0], history.loss[-1]
    if history.diverged:
        print(f"note: the loss grew from {first:0.3f} to {last:0.3g}: alpha {history.alpha:g} is too large for "
              f"this data (it diverged); this data allows alpha < {gdmath.max_stable_alpha(xs):.2g}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
