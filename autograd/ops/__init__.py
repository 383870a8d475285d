"""The op functions: each primitive's ``apply``, and the ops composed from them."""
import numpy as np

from ..tensor import Tensor, _wrap
from . import xp as _xp
from .elementwise import (Abs, Add, AsType, Clip, Clone, Cos, Div, Exp, LeakyRelu, Log,
                          Maximum, Minimum, Mul, Neg, Pow, Relu, Sigmoid, Sin, Sqrt, Sub,
                          Tanh, Where)
from .linalg import MatMul
from .reduce import LogSoftmax, LogSumExp, Max, Min, Sum, mean, softmax, var
from .shape import (BroadcastTo, Concatenate, GetItem, Pad, Reshape, Scatter, Stack,
                    Transpose, broadcast_to, concatenate, expand_dims, flatten, getitem,
                    normalize_index, pad, reshape, scatter_array, split, squeeze, stack,
                    swapaxes, transpose)

# Public functions: one call to a primitive each. Tensor's operators call the
# primitives directly (one Python call less on the hot path).

def add(x, y):
    """``x + y``, broadcasting as NumPy; either may be a Python or NumPy scalar.

    >>> import autograd as ag
    >>> ag.add(ag.Tensor([1.0, 2.0]), 3.0)
    Tensor([4., 5.])
    """
    return Add.apply2(x, y)


def sub(x, y):
    """``x - y``, broadcasting as NumPy.

    >>> import autograd as ag
    >>> ag.sub(ag.Tensor([[1.0], [2.0]]), ag.Tensor([1.0, 0.5])).shape
    (2, 2)
    """
    return Sub.apply2(x, y)


def mul(x, y):
    """``x * y``; the gradients are ``g * y`` and ``g * x``, summed back to each shape.

    >>> import autograd as ag
    >>> b, c = ag.Tensor(3.0, requires_grad=True), ag.Tensor(2.0, requires_grad=True)
    >>> u = ag.mul(b, c); u.backward()
    >>> u.item(), b.grad.item(), c.grad.item()
    (6.0, 2.0, 3.0)
    """
    return Mul.apply2(x, y)


def div(x, y):
    """``x / y``; the gradients are ``g / y`` and ``-g x / y**2``.

    >>> import autograd as ag
    >>> ag.div(ag.Tensor([1.0, 3.0]), 2.0)
    Tensor([0.5, 1.5])
    """
    return Div.apply2(x, y)


def pow(x, p):
    """``x ** p``; either may be a tensor (the exponent's gradient is ``g x**p log x``).

    >>> import autograd as ag
    >>> x = ag.Tensor(3.0, requires_grad=True)
    >>> y = ag.pow(x, 2); y.backward()
    >>> y.item(), x.grad.item()
    (9.0, 6.0)
    """
    return Pow.apply2(x, p)


def matmul(x, y):
    """NumPy's matmul: 1-D, 2-D and batched operands (batch dims broadcast).

    >>> import numpy as np, autograd as ag
    >>> ag.matmul(ag.Tensor(np.ones((5, 2, 3))), ag.Tensor(np.ones((3, 4)))).shape
    (5, 2, 4)
    >>> ag.matmul(ag.Tensor([1.0, 2.0]), ag.Tensor([3.0, 4.0])).item()
    11.0
    """
    return MatMul.apply2(x, y)


def neg(x):
    """``-x``.

    >>> import autograd as ag
    >>> ag.neg(ag.Tensor([1.0, -2.0]))
    Tensor([-1.,  2.])
    """
    return Neg.apply1(x)


def abs(x):
    """``|x|``; the gradient is ``g * sign(x)`` (0 at 0).

    >>> import autograd as ag
    >>> ag.abs(ag.Tensor([-1.5, 2.0]))
    Tensor([1.5, 2. ])
    """
    return Abs.apply1(x)


def exp(x):
    """``e ** x``; backward reuses the output: ``g * exp(x)``.

    >>> import autograd as ag
    >>> round(ag.exp(ag.Tensor(1.0)).item(), 4)
    2.7183
    """
    return Exp.apply1(x)


def log(x):
    """Natural logarithm; the gradient is ``g / x``.

    >>> import numpy as np, autograd as ag
    >>> ag.log(ag.Tensor(np.e)).item()
    1.0
    """
    return Log.apply1(x)


def sqrt(x):
    """Square root; the gradient is ``g / (2 sqrt(x))``.

    >>> import autograd as ag
    >>> ag.sqrt(ag.Tensor([4.0, 9.0]))
    Tensor([2., 3.])
    """
    return Sqrt.apply1(x)


def sin(x):
    """Sine; the gradient is ``g * cos(x)``.

    >>> import autograd as ag
    >>> ag.sin(ag.Tensor(0.0)).item()
    0.0
    """
    return Sin.apply1(x)


def cos(x):
    """Cosine; the gradient is ``-g * sin(x)``.

    >>> import autograd as ag
    >>> ag.cos(ag.Tensor(0.0)).item()
    1.0
    """
    return Cos.apply1(x)


def tanh(x):
    """Hyperbolic tangent; the notes' derivative ``1 - a**2``.

    >>> import autograd as ag
    >>> x = ag.Tensor(0.0, requires_grad=True)
    >>> ag.tanh(x).backward(); x.grad.item()
    1.0
    """
    return Tanh.apply1(x)


def sigmoid(x):
    """``1 / (1 + e**-x)``, computed without overflow; the notes' derivative ``s (1 - s)``.

    >>> import autograd as ag
    >>> ag.sigmoid(ag.Tensor([-1000.0, 0.0, 1000.0]))
    Tensor([0. , 0.5, 1. ])
    """
    return Sigmoid.apply1(x)


def relu(x):
    """``max(x, 0)``; the gradient passes where ``x > 0``.

    >>> import autograd as ag
    >>> ag.relu(ag.Tensor([-1.0, 2.0]))
    Tensor([0., 2.])
    """
    return Relu.apply1(x)


def clone(x):
    """A copy of ``x`` that stays in the graph (the gradient passes through).

    >>> import autograd as ag
    >>> x = ag.Tensor([1.0]); y = ag.clone(x)
    >>> y.data is x.data, y.tolist()
    (False, [1.0])
    """
    return Clone.apply1(x)


def maximum(x, y):
    """Elementwise maximum, broadcasting; on ties each input gets half the gradient.

    >>> import autograd as ag
    >>> ag.maximum(ag.Tensor([1.0, 5.0]), 3.0)
    Tensor([3., 5.])
    """
    return Maximum.apply2(x, y)


def minimum(x, y):
    """Elementwise minimum, broadcasting; on ties each input gets half the gradient.

    >>> import autograd as ag
    >>> ag.minimum(ag.Tensor([1.0, 5.0]), 3.0)
    Tensor([1., 3.])
    """
    return Minimum.apply2(x, y)


def leaky_relu(x, negative_slope=0.01):
    """``x`` where positive, ``negative_slope * x`` elsewhere (the notes' slope is 0.01).

    >>> import autograd as ag
    >>> ag.leaky_relu(ag.Tensor([-2.0, 3.0]))
    Tensor([-0.02,  3.  ])
    """
    return LeakyRelu.apply(x, negative_slope=negative_slope)


def clip(x, lo=None, hi=None):
    """Limit values to ``[lo, hi]``; the gradient passes only inside the range.

    >>> import autograd as ag
    >>> ag.clip(ag.Tensor([-2.0, 0.5, 3.0]), -1.0, 1.0)
    Tensor([-1. ,  0.5,  1. ])
    """
    return Clip.apply(x, lo=lo, hi=hi)


def where(cond, x, y):
    """``x`` where ``cond`` is true, else ``y`` (``cond`` gets no gradient).

    >>> import autograd as ag
    >>> x = ag.Tensor([-1.0, 2.0])
    >>> ag.where(x > 0, x, 0.0)
    Tensor([0., 2.])
    """
    return Where.apply(cond, x, y)


def astype(x, dtype):
    """Cast to ``dtype``; an integer or bool result is a constant (no gradient), as in PyTorch.

    >>> import autograd as ag
    >>> ag.astype(ag.Tensor([1.5]), "float64").dtype
    dtype('float64')
    """
    dtype = np.dtype(dtype)
    if dtype.kind not in "fc":
        a = x.data if isinstance(x, Tensor) else np.asarray(x)
        return _wrap(a.astype(dtype), None, False)
    return AsType.apply(x, dtype=dtype)


def sum(x, axis=None, keepdims=False):
    """Sum over ``axis`` (an int, a tuple, or None for all), NumPy's ``keepdims``.

    >>> import numpy as np, autograd as ag
    >>> x = ag.Tensor(np.ones((2, 3)))
    >>> ag.sum(x).item(), ag.sum(x, axis=0).shape, ag.sum(x, axis=1, keepdims=True).shape
    (6.0, (3,), (2, 1))
    """
    return Sum.apply(x, axis=axis, keepdims=keepdims)


def max(x, axis=None, keepdims=False):
    """Largest value over ``axis``; the gradient goes to the max (shared on ties).

    >>> import autograd as ag
    >>> x = ag.Tensor([[1.0, 5.0], [7.0, 2.0]], requires_grad=True)
    >>> ag.max(x, axis=1).backward(ag.Tensor([1.0, 1.0])); x.grad
    Tensor([[0., 1.],
            [1., 0.]])
    """
    return Max.apply(x, axis=axis, keepdims=keepdims)


def min(x, axis=None, keepdims=False):
    """Smallest value over ``axis``; the gradient goes to the min (shared on ties).

    >>> import autograd as ag
    >>> ag.min(ag.Tensor([[1.0, 5.0], [7.0, 2.0]]), axis=0)
    Tensor([1., 2.])
    """
    return Min.apply(x, axis=axis, keepdims=keepdims)


def logsumexp(x, axis=None, keepdims=False):
    """``log(sum(exp(x)))`` computed without overflow (max subtracted first).

    >>> import numpy as np, autograd as ag
    >>> x = ag.Tensor(np.array([1000.0, 1000.0]))       # float64
    >>> round(ag.logsumexp(x).item(), 4)                # 1000 + log 2, no overflow
    1000.6931
    """
    return LogSumExp.apply(x, axis=axis, keepdims=keepdims)


def log_softmax(x, axis=-1):
    """``x - logsumexp(x)`` along ``axis``, stable for any input.

    >>> import autograd as ag
    >>> ag.log_softmax(ag.Tensor([-1000.0, 0.0, 1000.0]))
    Tensor([-2000., -1000.,     0.])
    """
    return LogSoftmax.apply(x, axis=axis)


def argmax(x, axis=None, keepdims=False):
    """Index of the largest value (flat, or along ``axis``): an int64 tensor, no gradient.

    >>> import autograd as ag
    >>> ag.argmax(ag.Tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]]), axis=1)
    Tensor([1, 0], dtype=int64)
    """
    a = x.data if isinstance(x, Tensor) else np.asarray(x)
    return _wrap(np.asarray(np.argmax(a, axis=axis, keepdims=keepdims)), None, False)


def argmin(x, axis=None, keepdims=False):
    """Index of the smallest value (flat, or along ``axis``): an int64 tensor, no gradient.

    >>> import autograd as ag
    >>> ag.argmin(ag.Tensor([3.0, -1.0, 2.0])).item()
    1
    """
    a = x.data if isinstance(x, Tensor) else np.asarray(x)
    return _wrap(np.asarray(np.argmin(a, axis=axis, keepdims=keepdims)), None, False)


def _scatter_tensor(g, shape, index):
    return Scatter.apply(g, shape=shape, index=index)


_xp.numpy_ns.scatter = scatter_array
_xp.tensor_ns.__dict__.update(
    exp=exp, log=log, sin=sin, cos=cos, sqrt=sqrt, where=where, broadcast_to=broadcast_to,
    scatter=_scatter_tensor)
