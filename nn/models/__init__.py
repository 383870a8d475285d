"""Classic convolutional architectures from the notes, built from ``nn``'s layers with
torchvision's parameter names (so a state dict maps one to one):

- ``LeNet5``: conv 5x5, average pool, conv 5x5, average pool, 120, 84, classes;
- ``VGGBlock``: 3x3 'same' convolutions and a 2x2 max pool;
- ``BasicBlock``, ``Bottleneck``, ``ResNet``: skip connections against vanishing
  gradients; ``plain_net``: the same network without them;
- ``InceptionBlock`` (of ``BasicConv2d`` units): 1x1, 3x3, 5x5 and pool branches
  side by side, 1x1 convolutions cutting the depth.

>>> import numpy as np, nn
>>> net = nn.models.ResNet(nn.models.BasicBlock, [1, 1], in_channels=1, width=4)
>>> print(net.layer2)
Sequential(
  (0): BasicBlock(
    (conv1): Conv2d(4, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), bias=False)
    (bn1): BatchNorm2d(8, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
    (relu): ReLU()
    (conv2): Conv2d(8, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)
    (bn2): BatchNorm2d(8, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
    (downsample): Sequential(
      (0): Conv2d(4, 8, kernel_size=(1, 1), stride=(2, 2), bias=False)
      (1): BatchNorm2d(8, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
    )
  )
)
"""
from .lenet import LeNet5
from .vgg import VGGBlock
from .resnet import BasicBlock, Bottleneck, ResNet, plain_net
from .inception import BasicConv2d, InceptionBlock

__all__ = ["LeNet5", "VGGBlock", "BasicBlock", "Bottleneck", "ResNet", "plain_net",
           "BasicConv2d", "InceptionBlock"]
