"""Data augmentation on NumPy images, with torchvision's names: the notes' flips, crops
and rotations, which make more training images out of the ones there are.

Every transform takes one image ``(C, H, W)`` or a batch ``(N, C, H, W)`` (an
ndarray, or a Tensor, which gives a Tensor back) and returns the same kind. A
random transform makes one draw per image, from autograd's default generator, so
``ag.manual_seed`` makes them repeatable; ``DataLoader(..., transform=t)``
applies ``t`` to the inputs of every batch.

>>> import numpy as np, autograd as ag
>>> from nn.data import transforms as T
>>> augment = T.Compose([T.RandomCrop(8, padding=1), T.RandomHorizontalFlip(),
...                      T.RandomRotation(10)])
>>> batch = np.random.default_rng(0).random((4, 1, 8, 8), dtype=np.float32)
>>> _ = ag.manual_seed(0); a = augment(batch)
>>> _ = ag.manual_seed(0); b = augment(batch)
>>> a.shape, a.dtype, bool((a == b).all())
((4, 1, 8, 8), dtype('float32'), True)
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from autograd import Tensor, get_rng

from ..resample import linear_source

__all__ = ["Compose", "RandomHorizontalFlip", "RandomVerticalFlip", "RandomCrop",
           "RandomRotation", "RandomAffine", "Normalize", "Resize"]


def _pair(value, who: str, name: str) -> tuple[int, int]:
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = (int(value), int(value))
    value = tuple(value)
    if len(value) != 2 or not all(isinstance(v, numbers.Integral) and v > 0 for v in value):
        raise ValueError(f"{who}: {name} must be a positive int or (height, width), "
                         f"got {value!r}")
    return int(value[0]), int(value[1])


def _range(value, who: str, name: str) -> tuple[float, float]:
    """``d`` -> ``(-d, d)`` (d >= 0), or a ``(lo, hi)`` pair with lo <= hi."""
    if isinstance(value, numbers.Real):
        if value < 0:
            raise ValueError(f"{who}: {name} must be >= 0 when a single number, got {value}")
        return -float(value), float(value)
    value = tuple(float(v) for v in value)
    if len(value) != 2 or value[0] > value[1]:
        raise ValueError(f"{who}: {name} must be a number or a (min, max) pair, got {value!r}")
    return value


def _check_bilinear(who: str, interpolation: str) -> None:
    if interpolation != "bilinear":
        raise ValueError(f"{who}: only interpolation='bilinear' is supported, "
                         f"got {interpolation!r}")


def _fmt(values) -> str:
    return "[" + ", ".join(f"{v:g}" for v in values) + "]"


class Transform:
    """Base class: ``__call__`` checks the shape and makes a batch of one from an image;
    subclasses define ``apply(batch, rng)`` on ``(N, C, H, W)`` arrays."""

    def __call__(self, img):
        was_tensor = isinstance(img, Tensor)
        x = img.data if was_tensor else np.asarray(img)
        if x.ndim not in (3, 4):
            raise ValueError(f"{type(self).__name__}: expected an image (C, H, W) or a batch "
                             f"(N, C, H, W), got shape {x.shape}")
        out = self.apply(x if x.ndim == 4 else x[None], get_rng(None))
        out = out if x.ndim == 4 else out[0]
        return Tensor(out) if was_tensor else out

    def apply(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"


class Compose:
    """Apply transforms one after the other.

    >>> import numpy as np
    >>> t = Compose([Normalize([0.5], [0.5]), RandomVerticalFlip(p=1.0)])
    >>> t(np.array([[[0.0], [1.0]]])).ravel().tolist()
    [1.0, -1.0]
    >>> t
    Compose(
        Normalize(mean=[0.5], std=[0.5])
        RandomVerticalFlip(p=1.0)
    )
    """

    def __init__(self, transforms):
        self.transforms = list(transforms)
        for i, t in enumerate(self.transforms):
            if not callable(t):
                raise TypeError(f"Compose: transform {i} is a {type(t).__name__}, not callable")

    def __call__(self, img):
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self) -> str:
        return "Compose(\n" + "".join(f"    {t!r}\n" for t in self.transforms) + ")"


class _RandomFlip(Transform):
    def __init__(self, p: float = 0.5):
        if not 0 <= p <= 1:
            raise ValueError(f"{type(self).__name__}: p must be in [0, 1], got {p!r}")
        self.p = float(p)

    def apply(self, x, rng):
        flip, out = rng.random(len(x)) < self.p, x.copy()
        out[flip] = np.flip(x[flip], axis=self.axis)
        return out

    def extra_repr(self) -> str:
        return f"p={self.p}"


class RandomHorizontalFlip(_RandomFlip):
    """Mirror each image left to right with probability ``p``.

    >>> RandomHorizontalFlip(p=1.0)(np.array([[[1, 2, 3]]])).tolist()
    [[[3, 2, 1]]]
    """
    axis = -1


class RandomVerticalFlip(_RandomFlip):
    """Mirror each image top to bottom with probability ``p``.

    >>> RandomVerticalFlip(p=1.0)(np.array([[[1], [2]]])).tolist()
    [[[2], [1]]]
    """
    axis = -2


_PAD_MODES = ("constant", "edge", "reflect", "symmetric")   # np.pad's names too


class RandomCrop(Transform):
    """Cut a ``size`` window at a random place, after padding each side by ``padding``
    (an int; ``(left/right, top/bottom)``; or ``(left, top, right, bottom)``) with
    ``fill`` (``padding_mode='constant'``) or by ``'edge'``, ``'reflect'``,
    ``'symmetric'``.

    >>> img = np.arange(16.0).reshape(1, 4, 4)
    >>> RandomCrop(4, padding=1)(img).shape
    (1, 4, 4)
    >>> RandomCrop(1)(np.ones((1, 2, 2))).tolist()
    [[[1.0]]]
    """

    def __init__(self, size, padding=0, pad_if_needed: bool = False, fill: float = 0,
                 padding_mode: str = "constant"):
        who = "RandomCrop"
        self.size = _pair(size, who, "size")
        pad = (padding,) * 4 if isinstance(padding, numbers.Integral) else tuple(padding)
        if len(pad) == 2:
            pad = (pad[0], pad[1], pad[0], pad[1])
        if len(pad) != 4 or not all(isinstance(v, numbers.Integral) and v >= 0 for v in pad):
            raise ValueError(f"{who}: padding must be an int >= 0 or a tuple of 2 or 4 of "
                             f"them, got {padding!r}")
        if padding_mode not in _PAD_MODES:
            raise ValueError(f"{who}: padding_mode must be one of {list(_PAD_MODES)}, "
                             f"got {padding_mode!r}")
        self.padding, self.padding_mode = padding, padding_mode
        self._pad = tuple(int(v) for v in pad)      # left, top, right, bottom
        self.pad_if_needed, self.fill = bool(pad_if_needed), fill

    def apply(self, x, rng):
        left, top, right, bottom = self._pad
        th, tw = self.size
        if self.pad_if_needed:   # torchvision pads both sides by what is missing
            dh = max(0, th - (x.shape[2] + top + bottom))
            dw = max(0, tw - (x.shape[3] + left + right))
            top, bottom, left, right = top + dh, bottom + dh, left + dw, right + dw
        widths = ((0, 0), (0, 0), (top, bottom), (left, right))
        kw = {"constant_values": self.fill} if self.padding_mode == "constant" else {}
        padded = np.pad(x, widths, mode=self.padding_mode, **kw)
        h, w = padded.shape[2:]
        if th > h or tw > w:
            raise ValueError(f"RandomCrop: crop size {(th, tw)} is larger than the padded "
                             f"image {(h, w)} (input shape {x.shape})")
        i, j = rng.integers(0, h - th + 1, size=len(x)), rng.integers(0, w - tw + 1, size=len(x))
        return np.stack([padded[n, :, a:a + th, b:b + tw] for n, (a, b) in enumerate(zip(i, j))])

    def extra_repr(self) -> str:
        return f"size={self.size}, padding={self.padding}"


def _float(x: np.ndarray) -> np.ndarray:
    return x if x.dtype.kind == "f" else x.astype(np.float32)


def _snap(v: float) -> float:
    """cos(90 deg) is 6e-17, not 0: snap it, so that quarter turns move pixels exactly."""
    r = round(v)
    return float(r) if abs(v - r) < 1e-12 else v


def _warp(x: np.ndarray, matrices: np.ndarray, fill: float = 0.0) -> np.ndarray:
    """Bilinear resampling of a batch ``x`` ``(N, C, H, W)``: output pixel ``(i, j)`` of
    image ``n`` takes the input at offset ``A @ (dx, dy) + t`` from the image centre,
    where ``(dx, dy)`` is its own offset from the centre (x to the right, y down) and
    ``[A | t] = matrices[n]`` (shape ``(N, 2, 3)``). Neighbours outside the image count
    as ``fill`` (PyTorch's ``grid_sample`` with zero padding when ``fill`` is 0).
    """
    x = _float(x)
    n, c, h, w = x.shape
    cy, cx = (h - 1) / 2, (w - 1) / 2
    dy, dx = np.meshgrid(np.arange(h) - cy, np.arange(w) - cx, indexing="ij")
    m = np.asarray(matrices, np.float64)[:, :, :, None, None]
    sx = m[:, 0, 0] * dx + m[:, 0, 1] * dy + m[:, 0, 2] + cx
    sy = m[:, 1, 0] * dx + m[:, 1, 1] * dy + m[:, 1, 2] + cy
    x0, y0 = np.floor(sx), np.floor(sy)
    fx, fy = (sx - x0).astype(x.dtype), (sy - y0).astype(x.dtype)
    flat = x.reshape(n, c, h * w)
    out = np.zeros((n, c, h * w), x.dtype)
    outside = np.ones((n, 1, h * w), x.dtype)   # the weight that falls outside the image
    for ox, oy, wgt in ((0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)),
                        (0, 1, (1 - fx) * fy), (1, 1, fx * fy)):
        xi, yi = (x0 + ox).astype(np.intp), (y0 + oy).astype(np.intp)
        inside = (xi >= 0) & (xi < w) & (yi >= 0) & (yi < h)
        idx = np.where(inside, yi * w + xi, 0).reshape(n, 1, h * w)
        vals = np.take_along_axis(flat, np.broadcast_to(idx, (n, c, h * w)), axis=2)
        wgt = (wgt * inside).reshape(n, 1, h * w)
        out += vals * wgt
        outside -= wgt
    if fill:
        out += outside * x.dtype.type(fill)
    return out.reshape(n, c, h, w)


def _inverse(angle_ccw: float, tx: float, ty: float, scale: float) -> np.ndarray:
    """The (2, 3) matrix sending an output offset back to the input: the forward map
    turns by ``angle_ccw`` degrees (counter-clockwise on screen), scales, then shifts."""
    a = math.radians(angle_ccw)
    c, s = _snap(math.cos(a)), _snap(math.sin(a))
    # forward on (x right, y down): [[c, s], [-s, c]] * scale; inverse: its transpose / scale
    inv = np.array([[c, -s], [s, c]]) / scale
    return np.concatenate([inv, -inv @ np.array([[tx], [ty]])], axis=1)


class RandomRotation(Transform):
    """Turn each image by an angle drawn uniformly from ``degrees`` (a number ``d`` means
    ``(-d, d)``), counter-clockwise for positive angles as torchvision's, about the
    centre, bilinear; the corners that come from outside the image are ``fill``.

    >>> img = np.array([[[1.0, 2.0], [3.0, 4.0]]])
    >>> RandomRotation((90, 90))(img).tolist()      # a quarter turn is exact
    [[[2.0, 4.0], [1.0, 3.0]]]
    """

    def __init__(self, degrees, interpolation: str = "bilinear", fill: float = 0):
        _check_bilinear("RandomRotation", interpolation)
        self.degrees = _range(degrees, "RandomRotation", "degrees")
        self.fill = fill

    def apply(self, x, rng):
        angles = rng.uniform(self.degrees[0], self.degrees[1], size=len(x))
        return _warp(x, np.stack([_inverse(a, 0, 0, 1) for a in angles]), self.fill)

    def extra_repr(self) -> str:
        return f"degrees={_fmt(self.degrees)}, interpolation=bilinear, fill={self.fill}"


class RandomAffine(Transform):
    """A random rotation (``degrees``, clockwise for positive angles, as torchvision's
    affine), shift by up to ``translate = (a, b)`` of the width and height (rounded to
    whole pixels) and zoom by a factor from ``scale = (lo, hi)``, in one bilinear
    resampling about the centre.

    >>> img = np.zeros((1, 5, 5)); img[0, 2, 2] = 1
    >>> out = RandomAffine(0, translate=(0.2, 0.2))(img)       # a shift of -1, 0 or 1
    >>> out.shape, float(out.sum())
    ((1, 5, 5), 1.0)
    """

    def __init__(self, degrees, translate=None, scale=None, interpolation: str = "bilinear",
                 fill: float = 0):
        who = "RandomAffine"
        _check_bilinear(who, interpolation)
        self.degrees = _range(degrees, who, "degrees")
        translate = None if translate is None else tuple(float(v) for v in translate)
        if translate is not None and (len(translate) != 2 or
                                      not all(0 <= v <= 1 for v in translate)):
            raise ValueError(f"{who}: translate must be two fractions in [0, 1], "
                             f"got {translate!r}")
        scale = None if scale is None else tuple(float(v) for v in scale)
        if scale is not None and (len(scale) != 2 or not 0 < scale[0] <= scale[1]):
            raise ValueError(f"{who}: scale must be (lo, hi) with 0 < lo <= hi, "
                             f"got {scale!r}")
        self.translate, self.scale, self.fill = translate, scale, fill

    def apply(self, x, rng):
        n, _, h, w = x.shape
        angles = rng.uniform(self.degrees[0], self.degrees[1], size=n)
        if self.translate is not None:
            tx = np.round(rng.uniform(-1, 1, size=n) * self.translate[0] * w)
            ty = np.round(rng.uniform(-1, 1, size=n) * self.translate[1] * h)
        else:
            tx = ty = np.zeros(n)
        scales = rng.uniform(*self.scale, size=n) if self.scale is not None else np.ones(n)
        mats = [_inverse(-a, dx, dy, s) for a, dx, dy, s in zip(angles, tx, ty, scales)]
        return _warp(x, np.stack(mats), self.fill)

    def extra_repr(self) -> str:
        return (f"degrees={_fmt(self.degrees)}, translate={self.translate}, "
                f"scale={self.scale}")


class Normalize(Transform):
    """``(x - mean[c]) / std[c]`` for each channel ``c``.

    >>> Normalize(mean=[1.0, 0.0], std=[2.0, 0.5])(np.ones((2, 1, 1))).ravel().tolist()
    [0.0, 2.0]
    """

    def __init__(self, mean, std):
        self.mean = np.asarray(mean, np.float64).reshape(-1)
        self.std = np.asarray(std, np.float64).reshape(-1)
        if len(self.mean) != len(self.std) or not np.all(self.std != 0):
            raise ValueError(f"Normalize: mean and std need one non-zero std per mean, got "
                             f"mean {self.mean.tolist()} and std {self.std.tolist()}")

    def apply(self, x, rng):
        x = _float(x)
        c = x.shape[1]
        if len(self.mean) not in (1, c):
            raise ValueError(f"Normalize: {len(self.mean)} means for images with {c} "
                             f"channels (input shape {x.shape})")
        mean, std = (v.astype(x.dtype).reshape(1, -1, 1, 1) for v in (self.mean, self.std))
        return (x - mean) / std

    def extra_repr(self) -> str:
        return f"mean={_fmt(self.mean)}, std={_fmt(self.std)}"


class Resize(Transform):
    """Resize to ``size = (height, width)``, or, for an int, so that the shorter side is
    ``size`` (the aspect ratio kept), by bilinear interpolation with PyTorch's
    ``F.interpolate(mode='bilinear', align_corners=False)`` convention (no antialias).

    >>> Resize((1, 4))(np.array([[[0.0, 4.0]]])).tolist()
    [[[0.0, 1.0, 3.0, 4.0]]]
    >>> Resize(16)(np.zeros((3, 8, 12))).shape
    (3, 16, 24)
    """

    def __init__(self, size, interpolation: str = "bilinear"):
        _check_bilinear("Resize", interpolation)
        if isinstance(size, numbers.Integral) and not isinstance(size, bool):
            if size <= 0:
                raise ValueError(f"Resize: size must be positive, got {size}")
            self.size = int(size)
        else:
            self.size = _pair(size, "Resize", "size")

    def output_size(self, h: int, w: int) -> tuple[int, int]:
        if isinstance(self.size, tuple):
            return self.size
        if h <= w:
            return self.size, int(self.size * w / h)
        return int(self.size * h / w), self.size

    def apply(self, x, rng):
        x = _float(x)
        h, w = x.shape[2:]
        oh, ow = self.output_size(h, w)
        i0, i1, fy = linear_source(h, oh, h / oh)
        fy = fy.astype(x.dtype)[:, None]
        rows = x[:, :, i0] * (1 - fy) + x[:, :, i1] * fy
        j0, j1, fx = linear_source(w, ow, w / ow)
        fx = fx.astype(x.dtype)
        return rows[..., j0] * (1 - fx) + rows[..., j1] * fx

    def extra_repr(self) -> str:
        return f"size={self.size}, interpolation=bilinear, antialias=False"
