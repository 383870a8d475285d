"""Trigonometric and hyperbolic primitives and their functions: tan, asin, acos, atan,
atan2, hypot, sinh, cosh, asinh, acosh, atanh (with NumPy's ``arc...`` names as aliases,
which PyTorch also has)."""
import numpy as np

from .registry import op
from ..function import Op
from . import xp as _xp
from .xp import data, xp


class Tan(Op):
    """d tan(x) = g (1 + tan(x)**2)"""

    def forward(ctx, x):
        out = np.tan(x)
        ctx.save_for_backward(out)
        return out

    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * (1 + out * out)


class Asin(Op):
    """d asin(x) = g / sqrt(1 - x**2)"""
    sign = 1
    fn = np.arcsin

    def forward(ctx, x):
        ctx.save_for_backward(x)
        return type(ctx).fn(x)

    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return type(ctx).sign * g / xp(g).sqrt(1 - x * x)


class Acos(Asin):
    """d acos(x) = -g / sqrt(1 - x**2)"""
    sign = -1
    fn = np.arccos


class Atan(Op):
    """d atan(x) = g / (1 + x**2)"""

    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.arctan(x)

    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g / (1 + x * x)


class Atan2(Op):
    """d atan2(y, x) = (g x, -g y) / (x**2 + y**2), 0 at y = x = 0 as PyTorch"""
    broadcasting = True

    def forward(ctx, y, x):
        ctx.save_for_backward(y, x)
        return np.arctan2(y, x)

    def backward(ctx, g):
        y, x = ctx.saved_tensors
        ny, nx = ctx.needs_input_grad
        r2 = x * x + y * y
        inv = 1 / xp(g).where(data(r2) == 0, np.inf, r2)  # 0 where the angle is undefined
        return (g * x * inv if ny else None), (-g * y * inv if nx else None)


class Hypot(Op):
    """d hypot(x, y) = (g x, g y) / hypot(x, y)"""
    broadcasting = True

    def forward(ctx, x, y):
        out = np.hypot(x, y)
        ctx.save_for_backward(x, y, out)
        return out

    def backward(ctx, g):
        x, y, out = ctx.saved_tensors
        nx, ny = ctx.needs_input_grad
        g = g / out
        return (g * x if nx else None), (g * y if ny else None)


class Sinh(Op):
    """d sinh(x) = g cosh(x)"""

    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sinh(x)

    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * xp(g).cosh(x)


class Cosh(Op):
    """d cosh(x) = g sinh(x)"""

    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.cosh(x)

    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * xp(g).sinh(x)


class Asinh(Op):
    """d asinh(x) = g / sqrt(x**2 + 1); acosh: g / sqrt(x**2 - 1)"""
    shift = 1
    fn = np.arcsinh

    def forward(ctx, x):
        ctx.save_for_backward(x)
        return type(ctx).fn(x)

    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g / xp(g).sqrt(x * x + type(ctx).shift)


class Acosh(Asinh):
    """d acosh(x) = g / sqrt(x**2 - 1)"""
    shift = -1
    fn = np.arccosh


class Atanh(Op):
    """d atanh(x) = g / (1 - x**2)"""

    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.arctanh(x)

    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g / (1 - x * x)


# -- public functions ----------------------------------------------------------


@op("elementwise")
def tan(x):
    """Tangent; the gradient is ``g (1 + tan(x)**2)``.

    >>> import autograd as ag
    >>> ag.tan(ag.Tensor(0.0)).item()
    0.0
    """
    return Tan.apply1(x)


@op("elementwise", aliases=("arcsin",))
def asin(x):
    """Inverse sine on ``[-1, 1]``; the gradient is ``g / sqrt(1 - x**2)``.

    >>> import autograd as ag
    >>> ag.asin(ag.Tensor([0.0, 1.0]))
    Tensor([0.      , 1.570796])
    """
    return Asin.apply1(x)


@op("elementwise", aliases=("arccos",))
def acos(x):
    """Inverse cosine on ``[-1, 1]``; the gradient is ``-g / sqrt(1 - x**2)``.

    >>> import autograd as ag
    >>> ag.acos(ag.Tensor([1.0, 0.0]))
    Tensor([0.      , 1.570796])
    """
    return Acos.apply1(x)


@op("elementwise", aliases=("arctan",))
def atan(x):
    """Inverse tangent; the gradient is ``g / (1 + x**2)``.

    >>> import autograd as ag
    >>> ag.atan(ag.Tensor([0.0, 1.0]))
    Tensor([0.      , 0.785398])
    """
    return Atan.apply1(x)


@op("elementwise", aliases=("arctan2",))
def atan2(y, x):
    """The angle of the point ``(x, y)``, in ``(-pi, pi]``, broadcasting; the gradients are
    ``g x / (x**2 + y**2)`` and ``-g y / (x**2 + y**2)`` (0 at the origin, as PyTorch).

    >>> import autograd as ag
    >>> ag.atan2(ag.Tensor([1.0, -1.0]), ag.Tensor([0.0, -1.0]))
    Tensor([ 1.570796, -2.356194])
    """
    return Atan2.apply2(y, x)


@op("elementwise")
def hypot(x, y):
    """``sqrt(x**2 + y**2)`` without overflow, broadcasting; the gradients are
    ``g x / hypot`` and ``g y / hypot``.

    >>> import autograd as ag
    >>> ag.hypot(ag.Tensor([3.0, 1e200], dtype="float64"), ag.Tensor([4.0, 1e200], dtype="float64"))
    Tensor([5.000000e+000, 1.414214e+200], dtype=float64)
    """
    return Hypot.apply2(x, y)


@op("elementwise")
def sinh(x):
    """Hyperbolic sine; the gradient is ``g cosh(x)``.

    >>> import autograd as ag
    >>> ag.sinh(ag.Tensor(0.0)).item()
    0.0
    """
    return Sinh.apply1(x)


@op("elementwise")
def cosh(x):
    """Hyperbolic cosine; the gradient is ``g sinh(x)``.

    >>> import autograd as ag
    >>> ag.cosh(ag.Tensor(0.0)).item()
    1.0
    """
    return Cosh.apply1(x)


@op("elementwise", aliases=("arcsinh",))
def asinh(x):
    """Inverse hyperbolic sine; the gradient is ``g / sqrt(x**2 + 1)``.

    >>> import autograd as ag
    >>> ag.asinh(ag.Tensor(0.0)).item()
    0.0
    """
    return Asinh.apply1(x)


@op("elementwise", aliases=("arccosh",))
def acosh(x):
    """Inverse hyperbolic cosine on ``[1, inf)``; the gradient is ``g / sqrt(x**2 - 1)``.

    >>> import autograd as ag
    >>> ag.acosh(ag.Tensor(1.0)).item()
    0.0
    """
    return Acosh.apply1(x)


@op("elementwise", aliases=("arctanh",))
def atanh(x):
    """Inverse hyperbolic tangent on ``(-1, 1)``; the gradient is ``g / (1 - x**2)``.

    >>> import autograd as ag
    >>> ag.atanh(ag.Tensor(0.0)).item()
    0.0
    """
    return Atanh.apply1(x)


# the backward formulas above call these on arrays or on Tensors (see xp.py)
_xp.numpy_ns.sinh, _xp.numpy_ns.cosh = np.sinh, np.cosh
_xp.tensor_ns.sinh, _xp.tensor_ns.cosh = sinh, cosh
