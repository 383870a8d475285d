"""Smooth activations: gelu, silu, mish, softplus, logsigmoid, the elu family (elu,
selu, celu), softsign, softmin and glu.

Most are compositions (double backward for free). Two are primitives for
stability: ``softplus`` (``log(1 + e**x)`` overflows; the stable
``max(x, 0) + log1p(e**-|x|)`` composed would take the kinks' one-sided slopes at
0, where the gradient is 1/2) and the elu family (``expm1`` of a large positive x,
in the branch ``where`` drops, would send ``0 * inf`` into the gradient). Both
write their backward with Tensor-compatible ops, so they have second derivatives.
"""
import math

import numpy as np

from ..function import Op
from .activation import sigmoid, sigmoid_any, sigmoid_array
from .elementwise import abs as _abs
from .registry import op
from .unary import tanh
from .xp import array_module, data

_SQRT_HALF = math.sqrt(0.5)
_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


class Softplus(Op):
    """d softplus(x) = g sigmoid(beta x) where beta x <= threshold, g above (linear there);
    at beta x == threshold exactly, PyTorch's second derivative is 0: a constant there"""
    op_name = "softplus"

    def forward(ctx, x, beta=1.0, threshold=20.0):
        xm = array_module(x)
        bx = x * beta
        # log(1 + e**bx) = max(bx, 0) + log1p(e**-|bx|): no overflow for any x
        soft = (np.maximum(bx, 0) + np.log1p(np.exp(-np.abs(bx)))) / beta
        linear = bx > threshold
        at = bx == threshold
        ctx.beta = beta
        ctx.save_for_backward(x, xm.asarray(bx < threshold, dtype=x.dtype),
                              xm.asarray(linear, dtype=x.dtype) + at * sigmoid_array(bx))
        return xm.asarray(np.where(linear, x, soft), dtype=x.dtype)

    def backward(ctx, g):
        x, curved, flat = ctx.saved_tensors
        return g * (sigmoid_any(x * ctx.beta) * curved + flat)


class Elu(Op):
    """d elu(x) = g scale where x > 0, g input_scale (out + scale alpha) where x < 0
    (``scale alpha input_scale e**(input_scale x)``, from the output), and that constant
    at 0 (PyTorch's first and second derivatives there)"""
    op_name = "elu"

    def forward(ctx, x, alpha=1.0, scale=1.0, input_scale=1.0):
        xm = array_module(x)
        pos = x > 0
        # expm1 of min(x, 0) only: the positive branch is never exponentiated
        neg = (scale * alpha) * np.expm1(np.minimum(x, 0) * input_scale)
        out = xm.asarray(np.where(pos, scale * x, neg), dtype=x.dtype)
        ctx.scale, ctx.alpha, ctx.input_scale = scale, alpha, input_scale
        flat = pos * scale + (x == 0) * (scale * alpha * input_scale)
        ctx.save_for_backward(out, xm.asarray(flat, dtype=x.dtype),
                              xm.asarray(x < 0, dtype=x.dtype))
        return out

    def backward(ctx, g):
        out, flat, neg = ctx.saved_tensors
        s, a, i = ctx.scale, ctx.alpha, ctx.input_scale
        return g * (flat + neg * (i * (out + s * a)))


# -- public functions ----------------------------------------------------------


@op("activation", method=False)
def gelu(x, approximate="none"):
    """``x * Phi(x)`` with Phi the normal CDF, ``x/2 (1 + erf(x / sqrt 2))``; with
    ``approximate='tanh'``, ``x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x**3)))``.

    >>> import autograd as ag
    >>> [round(v, 6) for v in ag.gelu(ag.Tensor([-1.0, 0.0, 1.0])).tolist()]
    [-0.158655, 0.0, 0.841345]
    """
    if approximate == "none":
        from .special import erf   # the elementwise family's erf (accurate, no SciPy)
        return 0.5 * x * (1 + erf(x * _SQRT_HALF))
    if approximate == "tanh":
        return 0.5 * x * (1 + tanh(_SQRT_2_OVER_PI * (x + 0.044715 * (x * x * x))))
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


@op("activation", method=False)
def silu(x):
    """``x * sigmoid(x)`` (swish).

    >>> import autograd as ag
    >>> [round(v, 4) for v in ag.silu(ag.Tensor([-1e4, 0.0, 2.0])).tolist()]
    [-0.0, 0.0, 1.7616]
    """
    return x * sigmoid(x)


@op("activation", method=False)
def softplus(x, beta=1.0, threshold=20.0):
    """``log(1 + e**(beta x)) / beta``, linear (``x``) where ``beta x > threshold``; stable
    for any x, gradient ``sigmoid(beta x)``.

    >>> import autograd as ag
    >>> ag.softplus(ag.Tensor([-1e4, 0.0, 1e4], dtype="float64")).tolist()
    [0.0, 0.6931471805599453, 10000.0]
    """
    if beta == 0:
        raise ValueError("softplus: beta must not be 0")
    return Softplus.apply(x, beta=beta, threshold=threshold)


@op("activation", method=False)
def logsigmoid(x):
    """``log(sigmoid(x)) = -softplus(-x)``, stable for any x; gradient ``sigmoid(-x)``.

    >>> import autograd as ag
    >>> ag.logsigmoid(ag.Tensor([-1e4, 0.0, 1e4], dtype="float64")).tolist()
    [-10000.0, -0.6931471805599453, -0.0]
    """
    return -Softplus.apply(-x, beta=1.0, threshold=math.inf)


@op("activation", method=False)
def mish(x):
    """``x * tanh(softplus(x))``, finite for any x.

    >>> import autograd as ag
    >>> ag.mish(ag.Tensor([-1e4, 0.0, 1e4])).tolist()
    [-0.0, 0.0, 10000.0]
    """
    return x * tanh(Softplus.apply(x, beta=1.0, threshold=math.inf))


@op("activation", method=False)
def elu(x, alpha=1.0):
    """``x`` where positive, ``alpha (e**x - 1)`` elsewhere (gradient ``alpha`` at 0, as
    PyTorch).

    >>> import autograd as ag
    >>> ag.elu(ag.Tensor([-1e4, 0.0, 2.0]))
    Tensor([-1.,  0.,  2.])
    """
    return Elu.apply(x, alpha=alpha)


@op("activation")
def selu(x):
    """``scale * elu(x, alpha)`` with the self-normalising constants ``alpha = 1.6733``,
    ``scale = 1.0507``.

    >>> import autograd as ag
    >>> ag.selu(ag.Tensor([-1e4, 0.0, 1.0], dtype="float64")).tolist()
    [-1.7580993408473766, 0.0, 1.0507009873554805]
    """
    return Elu.apply(x, alpha=_SELU_ALPHA, scale=_SELU_SCALE)


@op("activation")
def celu(x, alpha=1.0):
    """``max(0, x) + min(0, alpha (e**(x / alpha) - 1))``: continuously differentiable
    for every ``alpha != 0``.

    >>> import autograd as ag
    >>> ag.celu(ag.Tensor([-1e4, 0.0, 2.0]), alpha=2.0)
    Tensor([-2.,  0.,  2.])
    """
    if alpha == 0:
        raise ValueError("celu: alpha must not be 0 (it divides x)")
    return Elu.apply(x, alpha=alpha, input_scale=1.0 / alpha)


@op("activation", method=False)
def softsign(x):
    """``x / (1 + |x|)``, in (-1, 1).

    >>> import autograd as ag
    >>> ag.softsign(ag.Tensor([-3.0, 0.0, 1.0]))
    Tensor([-0.75,  0.  ,  0.5 ])
    """
    return x / (1 + _abs(x))


@op("activation", method=False, spellings=True)
def softmin(x, axis=-1):
    """``softmax(-x)`` along ``axis`` (``dim``): the smallest value gets the most weight.

    >>> import autograd as ag
    >>> ag.softmin(ag.Tensor([[0.0, 1e4], [1.0, 1.0]]), dim=1)
    Tensor([[1. , 0. ],
            [0.5, 0.5]])
    """
    from .reduce import softmax
    return softmax(-x, axis=axis)


@op("activation", method=False, spellings=True)
def glu(x, axis=-1):
    """Gated linear unit: ``a * sigmoid(b)``, ``a`` and ``b`` the two halves of ``x``
    along ``axis`` (``dim``), whose size must be even.

    >>> import autograd as ag
    >>> ag.glu(ag.Tensor([[2.0, 4.0, 0.0, 1e4]]))
    Tensor([[1., 4.]])
    """
    shape = np.shape(data(x))
    if not shape:
        raise ValueError("glu: needs at least one dim, got a 0-d tensor")
    if not -len(shape) <= axis < len(shape):
        raise ValueError(f"glu: dim {axis} is out of range for a tensor of shape {shape}")
    n = shape[axis]
    if n % 2:
        raise ValueError(f"glu: halving dim {axis} needs an even size, got {n} "
                         f"(input of shape {shape})")
    lead = (slice(None),) * (axis % len(shape))
    return x[lead + (slice(0, n // 2),)] * sigmoid(x[lead + (slice(n // 2, n),)])
