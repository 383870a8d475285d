"""More functional losses (re-exported by ``nn.functional``), PyTorch's names and
arguments, composed from autograd's ops (so they have second derivatives): nll_loss,
kl_div, l1_loss, smooth_l1_loss, huber_loss."""
from __future__ import annotations

import numpy as np

import autograd as ag
from autograd import Tensor, as_tensor

from .loss_functional import _check_reduction, _check_same_shape, _check_targets, _data, \
    _like, _reduce


def nll_loss(input, target, weight=None, ignore_index: int = -100,
             reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of log-probabilities ``input`` (N, C), (N, C, d1, ...) or
    (C,): ``-weight[t] * input[n, t]`` for class-index targets ``t``; ``ignore_index``
    targets add nothing, and the mean divides by the kept targets' total weight.

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> logp = ag.log_softmax(ag.Tensor(np.zeros((2, 4))), axis=1)
    >>> round(F.nll_loss(logp, np.array([3, -100])).item(), 4)       # log 4
    1.3863
    """
    _check_reduction("nll_loss", reduction)
    x = as_tensor(input)
    t = _data(target)
    if x.ndim == 1:
        out = nll_loss(x.reshape(1, -1), t.reshape(1), weight, ignore_index, reduction)
        return out.reshape(()) if reduction == "none" else out
    if x.ndim < 2 or t.dtype.kind not in "iu":
        raise ValueError(f"nll_loss: expected log-probabilities (N, C, ...) and integer "
                         f"targets, got input of shape {x.shape} and target of dtype {t.dtype}")
    n_classes = x.shape[1]
    _check_targets(x.shape, t, n_classes, ignore_index)
    w = np.ones(n_classes, x.dtype) if weight is None else _data(weight).astype(x.dtype)
    if w.shape != (n_classes,):
        raise ValueError(f"nll_loss: weight of shape {w.shape} for C = {n_classes} classes")
    keep = t != ignore_index
    safe = np.where(keep, t, 0)
    idx = (np.arange(x.shape[0]).reshape((-1,) + (1,) * (t.ndim - 1)), safe) + tuple(
        np.arange(n).reshape((1,) * (i + 1) + (-1,) + (1,) * (t.ndim - 2 - i)) for i, n in enumerate(t.shape[1:]))
    wt = w[safe] * keep
    loss = -(x[idx] * wt)
    if reduction == "mean":
        with np.errstate(invalid="ignore", divide="ignore"):
            return loss.sum() / wt.sum()
    return _reduce(loss, reduction)


def kl_div(input, target, reduction: str = "mean", log_target: bool = False) -> Tensor:
    """Kullback-Leibler divergence with ``input`` log-probabilities: ``target (log target -
    input)`` pointwise (0 where ``target`` is 0), or ``exp(target) (target - input)`` with
    ``log_target``. ``reduction='batchmean'`` divides the sum by the batch size (the
    true KL divergence); 'mean' divides by the number of elements, as PyTorch.

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> p = np.array([[0.5, 0.5, 0.0]])
    >>> F.kl_div(ag.log(ag.Tensor([[0.25, 0.25, 0.5]])), p, reduction="batchmean").item()
    0.693...
    """
    if reduction not in ("mean", "sum", "none", "batchmean"):
        raise ValueError(f"kl_div: reduction must be one of ('mean', 'sum', 'none', "
                         f"'batchmean'), got {reduction!r}")
    _check_same_shape("kl_div", input, target)
    x = as_tensor(input)
    y = _like(target, x)
    if log_target:
        loss = ag.exp(y) * (y - x)
    else:
        yd = _data(y)
        pos = yd > 0
        safe = ag.where(pos, y, 1.0) if isinstance(y, Tensor) else np.where(pos, y, 1)
        loss = ag.where(pos, y * ag.log(safe), 0.0) - y * x if isinstance(y, Tensor) else \
            np.where(pos, y * np.log(safe), 0).astype(x.dtype) - y * x
    if reduction == "batchmean":
        return loss.sum() / (x.shape[0] if x.ndim else 1)
    return _reduce(loss, reduction)


def _difference(who, input, target, reduction):
    _check_reduction(who, reduction)
    _check_same_shape(who, input, target)
    x = as_tensor(input)
    return x - _like(target, x)


def l1_loss(input, target, reduction: str = "mean") -> Tensor:
    """Mean absolute error ``|x - y|`` (gradient ``sign(x - y)``, 0 at a tie).

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> F.l1_loss(ag.Tensor([1.0, -3.0]), np.array([0.0, 0.0])).item()
    2.0
    """
    return _reduce(ag.abs(_difference("l1_loss", input, target, reduction)), reduction)


def smooth_l1_loss(input, target, reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """``0.5 d**2 / beta`` where ``|d| < beta``, ``|d| - 0.5 beta`` elsewhere (``d = x - y``;
    ``beta = 0`` is the L1 loss).

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> F.smooth_l1_loss(ag.Tensor([0.5, 3.0]), np.zeros(2), reduction="none").tolist()
    [0.125, 2.5]
    """
    if beta < 0:
        raise ValueError(f"smooth_l1_loss: beta must be >= 0, got {beta}")
    d = _difference("smooth_l1_loss", input, target, reduction)
    a = ag.abs(d)
    if beta == 0:
        return _reduce(a, reduction)
    return _reduce(ag.where(_data(a) < beta, 0.5 * d * d / beta, a - 0.5 * beta), reduction)


def huber_loss(input, target, reduction: str = "mean", delta: float = 1.0) -> Tensor:
    """``0.5 d**2`` where ``|d| <= delta``, ``delta (|d| - 0.5 delta)`` elsewhere
    (``d = x - y``): ``delta`` times ``smooth_l1_loss`` with ``beta = delta``.

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> F.huber_loss(ag.Tensor([0.5, 3.0]), np.zeros(2), reduction="none", delta=2.0).tolist()
    [0.125, 4.0]
    """
    if delta <= 0:
        raise ValueError(f"huber_loss: delta must be > 0, got {delta}")
    d = _difference("huber_loss", input, target, reduction)
    a = ag.abs(d)
    # ``<``: at |d| = delta both branches have slope delta, and PyTorch's second
    # derivative there is the linear branch's 0
    return _reduce(ag.where(_data(a) < delta, 0.5 * d * d, delta * (a - 0.5 * delta)),
                   reduction)
