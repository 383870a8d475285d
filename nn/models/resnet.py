"""ResNet for small images, and the same network without its skip connections.

The notes' motivation: in a deep plain network the gradient fades on its way
back to the first layers; a skip connection ``a[l+2] = g(z[l+2] + a[l])``
gives it a path that bypasses the block, so the early layers keep learning.
"""
from __future__ import annotations

from ..activation import ReLU
from ..container import Sequential
from ..conv import Conv2d
from ..linear import Linear
from ..module import Module
from ..normalization import BatchNorm2d
from ..pooling import AdaptiveAvgPool2d
from .. import init


def _conv(in_ch: int, out_ch: int, k: int, stride: int = 1) -> Conv2d:
    """A bias-free conv (the batch norm after it has the bias), He-initialised."""
    conv = Conv2d(in_ch, out_ch, k, stride=stride, padding=k // 2, bias=False)
    init.he_normal_(conv.weight)
    return conv


def _projection(inplanes: int, outplanes: int, stride: int, norm_layer) -> Sequential:
    """torchvision's ``downsample``: a strided 1x1 conv and batch norm, so the
    identity has the block's output shape."""
    return Sequential(_conv(inplanes, outplanes, 1, stride), norm_layer(outplanes))


def _norm(norm_layer, where: str):
    """torchvision's ``norm_layer``: a callable taking the channel count (default
    ``BatchNorm2d``; ``nn.Identity`` leaves the normalisation out)."""
    if norm_layer is None:
        return BatchNorm2d
    if not callable(norm_layer):
        raise TypeError(f"{where}: norm_layer must be a callable taking the number of "
                        f"channels (nn.BatchNorm2d, nn.Identity), got {norm_layer!r}")
    return norm_layer


class _Block(Module):
    expansion = 1

    def _check(self, downsample, skip, norm_layer):
        """The checks every block makes; returns the norm layer to use."""
        if downsample is not None and not skip:
            raise ValueError(f"{type(self).__name__}: a downsample projection is only used "
                             "by the skip connection; got one with skip=False")
        return _norm(norm_layer, type(self).__name__)

    def _finish(self, out, x):
        if self.skip:
            identity = x if self.downsample is None else self.downsample(x)
            out = out + identity
        return self.relu(out)

    def extra_repr(self) -> str:
        return "" if self.skip else "skip=False"


class BasicBlock(_Block):
    """Two 3x3 convs with batch norm and a skip: ``relu(bn2(conv2(relu(bn1(conv1(x))))) + x)``.

    Output: ``(N, inplanes, H, W) -> (N, planes, H / stride, W / stride)``;
    ``downsample`` (a strided 1x1 conv and batch norm) reshapes the skipped
    input when the shapes differ. ``skip=False`` drops the addition (a plain
    block, the same layers otherwise); ``norm_layer`` makes ``bn1`` and ``bn2``
    (``nn.Identity`` for none). Names are torchvision's.

    >>> import numpy as np, nn
    >>> block = nn.models.BasicBlock(8, 16, stride=2)
    >>> block(np.zeros((2, 8, 8, 8), dtype=np.float32)).shape
    (2, 16, 4, 4)
    >>> sorted({name.split(".")[0] for name, _ in block.named_parameters()})
    ['bn1', 'bn2', 'conv1', 'conv2', 'downsample']
    """

    expansion = 1

    def __init__(self, inplanes: int, planes: int, stride: int = 1,
                 downsample: Module | None = None, skip: bool = True, norm_layer=None):
        super().__init__()
        norm_layer = self._check(downsample, skip, norm_layer)
        self.skip = bool(skip)
        if downsample is None and skip and (stride != 1 or inplanes != planes):
            downsample = _projection(inplanes, planes, stride, norm_layer)
        self.conv1 = _conv(inplanes, planes, 3, stride)
        self.bn1 = norm_layer(planes)
        self.relu = ReLU()
        self.conv2 = _conv(planes, planes, 3)
        self.bn2 = norm_layer(planes)
        self.downsample = downsample

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        return self._finish(self.bn2(self.conv2(out)), x)


class Bottleneck(_Block):
    """1x1 conv down to ``planes``, 3x3 conv, 1x1 conv up to ``planes * 4``, and the skip.

    The 1x1 convs are Inception's trick applied to ResNet: the 3x3 conv works
    on fewer channels. Output: ``(N, inplanes, H, W) -> (N, 4 * planes,
    H / stride, W / stride)`` (the stride is on the 3x3 conv, as torchvision's);
    ``skip`` and ``norm_layer`` as ``BasicBlock``'s.

    >>> import numpy as np, nn
    >>> block = nn.models.Bottleneck(16, 4)
    >>> block(np.zeros((2, 16, 8, 8), dtype=np.float32)).shape
    (2, 16, 8, 8)
    >>> [name for name, _ in block.named_parameters()][::2]
    ['conv1.weight', 'bn1.bias', 'bn2.weight', 'conv3.weight', 'bn3.bias']
    """

    expansion = 4

    def __init__(self, inplanes: int, planes: int, stride: int = 1,
                 downsample: Module | None = None, skip: bool = True, norm_layer=None):
        super().__init__()
        norm_layer = self._check(downsample, skip, norm_layer)
        self.skip = bool(skip)
        out = planes * self.expansion
        if downsample is None and skip and (stride != 1 or inplanes != out):
            downsample = _projection(inplanes, out, stride, norm_layer)
        self.conv1 = _conv(inplanes, planes, 1)
        self.bn1 = norm_layer(planes)
        self.conv2 = _conv(planes, planes, 3, stride)
        self.bn2 = norm_layer(planes)
        self.conv3 = _conv(planes, out, 1)
        self.bn3 = norm_layer(out)
        self.relu = ReLU()
        self.downsample = downsample

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        return self._finish(self.bn3(self.conv3(out)), x)


class ResNet(Module):
    """A ResNet for small images (digits, CIFAR): 3x3 stem, no max pool, stages, global
    average pooling, ``fc``. Names are torchvision's (``conv1 bn1 layer1..layerK fc``).

    ``layers[i]`` blocks in stage ``i + 1``, with ``width * 2**i`` planes; every
    stage after the first starts with stride 2. Output per stage, for
    ``(N, in_channels, H, W)`` inputs and ``e = block.expansion``:

    - stem ``conv1 bn1 relu``: ``(N, width, H, W)``
    - ``layer1``: ``(N, width * e, H, W)``
    - ``layer{i}``: ``(N, width * 2**(i-1) * e, H / 2**(i-1), W / 2**(i-1))``
    - global average pool: ``(N, width * 2**(K-1) * e)``, then ``fc``: ``(N, num_classes)``

    ``skip=False`` builds the same layers without the skip connections (see
    ``plain_net``); ``norm_layer`` (torchvision's) makes the ``bn*`` layers
    (``nn.Identity`` for none). Convs start with He initialisation (the notes'
    ``sqrt(2 / n[l-1])``, by fan in; torchvision's is by fan out). ``ResNet(BasicBlock, [3, 3, 3], width=16)`` is He et al.'s
    ResNet-20 for CIFAR.

    >>> import numpy as np, nn
    >>> net = nn.models.ResNet(nn.models.BasicBlock, [1, 1], num_classes=10,
    ...                        in_channels=1, width=4)
    >>> net(np.zeros((2, 1, 8, 8), dtype=np.float32)).shape
    (2, 10)
    >>> [name for name, _ in net.named_children()]
    ['conv1', 'bn1', 'relu', 'layer1', 'layer2', 'avgpool', 'fc']
    """

    def __init__(self, block: type, layers, num_classes: int = 10, in_channels: int = 3,
                 width: int = 64, skip: bool = True, norm_layer=None):
        super().__init__()
        layers = list(layers)
        if not layers or any(not isinstance(n, int) or n < 1 for n in layers):
            raise ValueError(f"ResNet: layers must be a non-empty list of positive ints "
                             f"(blocks per stage), got {layers}")
        if not (isinstance(block, type) and issubclass(block, _Block)):
            raise TypeError(f"ResNet: block must be BasicBlock or Bottleneck, got {block!r}")
        norm_layer = _norm(norm_layer, "ResNet")
        self.conv1 = _conv(in_channels, width, 3)
        self.bn1 = norm_layer(width)
        self.relu = ReLU()
        inplanes = width
        for i, n in enumerate(layers):
            planes = width * 2 ** i
            blocks = []
            for j in range(n):
                stride = 2 if (i > 0 and j == 0) else 1
                blocks.append(block(inplanes, planes, stride, skip=skip,
                                    norm_layer=norm_layer))
                inplanes = planes * block.expansion
            setattr(self, f"layer{i + 1}", Sequential(*blocks))
        self.avgpool = AdaptiveAvgPool2d((1, 1))
        self.fc = Linear(inplanes, num_classes)
        self.num_stages = len(layers)

    def stages(self, x) -> list:
        """``[(name, output), ...]`` for the stem, each stage, the pool and ``fc``."""
        out = [("stem", self.relu(self.bn1(self.conv1(x))))]
        for i in range(1, self.num_stages + 1):
            out.append((f"layer{i}", getattr(self, f"layer{i}")(out[-1][1])))
        out.append(("avgpool", self.avgpool(out[-1][1]).flatten(1)))
        out.append(("fc", self.fc(out[-1][1])))
        return out

    def forward(self, x):
        return self.stages(x)[-1][1]


def plain_net(depth: int, num_classes: int = 10, in_channels: int = 3, width: int = 16,
              num_stages: int = 3, norm_layer=None) -> ResNet:
    """A plain deep network: ``ResNet(BasicBlock, [n] * num_stages, ..., skip=False)``,
    the same convs, batch norms and ``fc`` as the ResNet of that depth, minus the
    skip connections (and so minus the ``downsample`` projections they need).

    ``depth`` counts the layers with weights, as He et al.: the stem conv, two
    convs per block, and ``fc``, so ``depth = 2 * n * num_stages + 2`` (20, 32,
    56, 110 with three stages). The ResNet to compare with is
    ``ResNet(BasicBlock, [n] * num_stages, num_classes, in_channels, width)``.

    >>> import numpy as np, nn
    >>> plain = nn.models.plain_net(14, in_channels=1, width=4)
    >>> [len(plain.layer1), len(plain.layer2), len(plain.layer3)]
    [2, 2, 2]
    >>> plain(np.zeros((2, 1, 8, 8), dtype=np.float32)).shape
    (2, 10)
    >>> any("downsample" in name for name, _ in plain.named_parameters())
    False
    """
    if not isinstance(num_stages, int) or num_stages < 1:
        raise ValueError(f"plain_net: num_stages must be a positive int, got {num_stages!r}")
    per_stage = 2 * num_stages
    if not isinstance(depth, int) or depth < per_stage + 2 or (depth - 2) % per_stage:
        raise ValueError(f"plain_net: depth must be 2 * n * num_stages + 2 for some n >= 1 "
                         f"({per_stage + 2}, {2 * per_stage + 2}, ... with {num_stages} "
                         f"stages), got {depth!r}")
    n = (depth - 2) // per_stage
    return ResNet(BasicBlock, [n] * num_stages, num_classes, in_channels, width, skip=False,
                  norm_layer=norm_layer)
