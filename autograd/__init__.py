"""A small reverse-mode autograd engine on NumPy.

>>> import autograd as ag
>>> a, b, c = (ag.Tensor(v, requires_grad=True) for v in (5.0, 3.0, 2.0))
>>> J = 3 * (a + b * c)
>>> J.backward()
>>> J.item(), a.grad.item(), b.grad.item(), c.grad.item()
(33.0, 3.0, 6.0, 9.0)
"""
from . import _clash  # noqa: F401  (first: a folder shared with HIPS autograd fails clearly)
from ._malloc import tune_allocator, tune_if_asked as _tune_if_asked

_tune_if_asked()  # only with AUTOGRAD_TUNE_ALLOCATOR=1: see autograd/_malloc.py

from .tensor import Tensor
from .function import Function
from .engine import NotScalarError, grad
from .mode import (AnomalyError, detect_anomaly, enable_grad, is_anomaly_enabled,
                   is_grad_enabled, no_grad, scope, set_grad_enabled)
from . import factory as _factory  # noqa: F401  (declares the factories)
from .ops import public_functions as _public_functions
from .random import default_generator, get_rng, manual_seed
from .gradcheck import (GradcheckError, GradcheckReport, compare_grads, gradcheck,
                        gradgradcheck, numerical_grad, verdict)

__version__ = "0.1.0"

# The ops and factories come from their declarations (autograd/ops/registry.py).
_OPS = _public_functions()
globals().update(_OPS)

__all__ = [
    "Tensor", "Function", "grad", "NotScalarError", "AnomalyError", "detect_anomaly",
    "enable_grad", "is_anomaly_enabled", "is_grad_enabled", "no_grad", "scope",
    "set_grad_enabled", "default_generator", "get_rng", "manual_seed", "GradcheckError",
    "GradcheckReport", "compare_grads", "gradcheck", "gradgradcheck", "numerical_grad",
    "verdict", "tune_allocator",
] + list(_OPS)
