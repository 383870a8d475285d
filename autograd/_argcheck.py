"""Argument checks shared by the gradient checkers: a clear error naming the
function, the argument and the value, raised before any work is done."""
from __future__ import annotations

import numpy as np


def real(who, name, value, positive=False):
    """``value`` as a float, or a clear error: a finite number, >= 0 (> 0 if ``positive``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{who}: {name} must be a number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value) or value < 0 or (positive and value == 0):
        kind = "positive" if positive else "non-negative"
        raise ValueError(f"{who}: {name} must be a finite {kind} number, got {value!r}")
    return value


def count(who, name, value, minimum=1):
    """``value`` as an int, or a clear error when it is not an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{who}: {name} must be an integer, got {type(value).__name__} "
                        f"{value!r}")
    if value < minimum:
        raise ValueError(f"{who}: {name} must be at least {minimum}, got {value}")
    return int(value)


def check_callable(who, fn):
    if not callable(fn):
        raise TypeError(f"{who}: fn must be callable, got {type(fn).__name__}")
