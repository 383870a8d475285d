"""Reductions: sum and max/min are primitives; logsumexp and log_softmax are
primitives for numerical stability. mean, var and softmax are composed."""
import builtins

import numpy as np

from ..function import Op
from ..tensor import Tensor, _wrap
from .registry import op
from .unary import exp as _exp
from .xp import data, xp


def normalize_axis(axis, ndim, op="reduce"):
    """``axis`` as a sorted tuple of non-negative ints (None means every axis)."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for a in axes:
        if not -builtins.max(ndim, 1) <= a < builtins.max(ndim, 1):
            raise ValueError(f"{op}: axis {a} is out of range for a tensor with {ndim} dims")
        out.append(int(a) % builtins.max(ndim, 1))
    if len(set(out)) != len(out):
        raise ValueError(f"{op}: repeated axis in {axis}")
    return tuple(sorted(out))


def kept_shape(shape, axes):
    """The shape a reduction over ``axes`` has with keepdims=True."""
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


class Sum(Op):
    """d sum(x) = g broadcast back over the summed axes"""

    def forward(ctx, x, axis=None, keepdims=False):
        ctx.shape = x.shape
        ctx.kept = kept_shape(x.shape, normalize_axis(axis, x.ndim, "sum"))
        return np.sum(x, axis=axis, keepdims=keepdims)

    def backward(ctx, g):
        return xp(g).broadcast_to(g.reshape(ctx.kept), ctx.shape)


class Max(Op):
    """d max(x) = g shared equally by the elements equal to the max"""
    smallest = False

    def forward(ctx, x, axis=None, keepdims=False):
        if x.size == 0:
            raise ValueError(f"{ctx.name}: cannot reduce an empty tensor of shape {x.shape}")
        axes = normalize_axis(axis, x.ndim, ctx.name)
        ctx.kept = kept_shape(x.shape, axes)
        out = (np.min if ctx.smallest else np.max)(x, axis=axes, keepdims=True)
        hit = x == out
        ctx.save_for_backward(hit / hit.sum(axis=axes, keepdims=True).astype(x.dtype))
        return out if keepdims else out.reshape([n for i, n in enumerate(x.shape)
                                                 if i not in axes])

    def backward(ctx, g):
        (weights,) = ctx.saved_tensors
        return g.reshape(ctx.kept) * weights


class Min(Max):
    """d min(x) = g shared equally by the elements equal to the min"""
    smallest = True


class LogSumExp(Op):
    """d logsumexp(x) = g * exp(x - logsumexp(x)), computed with the max taken out"""
    op_name = "logsumexp"

    def forward(ctx, x, axis=None, keepdims=False):
        axes = normalize_axis(axis, x.ndim, "logsumexp")
        ctx.kept = kept_shape(x.shape, axes)
        m = np.max(x, axis=axes, keepdims=True) if x.size else np.zeros(ctx.kept, x.dtype)
        m = np.where(np.isfinite(m), m, 0)  # all -inf rows: no shift, the result is -inf
        with np.errstate(divide="ignore"):
            out = m + np.log(np.sum(np.exp(x - m), axis=axes, keepdims=True))
        if not keepdims:
            out = out.reshape([n for i, n in enumerate(x.shape) if i not in axes])
        ctx.save_for_backward(x, out)  # the returned array, so that it stays differentiable
        return out

    def backward(ctx, g):
        x, out = ctx.saved_tensors
        return g.reshape(ctx.kept) * xp(g).exp(x - out.reshape(ctx.kept))


class LogSoftmax(Op):
    """d log_softmax(x) = g - softmax(x) * sum(g)"""
    op_name = "log_softmax"

    def forward(ctx, x, axis=-1):
        ctx.axis = axis
        m = np.max(x, axis=axis, keepdims=True)
        shifted = x - np.where(np.isfinite(m), m, 0)
        out = shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
        ctx.save_for_backward(out)
        return out

    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g - xp(g).exp(out) * g.sum(axis=ctx.axis, keepdims=True)


# -- public functions ----------------------------------------------------------

@op("reduce", spellings=True)
def sum(x, axis=None, keepdims=False):
    """Sum over ``axis`` (an int, a tuple, or None for all), NumPy's ``keepdims``.

    >>> import numpy as np, autograd as ag
    >>> x = ag.Tensor(np.ones((2, 3)))
    >>> ag.sum(x).item(), ag.sum(x, axis=0).shape, ag.sum(x, axis=1, keepdims=True).shape
    (6.0, (3,), (2, 1))
    """
    return Sum.apply(x, axis=axis, keepdims=keepdims)

@op("reduce", spellings=True)
def max(x, axis=None, keepdims=False):
    """Largest value over ``axis``; the gradient goes to the max (shared on ties).

    >>> import autograd as ag
    >>> x = ag.Tensor([[1.0, 5.0], [7.0, 2.0]], requires_grad=True)
    >>> ag.max(x, axis=1).backward(ag.Tensor([1.0, 1.0])); x.grad
    Tensor([[0., 1.],
            [1., 0.]])
    """
    return Max.apply(x, axis=axis, keepdims=keepdims)

@op("reduce", spellings=True)
def min(x, axis=None, keepdims=False):
    """Smallest value over ``axis``; the gradient goes to the min (shared on ties).

    >>> import autograd as ag
    >>> ag.min(ag.Tensor([[1.0, 5.0], [7.0, 2.0]]), axis=0)
    Tensor([1., 2.])
    """
    return Min.apply(x, axis=axis, keepdims=keepdims)

@op("reduce", spellings=True)
def logsumexp(x, axis=None, keepdims=False):
    """``log(sum(exp(x)))`` computed without overflow (max subtracted first).

    >>> import numpy as np, autograd as ag
    >>> x = ag.Tensor(np.array([1000.0, 1000.0]))       # float64
    >>> round(ag.logsumexp(x).item(), 4)                # 1000 + log 2, no overflow
    1000.6931
    """
    return LogSumExp.apply(x, axis=axis, keepdims=keepdims)


@op("reduce", spellings=True)
def log_softmax(x, axis=-1):
    """``x - logsumexp(x)`` along ``axis``, stable for any input.

    >>> import autograd as ag
    >>> ag.log_softmax(ag.Tensor([-1000.0, 0.0, 1000.0]))
    Tensor([-2000., -1000.,     0.])
    """
    return LogSoftmax.apply(x, axis=axis)


@op("reduce", spellings=True)
def argmax(x, axis=None, keepdims=False):
    """Index of the largest value (flat, or along ``axis``): an int64 tensor, no gradient.

    >>> import autograd as ag
    >>> ag.argmax(ag.Tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]]), axis=1)
    Tensor([1, 0], dtype=int64)
    """
    a = x.data if isinstance(x, Tensor) else np.asarray(x)
    return _wrap(np.asarray(np.argmax(a, axis=axis, keepdims=keepdims)), None, False)


@op("reduce", spellings=True)
def argmin(x, axis=None, keepdims=False):
    """Index of the smallest value (flat, or along ``axis``): an int64 tensor, no gradient.

    >>> import autograd as ag
    >>> ag.argmin(ag.Tensor([3.0, -1.0, 2.0])).item()
    1
    """
    a = x.data if isinstance(x, Tensor) else np.asarray(x)
    return _wrap(np.asarray(np.argmin(a, axis=axis, keepdims=keepdims)), None, False)


# -- composed reductions -------------------------------------------------------

@op("reduce", spellings=True)
def mean(x, axis=None, keepdims=False):
    """Mean over ``axis`` (all by default), as ``sum / n``.

    >>> import autograd as ag
    >>> ag.mean(ag.Tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]), axis=1)
    Tensor([1., 4.])
    """
    shape = np.shape(data(x))
    n = int(np.prod([shape[a] for a in normalize_axis(axis, len(shape), "mean")]))
    return sum(x, axis, keepdims) * (1.0 / n if n else np.nan)


@op("reduce", spellings=True)
def var(x, axis=None, keepdims=False, ddof=0):
    """Variance over ``axis`` with NumPy's ``ddof`` (0: divide by n).

    >>> import autograd as ag
    >>> x = ag.Tensor([1.0, 2.0, 3.0, 4.0])
    >>> ag.var(x).item(), round(ag.var(x, ddof=1).item(), 4)
    (1.25, 1.6667)
    """
    shape = np.shape(data(x))
    n = int(np.prod([shape[a] for a in normalize_axis(axis, len(shape), "var")]))
    d = x - mean(x, axis, keepdims=True)
    return sum(d * d, axis, keepdims) * (1.0 / (n - ddof) if n > ddof else np.nan)


@op("reduce", spellings=True)
def softmax(x, axis=-1):
    """``exp(log_softmax(x))``: stable for any input.

    >>> import autograd as ag
    >>> p = ag.softmax(ag.Tensor([[1.0, 1.0], [0.0, 1000.0]]))
    >>> p
    Tensor([[0.5, 0.5],
            [0. , 1. ]])
    """
    return _exp(LogSoftmax.apply(x, axis=axis))
