"""Stride-1 convolution on a flat grid: contiguous im2col and col2im.

The images are laid end to end, channel by channel, as rows of a ``(C, L)``
array: each image row is followed by the zeros that pad it on the right and
the next row on the left, each image by the zero rows that pad it below and
the next image above. On that grid the pixel under kernel offset (p, q) of
the window at position k is at k + p*Ws + q (Ws: the grid's row length). So
each row of the columns is a contiguous slice, and col2im adds kh*kw
contiguous slices: copies and adds at full speed, where a sliding-window view
copies rows of Wo pixels. The grid positions outside the output (one row and
one column per image for 3x3 kernels with padding 1) are computed and dropped,
and their gradient is zero: 6% more matmul work for 32x32 images.

It needs each side's padding on one axis to fit in the shared gap, which holds
for every padding smaller than the kernel (``usable``); the others, and
strides, dilations and groups other than 1, take the sliding-window path in
``nn/conv_ops.py``. The columns, the scratch buffers and the zero-padded
gradient grids are kept between calls by ``nn/conv_cache.py``.
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .conv_cache import columns, workspace, zero_grid
from .conv_geometry import channel_major_to_nchw


def usable(x_shape, w_shape, padding) -> bool:
    """Whether the shared gaps hold the padding: min(top, bottom) < kh, same across."""
    (pt, pb), (pl, pr) = padding
    return min(pt, pb) < w_shape[2] and min(pl, pr) < w_shape[3]


def _geometry(x_shape, w_shape, padding):
    """(rows, ws, length, base, size): grid rows per image and row length, the grid's
    size L, where pixel (0, 0) of image 0 sits, and the flat buffer's size."""
    (pt, pb), (pl, pr) = padding
    rows, ws = x_shape[2] + max(pt, pb), x_shape[3] + max(pl, pr)
    length = x_shape[0] * rows * ws
    base = pt * ws + pl
    reach = (w_shape[2] - 1) * ws + w_shape[3] - 1  # the last windows read past the grid
    return rows, ws, length, base, max(length + reach, base + length)


def _pixels(flat, x_shape, rows, ws, length, base):
    """The (C, N, H, W) view of the images inside a flat (C, size) buffer."""
    n, _, h, w = x_shape
    return flat[:, base:base + length].reshape(flat.shape[0], n, rows, ws)[:, :, :h, :w]


def flat_forward(x, weight, bias, padding, ctx):
    """The convolution's output (N, O, Ho, Wo) and its columns (C*kh*kw [+ 1], L), kept
    by ``ctx``'s node for the weight's gradient."""
    n, c, h, w = x.shape
    o, _, kh, kw = weight.shape
    rows, ws, length, base, size = _geometry(x.shape, weight.shape, padding)
    xp = workspace((c, size), x.dtype)
    xp.fill(0)
    _pixels(xp, x.shape, rows, ws, length, base)[...] = x.transpose(1, 0, 2, 3)
    step = xp.itemsize
    shifted = as_strided(xp, (c, kh, kw, length), (xp.strides[0], ws * step, step, step),
                         writeable=False)
    # With a bias, the columns get a row of ones and the weights a column with the
    # bias: the matmul adds it, and the weight-gradient matmul gives its gradient.
    k = c * kh * kw
    cols = columns((k + (bias is not None), length), x.dtype, ctx)
    np.copyto(cols[:k].reshape(c, kh, kw, length), shifted)
    w2 = weight.reshape(o, k)
    if bias is not None:
        cols[k] = 1
        w2 = np.concatenate([w2, bias.reshape(o, 1).astype(w2.dtype, copy=False)], axis=1)
    dtype = np.result_type(cols, w2)
    out_flat = np.matmul(w2, cols, out=workspace((o, length), dtype, slot=1))
    (pt, pb), (pl, pr) = padding
    ho, wo = h + pt + pb - kh + 1, w + pl + pr - kw + 1
    out = channel_major_to_nchw(out_flat.reshape(o, n, rows, ws)[:, :, :ho, :wo], None, dtype)
    return out, cols


def flat_grad(grad, x_shape, w_shape, padding):
    """The incoming gradient on the grid (O, L), zero where no output is."""
    n, o, ho, wo = grad.shape
    rows, ws, length, _, _ = _geometry(x_shape, w_shape, padding)
    # zeros where no output comes from (kept so): only the output's positions are written
    g = zero_grid((rows, ws, ho, wo), (o, length), grad.dtype)
    g.reshape(o, n, rows, ws)[:, :, :ho, :wo] = grad.transpose(1, 0, 2, 3)
    return g


def flat_col2im(g, weight, x_shape, padding):
    """The input's gradient from ``g`` on the grid: W^T @ g, one matmul, then the
    column gradients added back where each kernel offset read its pixels."""
    o, c, kh, kw = weight.shape
    rows, ws, length, base, size = _geometry(x_shape, weight.shape, padding)
    dcols = np.matmul(weight.reshape(o, -1).T, g,
                      out=workspace((c * kh * kw, length), np.result_type(g, weight), slot=1))
    dcols = dcols.reshape(c, kh * kw, length)
    gxp = np.zeros((c, size), dcols.dtype)
    for i in range(kh * kw):
        start = (i // kw) * ws + i % kw
        gxp[:, start:start + length] += dcols[:, i]
    gx = np.empty(x_shape, gxp.dtype)
    np.copyto(gx, _pixels(gxp, x_shape, rows, ws, length, base).transpose(1, 0, 2, 3))
    return gx
