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

add = Add.apply
sub = Sub.apply
mul = Mul.apply
div = Div.apply
pow = Pow.apply
matmul = MatMul.apply
neg = Neg.apply
abs = Abs.apply
exp = Exp.apply
log = Log.apply
sqrt = Sqrt.apply
sin = Sin.apply
cos = Cos.apply
tanh = Tanh.apply
sigmoid = Sigmoid.apply
relu = Relu.apply
clone = Clone.apply
maximum = Maximum.apply
minimum = Minimum.apply


def leaky_relu(x, negative_slope=0.01):
    """``x`` where positive, ``negative_slope * x`` elsewhere (the notes' slope is 0.01)."""
    return LeakyRelu.apply(x, negative_slope=negative_slope)


def clip(x, lo=None, hi=None):
    """Limit values to ``[lo, hi]``; the gradient passes only inside the range."""
    return Clip.apply(x, lo=lo, hi=hi)


def where(cond, x, y):
    """``x`` where ``cond`` is true, else ``y`` (``cond`` gets no gradient)."""
    return Where.apply(cond, x, y)


def astype(x, dtype):
    """Cast to ``dtype``; an integer or bool result is a constant (no gradient), as in PyTorch."""
    dtype = np.dtype(dtype)
    if dtype.kind not in "fc":
        a = x.data if isinstance(x, Tensor) else np.asarray(x)
        return _wrap(a.astype(dtype), None, False)
    return AsType.apply(x, dtype=dtype)


def sum(x, axis=None, keepdims=False):
    return Sum.apply(x, axis=axis, keepdims=keepdims)


def max(x, axis=None, keepdims=False):
    return Max.apply(x, axis=axis, keepdims=keepdims)


def min(x, axis=None, keepdims=False):
    return Min.apply(x, axis=axis, keepdims=keepdims)


def logsumexp(x, axis=None, keepdims=False):
    """``log(sum(exp(x)))`` computed without overflow (max subtracted first)."""
    return LogSumExp.apply(x, axis=axis, keepdims=keepdims)


def log_softmax(x, axis=-1):
    """``x - logsumexp(x)`` along ``axis``, stable for any input."""
    return LogSoftmax.apply(x, axis=axis)


def argmax(x, axis=None, keepdims=False):
    a = x.data if isinstance(x, Tensor) else np.asarray(x)
    return _wrap(np.asarray(np.argmax(a, axis=axis, keepdims=keepdims)), None, False)


def argmin(x, axis=None, keepdims=False):
    a = x.data if isinstance(x, Tensor) else np.asarray(x)
    return _wrap(np.asarray(np.argmin(a, axis=axis, keepdims=keepdims)), None, False)


def _scatter_tensor(g, shape, index):
    return Scatter.apply(g, shape=shape, index=index)


_xp.numpy_ns.scatter = scatter_array
_xp.tensor_ns.__dict__.update(
    exp=exp, log=log, sin=sin, cos=cos, sqrt=sqrt, where=where, broadcast_to=broadcast_to,
    scatter=_scatter_tensor)
