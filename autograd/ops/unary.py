"""Unary math primitives (exp, log, sqrt, sin, cos, tanh) and their functions."""
import numpy as np

from ..function import Op
from .registry import op
from .xp import xp



class Exp(Op):
    """d exp(x) = g * exp(x)"""

    def forward(ctx, x):
        out = np.exp(x)
        ctx.save_for_backward(out)
        return out

    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * out


class Log(Op):
    """d log(x) = g / x"""

    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.log(x)

    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g / x


class Sqrt(Op):
    """d sqrt(x) = g / (2 sqrt(x))"""

    def forward(ctx, x):
        out = np.sqrt(x)
        ctx.save_for_backward(out)
        return out

    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g / (2 * out)


class Sin(Op):
    """d sin(x) = g * cos(x)"""

    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(x)

    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * xp(g).cos(x)


class Cos(Op):
    """d cos(x) = -g * sin(x)"""

    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.cos(x)

    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return -g * xp(g).sin(x)


class Tanh(Op):
    """d tanh(x) = g * (1 - tanh(x)**2)"""

    def forward(ctx, x):
        out = np.tanh(x)
        ctx.save_for_backward(out)
        return out

    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * (1 - out * out)



# -- public functions ----------------------------------------------------------


@op("elementwise")
def exp(x):
    """``e ** x``; backward reuses the output: ``g * exp(x)``.

    >>> import autograd as ag
    >>> round(ag.exp(ag.Tensor(1.0)).item(), 4)
    2.7183
    """
    return Exp.apply1(x)


@op("elementwise")
def log(x):
    """Natural logarithm; the gradient is ``g / x``.

    >>> import numpy as np, autograd as ag
    >>> ag.log(ag.Tensor(np.e)).item()
    1.0
    """
    return Log.apply1(x)


@op("elementwise")
def sqrt(x):
    """Square root; the gradient is ``g / (2 sqrt(x))``.

    >>> import autograd as ag
    >>> ag.sqrt(ag.Tensor([4.0, 9.0]))
    Tensor([2., 3.])
    """
    return Sqrt.apply1(x)


@op("elementwise")
def sin(x):
    """Sine; the gradient is ``g * cos(x)``.

    >>> import autograd as ag
    >>> ag.sin(ag.Tensor(0.0)).item()
    0.0
    """
    return Sin.apply1(x)


@op("elementwise")
def cos(x):
    """Cosine; the gradient is ``-g * sin(x)``.

    >>> import autograd as ag
    >>> ag.cos(ag.Tensor(0.0)).item()
    1.0
    """
    return Cos.apply1(x)


@op("elementwise")
def tanh(x):
    """Hyperbolic tangent; the notes' derivative ``1 - a**2``.

    >>> import autograd as ag
    >>> x = ag.Tensor(0.0, requires_grad=True)
    >>> ag.tanh(x).backward(); x.grad.item()
    1.0
    """
    return Tanh.apply1(x)
