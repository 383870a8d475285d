"""Convolutional layers: Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d.

The math lives in ``nn/conv_ops.py``; these modules hold the hyperparameters
and the parameters, with PyTorch's names, shapes, argument order and default
initialisation (``U(-1/sqrt(fan_in), 1/sqrt(fan_in))``, fan_in = input channels
per group times the kernel's size), so a state dict maps one to one.
"""
from __future__ import annotations

import math

import numpy as np

from . import init
from .conv_geometry import IntPair, Padding, conv_padding, pair, positive_int
from .conv_ops import (check_groups, check_padding_mode, conv1d_call, conv_call,
                       conv_transpose1d_call, conv_transpose_call)
from .module import Module, Parameter
# The pools used to live here: nn.models imports them from this module.
from .pooling import AvgPool2d, MaxPool2d  # noqa: F401


class _ConvNd(Module):
    _dims = 2
    _transposed = False

    def __init__(self, in_channels, out_channels, kernel_size, stride, padding, dilation,
                 groups, bias, padding_mode, output_padding, dtype, rng):
        super().__init__()
        where, n = type(self).__name__, self._dims
        self.in_channels = positive_int(in_channels, "in_channels", where)
        self.out_channels = positive_int(out_channels, "out_channels", where)
        self.groups = check_groups(self.in_channels, self.out_channels, groups, where)
        self.kernel_size = pair(kernel_size, "kernel_size", where, 1, n)
        self.stride = pair(stride, "stride", where, 1, n)
        self.dilation = pair(dilation, "dilation", where, 1, n)
        self.output_padding = pair(output_padding, "output_padding", where, 0, n)
        self.padding_mode = check_padding_mode(padding_mode, where)
        if self._transposed:
            if padding_mode != "zeros":
                raise ValueError(f"{where}: only padding_mode='zeros' is supported (as in "
                                 f"PyTorch), got {padding_mode!r}")
            self.padding = pair(padding, "padding", where, 0, n)
        elif isinstance(padding, str):
            conv_padding(padding, (1,) * (2 - n) + self.kernel_size,
                         (1,) * (2 - n) + self.stride, where)  # checks it now
            self.padding = padding
        elif isinstance(padding, (tuple, list)) and padding and \
                isinstance(padding[0], (tuple, list)):
            self.padding = tuple(pair(p, "padding (before, after)", where, 0) for p in padding)
        else:
            self.padding = pair(padding, "padding", where, 0, n)
        shape = (in_channels, out_channels // self.groups) if self._transposed else \
            (out_channels, in_channels // self.groups)
        self.weight = Parameter(np.empty(shape + self.kernel_size, dtype=dtype))
        self.bias = Parameter(np.empty(out_channels, dtype=dtype)) if bias else None
        self.reset_parameters(rng)

    def reset_parameters(self, rng=None) -> None:
        init.he_uniform_(self.weight, a=math.sqrt(5), rng=rng)
        if self.bias is not None:
            bound = 1.0 / math.sqrt(self.weight.shape[1] * math.prod(self.kernel_size))
            init.uniform_(self.bias, -bound, bound, rng=rng)

    def extra_repr(self) -> str:
        n = self._dims
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding != (0,) * n:
            text += f", padding={self.padding}"
        if self.dilation != (1,) * n:
            text += f", dilation={self.dilation}"
        if self.output_padding != (0,) * n:
            text += f", output_padding={self.output_padding}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text


class Conv2d(_ConvNd):
    """2-D convolution: ``weight`` (out_channels, in_channels/groups, kh, kw), ``bias``
    (out_channels,), both initialised as PyTorch's. Output size per dim
    ``floor((n + 2p - d*(f-1) - 1) / s) + 1``; ``padding='same'`` keeps it ``n`` (stride 1
    only); ``padding_mode`` fills the border with zeros or by reflecting, replicating or
    wrapping the image.

    >>> import numpy as np, nn
    >>> conv = nn.Conv2d(3, 16, 3, padding=1)
    >>> conv
    Conv2d(3, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
    >>> conv(np.zeros((2, 3, 32, 32), dtype=np.float32)).shape
    (2, 16, 32, 32)
    >>> [(name, p.shape) for name, p in conv.named_parameters()]
    [('weight', (16, 3, 3, 3)), ('bias', (16,))]
    >>> nn.Conv2d(4, 8, 3, dilation=2, groups=2, padding_mode="reflect", padding=2).weight.shape
    (8, 2, 3, 3)
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: IntPair,
                 stride: IntPair = 1, padding: Padding = 0, dilation: IntPair = 1,
                 groups: int = 1, bias: bool = True, padding_mode: str = "zeros",
                 dtype=np.float32, rng=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, 0, dtype, rng)

    def forward(self, x):
        # The module itself names the layer in errors: its repr is built only if one is raised.
        return conv_call(x, self.weight, self.bias, self.stride, self.padding, self,
                         self.dilation, self.groups, self.padding_mode)


class Conv1d(_ConvNd):
    """1-D convolution over (N, C, L) sequences: ``weight`` (out_channels,
    in_channels/groups, k), ``bias`` (out_channels,), PyTorch's arguments and init.

    >>> import numpy as np, nn
    >>> conv = nn.Conv1d(2, 4, 3, padding=1)
    >>> conv
    Conv1d(2, 4, kernel_size=(3,), stride=(1,), padding=(1,))
    >>> conv(np.zeros((5, 2, 10), dtype=np.float32)).shape
    (5, 4, 10)
    """
    _dims = 1

    def __init__(self, in_channels: int, out_channels: int, kernel_size: IntPair,
                 stride: IntPair = 1, padding: Padding = 0, dilation: IntPair = 1,
                 groups: int = 1, bias: bool = True, padding_mode: str = "zeros",
                 dtype=np.float32, rng=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, 0, dtype, rng)

    def forward(self, x):
        padding = self.padding if isinstance(self.padding, str) or \
            isinstance(self.padding[0], tuple) else self.padding[0]
        return conv1d_call(x, self.weight, self.bias, self.stride[0], padding,
                           self.dilation[0], self.groups, self.padding_mode, self)


class _ConvTransposeNd(_ConvNd):
    _transposed = True

    def _output_padding(self, x, output_size):
        """output_padding from a requested ``output_size`` (as PyTorch's forward takes)."""
        if output_size is None:
            return self.output_padding
        n = self._dims
        size = tuple(output_size)[-n:]
        extra = []
        for i in range(n):
            smallest = ((x.shape[-n + i] - 1) * self.stride[i] - 2 * self.padding[i] +
                        self.dilation[i] * (self.kernel_size[i] - 1) + 1)
            largest = smallest + max(self.stride[i], self.dilation[i]) - 1
            if len(size) != n or not smallest <= size[i] <= largest:
                raise ValueError(f"{self}: output_size {tuple(output_size)} is not reachable "
                                 f"from input {tuple(x.shape)}: dim {i} must be in "
                                 f"[{smallest}, {largest}]")
            extra.append(size[i] - smallest)
        return tuple(extra)


class ConvTranspose2d(_ConvTransposeNd):
    """Transposed 2-D convolution (the adjoint of ``Conv2d``, for upsampling):
    ``weight`` (in_channels, out_channels/groups, kh, kw), ``bias`` (out_channels,),
    PyTorch's arguments, order and init. Output size per dim
    ``(n - 1) * s - 2p + d * (k - 1) + output_padding + 1``; ``forward(x, output_size)``
    picks the output_padding that gives ``output_size``.

    >>> import numpy as np, nn
    >>> up = nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1)
    >>> up
    ConvTranspose2d(16, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1))
    >>> up(np.zeros((1, 16, 5, 5), dtype=np.float32)).shape, up.weight.shape
    ((1, 8, 10, 10), (16, 8, 3, 3))
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: IntPair,
                 stride: IntPair = 1, padding: IntPair = 0, output_padding: IntPair = 0,
                 groups: int = 1, bias: bool = True, dilation: IntPair = 1,
                 padding_mode: str = "zeros", dtype=np.float32, rng=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, output_padding, dtype, rng)

    def forward(self, x, output_size=None):
        return conv_transpose_call(x, self.weight, self.bias, self.stride, self.padding,
                                   self._output_padding(x, output_size), self.groups,
                                   self.dilation, self)


class ConvTranspose1d(_ConvTransposeNd):
    """Transposed 1-D convolution over (N, C, L): ``weight`` (in_channels,
    out_channels/groups, k), PyTorch's arguments.

    >>> import numpy as np, nn
    >>> nn.ConvTranspose1d(4, 2, 4, stride=2, padding=1)(np.zeros((1, 4, 8), np.float32)).shape
    (1, 2, 16)
    """
    _dims = 1

    def __init__(self, in_channels: int, out_channels: int, kernel_size: IntPair,
                 stride: IntPair = 1, padding: IntPair = 0, output_padding: IntPair = 0,
                 groups: int = 1, bias: bool = True, dilation: IntPair = 1,
                 padding_mode: str = "zeros", dtype=np.float32, rng=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, output_padding, dtype, rng)

    def forward(self, x, output_size=None):
        return conv_transpose1d_call(x, self.weight, self.bias, self.stride[0],
                                     self.padding[0], self._output_padding(x, output_size)[0],
                                     self.groups, self.dilation[0], self)
