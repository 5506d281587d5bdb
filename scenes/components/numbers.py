"""Numbers as text for tick labels and readouts: a true minus sign, powers of ten
without LaTeX."""

from __future__ import annotations

import math

MINUS = "\u2212"
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def power_of_ten(exponent: int) -> str:
    """A power of ten as plain text for a tick label (no LaTeX needed).

    >>> power_of_ten(-8), power_of_ten(18)
    ('10⁻⁸', '10¹⁸')
    """
    return "10" + str(int(exponent)).translate(_SUPERSCRIPT)


def number_text(value: float, digits: int | None = None) -> str:
    """A tick label or readout number with a true minus sign: ``digits`` decimals, or
    the shortest form (``g``) when ``digits`` is None.

    >>> number_text(-1.0), number_text(2.5), number_text(-0.04, 2)
    ('−1', '2.5', '−0.04')
    """
    value = (float(value) if digits is None else round(float(value), digits)) + 0.0  # no "−0"
    text = f"{value:g}" if digits is None else f"{value:.{digits}f}"
    return text.replace("-", MINUS)


def sci(value: float, digits: int = 3) -> str:
    """A number for a readout with ``digits`` significant digits: plain from 0.01 up to
    ``10 ** digits``, else ``m × 10ᵏ``; a true minus sign.

    >>> sci(0.74681), sci(4.5), sci(291.9), sci(291.9, 2), sci(1.0187e18), sci(-6.4e8, 2), sci(0.0)
    ('0.747', '4.5', '292', '2.9 × 10²', '1.02 × 10¹⁸', '−6.4 × 10⁸', '0')
    """
    value = float(value)
    if value == 0 or not math.isfinite(value):
        text = f"{value:g}"
    elif 1e-2 <= abs(value) < 10.0**digits:
        text = f"{value:.{digits}g}"
    else:
        mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
        text = f"{mantissa} × {power_of_ten(int(exponent))}"
    return text.replace("-", MINUS)
