"""Rounding, signs and remainders: floor, ceil, round, trunc, sign, frac, fmod,
remainder (``%``), floor_divide (``//``), copysign, nan_to_num.

The piecewise-constant ones (floor, ceil, round, trunc, sign, floor_divide) have a
zero gradient, as in PyTorch (it is the derivative everywhere but at the jumps).
Integer inputs follow NumPy's result dtypes.
"""
import numpy as np

from .registry import op
from ..function import Op
from .xp import array_module, const_like, data


def _zeros(g):
    """A zero gradient shaped like ``g``: a constant, as PyTorch's ``zeros_like(grad)``."""
    arr = data(g)
    return const_like(g, array_module(arr).zeros_like(arr))


class Floor(Op):
    """d floor(x) = 0"""
    fn = np.floor

    def forward(ctx, x, **params):
        return type(ctx).fn(x, **params)

    def backward(ctx, g):
        return _zeros(g)


class Ceil(Floor):
    """d ceil(x) = 0"""
    fn = np.ceil


class Trunc(Floor):
    """d trunc(x) = 0"""
    fn = np.trunc


class Sign(Floor):
    """d sign(x) = 0"""
    fn = np.sign


class Round(Floor):
    """d round(x, decimals) = 0"""
    fn = np.round


class Frac(Op):
    """d (x - trunc(x)) = g"""

    def forward(ctx, x):
        return x - np.trunc(x)

    def backward(ctx, g):
        return g


class FloorDivide(Op):
    """d floor(x / y) = (0, 0)"""
    broadcasting = True

    def forward(ctx, x, y):
        return np.floor_divide(x, y)

    def backward(ctx, g):
        nx, ny = ctx.needs_input_grad
        return (_zeros(g) if nx else None), (_zeros(g) if ny else None)


class Fmod(Op):
    """d fmod(x, y) = (g, -g trunc(x / y)): x - trunc(x / y) y with the quotient held"""
    broadcasting = True
    fn, quotient = np.fmod, staticmethod(lambda x, y: np.trunc(np.divide(x, y)))

    def forward(ctx, x, y):
        if ctx.needs_input_grad[1]:
            ctx.save_for_backward(type(ctx).quotient(x, y))
        return type(ctx).fn(x, y)

    def backward(ctx, g):
        nx, ny = ctx.needs_input_grad
        return (g if nx else None), (-g * ctx.saved_tensors[0] if ny else None)


class Remainder(Fmod):
    """d remainder(x, y) = (g, -g floor(x / y)): x - floor(x / y) y with the quotient held"""
    fn, quotient = np.remainder, staticmethod(np.floor_divide)


class Copysign(Op):
    """d copysign(x, y) = (g where x and the result agree in sign, -g where they do not,
    0 at x = 0; 0 for y), as PyTorch"""
    broadcasting = True

    def forward(ctx, x, y):
        out = np.copysign(x, y)
        if ctx.needs_input_grad[0]:
            flip = np.where(np.signbit(x) == np.signbit(out), 1, -1) * (x != 0)
            ctx.save_for_backward(flip.astype(out.dtype, copy=False))
        return out

    def backward(ctx, g):
        nx, ny = ctx.needs_input_grad
        return (g * ctx.saved_tensors[0] if nx else None), (_zeros(g) if ny else None)


class NanToNum(Op):
    """d nan_to_num(x) = g where x is finite, 0 where it was replaced"""

    def forward(ctx, x, nan=0.0, posinf=None, neginf=None):
        ctx.save_for_backward(np.isfinite(x))
        return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)

    def backward(ctx, g):
        (finite,) = ctx.saved_tensors
        return g * finite


# -- public functions ----------------------------------------------------------


@op("elementwise")
def floor(x):
    """The largest integer ``<= x`` (integer inputs as NumPy); the gradient is 0.

    >>> import autograd as ag
    >>> ag.floor(ag.Tensor([-1.5, 1.5]))
    Tensor([-2.,  1.])
    """
    return Floor.apply1(x)


@op("elementwise")
def ceil(x):
    """The smallest integer ``>= x``; the gradient is 0.

    >>> import autograd as ag
    >>> ag.ceil(ag.Tensor([-1.5, 1.5]))
    Tensor([-1.,  2.])
    """
    return Ceil.apply1(x)


@op("elementwise")
def trunc(x):
    """``x`` rounded toward 0; the gradient is 0.

    >>> import autograd as ag
    >>> ag.trunc(ag.Tensor([-1.5, 1.5]))
    Tensor([-1.,  1.])
    """
    return Trunc.apply1(x)


@op("elementwise")
def round(x, decimals: int = 0):
    """``x`` rounded to ``decimals`` places, halves to even (NumPy's and PyTorch's rule);
    the gradient is 0.

    >>> import autograd as ag
    >>> ag.round(ag.Tensor([0.5, 1.5, 2.5, -0.7]))
    Tensor([ 0.,  2.,  2., -1.])
    >>> ag.round(ag.Tensor([1.234, 5.678]), decimals=1)
    Tensor([1.2, 5.7])
    """
    if decimals != int(decimals):
        raise TypeError(f"round: decimals must be an integer, got {decimals!r}")
    if decimals == 0:
        return Round.apply1(x)
    return Round.apply(x, decimals=int(decimals))


@op("elementwise")
def sign(x):
    """-1, 0 or 1 by the sign of ``x`` (NaN stays NaN); the gradient is 0.

    >>> import autograd as ag
    >>> ag.sign(ag.Tensor([-2.0, 0.0, 3.0]))
    Tensor([-1.,  0.,  1.])
    """
    return Sign.apply1(x)


@op("elementwise")
def frac(x):
    """The fractional part ``x - trunc(x)`` (with the sign of ``x``); the gradient is ``g``.

    >>> import autograd as ag
    >>> ag.frac(ag.Tensor([-1.25, 2.5]))
    Tensor([-0.25,  0.5 ])
    """
    return Frac.apply1(x)


@op("elementwise")
def fmod(x, y):
    """C's remainder ``x - trunc(x / y) * y``: the sign of ``x``, broadcasting; the
    gradients are ``g`` and ``-g trunc(x / y)``.

    >>> import autograd as ag
    >>> ag.fmod(ag.Tensor([-5.0, 5.0]), 3.0)
    Tensor([-2.,  2.])
    """
    return Fmod.apply2(x, y)


@op("elementwise")
def remainder(x, y):
    """Python's ``x % y``, ``x - floor(x / y) * y``: the sign of ``y``, broadcasting; the
    gradients are ``g`` and ``-g floor(x / y)``. ``t % y`` calls it.

    >>> import autograd as ag
    >>> ag.remainder(ag.Tensor([-5.0, 5.0]), 3.0)
    Tensor([1., 2.])
    """
    return Remainder.apply2(x, y)


@op("elementwise")
def floor_divide(x, y):
    """``floor(x / y)`` as NumPy computes it, broadcasting; ``t // y`` calls it. The
    gradient is 0 for both inputs (PyTorch's ``div(..., rounding_mode='floor')``).

    >>> import autograd as ag
    >>> ag.floor_divide(ag.Tensor([-5.0, 5.0]), 3.0)
    Tensor([-2.,  1.])
    """
    return FloorDivide.apply2(x, y)


@op("elementwise")
def copysign(x, y):
    """``|x|`` with the sign of ``y`` (signed zeros count), broadcasting; the gradient is
    ``g`` or ``-g`` for ``x`` (0 at ``x = 0``) and 0 for ``y``, as PyTorch.

    >>> import autograd as ag
    >>> ag.copysign(ag.Tensor([1.0, -2.0, 3.0]), ag.Tensor([-1.0, 1.0, -0.0]))
    Tensor([-1.,  2., -3.])
    """
    return Copysign.apply2(x, y)


@op("elementwise")
def nan_to_num(x, nan: float = 0.0, posinf=None, neginf=None):
    """NaN replaced by ``nan``, infinities by ``posinf``/``neginf`` (default: the dtype's
    largest and smallest values); the gradient passes where ``x`` was finite.

    >>> import numpy as np, autograd as ag
    >>> ag.nan_to_num(ag.Tensor([np.nan, 1.0, np.inf]), posinf=9.0)
    Tensor([0., 1., 9.])
    """
    return NanToNum.apply(x, nan=nan, posinf=posinf, neginf=neginf)
