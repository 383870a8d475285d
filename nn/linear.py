"""Dense layers: Linear, Flatten, Identity."""
from __future__ import annotations

import math

import numpy as np

import autograd as ag

from . import functional as F
from . import init
from .module import Module, Parameter


class Linear(Module):
    """``y = x @ W.T + b``: the notes' ``z = W a + b`` for batch-first rows.

    ``weight`` has shape ``(out_features, in_features)`` (the notes' ``W[l]``,
    ``(n[l], n[l-1])``), ``bias`` ``(out_features,)``; both start as PyTorch's
    ``U(-1/sqrt(in), 1/sqrt(in))``. Any leading batch dims are kept.

    >>> import numpy as np, nn
    >>> fc = nn.Linear(3, 2)
    >>> fc(np.ones((5, 3), dtype=np.float32)).shape
    (5, 2)
    >>> fc
    Linear(in_features=3, out_features=2, bias=True)
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 dtype=np.float32, rng=None):
        super().__init__()
        if in_features <= 0 or out_features <= 0:
            raise ValueError(f"Linear: in_features and out_features must be positive, "
                             f"got {in_features} and {out_features}")
        self.in_features = int(in_features)
        self.out_features = int(out_features)
        self.weight = Parameter(np.empty((out_features, in_features), dtype=dtype))
        self.bias = Parameter(np.empty(out_features, dtype=dtype)) if bias else None
        self.reset_parameters(rng)

    def reset_parameters(self, rng=None) -> None:
        init.he_uniform_(self.weight, a=math.sqrt(5), rng=rng)
        if self.bias is not None:
            bound = 1.0 / math.sqrt(self.in_features)
            init.uniform_(self.bias, -bound, bound, rng=rng)

    def forward(self, x):
        shape = np.shape(x)
        if not shape or shape[-1] != self.in_features:
            raise ValueError(f"{self!r}: expected input of shape (..., {self.in_features}), "
                             f"got {shape}; weight shape {self.weight.shape}")
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Flatten(Module):
    """Flatten dims ``start_dim..end_dim`` (default: all but the batch dim).

    >>> import numpy as np, nn
    >>> nn.Flatten()(np.zeros((2, 3, 4, 5))).shape
    (2, 60)
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, x):
        return ag.as_tensor(x).flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Identity(Module):
    """Return the input unchanged (a placeholder layer); any arguments are ignored.

    >>> import numpy as np, nn
    >>> x = np.array([1.0, -2.0])
    >>> nn.Identity(54, unused=True)(x) is x
    True
    """

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, x):
        return x
