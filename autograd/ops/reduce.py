"""Reductions: sum and max/min are primitives; logsumexp and log_softmax are
primitives for numerical stability. mean, var, std, amax/amin and softmax are
composed; count_nonzero, any and all are forward-only. Products and cumulative
ops live in scan.py, norms in norm.py, median and sorting in sort.py."""
import builtins

import numpy as np

from ..function import Op
from ..tensor import Tensor, _wrap
from .registry import op
from .unary import Sqrt, exp as _exp
from .xp import array_module, data, xp


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


def reduce_axes(axis, ndim, op="reduce"):
    """``normalize_axis`` for a reduction: a 0-d tensor takes axis 0 or -1 (as NumPy's
    and PyTorch's ``sum``) and reduces over no axis at all."""
    axes = normalize_axis(axis, ndim, op)
    return axes if ndim else ()


def kept_shape(shape, axes):
    """The shape a reduction over ``axes`` has with keepdims=True."""
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


class Sum(Op):
    """d sum(x) = g broadcast back over the summed axes"""

    def forward(ctx, x, axis=None, keepdims=False):
        ctx.shape = x.shape
        axes = reduce_axes(axis, x.ndim, "sum")
        ctx.kept = kept_shape(x.shape, axes)
        return np.sum(x, axis=axis if x.ndim else None, keepdims=keepdims)

    def backward(ctx, g):
        return xp(g).broadcast_to(g.reshape(ctx.kept), ctx.shape)


class Max(Op):
    """d max(x) = g shared equally by the elements equal to the max"""
    smallest = False

    def forward(ctx, x, axis=None, keepdims=False):
        if x.size == 0:
            raise ValueError(f"{ctx.name}: cannot reduce an empty tensor of shape {x.shape}")
        axes = reduce_axes(axis, x.ndim, ctx.name)
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
        axes = reduce_axes(axis, x.ndim, "logsumexp")
        ctx.kept = kept_shape(x.shape, axes)
        m = np.max(x, axis=axes, keepdims=True) if x.size else \
            array_module(x).zeros(ctx.kept, dtype=x.dtype)
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

def _count(x, axis, op):
    """How many elements each output of a reduction over ``axis`` sums."""
    shape = np.shape(data(x))
    return int(np.prod([shape[a] for a in reduce_axes(axis, len(shape), op)]))


@op("reduce", spellings=True)
def mean(x, axis=None, keepdims=False):
    """Mean over ``axis`` (all by default), as ``sum / n``.

    >>> import autograd as ag
    >>> ag.mean(ag.Tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]), axis=1)
    Tensor([1., 4.])
    """
    n = _count(x, axis, "mean")
    return sum(x, axis, keepdims) * (1.0 / n if n else np.nan)


def _ddof(name, ddof, correction, unbiased):
    """NumPy's ``ddof``, PyTorch's ``correction`` or its older ``unbiased``: one of them."""
    given = [k for k, v in (("ddof", ddof), ("correction", correction),
                            ("unbiased", unbiased)) if v is not None]
    if len(given) > 1:
        raise TypeError(f"{name}: got {' and '.join(given)}; pass one of them")
    if unbiased is not None:
        return 1 if unbiased else 0
    value = correction if correction is not None else ddof if ddof is not None else 0
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}: {given[0] if given else 'ddof'} must be a number, "
                        f"got {value!r}")
    return value


@op("reduce", spellings=True)
def var(x, axis=None, keepdims=False, ddof=None, *, correction=None, unbiased=None):
    """Variance ``sum((x - mean)**2) / (n - ddof)`` over ``axis``; ``ddof`` 0 by default
    (NumPy), or PyTorch's ``correction`` / ``unbiased``. ``ddof >= n`` gives inf (nan
    for a constant slice), as NumPy and PyTorch, without their warnings.

    >>> import autograd as ag
    >>> x = ag.Tensor([1.0, 2.0, 3.0, 4.0])
    >>> ag.var(x).item(), round(ag.var(x, ddof=1).item(), 4), ag.var(x, correction=4).item()
    (1.25, 1.6667, inf)
    """
    ddof = _ddof("var", ddof, correction, unbiased)
    n = _count(x, axis, "var")
    d = x - mean(x, axis, keepdims=True)
    with np.errstate(invalid="ignore"):  # 0 * inf: a constant slice with n <= ddof
        return sum(d * d, axis, keepdims) * (1.0 / (n - ddof) if n > ddof else np.inf)


class SqrtZeroAtZero(Sqrt):
    """d sqrt(x) = g / (2 sqrt(x)), and 0 where sqrt(x) = 0 (PyTorch's std and norm)"""
    op_name = "sqrt"

    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        live = data(out) != 0
        return g * 0.5 / xp(g).where(live, out, 1) * live


@op("reduce", spellings=True)
def std(x, axis=None, keepdims=False, ddof=None, *, correction=None, unbiased=None):
    """Standard deviation ``sqrt(var(x, axis, ddof))``; ``ddof`` 0 by default (NumPy), or
    PyTorch's ``correction`` / ``unbiased``. Its gradient is 0 where it is 0, as PyTorch's.

    >>> import autograd as ag
    >>> x = ag.Tensor([[1.0, 3.0], [2.0, 2.0]], requires_grad=True)
    >>> s = ag.std(x, dim=1, correction=1); s
    Tensor([1.4142, 0.    ], grad_fn=<sqrt>)
    >>> s.sum().backward(); x.grad
    Tensor([[-0.7071,  0.7071],
            [ 0.    ,  0.    ]])
    """
    return SqrtZeroAtZero.apply1(var(x, axis, keepdims, _ddof("std", ddof, correction,
                                                               unbiased)))


@op("reduce", spellings=True)
def amax(x, axis=None, keepdims=False):
    """Largest value over ``axis`` (PyTorch's amax); ties share the gradient equally.

    >>> import autograd as ag
    >>> x = ag.Tensor([[1.0, 3.0], [3.0, 2.0]], requires_grad=True)
    >>> ag.amax(x).backward(); x.grad
    Tensor([[0. , 0.5],
            [0.5, 0. ]])
    """
    return Max.apply(x, axis=axis, keepdims=keepdims)


@op("reduce", spellings=True)
def amin(x, axis=None, keepdims=False):
    """Smallest value over ``axis`` (PyTorch's amin); ties share the gradient equally.

    >>> import autograd as ag
    >>> ag.amin(ag.Tensor([[1.0, 3.0], [0.0, 2.0]]), dim=1)
    Tensor([1., 0.])
    """
    return Min.apply(x, axis=axis, keepdims=keepdims)


# -- forward-only reductions (counts and truth values: no gradient) ------------

def _forward_only(name, fn, x, axis, keepdims):
    a = x.data if isinstance(x, Tensor) else np.asarray(x)
    axes = reduce_axes(axis, a.ndim, name)
    return _wrap(np.asarray(fn(a, axis=axes, keepdims=keepdims)), None, False)


@op("reduce", spellings=True)
def count_nonzero(x, axis=None, keepdims=False):
    """How many elements are not zero over ``axis``: an int64 tensor, no gradient.

    >>> import autograd as ag
    >>> ag.count_nonzero(ag.Tensor([[1.0, 0.0], [2.0, 3.0]]), dim=1)
    Tensor([1, 2], dtype=int64)
    """
    out = _forward_only("count_nonzero", np.count_nonzero, x, axis, keepdims)
    out.data = out.data.astype(np.int64, copy=False)
    return out


@op("reduce", spellings=True)
def any(x, axis=None, keepdims=False):
    """Whether any element over ``axis`` is true (not zero): a bool tensor, no gradient.

    >>> import autograd as ag
    >>> ag.any(ag.Tensor([[0.0, 0.0], [0.0, 2.0]]), axis=1)
    Tensor([False,  True], dtype=bool)
    """
    return _forward_only("any", np.any, x, axis, keepdims)


@op("reduce", spellings=True)
def all(x, axis=None, keepdims=False):
    """Whether every element over ``axis`` is true (not zero): a bool tensor, no gradient.

    >>> import autograd as ag
    >>> ag.all(ag.Tensor([[1.0, 0.0], [1.0, 2.0]]), dim=1)
    Tensor([False,  True], dtype=bool)
    """
    return _forward_only("all", np.all, x, axis, keepdims)


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
