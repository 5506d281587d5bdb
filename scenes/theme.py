"""Every colour, font size, stroke width and timing of the figures, in one place.

Scenes and components import names from here; no hex colour or font size appears
anywhere else. The palette is tuned for a dark page and stays legible at 480p.
"""

from __future__ import annotations

from manim import ManimColor

# --- page -------------------------------------------------------------------
BACKGROUND = ManimColor("#0E1117")
TEXT = ManimColor("#E6E9EF")
MUTED_TEXT = ManimColor("#9AA3B2")
AXIS = ManimColor("#7C8596")
GRID = ManimColor("#2A3140")

# --- accents ------------------------------------------------------------------
GRADIENT_ARROW = ManimColor("#4FA3FF")  # the post: "the blue represents the derivative"
PREDICTION = ManimColor("#FF5C5C")  # the post's red predicted line
TRUE_CURVE = ManimColor("#E6E9EF")
SAMPLE = ManimColor("#5FB3FF")
GLOBAL_MIN = ManimColor("#5EE07A")
LOCAL_MIN = ManimColor("#FFB347")

# Height colour scale, low to high (the 3-D surface and the top-down map): cool
# colours only, so the warm descending points stand out on every part of it.
HEIGHT_SCALE = [
    ManimColor("#0A1A4A"),
    ManimColor("#15407A"),
    ManimColor("#1D6C8C"),
    ManimColor("#3C9E9B"),
    ManimColor("#9FD3C7"),
]

# One colour per descending point: warm and bright, distinct from each other and
# from the height scale.
POINT_COLORS = [
    ManimColor("#FF4D6D"),
    ManimColor("#FFD23F"),
    ManimColor("#FF8C42"),
    ManimColor("#FFFFFF"),
    ManimColor("#F72585"),
    ManimColor("#C6F432"),
    ManimColor("#FF9EBB"),
    ManimColor("#E9C46A"),
    ManimColor("#FF5400"),
    ManimColor("#D0A2F7"),
    ManimColor("#FFB4A2"),
    ManimColor("#FB6F92"),
]

# --- type ---------------------------------------------------------------------
FONT = "DejaVu Sans"
TITLE_SIZE = 40
LABEL_SIZE = 28
READOUT_SIZE = 26
SMALL_SIZE = 22

# --- strokes and marks --------------------------------------------------------------
AXIS_STROKE = 2.0
PATH_STROKE = 3.5
PATH_STROKE_3D = 3.0
DOT_RADIUS = 0.075
DOT_OUTLINE = BACKGROUND
DOT_OUTLINE_STROKE = 1.5
SURFACE_STROKE = 0.6  # thin strokes in the face colour hide seams between faces
SURFACE_OPACITY = 1.0

# --- 3-D view -----------------------------------------------------------------------
CAMERA_PHI_DEG = 62
CAMERA_THETA_DEG = -50
CAMERA_ZOOM = 1.0
# Paths float this far above the surface so they are never buried in it.
PATH_LIFT = 0.04

# --- timing (seconds) ---------------------------------------------------------
INTRO_TIME = 1.0
DESCENT_TIME = 6.0
HOLD_TIME = 2.0
