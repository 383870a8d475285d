"""Activation layers: thin modules over ``nn.functional``.

>>> import numpy as np, nn
>>> nn.ReLU()(np.array([-1.0, 2.0])).data
array([0., 2.])
"""
from __future__ import annotations

from . import functional as F
from .module import Module


class ReLU(Module):
    """``max(x, 0)``.

    >>> import numpy as np, nn
    >>> nn.ReLU()(np.array([[-2.0, 0.5], [3.0, -0.1]])).data
    array([[0. , 0.5],
           [3. , 0. ]])
    """

    def forward(self, x):
        return F.relu(x)


class LeakyReLU(Module):
    """``x`` where positive, ``negative_slope * x`` elsewhere.

    >>> import numpy as np, nn
    >>> act = nn.LeakyReLU(0.1)
    >>> act, act(np.array([-2.0, 3.0])).data
    (LeakyReLU(negative_slope=0.1), array([-0.2,  3. ]))
    """

    def __init__(self, negative_slope: float = 0.01):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x):
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class Sigmoid(Module):
    """``1 / (1 + exp(-x))``.

    >>> import numpy as np, nn
    >>> nn.Sigmoid()(np.array([-1.0, 0.0, 1.0])).data.round(4)
    array([0.2689, 0.5   , 0.7311])
    """

    def forward(self, x):
        return F.sigmoid(x)


class Tanh(Module):
    """``(exp(x) - exp(-x)) / (exp(x) + exp(-x))``, in (-1, 1).

    >>> import numpy as np, nn
    >>> nn.Tanh()(np.array([-1.0, 0.0, 1.0])).data.round(4)
    array([-0.7616,  0.    ,  0.7616])
    """

    def forward(self, x):
        return F.tanh(x)


class _AlongDim(Module):
    """An activation applied along one dim (``fn`` is the functional form)."""

    fn = None

    def __init__(self, dim: int = -1):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        return type(self).fn(x, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmax(_AlongDim):
    """Softmax along ``dim``: positive values summing to 1.

    >>> import numpy as np, nn
    >>> p = nn.Softmax(dim=1)(np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]))
    >>> p.data.round(4), p.data.sum(axis=1)
    (array([[0.09  , 0.2447, 0.6652],
           [0.3333, 0.3333, 0.3333]]), array([1., 1.]))
    """

    fn = staticmethod(F.softmax)


class LogSoftmax(_AlongDim):
    """Log-softmax along ``dim``, stable for any input.

    >>> import numpy as np, nn
    >>> nn.LogSoftmax(dim=-1)(np.array([1000.0, 1000.0])).data.round(4)   # no overflow
    array([-0.6931, -0.6931])
    """

    fn = staticmethod(F.log_softmax)
