"""The functional activations beyond relu/sigmoid/tanh (re-exported by
``nn.functional``), PyTorch's names and arguments; each takes a Tensor or an array
and calls autograd's op of the same name (see autograd/ops/activation*.py)."""
from __future__ import annotations

import autograd as ag
from autograd import Tensor, as_tensor


def gelu(input, approximate: str = "none") -> Tensor:
    """``x * Phi(x)`` (exact, via erf) or its ``approximate='tanh'`` form.

    >>> import numpy as np, nn.functional as F
    >>> F.gelu(np.array([-1.0, 0.0, 1.0])).data.round(4)
    array([-0.1587,  0.    ,  0.8413])
    """
    return ag.gelu(as_tensor(input), approximate=approximate)


def silu(input) -> Tensor:
    """``x * sigmoid(x)``.

    >>> import numpy as np, nn.functional as F
    >>> F.silu(np.array([0.0, 1.0])).data.round(4)
    array([0.    , 0.7311])
    """
    return ag.silu(as_tensor(input))


def mish(input) -> Tensor:
    """``x * tanh(softplus(x))``.

    >>> import numpy as np, nn.functional as F
    >>> F.mish(np.array([0.0, 1.0])).data.round(4)
    array([0.    , 0.8651])
    """
    return ag.mish(as_tensor(input))


def softplus(input, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """``log(1 + exp(beta x)) / beta``, linear where ``beta x > threshold``.

    >>> import numpy as np, nn.functional as F
    >>> F.softplus(np.array([-1e4, 0.0, 1e4])).data.round(4)
    array([0.0000e+00, 6.9310e-01, 1.0000e+04])
    """
    return ag.softplus(as_tensor(input), beta=beta, threshold=threshold)


def logsigmoid(input) -> Tensor:
    """``log(sigmoid(x))``, stable for any x.

    >>> import numpy as np, nn.functional as F
    >>> F.logsigmoid(np.array([-1e4, 0.0])).data.round(4)
    array([-1.0000e+04, -6.9310e-01])
    """
    return ag.logsigmoid(as_tensor(input))


def elu(input, alpha: float = 1.0) -> Tensor:
    """``x`` where positive, ``alpha (exp(x) - 1)`` elsewhere.

    >>> import numpy as np, nn.functional as F
    >>> F.elu(np.array([-1e4, 2.0]), alpha=0.5).data
    array([-0.5,  2. ])
    """
    return ag.elu(as_tensor(input), alpha=alpha)


def selu(input) -> Tensor:
    """``1.0507 * elu(x, 1.6733)``, self-normalising.

    >>> import numpy as np, nn.functional as F
    >>> F.selu(np.array([-1e4, 1.0])).data.round(4)
    array([-1.7581,  1.0507])
    """
    return ag.selu(as_tensor(input))


def celu(input, alpha: float = 1.0) -> Tensor:
    """``max(0, x) + min(0, alpha (exp(x / alpha) - 1))``.

    >>> import numpy as np, nn.functional as F
    >>> F.celu(np.array([-1e4, 2.0]), alpha=2.0).data
    array([-2.,  2.])
    """
    return ag.celu(as_tensor(input), alpha=alpha)


def hardtanh(input, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """``clip(x, min_val, max_val)``, no gradient at the bounds.

    >>> import numpy as np, nn.functional as F
    >>> F.hardtanh(np.array([-2.0, 0.5, 2.0])).data
    array([-1. ,  0.5,  1. ])
    """
    return ag.hardtanh(as_tensor(input), min_val=min_val, max_val=max_val)


def relu6(input) -> Tensor:
    """``min(max(x, 0), 6)``.

    >>> import numpy as np, nn.functional as F
    >>> F.relu6(np.array([-1.0, 7.0])).data
    array([0., 6.])
    """
    return ag.relu6(as_tensor(input))


def hardsigmoid(input) -> Tensor:
    """``relu6(x + 3) / 6``.

    >>> import numpy as np, nn.functional as F
    >>> F.hardsigmoid(np.array([-4.0, 0.0, 4.0])).data
    array([0. , 0.5, 1. ])
    """
    return ag.hardsigmoid(as_tensor(input))


def hardswish(input) -> Tensor:
    """``x * relu6(x + 3) / 6``.

    >>> import numpy as np, nn.functional as F
    >>> F.hardswish(np.array([-4.0, 1.5, 4.0])).data
    array([-0.   ,  1.125,  4.   ])
    """
    return ag.hardswish(as_tensor(input))


def softsign(input) -> Tensor:
    """``x / (1 + |x|)``.

    >>> import numpy as np, nn.functional as F
    >>> F.softsign(np.array([-3.0, 1.0])).data
    array([-0.75,  0.5 ])
    """
    return ag.softsign(as_tensor(input))


def _implicit_dim(ndim: int) -> int:
    """PyTorch's legacy choice when ``dim`` is not given: 0 for 0-, 1- and 3-d, else 1."""
    return 0 if ndim in (0, 1, 3) else 1


def softmin(input, dim: int | None = None) -> Tensor:
    """``softmax(-x)`` along ``dim`` (when None, PyTorch's implicit choice: 0 for 0-, 1-
    and 3-d inputs, else 1).

    >>> import numpy as np, nn.functional as F
    >>> F.softmin(np.array([[0.0, 1e4], [1.0, 1.0]]), dim=1).data
    array([[1. , 0. ],
           [0.5, 0.5]])
    """
    x = as_tensor(input)
    return ag.softmin(x, dim=_implicit_dim(x.ndim) if dim is None else dim)


def glu(input, dim: int = -1) -> Tensor:
    """``a * sigmoid(b)`` with ``a``, ``b`` the halves of ``input`` along ``dim``.

    >>> import numpy as np, nn.functional as F
    >>> F.glu(np.array([[2.0, 4.0, 0.0, 1e4]])).data
    array([[1., 4.]])
    """
    return ag.glu(as_tensor(input), dim=dim)


def prelu(input, weight) -> Tensor:
    """``x`` where positive, ``weight * x`` elsewhere; ``weight`` of size 1 or C (dim 1).

    >>> import numpy as np, nn.functional as F
    >>> F.prelu(np.array([[-2.0, 3.0]]), np.array([0.25])).data
    array([[-0.5,  3. ]])
    """
    return ag.prelu(as_tensor(input), as_tensor(weight))
