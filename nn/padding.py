"""Padding layers, PyTorch's names and reprs: ZeroPad1d/2d, ConstantPad1d/2d,
ReflectionPad1d/2d, ReplicationPad1d/2d, CircularPad1d/2d (``F.pad`` held as a
layer; no parameters). ``padding`` is an int (every side) or PyTorch's flat
tuple: (left, right) for 1d, (left, right, top, bottom) for 2d.
"""
from __future__ import annotations

import numpy as np

from .module import Module
from .pad_ops import pad


class _PadNd(Module):
    _mode, _dims = "constant", 2

    def __init__(self, padding, value: float = 0.0):
        super().__init__()
        n = 2 * self._dims
        widths = (padding,) * n if isinstance(padding, (int, np.integer)) else tuple(padding)
        if len(widths) != n or not all(isinstance(p, (int, np.integer)) and
                                       not isinstance(p, bool) for p in widths):
            raise ValueError(f"{type(self).__name__}: padding must be an int or {n} ints, "
                             f"got {padding!r}")
        self.padding = tuple(int(p) for p in widths)
        self.value = value

    def forward(self, x):
        try:
            return pad(x, self.padding, self._mode,
                       self.value if self._mode == "constant" else None)
        except ValueError as err:  # name the layer, as the other layers' errors do
            raise ValueError(f"{self}: {err}") from None

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad2d(_PadNd):
    """Pad (N, C, H, W) or (C, H, W) with zeros.

    >>> import numpy as np, nn
    >>> nn.ZeroPad2d((1, 0, 0, 2))(np.ones((1, 1, 1, 2))).numpy()[0, 0]
    array([[0., 1., 1.],
           [0., 0., 0.],
           [0., 0., 0.]])
    """

    def __init__(self, padding):
        super().__init__(padding)


class ZeroPad1d(ZeroPad2d):
    """Pad (N, C, L) or (C, L) with zeros.

    >>> import numpy as np, nn
    >>> nn.ZeroPad1d(1)(np.ones((1, 1, 2))).numpy()
    array([[[0., 1., 1., 0.]]])
    """
    _dims = 1


class ConstantPad2d(_PadNd):
    """Pad (N, C, H, W) or (C, H, W) with ``value``.

    >>> import numpy as np, nn
    >>> nn.ConstantPad2d(1, 3.5)(np.zeros((1, 1, 1, 1))).numpy()[0, 0, 1]
    array([3.5, 0. , 3.5])
    """

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(ConstantPad2d):
    """Pad (N, C, L) or (C, L) with ``value``.

    >>> import numpy as np, nn
    >>> nn.ConstantPad1d(2, 3.5)
    ConstantPad1d(padding=(2, 2), value=3.5)
    """
    _dims = 1


class ReflectionPad2d(_PadNd):
    """Pad (N, C, H, W) or (C, H, W) with the mirror image (edge not repeated).

    >>> import numpy as np, nn
    >>> nn.ReflectionPad2d((2, 1, 0, 0))(np.array([[[[1.0, 2.0, 3.0]]]])).numpy()
    array([[[[3., 2., 1., 2., 3., 2.]]]])
    """
    _mode = "reflect"

    def __init__(self, padding):
        super().__init__(padding)


class ReflectionPad1d(ReflectionPad2d):
    """Pad (N, C, L) or (C, L) with the mirror image (edge not repeated).

    >>> import numpy as np, nn
    >>> nn.ReflectionPad1d(2)
    ReflectionPad1d((2, 2))
    """
    _dims = 1


class ReplicationPad2d(_PadNd):
    """Pad (N, C, H, W) or (C, H, W) by repeating the edge pixels.

    >>> import numpy as np, nn
    >>> nn.ReplicationPad2d((1, 1, 0, 0))(np.array([[[[1.0, 2.0]]]])).numpy()
    array([[[[1., 1., 2., 2.]]]])
    """
    _mode = "replicate"

    def __init__(self, padding):
        super().__init__(padding)


class ReplicationPad1d(ReplicationPad2d):
    """Pad (N, C, L) or (C, L) by repeating the edge values.

    >>> import numpy as np, nn
    >>> nn.ReplicationPad1d((0, 2))(np.array([[[1.0, 2.0]]])).numpy()
    array([[[1., 2., 2., 2.]]])
    """
    _dims = 1


class CircularPad2d(_PadNd):
    """Pad (N, C, H, W) or (C, H, W) by wrapping around (periodic images).

    >>> import numpy as np, nn
    >>> nn.CircularPad2d((1, 1, 0, 0))(np.array([[[[1.0, 2.0, 3.0]]]])).numpy()
    array([[[[3., 1., 2., 3., 1.]]]])
    """
    _mode = "circular"

    def __init__(self, padding):
        super().__init__(padding)


class CircularPad1d(CircularPad2d):
    """Pad (N, C, L) or (C, L) by wrapping around.

    >>> import numpy as np, nn
    >>> nn.CircularPad1d(1)(np.array([[[1.0, 2.0, 3.0]]])).numpy()
    array([[[3., 1., 2., 3., 1.]]])
    """
    _dims = 1
