"""Gradient clipping (in place on the parameters' ``.grad``), GradientRecorder, and ``rnn``
(padded batches of sequences and their masks)."""
from __future__ import annotations

import math

import numpy as np

from autograd import Tensor


def _with_grads(parameters) -> list:
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p for p in parameters if p.grad is not None]


def clip_grad_norm_(parameters, max_norm: float, norm_type: float = 2.0) -> np.float64:
    """Scale all gradients together so that their joint norm is at most ``max_norm``;
    returns the total norm before clipping (as PyTorch; a NumPy scalar, so both
    ``float(norm)`` and ``norm.item()`` work).

    >>> import numpy as np, autograd as ag, nn
    >>> p = nn.Parameter(np.zeros(2)); p.grad = ag.Tensor(np.array([3.0, 4.0]))
    >>> float(nn.utils.clip_grad_norm_([p], 1.0)), np.round(p.grad.data, 6).tolist()
    (5.0, [0.6, 0.8])
    """
    if max_norm < 0:
        raise ValueError(f"clip_grad_norm_: max_norm must be >= 0, got {max_norm}")
    params = _with_grads(parameters)
    if not params:
        return np.float64(0.0)
    norm_type = float(norm_type)
    if math.isinf(norm_type):
        total = max(float(np.abs(p.grad.data).max(initial=0.0)) for p in params)
    else:
        total = sum(float((np.abs(p.grad.data.astype(np.float64)) ** norm_type).sum())
                    for p in params) ** (1.0 / norm_type)
    coef = max_norm / (total + 1e-6)
    if coef < 1.0:
        for p in params:
            p.grad.data = p.grad.data * np.asarray(coef, dtype=p.grad.data.dtype)
    return np.float64(total)


def clip_grad_value_(parameters, clip_value: float) -> None:
    """Clip every gradient element into ``[-clip_value, clip_value]``.

    >>> import numpy as np, autograd as ag, nn
    >>> p = nn.Parameter(np.zeros(2)); p.grad = ag.Tensor(np.array([-3.0, 0.5]))
    >>> nn.utils.clip_grad_value_([p], 1.0); p.grad.data.tolist()
    [-1.0, 0.5]
    """
    if clip_value < 0:
        raise ValueError(f"clip_grad_value_: clip_value must be >= 0, got {clip_value}")
    for p in _with_grads(parameters):
        p.grad.data = np.clip(p.grad.data, -clip_value, clip_value)


from . import rnn  # noqa: E402
from .gradient_recorder import GradientRecorder  # noqa: E402
