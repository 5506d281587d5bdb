"""A user's data file: columns, delimiters, every bad file named with its row and column,
and the step size a data set allows."""

from __future__ import annotations

import numpy as np
import pytest

import gdmath
from gdmath import datafile, read_samples


def write(tmp_path, text: str, name: str = "data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- what is read --------------------------------------------------------------------------
@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_the_delimiter_is_detected(tmp_path, delimiter):
    rows = ["size", "price"], ["50", "120.5"], ["72", "180"], ["95", "231.25"]
    data = read_samples(write(tmp_path, "\n".join(delimiter.join(r) for r in rows) + "\n"))
    assert data.delimiter == delimiter and data.header
    np.testing.assert_array_equal(data.x, [50, 72, 95])
    np.testing.assert_array_equal(data.y, [120.5, 180, 231.25])
    assert (data.x_name, data.y_name) == ("size", "price")


def test_columns_named_x_and_y_win_else_the_first_two_numeric_ones(tmp_path):
    named = read_samples(write(tmp_path, "id,y,x\n1,10,3\n2,20,4\n"))
    assert (named.x_name, named.y_name) == ("x", "y") and list(named.x) == [3, 4] and list(named.y) == [10, 20]
    first = read_samples(write(tmp_path, "city,a,b,c\nOslo,1,5,9\nRome,2,6,8\n"))
    assert (first.x_name, first.y_name) == ("a", "b")


def test_columns_are_chosen_by_name(tmp_path):
    path = write(tmp_path, "a,b,c\n1,5,9\n2,6,7\n3,7,7\n")
    data = read_samples(path, x="c", y="a")
    assert list(data.x) == [9, 7, 7] and list(data.y) == [1, 2, 3]
    assert read_samples(path, y="c").x_name == "a"


def test_a_file_without_header_is_read_from_its_first_row(tmp_path):
    data = read_samples(write(tmp_path, "1.5,2\n2.5,4\n\n3.5,6\n"))
    assert not data.header and list(data.x) == [1.5, 2.5, 3.5] and (data.x_name, data.y_name) == ("1", "2")


def test_a_byte_order_mark_quotes_and_spaces_are_fine(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes('\ufeff"x", "y"\r\n1, "2"\r\n3 ,4\r\n'.encode())
    data = read_samples(path)
    assert list(data.x) == [1, 3] and list(data.y) == [2, 4]


def test_the_hash_covers_the_contents_not_the_name_or_time(tmp_path):
    import os

    one = write(tmp_path, "x,y\n1,2\n3,4\n", "one.csv")
    two = write(tmp_path, "x,y\n1,2\n3,4\n", "two.csv")
    before = read_samples(one).sha256
    os.utime(one, (1, 1))
    assert read_samples(one).sha256 == before == read_samples(two).sha256
    one.write_text("x,y\n1,2\n3,5\n")
    assert read_samples(one).sha256 != before


def test_the_example_file_reads(tmp_path):
    from pathlib import Path

    example = Path(__file__).resolve().parent.parent / "examples" / "house_prices.csv"
    data = read_samples(example)
    assert data.x.size >= 20 and (data.x_name, data.y_name) == ("area_m2", "price_k")
    w, b, _ = gdmath.least_squares_line(data.x, data.y)
    np.testing.assert_allclose([w, b], np.polyfit(data.x, data.y, 1), rtol=0, atol=1e-6)


# --- what is refused, and how it is named ------------------------------------------------------
@pytest.mark.parametrize("text, message", [
    ("", "data.csv: the file is empty"),
    ("\n  \n", "data.csv: the file is empty"),
    ("x,y\n", "data.csv: no data rows under the header"),
    ("x,y\n1,2\n", "data.csv: only one data row (row 2); a line needs at least two samples"),
    ("x,y\n1,2\n2,3\n" + "3,4\n" * 13 + "4,n/a\n", "data.csv: row 17, column 'y': 'n/a' is not a number"),
    ("x,y\n1,2\n2,nan\n", "data.csv: row 3, column 'y': 'nan' is not finite"),
    ("x,y\n1,2\ninf,3\n", "data.csv: row 3, column 'x': 'inf' is not finite"),
    ("x,y\n1,2\n2\n", "data.csv: row 3 has 1 cells, no column 'y'"),
    ("x,y\n3,2\n3,5\n3,1\n", "data.csv: every x ('x') is 3: no line can be fitted by x"),
    ("name,town\nAda,Leeds\nBo,York\n", "data.csv: 0 numeric columns in its first data row"),
    ("1\n2\n3\n", "data.csv: 1 numeric column in its first data row; x and y need two"),
    ('x,y\n"1,2\n', "data.csv: only one data row"),
])
def test_bad_files_are_named_with_row_and_column(tmp_path, text, message):
    with pytest.raises(ValueError) as error:
        read_samples(write(tmp_path, text))
    assert message in str(error.value)


def test_a_column_that_is_not_there_lists_the_columns(tmp_path):
    path = write(tmp_path, "size,price\n1,2\n3,4\n")
    with pytest.raises(ValueError, match="data.csv: no column 'area' for x; the columns are 'size', 'price'"):
        read_samples(path, x="area")
    with pytest.raises(ValueError, match="x and y are the same column 'size'"):
        read_samples(path, x="size", y="size")
    headless = write(tmp_path, "1,2\n3,4\n", "plain.csv")
    with pytest.raises(ValueError, match="plain.csv: x='a' names a column, but the file has no header row"):
        read_samples(headless, x="a")


def test_missing_not_a_file_not_text_and_too_many_rows(tmp_path):
    with pytest.raises(ValueError, match=r"gone.csv: no such file"):
        read_samples(tmp_path / "gone.csv")
    with pytest.raises(ValueError, match=r"not a file"):
        read_samples(tmp_path)
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    with pytest.raises(ValueError, match=r"image.csv: not a text file"):
        read_samples(binary)
    nul = tmp_path / "nul.csv"
    nul.write_bytes(b"x,y\n1,2\x00\n3,4\n")
    with pytest.raises(ValueError, match=r"nul.csv: not a text file \(it holds NUL bytes\)"):
        read_samples(nul)
    many = write(tmp_path, "x,y\n" + "".join(f"{i},{2 * i}\n" for i in range(101)), "many.csv")
    with pytest.raises(ValueError, match="many.csv: 101 data rows, over the budget of 100"):
        read_samples(many, max_rows=100)
    assert read_samples(many, max_rows=101).x.size == 101


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(datafile, "MAX_FILE_BYTES", 64)
    path = write(tmp_path, "x,y\n" + "1,2\n" * 40)
    with pytest.raises(ValueError, match=r"data.csv: 164 bytes, over the 0 MiB limit"):
        read_samples(path)


# --- the step size the data allows ---------------------------------------------------------------
@pytest.mark.parametrize("x", [np.linspace(-2, 2, 100), np.array([1200.0, 1500, 800, 2100, 990]),
                               np.array([0.001, 0.002, 0.004])])
def test_the_stable_bound_is_two_over_the_largest_eigenvalue_of_the_mse_hessian(x):
    # the MSE's Hessian from its definition, by central differences of the loss in (w, b)
    y = np.cos(x)
    loss = lambda w, b: np.mean((w * x + b - y) ** 2)  # noqa: E731
    h = 1e-3 / max(1.0, float(np.abs(x).max()))
    hessian = np.empty((2, 2))
    for i in range(2):
        for j in range(2):
            e_i, e_j = np.eye(2)[i] * h, np.eye(2)[j] * h
            hessian[i, j] = (loss(*(e_i + e_j)) - loss(*(e_i - e_j)) - loss(*(e_j - e_i)) + loss(*(-e_i - e_j))) / (4 * h * h)
    np.testing.assert_allclose(gdmath.mse_hessian(x), hessian, rtol=1e-6, atol=1e-6 * np.abs(hessian).max())
    assert gdmath.max_stable_alpha(x) == pytest.approx(2 / np.linalg.eigvals(hessian).real.max(), rel=1e-6)


@pytest.mark.parametrize("x", [np.linspace(-2, 2, 100), np.array([1200.0, 1500, 800, 2100, 990])])
def test_descent_just_below_the_bound_converges_and_just_above_diverges(x):
    y = 3 * x + 7 + np.sin(x)
    bound = gdmath.max_stable_alpha(x)
    below = gdmath.fit_line(x, y, alpha=0.98 * bound, iterations=4000, w0=0.0, b0=0.0)
    # below the bound every eigen-component of the error shrinks, so the loss never rises
    assert np.all(np.diff(below.loss) <= 1e-9 * below.loss[0])
    if np.ptp(x) < 10:  # well conditioned: it also gets to the bottom
        assert below.loss[-1] == pytest.approx(gdmath.least_squares_line(x, y)[2], rel=1e-3)
    with np.errstate(over="ignore", invalid="ignore"):
        above = gdmath.fit_line(x, y, alpha=1.02 * bound, iterations=2000, w0=0.0, b0=0.0)
    assert not np.isfinite(above.loss[-1]) or above.loss[-1] > 1e6 * max(below.loss[0], 1.0)
    assert gdmath.auto_alpha(x) == pytest.approx(gdmath.AUTO_ALPHA_FRACTION * bound)
