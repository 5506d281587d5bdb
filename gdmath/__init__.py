"""gdmath: the pure-numpy core behind every figure (no manim here, ever).

Objectives with analytic gradients, vectorised gradient descent with any of five
update rules (SGD, Momentum, Nesterov, RMSProp, Adam) and its full history, which minimum a point settled in, grids and fields for drawing, contour
and clipping geometry, and linear regression as in the post.
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
from .descent import (
    GROWTH_LIMIT,
    VALUE_LIMIT,
    DescentHistory,
    descend,
    final_distance,
    gradient_descent,
    steps_to_leave,
)
from .geometry import ClippedPath, bowl_contours, camera_eye, clip_path, visible_from
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
    FitHistory,
    fit_line,
    least_squares_line,
    line,
    loss_profile,
    loss_surface,
    make_linear_data,
    make_parabolic_data,
    mse,
)

__all__ = [
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
    "camera_eye",
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
