"""Resampling to a given size, PyTorch's names and arguments: ``interpolate``
(nearest, nearest-exact, linear, bilinear, trilinear, area) and the adaptive
pools (``adaptive_avg_pool1d/2d``, ``adaptive_max_pool1d/2d``).

Everything here is composed from engine ops, so gradients of any order exist:

* linear modes and average (area) pooling are separable linear maps: one small
  (out, in) matrix per spatial dim, applied with a matmul (the gradient is the
  transposed matmul: BLAS both ways);
* nearest picks rows and columns (a slice or a broadcast for integer factors,
  an index array otherwise);
* adaptive max pooling finds each window's first maximum in NumPy and picks
  those elements (the gradient goes to them, as in PyTorch).

Adaptive window i of n_out over n_in pixels is ``[floor(i*n_in/n_out),
ceil((i+1)*n_in/n_out))``, as in PyTorch.
"""
from __future__ import annotations

import math

import numpy as np

from autograd import Tensor, as_tensor

LINEAR = {"linear": 1, "bilinear": 2, "trilinear": 3}
MODES = ("nearest", "nearest-exact", "linear", "bilinear", "trilinear", "area")



def _along(x, axis, matrix):
    """``x`` mapped along ``axis`` by the (out, in) ``matrix``: a matmul."""
    m = Tensor(matrix.astype(x.dtype) if x.dtype.kind == "f" else matrix)
    if axis == x.ndim - 1:
        return x @ m.T
    if axis == x.ndim - 2:
        return m @ x
    return (x.swapaxes(axis, -1) @ m.T).swapaxes(axis, -1)


def _bounds(n_in, n_out):
    i = np.arange(n_out)
    return (i * n_in) // n_out, -((-(i + 1) * n_in) // n_out)


def _average_matrix(n_in, n_out):
    start, end = _bounds(n_in, n_out)
    m = np.zeros((n_out, n_in))
    for i, (s, e) in enumerate(zip(start, end)):
        m[i, s:e] = 1.0 / (e - s)
    return m


def output_sizes(output_size, shape, dims, where):
    """Output size per spatial dim; None keeps the input's size (as PyTorch)."""
    vals = (output_size,) * dims if output_size is None or isinstance(
        output_size, (int, np.integer)) else tuple(output_size)
    if len(vals) != dims or not all(v is None or (isinstance(v, (int, np.integer)) and
                                                  not isinstance(v, bool) and v > 0)
                                    for v in vals):
        raise ValueError(f"{where}: output_size must be a positive int (or None) or {dims} of "
                         f"them, got {output_size!r}")
    return tuple(n if v is None else int(v) for v, n in zip(vals, shape[-dims:]))


def _check_input(x, dims, where):
    if x.ndim not in (dims + 1, dims + 2) or 0 in x.shape[-dims:]:
        lay = {1: "(N, C, L) or (C, L)", 2: "(N, C, H, W) or (C, H, W)"}[dims]
        raise ValueError(f"{where}: expected a {dims + 2}-D or {dims + 1}-D input {lay} with "
                         f"nonempty spatial dims, got shape {x.shape}")


def adaptive_avg(input, output_size, dims, where):
    x = out = as_tensor(input)
    _check_input(x, dims, where)
    sizes = output_sizes(output_size, x.shape, dims, where)
    if all(s == 1 for s in sizes):  # global average pooling
        return x.mean(axis=tuple(range(-dims, 0)), keepdims=True)
    for axis, (n_in, n_out) in enumerate(zip(x.shape[-dims:], sizes), x.ndim - dims):
        if n_in != n_out:
            out = _along(out, axis, _average_matrix(n_in, n_out))
    return out if out is not x else x * 1  # a new tensor even when nothing changes


def adaptive_avg_pool2d(input, output_size) -> Tensor:
    """Average pooling to a fixed ``output_size`` (an int, a pair; None keeps that
    dim) whatever the input's size: window i covers ``[floor(i*H/Ho), ceil((i+1)*H/Ho))``.

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> x = ag.Tensor(np.arange(16.0).reshape(1, 1, 4, 4))
    >>> F.adaptive_avg_pool2d(x, 2).numpy()[0, 0]
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    >>> F.adaptive_avg_pool2d(x, (1, None)).shape
    (1, 1, 1, 4)
    """
    return adaptive_avg(input, output_size, 2, "adaptive_avg_pool2d")


def adaptive_avg_pool1d(input, output_size) -> Tensor:
    """Average pooling of an (N, C, L) ``input`` to ``output_size`` positions.

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> F.adaptive_avg_pool1d(ag.Tensor(np.array([[[1.0, 2.0, 3.0, 4.0, 5.0]]])), 2).numpy()
    array([[[2., 4.]]])
    """
    return adaptive_avg(input, output_size, 1, "adaptive_avg_pool1d")


def adaptive_max(input, output_size, return_indices, dims, where):
    x = as_tensor(input)
    _check_input(x, dims, where)
    sizes = output_sizes(output_size, x.shape, dims, where)
    h, w = (1,) + x.shape[-1:] if dims == 1 else x.shape[-2:]
    ho, wo = (1,) + sizes if dims == 1 else sizes
    a = x.data.reshape(-1, h, w)
    rows, cols = np.empty((2, a.shape[0], ho, wo), np.int64)
    (hs, he), (ws, we) = _bounds(h, ho), _bounds(w, wo)
    for i in range(ho):
        for j in range(wo):
            block = a[:, hs[i]:he[i], ws[j]:we[j]].reshape(a.shape[0], -1)
            first = block.argmax(axis=1)  # the first maximum in row-major order
            rows[:, i, j], cols[:, i, j] = hs[i] + first // (we[j] - ws[j]), \
                ws[j] + first % (we[j] - ws[j])
    batch = np.arange(a.shape[0]).reshape(-1, 1, 1)
    out = x.reshape(a.shape)[batch, rows, cols].reshape(x.shape[:-dims] + sizes)
    if not return_indices:
        return out
    return out, Tensor((rows * w + cols).reshape(out.shape))


def adaptive_max_pool2d(input, output_size, return_indices: bool = False):
    """Max pooling to a fixed ``output_size`` whatever the input's size (windows as
    ``adaptive_avg_pool2d``'s); the gradient goes to each window's first maximum.
    ``return_indices=True`` also gives each max's flat position in its (H, W) plane.

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> x = ag.Tensor(np.arange(25.0).reshape(1, 1, 5, 5))
    >>> F.adaptive_max_pool2d(x, 2, return_indices=True)[1].numpy()[0, 0]
    array([[12, 14],
           [22, 24]])
    """
    return adaptive_max(input, output_size, return_indices, 2, "adaptive_max_pool2d")


def adaptive_max_pool1d(input, output_size, return_indices: bool = False):
    """Max pooling of an (N, C, L) ``input`` to ``output_size`` positions.

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> F.adaptive_max_pool1d(ag.Tensor(np.array([[[1.0, 5.0, 3.0, 4.0, 2.0]]])), 2).numpy()
    array([[[5., 4.]]])
    """
    return adaptive_max(input, output_size, return_indices, 1, "adaptive_max_pool1d")


# -- interpolate ---------------------------------------------------------------------------
def linear_source(n_in, n_out, scale, align_corners=False):
    """PyTorch's source coordinates of linear interpolation along one axis: for each
    output position the left and right source indices and the right one's weight."""
    dst = np.arange(n_out, dtype=np.float64)
    if align_corners:
        src = dst * ((n_in - 1) / (n_out - 1) if n_out > 1 else 0.0)
    else:
        src = np.maximum(scale * (dst + 0.5) - 0.5, 0.0)
    i0 = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    i1 = np.minimum(i0 + 1, n_in - 1)
    return i0, i1, src - i0


def _linear_matrix(n_in, n_out, scale, align_corners):
    """(n_out, n_in) weights of linear interpolation, PyTorch's source coordinates."""
    i0, i1, frac = linear_source(n_in, n_out, scale, align_corners)
    m = np.zeros((n_out, n_in))
    np.add.at(m, (np.arange(n_out), i0), 1.0 - frac)
    np.add.at(m, (np.arange(n_out), i1), frac)
    return m


def _nearest(x, axis, n_in, n_out, scale, exact):
    """Pick source rows along ``axis`` as PyTorch (its float32 arithmetic included)."""
    dst = np.arange(n_out, dtype=np.float32)
    if not exact and n_out == 2 * n_in:
        src = np.arange(n_out) // 2
    else:
        src = np.floor((dst + (0.5 if exact else 0.0)) * np.float32(scale)).astype(np.int64)
        src = np.minimum(src, n_in - 1)
    at = (slice(None),) * axis
    factor = n_out // n_in
    if n_out % n_in == 0 and np.array_equal(src, np.arange(n_out) // factor):
        # integer upsampling: each row repeated (a broadcast: its gradient is a sum)
        y = x.expand_dims(axis + 1)
        y = y.broadcast_to(y.shape[:axis + 1] + (factor,) + y.shape[axis + 2:])
        return y.reshape(x.shape[:axis] + (n_out,) + x.shape[axis + 1:])
    step = src[1] - src[0] if n_out > 1 else 1
    if step > 0 and np.array_equal(src, src[0] + step * np.arange(n_out)):
        return x[at + (slice(src[0], src[-1] + 1, step),)]  # a strided slice
    return x[at + (src,)]


def _scales(x, dims, size, scale_factor, recompute, where):
    """(output sizes, scales for the source coordinates) from ``size`` or ``scale_factor``."""
    if (size is None) == (scale_factor is None):
        raise ValueError(f"{where}: give exactly one of size and scale_factor "
                         f"(got size={size!r}, scale_factor={scale_factor!r})")
    spatial = x.shape[-dims:]
    if size is not None:
        sizes = output_sizes(size, x.shape, dims, where)
        if None in (size if isinstance(size, (tuple, list)) else (size,)):
            raise ValueError(f"{where}: size must not contain None, got {size!r}")
        return sizes, tuple(n / o for n, o in zip(spatial, sizes))
    factors = (scale_factor,) * dims if np.isscalar(scale_factor) else tuple(scale_factor)
    if len(factors) != dims or not all(float(f) > 0 for f in factors):
        raise ValueError(f"{where}: scale_factor must be a positive number or {dims} of them "
                         f"for input shape {x.shape}, got {scale_factor!r}")
    sizes = tuple(int(math.floor(n * float(f))) for n, f in zip(spatial, factors))
    if min(sizes) < 1:
        raise ValueError(f"{where}: scale_factor {scale_factor!r} gives the empty output size "
                         f"{sizes} for input shape {x.shape}")
    if recompute:
        return sizes, tuple(n / o for n, o in zip(spatial, sizes))
    return sizes, tuple(1.0 / float(f) for f in factors)


def interpolate(input, size=None, scale_factor=None, mode: str = "nearest",
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:
    """Resample the spatial dims of ``input`` (N, C, L), (N, C, H, W) or (N, C, D, H, W)
    to ``size`` or by ``scale_factor`` (output ``floor(n * scale_factor)``), as
    ``torch.nn.functional.interpolate``. Modes: ``'nearest'``, ``'nearest-exact'``,
    ``'linear'`` (3-D), ``'bilinear'`` (4-D), ``'trilinear'`` (5-D), ``'area'``
    (adaptive average pooling); ``align_corners`` (linear modes) maps the corner
    pixels' centres onto each other.

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> x = ag.Tensor(np.array([[[1.0, 2.0, 4.0]]]))
    >>> F.interpolate(x, scale_factor=2).numpy()
    array([[[1., 1., 2., 2., 4., 4.]]])
    >>> F.interpolate(x, size=5, mode="linear", align_corners=True).numpy()
    array([[[1. , 1.5, 2. , 3. , 4. ]]])
    """
    where = "interpolate"
    x = as_tensor(input)
    if mode not in MODES:
        raise ValueError(f"{where}: mode must be one of {', '.join(map(repr, MODES))}, "
                         f"got {mode!r}")
    if x.ndim not in (3, 4, 5):
        raise ValueError(f"{where}: expected a 3-D, 4-D or 5-D input (N, C, ...), got shape "
                         f"{x.shape}")
    dims = x.ndim - 2
    if mode in LINEAR and LINEAR[mode] != dims:
        raise ValueError(f"{where}: mode {mode!r} needs a {LINEAR[mode] + 2}-D input, got shape "
                         f"{x.shape}")
    if align_corners is not None and mode not in LINEAR:
        raise ValueError(f"{where}: align_corners can only be set with the linear modes "
                         f"(linear, bilinear, trilinear), not {mode!r}")
    if antialias:
        raise ValueError(f"{where}: antialias=True is not supported")
    sizes, scales = _scales(x, dims, size, scale_factor, recompute_scale_factor, where)
    if mode == "area":
        return adaptive_avg(x, sizes, dims, where)
    out = x
    for axis, n_in, n_out, scale in zip(range(2, x.ndim), x.shape[2:], sizes, scales):
        if mode in LINEAR:
            if n_in != n_out or scale != 1.0:
                out = _along(out, axis, _linear_matrix(n_in, n_out, scale, bool(align_corners)))
        elif n_in != n_out:
            out = _nearest(out, axis, n_in, n_out, scale, mode == "nearest-exact")
    return out if out is not x else x * 1
