"""``pad`` as ``torch.nn.functional.pad``: constant, reflect, replicate and circular.

Every mode is composed from slices, ``broadcast_to``, ``concatenate`` and the
constant ``ag.pad``, so gradients of any order exist and the backward stays on
fast paths (slices and sums, no scatter with repeats).
"""
from __future__ import annotations

import numpy as np

import autograd as ag
from autograd import Tensor, as_tensor

MODES = ("constant", "reflect", "replicate", "circular")


def _widths(x, pad):
    """Per-dim (before, after) from PyTorch's flat ``pad`` (last dim first)."""
    ints = isinstance(pad, (tuple, list)) and all(
        isinstance(p, (int, np.integer)) and not isinstance(p, bool) for p in pad)
    if not ints or len(pad) % 2 or len(pad) // 2 > x.ndim:
        raise ValueError(f"pad: expected an even number of int widths covering at most "
                         f"{x.ndim} dims, got {pad!r} for shape {x.shape}")
    pad = tuple(int(p) for p in pad)
    widths = [(0, 0)] * x.ndim
    for i in range(len(pad) // 2):
        widths[x.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    return widths


def _edges(x, axis, lo, hi, mode):
    """The slabs that ``mode`` puts before and after ``x`` along ``axis``."""
    n = x.shape[axis]
    at = (slice(None),) * axis

    def take(s):
        return x[at + (s,)]

    if mode == "reflect":
        if lo >= n or hi >= n:
            raise ValueError(f"pad: reflect padding ({lo}, {hi}) of dim {axis} must be smaller "
                             f"than its size {n} (input shape {x.shape})")
        stop = n - 2 - hi
        return take(slice(lo, 0, -1)), take(slice(n - 2, stop if stop >= 0 else None, -1))
    if mode == "circular":
        if lo > n or hi > n:
            raise ValueError(f"pad: circular padding ({lo}, {hi}) of dim {axis} must be at most "
                             f"its size {n} (input shape {x.shape})")
        return take(slice(n - lo, n)), take(slice(0, hi))
    if n == 0:
        raise ValueError(f"pad: replicate padding needs a nonempty dim {axis} "
                         f"(input shape {x.shape})")

    def repeat(s, k):
        edge = take(s)
        return edge.broadcast_to(edge.shape[:axis] + (k,) + edge.shape[axis + 1:])
    return repeat(slice(0, 1), lo), repeat(slice(n - 1, n), hi)


def pad(input, pad, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad the last dims as PyTorch: ``pad = (left, right)`` for the last dim, then
    ``(top, bottom)`` for the one before, and so on. ``mode``: ``'constant'`` (``value``,
    default 0; negative widths crop), ``'reflect'`` (mirror without the edge,
    widths smaller than the dim), ``'replicate'`` (repeat the edge) or ``'circular'``
    (wrap around, widths at most the dim).

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> x = ag.Tensor(np.array([[1.0, 2.0, 3.0]]))
    >>> F.pad(x, (1, 0)).numpy()
    array([[0., 1., 2., 3.]])
    >>> F.pad(x, (2, 2), mode="reflect").numpy()
    array([[3., 2., 1., 2., 3., 2., 1.]])
    >>> F.pad(x, (2, 1), mode="replicate").numpy(), F.pad(x, (1, 2), mode="circular").numpy()
    (array([[1., 1., 1., 2., 3., 3.]]), array([[3., 1., 2., 3., 1., 2.]]))
    """
    x = as_tensor(input)
    if mode not in MODES:
        raise ValueError(f"pad: mode must be one of {', '.join(map(repr, MODES))}, "
                         f"got {mode!r}")
    widths = _widths(x, pad)
    if mode == "constant":
        if any(lo < 0 or hi < 0 for lo, hi in widths):  # negative widths crop
            x = x[tuple(slice(max(-lo, 0), n - max(-hi, 0)) for (lo, hi), n in
                        zip(widths, x.shape))]
            widths = [(max(lo, 0), max(hi, 0)) for lo, hi in widths]
        return ag.pad(x, tuple(widths), constant_values=0.0 if value is None else value)
    if value is not None and value != 0:
        raise ValueError(f"pad: mode {mode!r} takes no value (got value={value!r})")
    if any(lo < 0 or hi < 0 for lo, hi in widths):
        raise ValueError(f"pad: mode {mode!r} needs widths >= 0, got {tuple(pad)}")
    for axis, (lo, hi) in enumerate(widths):
        if lo or hi:
            before, after = _edges(x, axis, lo, hi, mode)
            x = ag.concatenate([p for p, k in ((before, lo), (x, 1), (after, hi)) if k],
                               axis=axis)
    return x
