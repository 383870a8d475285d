"""Layer and group normalisation (``nn.functional.layer_norm``, ``group_norm``).

Both are compositions of autograd's ops (mean, subtraction, a square root), so
their gradients, and second derivatives, come from those ops. Statistics are
per sample, so training and evaluation compute the same thing (no running
statistics, unlike batch norm).
"""
from __future__ import annotations

import numpy as np

from autograd import Tensor, as_tensor, sqrt


def _normalize(x: Tensor, axes: tuple, eps: float) -> Tensor:
    """``(x - mean) / sqrt(var + eps)`` over ``axes`` (biased variance, as PyTorch)."""
    centered = x - x.mean(axis=axes, keepdims=True)
    var = (centered * centered).mean(axis=axes, keepdims=True)
    return centered / sqrt(var + eps)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps: float = 1e-5) -> Tensor:
    """Normalise over the last ``len(normalized_shape)`` dims of each sample to zero mean
    and unit (biased) variance, then ``* weight + bias`` (both of ``normalized_shape``).

    >>> import numpy as np, nn.functional as F
    >>> F.layer_norm(np.array([[1.0, 2.0, 3.0], [2.0, 2.0, 2.0]]), (3,)).data.round(4)
    array([[-1.2247,  0.    ,  1.2247],
           [ 0.    ,  0.    ,  0.    ]])
    """
    x = as_tensor(input)
    shape = (int(normalized_shape),) if np.ndim(normalized_shape) == 0 else \
        tuple(int(n) for n in normalized_shape)
    k = len(shape)
    if k == 0 or x.ndim < k or tuple(x.shape[x.ndim - k:]) != shape:
        raise ValueError(f"layer_norm: normalized_shape {shape} must match the last dims "
                         f"of the input, got input of shape {x.shape}")
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and tuple(np.shape(p)) != shape:
            raise ValueError(f"layer_norm: {name} must have shape {shape}, "
                             f"got {tuple(np.shape(p))}")
    y = _normalize(x, tuple(range(x.ndim - k, x.ndim)), eps)
    if weight is not None:
        y = y * as_tensor(weight)
    if bias is not None:
        y = y + as_tensor(bias)
    return y


def group_norm(input, num_groups: int, weight=None, bias=None, eps: float = 1e-5) -> Tensor:
    """Split the channels (dim 1) of each sample of ``(N, C, *)`` into ``num_groups``
    groups, normalise each group to zero mean and unit (biased) variance, then scale
    and shift per channel by ``weight`` and ``bias`` (shape ``(C,)``).

    >>> import numpy as np, nn.functional as F
    >>> x = np.array([[1.0, 3.0, 10.0, 30.0]])          # (N=1, C=4), two groups
    >>> F.group_norm(x, 2).data.round(4)
    array([[-1.,  1., -1.,  1.]])
    """
    x = as_tensor(input)
    if x.ndim < 2:
        raise ValueError(f"group_norm: expected input (N, C, *), got shape {x.shape}")
    n, c = x.shape[:2]
    g = int(num_groups)
    if g <= 0 or c % g:
        raise ValueError(f"group_norm: num_groups={num_groups} must divide the "
                         f"{c} channels of the input of shape {x.shape}")
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and tuple(np.shape(p)) != (c,):
            raise ValueError(f"group_norm: {name} must have shape ({c},), "
                             f"got {tuple(np.shape(p))}")
    grouped = x.reshape(n, g, (c // g) * int(np.prod(x.shape[2:], dtype=np.int64)))
    y = _normalize(grouped, (2,), eps).reshape(x.shape)
    cshape = (1, c) + (1,) * (x.ndim - 2)
    if weight is not None:
        y = y * as_tensor(weight).reshape(cshape)
    if bias is not None:
        y = y + as_tensor(bias).reshape(cshape)
    return y
