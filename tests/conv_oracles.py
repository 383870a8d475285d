"""Direct-loop oracles for convolution, pooling, resampling, padding and fold/unfold:
one output element at a time, written from PyTorch's documented formulas, in plain
NumPy (no shared code with nn/). The op table's conv rows use them as ``ref``."""
import math

import numpy as np

NP_MODES = {"zeros": "constant", "constant": "constant", "reflect": "reflect",
            "replicate": "edge", "circular": "wrap"}


def _n(v, n=2):
    return (v,) * n if isinstance(v, (int, np.integer)) else tuple(v)


def _conv_pads(padding, kernel, dilation):
    if padding == "valid":
        return [(0, 0)] * len(kernel)
    if padding == "same":
        return [(d * (k - 1) // 2, d * (k - 1) - d * (k - 1) // 2)
                for k, d in zip(kernel, dilation)]
    return [p if isinstance(p, (tuple, list)) else (p, p) for p in _n(padding, len(kernel))]


def conv2d_ref(x, w, b=None, stride=1, padding=0, dilation=1, groups=1, padding_mode="zeros"):
    (sh, sw), (dh, dw) = _n(stride), _n(dilation)
    pads = _conv_pads(padding, w.shape[2:], (dh, dw))
    xp = np.pad(x, [(0, 0), (0, 0)] + pads, mode=NP_MODES[padding_mode])
    n, c, h, wd = xp.shape
    o, cg, kh, kw = w.shape
    ho, wo = (h - dh * (kh - 1) - 1) // sh + 1, (wd - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, o, ho, wo), dtype=np.result_type(x, w))
    og = o // groups
    for i in range(n):
        for f in range(o):
            chans = slice(f // og * cg, f // og * cg + cg)
            for r in range(ho):
                for q in range(wo):
                    patch = xp[i, chans, r * sh:r * sh + dh * (kh - 1) + 1:dh,
                               q * sw:q * sw + dw * (kw - 1) + 1:dw]
                    out[i, f, r, q] = np.sum(patch * w[f]) + (0 if b is None else b[f])
    return out


def conv1d_ref(x, w, b=None, stride=1, padding=0, dilation=1, groups=1, padding_mode="zeros"):
    pad = padding if isinstance(padding, str) else (0, _n(padding, 1)[0])
    return conv2d_ref(x[:, :, None], w[:, :, None], b, (1, _n(stride, 1)[0]), pad,
                      (1, _n(dilation, 1)[0]), groups, padding_mode)[:, :, 0]


def conv_transpose2d_ref(x, w, b=None, stride=1, padding=0, output_padding=0, groups=1,
                         dilation=1):
    """Each input pixel scatters its weighted kernel; then the padding is cropped."""
    (sh, sw), (ph, pw), (eh, ew), (dh, dw) = (_n(stride), _n(padding), _n(output_padding),
                                              _n(dilation))
    n, c, h, wd = x.shape
    _, og, kh, kw = w.shape
    cg = c // groups
    ho = (h - 1) * sh - 2 * ph + dh * (kh - 1) + eh + 1
    wo = (wd - 1) * sw - 2 * pw + dw * (kw - 1) + ew + 1
    full = np.zeros((n, og * groups, ho + 2 * ph + sh, wo + 2 * pw + sw),
                    dtype=np.result_type(x, w))
    for i in range(n):
        for ci in range(c):
            g = ci // cg
            for r in range(h):
                for q in range(wd):
                    for oc in range(og):
                        for p in range(kh):
                            for t in range(kw):
                                full[i, g * og + oc, r * sh + p * dh, q * sw + t * dw] += \
                                    x[i, ci, r, q] * w[ci, oc, p, t]
    out = full[:, :, ph:ph + ho, pw:pw + wo]
    return out if b is None else out + b.reshape(1, -1, 1, 1)


def conv_transpose1d_ref(x, w, b=None, stride=1, padding=0, output_padding=0, groups=1,
                         dilation=1):
    return conv_transpose2d_ref(x[:, :, None], w[:, :, None], b, (1, stride), (0, padding),
                                (0, output_padding), groups, (1, dilation))[:, :, 0]


def _pool_size(n, k, s, p, d, ceil_mode):
    """PyTorch's pooling output size."""
    out = (n + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= n + p:
        out -= 1
    return out


def max_pool2d_ref(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                   return_indices=False):
    (kh, kw), (ph, pw), (dh, dw) = _n(kernel_size), _n(padding), _n(dilation)
    sh, sw = _n(kernel_size if stride is None else stride)
    n, c, h, w = x.shape
    ho, wo = _pool_size(h, kh, sh, ph, dh, ceil_mode), _pool_size(w, kw, sw, pw, dw, ceil_mode)
    out = np.zeros((n, c, ho, wo), x.dtype)
    idx = np.zeros((n, c, ho, wo), np.int64)
    for i, j, r, q in np.ndindex(n, c, ho, wo):
        y0, z0 = r * sh - ph, q * sw - pw  # PyTorch starts at the first tap inside the input
        while y0 < 0:
            y0 += dh
        while z0 < 0:
            z0 += dw
        best, where = -np.inf, y0 * w + z0
        for p in range(kh):
            for t in range(kw):
                y, z = r * sh - ph + p * dh, q * sw - pw + t * dw
                if 0 <= y < h and 0 <= z < w and x[i, j, y, z] > best:
                    best, where = x[i, j, y, z], y * w + z
        out[i, j, r, q], idx[i, j, r, q] = best, where
    return (out, idx) if return_indices else out


def avg_pool2d_ref(x, kernel_size, stride=None, padding=0, ceil_mode=False,
                   count_include_pad=True, divisor_override=None):
    """PyTorch's loop: windows clipped to the padded input, then to the input."""
    (kh, kw), (ph, pw) = _n(kernel_size), _n(padding)
    sh, sw = _n(kernel_size if stride is None else stride)
    n, c, h, w = x.shape
    ho, wo = _pool_size(h, kh, sh, ph, 1, ceil_mode), _pool_size(w, kw, sw, pw, 1, ceil_mode)
    out = np.zeros((n, c, ho, wo), x.dtype)
    for r, q in np.ndindex(ho, wo):
        h0, w0 = r * sh - ph, q * sw - pw
        h1, w1 = min(h0 + kh, h + ph), min(w0 + kw, w + pw)
        size = (h1 - h0) * (w1 - w0)
        h0, w0, h1, w1 = max(h0, 0), max(w0, 0), min(h1, h), min(w1, w)
        div = divisor_override or (size if count_include_pad else (h1 - h0) * (w1 - w0))
        out[:, :, r, q] = x[:, :, h0:h1, w0:w1].sum(axis=(2, 3)) / div
    return out


def max_pool1d_ref(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                   return_indices=False):
    out = max_pool2d_ref(x[:, :, None], (1, kernel_size), None if stride is None else
                         (1, stride), (0, padding), (1, dilation), ceil_mode, return_indices)
    return tuple(o[:, :, 0] for o in out) if return_indices else out[:, :, 0]


def avg_pool1d_ref(x, kernel_size, stride=None, padding=0, ceil_mode=False,
                   count_include_pad=True):
    return avg_pool2d_ref(x[:, :, None], (1, kernel_size), None if stride is None else
                          (1, stride), (0, padding), ceil_mode, count_include_pad)[:, :, 0]


def _windows(n_in, n_out):
    return [(i * n_in // n_out, -(-(i + 1) * n_in // n_out)) for i in range(n_out)]


def _out_sizes(output_size, spatial):
    sizes = _n(output_size, len(spatial)) if output_size is not None else (None,) * len(spatial)
    return tuple(n if s is None else s for s, n in zip(sizes, spatial))


def adaptive_pool2d_ref(x, output_size, mode="avg", return_indices=False):
    ho, wo = _out_sizes(output_size, x.shape[-2:])
    out = np.zeros(x.shape[:-2] + (ho, wo), np.result_type(x, 0.5))
    idx = np.zeros(out.shape, np.int64)
    for r, (h0, h1) in enumerate(_windows(x.shape[-2], ho)):
        for q, (w0, w1) in enumerate(_windows(x.shape[-1], wo)):
            block = x[..., h0:h1, w0:w1]
            if mode == "avg":
                out[..., r, q] = block.mean(axis=(-2, -1))
                continue
            for lead in np.ndindex(x.shape[:-2]):
                b = block[lead]
                k = int(np.argmax(b))
                out[lead + (r, q)] = b.flat[k]
                idx[lead + (r, q)] = (h0 + k // b.shape[1]) * x.shape[-1] + w0 + k % b.shape[1]
    return (out, idx) if return_indices else out


def adaptive_pool1d_ref(x, output_size, mode="avg", return_indices=False):
    out = adaptive_pool2d_ref(x[..., None, :], (1, output_size), mode, return_indices)
    return tuple(o[..., 0, :] for o in out) if return_indices else out[..., 0, :]


def interpolate_ref(x, size=None, scale_factor=None, mode="nearest", align_corners=None,
                    recompute_scale_factor=None):
    """Every output pixel from its source coordinates (separable, axis by axis)."""
    dims = x.ndim - 2
    spatial = x.shape[2:]
    if size is not None:
        sizes = _n(size, dims)
        scales = [n / o for n, o in zip(spatial, sizes)]
    else:
        factors = _n(scale_factor, dims) if not isinstance(scale_factor, float) else \
            (scale_factor,) * dims
        sizes = [int(math.floor(n * f)) for n, f in zip(spatial, factors)]
        scales = [n / o for n, o in zip(spatial, sizes)] if recompute_scale_factor else \
            [1 / f for f in factors]
    if mode == "area":
        if dims == 1:
            return adaptive_pool1d_ref(x, sizes[0])
        return adaptive_pool2d_ref(x, tuple(sizes))
    out = x
    for axis, n_in, n_out, scale in zip(range(2, x.ndim), spatial, sizes, scales):
        moved = np.moveaxis(out, axis, -1)
        res = np.zeros(moved.shape[:-1] + (n_out,), np.result_type(x, 0.5))
        for o in range(n_out):
            if mode in ("nearest", "nearest-exact"):
                if mode == "nearest" and n_out == 2 * n_in:
                    src = o // 2
                elif n_out == n_in:
                    src = o
                else:
                    off = 0.5 if mode == "nearest-exact" else 0.0
                    src = min(int(np.floor(np.float32(o + off) * np.float32(scale))), n_in - 1)
                res[..., o] = moved[..., src]
                continue
            if align_corners:
                src = o * ((n_in - 1) / (n_out - 1)) if n_out > 1 else 0.0
            else:
                src = max(scale * (o + 0.5) - 0.5, 0.0)
            i0 = min(int(np.floor(src)), n_in - 1)
            i1 = min(i0 + 1, n_in - 1)
            lam = src - i0
            res[..., o] = (1 - lam) * moved[..., i0] + lam * moved[..., i1]
        out = np.moveaxis(res.astype(x.dtype) if x.dtype.kind == "f" else res, -1, axis)
    return out


def pad_ref(x, pad, mode="constant", value=None):
    widths = [(0, 0)] * x.ndim
    for i in range(len(pad) // 2):
        widths[x.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    crop = tuple(slice(max(-lo, 0), n - max(-hi, 0)) for (lo, hi), n in zip(widths, x.shape))
    widths = [(max(lo, 0), max(hi, 0)) for lo, hi in widths]
    if mode == "constant":
        return np.pad(x[crop], widths, constant_values=value or 0)
    return np.pad(x, widths, mode=NP_MODES[mode])


def unfold_ref(x, kernel_size, dilation=1, padding=0, stride=1):
    if x.ndim == 3:
        return unfold_ref(x[None], kernel_size, dilation, padding, stride)[0]
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = (_n(kernel_size), _n(dilation), _n(padding),
                                              _n(stride))
    xp = np.pad(x, [(0, 0), (0, 0), (ph, ph), (pw, pw)])
    n, c, h, w = xp.shape
    ho, wo = (h - dh * (kh - 1) - 1) // sh + 1, (w - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, c * kh * kw, ho * wo), x.dtype)
    for ch, p, t, r, q in np.ndindex(c, kh, kw, ho, wo):
        out[:, (ch * kh + p) * kw + t, r * wo + q] = xp[:, ch, r * sh + p * dh, q * sw + t * dw]
    return out


def fold_ref(cols, output_size, kernel_size, dilation=1, padding=0, stride=1):
    if cols.ndim == 2:
        return fold_ref(cols[None], output_size, kernel_size, dilation, padding, stride)[0]
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = (_n(kernel_size), _n(dilation), _n(padding),
                                              _n(stride))
    h, w = _n(output_size)
    n, ck, _ = cols.shape
    c = ck // (kh * kw)
    out = np.zeros((n, c, h + 2 * ph, w + 2 * pw), cols.dtype)
    ho, wo = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1, (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    for ch, p, t, r, q in np.ndindex(c, kh, kw, ho, wo):
        out[:, ch, r * sh + p * dh, q * sw + t * dw] += cols[:, (ch * kh + p) * kw + t, r * wo + q]
    return out[:, :, ph:ph + h, pw:pw + w]
