"""Unary math primitives and their functions: exp, log, sqrt, sin, cos, tanh, and the
powers and logarithms square, rsqrt, reciprocal, log1p, expm1, log2, log10, exp2."""
import math

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


class Square(Op):
    """d x**2 = 2 g x"""

    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.square(x)

    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 2 * g * x


class Rsqrt(Op):
    """d x**-1/2 = -g out**3 / 2"""

    def forward(ctx, x):
        out = 1 / np.sqrt(x)
        ctx.save_for_backward(out)
        return out

    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return -0.5 * g * out * out * out


class Reciprocal(Op):
    """d 1/x = -g out**2"""

    def forward(ctx, x):
        out = 1 / x
        ctx.save_for_backward(out)
        return out

    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return -g * out * out


class Log1p(Op):
    """d log(1 + x) = g / (1 + x)"""

    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.log1p(x)

    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g / (1 + x)


class Expm1(Op):
    """d (e**x - 1) = g (out + 1)"""

    def forward(ctx, x):
        out = np.expm1(x)
        ctx.save_for_backward(out)
        return out

    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * (out + 1)


class Log2(Op):
    """d log2(x) = g / (x ln 2)"""
    scale = math.log(2)
    fn = np.log2

    def forward(ctx, x):
        ctx.save_for_backward(x)
        return type(ctx).fn(x)

    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g / (x * type(ctx).scale)


class Log10(Log2):
    """d log10(x) = g / (x ln 10)"""
    scale = math.log(10)
    fn = np.log10


class Exp2(Op):
    """d 2**x = g out ln 2"""

    def forward(ctx, x):
        out = np.exp2(x)
        ctx.save_for_backward(out)
        return out

    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * out * math.log(2)



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



@op("elementwise")
def square(x):
    """``x * x``; the gradient is ``2 g x``.

    >>> import autograd as ag
    >>> ag.square(ag.Tensor([-3.0, 0.5]))
    Tensor([9.  , 0.25])
    """
    return Square.apply1(x)


@op("elementwise")
def rsqrt(x):
    """``1 / sqrt(x)``; the gradient is ``-g rsqrt(x)**3 / 2``.

    >>> import autograd as ag
    >>> ag.rsqrt(ag.Tensor([4.0, 0.25]))
    Tensor([0.5, 2. ])
    """
    return Rsqrt.apply1(x)


@op("elementwise")
def reciprocal(x):
    """``1 / x`` (a float result for integer input, as PyTorch); the gradient is ``-g / x**2``.

    >>> import autograd as ag
    >>> ag.reciprocal(ag.Tensor([4.0, -0.5]))
    Tensor([ 0.25, -2.  ])
    """
    return Reciprocal.apply1(x)


@op("elementwise")
def log1p(x):
    """``log(1 + x)``, accurate for tiny ``x``; the gradient is ``g / (1 + x)``.

    >>> import autograd as ag
    >>> ag.log1p(ag.Tensor(1e-10, dtype="float64")).item()
    1e-10
    """
    return Log1p.apply1(x)


@op("elementwise")
def expm1(x):
    """``e**x - 1``, accurate for tiny ``x``; the gradient is ``g e**x``.

    >>> import autograd as ag
    >>> ag.expm1(ag.Tensor(1e-10, dtype="float64")).item()
    1.00000000005e-10
    """
    return Expm1.apply1(x)


@op("elementwise")
def log2(x):
    """Base-2 logarithm; the gradient is ``g / (x ln 2)``.

    >>> import autograd as ag
    >>> ag.log2(ag.Tensor([1.0, 8.0]))
    Tensor([0., 3.])
    """
    return Log2.apply1(x)


@op("elementwise")
def log10(x):
    """Base-10 logarithm; the gradient is ``g / (x ln 10)``.

    >>> import autograd as ag
    >>> ag.log10(ag.Tensor([1.0, 10.0]))
    Tensor([0., 1.])
    """
    return Log10.apply1(x)


@op("elementwise")
def exp2(x):
    """``2 ** x``; the gradient is ``g 2**x ln 2``.

    >>> import autograd as ag
    >>> ag.exp2(ag.Tensor([-1.0, 3.0]))
    Tensor([0.5, 8. ])
    """
    return Exp2.apply1(x)
