"""Convolutions on NCHW images (PyTorch's names and arguments): ``conv2d``,
``conv1d``, ``conv_transpose2d``, ``conv_transpose1d``.

``conv2d`` is one engine primitive, built for speed: im2col copied once into a
channel-major layout, so that the forward and both gradients are single large
BLAS matmuls (one per group); col2im (the input's gradient) adds one slice per
kernel offset (kh*kw adds, no loop over pixels or batch, no ``np.add.at``).
With stride 1, no dilation and one group the images lie on a flat padded grid,
where every row of the columns and every col2im slice is contiguous
(``nn/conv_flat.py``); everything else copies the columns from a strided view
of the padded input and adds strided slices.

Second derivatives: under ``create_graph=True`` the same backward is written
with recorded ops instead (``unfold``, ``fold`` and matmuls from
``nn/fold_ops.py``), so gradients of gradients exist, as in PyTorch.

``conv1d`` is ``conv2d`` on images one pixel high; ``conv_transpose2d`` is the
adjoint of ``conv2d`` (its input's gradient), composed from a matmul and
``fold``.
"""
from __future__ import annotations

import math

import numpy as np

from autograd import Tensor, as_tensor
from autograd.function import Op

from .conv_cache import columns, workspace
from .conv_flat import flat_col2im, flat_forward, flat_grad, usable
from .conv_geometry import (ONE, IntPair, Padding, channel_major_to_nchw, check_dims,
                            conv_padding, out_size, pad_border, pair, positive_int,
                            scatter_pairs, windows)
from .fold_ops import Fold, Unfold
from .pad_ops import pad

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


class Conv2d(Op):
    """out[n,o] = sum_c w[o,c] * x[n,c] (cross-correlation, per group), as matmuls of
    the columns: dW = g @ cols^T, db = sum g, dx = col2im(W^T @ g)"""

    op_name = "conv2d"

    def forward(ctx, x, weight, bias=None, *, stride, padding, dilation=ONE, groups=1):
        ctx.flat = stride == ONE and dilation == ONE and groups == 1 and \
            usable(x.shape, weight.shape, padding)
        if ctx.flat:
            out, cols = flat_forward(x, weight, bias, padding, ctx)
        else:
            out, cols = _strided_forward(x, weight, bias, stride, padding, dilation, groups,
                                         ctx)
        ctx.geometry = (weight.shape, x.shape, out.shape[2:], stride, padding, dilation, groups)
        needs = ctx.needs_input_grad
        # x itself is kept for second derivatives only (create_graph=True); the columns
        # are its copy that the fast backward uses
        ctx.save_for_backward(cols if needs[1] else None, weight if needs[0] else None,
                              x if needs[1] else None)
        return out

    def backward(ctx, grad):
        cols, weight, x = ctx.saved_tensors
        if isinstance(grad, Tensor):
            return _recorded_backward(ctx, grad, weight, x)
        w_shape, x_shape, out_hw, stride, padding, dilation, groups = ctx.geometry
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
        if needs[1] and groups > 1:
            o, length = g.shape
            gw = np.matmul(g.reshape(groups, o // groups, length),
                           cols.reshape(groups, -1, length).transpose(0, 2, 1)).reshape(w_shape)
        elif needs[1]:  # a long sum to a small result: which operand goes first matters to
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
                gx = _col2im(g, weight, x_shape, stride, padding, dilation, groups, out_hw)
        return (gx, gw) if len(needs) == 2 else (gx, gw, gb)


def _strided_forward(x, weight, bias, stride, padding, dilation, groups, ctx):
    """Any geometry: columns (C*kh*kw, N*Ho*Wo) copied from a strided view."""
    n, c = x.shape[:2]
    o, _, kh, kw = weight.shape
    xp = pad_border(x, padding, 0)
    ho, wo = out_size(xp.shape, (kh, kw), stride, ((0, 0), (0, 0)), "conv2d", dilation)
    win = windows(xp, (kh, kw), stride, dilation, (ho, wo))
    # Channel-major columns (C*kh*kw, N*Ho*Wo): the forward and each gradient is ONE
    # large matmul (per group), which BLAS runs on all its threads (a batch of N small
    # ones would not); the price is one transposing copy of the output (bias added on
    # the way) and of the incoming gradient.
    length = n * ho * wo
    cols = columns((c * kh * kw, length), xp.dtype, ctx)
    np.copyto(cols.reshape(c, kh, kw, n, ho, wo), win.transpose(1, 4, 5, 0, 2, 3))
    dtype = np.result_type(cols, weight, *(() if bias is None else (bias,)))
    if groups == 1:
        out_cm = np.matmul(weight.reshape(o, -1), cols, out=workspace((o, length), dtype))
    else:
        out_cm = np.matmul(weight.reshape(groups, o // groups, -1),
                           cols.reshape(groups, -1, length),
                           out=workspace((groups, o // groups, length), dtype))
    return channel_major_to_nchw(out_cm.reshape(o, n, ho, wo), bias, dtype), cols


def _col2im(g, weight, x_shape, stride, padding, dilation, groups, out_hw):
    """dx from channel-major ``g`` (O, N*Ho*Wo): the column gradients W^T @ g (one
    matmul per group), each kernel offset's slice added where its pixels came from."""
    o, cg, kh, kw = weight.shape
    length = g.shape[1]
    dtype = np.result_type(g, weight)
    if groups == 1:
        dcols = np.matmul(weight.reshape(o, -1).T, g,
                          out=workspace((cg * kh * kw, length), dtype, slot=1))
    else:
        dcols = np.matmul(weight.reshape(groups, o // groups, -1).transpose(0, 2, 1),
                          g.reshape(groups, o // groups, length),
                          out=workspace((groups, cg * kh * kw, length), dtype, slot=1))
    dcols = dcols.reshape(cg * groups, kh * kw, x_shape[0], *out_hw)
    gx = np.zeros(x_shape, dtype=dcols.dtype)
    gx_cm = gx.transpose(1, 0, 2, 3)  # (C, N, H, W), a view: the layout of dcols
    for i, pair_ in enumerate(scatter_pairs(x_shape, (kh, kw), stride, padding, out_hw,
                                            dilation)):
        if pair_ is not None:
            gx_cm[pair_[0]] += dcols[:, i][pair_[1]]
    return gx


def _recorded_backward(ctx, grad, weight, x):
    """The backward with recorded ops (create_graph=True): unfold, matmuls, fold."""
    w_shape, x_shape, out_hw, stride, padding, dilation, groups = ctx.geometry
    needs = ctx.needs_input_grad
    n, o = grad.shape[:2]
    length = out_hw[0] * out_hw[1]
    g = grad.reshape(n, groups, o // groups, length)
    geometry = dict(kernel=tuple(w_shape[2:]), stride=stride, padding=padding,
                    dilation=dilation, out_hw=tuple(out_hw))
    gx = gw = gb = None
    if needs[0]:
        w_t = weight.reshape(groups, o // groups, -1).transpose(0, 2, 1)
        gx = Fold.apply((w_t @ g).reshape(n, -1, length), x_shape=tuple(x_shape), **geometry)
    if needs[1]:
        cols = Unfold.apply(x, **geometry).reshape(n, groups, -1, length)
        gw = (g @ cols.transpose(0, 1, 3, 2)).sum(axis=0).reshape(w_shape)
    if len(needs) > 2 and needs[2]:
        gb = grad.sum(axis=(0, 2, 3))
    return (gx, gw) if len(needs) == 2 else (gx, gw, gb)


# -- argument checks and the functional API ---------------------------------------------

def check_groups(channels: int, out_channels: int, groups, where) -> int:
    groups = positive_int(groups, "groups", where)
    for what, n in (("in_channels", channels), ("out_channels", out_channels)):
        if n % groups:
            raise ValueError(f"{where}: {what} ({n}) must be divisible by groups ({groups})")
    return groups


def check_padding_mode(padding_mode, where) -> str:
    if padding_mode not in PADDING_MODES:
        raise ValueError(f"{where}: padding_mode must be one of {', '.join(PADDING_MODES)}; "
                         f"got {padding_mode!r}")
    return padding_mode


def _check_channels(x_shape, w_shape, groups, where) -> int:
    groups = positive_int(groups, "groups", where)
    if w_shape[1] * groups != x_shape[1]:
        per = "" if groups == 1 else f" per group, {groups} groups"
        raise ValueError(f"{where}: the input has {x_shape[1]} channels (shape {x_shape}) "
                         f"but the weight {w_shape} expects {w_shape[1] * groups} "
                         f"({w_shape[1]}{per})")
    return check_groups(x_shape[1], w_shape[0], groups, where)


def conv_call(x, weight, bias, stride, padding, where, dilation=1, groups=1,
              padding_mode: str = "zeros") -> Tensor:
    """Check the arguments (errors name ``where``: the op's name or the layer), then convolve."""
    x, weight = as_tensor(x), as_tensor(weight)
    bias = None if bias is None else as_tensor(bias)
    check_dims(x.shape, where)
    check_dims(weight.shape, where, "weight", layout="(out_channels, in_channels/groups, kh, kw)")
    groups = _check_channels(x.shape, weight.shape, groups, where)
    if bias is not None and bias.shape != weight.shape[:1]:
        raise ValueError(f"{where}: bias must have shape {weight.shape[:1]} (one per output "
                         f"channel of the weight {weight.shape}), got {bias.shape}")
    stride = pair(stride, "stride", where, 1)
    dilation = pair(dilation, "dilation", where, 1)
    padding = conv_padding(padding, weight.shape[2:], stride, where, dilation)
    if check_padding_mode(padding_mode, where) != "zeros" and padding != ((0, 0), (0, 0)):
        (pt, pb), (pl, pr) = padding
        x = pad(x, (pl, pr, pt, pb), mode=padding_mode)
        padding = ((0, 0), (0, 0))
    out_size(x.shape, weight.shape[2:], stride, padding, where, dilation)
    args = (x, weight) if bias is None else (x, weight, bias)
    return Conv2d.apply(*args, stride=stride, padding=padding, dilation=dilation,
                        groups=groups)


def conv2d(input, weight, bias=None, stride: IntPair = 1, padding: Padding = 0,
           dilation: IntPair = 1, groups: int = 1, *, padding_mode: str = "zeros") -> Tensor:
    """2-D convolution (cross-correlation, as PyTorch and the notes) of NCHW ``input``
    with ``weight`` (out_channels, in_channels/groups, kh, kw) plus ``bias`` (out_channels,).

    ``padding`` is an int, an (h, w) pair, a pair of (before, after) pairs,
    ``'valid'`` (none) or ``'same'`` (output as large as the input; stride 1 only),
    filled as ``padding_mode`` says ('zeros', 'reflect', 'replicate', 'circular').
    ``dilation`` spaces the kernel's taps; ``groups`` splits the channels into
    groups convolved separately. The notes' vertical-edge detector:

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> image = ag.Tensor(np.array([[3, 0, 1, 2, 7, 4], [1, 5, 8, 9, 3, 1],
    ...                             [2, 7, 2, 5, 1, 3], [0, 1, 3, 1, 7, 8],
    ...                             [4, 2, 1, 6, 2, 8], [2, 4, 5, 2, 3, 9]],
    ...                            dtype=np.float32).reshape(1, 1, 6, 6))
    >>> edge = ag.Tensor(np.array([[1, 0, -1]] * 3, dtype=np.float32).reshape(1, 1, 3, 3))
    >>> F.conv2d(image, edge).numpy()[0, 0].astype(int).tolist()
    [[-5, -4, 0, 8], [-10, -2, 2, 3], [0, -2, -4, -7], [-3, -2, -3, -16]]
    >>> F.conv2d(image, edge, padding="same").shape
    (1, 1, 6, 6)
    >>> F.conv2d(image, edge, dilation=2).shape        # taps 2 apart: a 5x5 reach
    (1, 1, 2, 2)
    >>> F.conv2d(image, edge, padding=((0, 1), (2, 0))).shape   # (top, bottom), (left, right)
    (1, 1, 5, 6)
    """
    return conv_call(input, weight, bias, stride, padding, "conv2d", dilation, groups,
                     padding_mode)


def _padding_1d(padding, where):
    """1-d padding (an int, a 1-tuple, a (before, after) pair or a string) as 2-d."""
    if isinstance(padding, str):
        return padding
    if isinstance(padding, (tuple, list)) and len(padding) == 2:
        return (0, 0), pair(padding, "padding", where, 0)
    return (0, 0), (pair(padding, "padding", where, 0, 1) * 2)


def conv1d(input, weight, bias=None, stride: IntPair = 1, padding: Padding = 0,
           dilation: IntPair = 1, groups: int = 1, *, padding_mode: str = "zeros") -> Tensor:
    """1-D convolution of ``input`` (N, C, L) with ``weight`` (out_channels,
    in_channels/groups, k) plus ``bias``: ``conv2d`` on rows one pixel high, the same
    arguments (``padding`` an int, a (before, after) pair, 'same' or 'valid').

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> x = ag.Tensor(np.array([[[1.0, 2.0, 4.0, 7.0]]]))
    >>> F.conv1d(x, ag.Tensor(np.array([[[-1.0, 1.0]]]))).numpy()   # differences
    array([[[1., 2., 3.]]])
    """
    return conv1d_call(input, weight, bias, stride, padding, dilation, groups, padding_mode,
                       "conv1d")


def conv1d_call(x, weight, bias, stride, padding, dilation, groups, padding_mode, where):
    """``conv1d`` with errors naming ``where`` (the op's name or the layer)."""
    x, weight = as_tensor(x), as_tensor(weight)
    check_dims(x.shape, where, ndim=3, layout="(N, C, L)")
    check_dims(weight.shape, where, "weight", ndim=3,
               layout="(out_channels, in_channels/groups, k)")
    _check_channels(x.shape, weight.shape, groups, where)  # with the 3-D shapes
    pads, dilation = _padding_1d(padding, where), pair(dilation, "dilation", where, 1, 1)
    reach = dilation[0] * (weight.shape[2] - 1) + 1
    if not isinstance(pads, str) and x.shape[2] + sum(pads[1]) < reach:
        dil = "" if dilation == (1,) else f" with dilation {dilation[0]}"
        raise ValueError(f"{where}: kernel {weight.shape[2]}{dil} is longer than the padded "
                         f"input ({x.shape[2] + sum(pads[1])}; input shape {x.shape}, "
                         f"padding {pads[1]})")
    out = conv_call(x.expand_dims(2), weight.expand_dims(2), bias,
                    (1,) + pair(stride, "stride", where, 1, 1), pads, where, (1,) + dilation,
                    groups, padding_mode)
    return out.squeeze(2)


def conv_transpose2d(input, weight, bias=None, stride: IntPair = 1, padding: IntPair = 0,
                     output_padding: IntPair = 0, groups: int = 1,
                     dilation: IntPair = 1) -> Tensor:
    """Transposed convolution (the adjoint of ``conv2d``, the gradient it sends to its
    input) of NCHW ``input`` with ``weight`` (in_channels, out_channels/groups, kh, kw):
    each input pixel scatters a weighted kernel into the output. Output size per dim
    ``(n - 1) * s - 2p + d * (k - 1) + output_padding + 1``, PyTorch's argument order.

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> x = ag.Tensor(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]))
    >>> F.conv_transpose2d(x, ag.Tensor(np.ones((1, 1, 2, 2))), stride=2).numpy()[0, 0]
    array([[1., 1., 2., 2.],
           [1., 1., 2., 2.],
           [3., 3., 4., 4.],
           [3., 3., 4., 4.]])
    """
    return conv_transpose_call(input, weight, bias, stride, padding, output_padding, groups,
                               dilation, "conv_transpose2d")


def conv_transpose_call(x, weight, bias, stride, padding, output_padding, groups, dilation,
                        where) -> Tensor:
    """Check the arguments (errors name ``where``), then: a matmul and ``fold``."""
    x, weight = as_tensor(x), as_tensor(weight)
    bias = None if bias is None else as_tensor(bias)
    check_dims(x.shape, where)
    check_dims(weight.shape, where, "weight", layout="(in_channels, out_channels/groups, kh, kw)")
    n, c, h, w = x.shape
    if weight.shape[0] != c:
        raise ValueError(f"{where}: the input has {c} channels (shape {x.shape}) but the "
                         f"weight {weight.shape} expects {weight.shape[0]}")
    groups = positive_int(groups, "groups", where)
    out_ch = weight.shape[1] * groups
    check_groups(c, out_ch, groups, where)
    if bias is not None and bias.shape != (out_ch,):
        raise ValueError(f"{where}: bias must have shape {(out_ch,)} (one per output channel: "
                         f"weight {weight.shape}, groups {groups}), got {bias.shape}")
    kernel = weight.shape[2:]
    stride, dilation = pair(stride, "stride", where, 1), pair(dilation, "dilation", where, 1)
    pads = pair(padding, "padding", where, 0)
    extra = pair(output_padding, "output_padding", where, 0)
    if any(e >= s and e >= d for e, s, d in zip(extra, stride, dilation)):
        raise ValueError(f"{where}: output_padding {extra} must be smaller than the stride "
                         f"{stride} or the dilation {dilation}")
    size = tuple((i - 1) * s - 2 * p + d * (k - 1) + e + 1 for i, s, p, d, k, e in
                 zip((h, w), stride, pads, dilation, kernel, extra))
    if min(size) < 1:
        raise ValueError(f"{where}: the output size {size} is not positive (input {x.shape}, "
                         f"kernel {kernel}, stride {stride}, padding {pads})")
    cg = c // groups
    w_t = weight.reshape(groups, cg, -1).transpose(0, 2, 1)    # (G, out/G*kh*kw, in/G)
    cols = (w_t @ x.reshape(n, groups, cg, h * w)).reshape(n, -1, h * w)
    out = Fold.apply(cols, x_shape=(n, out_ch) + size, kernel=kernel, stride=stride,
                     padding=tuple((p, p) for p in pads), dilation=dilation, out_hw=(h, w))
    return out if bias is None else out + bias.reshape(1, -1, 1, 1)


def conv_transpose1d(input, weight, bias=None, stride: IntPair = 1, padding: IntPair = 0,
                     output_padding: IntPair = 0, groups: int = 1,
                     dilation: IntPair = 1) -> Tensor:
    """Transposed 1-D convolution of ``input`` (N, C, L) with ``weight`` (in_channels,
    out_channels/groups, k): ``conv_transpose2d`` on rows one pixel high.

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> x = ag.Tensor(np.array([[[1.0, 2.0]]]))
    >>> F.conv_transpose1d(x, ag.Tensor(np.array([[[1.0, 10.0]]]))).numpy()
    array([[[ 1., 12., 20.]]])
    """
    return conv_transpose1d_call(input, weight, bias, stride, padding, output_padding, groups,
                                 dilation, "conv_transpose1d")


def conv_transpose1d_call(x, weight, bias, stride, padding, output_padding, groups, dilation,
                          where) -> Tensor:
    """``conv_transpose1d`` with errors naming ``where`` (the op's name or the layer)."""
    x, weight = as_tensor(x), as_tensor(weight)
    check_dims(x.shape, where, ndim=3, layout="(N, C, L)")
    check_dims(weight.shape, where, "weight", ndim=3,
               layout="(in_channels, out_channels/groups, k)")
    if weight.shape[0] != x.shape[1]:
        raise ValueError(f"{where}: the input has {x.shape[1]} channels (shape {x.shape}) but "
                         f"the weight {weight.shape} expects {weight.shape[0]}")

    def two(v, what, minimum):
        return (minimum,) + pair(v, what, where, minimum, 1)
    out = conv_transpose_call(x.expand_dims(2), weight.expand_dims(2), bias,
                              two(stride, "stride", 1), two(padding, "padding", 0),
                              two(output_padding, "output_padding", 0), groups,
                              two(dilation, "dilation", 1), where)
    return out.squeeze(2)
