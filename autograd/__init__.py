"""A small reverse-mode autograd engine on NumPy.

>>> import autograd as ag
>>> a, b, c = (ag.Tensor(v, requires_grad=True) for v in (5.0, 3.0, 2.0))
>>> J = 3 * (a + b * c)
>>> J.backward()
>>> J.item(), a.grad.item(), b.grad.item(), c.grad.item()
(33.0, 3.0, 6.0, 9.0)
"""
from . import _malloc

_malloc.tune()  # large temporaries reuse freed memory: see autograd/_malloc.py

from .tensor import Tensor
from .function import Function
from .engine import NotScalarError, grad
from .mode import (AnomalyError, detect_anomaly, enable_grad, is_anomaly_enabled,
                   is_grad_enabled, no_grad, scope, set_grad_enabled)
from .ops import (abs, add, argmax, argmin, astype, broadcast_to, clip, clone, concatenate,
                  cos, div,
                  exp, expand_dims, flatten, getitem, leaky_relu, log, log_softmax, logsumexp,
                  matmul, max, maximum, mean, min, minimum, mul, neg, pad, pow, relu, reshape,
                  sigmoid, sin, softmax, split, sqrt, squeeze, stack, sub, sum, swapaxes, tanh,
                  transpose, var, where)
from .factory import (arange, eye, full, ones, ones_like, rand, randn, tensor, zeros,
                      zeros_like)
from .random import default_generator, get_rng, manual_seed
from .gradcheck import (GradcheckError, GradcheckReport, compare_grads, gradcheck,
                        gradgradcheck, numerical_grad, verdict)

__version__ = "0.1.0"

__all__ = [
    "Tensor", "Function", "grad", "NotScalarError", "AnomalyError", "detect_anomaly",
    "enable_grad", "is_anomaly_enabled", "is_grad_enabled", "no_grad", "scope",
    "set_grad_enabled", "abs", "add", "argmax", "argmin", "astype", "broadcast_to", "clip",
    "clone",
    "concatenate", "cos", "div", "exp", "expand_dims", "flatten", "getitem", "leaky_relu",
    "log", "log_softmax", "logsumexp", "matmul", "max", "maximum", "mean", "min", "minimum",
    "mul", "neg", "pad", "pow", "relu", "reshape", "sigmoid", "sin", "softmax", "split",
    "sqrt", "squeeze", "stack", "sub", "sum", "swapaxes", "tanh", "transpose", "var",
    "where", "arange", "eye", "full", "ones", "ones_like", "rand", "randn", "tensor", "zeros",
    "zeros_like", "default_generator", "get_rng", "manual_seed", "GradcheckError",
    "GradcheckReport", "compare_grads", "gradcheck", "gradgradcheck", "numerical_grad",
    "verdict",
]
