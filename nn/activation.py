"""Activation layers: thin modules over ``nn.functional``.

>>> import numpy as np, nn
>>> nn.ReLU()(np.array([-1.0, 2.0])).data
array([0., 2.])
"""
from __future__ import annotations

import numpy as np

from . import functional as F
from .module import Module, Parameter


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


# -- the rest of PyTorch's activations (functional forms in activation_functional.py) --
class _Elementwise(Module):
    """An activation with no parameter: ``forward`` calls ``fn`` with the settings named
    in ``_args`` (also its repr, PyTorch's)."""

    fn = None
    _args = ()

    def forward(self, x):
        return type(self).fn(x, **{a: getattr(self, a) for a in self._args})

    def extra_repr(self) -> str:
        return ", ".join(f"{a}={getattr(self, a)!r}" for a in self._args)


class GELU(_Elementwise):
    """``x * Phi(x)``; ``approximate='tanh'`` for the tanh form.

    >>> import numpy as np, nn
    >>> act = nn.GELU(approximate="tanh")
    >>> act, act(np.array([0.0, 1.0])).data.round(4)
    (GELU(approximate='tanh'), array([0.    , 0.8412]))
    """

    fn = staticmethod(F.gelu)
    _args = ("approximate",)

    def __init__(self, approximate: str = "none"):
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate


class SiLU(_Elementwise):
    """``x * sigmoid(x)``.

    >>> import numpy as np, nn
    >>> nn.SiLU()(np.array([0.0, 1.0])).data.round(4)
    array([0.    , 0.7311])
    """

    fn = staticmethod(F.silu)


class Mish(_Elementwise):
    """``x * tanh(softplus(x))``.

    >>> import numpy as np, nn
    >>> nn.Mish()(np.array([0.0, 1.0])).data.round(4)
    array([0.    , 0.8651])
    """

    fn = staticmethod(F.mish)


class Softplus(_Elementwise):
    """``log(1 + exp(beta x)) / beta``, linear where ``beta x > threshold``.

    >>> import numpy as np, nn
    >>> act = nn.Softplus(beta=2.0)
    >>> act, act(np.array([0.0])).data.round(4)
    (Softplus(beta=2.0, threshold=20.0), array([0.3466]))
    """

    fn = staticmethod(F.softplus)
    _args = ("beta", "threshold")

    def __init__(self, beta: float = 1.0, threshold: float = 20.0):
        super().__init__()
        self.beta, self.threshold = beta, threshold


class ELU(_Elementwise):
    """``x`` where positive, ``alpha (exp(x) - 1)`` elsewhere.

    >>> import numpy as np, nn
    >>> nn.ELU(alpha=0.5), nn.ELU()(np.array([-1e4, 1.0])).data
    (ELU(alpha=0.5), array([-1.,  1.]))
    """

    fn = staticmethod(F.elu)
    _args = ("alpha",)

    def __init__(self, alpha: float = 1.0):
        super().__init__()
        self.alpha = alpha


class SELU(_Elementwise):
    """``1.0507 * elu(x, 1.6733)``.

    >>> import numpy as np, nn
    >>> nn.SELU()(np.array([1.0])).data.round(4)
    array([1.0507])
    """

    fn = staticmethod(F.selu)


class CELU(ELU):
    """``max(0, x) + min(0, alpha (exp(x / alpha) - 1))``.

    >>> import numpy as np, nn
    >>> nn.CELU(alpha=2.0)(np.array([-1e4, 1.0])).data
    array([-2.,  1.])
    """

    fn = staticmethod(F.celu)


class Hardtanh(_Elementwise):
    """``clip(x, min_val, max_val)``.

    >>> import numpy as np, nn
    >>> nn.Hardtanh(-2.0, 2.0), nn.Hardtanh()(np.array([-3.0, 0.5])).data
    (Hardtanh(min_val=-2.0, max_val=2.0), array([-1. ,  0.5]))
    """

    fn = staticmethod(F.hardtanh)
    _args = ("min_val", "max_val")

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0):
        super().__init__()
        if min_val > max_val:
            raise ValueError(f"Hardtanh: min_val ({min_val}) must not exceed max_val "
                             f"({max_val})")
        self.min_val, self.max_val = min_val, max_val


class ReLU6(_Elementwise):
    """``min(max(x, 0), 6)``.

    >>> import numpy as np, nn
    >>> nn.ReLU6()(np.array([-1.0, 7.0])).data
    array([0., 6.])
    """

    fn = staticmethod(F.relu6)


class Hardsigmoid(_Elementwise):
    """``relu6(x + 3) / 6``.

    >>> import numpy as np, nn
    >>> nn.Hardsigmoid()(np.array([-4.0, 0.0])).data
    array([0. , 0.5])
    """

    fn = staticmethod(F.hardsigmoid)


class Hardswish(_Elementwise):
    """``x * relu6(x + 3) / 6``.

    >>> import numpy as np, nn
    >>> nn.Hardswish()(np.array([-4.0, 4.0])).data
    array([-0.,  4.])
    """

    fn = staticmethod(F.hardswish)


class LogSigmoid(_Elementwise):
    """``log(sigmoid(x))``, stable for any x.

    >>> import numpy as np, nn
    >>> nn.LogSigmoid()(np.array([-1e4])).data
    array([-10000.])
    """

    fn = staticmethod(F.logsigmoid)


class Softsign(_Elementwise):
    """``x / (1 + |x|)``.

    >>> import numpy as np, nn
    >>> nn.Softsign()(np.array([-3.0])).data
    array([-0.75])
    """

    fn = staticmethod(F.softsign)


class Softmin(_AlongDim):
    """``softmax(-x)`` along ``dim`` (None: PyTorch's implicit choice).

    >>> import numpy as np, nn
    >>> nn.Softmin(dim=1)(np.array([[0.0, 1e4]])).data
    array([[1., 0.]])
    """

    fn = staticmethod(F.softmin)

    def __init__(self, dim: int | None = None):
        super().__init__(dim)


class GLU(_AlongDim):
    """``a * sigmoid(b)``, ``a`` and ``b`` the halves of the input along ``dim``.

    >>> import numpy as np, nn
    >>> nn.GLU(), nn.GLU()(np.array([[2.0, 4.0, 0.0, 1e4]])).data
    (GLU(dim=-1), array([[1., 4.]]))
    """

    fn = staticmethod(F.glu)


class PReLU(Module):
    """``x`` where positive, ``weight * x`` elsewhere, ``weight`` learned: one slope
    (``num_parameters=1``) or one per channel (dim 1), starting at ``init``.

    >>> import numpy as np, nn
    >>> act = nn.PReLU(num_parameters=2, init=0.1)
    >>> act, act(np.array([[-10.0, 5.0]], dtype=np.float32)).data, list(act.state_dict())
    (PReLU(num_parameters=2), array([[-1.,  5.]], dtype=float32), ['weight'])
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25, dtype=np.float32):
        super().__init__()
        if int(num_parameters) < 1:
            raise ValueError(f"PReLU: num_parameters must be at least 1, got {num_parameters}")
        self.num_parameters = int(num_parameters)
        self.init = init
        self.weight = Parameter(np.full(self.num_parameters, init, dtype=dtype))

    def forward(self, x):
        return F.prelu(x, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"
