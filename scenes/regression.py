"""Linear Regression: the post's data, the fit as a walk down the loss landscape, and
why reaching the minimum is not enough.

The post: "What you can see in the video below is the loss landscape on the left and the
history of our (w, b) values as the point traveling through it. On the right you can see
the predicted line in red plotting the corresponding line for that (w, b) based on the
position in the descent. [...] the position of the point (w, b) defines a line that will
have a corresponding height that is the current loss."

Figures (every number from gdmath, with the post's values: 100 points on [-2, 2], noise
N(0, 0.5^2), alpha 0.015, 100 iterations, from the start ``gdmath.regression.START_W,
START_B``; the data's seed ``DATA_SEED`` makes the run print the post's log):

- ``linear_data``, ``parabolic_data`` (stills): the true curve and the noisy samples.
- ``linear_fit``, ``parabolic_fit``: left, the MSE over (w, b) (``loss_surface``, coloured
  by log loss on one scale for both, so the parabolic valley is visibly higher), the
  (w, b) point of ``fit_line``'s history travelling down it and leaving its path; right,
  the samples and the red line of the same (w, b), step by step. The model is always
  the line, also on the parabola: the post's "high bias".
- ``loss_compare``: the floor of both landscapes along w (``loss_profile``: for each w
  the lowest loss over b) on one set of axes, their minima (``least_squares_line``)
  marked with their values: the linear one sits at the noise in the samples, the
  parabolic one several times higher.
- ``result`` (still): the post's "Example Result Plot": dashed true line, samples, the
  red fitted line after the post's run.

Render with ``python render.py --scene linear_fit`` or plain
``manim -ql scenes/regression.py LinearFit``.

Speed: everything that does not move (heat map, frames, samples, labels) is added before
the moving point, its path, the red line and the readouts, so manim draws it once into
its cached background; the updaters index precomputed screen arrays, and the readouts
(``step_readout``: glyph outlines typeset once) are recomposed only when the shown
iteration changes.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import ClassVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    DashedLine,
    DashedVMobject,
    Dot,
    DoubleArrow,
    FadeIn,
    Group,
    GrowFromCenter,
    Line,
    ValueTracker,
    VGroup,
    VMobject,
    config,
    smooth,
)

import gdmath
from gdmath.regression import (
    ALPHA,
    AUTO_ALPHA_FRACTION,
    DATA_SEED,
    ITERATIONS,
    N_SAMPLES,
    NOISE,
    START_B,
    START_W,
    X_RANGE,
)
from scenes import figure, theme
from scenes.captions import Captioned, milestones, plural, sentence
from scenes.components import (
    MINUS,
    ClippedSteps,
    DescentMarks,
    ThemedScene,
    arrowheads,
    at_step,
    curve,
    framed_plot,
    heat_map,
    label,
    legend_entry,
    minimum_ring,
    number_text,
    plane_axes,
    readout,
    run_steps,
    sci,
    step_readout,
    swatch,
    ticks,
    title,
)
from scenes.params import (
    AUTO,
    Rule,
    WholeRule,
    between,
    data_file_rule,
    finite,
    float_or_auto,
    increasing,
    optional,
    param,
    positive,
    positive_or_auto,
    text,
    whole,
)

#: The most samples a figure draws: the bound of ``n_samples`` and of a data file's rows.
MAX_SAMPLES = 1_000_000


def plain_number(value: float, decimals: int = 3) -> str:
    """A number for a text: ``decimals`` decimals, or 3 significant digits once it is huge
    (a diverging fit's loss).

    >>> plain_number(2.99712), plain_number(-60.3), plain_number(6.87e30)
    ('2.997', '-60.300', '6.87e+30')
    """
    if not np.isfinite(value):  # a fit that overflowed float64
        return "past float64's range"
    return f"{value:.{decimals}f}" if abs(value) < 1e5 else f"{value:.3g}"


def line_equation(w: float, b: float) -> str:
    """E.g. "y = 1.997x + 1.035", "y = 2.351x - 60.328"."""
    return f"y = {plain_number(w)}x {'-' if b < 0 else '+'} {plain_number(abs(b))}"


def line_text(w: float, b: float) -> str:
    """The model's equation for a readout.

    >>> line_text(1.8412, -0.5)
    'ŷ = 1.84x − 0.50'
    """
    sign = MINUS if b < 0 else "+"
    if max(abs(w), abs(b)) >= 1e5:  # a diverging fit
        return f"ŷ = {sci(w, 2)}x {sign} {sci(abs(b), 2)}"
    return f"ŷ = {number_text(w, 2)}x {sign} {abs(b):.2f}"


def loss_number(loss: float) -> str:
    """A loss for a readout: 3 decimals, in powers of ten once it is huge.

    >>> loss_number(0.3164), loss_number(6.87e30)
    ('0.316', '6.87 × 10³⁰')
    """
    if not np.isfinite(loss):
        return "∞ (overflowed)"
    return f"{loss:.3f}" if loss < 1e5 else sci(loss)


@dataclass(frozen=True)
class Dataset:
    """One of the post's two data sets: how to make it and how to show it (its figures'
    titles are declared with them, by ``@figure``)."""

    name: str
    make: Callable[..., tuple[np.ndarray, np.ndarray]]
    truth: str  # the true curve's equation
    y_range: tuple[float, float, float]  # the data panel's y axis (min, max, step)
    y_ticks: tuple[float, ...]


LINEAR = Dataset(
    name="linear", make=gdmath.make_linear_data, truth="y = 2x + 1",
    y_range=(-5.0, 7.0, 2.0), y_ticks=(-4.0, -2.0, 0.0, 2.0, 4.0, 6.0),
)
PARABOLIC = Dataset(
    name="parabolic", make=gdmath.make_parabolic_data, truth="y = x²",
    y_range=(-1.5, 5.5, 1.0), y_ticks=(-1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0),
)


@dataclass(frozen=True)
class RegressionParams:
    """What the regression figures compute (the post's values); tests shrink them.

    The loss landscape spans ``w_range x b_range``, sampled on ``map_pixels``^2 points and
    coloured by log loss between ``loss_scale`` (the same scale for both data sets).
    ``loss_compare`` draws the floor of the landscapes over ``compare_w`` with
    ``profile_points`` points, its loss axis running from 0 to ``loss_top``.
    """

    n_samples: int = param(N_SAMPLES, whole(2, MAX_SAMPLES))
    noise: float = param(NOISE, between(0, 1e6))
    seed: int = param(DATA_SEED, whole(0, 2**32 - 1))
    alpha: float = param(ALPHA, positive())
    iterations: int = param(ITERATIONS, whole(1, 10_000))
    w0: float = param(START_W, finite())
    b0: float = param(START_B, finite())
    w_range: tuple[float, float, float] = param((-1.0, 3.0, 1.0), increasing(3))
    b_range: tuple[float, float, float] = param((-1.0, 3.0, 1.0), increasing(3))
    map_pixels: int = param(240, whole(2, 2000))
    loss_scale: tuple[float, float] = param((0.25, 25.0), increasing(2))
    curve_points: int = param(121, whole(2, 100_000))
    compare_w: tuple[float, float, float] = param((-1.5, 4.0, 1.0), increasing(3))
    loss_top: float = param(4.0, positive())
    profile_points: int = param(400, whole(2, 100_000))


def _range_rule() -> Rule:
    """A landscape range, or unset (None: from the data); its words as a set one's."""
    rule = increasing(3)
    return Rule(rule.text, lambda v: v is None or rule.test(v))


@dataclass(frozen=True)
class OwnDataParams(RegressionParams):
    """The regression figures that take a user's own samples (``linear_data``,
    ``linear_fit``, ``result``): ``data`` is the path of a CSV file (read by
    ``gdmath.read_samples``, at most ``MAX_SAMPLES`` rows; relative to the current
    folder), ``x`` and ``y`` its columns; unset, the post's generated data (and
    ``n_samples``, ``noise``, ``seed`` make it). ``alpha`` may be ``auto``:
    ``gdmath.auto_alpha`` of the samples. ``w_range`` and ``b_range`` unset are the
    post's ranges on its data, and follow the descent on a file's data.
    """

    alpha: float | str = param(ALPHA, positive_or_auto(), kind=float_or_auto)
    w_range: tuple[float, float, float] | None = param(None, _range_rule(), kind=tuple)
    b_range: tuple[float, float, float] | None = param(None, _range_rule(), kind=tuple)
    data: str | None = param(None, optional(text("the path of a CSV file (docs/data-files.md)")), kind=str)
    x: str | None = param(None, optional(text("a column of the data file")), kind=str)
    y: str | None = param(None, optional(text("a column of the data file")), kind=str)

    whole_rules: ClassVar[tuple[WholeRule, ...]] = (data_file_rule(MAX_SAMPLES),)

    def run_values(self) -> dict:
        """The values as the figure runs them (what the manifest and the cache key hold):
        the step size used (``auto`` resolved), and for a data file its name, the SHA-256
        of its bytes and its columns instead of the generated data's size, noise and seed,
        so that editing the file re-renders and touching it does not."""
        values = dataclasses.asdict(self)
        x, _, source = samples_of(self, LINEAR)
        values["alpha"] = alpha_of(self, x)
        if source is not None:
            for key in ("noise", "seed", "loss_scale"):  # the generated data's; a file's colour scale follows it
                values.pop(key)
            values.update(data=source.file_name, data_sha256=source.sha256, x=source.x_name, y=source.y_name,
                          n_samples=int(source.x.size))
        return values


def samples_of(p: RegressionParams, dataset: "Dataset") -> tuple[np.ndarray, np.ndarray, gdmath.Samples | None]:
    """``(x, y, source)``: the samples of ``p.data`` (``source`` the file read), or the
    post's ``dataset`` made with ``p``'s size, noise and seed (``source`` None)."""
    if getattr(p, "data", None) is None:
        x, y = dataset.make(n=p.n_samples, noise=p.noise, seed=p.seed)
        return x, y, None
    source = gdmath.read_samples(p.data, p.x, p.y, max_rows=MAX_SAMPLES)
    return source.x, source.y, source


def alpha_of(p: RegressionParams, x: np.ndarray) -> float:
    """The step size a fit of samples ``x`` uses: ``p.alpha``, or ``gdmath.auto_alpha(x)`` for ``auto``."""
    return gdmath.auto_alpha(x) if p.alpha == AUTO else float(p.alpha)


# --- axes that follow the data ----------------------------------------------------------------
#: A data panel's margin beyond its samples, as a share of their span (the post's: 0.25 on 4).
DATA_MARGIN = 1 / 16
#: A landscape's margin beyond the descent's path, as a share of its half-width.
LANDSCAPE_MARGIN = 0.12
#: The decade multiples a colour bar labels.
COLORBAR_MULTIPLES = (1, 3)


def nice_step(span: float, intervals: int) -> float:
    """A tick step of 1, 2, 2.5 or 5 times a power of ten giving about ``intervals`` ticks over ``span``.

    >>> nice_step(145, 5), nice_step(4.5, 4), nice_step(0.37, 5)
    (50.0, 2.0, 0.1)
    """
    raw = span / intervals
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * (1 - 1e-9))


def centred_range(centre: float, half: float, intervals: int = 4) -> tuple[float, float, float]:
    """``(low, high, tick step)`` of ``centre ± half`` (a half-width of 0 becomes 1)."""
    half = half if half > 0 else max(abs(centre), 1.0)
    return float(centre - half), float(centre + half), float(nice_step(2 * half, intervals))


def data_range(values: np.ndarray, margin: float = DATA_MARGIN) -> tuple[float, float, float]:
    """A data panel's axis over ``values`` ``(n,)`` with ``margin`` to spare on both sides."""
    low, high = float(values.min()), float(values.max())
    return centred_range((low + high) / 2, (high - low) / 2 * (1 + 2 * margin), intervals=5)


def colorbar_values(low: float, high: float) -> tuple[float, ...]:
    """The 1 and 3 times powers of ten between ``low`` and ``high`` (a log colour bar's labels).

    >>> colorbar_values(0.25, 25.0)
    (0.3, 1.0, 3.0, 10.0)
    """
    decades = range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
    values = (float(f"{m}e{k}") for k in decades for m in COLORBAR_MULTIPLES)
    return tuple(v for v in values if low <= v <= high)


def colorbar_text(value: float) -> str:
    return number_text(value) if value < 1e4 else sci(value, 1)


# --- what the figures show ----------------------------------------------------------------------
@dataclass(frozen=True)
class DataPlot:
    """A data still: the noisy samples ``x, y`` ``(n_samples,)`` of ``dataset`` and its true
    curve ``truth_x, truth_y`` ``(curve_points,)``, densely sampled without noise."""

    dataset: Dataset
    x: np.ndarray
    y: np.ndarray
    truth_x: np.ndarray
    truth_y: np.ndarray
    noise: float
    seed: int
    source: gdmath.Samples | None  # the data file the samples came from (None: the post's data; no truth)
    x_axis: tuple[float, float, float]  # the data panel's (min, max, tick step)
    y_axis: tuple[float, float, float]
    x_ticks: tuple[float, ...]
    y_ticks: tuple[float, ...]
    names: tuple[str, str]  # the axes' names: x and y, or the file's columns
    edges: tuple[float, float]  # the samples' x range, where a fitted line is drawn

    @property
    def n_samples(self) -> int:
        return self.x.size

    def samples_text(self) -> str:
        """E.g. "the true line y = 2x + 1 and 100 noisy samples of it (noise N(0, 0.5^2), seed 277)",
        or "the 40 samples of house_prices.csv (x: area_m2, y: price_k)"."""
        if self.source is not None:
            return f"the {self.file_samples()} ({self.xy_text()})"
        kind = "line" if self.dataset is LINEAR else "curve"
        return (f"the true {kind} {self.dataset.truth.replace('²', '^2')} and "
                f"{plural(self.n_samples, 'noisy sample')} of it (noise N(0, {self.noise:g}^2), seed {self.seed})")

    def file_samples(self) -> str:
        return f"{plural(self.n_samples, 'sample')} of {self.source.file_name}"

    def xy_text(self) -> str:
        return f"x: {self.names[0]}, y: {self.names[1]}"

    def span_text(self) -> str:
        """E.g. "for x in [-2, 2]", "for area_m2 in [39, 184]"."""
        return f"for {self.names[0]} in [{self.edges[0]:g}, {self.edges[1]:g}]"

    def facts(self) -> tuple[str, ...]:
        if self.source is not None:
            return (self.file_samples(),)
        return (plural(self.n_samples, "noisy sample"), f"noise N(0, {self.noise:g}^2)", f"seed {self.seed}")


def data_plot(p: RegressionParams, dataset: Dataset) -> DataPlot:
    """``linear_data``, ``parabolic_data``: the samples and the true curve of ``dataset``, or
    the samples of ``p.data`` (no true curve), with axes that fit them."""
    x, y, source = samples_of(p, dataset)
    if source is None:
        truth_x, truth_y = dataset.make(n=p.curve_points, noise=0.0)
        return DataPlot(dataset, x, y, truth_x, truth_y, p.noise, p.seed, None, DATA_X, dataset.y_range,
                        X_TICKS, dataset.y_ticks, ("x", "y"), X_RANGE)
    x_axis, y_axis = data_range(x), data_range(y)
    return DataPlot(dataset, x, y, np.empty(0), np.empty(0), p.noise, p.seed, source, x_axis, y_axis,
                    tuple(ticks(x_axis)), tuple(ticks(y_axis)), (source.x_name, source.y_name),
                    (float(x.min()), float(x.max())))


@dataclass(frozen=True)
class FitResult(DataPlot):
    """A data plot and the post's fit of a line to its samples (``history``: every
    iteration's ``w``, ``b`` and loss, ``(iterations + 1,)`` each)."""

    history: gdmath.FitHistory
    auto: bool  # the step size is gdmath.auto_alpha of the samples
    max_alpha: float  # gdmath.max_stable_alpha of the samples: descent diverges above it
    least_squares: tuple[float, float, float]  # the exact minimum (w, b, loss)
    line_ends: np.ndarray  # (iterations + 1, 2, 2): each step's line over ``edges``, clipped to the panel
    line_shown: np.ndarray  # (iterations + 1,) bool: some of that line is inside the panel

    @property
    def diverged(self) -> bool:
        return self.history.diverged

    def fitted(self) -> str:
        """E.g. "the line is y = 1.997x + 1.035, loss 0.316"."""
        h = self.history
        if self.source is None and max(abs(h.w[-1]), abs(h.b[-1]), abs(h.loss[-1])) < 1e5:
            return f"the line is y = {h.w[-1]:.3f}x + {h.b[-1]:.3f}, loss {h.loss[-1]:.3f}"
        return f"the line is {line_equation(h.w[-1], h.b[-1])}, loss {plain_number(h.loss[-1])}"

    def alpha_text(self) -> str:
        """E.g. "0.015", "3.74e-05 (auto: half of what this data allows)"."""
        alpha = f"{self.history.alpha:.3g}"
        return f"{alpha} (auto: {AUTO_ALPHA_FRACTION:g} of what the data allows)" if self.auto else alpha

    def allows_text(self) -> str:
        """E.g. "this data allows alpha < 7.5e-05"."""
        return f"this data allows alpha < {self.max_alpha:.2g}"

    def least_squares_text(self) -> str:
        w, b, loss = self.least_squares
        return f"the least-squares line is {line_equation(w, b)}, loss {plain_number(loss)}"

    def ending(self) -> str:
        """Where the fit ends, e.g. "after 100 iterations the line is y = 1.997x + 1.035, loss 0.316 (it started at 2.997)"."""
        h = self.history
        if self.source is None:
            return f"after {plural(h.iterations, 'iteration')} {self.fitted()} (it started at {h.loss[0]:.3f})"
        return f"{self.outcome()}; {self.least_squares_text()}; {self.allows_text()}"

    def outcome(self) -> str:
        h = self.history
        if not self.diverged:
            return f"after {plural(h.iterations, 'iteration')} {self.fitted()} (it started at {plain_number(h.loss[0])})"
        return f"step size {h.alpha:.3g} is too large: {self.divergence()}"

    def divergence(self) -> str:
        """E.g. "the descent diverges, its loss growing from 66226.790 to 6.87e+30 by iteration 5, where the fit stops"."""
        h = self.history
        last = h.frozen_at if h.frozen_at >= 0 else h.iterations
        stopped = ", where the fit stops" if h.frozen_at >= 0 else ""
        return (f"the descent diverges, its loss growing from {plain_number(h.loss[0])} to "
                f"{plain_number(h.loss[last])} by iteration {last}{stopped}")

    def own_facts(self) -> tuple[str, ...]:
        """A file's fit: how it ends, the least-squares line, the step size the data allows."""
        return (self.divergence() if self.diverged else self.fitted(), self.least_squares_text(), self.allows_text())

    def facts(self) -> tuple[str, ...]:
        if self.source is None:
            return (*super().facts(), self.fitted())
        return (*super().facts(), *self.own_facts())


def clipped_lines(w: np.ndarray, b: np.ndarray, edges, x_axis, y_axis) -> tuple[np.ndarray, np.ndarray]:
    """The lines ``y = w x + b`` (``w``, ``b`` ``(m,)``) over ``edges``, cut to the box of
    ``x_axis`` x ``y_axis``: ``(ends (m, 2, 2), shown (m,))``; a line wholly outside is not
    shown. Exact for any finite ``w`` and ``b`` (a diverged fit's 1e308 too): the box's
    y bounds are met at ``x = (y - b) / w``, worked out with ``w`` and ``b`` scaled down
    together so that nothing overflows."""
    w, b = np.asarray(w, dtype=float), np.asarray(b, dtype=float)
    (y0, y1) = y_axis[0], y_axis[1]
    x0, x1 = max(min(edges), x_axis[0]), min(max(edges), x_axis[1])
    scale = np.maximum(1.0, np.maximum(np.abs(w), np.abs(b)))
    ws, bs = w / scale, b / scale
    with np.errstate(all="ignore"):  # a flat line meets no y bound: +-inf, sorted out below
        meets = np.sort(np.stack([(y0 / scale - bs) / ws, (y1 / scale - bs) / ws]), axis=0)
    flat = ws == 0
    level_inside = flat & (b >= y0) & (b <= y1)
    lo = np.where(flat, np.where(level_inside, -np.inf, np.inf), meets[0])
    hi = np.where(flat, np.where(level_inside, np.inf, -np.inf), meets[1])
    left, right = np.maximum(lo, x0), np.minimum(hi, x1)
    shown = left <= right
    left, right = np.where(shown, left, x0), np.where(shown, right, x1)
    height = lambda x: np.clip(scale * (ws * x + bs), y0, y1)  # noqa: E731  inside the box by construction
    # an end cut by a y bound is on it exactly (a steep line's height there is all rounding)
    y_left = np.where(lo >= x0, np.where(ws > 0, y0, y1), height(left))
    y_right = np.where(hi <= x1, np.where(ws > 0, y1, y0), height(right))
    ends = np.stack([np.stack([left, y_left], -1), np.stack([right, y_right], -1)], axis=1)
    return ends, shown


def fit_result(p: RegressionParams, dataset: Dataset) -> FitResult:
    """``result``: the data plot of ``dataset`` (or of ``p.data``) and the post's run on its samples."""
    plot = data_plot(p, dataset)
    alpha = alpha_of(p, plot.x)
    history = gdmath.fit_line(plot.x, plot.y, alpha=alpha, iterations=p.iterations, w0=p.w0, b0=p.b0)
    ends, shown = clipped_lines(history.w, history.b, plot.edges, plot.x_axis, plot.y_axis)
    return FitResult(**{f.name: getattr(plot, f.name) for f in fields(plot)}, history=history,
                     auto=p.alpha == AUTO, max_alpha=gdmath.max_stable_alpha(plot.x),
                     least_squares=gdmath.least_squares_line(plot.x, plot.y), line_ends=ends, line_shown=shown)


@dataclass(frozen=True)
class FitRun(FitResult):
    """A fit and its loss landscape: the MSE ``surface`` ``(map_pixels, map_pixels)`` over
    the grid ``ws`` x ``bs`` (indexed ``[i, j]`` for ``ws[i]``, ``bs[j]``)."""

    ws: np.ndarray
    bs: np.ndarray
    surface: np.ndarray
    w_axis: tuple[float, float, float]  # the landscape's (min, max, tick step)
    b_axis: tuple[float, float, float]
    loss_scale: tuple[float, float]  # the colour scale's lowest and highest loss (log)
    colorbar_values: tuple[float, ...]
    clipped: gdmath.ClippedPath  # the (w, b) path seen through the landscape's window
    path: np.ndarray | None = None  # (iterations + 1, 2) the (w, b) path as drawn (gdmath.followed)

    @property
    def leaves_window(self) -> bool:
        return not bool(self.clipped.inside.all())

    def loss_levels(self) -> tuple[np.ndarray, np.ndarray]:
        """Each step's loss on the colour bar: ``(log10 of it within the scale, above the scale)``,
        ``(iterations + 1,)`` each (a file's figure marks the point's loss there)."""
        low, high = self.loss_scale
        loss = self.history.loss
        return np.log10(np.clip(loss, low, high)), loss > high

    def start_text(self) -> str:
        h = self.history
        if self.source is None:
            return f"The fit starts at w = {h.w[0]:g}, b = {h.b[0]:g}, loss {h.loss[0]:.3f}"
        return (f"The fit of {self.file_samples()} starts at w = {h.w[0]:g}, b = {h.b[0]:g}, "
                f"loss {plain_number(h.loss[0])}, with step size {self.alpha_text()}")

    def iteration_text(self, k: int) -> str:
        return f"Iteration {k}: loss {plain_number(self.history.loss[k])}"

    def facts(self) -> tuple[str, ...]:
        return (self.fitted(),) if self.source is None else self.own_facts()


def landscape_ranges(result: FitResult) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """The (w, b) window on a file's data: centred on the least-squares line, wide enough
    for the start and (unless it runs away) the whole path, with a margin."""
    h = result.history
    centre = np.array(result.least_squares[:2])
    path = np.column_stack([h.w, h.b]) if not h.diverged else np.array([[h.w[0], h.b[0]]])
    half = np.abs(path - centre).max(axis=0) * (1 + LANDSCAPE_MARGIN)
    return centred_range(centre[0], half[0]), centred_range(centre[1], half[1])


def fit_run(p: RegressionParams, dataset: Dataset) -> FitRun:
    """``linear_fit``, ``parabolic_fit``: the post's run on ``dataset`` (or on ``p.data``)
    and the landscape it descends; on a file's data the window follows the descent unless
    ``w_range`` / ``b_range`` are set, and the colour scale spans the window's losses."""
    result = fit_result(p, dataset)
    default_w, default_b = RegressionParams.w_range, RegressionParams.b_range
    if result.source is None:
        w_axis, b_axis = p.w_range or default_w, p.b_range or default_b
    else:
        w_axis, b_axis = landscape_ranges(result)
        w_axis, b_axis = p.w_range or w_axis, p.b_range or b_axis
    ws, bs = np.linspace(*w_axis[:2], p.map_pixels), np.linspace(*b_axis[:2], p.map_pixels)
    surface = gdmath.loss_surface(result.x, result.y, ws, bs)
    if result.source is None:
        scale = p.loss_scale
    else:
        high = float(surface.max())
        low = max(result.least_squares[2], float(surface.min()), high * 1e-6)
        scale = (low, max(high, 10 * low))
    h = result.history
    low, high = (w_axis[0], b_axis[0]), (w_axis[1], b_axis[1])
    path = gdmath.followed(np.column_stack([h.w, h.b]), low, high)  # however far a runaway went
    clipped = gdmath.held_exits(gdmath.clip_path(path, low, high))
    return FitRun(**{f.name: getattr(result, f.name) for f in fields(result)}, ws=ws, bs=bs, surface=surface,
                  w_axis=tuple(w_axis), b_axis=tuple(b_axis), loss_scale=tuple(scale),
                  colorbar_values=colorbar_values(*scale), clipped=clipped, path=path)


@dataclass(frozen=True)
class LossFloor:
    """One data set's landscape floor along w: ``loss`` ``(profile_points,)``, the lowest
    loss over b at each of ``ws``; ``minimum`` its least-squares line ``(w, b, loss)``;
    ``noise`` the mean squared noise in its samples (their mse against the truth)."""

    ws: np.ndarray
    loss: np.ndarray
    minimum: tuple[float, float, float]
    noise: float


@dataclass(frozen=True)
class LossComparison:
    """``loss_compare``: the floors of both landscapes."""

    linear: LossFloor
    parabolic: LossFloor

    @property
    def low(self) -> float:
        return float(self.linear.minimum[2])

    @property
    def high(self) -> float:
        return float(self.parabolic.minimum[2])

    @property
    def ratio(self) -> float:
        return self.high / self.low

    def floor(self, dataset: Dataset) -> LossFloor:
        return self.linear if dataset is LINEAR else self.parabolic

    def minima_text(self) -> str:
        return f"Their minima: linear {self.low:.3f}, parabolic {self.high:.3f}"

    def ratio_text(self) -> str:
        return (f"The parabolic minimum is {self.ratio:.1f} times the linear one: the linear minimum is the "
                f"noise in the samples, while no line can follow a parabola")

    def facts(self) -> tuple[str, ...]:
        return (f"linear {self.low:.3f}", f"parabolic {self.high:.3f}", f"{self.ratio:.1f} times the linear one")


def loss_floor(p: RegressionParams, dataset: Dataset) -> LossFloor:
    x, y = dataset.make(n=p.n_samples, noise=p.noise, seed=p.seed)  # the post's data sets only: see OwnDataParams
    ws = np.linspace(*p.compare_w[:2], p.profile_points)
    loss, _ = gdmath.loss_profile(x, y, ws)
    noise = gdmath.mse(y, dataset.make(n=p.n_samples, noise=0.0)[1])
    return LossFloor(ws, loss, gdmath.least_squares_line(x, y), float(noise))


def loss_comparison(p: RegressionParams) -> LossComparison:
    """``loss_compare``: the floor of the linear and of the parabolic landscape."""
    return LossComparison(loss_floor(p, LINEAR), loss_floor(p, PARABOLIC))


# --- drawing pieces ------------------------------------------------------------------------
SAMPLE_RADIUS = 0.045
SAMPLE_OPACITY = 0.7  # the post's scatter has alpha 0.5; a little more on a dark page
PREDICTION_STROKE = 5.0  # the red model line
SUBTITLE_GAP = 0.15  # the fits and loss_compare: the one-line explanation under the title


def sample_dots(axes, x: np.ndarray, y: np.ndarray) -> VGroup:
    """One dot per sample, as the post's scatter."""
    return VGroup(*(Dot(point, radius=SAMPLE_RADIUS, color=theme.SAMPLE, fill_opacity=SAMPLE_OPACITY)
                    for point in axes.c2p(np.column_stack([x, y]))))


def dashed(mob: VMobject) -> DashedVMobject:
    return DashedVMobject(mob, num_dashes=24, dashed_ratio=0.55)


#: The data panels' x axis: the samples' range [-2, 2] with a margin, as matplotlib leaves one.
DATA_X = (-2.25, 2.25, 1.0)
X_TICKS = (-2.0, -1.0, 0.0, 1.0, 2.0)


def data_axes(data: DataPlot, width: float, height: float):
    return plane_axes(data.x_axis, data.y_axis, width, height, ticks=False)


def data_frame(axes, data: DataPlot) -> VGroup:
    return framed_plot(axes, data.x_ticks, data.y_ticks, data.names)


class PredictionLine(Line):
    """The red model line ``y = w x + b`` of a fit's history, following ``tracker``.

    ``screen_ends`` is ``(steps + 1, 2, 3)``: each step's line at the data panel's left
    and right edges, already on screen; the updater interpolates between steps exactly
    as the landscape's point moves, so the two always show the same (w, b).
    """

    def __init__(self, screen_ends: np.ndarray, tracker: ValueTracker, shown: np.ndarray | None = None) -> None:
        self.screen_ends = np.asarray(screen_ends, dtype=float)
        self.tracker = tracker
        self.shown = None if shown is None or np.all(shown) else np.asarray(shown)  # (steps + 1,) bool
        super().__init__(*self.screen_ends[0], color=theme.PREDICTION, stroke_width=PREDICTION_STROKE)
        self.add_updater(lambda line: line.show_step(line.tracker.get_value()))

    def show_step(self, t: float) -> None:
        """The line of step ``t``; a line wholly outside the data panel (a runaway fit's) is hidden."""
        if self.shown is not None:
            k = int(np.clip(np.round(t), 0, self.shown.size - 1))
            self.set_stroke(opacity=1.0 if self.shown[k] else 0.0)
        ends = at_step(self.screen_ends, t)
        if np.allclose(ends[0], ends[1]):
            return
        self.put_start_and_end_on(*ends)


def prediction_ends(axes, data: FitResult) -> np.ndarray:
    """Every step's line of the fit over the samples' x range (cut to the panel) on ``axes``: ``(steps + 1, 2, 3)``."""
    ends = data.line_ends
    return axes.c2p(ends.reshape(-1, 2)).reshape(*ends.shape[:2], 3)


def within_frame(body, room_below: float = 0.0) -> None:
    """Shrink ``body`` (about its top, centred across) when it is wider than the frame, or
    taller than the frame leaves under its top less ``room_below`` (a file's long tick
    labels, column names and numbers)."""
    width = config.frame_width - 2 * theme.EDGE_BUFF
    height = body.get_top()[1] + config.frame_height / 2 - theme.EDGE_BUFF - room_below
    factor = min(1.0, width / body.width, height / body.height)
    if factor < 1.0:
        body.scale(factor, about_edge=UP)
    body.set_x(0)


# --- the stills: data, and the post's result plot ---------------------------------------------
class DataScene(Captioned, ThemedScene):
    """A still: the true curve and the noisy samples, with a legend."""

    dataset: Dataset = LINEAR
    params = RegressionParams()
    plot_size = (7.6, 5.6)
    true_stroke = 3.0
    legend_sample_radius = SAMPLE_RADIUS * 1.5  # the "Samples" dot in a legend
    legend_gap = 0.7  # the plot to its legend
    body_gap = 0.45  # the plot and legend under the title
    note_gap = 0.5  # the legend's entries to the note on the samples

    @classmethod
    def compute(cls, params: RegressionParams) -> DataPlot:
        return data_plot(params, cls.dataset)

    def construct(self) -> None:
        self.data = self.compute(self.params)
        self.heading = title(self.heading_text())
        self.axes = data_axes(self.data, *self.plot_size)
        self.plot = data_frame(self.axes, self.data)
        self.legend = self.make_legend()
        layout = VGroup(VGroup(self.axes, self.plot), self.legend).arrange(RIGHT, buff=self.legend_gap, aligned_edge=UP)
        layout.next_to(self.heading, DOWN, buff=self.body_gap)
        room = self.camera.frame_width / 2 - theme.LEGEND_GAP - self.legend.get_left()[0]
        if self.legend.width > room:  # a diverged fit's long readout: shrink to the frame, never cut
            self.legend.scale_to_fit_width(room, about_edge=UP + LEFT)
        if self.data.source is not None:
            within_frame(layout)
        self.add(self.heading, self.plot, *self.marks(), self.legend)

    def heading_text(self) -> str:
        """The post's title, or the data file's name over its samples."""
        return self.title if self.data.source is None else self.data.source.file_name

    @classmethod
    def describe(cls) -> str:
        d = cls.compute(cls.params)
        return f"A still plot of {d.samples_text()}, {d.span_text()}."

    def marks(self) -> list[VMobject]:
        """What is drawn on the plot, bottom to top (a data file's samples have no true curve)."""
        d = self.data
        self.dots = sample_dots(self.axes, d.x, d.y)
        if d.source is not None:
            return [self.dots]
        self.truth = curve(self.axes, d.truth_x, d.truth_y, theme.TRUE_CURVE, self.true_stroke)
        return [self.truth, self.dots]

    def samples_entry(self) -> VGroup:
        return legend_entry(Dot(radius=self.legend_sample_radius, color=theme.SAMPLE), "Samples")

    def make_legend(self) -> VGroup:
        d = self.data
        if d.source is not None:
            note = readout([plural(d.n_samples, "sample"), f"x: {d.names[0]}", f"y: {d.names[1]}"],
                           size=theme.SMALL_SIZE, color=theme.MUTED_TEXT)
            return VGroup(self.samples_entry(), note).arrange(DOWN, aligned_edge=LEFT, buff=self.note_gap)
        entries = VGroup(
            legend_entry(swatch(theme.TRUE_CURVE, self.true_stroke), f"True: {self.dataset.truth}"),
            self.samples_entry(),
        ).arrange(DOWN, aligned_edge=LEFT, buff=theme.LEGEND_ROW_GAP)
        note = readout([f"{d.n_samples} points on [{MINUS}2, 2]", f"noise N(0, {d.noise:g}²)", f"seed {d.seed}"],
                       size=theme.SMALL_SIZE, color=theme.MUTED_TEXT)
        return VGroup(entries, note).arrange(DOWN, aligned_edge=LEFT, buff=self.note_gap)


@figure("linear_data", title="True Line and Noisy Points",
        description="The true line y = 2x + 1 and 100 noisy samples of it (noise N(0, 0.5²)).", kind="still")
class LinearData(DataScene):
    dataset = LINEAR
    params = OwnDataParams()


@figure("parabolic_data", title="Parabolic Dataset",
        description="The true parabola y = x² and 100 noisy samples of it (noise N(0, 0.5²)).", kind="still")
class ParabolicData(DataScene):
    dataset = PARABOLIC


@figure("result", title="Example Result Plot",
        description="The post's result plot: dashed true line, samples, and the red line fitted by 100 steps.", kind="still")
class ResultScene(DataScene):
    """The post's "Example Result Plot": dashed true line, samples, the red fitted line
    after the post's run (its last (w, b))."""

    dataset = LINEAR
    params = OwnDataParams()
    block_gap = 0.45  # between the legend's entries, the fitted line and the note

    def heading_text(self) -> str:
        return self.title

    @classmethod
    def compute(cls, params: RegressionParams) -> FitResult:
        return fit_result(params, cls.dataset)

    @classmethod
    def describe(cls) -> str:
        d = cls.compute(cls.params)
        h = d.history
        if d.source is not None:
            return (f"A still plot of {d.samples_text()}, the least-squares line dashed, and in red the line "
                    f"fitted by gradient descent (step size {d.alpha_text()}, start w = {h.w[0]:g}, b = {h.b[0]:g}): "
                    f"{sentence(d.ending())}.")
        return (f"A still plot of {d.samples_text()}, the true line dashed, and in red the line "
                f"fitted by gradient descent (step size {h.alpha:g}, start w = {h.w[0]:g}, b = {h.b[0]:g}): "
                f"{d.ending()}.")

    def marks(self) -> list[VMobject]:
        """Samples, the fitted line, and the dashed true line on top: the fit lies so close
        to the truth that the dashes must be drawn over the red to be seen. On a file's data
        the dashes are the least-squares line, and a fitted line that left the plot is not drawn."""
        d = self.data
        self.fitted = Line(*prediction_ends(self.axes, d)[-1], color=theme.PREDICTION, stroke_width=PREDICTION_STROKE)
        fitted = [self.fitted] if d.line_shown[-1] else []
        if d.source is not None:
            (dots,) = super().marks()
            w, b, _ = d.least_squares
            ends = clipped_lines(np.array([w]), np.array([b]), d.edges, d.x_axis, d.y_axis)[0][0]
            self.truth = dashed(Line(*self.axes.c2p(ends), color=theme.TRUE_CURVE, stroke_width=self.true_stroke))
            return [dots, *fitted, self.truth]
        truth, dots = super().marks()
        self.truth = dashed(truth)
        return [dots, *fitted, self.truth]

    def make_legend(self) -> VGroup:
        if self.data.source is not None:
            return self.data_legend()
        h = self.data.history
        line = swatch(theme.TRUE_CURVE, self.true_stroke)
        entries = VGroup(
            legend_entry(DashedVMobject(line, num_dashes=3).set_color(theme.TRUE_CURVE),
                         f"True: {self.dataset.truth}"),
            self.samples_entry(),
            legend_entry(line.copy().set_stroke(theme.PREDICTION, width=PREDICTION_STROKE),
                         "Predicted Line"),
        ).arrange(DOWN, aligned_edge=LEFT, buff=theme.LEGEND_ROW_GAP)
        fit = readout([line_text(h.w[-1], h.b[-1]), f"loss {loss_number(h.loss[-1])}"], color=theme.PREDICTION)
        note = readout([f"after {h.iterations} iterations", f"α = {h.alpha:g}, start ({h.w[0]:g}, {h.b[0]:g})"],
                       size=theme.SMALL_SIZE, color=theme.MUTED_TEXT)
        return VGroup(entries, fit, note).arrange(DOWN, aligned_edge=LEFT, buff=self.block_gap)

    def data_legend(self) -> VGroup:
        """On a file's data: the least-squares line (dashed), samples, the fit, and the
        step size against what the data allows."""
        d = self.data
        h = d.history
        w, b, loss = d.least_squares
        line = swatch(theme.TRUE_CURVE, self.true_stroke)
        entries = VGroup(
            legend_entry(DashedVMobject(line, num_dashes=3).set_color(theme.TRUE_CURVE),
                         f"Least squares: {line_text(w, b)}"),
            self.samples_entry(),
            legend_entry(line.copy().set_stroke(theme.PREDICTION, width=PREDICTION_STROKE), "Predicted Line"),
        ).arrange(DOWN, aligned_edge=LEFT, buff=theme.LEGEND_ROW_GAP)
        fit = readout([line_text(h.w[-1], h.b[-1]), f"loss {loss_number(h.loss[-1])}"], color=theme.PREDICTION)
        alpha, allows = step_size_lines(d)
        note = readout([f"after {h.iterations} iterations, {alpha}", allows, f"least squares: loss {plain_number(loss)}"],
                       size=theme.SMALL_SIZE, color=theme.MUTED_TEXT)
        blocks = [entries, fit, note]
        if d.diverged:
            blocks.insert(2, readout(["diverged"], size=theme.SMALL_SIZE, color=theme.LR_DIVERGED))
        return VGroup(*blocks).arrange(DOWN, aligned_edge=LEFT, buff=self.block_gap)


def step_size_lines(d: FitResult) -> list[str]:
    """The step size and the data's bound, as the figures on a file's data print them."""
    alpha = f"α = {sci(d.history.alpha, 2)}" + (" (auto)" if d.auto else "")
    return [alpha, f"this data allows α < {sci(d.max_alpha, 2)}"]


# --- the training videos ------------------------------------------------------------------------
class FitScene(Captioned, ThemedScene):
    """The (w, b) point walks down the loss landscape (left) while its line fits the
    samples (right)."""

    dataset: Dataset = LINEAR
    params = RegressionParams()
    landscape_size = 4.5  # side of the loss landscape, in scene units
    colorbar_width = 0.22
    data_size = (5.4, 4.5)
    point_radius = 0.09  # the (w, b) point on the loss landscape
    panel_gap = 0.9  # the landscape (with its colour bar) to the data panel
    body_gap = 0.35  # both panels under the heading
    colorbar_gap = 0.25  # the colour bar right of the landscape
    colorbar_label_buff = 0.1  # its loss values to its right, and "loss" over it
    progress_gap = 0.75  # the iteration readout under the landscape (below its w ticks and name)
    note_gap = 0.2  # on a file's data: the step-size note under the readouts
    readout_room = 1.2  # on a file's data: kept free under the panels for the readouts and the note
    pointer_size = 0.2  # on a file's data: the arrowhead marking the point's loss on the colour bar
    descent_time = 6.0

    @classmethod
    def compute(cls, params: RegressionParams) -> FitRun:
        return fit_run(params, cls.dataset)

    def construct(self) -> None:
        self.data = self.compute(self.params)
        self.history = self.data.history
        self.tracker = ValueTracker(0)
        self.lay_out()
        self.show_start()
        self.take_steps()
        self.wait(theme.HOLD_TIME)

    @classmethod
    def describe(cls) -> str:
        d = cls.compute(cls.params)
        h = d.history
        alpha = f"{h.alpha:g}" if d.source is None else d.alpha_text()
        clipped = (" (clipped to the landscape's window, an arrowhead on its edge where the point left it)"
                   if d.leaves_window else "")
        return (f"Fitting a line y = wx + b to {d.samples_text()} by gradient descent with step size "
                f"{alpha} from w = {h.w[0]:g}, b = {h.b[0]:g}. Left: the mean-squared-error landscape over (w, b) "
                f"on a log colour scale, with the (w, b) point walking down it{clipped}; right: the samples and the "
                f"line of the same (w, b), step by step. {sentence(d.ending())}.")

    # --- the static picture ---------------------------------------------------------------
    def lay_out(self) -> None:
        self.heading = VGroup(
            title(self.title),
            label("the point (w, b) on the loss landscape is the red line ŷ = w x + b", size=theme.SMALL_SIZE),
        ).arrange(DOWN, buff=SUBTITLE_GAP).to_edge(UP, buff=theme.HEADING_ROW_EDGE_BUFF)
        landscape = self.make_landscape()
        data = self.make_data_panel()
        data.next_to(landscape, RIGHT, buff=self.panel_gap).align_to(self.landscape_axes, UP)
        body = Group(landscape, data).next_to(self.heading, DOWN, buff=self.body_gap)
        if self.data.source is not None:  # a file's wider tick labels and names
            within_frame(body, room_below=self.readout_room)
        static = [self.heading, *landscape[1:], *data[1:]]  # the axes (first) only place things
        for mob in static:
            mob.suspend_updating()  # nothing here updates: spare manim the walk through ~300 mobjects a frame
        self.add(*static)

    def make_landscape(self) -> Group:
        d = self.data
        self.landscape_axes = plane_axes(d.w_axis, d.b_axis, self.landscape_size, self.landscape_size, ticks=False)
        low, high = np.log10(d.loss_scale)
        self.heat = heat_map(self.landscape_axes, np.log10(np.maximum(d.surface, d.loss_scale[0])), low, high)
        frame = framed_plot(self.landscape_axes, ticks(d.w_axis), ticks(d.b_axis), ("w", "b"), grid=False)
        bar = self.make_colorbar(low, high)
        if d.source is not None:  # where descent is heading: the least-squares line (gdmath's exact minimum)
            self.minimum = minimum_ring(self.landscape_axes.c2p(*d.least_squares[:2]))
            return Group(self.landscape_axes, self.heat, frame, bar, self.minimum)
        return Group(self.landscape_axes, self.heat, frame, bar)

    def make_colorbar(self, low: float, high: float) -> Group:
        """The colour scale: log loss, labelled with loss values."""
        axes = plane_axes((0, 1, 1), (low, high, 1), self.colorbar_width, self.landscape_size, ticks=False)
        axes.next_to(self.landscape_axes, RIGHT, buff=self.colorbar_gap)
        levels = np.linspace(low, high, 128)[None, :]
        bar = heat_map(axes, levels, low, high)
        values = self.data.colorbar_values
        labels = VGroup(*(label(colorbar_text(v), size=theme.REG_TICK_SIZE).next_to(axes.c2p(1, np.log10(v)), RIGHT,
                                                                                    buff=self.colorbar_label_buff) for v in values))
        name = label("loss", size=theme.REG_TICK_SIZE).next_to(bar, UP, buff=self.colorbar_label_buff)
        self.colorbar = bar
        return Group(bar, labels, name)

    def loss_pointer(self) -> VMobject:
        """On a file's data: an arrowhead at the colour bar's left edge at the point's loss
        (log scale), pointing up from the bar's top once the loss is beyond it (a runaway)."""
        levels, above = self.data.loss_levels()
        low, high = np.log10(self.data.loss_scale)
        bar = self.colorbar  # where the layout (and within_frame) left it
        axes = plane_axes((0, 1, 1), (low, high, 1), bar.width, bar.height, ticks=False).move_to(bar)
        tips = np.column_stack([np.zeros_like(levels), levels])
        headings = np.where(above[:, None], [0.0, 1.0], [1.0, 0.0])
        shapes = arrowheads(axes, tips, headings, self.pointer_size)  # (steps + 1, 12, 3)
        pointer = VMobject(fill_color=theme.PREDICTION, fill_opacity=1.0, stroke_width=0)
        pointer.set_points(shapes[0])
        last = shapes.shape[0] - 1
        pointer.add_updater(lambda m: m.set_points(shapes[int(np.clip(np.floor(self.tracker.get_value() + 1e-9), 0, last))]))
        return pointer

    def make_data_panel(self) -> Group:
        self.data_axes = data_axes(self.data, *self.data_size)
        frame = data_frame(self.data_axes, self.data)
        self.dots = sample_dots(self.data_axes, self.data.x, self.data.y)
        return Group(self.data_axes, frame, self.dots)

    # --- what moves -----------------------------------------------------------------------
    def make_moving(self) -> list:
        h, d = self.history, self.data
        if d.leaves_window:  # a runaway: clipped to the window, an arrowhead where it left (as lr_unstable)
            self.marks = ClippedSteps(self.landscape_axes, d.path, d.clipped, self.tracker,
                                      color=theme.PREDICTION, head_radius=self.point_radius)
        else:
            on_landscape = self.landscape_axes.c2p(np.column_stack([h.w, h.b]))[:, None, :]  # (steps + 1, 1, 3)
            self.marks = DescentMarks(on_landscape, self.tracker, [theme.PREDICTION], dot_radius=self.point_radius)
        self.prediction = PredictionLine(prediction_ends(self.data_axes, d), self.tracker, d.line_shown)
        self.progress = step_readout(self.tracker, h.iterations,
                                     lambda k: f"iteration {k} / {h.iterations}    loss {loss_number(h.loss[k])}")
        self.progress.next_to(self.landscape_axes, DOWN, buff=self.progress_gap).align_to(self.landscape_axes, LEFT)
        self.equation = step_readout(self.tracker, h.iterations, lambda k: line_text(h.w[k], h.b[k]),
                                     color=theme.PREDICTION)
        self.equation.match_y(self.progress).align_to(self.data_axes, LEFT)
        if d.source is not None:  # a runaway's long numbers: keep the widest within the frame
            widest = readout([max(self.equation.texts, key=len)], color=theme.PREDICTION).width
            room = config.frame_width / 2 - theme.EDGE_BUFF - self.equation.get_left()[0]
            self.equation.shift(LEFT * max(0.0, widest - room))
        moving = [self.prediction, self.marks, self.progress, self.equation]
        if d.source is not None:
            self.pointer = self.loss_pointer()
            moving += [self.step_size_note(), self.pointer]
        return moving

    def step_size_note(self) -> VGroup:
        """On a file's data: the step size against what the data allows, under the readouts
        (in the warning colour when the descent diverges)."""
        colour = theme.LR_DIVERGED if self.data.diverged else theme.MUTED_TEXT
        alpha, allows = step_size_lines(self.data)
        verdict = " diverges" if self.data.diverged else ""
        self.note = readout([f"{alpha}{verdict}: {allows}"], size=theme.SMALL_SIZE, color=colour)
        return self.note.next_to(self.progress, DOWN, buff=self.note_gap).align_to(self.landscape_axes, LEFT)

    def show_start(self) -> None:
        moving = self.make_moving()
        self.add(*moving)
        self.cue(self.data.start_text())
        self.play(
            GrowFromCenter(self.marks.dots[0]) if isinstance(self.marks, DescentMarks) else FadeIn(self.marks),
            Create(self.prediction),
            FadeIn(self.progress),
            FadeIn(self.equation),
            run_time=theme.INTRO_TIME,
            rate_func=smooth,
        )

    def take_steps(self) -> None:
        h = self.history
        self.cue(f"{plural(h.iterations, 'iteration')} of size {h.alpha:g}: the point walks "
                 f"down the landscape while the line turns towards the samples")
        for k in milestones(h.iterations, 4):
            self.cue_at_step(self.tracker, k, self.data.iteration_text(k))
        self.play(run_steps(self.tracker, h.iterations, self.descent_time))
        self.cue(sentence(self.data.ending()))


@figure("linear_fit", title="Loss Curve for Linear Dataset",
        description="The (w, b) point descends the loss landscape while its red line fits the linear data.")
class LinearFit(FitScene):
    dataset = LINEAR
    params = OwnDataParams()


@figure("parabolic_fit", title="Loss Curve for Quadratic Dataset",
        description="The same descent on parabolic data: the line reaches the minimum, which stays high.")
class ParabolicFit(FitScene):
    dataset = PARABOLIC


# --- comparing the minima -------------------------------------------------------------------------
@figure("loss_compare", title="Comparison of Losses",
        description="Floors of both loss landscapes along w: the parabolic minimum sits far above the linear.")
class LossCompareScene(Captioned, ThemedScene):
    """The floor of both loss landscapes along w: both reach a minimum, the parabolic one far higher."""

    params = RegressionParams()
    compute = staticmethod(loss_comparison)
    plot_size = (8.4, 4.2)
    curve_stroke = 4.0
    guide_stroke = 2.0  # dashed guides from a minimum to the loss axis
    guide_dash = 0.08  # their dash length
    min_dot_radius = 0.08
    ratio_tip = 0.15  # the tips of the double arrow between the two minima
    legend_row_gap = 0.25  # between the legend's two entries
    legend_gap = 0.6  # the plot to its legend
    body_gap = 0.4  # the plot and legend under the heading
    min_value_buff = 0.15  # "min 0.xxx" beyond the end of its guide
    ratio_inset = 0.35  # the double arrow, this far left of the guides' ends
    ratio_buff = 0.1  # the ratio left of the double arrow
    note_gap = 0.3  # the note under the plot
    curve_time = 1.5

    def construct(self) -> None:
        self.data = self.compute(self.params)
        self.lay_out()
        self.draw_curves()
        self.mark_minima()
        self.compare()
        self.wait(theme.HOLD_TIME)

    @classmethod
    def describe(cls) -> str:
        d = cls.compute(cls.params)
        return (f"The floor of both loss landscapes along w (for each w, the lowest loss over b): both curves "
                f"have a minimum, linear {d.low:.3f} (the noise in its samples), parabolic {d.high:.3f}, "
                f"{d.ratio:.1f} times the linear one: no line can follow a parabola.")

    # --- drawing ----------------------------------------------------------------------------
    def lay_out(self) -> None:
        p = self.params
        self.heading = VGroup(
            title(self.title),
            label("the floor of each loss landscape: for every w, the lowest loss over b", size=theme.SMALL_SIZE),
        ).arrange(DOWN, buff=SUBTITLE_GAP).to_edge(UP, buff=theme.HEADING_ROW_EDGE_BUFF)
        self.axes = plane_axes(p.compare_w, (0.0, p.loss_top, 1.0), *self.plot_size, ticks=False)
        self.plot = framed_plot(self.axes, ticks(p.compare_w), ticks((0.0, p.loss_top, 1.0)), ("w", "loss"))
        self.legend = VGroup(
            legend_entry(swatch(theme.REG_LINEAR, self.curve_stroke), "linear data"),
            legend_entry(swatch(theme.REG_PARABOLIC, self.curve_stroke), "parabolic data"),
        ).arrange(DOWN, aligned_edge=LEFT, buff=self.legend_row_gap)
        VGroup(VGroup(self.axes, self.plot), self.legend).arrange(RIGHT, buff=self.legend_gap, aligned_edge=UP)
        VGroup(self.axes, self.plot, self.legend).next_to(self.heading, DOWN, buff=self.body_gap)
        self.add(self.heading, self.plot, self.legend)

    def floor_curve(self, dataset: Dataset, color) -> VMobject:
        """The profile, cut where it leaves the top of the axes (it is a parabola in w,
        so what stays below is one piece)."""
        floor = self.data.floor(dataset)
        shown = floor.loss <= self.params.loss_top
        return curve(self.axes, floor.ws[shown], floor.loss[shown], color, self.curve_stroke)

    def draw_curves(self) -> None:
        self.curves = {
            LINEAR.name: self.floor_curve(LINEAR, theme.REG_LINEAR),
            PARABOLIC.name: self.floor_curve(PARABOLIC, theme.REG_PARABOLIC),
        }
        for name, mob in self.curves.items():
            self.cue(f"The floor of the {name} data's loss landscape is drawn along w")
            self.play(Create(mob), run_time=self.curve_time, rate_func=smooth)

    def minimum_mark(self, dataset: Dataset, color) -> VGroup:
        """A dot on the minimum, a dashed guide from it to the right edge, its value there."""
        w, _, loss = self.data.floor(dataset).minimum
        point = self.axes.c2p(w, loss)
        dot = Dot(point, radius=self.min_dot_radius, color=color)
        edge = self.axes.c2p(self.params.compare_w[1], loss)
        guide = DashedLine(point, edge, color=color, stroke_width=self.guide_stroke, dash_length=self.guide_dash)
        value = label(f"min {loss:.3f}", size=theme.READOUT_SIZE, color=color).next_to(edge, RIGHT, buff=self.min_value_buff)
        return VGroup(guide, dot, value)

    def mark_minima(self) -> None:
        self.minima = {
            LINEAR.name: self.minimum_mark(LINEAR, theme.REG_LINEAR),
            PARABOLIC.name: self.minimum_mark(PARABOLIC, theme.REG_PARABOLIC),
        }
        self.cue(self.data.minima_text())
        self.play(*(FadeIn(m) for m in self.minima.values()), run_time=theme.INTRO_TIME)

    def compare(self) -> None:
        d = self.data
        edge_w = self.params.compare_w[1]
        gap = DoubleArrow(self.axes.c2p(edge_w, d.low), self.axes.c2p(edge_w, d.high), buff=0, color=theme.TEXT,
                          stroke_width=self.guide_stroke, tip_length=self.ratio_tip)
        gap.shift(LEFT * self.ratio_inset)
        ratio = label(f"{d.ratio:.1f}×", size=theme.READOUT_SIZE, color=theme.TEXT).next_to(gap, LEFT, buff=self.ratio_buff)
        self.note = readout([
            f"linear: the minimum is the noise in the samples (mean squared noise {d.linear.noise:.3f})",
            "parabolic: no line can follow a parabola (high bias)",
        ], size=theme.SMALL_SIZE, color=theme.MUTED_TEXT).next_to(self.plot, DOWN, buff=self.note_gap).align_to(self.plot, LEFT)
        self.cue(d.ratio_text())
        self.play(GrowFromCenter(gap), FadeIn(ratio), FadeIn(self.note), run_time=theme.INTRO_TIME)
