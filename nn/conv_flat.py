"""Stride-1 convolution on a flat grid: contiguous im2col and col2im.

With the padded images laid end to end, channel by channel, as rows of a
``(C, N*Hp*Wp)`` array, the pixel under kernel offset (p, q) of the window at
grid position k is at k + p*Wp + q. So each row of the columns is a contiguous
slice of that array, and col2im adds kh*kw contiguous slices: copies and adds
at full speed, where the sliding-window view copies rows of Wo pixels. The
grid positions outside the output (the last kh-1 rows and kw-1 columns of each
image) are computed and dropped, and their gradient is zero: (Hp*Wp)/(Ho*Wo)
more matmul work (13% for 32x32 images with padding 1).
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .conv_geometry import POOL_ENTRIES, columns, pool, workspace


def output(out_cm, bias, dtype):
    """(N, O, Ho, Wo) from a channel-major (O, N, Ho, Wo) view, the bias (if not None)
    added on the way."""
    out = np.empty((out_cm.shape[1], out_cm.shape[0]) + out_cm.shape[2:], dtype)
    out_cm = out_cm.transpose(1, 0, 2, 3)
    if bias is None:
        np.copyto(out, out_cm)
    else:
        np.add(out_cm, bias.reshape(-1, 1, 1), out=out)
    return out


def _flat_sizes(x_shape, w_shape, padding):
    (pt, pb), (pl, pr) = padding
    hp, wp = x_shape[2] + pt + pb, x_shape[3] + pl + pr
    length = x_shape[0] * hp * wp
    tail = (w_shape[2] - 1) * wp + w_shape[3] - 1  # the last windows read past the grid
    return hp, wp, length, tail


def _grid(flat, n, hp, wp, length):
    """The (C, N, Hp, Wp) view of a flat (C, length + tail) buffer."""
    return flat[:, :length].reshape(flat.shape[0], n, hp, wp)


def flat_forward(x, weight, bias, padding, ctx):
    """The convolution's output (N, O, Ho, Wo) and its columns (C*kh*kw [+ 1], N*Hp*Wp),
    kept by ``ctx``'s node for the weight's gradient."""
    n, c, h, w = x.shape
    o, _, kh, kw = weight.shape
    (pt, _), (pl, _) = padding
    hp, wp, length, tail = _flat_sizes(x.shape, weight.shape, padding)
    xp = workspace((c, length + tail), x.dtype)
    xp.fill(0)
    _grid(xp, n, hp, wp, length)[:, :, pt:pt + h, pl:pl + w] = x.transpose(1, 0, 2, 3)
    step = xp.itemsize
    shifted = as_strided(xp, (c, kh, kw, length), (xp.strides[0], wp * step, step, step),
                         writeable=False)
    # With a bias, the columns get a row of ones and the weights a column with the
    # bias: the matmul adds it, and the weight-gradient matmul gives its gradient.
    k = c * kh * kw
    cols = columns((k + (bias is not None), length), x.dtype, ctx)
    np.copyto(cols[:k].reshape(c, kh, kw, length), shifted)
    w = weight.reshape(o, k)
    if bias is not None:
        cols[k] = 1
        w = np.concatenate([w, bias.reshape(o, 1).astype(w.dtype, copy=False)], axis=1)
    dtype = np.result_type(cols, w)
    out_flat = np.matmul(w, cols, out=workspace((o, length), dtype, slot=1))
    ho, wo = hp - kh + 1, wp - kw + 1
    return output(out_flat.reshape(o, n, hp, wp)[:, :, :ho, :wo], None, dtype), cols


def flat_grad(grad, x_shape, w_shape, padding):
    """The incoming gradient on the flat grid (O, N*Hp*Wp), zero where no output is."""
    n, o, ho, wo = grad.shape
    hp, wp, length, _ = _flat_sizes(x_shape, w_shape, padding)
    key = (o, length, hp, wp, ho, wo, grad.dtype)
    grids = pool.__dict__.setdefault("grids", {})
    g = grids.get(key)
    if g is None:  # zeros where no output comes from; only the rest is written below
        g = np.zeros((o, length), grad.dtype)
        if len(grids) >= POOL_ENTRIES:  # a few geometries per thread: a model's layers
            del grids[next(iter(grids))]
        grids[key] = g
    g.reshape(o, n, hp, wp)[:, :, :ho, :wo] = grad.transpose(1, 0, 2, 3)
    return g


def flat_col2im(g, weight, x_shape, padding):
    """The input's gradient from ``g`` on the flat grid: W^T @ g, one matmul, then the
    column gradients added back where each kernel offset read its pixels."""
    n, c, h, w = x_shape
    o, _, kh, kw = weight.shape
    (pt, _), (pl, _) = padding
    hp, wp, length, tail = _flat_sizes(x_shape, weight.shape, padding)
    dcols = np.matmul(weight.reshape(o, -1).T, g,
                      out=workspace((c * kh * kw, length), np.result_type(g, weight), slot=1))
    dcols = dcols.reshape(c, kh * kw, length)
    gxp = np.zeros((c, length + tail), dcols.dtype)
    for i in range(kh * kw):
        start = (i // kw) * wp + i % kw
        gxp[:, start:start + length] += dcols[:, i]
    gx = np.empty(x_shape, gxp.dtype)
    inside = _grid(gxp, n, hp, wp, length)[:, :, pt:pt + h, pl:pl + w]
    np.copyto(gx, inside.transpose(1, 0, 2, 3))
    return gx
