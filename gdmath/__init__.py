"""gdmath: the pure-numpy core behind every figure (no manim here, ever).

Objectives with analytic gradients, vectorised gradient descent with any of five
update rules (SGD, Momentum, Nesterov, RMSProp, Adam) and its full history, which minimum a point settled in, grids and fields for drawing, contour
and clipping geometry, and linear regression as in the post. A function a user types
becomes an objective too (``parse_objective``, via SymPy, imported only on that call),
and ``find_minima`` finds any objective's minima in a box.
"""

from .basins import (
    SETTLED_TOLERANCE,
    EndCounts,
    MinimumVerdict,
    count_ends,
    global_mask,
    nearest_minimum,
    settled_counts,
)
from .datafile import Samples, read_samples
from .descent import (
    GROWTH_LIMIT,
    VALUE_LIMIT,
    DescentHistory,
    descend,
    final_distance,
    gradient_descent,
    steps_to_leave,
)
from .geometry import ClippedPath, bowl_contours, clip_path, visible_from
from .grids import cell_centres, gradient_field, grid_points, random_starts, value_grid
from .objectives import (
    ELONGATED_BOWL,
    OBJECTIVES,
    PARABOLA,
    ROSENBROCK,
    SADDLE,
    SIN_HILLS,
    TRIPLE_WELL,
    Objective,
)
from .optimizers import (
    OPTIMIZERS,
    SGD,
    Adam,
    Momentum,
    Nesterov,
    RMSProp,
    hyperparameter_names,
    make_optimizer,
    optimizer_choices,
)
from .regression import (
    AUTO_ALPHA_FRACTION,
    FitHistory,
    auto_alpha,
    fit_line,
    least_squares_line,
    line,
    loss_profile,
    loss_surface,
    make_linear_data,
    make_parabolic_data,
    max_stable_alpha,
    mse,
    mse_hessian,
)
from .typed import FUNCTIONS, FoundMinima, find_minima, parse_objective

__all__ = [
    "FUNCTIONS",
    "FoundMinima",
    "find_minima",
    "parse_objective",
    "AUTO_ALPHA_FRACTION",
    "Samples",
    "auto_alpha",
    "max_stable_alpha",
    "mse_hessian",
    "read_samples",
    "cell_centres",
    "settled_counts",
    "Adam",
    "Momentum",
    "Nesterov",
    "OPTIMIZERS",
    "RMSProp",
    "ROSENBROCK",
    "SADDLE",
    "SGD",
    "descend",
    "hyperparameter_names",
    "make_optimizer",
    "optimizer_choices",
    "final_distance",
    "steps_to_leave",
    "ClippedPath",
    "DescentHistory",
    "ELONGATED_BOWL",
    "FitHistory",
    "GROWTH_LIMIT",
    "MinimumVerdict",
    "OBJECTIVES",
    "Objective",
    "PARABOLA",
    "SETTLED_TOLERANCE",
    "SIN_HILLS",
    "TRIPLE_WELL",
    "VALUE_LIMIT",
    "bowl_contours",
    "clip_path",
    "count_ends",
    "EndCounts",
    "visible_from",
    "fit_line",
    "global_mask",
    "gradient_descent",
    "gradient_field",
    "grid_points",
    "least_squares_line",
    "line",
    "loss_profile",
    "loss_surface",
    "make_linear_data",
    "make_parabolic_data",
    "mse",
    "nearest_minimum",
    "random_starts",
    "value_grid",
]
