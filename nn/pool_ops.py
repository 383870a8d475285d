"""Window pooling on NCHW images and (N, C, L) sequences, PyTorch's names and
arguments: ``max_pool2d``, ``avg_pool2d``, ``max_pool1d``, ``avg_pool1d``.

Each 2-d pool is one engine primitive built from views: one strided view of
the (padded) input per window offset (kh*kw of them), reduced elementwise.
Non-overlapping windows (stride >= kernel, no padding, no dilation) take a
fast path in the backward: each offset's slice of the input's gradient is
written once instead of accumulated. The 1-d pools are the 2-d ones on rows
one pixel high.

Max pooling sends each window's gradient to its FIRST maximum in row-major
order (as PyTorch does), so ties never double-count. Average pooling divides
by the window's size, padding zeros included (``count_include_pad=True``, the
default) or not; with ``ceil_mode`` the part of a last window that lies past
the padding never counts (PyTorch's rule).

Second derivatives: under ``create_graph=True`` the backward is written with
recorded ops (``fold`` of the routed or spread gradient), so both pools have
them, as in PyTorch.
"""
from __future__ import annotations

import numpy as np

from autograd import Tensor, as_tensor
from autograd.function import Op
from autograd.ops.xp import data

from .conv_geometry import (ONE, IntPair, check_dims, clipped_counts, offset_views, pad_border,
                            pair, pool_geometry, scatter_pairs)
from .fold_ops import Fold


# -- the input's gradient from one (N, C, Ho, Wo) array per window offset ----------------
def _non_overlapping(kernel, stride, padding, dilation) -> bool:
    """Each input pixel is in at most one window: its gradient is written, not summed."""
    return stride[0] >= kernel[0] and stride[1] >= kernel[1] and dilation == ONE and \
        not any(p for pads in padding for p in pads)


def _scatter(grads, x_shape, kernel, stride, padding, out_hw, dilation):
    pairs = scatter_pairs(x_shape, kernel, stride, padding, out_hw, dilation)
    if _non_overlapping(kernel, stride, padding, dilation):  # one write per pixel
        covered = all(k * n == size for k, n, size in zip(kernel, out_hw, x_shape[2:]))
        gx = (np.empty if covered else np.zeros)(x_shape, dtype=grads.dtype)
        for i, (dst, _) in enumerate(pairs):
            grads.write(i, gx[dst])
        return gx
    gx = np.zeros(x_shape, dtype=grads.dtype)
    for i, pair_ in enumerate(pairs):
        if pair_ is not None:
            gx[pair_[0]] += grads.get(i)[pair_[1]]
    return gx


def _fold_back(cols, x_shape, kernel, stride, padding, out_hw, dilation):
    """The recorded backward's last step: (N, C, kh*kw, Ho, Wo) per-offset gradients
    added back into the input's shape."""
    n, c = x_shape[:2]
    return Fold.apply(cols.reshape(n, c * kernel[0] * kernel[1], out_hw[0] * out_hw[1]),
                      x_shape=x_shape, kernel=kernel, stride=stride, padding=padding,
                      dilation=dilation, out_hw=out_hw)


class _Routed:
    """Max pool's gradient for offset i: g where offset i held the window's max."""

    def __init__(self, grad, idx):
        self.grad, self.idx, self.dtype = grad, idx, grad.dtype

    def write(self, i, out):
        np.multiply(self.grad, self.idx == i, out=out)

    def get(self, i):
        return self.grad * (self.idx == i)


class _Spread:
    """Average pool's gradient, the same share of g for every offset."""

    def __init__(self, grad, inverse):
        self.share = grad * inverse
        self.dtype = self.share.dtype

    def write(self, i, out):
        out[...] = self.share

    def get(self, i):
        return self.share


# -- the primitives ---------------------------------------------------------------------
class MaxPool2d(Op):
    """out = max of each window; d/dx sends g to the window's first max (row-major)"""

    op_name = "max_pool2d"

    def forward(ctx, x, *, kernel, stride, padding, dilation, out_hw, indices=None):
        fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
        views = offset_views(pad_border(x, padding, fill), kernel, stride, out_hw, dilation)
        index_type = np.uint8 if len(views) < 256 else np.intp
        if len(views) == 1:
            out, idx = views[0].copy(), np.zeros(views[0].shape, index_type)
        else:  # the first pair directly: no copy of the first view
            idx = np.greater(views[1], views[0]).view(np.uint8).astype(index_type, copy=False)
            out = np.maximum(views[0], views[1])
        for i, view in enumerate(views[2:], 2):
            # A later offset wins only if strictly greater (ties keep the first max), so
            # the winner is the largest offset that ever won: a running maximum.
            won = np.greater(view, out).view(np.uint8)
            np.maximum(idx, won * idx.dtype.type(i), out=idx)
            np.maximum(out, view, out=out)
        ctx.geometry = (x.shape, kernel, stride, padding, out_hw, dilation)
        if indices is not None:  # return_indices: where each max sits in its (H, W) plane
            indices.append(_plane_indices(idx, *ctx.geometry))
        ctx.save_for_backward(idx)
        return out

    def backward(ctx, grad):
        (idx,) = ctx.saved_tensors
        if isinstance(grad, Tensor):
            kernel = ctx.geometry[1]
            k = kernel[0] * kernel[1]
            hit = data(idx)[:, :, None] == np.arange(k).reshape(1, 1, k, 1, 1)
            return _fold_back(grad.expand_dims(2) * hit.astype(grad.dtype), *ctx.geometry)
        return _scatter(_Routed(grad, idx), *ctx.geometry)


def _plane_indices(idx, x_shape, kernel, stride, padding, out_hw, dilation):
    """Flat (row * W + column) positions of the winners in the unpadded input. A window
    whose max is -inf (all its pixels -inf, or padding) gets PyTorch's index: its first
    tap inside the input's rows and columns."""
    p, q = np.divmod(idx.astype(np.int64), kernel[1])
    starts = [np.arange(n) * s - pads[0] for n, s, pads in zip(out_hw, stride, padding)]
    rows = starts[0].reshape(-1, 1) + p * dilation[0]
    cols = starts[1] + q * dilation[1]
    h, w = x_shape[2:]
    outside = (rows < 0) | (rows >= h) | (cols < 0) | (cols >= w)
    if outside.any():
        first = [np.where(s < 0, s + d * ((d - 1 - s) // d), s) for s, d in zip(starts, dilation)]
        rows = np.where(outside, first[0].reshape(-1, 1), rows)
        cols = np.where(outside, first[1], cols)
    return rows * w + cols


class AvgPool2d(Op):
    """out = sum of each window / divisor (a number, or one per output position);
    d/dx spreads g / divisor over the window"""

    op_name = "avg_pool2d"

    def forward(ctx, x, *, kernel, stride, padding, dilation, out_hw, divisor):
        if x.dtype.kind not in "fc":
            x = x.astype(np.float64)  # as NumPy's mean of integers
        views = offset_views(pad_border(x, padding, 0), kernel, stride, out_hw, dilation)
        out = views[0].copy()
        for view in views[1:]:
            out += view
        ctx.inverse = 1.0 / divisor if np.isscalar(divisor) else \
            (1.0 / divisor).astype(out.dtype)
        out *= ctx.inverse
        ctx.geometry = (x.shape, kernel, stride, padding, out_hw, dilation)
        return out

    def backward(ctx, grad):
        if isinstance(grad, Tensor):
            x_shape, kernel = ctx.geometry[:2]
            share = (grad * ctx.inverse).expand_dims(2)
            cols = share.broadcast_to(share.shape[:2] + (kernel[0] * kernel[1],) + share.shape[3:])
            return _fold_back(cols, *ctx.geometry)
        return _scatter(_Spread(grad, ctx.inverse), *ctx.geometry)


# -- argument checks and the functional API ---------------------------------------------

def pool_args(x_shape, kernel_size, stride, padding, dilation, ceil_mode, where):
    """(kernel, stride, padding, dilation, out_hw, padding as given) after PyTorch's
    checks; errors name ``where``."""
    check_dims(x_shape, where)
    kernel = pair(kernel_size, "kernel_size", where, 1)
    stride = kernel if stride is None or stride == () or stride == [] else \
        pair(stride, "stride", where, 1)
    pad = pair(padding, "padding", where, 0)
    dilation = pair(dilation, "dilation", where, 1)
    if pad[0] > kernel[0] // 2 or pad[1] > kernel[1] // 2:
        raise ValueError(f"{where}: padding {pad} must be at most half the kernel size "
                         f"{kernel} (as in PyTorch)")
    given = ((pad[0], pad[0]), (pad[1], pad[1]))
    out_hw, padding = pool_geometry(x_shape, kernel, stride, given, dilation, bool(ceil_mode),
                                    where)
    return kernel, stride, padding, dilation, out_hw, given


def max_pool_call(x, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
                  where):
    """``max_pool2d`` with errors naming ``where`` (the op's name or the layer)."""
    x = as_tensor(x)
    kernel, stride, padding, dilation, out_hw, _ = pool_args(
        x.shape, kernel_size, stride, padding, dilation, ceil_mode, where)
    found = [] if return_indices else None
    out = MaxPool2d.apply(x, kernel=kernel, stride=stride, padding=padding, dilation=dilation,
                          out_hw=out_hw, indices=found)
    return (out, Tensor(found[0])) if return_indices else out


def avg_pool_call(x, kernel_size, stride, padding, ceil_mode, count_include_pad,
                  divisor_override, where) -> Tensor:
    """``avg_pool2d`` with errors naming ``where`` (the op's name or the layer)."""
    x = as_tensor(x)
    kernel, stride, padding, dilation, out_hw, given = pool_args(
        x.shape, kernel_size, stride, padding, 1, ceil_mode, where)
    if divisor_override is not None:
        if not isinstance(divisor_override, (int, np.integer)) or divisor_override == 0:
            raise ValueError(f"{where}: divisor_override must be a nonzero int, got "
                             f"{divisor_override!r}")
        divisor = int(divisor_override)
    else:
        counts = [clipped_counts(n, k, s, lo, hi, o, bool(count_include_pad))
                  for n, k, s, (lo, hi), o in zip(x.shape[2:], kernel, stride, given, out_hw)]
        divisor = counts[0][:, None] * counts[1][None, :]
        full = kernel[0] * kernel[1]
        divisor = full if (divisor == full).all() else divisor
    return AvgPool2d.apply(x, kernel=kernel, stride=stride, padding=padding, dilation=ONE,
                           out_hw=out_hw, divisor=divisor)


def max_pool2d(input, kernel_size: IntPair, stride: IntPair | None = None,
               padding: IntPair = 0, dilation: IntPair = 1, ceil_mode: bool = False,
               return_indices: bool = False):
    """Max over each ``kernel_size`` window of NCHW ``input`` (``stride`` defaults to the
    kernel; padding counts as -inf; ``dilation`` spaces the window's taps; ``ceil_mode``
    keeps a last, partial window). The gradient goes to each window's first max.
    ``return_indices=True`` also gives each max's flat position in its (H, W) plane.

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> x = ag.Tensor(np.arange(16.0).reshape(1, 1, 4, 4), requires_grad=True)
    >>> y = F.max_pool2d(x, 2)
    >>> y.numpy()[0, 0].tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    >>> y.sum().backward()
    >>> x.grad.numpy()[0, 0].astype(int).tolist()
    [[0, 0, 0, 0], [0, 1, 0, 1], [0, 0, 0, 0], [0, 1, 0, 1]]
    >>> F.max_pool2d(x, 3, stride=2, ceil_mode=True, return_indices=True)[1].numpy()[0, 0]
    array([[10, 11],
           [14, 15]])
    """
    return max_pool_call(input, kernel_size, stride, padding, dilation, ceil_mode,
                         return_indices, "max_pool2d")


def avg_pool2d(input, kernel_size: IntPair, stride: IntPair | None = None,
               padding: IntPair = 0, ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Tensor:
    """Mean over each ``kernel_size`` window of NCHW ``input`` (``stride`` defaults to the
    kernel). Padding zeros count in the mean unless ``count_include_pad=False``;
    ``divisor_override`` replaces the window's size; ``ceil_mode`` keeps a last,
    partial window.

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> x = ag.Tensor(np.arange(16.0).reshape(1, 1, 4, 4))
    >>> F.avg_pool2d(x, 2).numpy()[0, 0].tolist()
    [[2.5, 4.5], [10.5, 12.5]]
    >>> ones = ag.Tensor(np.ones((1, 1, 2, 2)))
    >>> F.avg_pool2d(ones, 2, 1, 1).numpy()[0, 0, 0]
    array([0.25, 0.5 , 0.25])
    >>> F.avg_pool2d(ones, 2, 1, 1, count_include_pad=False).numpy()[0, 0, 0]
    array([1., 1., 1.])
    """
    return avg_pool_call(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                         divisor_override, "avg_pool2d")


def _one_d(value, what, where, minimum, first):
    return None if value is None else (first,) + pair(value, what, where, minimum, 1)


def _rows(x, kernel_size, stride, padding, dilation, where):
    """A 1-d pool's input and arguments as a 2-d pool's (rows one pixel high)."""
    x = as_tensor(x)
    check_dims(x.shape, where, ndim=3, layout="(N, C, L)")
    (k,), (p,) = pair(kernel_size, "kernel_size", where, 1, 1), \
        pair(padding, "padding", where, 0, 1)
    (d,) = pair(dilation, "dilation", where, 1, 1)
    if x.shape[2] + 2 * p < d * (k - 1) + 1:
        dil = "" if d == 1 else f" with dilation {d}"
        raise ValueError(f"{where}: kernel {k}{dil} is larger than the padded input "
                         f"({x.shape[2] + 2 * p}; input shape {x.shape}, padding {p})")
    return (x.expand_dims(2), _one_d(kernel_size, "kernel_size", where, 1, 1),
            _one_d(stride, "stride", where, 1, 1), _one_d(padding, "padding", where, 0, 0),
            _one_d(dilation, "dilation", where, 1, 1))


def max_pool1d_call(x, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
                    where):
    x, kernel, stride, padding, dilation = _rows(x, kernel_size, stride, padding, dilation,
                                                 where)
    out = max_pool_call(x, kernel, stride, padding, dilation, ceil_mode, return_indices, where)
    if return_indices:
        return out[0].squeeze(2), Tensor(out[1].data[:, :, 0])
    return out.squeeze(2)


def avg_pool1d_call(x, kernel_size, stride, padding, ceil_mode, count_include_pad, where):
    x, kernel, stride, padding, _ = _rows(x, kernel_size, stride, padding, 1, where)
    return avg_pool_call(x, kernel, stride, padding, ceil_mode, count_include_pad, None,
                         where).squeeze(2)


def max_pool1d(input, kernel_size: IntPair, stride: IntPair | None = None,
               padding: IntPair = 0, dilation: IntPair = 1, ceil_mode: bool = False,
               return_indices: bool = False):
    """Max over each ``kernel_size`` window of an (N, C, L) ``input``; the same
    arguments as ``max_pool2d`` (indices are positions along L).

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> F.max_pool1d(ag.Tensor(np.array([[[1.0, 3.0, 2.0, 5.0, 4.0]]])), 2).numpy()
    array([[[3., 5.]]])
    """
    return max_pool1d_call(input, kernel_size, stride, padding, dilation, ceil_mode,
                           return_indices, "max_pool1d")


def avg_pool1d(input, kernel_size: IntPair, stride: IntPair | None = None,
               padding: IntPair = 0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """Mean over each ``kernel_size`` window of an (N, C, L) ``input``; the same
    arguments as ``avg_pool2d``.

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> F.avg_pool1d(ag.Tensor(np.array([[[1.0, 3.0, 2.0, 6.0]]])), 2).numpy()
    array([[[2., 4.]]])
    """
    return avg_pool1d_call(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                           "avg_pool1d")
