"""Weight initialisation, in place (under ``no_grad``), as ``torch.nn.init``.

The notes' variances, for a layer with ``n[l-1] = fan_in`` inputs:

* He (ReLU networks): ``Var(W) = 2 / n[l-1]``            -> ``he_normal_``
* "Xavier" in the notes (tanh): ``Var(W) = 1 / n[l-1]``  -> ``lecun_normal_``
* Glorot / Xavier: ``Var(W) = 2 / (n[l-1] + n[l])``      -> ``xavier_normal_``

Every function returns its tensor. Randomness comes from ``rng`` (a
Generator or a seed) or from the default generator that ``ag.manual_seed``
seeds, so runs are reproducible.
"""
from __future__ import annotations

import math

import numpy as np

from autograd import Tensor, get_rng, no_grad


def _fans(t: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) as PyTorch: Linear (out, in); conv (out, in, *kernel)."""
    shape = t.shape
    if len(shape) < 2:
        raise ValueError(f"nn.init: fan in and fan out need a tensor with at least 2 dims, "
                         f"got shape {shape}")
    receptive = int(np.prod(shape[2:])) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def _fill(t: Tensor, values) -> Tensor:
    if not isinstance(t, Tensor):
        raise TypeError(f"nn.init: expected a Tensor, got {type(t).__name__}")
    with no_grad():
        t.copy_(np.asarray(values, dtype=t.dtype))
    return t


def zeros_(t: Tensor) -> Tensor:
    """Fill with 0.

    >>> import numpy as np, nn
    >>> nn.init.zeros_(nn.Parameter(np.ones(2))).data
    array([0., 0.])
    """
    return _fill(t, 0)


def ones_(t: Tensor) -> Tensor:
    """Fill with 1.

    >>> import numpy as np, nn
    >>> nn.init.ones_(nn.Parameter(np.zeros((2, 2)))).data
    array([[1., 1.],
           [1., 1.]])
    """
    return _fill(t, 1)


def constant_(t: Tensor, value: float) -> Tensor:
    """Fill with ``value`` (cast to the tensor's dtype).

    >>> import numpy as np, nn
    >>> nn.init.constant_(nn.Parameter(np.zeros(3, dtype=np.float32)), 0.25).data
    array([0.25, 0.25, 0.25], dtype=float32)
    """
    return _fill(t, value)


def normal_(t: Tensor, mean: float = 0.0, std: float = 1.0, rng=None) -> Tensor:
    """Draw from N(mean, std^2).

    >>> import numpy as np, nn
    >>> w = nn.init.normal_(nn.Parameter(np.zeros((200, 100))), std=0.5, rng=0)
    >>> round(float(w.data.std()), 1)
    0.5
    """
    if std < 0:
        raise ValueError(f"nn.init.normal_: std must be >= 0, got {std}")
    return _fill(t, get_rng(rng).normal(mean, std, size=t.shape))


def uniform_(t: Tensor, a: float = 0.0, b: float = 1.0, rng=None) -> Tensor:
    """Draw from U(a, b).

    >>> import numpy as np, nn
    >>> w = nn.init.uniform_(nn.Parameter(np.zeros((100, 10))), a=-2.0, b=3.0, rng=0)
    >>> bool(w.data.min() >= -2.0 and w.data.max() < 3.0), round(float(w.data.mean()), 1)
    (True, 0.5)
    """
    if a > b:
        raise ValueError(f"nn.init.uniform_: need a <= b, got a={a}, b={b}")
    return _fill(t, get_rng(rng).uniform(a, b, size=t.shape))


def he_normal_(t: Tensor, a: float = 0.0, rng=None) -> Tensor:
    """He: N(0, 2 / fan_in) (the notes' ``W = randn * sqrt(2 / n[l-1])`` for ReLU);
    ``a`` is a leaky ReLU's negative slope (variance ``2 / ((1 + a^2) fan_in)``).
    Same as ``torch.nn.init.kaiming_normal_``.

    >>> import numpy as np, nn
    >>> w = nn.init.he_normal_(nn.Parameter(np.zeros((400, 200))), rng=0)
    >>> round(float(w.data.var() * 200), 1)
    2.0
    """
    fan_in, _ = _fans(t)
    return normal_(t, 0.0, math.sqrt(2.0 / ((1 + a * a) * fan_in)), rng)


def he_uniform_(t: Tensor, a: float = 0.0, rng=None) -> Tensor:
    """He with a uniform law of the same variance: U(-b, b), ``b = sqrt(6 / ((1 + a^2)
    fan_in))``. With ``a = sqrt(5)`` this is PyTorch's default for Linear and Conv2d
    weights: ``b = 1 / sqrt(fan_in)``. Same as ``torch.nn.init.kaiming_uniform_``.

    >>> import math, numpy as np, nn
    >>> w = nn.init.he_uniform_(nn.Parameter(np.zeros((300, 25))), a=math.sqrt(5), rng=0)
    >>> round(float(np.abs(w.data).max()), 2)                   # 1 / sqrt(25)
    0.2
    >>> nn.init.kaiming_uniform_ is nn.init.he_uniform_
    True
    """
    fan_in, _ = _fans(t)
    bound = math.sqrt(6.0 / ((1 + a * a) * fan_in))
    return uniform_(t, -bound, bound, rng)


def xavier_normal_(t: Tensor, gain: float = 1.0, rng=None) -> Tensor:
    """Glorot: N(0, gain^2 * 2 / (fan_in + fan_out)).

    >>> import numpy as np, nn
    >>> w = nn.init.xavier_normal_(nn.Parameter(np.zeros((300, 100))), rng=0)
    >>> round(float(w.data.var() * (300 + 100) / 2), 1)
    1.0
    """
    fan_in, fan_out = _fans(t)
    return normal_(t, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), rng)


def xavier_uniform_(t: Tensor, gain: float = 1.0, rng=None) -> Tensor:
    """Glorot with a uniform law: U(-b, b), ``b = gain * sqrt(6 / (fan_in + fan_out))``.

    >>> import numpy as np, nn
    >>> w = nn.init.xavier_uniform_(nn.Parameter(np.zeros((40, 20))), gain=2.0, rng=0)
    >>> bool(np.abs(w.data).max() <= 2.0 * np.sqrt(6 / 60)), round(float(w.data.var() * 30), 1)
    (True, 4.0)
    """
    fan_in, fan_out = _fans(t)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(t, -bound, bound, rng)


def lecun_normal_(t: Tensor, rng=None) -> Tensor:
    """N(0, 1 / fan_in): what the notes call "Xavier" initialisation for tanh
    (``W = randn * sqrt(1 / n[l-1])``).

    >>> import numpy as np, nn
    >>> w = nn.init.lecun_normal_(nn.Parameter(np.zeros((400, 50))), rng=0)
    >>> round(float(w.data.var() * 50), 1)
    1.0
    """
    fan_in, _ = _fans(t)
    return normal_(t, 0.0, math.sqrt(1.0 / fan_in), rng)


kaiming_normal_ = he_normal_
kaiming_uniform_ = he_uniform_
