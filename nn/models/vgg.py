"""VGG's unit: a few 3x3 'same' convolutions with ReLU, then a 2x2 max pool."""
from __future__ import annotations

from collections import OrderedDict

from ..activation import ReLU
from ..container import Sequential
from ..conv import Conv2d, MaxPool2d
from ..normalization import BatchNorm2d


class VGGBlock(Sequential):
    """``n_convs`` times (3x3 conv with padding 1, [batch norm,] ReLU), then max pool 2x2.

    VGG's idea: one filter size everywhere; the depth doubles from block to
    block while the pools halve height and width. Children are numbered as in
    torchvision's ``vgg.features`` (``0`` the first conv, ``1`` its ReLU, ...).

    Output per stage:

    - each conv (and ReLU): ``(N, in_ch, H, W) -> (N, out_ch, H, W)`` (``'same'``)
    - the pool: ``(N, out_ch, H, W) -> (N, out_ch, H // 2, W // 2)``

    >>> import numpy as np, nn
    >>> block = nn.models.VGGBlock(3, 8, n_convs=2)
    >>> block(np.zeros((1, 3, 16, 16), dtype=np.float32)).shape
    (1, 8, 8, 8)
    >>> [name for name, _ in block.named_parameters()]
    ['0.weight', '0.bias', '2.weight', '2.bias']
    >>> block
    VGGBlock(
      (0): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
      (1): ReLU()
      (2): Conv2d(8, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
      (3): ReLU()
      (4): MaxPool2d(kernel_size=2, stride=2, padding=0...)
    )
    """

    def __init__(self, in_ch: int, out_ch: int, n_convs: int, batch_norm: bool = False):
        if not isinstance(n_convs, int) or isinstance(n_convs, bool) or n_convs < 1:
            raise ValueError(f"VGGBlock: n_convs must be a positive int, got {n_convs!r}")
        layers = []
        for i in range(n_convs):
            layers.append(Conv2d(in_ch if i == 0 else out_ch, out_ch, 3, padding=1))
            if batch_norm:
                layers.append(BatchNorm2d(out_ch))
            layers.append(ReLU())
        layers.append(MaxPool2d(2))
        super().__init__(*layers)

    def __getitem__(self, idx):
        # A slice is a plain Sequential: it is no longer a whole block.
        if isinstance(idx, slice):
            return Sequential(OrderedDict(list(self._modules.items())[idx]))
        return super().__getitem__(idx)
