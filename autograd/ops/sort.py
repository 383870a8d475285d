"""Sorting and selection: sort, argsort, topk and median return PyTorch's values and
indices. The indices are found on the data (no gradient); the values are gathered
from the input by ``TakeAlongAxis``, whose gradient scatters back to the picked
positions (and whose second derivative gathers again). Sorts are stable: equal
values keep their order, and NaN sorts as the largest value, as in PyTorch."""
from __future__ import annotations

from collections import namedtuple

import numpy as np

from ..function import Op
from ..tensor import Tensor, _wrap
from .reduce import normalize_axis
from .registry import op
from .xp import array_module, data, dtype_of
from ..factory import as_tensor as _as_tensor

# PyTorch's return types: a tuple that also has .values and .indices
SortResult = namedtuple("sort", ["values", "indices"])
TopkResult = namedtuple("topk", ["values", "indices"])
MedianResult = namedtuple("median", ["values", "indices"])


def scatter_add_along(g, index, axis, shape):
    """Zeros of ``shape`` with ``g`` added at ``index`` along ``axis`` (repeats add up):
    the transpose of ``np.take_along_axis``."""
    out = array_module(g).zeros(shape, dtype=dtype_of(g))
    where = list(np.ogrid[tuple(slice(n) for n in index.shape)])
    where[axis] = index
    np.add.at(out, tuple(where), g)
    return out


def take_along(a, index, axis):
    """``np.take_along_axis`` on arrays, the differentiable op on Tensors."""
    if isinstance(a, Tensor):
        return TakeAlongAxis.apply(a, index=index, axis=axis)
    return np.take_along_axis(a, index, axis)


def _scatter_along(g, index, axis, shape):
    if isinstance(g, Tensor):
        return ScatterAlongAxis.apply(g, index=index, axis=axis, shape=shape)
    return scatter_add_along(g, index, axis, shape)


class TakeAlongAxis(Op):
    """d take_along_axis(x, index) = g scattered (added) back to the picked positions"""
    op_name = "take_along_axis"

    def forward(ctx, x, index, axis):
        ctx.shape, ctx.index, ctx.axis = x.shape, index, axis
        return np.take_along_axis(x, index, axis)

    def backward(ctx, g):
        return _scatter_along(g, ctx.index, ctx.axis, ctx.shape)


class ScatterAlongAxis(Op):
    """d scatter_add_along(g, index) = gg taken at index (the backward of TakeAlongAxis)"""
    op_name = "scatter_along_axis"

    def forward(ctx, g, index, axis, shape):
        ctx.index, ctx.axis = index, axis
        return scatter_add_along(g, index, axis, shape)

    def backward(ctx, gg):
        return take_along(gg, ctx.index, ctx.axis)


# -- helpers ------------------------------------------------------------------

def one_axis(axis, ndim, name):
    """A single axis as a non-negative int (0 for a 0-d tensor, which is sorted as one
    element); a tuple or None is a TypeError naming the op."""
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"{name}: axis (or dim) must be an int, got {axis!r}")
    return normalize_axis(axis, ndim, name)[0]


def _as_1d(x):
    """A 0-d tensor as a one-element 1-d one (and whether it was 0-d)."""
    return (x.reshape(1), True) if x.ndim == 0 else (x, False)


def stable_argsort(a, axis, descending=False):
    """Indices that sort ``a`` along ``axis``; equal values keep their order either way
    and NaN counts as the largest value."""
    if not descending:
        return np.argsort(a, axis=axis, kind="stable")
    # the stable ascending order of the reversed slice, reversed again: ties stay in order
    idx = np.argsort(np.flip(a, axis), axis=axis, kind="stable")
    return (a.shape[axis] - 1) - np.flip(idx, axis)


def _picked(x, idx, axis, was_0d):
    """Values of ``x`` at ``idx`` along ``axis`` (a recorded op) and the int64 indices."""
    values = take_along(x, idx, axis)
    if was_0d:
        values, idx = values.reshape(()), idx.reshape(())
    return values, _wrap(np.asarray(idx, dtype=np.int64), None, False)


# -- public functions -----------------------------------------------------------

@op("sort", spellings=True)
def sort(x, axis=-1, descending=False, stable=False):
    """Sorted values along ``axis`` and the indices they came from, as PyTorch's
    ``(values, indices)``; always stable; the gradient goes back to each value's place.

    >>> import autograd as ag
    >>> x = ag.Tensor([3.0, 1.0, 2.0], requires_grad=True)
    >>> values, indices = ag.sort(x, descending=True)
    >>> values, indices
    (Tensor([3., 2., 1.], grad_fn=<take_along_axis>), Tensor([0, 2, 1], dtype=int64))
    >>> (values * ag.Tensor([1.0, 10.0, 100.0])).sum().backward(); x.grad
    Tensor([  1., 100.,  10.])
    """
    x, was_0d = _as_1d(_as_tensor(x))
    axis = one_axis(axis, x.ndim, "sort")
    return SortResult(*_picked(x, stable_argsort(x.data, axis, descending), axis, was_0d))


@op("sort", spellings=True)
def argsort(x, axis=-1, descending=False, stable=False):
    """Indices that sort ``x`` along ``axis`` (stable): an int64 tensor, no gradient.

    >>> import autograd as ag
    >>> ag.argsort(ag.Tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 0.0]]), dim=1, descending=True)
    Tensor([[0, 2, 1],
            [1, 0, 2]], dtype=int64)
    """
    a = np.asarray(x.data if isinstance(x, Tensor) else x)
    flat = a.reshape(1) if a.ndim == 0 else a
    idx = stable_argsort(flat, one_axis(axis, flat.ndim, "argsort"), descending)
    return _wrap(idx.reshape(a.shape).astype(np.int64, copy=False), None, False)


@op("sort", spellings=True)
def topk(x, k, axis=-1, largest=True, sorted=True):
    """The ``k`` largest (or smallest) values along ``axis`` and their indices, as
    PyTorch's ``(values, indices)``; ties keep index order; ``sorted=False`` gives them
    in index order. The gradient goes back to the picked positions.

    >>> import autograd as ag
    >>> ag.topk(ag.Tensor([1.0, 4.0, 2.0, 4.0]), 3)
    topk(values=Tensor([4., 4., 2.]), indices=Tensor([1, 3, 2], dtype=int64))
    """
    x, was_0d = _as_1d(_as_tensor(x))
    axis = one_axis(axis, x.ndim, "topk")
    n = x.shape[axis]
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"topk: k must be an int, got {k!r}")
    if not 0 <= k <= n:
        raise ValueError(f"topk: k={k} is out of range for a dimension of size {n} "
                         f"(shape {x.shape}, axis {axis})")
    idx = stable_argsort(x.data, axis, descending=largest)
    if not was_0d:  # a 0-d tensor gives its element for k = 0 and 1, as PyTorch's
        idx = idx[(slice(None),) * axis + (slice(0, k),)]
    if not sorted:
        idx = np.sort(idx, axis=axis)
    return TopkResult(*_picked(x, idx, axis, was_0d))


class Median(Op):
    """d median(x) = g shared equally by the elements equal to the median"""

    def forward(ctx, x):
        flat = np.reshape(x, -1)
        if flat.size == 0:
            xm = array_module(x)
            ctx.save_for_backward(xm.zeros(np.shape(x), dtype=dtype_of(x)))
            return xm.asarray(np.nan, dtype=dtype_of(x))
        nan = np.isnan(flat) if flat.dtype.kind == "f" else \
            array_module(flat).zeros(flat.shape, dtype=bool)
        value = flat[np.argmax(nan)] if nan.any() else \
            np.partition(flat, (flat.size - 1) // 2)[(flat.size - 1) // 2]
        hit = np.isnan(x) if nan.any() else x == value
        ctx.save_for_backward(hit / array_module(x).asarray(hit.sum(), dtype=dtype_of(x)))
        return value

    def backward(ctx, g):
        (weights,) = ctx.saved_tensors
        return g * weights


@op("reduce", spellings=True)
def median(x, axis=None, keepdims=False):
    """The lower median (the middle value; of two, the smaller), as PyTorch's: NaN if any
    value is NaN. Without ``axis`` one value (equal elements share the gradient); with an
    int ``axis``, PyTorch's ``(values, indices)`` and the gradient goes to the index.
    Ties pick the first index in sorted (stable) order; PyTorch leaves that unspecified.

    >>> import autograd as ag
    >>> x = ag.Tensor([[4.0, 1.0, 3.0, 2.0], [0.0, 9.0, 5.0, 7.0]])
    >>> ag.median(x).item()
    3.0
    >>> ag.median(x, dim=1)
    median(values=Tensor([2., 5.]), indices=Tensor([3, 2], dtype=int64))
    """
    if axis is None:
        out = Median.apply1(x)
        return out.reshape((1,) * np.ndim(data(x))) if keepdims else out
    x, was_0d = _as_1d(_as_tensor(x))
    axis = one_axis(axis, x.ndim, "median")
    n = x.shape[axis]
    if n == 0:
        raise ValueError(f"median: cannot take the median over axis {axis} of size 0 "
                         f"(shape {x.shape})")
    a = x.data
    order = stable_argsort(a, axis)
    idx = order[(slice(None),) * axis + (slice((n - 1) // 2, (n + 1) // 2),)]
    if a.dtype.kind == "f":
        nan = np.isnan(a)
        idx = np.where(nan.any(axis, keepdims=True), np.argmax(nan, axis, keepdims=True), idx)
    values, indices = _picked(x, idx, axis, was_0d)
    if not keepdims and not was_0d:
        values, indices = values.squeeze(axis), _wrap(indices.data.squeeze(axis), None, False)
    return MedianResult(values, indices)
