"""Pooling layers, PyTorch's names, arguments and reprs: MaxPool1d, MaxPool2d,
AvgPool1d, AvgPool2d, AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveMaxPool1d,
AdaptiveMaxPool2d. No parameters; the math is in ``nn/pool_ops.py`` and
``nn/resample.py``. Errors name the layer (its repr) and the shapes.
"""
from __future__ import annotations

from .conv_geometry import IntPair, pair
from .module import Module
from .pool_ops import avg_pool1d_call, avg_pool_call, max_pool1d_call, max_pool_call
from .resample import adaptive_avg, adaptive_max, output_sizes


def _check(where, n, kernel_size, stride, padding, dilation=1):
    kernel = pair(kernel_size, "kernel_size", where, 1, n)
    if stride is not None:
        pair(stride, "stride", where, 1, n)
    pad = pair(padding, "padding", where, 0, n)
    pair(dilation, "dilation", where, 1, n)
    if any(p > k // 2 for p, k in zip(pad, kernel)):
        raise ValueError(f"{where}: padding {pad} must be at most half the kernel size "
                         f"{kernel} (as in PyTorch)")


class _MaxPoolNd(Module):
    _dims, _fn = 2, None

    def __init__(self, kernel_size: IntPair, stride: IntPair | None = None,
                 padding: IntPair = 0, dilation: IntPair = 1, return_indices: bool = False,
                 ceil_mode: bool = False):
        super().__init__()
        _check(type(self).__name__, self._dims, kernel_size, stride, padding, dilation)
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = bool(return_indices), bool(ceil_mode)

    def forward(self, x):
        # The module itself names the layer in errors: its repr is built only if one is raised.
        return type(self)._fn(x, self.kernel_size, self.stride, self.padding, self.dilation,
                              self.ceil_mode, self.return_indices, self)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool2d(_MaxPoolNd):
    """Max over each ``kernel_size`` window (``stride`` defaults to the kernel); the
    gradient goes to each window's first maximum. ``dilation``, ``ceil_mode`` and
    ``return_indices`` as in PyTorch.

    >>> import numpy as np, nn
    >>> pool = nn.MaxPool2d(2)
    >>> pool
    MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
    >>> pool(np.arange(16.0).reshape(1, 1, 4, 4)).numpy()[0, 0].tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    """
    _fn = staticmethod(max_pool_call)


class MaxPool1d(_MaxPoolNd):
    """Max over each ``kernel_size`` window of (N, C, L) sequences.

    >>> import numpy as np, nn
    >>> nn.MaxPool1d(2)(np.array([[[1.0, 3.0, 2.0, 5.0]]])).numpy()
    array([[[3., 5.]]])
    """
    _dims, _fn = 1, staticmethod(max_pool1d_call)


class AvgPool2d(Module):
    """Mean over each ``kernel_size`` window (padding zeros counted unless
    ``count_include_pad=False``; ``ceil_mode`` and ``divisor_override`` as PyTorch's).
    The gradient is spread evenly over the window.

    >>> import numpy as np, nn
    >>> nn.AvgPool2d(2)(np.arange(16.0).reshape(1, 1, 4, 4)).numpy()[0, 0].tolist()
    [[2.5, 4.5], [10.5, 12.5]]
    """

    def __init__(self, kernel_size: IntPair, stride: IntPair | None = None,
                 padding: IntPair = 0, ceil_mode: bool = False, count_include_pad: bool = True,
                 divisor_override: int | None = None):
        super().__init__()
        _check(type(self).__name__, 2, kernel_size, stride, padding)
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.ceil_mode = padding, bool(ceil_mode)
        self.count_include_pad, self.divisor_override = bool(count_include_pad), divisor_override

    def forward(self, x):
        return avg_pool_call(x, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                             self.count_include_pad, self.divisor_override, self)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool1d(Module):
    """Mean over each ``kernel_size`` window of (N, C, L) sequences.

    >>> import numpy as np, nn
    >>> pool = nn.AvgPool1d(2)
    >>> pool, pool(np.array([[[1.0, 3.0, 2.0, 6.0]]])).numpy()
    (AvgPool1d(kernel_size=(2,), stride=(2,), padding=(0,)), array([[[2., 4.]]]))
    """

    def __init__(self, kernel_size: IntPair, stride: IntPair | None = None,
                 padding: IntPair = 0, ceil_mode: bool = False, count_include_pad: bool = True):
        super().__init__()
        where = type(self).__name__
        self.kernel_size = pair(kernel_size, "kernel_size", where, 1, 1)
        self.stride = self.kernel_size if stride is None else pair(stride, "stride", where, 1, 1)
        self.padding = pair(padding, "padding", where, 0, 1)
        _check(where, 1, kernel_size, stride, padding)
        self.ceil_mode, self.count_include_pad = bool(ceil_mode), bool(count_include_pad)

    def forward(self, x):
        return avg_pool1d_call(x, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                               self.count_include_pad, self)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class _AdaptiveNd(Module):
    _dims, _max = 2, False

    def __init__(self, output_size, return_indices: bool = False):
        super().__init__()
        output_sizes(output_size, (1,) * self._dims, self._dims, type(self).__name__)  # checks
        self.output_size = output_size
        if self._max:
            self.return_indices = bool(return_indices)

    def forward(self, x):
        if self._max:
            return adaptive_max(x, self.output_size, self.return_indices, self._dims, self)
        return adaptive_avg(x, self.output_size, self._dims, self)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool2d(_AdaptiveNd):
    """Average pooling to a fixed ``output_size`` whatever the input's size
    (``AdaptiveAvgPool2d(1)`` is global average pooling).

    >>> import numpy as np, nn
    >>> nn.AdaptiveAvgPool2d((1, 1))(np.ones((2, 3, 7, 5))).shape
    (2, 3, 1, 1)
    """

    def __init__(self, output_size):
        super().__init__(output_size)


class AdaptiveAvgPool1d(_AdaptiveNd):
    """Average pooling of (N, C, L) sequences to ``output_size`` positions.

    >>> import numpy as np, nn
    >>> nn.AdaptiveAvgPool1d(3)(np.ones((2, 4, 10))).shape
    (2, 4, 3)
    """
    _dims = 1

    def __init__(self, output_size):
        super().__init__(output_size)


class AdaptiveMaxPool2d(_AdaptiveNd):
    """Max pooling to a fixed ``output_size`` whatever the input's size.

    >>> import numpy as np, nn
    >>> nn.AdaptiveMaxPool2d(2)(np.arange(25.0).reshape(1, 1, 5, 5)).numpy()[0, 0]
    array([[12., 14.],
           [22., 24.]])
    """
    _max = True


class AdaptiveMaxPool1d(_AdaptiveNd):
    """Max pooling of (N, C, L) sequences to ``output_size`` positions.

    >>> import numpy as np, nn
    >>> nn.AdaptiveMaxPool1d(2)(np.array([[[1.0, 5.0, 3.0, 4.0, 2.0]]])).numpy()
    array([[[5., 4.]]])
    """
    _dims, _max = 1, True
