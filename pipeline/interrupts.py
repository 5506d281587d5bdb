"""SIGTERM unwinds like Ctrl-C, and an interruption is never lost.

Python runs a signal handler between bytecodes of whatever is executing, and an exception
raised there inside a weakref callback or a ``__del__`` is printed ("Exception ignored
in ...") and dropped: the render would go on and publish. So the handler also notes the
signal, and ``check()`` raises again at the points that matter (before publishing, after
each job).
"""

from __future__ import annotations

import signal

_received: list[int] = []


def raise_interrupt(signum, frame) -> None:
    """The handler: note the signal, then raise KeyboardInterrupt."""
    _received.append(signum)
    raise KeyboardInterrupt(f"signal {signum}")


def install() -> None:
    """Make SIGTERM (and SIGINT) raise KeyboardInterrupt in this process, noting it."""
    _received.clear()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, raise_interrupt)


def received() -> bool:
    """Whether this process was interrupted since ``install()``."""
    return bool(_received)


def check() -> None:
    """Raise KeyboardInterrupt if an interruption was received (even one whose raise was swallowed)."""
    if _received:
        raise KeyboardInterrupt(f"signal {_received[0]}")


def forget() -> None:
    """Forget a received interruption (for a process that goes on after handling one: tests)."""
    _received.clear()
