"""Neural-network modules built on autograd's primitives (PyTorch's names and shapes).

>>> import nn
>>> net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
>>> [name for name, _ in net.named_parameters()]
['0.weight', '0.bias', '2.weight', '2.bias']
"""
from . import functional, init, loss_functional
from .module import IncompatibleKeys, Module, ModuleList, Parameter, Sequential
from .linear import Flatten, Identity, Linear
from .activation import LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from .activation import (CELU, ELU, GELU, GLU, Hardsigmoid, Hardswish, Hardtanh,
                         LogSigmoid, Mish, PReLU, ReLU6, SELU, SiLU, Softmin, Softplus,
                         Softsign)
from .dropout import Dropout
from .normalization import BatchNorm1d, BatchNorm2d
from .normalization import GroupNorm, LayerNorm
from .embedding import Embedding
from .loss import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, MSELoss
from .loss import HuberLoss, KLDivLoss, L1Loss, NLLLoss, SmoothL1Loss
from .distance import CosineSimilarity, PairwiseDistance
from . import utils
from .serialization import load, save
from . import data, datasets
from . import metrics
from .recurrent import RNN, GRU, LSTM, RNNCell, GRUCell, LSTMCell
from .conv import Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d
from .pooling import (AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveMaxPool1d,
                      AdaptiveMaxPool2d, AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d)
from .upsampling import Upsample, UpsamplingBilinear2d, UpsamplingNearest2d
from .fold import Fold, Unfold
from .padding import (CircularPad1d, CircularPad2d, ConstantPad1d, ConstantPad2d,
                      ReflectionPad1d, ReflectionPad2d, ReplicationPad1d, ReplicationPad2d,
                      ZeroPad1d, ZeroPad2d)
from . import models
from .attention import MultiheadAttention
from .transformer import (Transformer, TransformerDecoder, TransformerDecoderLayer,
                          TransformerEncoder, TransformerEncoderLayer)
