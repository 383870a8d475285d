"""Products and cumulative ops: prod, cumsum, cumprod, logcumsumexp, cummax, cummin.

The gradients are exact with zeros in the input: prod's is the product of the
other elements (prefix times suffix products, no division), and cumprod's divides
only before a slice's first zero, as PyTorch's. Backward formulas run on arrays
or on Tensors (the helpers below pick), so second derivatives come for free.
"""
from __future__ import annotations

from collections import namedtuple

import numpy as np

from ..function import Op
from ..tensor import Tensor, _wrap
from .reduce import kept_shape, reduce_axes, sum as _sum
from .registry import op
from .shape import concatenate as _concatenate
from .sort import _as_1d, _as_tensor, one_axis, take_along
from .xp import array_module, const_like, data, xp

CumResult = namedtuple("cummax", ["values", "indices"])
CumminResult = namedtuple("cummin", ["values", "indices"])


# -- helpers on arrays or Tensors -------------------------------------------------

def _flip(a, axis):
    return a[(slice(None),) * axis + (slice(None, None, -1),)]


def _cumsum(a, axis):
    return Cumsum.apply(a, axis=axis) if isinstance(a, Tensor) else np.cumsum(a, axis)


def _cumprod(a, axis):
    return Cumprod.apply(a, axis=axis) if isinstance(a, Tensor) else np.cumprod(a, axis)


def _rcumsum(a, axis):
    """Sums from each position to the end of the axis."""
    return _flip(_cumsum(_flip(a, axis), axis), axis)


def _exclusive_cumprod(a, axis):
    """Products of the elements before each position (1 at the first): no division."""
    ones = array_module(a).ones(a.shape[:axis] + (1,) + a.shape[axis + 1:],
                                dtype=data(a).dtype)
    head = a[(slice(None),) * axis + (slice(0, -1),)]
    shifted = _concatenate([ones, head], axis) if isinstance(a, Tensor) else \
        np.concatenate([ones, head], axis)
    return _cumprod(shifted, axis)


def others_product(x, axes):
    """For each element, the product of the other elements of its slice over ``axes``."""
    if not axes:
        return const_like(x, array_module(x).ones(x.shape, dtype=data(x).dtype))
    rest = [i for i in range(x.ndim) if i not in axes]
    perm = rest + list(axes)
    moved = x.transpose(perm)
    flat = moved.reshape(moved.shape[:len(rest)] + (-1,))
    last = flat.ndim - 1
    others = _exclusive_cumprod(flat, last) * _flip(_exclusive_cumprod(_flip(flat, last),
                                                                       last), last)
    return others.reshape(moved.shape).transpose(tuple(int(i) for i in np.argsort(perm)))


# -- primitives ---------------------------------------------------------------------

class Prod(Op):
    """d prod(x) = g * (product of the other elements), exact with zeros"""

    def forward(ctx, x, axis=None, keepdims=False):
        axes = reduce_axes(axis, np.ndim(x), "prod")
        ctx.axes, ctx.kept = axes, kept_shape(np.shape(x), axes)
        ctx.save_for_backward(x)
        return np.prod(x, axis=axes, keepdims=keepdims)

    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        if x.size == 0:
            return const_like(g, array_module(g).zeros(x.shape, dtype=data(g).dtype))
        return g.reshape(ctx.kept) * others_product(x, ctx.axes)


class Cumsum(Op):
    """d cumsum(x) = g summed from each position to the end"""

    def forward(ctx, x, axis):
        ctx.axis = axis
        return np.cumsum(x, axis)

    def backward(ctx, g):
        return _rcumsum(g, ctx.axis)


class Cumprod(Op):
    """d cumprod(x)_i = sum_{k>=i} g_k y_k / x_i before a slice's first zero; at that zero
    the same sum with the zero taken as 1; 0 after it (a polynomial under create_graph)"""

    def forward(ctx, x, axis):
        ctx.axis = axis
        out = np.cumprod(x, axis)
        ctx.save_for_backward(x, out)
        return out

    def backward(ctx, g):
        x, y = ctx.saved_tensors
        return _cumprod_grad(g, x, y, ctx.axis)


def _cumprod_grad(g, x, y, axis):
    zero = data(x) == 0
    if not zero.any():
        return _rcumsum(g * y, axis) / x
    ns = xp(g)
    zeros_so_far = np.cumsum(zero, axis)
    before = zeros_so_far == 0
    first = zero & (zeros_so_far == 1)
    x1 = ns.where(first, 1, x)  # the first zero taken as 1
    y1 = _cumprod(x1, axis)
    at_first = _rcumsum(g * y1, axis)
    before_first = _rcumsum(g * y, axis) / ns.where(before, x, 1)
    after = 0  # every product there holds the first zero
    if isinstance(g, Tensor):  # ... but its derivative in that zero is not 0:
        # grad_i(x) = x_first * grad_i(x1) after the first zero (x1 has one zero fewer)
        after = _sum(ns.where(first, x, 0), axis, keepdims=True) * \
            _cumprod_grad(g, x1, y1, axis)
    return ns.where(before, before_first, ns.where(first, at_first, after))


class LogCumSumExp(Op):
    """d logcumsumexp(x)_i = sum_{k>=i} g_k exp(x_i - out_k), summed in log space for
    the positive and the negative g separately (no overflow)"""
    op_name = "logcumsumexp"

    def forward(ctx, x, axis):
        ctx.axis = axis
        out = np.logaddexp.accumulate(x, axis=axis)
        ctx.save_for_backward(x, out)
        return out

    def backward(ctx, g):
        x, out = ctx.saved_tensors
        axis, ns, ga = ctx.axis, xp(g), data(g)
        # log(0) as a huge finite number (-inf would give NaN gradients), halved so that
        # adding x to it cannot overflow
        lowest = np.finfo(ga.dtype).min / 2
        log_g = ns.log(ns.where(ga == 0, 1, abs(g))) - out

        def part(mask):
            terms = ns.where(mask, log_g, lowest)
            reverse = _flip(_logcumsumexp(_flip(terms, axis), axis), axis)
            return ns.exp(x + reverse)
        return part(ga > 0) - part(ga < 0)


def _logcumsumexp(a, axis):
    if isinstance(a, Tensor):
        return LogCumSumExp.apply(a, axis=axis)
    return np.logaddexp.accumulate(a, axis=axis)


# -- public functions ---------------------------------------------------------------

@op("reduce", spellings=True)
def prod(x, axis=None, keepdims=False):
    """Product over ``axis``; the gradient is the product of the other elements, exact
    with zeros in the input (one zero or several per slice, as PyTorch's).

    >>> import autograd as ag
    >>> x = ag.Tensor([[2.0, 0.0, 3.0], [1.0, 2.0, 3.0]], requires_grad=True)
    >>> p = ag.prod(x, dim=1); p
    Tensor([0., 6.], grad_fn=<prod>)
    >>> p.sum().backward(); x.grad
    Tensor([[0., 6., 0.],
            [6., 3., 2.]])
    """
    return Prod.apply(x, axis=axis, keepdims=keepdims)


def _numpy_scan(name, op_cls, x, axis, dtype):
    """NumPy's cumsum/cumprod: ``axis=None`` flattens, a 0-d tensor is one element."""
    x = _as_tensor(x)
    if dtype is not None:
        x = x.astype(dtype)
    if axis is None or x.ndim == 0:
        if axis is not None:
            one_axis(axis, 0, name)
        x, axis = x.reshape(-1), 0
    return op_cls.apply(x, axis=one_axis(axis, x.ndim, name))


@op("reduce", spellings=True)
def cumsum(x, axis=None, dtype=None):
    """Running sum along ``axis`` (NumPy: ``axis=None`` flattens first); integers and
    bools sum in int64 as NumPy's. The gradient sums ``g`` from each position to the end.

    >>> import autograd as ag
    >>> ag.cumsum(ag.Tensor([[1.0, 2.0], [3.0, 4.0]]), dim=1)
    Tensor([[1., 3.],
            [3., 7.]])
    """
    return _numpy_scan("cumsum", Cumsum, x, axis, dtype)


@op("reduce", spellings=True)
def cumprod(x, axis=None, dtype=None):
    """Running product along ``axis`` (NumPy: ``axis=None`` flattens first); the gradient
    is exact with zeros in the input, as PyTorch's.

    >>> import autograd as ag
    >>> x = ag.Tensor([2.0, 0.0, 3.0], requires_grad=True)
    >>> y = ag.cumprod(x); y
    Tensor([2., 0., 0.], grad_fn=<cumprod>)
    >>> y.sum().backward(); x.grad
    Tensor([1., 8., 0.])
    """
    return _numpy_scan("cumprod", Cumprod, x, axis, dtype)


@op("reduce", spellings=True)
def logcumsumexp(x, axis):
    """``log(cumsum(exp(x)))`` along ``axis``, without overflow (PyTorch's; a 0-d tensor
    gives itself).

    >>> import numpy as np, autograd as ag
    >>> ag.logcumsumexp(ag.Tensor(np.array([0.0, 1000.0, 1000.0])), dim=0)
    Tensor([   0.    , 1000.    , 1000.6931], dtype=float64)
    """
    x, was_0d = _as_1d(_as_tensor(x))
    out = LogCumSumExp.apply(x, axis=one_axis(axis, x.ndim, "logcumsumexp"))
    return out.reshape(()) if was_0d else out


def _cumulative_pick(name, x, axis, better):
    """Running max (``better=np.maximum``) or min along ``axis``: values and indices as
    PyTorch's (a later equal value takes over; NaN wins and stays)."""
    x, was_0d = _as_1d(_as_tensor(x))
    axis = one_axis(axis, x.ndim, name)
    a = x.data
    running = better.accumulate(a, axis=axis)
    hit = a == running
    if a.dtype.kind == "f":
        hit |= np.isnan(a)
    where = np.arange(a.shape[axis]).reshape((-1,) + (1,) * (a.ndim - 1 - axis))
    idx = np.maximum.accumulate(np.where(hit, where, 0), axis=axis)
    values = take_along(x, idx, axis)
    if was_0d:
        values, idx = values.reshape(()), idx.reshape(())
    return values, _wrap(np.asarray(idx, dtype=np.int64), None, False)


@op("reduce", spellings=True)
def cummax(x, axis):
    """Running maximum along ``axis`` and where it was found, as PyTorch's
    ``(values, indices)``: a later equal value takes over the index; NaN wins.

    >>> import autograd as ag
    >>> ag.cummax(ag.Tensor([1.0, 3.0, 2.0, 3.0]), dim=0)
    cummax(values=Tensor([1., 3., 3., 3.]), indices=Tensor([0, 1, 1, 3], dtype=int64))
    """
    return CumResult(*_cumulative_pick("cummax", x, axis, np.maximum))


@op("reduce", spellings=True)
def cummin(x, axis):
    """Running minimum along ``axis`` and where it was found, as PyTorch's
    ``(values, indices)``: a later equal value takes over the index; NaN wins.

    >>> import autograd as ag
    >>> ag.cummin(ag.Tensor([2.0, 1.0, 3.0]), dim=0).indices
    Tensor([0, 1, 1], dtype=int64)
    """
    return CumminResult(*_cumulative_pick("cummin", x, axis, np.minimum))
