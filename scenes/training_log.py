"""The post's training log: ``python -m scenes.training_log``.

Fits the line ``y = w x + b`` to the post's data by gradient descent (``fit_line``, the
same data, start and learning rate as the figures) and prints the loss every 10
iterations exactly as the post's loop does::

    $ python -m scenes.training_log
    Loss at iteration   0: 2.997
    Loss at iteration  10: 1.483
    ...

Options: ``--seed`` (the data), ``--alpha``, ``--iterations``, ``--data linear|parabolic``.
A bad value is echoed and the exit status is 2. A learning rate so large that the loss
grows is a result, not a crash: the log shows it (inf or nan once it overflows, without
floating-point warnings), a note on stderr says so, the exit status is 0.

It lives beside the scenes, not in gdmath: the math core has no command line (it stays
a library of numpy functions); this prints what gdmath computes, as the figures draw it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

import numpy as np

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
    return [f"Loss at iteration {i:3}: {history.loss[i]:0.3f}" for i in range(0, history.iterations, every)]


def run(seed: int = DATA_SEED, alpha: float = ALPHA, iterations: int = ITERATIONS, data: str = "linear") -> FitHistory:
    """The fit the log reports: the named data set with ``seed``, from the figures' start."""
    x, y = DATASETS[data](seed=seed)
    with np.errstate(over="ignore", invalid="ignore"):  # a runaway alpha: inf/nan in the log, no warnings
        return fit_line(x, y, alpha=alpha, iterations=iterations, w0=START_W, b0=START_B)


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scenes.training_log",
        description="Print the post's training log: gradient descent on the MSE of the line y = w x + b.",
    )
    parser.add_argument("--seed", type=_argument(_whole, "seed", "a whole number"), default=DATA_SEED,
                        help=f"seed of the data's noise (default {DATA_SEED})")
    parser.add_argument("--alpha", type=_argument(positive, "alpha"), default=ALPHA,
                        help=f"learning rate, > 0 (default {ALPHA})")
    parser.add_argument("--iterations", type=_argument(_whole, "iterations", "a whole number"), default=ITERATIONS,
                        help=f"number of updates, >= 0 (default {ITERATIONS})")
    parser.add_argument("--data", choices=sorted(DATASETS), default="linear",
                        help="the samples: the post's line or its parabola (default linear)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, fit, print the log; return the exit status (argparse exits 2 on bad input)."""
    args = build_parser().parse_args(argv)
    history = run(args.seed, args.alpha, args.iterations, args.data)
    print("\n".join(log_lines(history)))
    first, last = history.loss[0], history.loss[-1]
    if not np.isfinite(last) or last > first:
        print(f"note: the loss grew from {first:0.3f} to {last:0.3g}: alpha {args.alpha:g} is too large for "
              "this data (it diverged)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
