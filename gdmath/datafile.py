"""A user's own data: two numeric columns of a CSV file, read and checked at the edge.

The file is data, never code: it is read with the standard library's ``csv`` module,
every cell is converted with ``float`` alone, and every problem raises ``ValueError``
naming the file, and where it applies the row (the file's line number) and the column,
before anything is drawn. Comma, tab and semicolon separated files are recognised; a
first row none of whose cells is a number is the header.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> (folder / "heights.csv").write_text("age;height\\n4;102\\n6;115\\n8;128\\n")
29
>>> data = read_samples(folder / "heights.csv")
>>> data.x, data.y, (data.x_name, data.y_name), data.delimiter
(array([4., 6., 8.]), array([102., 115., 128.]), ('age', 'height'), ';')
"""

from __future__ import annotations

import csv
import hashlib
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: The delimiters recognised, in the order ties are broken.
DELIMITERS = (",", "\t", ";")
#: A data file may be at most this large (read whole, so its hash covers what is drawn).
MAX_FILE_BYTES = 16 * 2**20
#: Rows read unless the caller sets its own budget.
MAX_ROWS = 100_000


@dataclass(frozen=True)
class Samples:
    """Two columns of a data file: ``x`` and ``y``, ``(n,)`` floats each, and where they came from."""

    x: np.ndarray
    y: np.ndarray
    x_name: str
    y_name: str
    file_name: str
    sha256: str  # of the file's bytes: what a cache key covers
    delimiter: str
    header: bool


def read_samples(path, x: str | None = None, y: str | None = None, max_rows: int = MAX_ROWS) -> Samples:
    """Read columns ``x`` and ``y`` (by header name) of the CSV file at ``path``.

    Without names: the columns named ``x`` and ``y`` if the header has them, else the first
    two numeric columns. At least two rows, at most ``max_rows``; every cell a finite number;
    not every ``x`` equal (a line needs a slope).
    """
    path = Path(path)
    name = path.name
    raw = _read_bytes(path, name)
    text = _decode(raw, name)
    if not text.strip():
        raise ValueError(f"{name}: the file is empty")
    delimiter = _delimiter(text)
    rows = [(number, row) for number, row in _rows(text, delimiter, name) if any(cell.strip() for cell in row)]
    header = rows and not any(_is_number(cell) for cell in rows[0][1])
    names = [cell.strip() for cell in rows[0][1]] if header else [str(i + 1) for i in range(len(rows[0][1]))]
    body = rows[1:] if header else rows
    if not body:
        raise ValueError(f"{name}: no data rows{' under the header' if header else ''}")
    if len(body) < 2:
        raise ValueError(f"{name}: only one data row (row {body[0][0]}); a line needs at least two samples")
    if len(body) > max_rows:
        raise ValueError(f"{name}: {len(body):,} data rows, over the budget of {max_rows:,}")
    x_index, y_index = _columns(names, header, x, y, body[0][1], name)
    xs = _column(body, x_index, names[x_index], name)
    ys = _column(body, y_index, names[y_index], name)
    if np.all(xs == xs[0]):
        raise ValueError(f"{name}: every x ({names[x_index]!r}) is {xs[0]:g}: no line can be fitted by x")
    return Samples(xs, ys, names[x_index], names[y_index], name, hashlib.sha256(raw).hexdigest(), delimiter,
                   bool(header))


def _read_bytes(path: Path, name: str) -> bytes:
    if not path.exists():
        raise ValueError(f"{name}: no such file ({path})")
    if not path.is_file():
        raise ValueError(f"{name}: not a file ({path})")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ValueError(f"{name}: {size:,} bytes, over the {MAX_FILE_BYTES // 2**20} MiB limit for a data file")
    try:
        return path.read_bytes()
    except OSError as error:
        raise ValueError(f"{name}: cannot be read ({error.strerror})") from error


def _decode(raw: bytes, name: str) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(f"{name}: not a text file (byte {error.start} is not UTF-8)") from error
    if "\x00" in text:
        raise ValueError(f"{name}: not a text file (it holds NUL bytes)")
    return text


def _delimiter(text: str) -> str:
    """The delimiter of the first non-blank line: the most frequent of :data:`DELIMITERS`
    (a comma by default, e.g. for a file of one column, which then fails on its columns)."""
    first = next(line for line in text.splitlines() if line.strip())
    counts = [first.count(d) for d in DELIMITERS]
    return DELIMITERS[counts.index(max(counts))] if max(counts) else ","


def _rows(text: str, delimiter: str, name: str):
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter, skipinitialspace=True)
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as error:
        raise ValueError(f"{name}: row {reader.line_num}: {error}") from error


def _is_number(cell: str) -> bool:
    try:
        float(cell.strip())
    except ValueError:
        return False
    return True


def _columns(names: list[str], header: bool, x: str | None, y: str | None, first_row: list[str],
             name: str) -> tuple[int, int]:
    def index(wanted: str, axis: str) -> int:
        if not header:
            raise ValueError(f"{name}: {axis}={wanted!r} names a column, but the file has no header row")
        if wanted not in names:
            raise ValueError(f"{name}: no column {wanted!r} for {axis}; the columns are {', '.join(map(repr, names))}")
        return names.index(wanted)

    if x is not None or y is not None:
        defaults = _default_columns(names, header, first_row, name)
        chosen = (index(x, "x") if x is not None else defaults[0], index(y, "y") if y is not None else defaults[1])
        if chosen[0] == chosen[1]:
            raise ValueError(f"{name}: x and y are the same column {names[chosen[0]]!r}")
        return chosen
    return _default_columns(names, header, first_row, name)


def _default_columns(names: list[str], header: bool, first_row: list[str], name: str) -> tuple[int, int]:
    if header and "x" in names and "y" in names:
        return names.index("x"), names.index("y")
    numeric = [i for i, cell in enumerate(first_row) if _is_number(cell)]
    if len(numeric) < 2:
        found = f"{len(numeric)} numeric column{'s' if len(numeric) != 1 else ''}"
        raise ValueError(f"{name}: {found} in its first data row; x and y need two (comma, tab or semicolon separated)")
    return numeric[0], numeric[1]


def _column(body: list[tuple[int, list[str]]], index: int, column: str, name: str) -> np.ndarray:
    values = np.empty(len(body))
    for k, (row_number, row) in enumerate(body):
        if index >= len(row):
            raise ValueError(f"{name}: row {row_number} has {len(row)} cells, no column {column!r}")
        cell = row[index].strip()
        try:
            value = float(cell)
        except ValueError:
            raise ValueError(f"{name}: row {row_number}, column {column!r}: {cell!r} is not a number") from None
        if not math.isfinite(value):
            raise ValueError(f"{name}: row {row_number}, column {column!r}: {cell!r} is not finite")
        values[k] = value
    return values
