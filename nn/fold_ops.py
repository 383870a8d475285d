"""Sliding blocks: ``unfold`` (im2col) and ``fold`` (col2im), PyTorch's names.

``unfold`` copies every ``kernel_size`` block of an NCHW image into a column:
``(N, C, H, W) -> (N, C*kh*kw, L)``, L blocks. ``fold`` is its adjoint: it
adds each column back where its block came from, so overlapping blocks sum.
Both are linear and each is the other's gradient, written with the other op,
so derivatives of any order exist. The convolutions use them for their
second derivatives and ``conv_transpose2d`` is a matmul followed by ``fold``.
"""
from __future__ import annotations

import numpy as np

from autograd import Tensor, as_tensor
from autograd.function import Op

from .conv_geometry import (ONE, check_dims, conv_padding, out_size, pad_border, pair,
                            scatter_pairs, windows)


def unfold_array(x, kernel, stride, padding, dilation, out_hw) -> np.ndarray:
    """(N, C*kh*kw, Ho*Wo) columns of the (N, C, H, W) array ``x``; rows are ordered
    (channel, kernel row, kernel column) as PyTorch's."""
    n, c = x.shape[:2]
    win = windows(pad_border(x, padding, 0), kernel, stride, dilation, out_hw)
    cols = np.empty((n, c) + tuple(kernel) + tuple(out_hw), x.dtype)
    np.copyto(cols, win.transpose(0, 1, 4, 5, 2, 3))
    return cols.reshape(n, c * kernel[0] * kernel[1], out_hw[0] * out_hw[1])


def fold_array(cols, x_shape, kernel, stride, padding, dilation, out_hw) -> np.ndarray:
    """The (N, C, H, W) sum of the columns ``cols`` put back where their blocks were."""
    n, c = x_shape[:2]
    cols = cols.reshape((n, c, kernel[0] * kernel[1]) + tuple(out_hw))
    out = np.zeros(x_shape, cols.dtype)
    for i, where in enumerate(scatter_pairs(tuple(x_shape), tuple(kernel), tuple(stride),
                                            tuple(padding), tuple(out_hw), tuple(dilation))):
        if where is not None:
            out[where[0]] += cols[:, :, i][where[1]]
    return out


class Unfold(Op):
    """cols[n, (c, p, q), (i, j)] = x_padded[n, c, i*s + p*d, j*s + q*d]; d unfold = fold(g)"""

    def forward(ctx, x, *, kernel, stride, padding, dilation, out_hw):
        ctx.geometry = (x.shape, kernel, stride, padding, dilation, out_hw)
        return unfold_array(x, kernel, stride, padding, dilation, out_hw)

    def backward(ctx, g):
        return fold_any(g, *ctx.geometry)


class Fold(Op):
    """out[n, c, i*s + p*d - pad, ...] += cols[n, (c, p, q), (i, j)]; d fold = unfold(g)"""

    def forward(ctx, cols, *, x_shape, kernel, stride, padding, dilation, out_hw):
        ctx.geometry = (kernel, stride, padding, dilation, out_hw)
        return fold_array(cols, x_shape, kernel, stride, padding, dilation, out_hw)

    def backward(ctx, g):
        return unfold_any(g, *ctx.geometry)


def unfold_any(x, kernel, stride, padding, dilation, out_hw):
    """Unfold an array, or a Tensor (recorded: for derivatives of higher order)."""
    if isinstance(x, Tensor):
        return Unfold.apply(x, kernel=kernel, stride=stride, padding=padding,
                            dilation=dilation, out_hw=out_hw)
    return unfold_array(x, kernel, stride, padding, dilation, out_hw)


def fold_any(cols, x_shape, kernel, stride, padding, dilation, out_hw):
    """Fold an array, or a Tensor (recorded: for derivatives of higher order)."""
    if isinstance(cols, Tensor):
        return Fold.apply(cols, x_shape=tuple(x_shape), kernel=kernel, stride=stride,
                          padding=padding, dilation=dilation, out_hw=out_hw)
    return fold_array(cols, x_shape, kernel, stride, padding, dilation, out_hw)


def _block_args(kernel_size, dilation, padding, stride, where):
    kernel = pair(kernel_size, "kernel_size", where, 1)
    if isinstance(padding, str):
        raise ValueError(f"{where}: padding must be an int or a pair, got {padding!r}")
    return (kernel, pair(stride, "stride", where, 1),
            conv_padding(padding, kernel, ONE, where), pair(dilation, "dilation", where, 1))


def unfold(input, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Every ``kernel_size`` block of an (N, C, H, W) ``input`` as a column:
    ``(N, C*kh*kw, L)``, L the number of blocks (row-major), as ``torch.nn.functional.unfold``.
    A (C, H, W) input gives (C*kh*kw, L).

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> x = ag.Tensor(np.arange(9.0).reshape(1, 1, 3, 3))
    >>> F.unfold(x, 2).numpy()[0]          # 4 blocks of 2x2, one per column
    array([[0., 1., 3., 4.],
           [1., 2., 4., 5.],
           [3., 4., 6., 7.],
           [4., 5., 7., 8.]])
    """
    x = as_tensor(input)
    if x.ndim == 3:
        return unfold(x.expand_dims(0), kernel_size, dilation, padding, stride).squeeze(0)
    check_dims(x.shape, "unfold", layout="(N, C, H, W) or 3-D (C, H, W)")
    kernel, stride, padding, dilation = _block_args(kernel_size, dilation, padding, stride,
                                                    "unfold")
    out_hw = out_size(x.shape, kernel, stride, padding, "unfold", dilation)
    return Unfold.apply(x, kernel=kernel, stride=stride, padding=padding, dilation=dilation,
                        out_hw=out_hw)


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """The inverse layout of ``unfold``: columns (N, C*kh*kw, L) summed back into an
    (N, C, *output_size) image, overlapping blocks added, as ``torch.nn.functional.fold``.
    A 2-D (C*kh*kw, L) input gives (C, *output_size).

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> cols = ag.Tensor(np.ones((1, 4, 4)))   # 4 blocks of 2x2 on a 3x3 image
    >>> F.fold(cols, (3, 3), 2).numpy()[0, 0]  # how many blocks cover each pixel
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    cols = as_tensor(input)
    if cols.ndim == 2:
        return fold(cols.expand_dims(0), output_size, kernel_size, dilation, padding,
                    stride).squeeze(0)
    check_dims(cols.shape, "fold", ndim=3, layout="(N, C*kh*kw, L) or 2-D (C*kh*kw, L)")
    kernel, stride, padding, dilation = _block_args(kernel_size, dilation, padding, stride,
                                                    "fold")
    size = pair(output_size, "output_size", "fold", 1)
    n, ck, length = cols.shape
    k = kernel[0] * kernel[1]
    if ck % k:
        raise ValueError(f"fold: dim 1 of the input {cols.shape} must be divisible by the "
                         f"kernel's size {kernel[0]}*{kernel[1]} = {k}")
    x_shape = (n, ck // k) + size
    out_hw = out_size(x_shape, kernel, stride, padding, "fold", dilation)
    if out_hw[0] * out_hw[1] != length:
        raise ValueError(f"fold: output_size {size} with kernel {kernel}, stride {stride}, "
                         f"padding {padding} and dilation {dilation} has "
                         f"{out_hw[0]}*{out_hw[1]} = {out_hw[0] * out_hw[1]} blocks, but the "
                         f"input {cols.shape} has {length}")
    return Fold.apply(cols, x_shape=x_shape, kernel=kernel, stride=stride, padding=padding,
                      dilation=dilation, out_hw=out_hw)
