"""Convolutional layers on NCHW images: Conv2d, MaxPool2d, AvgPool2d.

The math lives in ``nn.conv_functional`` (one primitive each); these modules
hold the hyperparameters and, for Conv2d, the parameters, with PyTorch's
names, shapes and default initialisation, so a state dict maps one to one.
"""
from __future__ import annotations

import math

import numpy as np

from . import init
from .conv_functional import AvgPool2d as _AvgPoolOp, MaxPool2d as _MaxPoolOp
from .conv_functional import conv_call, pool_call
from .conv_geometry import IntPair, Padding, conv_padding, pair
from .module import Module, Parameter


class Conv2d(Module):
    """2-D convolution: ``weight`` (out_channels, in_channels, kh, kw), ``bias``
    (out_channels,), both initialised as PyTorch's, ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))``
    with ``fan_in = in_channels * kh * kw``. Output size per dim
    ``floor((n + 2p - f) / s) + 1``; ``padding='same'`` keeps it ``n`` (stride 1 only).

    >>> import numpy as np, nn
    >>> conv = nn.Conv2d(3, 16, 3, padding=1)
    >>> conv
    Conv2d(3, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
    >>> conv(np.zeros((2, 3, 32, 32), dtype=np.float32)).shape
    (2, 16, 32, 32)
    >>> [(name, p.shape) for name, p in conv.named_parameters()]
    [('weight', (16, 3, 3, 3)), ('bias', (16,))]
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: IntPair,
                 stride: IntPair = 1, padding: Padding = 0, bias: bool = True,
                 dtype=np.float32, rng=None):
        super().__init__()
        where = "Conv2d"
        for what, n in (("in_channels", in_channels), ("out_channels", out_channels)):
            if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n <= 0:
                raise ValueError(f"{where}: {what} must be a positive int, got {n!r}")
        self.in_channels = int(in_channels)
        self.out_channels = int(out_channels)
        self.kernel_size = pair(kernel_size, "kernel_size", where, 1)
        self.stride = pair(stride, "stride", where, 1)
        conv_padding(padding, self.kernel_size, self.stride, where)  # checks it now
        self.padding = padding if isinstance(padding, str) else \
            pair(padding, "padding", where, 0)
        self.weight = Parameter(np.empty((out_channels, in_channels) + self.kernel_size,
                                         dtype=dtype))
        self.bias = Parameter(np.empty(out_channels, dtype=dtype)) if bias else None
        self.reset_parameters(rng)

    def reset_parameters(self, rng=None) -> None:
        init.he_uniform_(self.weight, a=math.sqrt(5), rng=rng)
        if self.bias is not None:
            bound = 1.0 / math.sqrt(self.in_channels * self.kernel_size[0] *
                                    self.kernel_size[1])
            init.uniform_(self.bias, -bound, bound, rng=rng)

    def forward(self, x):
        # The module itself names the layer in errors: its repr is built only if one is raised.
        return conv_call(x, self.weight, self.bias, self.stride, self.padding, self)

    def extra_repr(self) -> str:
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        return text + ("" if self.bias is not None else ", bias=False")


class _Pool2d(Module):
    _op = None

    def __init__(self, kernel_size: IntPair, stride: IntPair | None = None,
                 padding: IntPair = 0):
        super().__init__()
        where = type(self).__name__
        pair(kernel_size, "kernel_size", where, 1)
        if stride is not None:
            pair(stride, "stride", where, 1)
        pair(padding, "padding", where, 0)
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding = padding

    def forward(self, x):
        return pool_call(self._op, x, self.kernel_size, self.stride, self.padding, self)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxPool2d(_Pool2d):
    """Max over each ``kernel_size`` window (``stride`` defaults to the kernel); no
    parameters. The gradient goes to each window's first maximum.

    >>> import numpy as np, nn
    >>> pool = nn.MaxPool2d(2)
    >>> pool
    MaxPool2d(kernel_size=2, stride=2, padding=0)
    >>> pool(np.arange(16.0).reshape(1, 1, 4, 4)).numpy()[0, 0].tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    """

    _op = _MaxPoolOp


class AvgPool2d(_Pool2d):
    """Mean over each ``kernel_size`` window (padding zeros counted, as PyTorch's
    default); no parameters. The gradient is spread evenly over the window.

    >>> import numpy as np, nn
    >>> nn.AvgPool2d(2)(np.arange(16.0).reshape(1, 1, 4, 4)).numpy()[0, 0].tolist()
    [[2.5, 4.5], [10.5, 12.5]]
    """

    _op = _AvgPoolOp
