"""Sliding-block layers, PyTorch's names and arguments: Unfold (im2col) and Fold
(col2im), ``F.unfold`` and ``F.fold`` held as layers (no parameters).
"""
from __future__ import annotations

from .fold_ops import fold, unfold
from .module import Module


class _Blocks(Module):
    def _named(self, fn, *args):
        try:
            return fn(*args)
        except ValueError as err:  # name the layer, as the other layers' errors do
            raise ValueError(f"{self}: {err}") from None


class Unfold(_Blocks):
    """Every ``kernel_size`` block of (N, C, H, W) images as a column: (N, C*kh*kw, L).

    >>> import numpy as np, nn
    >>> nn.Unfold(kernel_size=(2, 3))(np.zeros((2, 5, 3, 4))).shape
    (2, 30, 4)
    """

    def __init__(self, kernel_size, dilation=1, padding=0, stride=1):
        super().__init__()
        self.kernel_size, self.dilation = kernel_size, dilation
        self.padding, self.stride = padding, stride

    def forward(self, x):
        return self._named(unfold, x, self.kernel_size, self.dilation, self.padding,
                           self.stride)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, dilation={self.dilation}, "
                f"padding={self.padding}, stride={self.stride}")


class Fold(_Blocks):
    """Columns (N, C*kh*kw, L) summed back into (N, C, *output_size) images.

    >>> import numpy as np, nn
    >>> nn.Fold(output_size=(3, 4), kernel_size=(2, 3))(np.zeros((2, 30, 4))).shape
    (2, 5, 3, 4)
    """

    def __init__(self, output_size, kernel_size, dilation=1, padding=0, stride=1):
        super().__init__()
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride

    def forward(self, x):
        return self._named(fold, x, self.output_size, self.kernel_size, self.dilation,
                           self.padding, self.stride)

    def extra_repr(self) -> str:
        return (f"output_size={self.output_size}, kernel_size={self.kernel_size}, "
                f"dilation={self.dilation}, padding={self.padding}, stride={self.stride}")
