"""Upsampling layers, PyTorch's names and arguments: Upsample, UpsamplingNearest2d,
UpsamplingBilinear2d (``F.interpolate`` held as a layer; no parameters).
"""
from __future__ import annotations

from .module import Module
from .resample import interpolate


class Upsample(Module):
    """Resample to ``size`` or by ``scale_factor`` with ``mode`` ('nearest',
    'nearest-exact', 'linear', 'bilinear', 'trilinear', 'area'); see ``F.interpolate``.

    >>> import numpy as np, nn
    >>> up = nn.Upsample(scale_factor=2, mode="bilinear")
    >>> up
    Upsample(scale_factor=2.0, mode='bilinear')
    >>> up(np.ones((1, 3, 4, 5), np.float32)).shape
    (1, 3, 8, 10)
    """

    def __init__(self, size=None, scale_factor=None, mode: str = "nearest",
                 align_corners: bool | None = None, recompute_scale_factor: bool | None = None):
        super().__init__()
        if (size is None) == (scale_factor is None):
            raise ValueError(f"{type(self).__name__}: give exactly one of size and scale_factor "
                             f"(got size={size!r}, scale_factor={scale_factor!r})")
        self.size = size
        self.scale_factor = None if scale_factor is None else float(scale_factor) \
            if not isinstance(scale_factor, (tuple, list)) else tuple(map(float, scale_factor))
        self.mode, self.align_corners = mode, align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, x):
        try:
            return interpolate(x, self.size, self.scale_factor, self.mode, self.align_corners,
                               self.recompute_scale_factor)
        except ValueError as err:  # name the layer, as the other layers' errors do
            raise ValueError(f"{self}: {err}") from None

    def extra_repr(self) -> str:
        what = f"scale_factor={self.scale_factor!r}" if self.scale_factor is not None else \
            f"size={self.size!r}"
        return f"{what}, mode={self.mode!r}"


class UpsamplingNearest2d(Upsample):
    """``Upsample(size, scale_factor, mode='nearest')`` on (N, C, H, W).

    >>> import numpy as np, nn
    >>> nn.UpsamplingNearest2d(scale_factor=2)(np.arange(4.0).reshape(1, 1, 2, 2)).numpy()[0, 0]
    array([[0., 0., 1., 1.],
           [0., 0., 1., 1.],
           [2., 2., 3., 3.],
           [2., 2., 3., 3.]])
    """

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """``Upsample(size, scale_factor, mode='bilinear', align_corners=True)`` on (N, C, H, W).

    >>> import numpy as np, nn
    >>> nn.UpsamplingBilinear2d(size=(1, 3))(np.array([[[[0.0, 4.0]]]])).numpy()
    array([[[[0., 2., 4.]]]])
    """

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)
