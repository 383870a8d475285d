"""LeNet-5: the notes' first classic CNN (conv 5x5, average pool, conv 5x5, average pool,
then dense layers of 120 and 84 units and the classes)."""
from __future__ import annotations

import numpy as np

from ..activation import ReLU
from ..container import Sequential
from ..conv import AvgPool2d, Conv2d
from ..linear import Linear
from ..module import Module


class LeNet5(Module):
    """LeNet-5 for ``(N, in_channels, 32, 32)`` images, laid out as torchvision's
    AlexNet and VGG are: ``features`` (the convolutions and pools), then
    ``classifier`` (the dense layers), so ``model.classifier[-1]`` is the head.

    Output per stage (``floor((n + 2p - f) / s) + 1`` at every conv and pool):

    ==================  ============  =====================
    stage               layer         output
    ==================  ============  =====================
    input                             (N, in_channels, 32, 32)
    ``features.0``      conv 5x5, 6   (N, 6, 28, 28)
    ``features.2``      avg pool 2    (N, 6, 14, 14)
    ``features.3``      conv 5x5, 16  (N, 16, 10, 10)
    ``features.5``      avg pool 2    (N, 16, 5, 5)
    flatten                           (N, 400)
    ``classifier.0``    dense         (N, 120)
    ``classifier.2``    dense         (N, 84)
    ``classifier.4``    dense         (N, num_classes)
    ==================  ============  =====================

    ReLU follows every conv and hidden dense layer (the 1998 network squashed
    with tanh); the output is logits, for ``F.cross_entropy``.

    >>> import numpy as np, nn
    >>> net = nn.models.LeNet5()
    >>> net(np.zeros((2, 1, 32, 32), dtype=np.float32)).shape
    (2, 10)
    >>> [name for name, _ in net.named_parameters()][:4]
    ['features.0.weight', 'features.0.bias', 'features.3.weight', 'features.3.bias']
    >>> sum(p.size for p in net.parameters())     # about 60k, as in 1998
    61706
    """

    def __init__(self, num_classes: int = 10, in_channels: int = 1):
        super().__init__()
        self.features = Sequential(
            Conv2d(in_channels, 6, 5), ReLU(), AvgPool2d(2),
            Conv2d(6, 16, 5), ReLU(), AvgPool2d(2))
        self.classifier = Sequential(
            Linear(16 * 5 * 5, 120), ReLU(), Linear(120, 84), ReLU(),
            Linear(84, num_classes))

    def forward(self, x):
        shape = np.shape(x)
        if len(shape) != 4 or shape[1:] != (self.features[0].in_channels, 32, 32):
            raise ValueError(f"LeNet5: expected input of shape (N, "
                             f"{self.features[0].in_channels}, 32, 32), got {shape}")
        x = self.features(x)
        return self.classifier(x.flatten(1))
