"""Geometry shared by convolution, pooling and fold/unfold: argument checks,
output sizes, padding, the per-kernel-offset views and scatter targets, and the
copy from the matmuls' channel-major layout to NCHW. The memory these ops keep
between calls lives in ``nn/conv_cache.py``.

Sizes follow PyTorch: a kernel of ``k`` taps with dilation ``d`` spans
``d * (k - 1) + 1`` pixels, and the output has ``floor((n + p_lo + p_hi - span) / s) + 1``
positions per spatial dim (the notes' ``floor((n + 2p - f) / s) + 1``).
"""
from __future__ import annotations

import functools
from typing import Union

import numpy as np

from .conv_cache import workspace

IntPair = Union[int, tuple]
Padding = Union[int, tuple, str]
ONE, ZERO = (1, 1), ((0, 0), (0, 0))


# -- argument checks ----------------------------------------------------------------
def _is_int(v) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, bool)


def pair(value, what: str, where, minimum: int, n: int = 2) -> tuple:
    """``value`` as ``n`` ints >= ``minimum`` (one int is repeated), or a ValueError
    naming ``where``."""
    vals = (value,) * n if _is_int(value) else tuple(value) \
        if isinstance(value, (tuple, list)) else None
    if vals is None or len(vals) != n or not all(_is_int(v) and v >= minimum for v in vals):
        kind = "a pair of them" if n == 2 else f"a tuple of {n}"
        raise ValueError(f"{where}: {what} must be an int >= {minimum} or {kind}, "
                         f"got {value!r}")
    return tuple(int(v) for v in vals)


def positive_int(value, what: str, where) -> int:
    if not _is_int(value) or value <= 0:
        raise ValueError(f"{where}: {what} must be a positive int, got {value!r}")
    return int(value)


def conv_padding(padding: Padding, kernel: tuple, stride: tuple, where,
                 dilation: tuple = ONE) -> tuple:
    """Padding as ((top, bottom), (left, right)) from an int, an (h, w) pair, a pair
    of (before, after) pairs, 'valid' or 'same' (which splits an odd total as PyTorch:
    the extra pixel at the bottom/right)."""
    if isinstance(padding, str):
        if padding == "valid":
            return ZERO
        if padding != "same":
            raise ValueError(f"{where}: padding must be an int, a pair, 'same' or 'valid', "
                             f"got {padding!r}")
        if any(s != 1 for s in stride):
            raise ValueError(f"{where}: padding='same' needs stride 1 (as in PyTorch), "
                             f"got stride {stride}")
        spans = [d * (k - 1) for k, d in zip(kernel, dilation)]
        return tuple((t // 2, t - t // 2) for t in spans)
    if isinstance(padding, (tuple, list)) and len(padding) == len(kernel) and \
            all(isinstance(p, (tuple, list)) for p in padding):
        return tuple(pair(p, "padding (before, after)", where, 0) for p in padding)
    return tuple((p, p) for p in pair(padding, "padding", where, 0, len(kernel)))


def check_dims(shape, where, what: str = "input", ndim: int = 4,
               layout: str = "(N, C, H, W)"):
    if len(shape) != ndim:
        raise ValueError(f"{where}: expected a {ndim}-D {what} {layout}, got shape "
                         f"{tuple(shape)}")


# -- sizes --------------------------------------------------------------------------
def span(kernel, dilation=ONE) -> tuple:
    """The pixels a dilated kernel covers, per dim."""
    return tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))


def out_size(shape, kernel, stride, padding, where, dilation=ONE) -> tuple:
    """(Ho, Wo) for an NCHW ``shape``; raises when the kernel exceeds the padded input."""
    sizes = []
    for n, e, s, (lo, hi) in zip(shape[2:], span(kernel, dilation), stride, padding):
        if n + lo + hi < e:
            dil = "" if tuple(dilation) == ONE else f" with dilation {tuple(dilation)}"
            raise ValueError(
                f"{where}: kernel {tuple(kernel)}{dil} is larger than the padded input "
                f"{tuple(shape[2 + i] + sum(p) for i, p in enumerate(padding))} "
                f"(input shape {tuple(shape)}, padding {padding})")
        sizes.append((n + lo + hi - e) // s + 1)
    return tuple(sizes)


def pool_geometry(shape, kernel, stride, padding, dilation, ceil_mode, where):
    """(out_hw, padding) for pooling: with ``ceil_mode`` a last, partial window is
    kept when it starts inside the input or its left padding (PyTorch's rule), and
    the padding grows at the bottom/right to hold it."""
    out_hw = out_size(shape, kernel, stride, padding, where, dilation)
    if not ceil_mode:
        return out_hw, padding
    sizes, pads = [], []
    for n, e, s, (lo, hi), o in zip(shape[2:], span(kernel, dilation), stride, padding,
                                    out_hw):
        o_ceil = -(-(n + lo + hi - e) // s) + 1
        if (o_ceil - 1) * s >= n + lo:
            o_ceil -= 1
        sizes.append(max(o, o_ceil))
        pads.append((lo, max(hi, (sizes[-1] - 1) * s + e - n - lo)))
    return tuple(sizes), tuple(pads)


def clipped_counts(n: int, kernel: int, stride: int, lo: int, hi: int, n_out: int,
                   count_pad: bool) -> np.ndarray:
    """Per output position, how many of a window's pixels lie inside the input
    (``count_pad=False``) or inside the input and its padding (PyTorch's avg_pool
    divisor; the part of a ceil_mode window past the padding never counts)."""
    start = np.arange(n_out) * stride - lo
    end = np.minimum(start + kernel, n + hi)
    if not count_pad:
        start, end = np.maximum(start, 0), np.minimum(end, n)
    return end - start


# -- data movement --------------------------------------------------------------------
def channel_major_to_nchw(out_cm, bias, dtype):
    """(N, O, Ho, Wo) from a channel-major (O, N, Ho, Wo) view, the bias (if not None)
    added on the way."""
    out = np.empty((out_cm.shape[1], out_cm.shape[0]) + out_cm.shape[2:], dtype)
    out_cm = out_cm.transpose(1, 0, 2, 3)
    if bias is None:
        np.copyto(out, out_cm)
    else:
        np.add(out_cm, bias.reshape(-1, 1, 1), out=out)
    return out


def pad_border(x: np.ndarray, padding, fill) -> np.ndarray:
    """``x`` with a border of ``fill``, in the workspace: callers copy what they keep."""
    (pt, pb), (pl, pr) = padding
    if not (pt or pb or pl or pr):
        return x
    n, c, h, w = x.shape
    out = workspace((n, c, h + pt + pb, w + pl + pr), x.dtype)
    out.fill(fill)
    out[:, :, pt:pt + h, pl:pl + w] = x
    return out


def windows(xp: np.ndarray, kernel, stride, dilation, out_hw) -> np.ndarray:
    """A read-only (N, C, Ho, Wo, kh, kw) view of every window of the padded ``xp``."""
    sn, sc, sh, sw = xp.strides
    shape = xp.shape[:2] + tuple(out_hw) + tuple(kernel)
    strides = (sn, sc, sh * stride[0], sw * stride[1], sh * dilation[0], sw * dilation[1])
    return np.lib.stride_tricks.as_strided(xp, shape, strides, writeable=False)


def _clip(p: int, pad: int, s: int, n_out: int, size: int):
    """Output positions i whose window element at offset p (dilation applied), input
    row i*s + p - pad, lies inside the input (not in the padding): (input slice,
    output slice)."""
    first = max(0, -((p - pad) // s))  # ceil((pad - p) / s)
    last = min(n_out - 1, (size - 1 + pad - p) // s)
    if last < first:
        return None
    start = first * s + p - pad
    return slice(start, start + (last - first) * s + 1, s), slice(first, last + 1)


@functools.lru_cache(maxsize=256)  # geometry is hashable; the pairs never change
def scatter_pairs(shape, kernel, stride, padding, out_hw, dilation=ONE) -> tuple:
    """Per kernel offset (row-major), where its (N, C, Ho, Wo) gradient lands in the
    UNPADDED input: (input index, output index), or None if it only meets padding.
    Writing straight into the input's shape saves a padded buffer and a copy."""
    rows = [_clip(p * dilation[0], padding[0][0], stride[0], out_hw[0], shape[2])
            for p in range(kernel[0])]
    cols = [_clip(q * dilation[1], padding[1][0], stride[1], out_hw[1], shape[3])
            for q in range(kernel[1])]
    every = slice(None)
    return tuple(None if r is None or c is None else
                 ((every, every, r[0], c[0]), (every, every, r[1], c[1]))
                 for r in rows for c in cols)


def offset_views(a: np.ndarray, kernel, stride, out_hw, dilation=ONE) -> list:
    """One (N, C, Ho, Wo) strided view of the padded ``a`` per kernel offset, in
    row-major order: view ``p * kw + q`` holds each window's element at (p, q)."""
    (kh, kw), (sh, sw), (ho, wo), (dh, dw) = kernel, stride, out_hw, dilation
    return [a[:, :, p * dh:p * dh + sh * (ho - 1) + 1:sh, q * dw:q * dw + sw * (wo - 1) + 1:sw]
            for p in range(kh) for q in range(kw)]
