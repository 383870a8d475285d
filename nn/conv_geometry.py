"""Geometry shared by convolution and pooling: argument checks, output sizes,
padding, the per-kernel-offset views and scatter targets, the copy from the
matmuls' channel-major layout to NCHW, and the memory kept between calls: a
scratch buffer (the workspace) for temporaries that die inside one call, and a
per-thread pool of convolution columns and gradient grids.
"""
from __future__ import annotations

import functools
import math
import threading
import weakref
from typing import Union

import numpy as np


IntPair = Union[int, tuple]
Padding = Union[int, tuple, str]


# -- geometry and argument checks ---------------------------------------------
def pair(value, what: str, where: str, minimum: int) -> tuple:
    """``value`` as an (h, w) pair of ints >= ``minimum``, or a ValueError naming ``where``."""
    vals = (value, value) if isinstance(value, (int, np.integer)) else tuple(value) \
        if isinstance(value, (tuple, list)) else None
    if vals is None or len(vals) != 2 or not all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v >= minimum
            for v in vals):
        raise ValueError(f"{where}: {what} must be an int >= {minimum} or a pair of them, "
                         f"got {value!r}")
    return int(vals[0]), int(vals[1])


def conv_padding(padding: Padding, kernel: tuple, stride: tuple, where: str) -> tuple:
    """Padding as ((top, bottom), (left, right)); 'same' splits odd totals as PyTorch."""
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0), (0, 0)
        if padding != "same":
            raise ValueError(f"{where}: padding must be an int, a pair, 'same' or 'valid', "
                             f"got {padding!r}")
        if stride != (1, 1):
            raise ValueError(f"{where}: padding='same' needs stride 1 (as in PyTorch), "
                             f"got stride {stride}")
        # PyTorch puts the odd pixel of an even kernel's padding at the bottom/right.
        return tuple(((k - 1) // 2, k - 1 - (k - 1) // 2) for k in kernel)
    ph, pw = pair(padding, "padding", where, 0)
    return (ph, ph), (pw, pw)


def check_4d(shape, where: str, what: str = "input"):
    if len(shape) != 4:
        raise ValueError(f"{where}: expected a 4-D {what} (N, C, H, W), got shape {shape}")


def out_size(shape, kernel, stride, padding, where: str) -> tuple:
    """(Ho, Wo) for an NCHW ``shape``; raises when the kernel exceeds the padded input."""
    sizes = []
    for n, k, s, (lo, hi) in zip(shape[2:], kernel, stride, padding):
        if n + lo + hi < k:
            raise ValueError(
                f"{where}: kernel {tuple(kernel)} is larger than the padded input "
                f"{tuple(shape[2 + i] + sum(p) for i, p in enumerate(padding))} "
                f"(input shape {tuple(shape)}, padding {padding})")
        sizes.append((n + lo + hi - k) // s + 1)
    return tuple(sizes)


_local = threading.local()
_WORKSPACE_MAX = 64 << 20  # bytes kept between calls, per thread


def workspace(shape, dtype, slot: int = 0) -> np.ndarray:
    """A scratch array, reused from call to call (per thread and ``slot``) up to
    _WORKSPACE_MAX bytes, for temporaries that die inside one forward or backward (the
    padded input, a channel-major copy of the gradient, the column gradients). A
    fresh array that large comes from new pages of memory on every step, and their
    page faults cost as much as the matmul that fills it."""
    dtype = np.dtype(dtype)
    nbytes = math.prod(shape) * dtype.itemsize
    if nbytes > _WORKSPACE_MAX:
        return np.empty(shape, dtype)
    bufs = _local.__dict__.setdefault("bufs", {})
    buf = bufs.get(slot)
    if buf is None or buf.nbytes < nbytes:
        buf = bufs[slot] = np.empty(nbytes, np.uint8)
    return buf[:nbytes].view(dtype).reshape(shape)


pool = threading.local()  # per thread: recycled columns, cached gradient grids
POOL_ENTRIES, POOL_BYTES = 8, 256 << 20  # per thread


def columns(shape, dtype, node) -> np.ndarray:
    """An array for ``node``'s columns, recycled from an earlier convolution that is done
    with its own: its backward released them, it never saved them, or it is gone.

    The columns are the largest array a convolution keeps (kh*kw times its input);
    a fresh one each step comes from new pages of memory, whose page faults cost as
    much as the matmul. Ownership is read from the nodes, never guessed: an array is
    reused only when no live node holds it in its saved values."""
    entries = pool.__dict__.setdefault("entries", [])
    for entry in entries:
        arr, owner = entry[0], entry[1]()
        if arr.shape == shape and arr.dtype == dtype and not _holds(owner, arr):
            entry[1] = weakref.ref(node)
            return arr
    arr = np.empty(shape, dtype)
    entries.append([arr, weakref.ref(node)])
    while len(entries) > POOL_ENTRIES or sum(e[0].nbytes for e in entries) > POOL_BYTES:
        entries.pop(0)  # forgetting an entry is always safe: its owner keeps the array
    return arr


def _holds(node, arr) -> bool:
    saved = None if node is None else node.saved
    return saved is not None and any(a is arr for a in saved)


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


def _clip(p: int, pad: int, s: int, n_out: int, size: int):
    """Output positions i whose window element at offset p, input row i*s + p - pad,
    lies inside the input (not in the padding): (input slice, output slice)."""
    first = max(0, -((p - pad) // s))  # ceil((pad - p) / s)
    last = min(n_out - 1, (size - 1 + pad - p) // s)
    if last < first:
        return None
    start = first * s + p - pad
    return slice(start, start + (last - first) * s + 1, s), slice(first, last + 1)


@functools.lru_cache(maxsize=256)  # geometry is hashable; the pairs never change
def scatter_pairs(shape, kernel, stride, padding, out_hw) -> tuple:
    """Per kernel offset (row-major), where its (N, C, Ho, Wo) gradient lands in the
    UNPADDED input: (input index, output index), or None if it only meets padding.
    Writing straight into the input's shape saves a padded buffer and a copy."""
    rows = [_clip(p, padding[0][0], stride[0], out_hw[0], shape[2]) for p in range(kernel[0])]
    cols = [_clip(q, padding[1][0], stride[1], out_hw[1], shape[3]) for q in range(kernel[1])]
    every = slice(None)
    return tuple(None if r is None or c is None else
                 ((every, every, r[0], c[0]), (every, every, r[1], c[1]))
                 for r in rows for c in cols)


def offset_views(a: np.ndarray, kernel, stride, out_hw) -> list:
    """One (N, C, Ho, Wo) strided view of ``a`` per kernel offset, in row-major order:
    view ``p * kw + q`` holds each window's element at (p, q)."""
    (kh, kw), (sh, sw), (ho, wo) = kernel, stride, out_hw
    return [a[:, :, p:p + sh * (ho - 1) + 1:sh, q:q + sw * (wo - 1) + 1:sw]
            for p in range(kh) for q in range(kw)]
