"""Convolution and pooling primitives on NCHW images (PyTorch's argument names).

Each is one engine primitive with its own backward, built from views:

* ``conv2d``: im2col copied once into a channel-major layout, so that the
  forward and both gradients are single large BLAS matmuls; col2im (the
  input's gradient) adds one slice per kernel offset (kh*kw adds, no loop
  over pixels or batch, no ``np.add.at``). With stride 1 the images lie on a
  flat padded grid, where every row of the columns and every col2im slice is
  contiguous (``nn/conv_flat.py``); other strides copy the columns from a
  ``sliding_window_view`` and add strided slices.
* ``max_pool2d`` / ``avg_pool2d``: one strided view of the input per window
  offset (kh*kw of them), reduced elementwise. Non-overlapping windows
  (stride == kernel, no padding) take a fast path: no padded copy, and the
  backward writes each offset's slice once instead of accumulating.

Max pooling sends each window's gradient to the FIRST maximum in row-major
order (as PyTorch does), so ties never double-count. Average pooling divides
by the full window size, padding zeros included (PyTorch's
``count_include_pad=True``).

The backwards are first-order only: ``create_graph=True`` through these ops
raises a ``RuntimeError`` that says so (their gradients are exact; only
second derivatives are not provided).

Output size per spatial dim: ``floor((n + 2p - f) / s) + 1`` (the notes).
"""
from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from autograd import Tensor
from autograd.function import Op

from .conv_flat import flat_col2im, flat_forward, flat_grad, usable
from .conv_geometry import (IntPair, Padding, channel_major_to_nchw, check_4d, columns,
                            conv_padding, offset_views, out_size, pad_border,
                            pair, scatter_pairs, workspace)


# -- convolution -----------------------------------------------------------------
class Conv2d(Op):
    """out[n,o] = sum_c w[o,c] * x[n,c] (cross-correlation), as cols matmuls:
    dW = g @ cols^T, db = sum g, dx = col2im(W^T @ g)"""
    once_differentiable = True

    op_name = "conv2d"

    def forward(ctx, x, weight, bias=None, *, stride, padding):
        ctx.flat = stride == (1, 1) and usable(x.shape, weight.shape, padding)
        if ctx.flat:
            out, cols = flat_forward(x, weight, bias, padding, ctx)
        else:
            out, cols = _strided_forward(x, weight, bias, stride, padding, ctx)
        ctx.geometry = (weight.shape, x.shape, out.shape[2:], stride, padding)
        ctx.save_for_backward(cols if ctx.needs_input_grad[1] else None,
                              weight if ctx.needs_input_grad[0] else None)
        return out

    def backward(ctx, grad):
        cols, weight = ctx.saved_tensors
        w_shape, x_shape, out_hw, stride, padding = ctx.geometry
        needs = ctx.needs_input_grad
        if ctx.flat:
            g = flat_grad(grad, x_shape, w_shape, padding)
        else:
            g = grad.transpose(1, 0, 2, 3)  # channel-major, as the columns
            if not g.flags.c_contiguous:  # no copy if grad is already laid out that way
                buf = workspace(g.shape, g.dtype)
                np.copyto(buf, g)
                g = buf
            g = g.reshape(grad.shape[1], -1)
        gx = gw = gb = None
        k, needs_bias = math.prod(w_shape[1:]), len(needs) > 2 and needs[2]
        if needs[1]:  # a long sum to a small result: which operand goes first matters to
            # OpenBLAS (measured: 28 rows of columns, 380 against 580 us for g first;
            # 64 rows, 980 against 580 us)
            gw_all = np.matmul(g, cols.T) if cols.shape[0] <= 32 else np.matmul(cols, g.T).T
            gw = gw_all[:, :k].reshape(w_shape)
            if needs_bias and cols.shape[0] > k:
                gb = gw_all[:, k].copy()  # the row of ones in the columns
        if needs_bias and gb is None:
            gb = g.sum(axis=1)
        if needs[0]:
            if ctx.flat:
                gx = flat_col2im(g, weight, x_shape, padding)
            else:
                gx = _col2im(g, weight, x_shape, stride, padding, out_hw)
        return (gx, gw) if len(needs) == 2 else (gx, gw, gb)


def _strided_forward(x, weight, bias, stride, padding, ctx):
    """Any stride: columns copied from a sliding-window view, (C*kh*kw, N*Ho*Wo)."""
    n, c, _, _ = x.shape
    o, _, kh, kw = weight.shape
    xp = pad_border(x, padding, 0)
    win = sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::stride[0], ::stride[1]]
    ho, wo = win.shape[2:4]
    # Channel-major columns (C*kh*kw, N*Ho*Wo): the forward and each gradient is ONE
    # large matmul, which BLAS runs on all its threads (a batch of N small ones
    # would not); the price is one transposing copy of the output (bias added on
    # the way) and of the incoming gradient.
    cols = columns((c * kh * kw, n * ho * wo), xp.dtype, ctx)
    np.copyto(cols.reshape(c, kh, kw, n, ho, wo), win.transpose(1, 4, 5, 0, 2, 3))
    dtype = np.result_type(cols, weight, *(() if bias is None else (bias,)))
    out_cm = np.matmul(weight.reshape(o, -1), cols, out=workspace((o, n * ho * wo), dtype))
    return channel_major_to_nchw(out_cm.reshape(o, n, ho, wo), bias, dtype), cols


def _col2im(g, weight, x_shape, stride, padding, out_hw):
    """dx from channel-major ``g`` (O, N*Ho*Wo): the column gradients W^T @ g (one
    matmul), each kernel offset's slice added where that offset's pixels came from."""
    o, c, kh, kw = weight.shape
    dcols = np.matmul(weight.reshape(o, -1).T, g,
                      out=workspace((c * kh * kw, g.shape[1]), np.result_type(g, weight),
                                     slot=1))
    dcols = dcols.reshape(c, kh * kw, x_shape[0], *out_hw)
    gx = np.zeros(x_shape, dtype=dcols.dtype)
    gx_cm = gx.transpose(1, 0, 2, 3)  # (C, N, H, W), a view: the layout of dcols
    for i, pair_ in enumerate(scatter_pairs(x_shape, (kh, kw), stride, padding, out_hw)):
        if pair_ is not None:
            gx_cm[pair_[0]] += dcols[:, i][pair_[1]]
    return gx


# -- pooling -----------------------------------------------------------------------
def _non_overlapping(kernel, stride, padding) -> bool:
    """Each input pixel is in at most one window: its gradient is written, not summed."""
    return stride[0] >= kernel[0] and stride[1] >= kernel[1] and \
        not any(p for pads in padding for p in pads)


def _scatter(grads, x_shape, kernel, stride, padding, out_hw):
    """The input's gradient from one (N, C, Ho, Wo) array per window offset."""
    pairs = scatter_pairs(x_shape, kernel, stride, padding, out_hw)
    if _non_overlapping(kernel, stride, padding):  # the fast path: one write per pixel
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

    def __init__(self, grad, size):
        self.share = grad * (1.0 / size)
        self.dtype = self.share.dtype

    def write(self, i, out):
        out[...] = self.share

    def get(self, i):
        return self.share


class MaxPool2d(Op):
    """out = max of each window; d/dx sends g to the window's first max (row-major)"""
    once_differentiable = True

    op_name = "max_pool2d"

    def forward(ctx, x, *, kernel, stride, padding, out_hw):
        fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
        views = offset_views(pad_border(x, padding, fill), kernel, stride, out_hw)
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
        ctx.geometry = (x.shape, kernel, stride, padding, out_hw)
        ctx.save_for_backward(idx)
        return out

    def backward(ctx, grad):
        (idx,) = ctx.saved_tensors
        return _scatter(_Routed(grad, idx), *ctx.geometry)


class AvgPool2d(Op):
    """out = mean of each window (padding zeros counted); d/dx spreads g / (kh*kw)"""
    once_differentiable = True

    op_name = "avg_pool2d"

    def forward(ctx, x, *, kernel, stride, padding, out_hw):
        if x.dtype.kind not in "fc":
            x = x.astype(np.float64)  # as NumPy's mean of integers
        views = offset_views(pad_border(x, padding, 0), kernel, stride, out_hw)
        out = views[0].copy()
        for view in views[1:]:
            out += view
        out *= 1.0 / len(views)
        ctx.geometry = (x.shape, kernel, stride, padding, out_hw)
        return out

    def backward(ctx, grad):
        kernel = ctx.geometry[1]
        return _scatter(_Spread(grad, kernel[0] * kernel[1]), *ctx.geometry)


# -- the functional API --------------------------------------------------------
def _as_tensor(a):
    return a if isinstance(a, Tensor) or a is None else Tensor(a)


def conv_call(x, weight, bias, stride, padding, where) -> Tensor:
    """Check the arguments (errors name ``where``: the op's name or the layer), then convolve."""
    x, weight, bias = _as_tensor(x), _as_tensor(weight), _as_tensor(bias)
    check_4d(x.shape, where)
    check_4d(weight.shape, where, "weight (out_channels, in_channels, kh, kw)")
    if weight.shape[1] != x.shape[1]:
        raise ValueError(f"{where}: the input has {x.shape[1]} channels (shape {x.shape}) "
                         f"but the weight {weight.shape} expects {weight.shape[1]}")
    if bias is not None and bias.shape != weight.shape[:1]:
        raise ValueError(f"{where}: bias must have shape {weight.shape[:1]} (one per output "
                         f"channel of the weight {weight.shape}), got {bias.shape}")
    stride = pair(stride, "stride", where, 1)
    padding = conv_padding(padding, weight.shape[2:], stride, where)
    out_size(x.shape, weight.shape[2:], stride, padding, where)
    args = (x, weight) if bias is None else (x, weight, bias)
    return Conv2d.apply(*args, stride=stride, padding=padding)


def pool_call(op, x, kernel_size, stride, padding, where) -> Tensor:
    """Check a pooling op's arguments (errors name ``where``), then apply ``op``."""
    x = _as_tensor(x)
    check_4d(x.shape, where)
    kernel = pair(kernel_size, "kernel_size", where, 1)
    stride = kernel if stride is None or stride == () else pair(stride, "stride", where, 1)
    pad = pair(padding, "padding", where, 0)
    if pad[0] > kernel[0] // 2 or pad[1] > kernel[1] // 2:
        raise ValueError(f"{where}: padding {pad} must be at most half the kernel size "
                         f"{kernel} (as in PyTorch)")
    padding = ((pad[0], pad[0]), (pad[1], pad[1]))
    out_hw = out_size(x.shape, kernel, stride, padding, where)
    return op.apply(x, kernel=kernel, stride=stride, padding=padding, out_hw=out_hw)


def conv2d(input, weight, bias=None, stride: IntPair = 1, padding: Padding = 0) -> Tensor:
    """2-D convolution (cross-correlation, as PyTorch and the notes) of NCHW ``input``
    with ``weight`` (out_channels, in_channels, kh, kw) plus ``bias`` (out_channels,).

    ``padding`` is an int, an (h, w) pair, ``'valid'`` (none) or ``'same'`` (output
    as large as the input; stride 1 only). The notes' vertical-edge detector:

    >>> import numpy as np, autograd as ag
    >>> image = ag.Tensor(np.array([[3, 0, 1, 2, 7, 4], [1, 5, 8, 9, 3, 1],
    ...                             [2, 7, 2, 5, 1, 3], [0, 1, 3, 1, 7, 8],
    ...                             [4, 2, 1, 6, 2, 8], [2, 4, 5, 2, 3, 9]],
    ...                            dtype=np.float32).reshape(1, 1, 6, 6))
    >>> edge = ag.Tensor(np.array([[1, 0, -1]] * 3, dtype=np.float32).reshape(1, 1, 3, 3))
    >>> conv2d(image, edge).numpy()[0, 0].astype(int).tolist()
    [[-5, -4, 0, 8], [-10, -2, 2, 3], [0, -2, -4, -7], [-3, -2, -3, -16]]
    >>> conv2d(image, edge, padding="same").shape
    (1, 1, 6, 6)
    """
    return conv_call(input, weight, bias, stride, padding, "conv2d")


def max_pool2d(input, kernel_size: IntPair, stride: IntPair | None = None,
               padding: IntPair = 0) -> Tensor:
    """Max over each ``kernel_size`` window of NCHW ``input`` (``stride`` defaults to the
    kernel; padding counts as -inf). The gradient goes to each window's first max.

    >>> import numpy as np, autograd as ag
    >>> x = ag.Tensor(np.arange(16.0).reshape(1, 1, 4, 4), requires_grad=True)
    >>> y = max_pool2d(x, 2)
    >>> y.numpy()[0, 0].tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    >>> y.sum().backward()
    >>> x.grad.numpy()[0, 0].astype(int).tolist()
    [[0, 0, 0, 0], [0, 1, 0, 1], [0, 0, 0, 0], [0, 1, 0, 1]]
    """
    return pool_call(MaxPool2d, input, kernel_size, stride, padding, "max_pool2d")


def avg_pool2d(input, kernel_size: IntPair, stride: IntPair | None = None,
               padding: IntPair = 0) -> Tensor:
    """Mean over each ``kernel_size`` window of NCHW ``input`` (``stride`` defaults to the
    kernel; padding zeros count in the mean, PyTorch's ``count_include_pad=True``).

    >>> import numpy as np, autograd as ag
    >>> x = ag.Tensor(np.arange(16.0).reshape(1, 1, 4, 4))
    >>> avg_pool2d(x, 2).numpy()[0, 0].tolist()
    [[2.5, 4.5], [10.5, 12.5]]
    """
    return pool_call(AvgPool2d, input, kernel_size, stride, padding, "avg_pool2d")
