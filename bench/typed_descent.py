"""Benchmark: descent on a typed function against the hand-written one. A script, not a test.

    .venv/bin/python bench/typed_descent.py

``descend`` with 10,000 starts x 1,000 steps on ``parse_objective("sin(x)*sin(y)", 2)``
and on ``SIN_HILLS`` (the goal: the typed one within 1.5x), both update rules the figures
use most, best of 3 runs each, interleaved so a load change hits both; prints the ratio.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np

import gdmath


def seconds(objective, starts, optimizer) -> float:
    start = time.perf_counter()
    gdmath.descend(objective, starts, optimizer, steps=1000)
    return time.perf_counter() - start


def main() -> None:
    typed = gdmath.parse_objective("sin(x)*sin(y)", 2)
    starts = gdmath.random_starts(10_000, [-np.pi, -np.pi], [np.pi, np.pi], seed=0)
    assert np.allclose(typed.value_and_grad(starts)[1], gdmath.SIN_HILLS.value_and_grad(starts)[1], rtol=1e-12)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    for optimizer in (gdmath.SGD(0.1), gdmath.Adam(0.05)):
        hand, mine = [], []
        for _ in range(3):
            hand.append(seconds(gdmath.SIN_HILLS, starts, optimizer))
            mine.append(seconds(typed, starts, optimizer))
        name = type(optimizer).__name__
        print(
            f"descend {name:<4} 10,000 starts x 1,000 steps  SIN_HILLS {min(hand):6.3f} s  "
            f"typed sin(x)*sin(y) {min(mine):6.3f} s  ratio {min(mine) / min(hand):4.2f} (goal <= 1.5)"
        )


if __name__ == "__main__":
    main()
