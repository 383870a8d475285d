"""Arithmetic primitives and their functions. Binary ones broadcast as NumPy does;
the engine sums each gradient back to its input's shape (``broadcasting = True``)."""
import numpy as np

from ..function import Op
from ..tensor import Tensor, _wrap
from .registry import op
from .xp import array_module, const_like, data, xp



class Add(Op):
    """d(x + y) = (g, g)"""
    broadcasting = True

    def forward(ctx, x, y):
        return x + y

    def backward(ctx, g):
        return g, g


class Sub(Op):
    """d(x - y) = (g, -g)"""
    broadcasting = True

    def forward(ctx, x, y):
        return x - y

    def backward(ctx, g):
        return g, (-g if ctx.needs_input_grad[1] else None)


class Mul(Op):
    """d(x * y) = (g * y, g * x)"""
    broadcasting = True

    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x * y

    def backward(ctx, g):
        x, y = ctx.saved_tensors
        nx, ny = ctx.needs_input_grad
        return (g * y if nx else None), (g * x if ny else None)


class Div(Op):
    """d(x / y) = (g / y, -g * x / y**2)"""
    broadcasting = True

    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x / y

    def backward(ctx, g):
        x, y = ctx.saved_tensors
        nx, ny = ctx.needs_input_grad
        gx = g / y
        return (gx if nx else None), (-gx * x / y if ny else None)


class Pow(Op):
    """d(x ** p) = (g * p * x**(p-1), g * x**p * log(x)), PyTorch's values at x = 0:
    0 for x where p = 0; for p, 0 where p >= 0 and -inf (times g) where p < 0"""
    broadcasting = True

    def forward(ctx, x, p):
        out = np.power(x, p)
        ctx.save_for_backward(x, p, out)
        return out

    def backward(ctx, g):
        x, p, out = ctx.saved_tensors
        nx, np_ = ctx.needs_input_grad
        gx = gp = None
        pd = data(p)
        if nx:
            if not isinstance(pd, np.ndarray):  # a number: no mask
                gx = g * p * x ** (p - 1) if pd != 0 else g * 0
            else:  # x**0 is constant: 0, not 0 * x**-1 (NaN at x = 0)
                with np.errstate(divide="ignore", invalid="ignore"):
                    gx = xp(g).where(pd == 0, 0, g * p * x ** (p - 1))
        if np_:
            xd = data(x)
            pole = (xd == 0) & (pd < 0)  # 0**p = inf there, and its d/dp is -inf
            if not (pole.any() if isinstance(pole, np.ndarray) else pole):
                gp = _exponent_grad(g, x, xd, out)
            else:
                with np.errstate(invalid="ignore"):
                    gp = xp(g).where(pole, -np.inf * g, _exponent_grad(g, x, xd, out))
        return gx, gp


def _exponent_grad(g, x, xd, out):
    """``g x**p log(x)``, with log(x) taken only where it is defined (0 elsewhere)."""
    ns = xp(g)
    return g * out * ns.log(ns.where(const_like(g, xd > 0), x, 1))


def _tie_mask(wins, ties, x, y):
    """1 where x wins, 0.5 on ties, 0 where y wins, in the inputs' float dtype."""
    return (wins + 0.5 * ties).astype(np.result_type(x, y, np.float32), copy=False)


class Maximum(Op):
    """d max(x, y) = g to the larger input (halved on ties)"""
    broadcasting = True
    pick, wins = np.maximum, np.greater

    def forward(ctx, x, y):
        ctx.save_for_backward(_tie_mask(type(ctx).wins(x, y), x == y, x, y))
        return type(ctx).pick(x, y)

    def backward(ctx, g):
        (mask,) = ctx.saved_tensors
        return g * mask, g * (1 - mask)


class Minimum(Maximum):
    """d min(x, y) = g to the smaller input (halved on ties)"""
    pick, wins = np.minimum, np.less


class Where(Op):
    """d where(c, x, y) = (None, g where c, g where not c)"""
    broadcasting = True

    def forward(ctx, cond, x, y):
        cond = np.asarray(cond, dtype=bool)
        ctx.save_for_backward(cond)
        return np.where(cond, x, y)

    def backward(ctx, g):
        (cond,) = ctx.saved_tensors
        ns = xp(g)
        return None, ns.where(cond, g, 0), ns.where(cond, 0, g)


class Neg(Op):
    """d(-x) = -g"""

    def forward(ctx, x):
        return -x

    def backward(ctx, g):
        return -g


class Abs(Op):
    """d|x| = g * sign(x)"""

    def forward(ctx, x):
        ctx.save_for_backward(np.sign(x))
        return np.abs(x)

    def backward(ctx, g):
        (sign,) = ctx.saved_tensors
        return g * sign


class Clip(Op):
    """d clip(x, lo, hi) = g to x where lo <= x <= hi, to lo where x < lo < hi, to hi
    where x > hi or hi < lo (PyTorch's clamp)"""
    broadcasting = True

    def forward(ctx, x, lo, hi):
        nx, nlo, nhi = ctx.needs_input_grad
        above = x >= lo if lo is not None else True  # not below the lower bound
        below = x <= hi if hi is not None else True  # not above the upper bound
        masks = [above & below if nx else None, None, None]
        if nlo:
            masks[1] = ~above & (np.less(lo, hi) if hi is not None else True)
        if nhi:
            masks[2] = ~below | (np.less(hi, lo) if lo is not None else False)
        ctx.save_for_backward(*(m for m in masks if m is not None))
        ctx.which = tuple(m is not None for m in masks)
        return np.clip(x, lo, hi)

    def backward(ctx, g):
        saved = iter(ctx.saved_tensors)
        return tuple(g * next(saved) if kept else None for kept in ctx.which)


class AsType(Op):
    """d x.astype(t) = g.astype(x.dtype)"""
    op_name = "astype"

    def forward(ctx, x, dtype):
        x = array_module(x).asarray(x)
        ctx.dtype = x.dtype
        return x.astype(dtype)

    def backward(ctx, g):
        return g.astype(ctx.dtype)


class Clone(Op):
    """d copy(x) = g"""

    def forward(ctx, x):
        return array_module(x).asarray(x, copy=True)

    def backward(ctx, g):
        return g



# -- public functions ----------------------------------------------------------


@op("elementwise")
def add(x, y):
    """``x + y``, broadcasting as NumPy; either may be a Python or NumPy scalar.

    >>> import autograd as ag
    >>> ag.add(ag.Tensor([1.0, 2.0]), 3.0)
    Tensor([4., 5.])
    """
    return Add.apply2(x, y)


@op("elementwise")
def sub(x, y):
    """``x - y``, broadcasting as NumPy.

    >>> import autograd as ag
    >>> ag.sub(ag.Tensor([[1.0], [2.0]]), ag.Tensor([1.0, 0.5])).shape
    (2, 2)
    """
    return Sub.apply2(x, y)


@op("elementwise")
def mul(x, y):
    """``x * y``; the gradients are ``g * y`` and ``g * x``, summed back to each shape.

    >>> import autograd as ag
    >>> b, c = ag.Tensor(3.0, requires_grad=True), ag.Tensor(2.0, requires_grad=True)
    >>> u = ag.mul(b, c); u.backward()
    >>> u.item(), b.grad.item(), c.grad.item()
    (6.0, 2.0, 3.0)
    """
    return Mul.apply2(x, y)


@op("elementwise")
def div(x, y):
    """``x / y``; the gradients are ``g / y`` and ``-g x / y**2``.

    >>> import autograd as ag
    >>> ag.div(ag.Tensor([1.0, 3.0]), 2.0)
    Tensor([0.5, 1.5])
    """
    return Div.apply2(x, y)


@op("elementwise")
def pow(x, p):
    """``x ** p``; either may be a tensor (the exponent's gradient is ``g x**p log x``).

    >>> import autograd as ag
    >>> x = ag.Tensor(3.0, requires_grad=True)
    >>> y = ag.pow(x, 2); y.backward()
    >>> y.item(), x.grad.item()
    (9.0, 6.0)
    """
    return Pow.apply2(x, p)


@op("elementwise")
def neg(x):
    """``-x``.

    >>> import autograd as ag
    >>> ag.neg(ag.Tensor([1.0, -2.0]))
    Tensor([-1.,  2.])
    """
    return Neg.apply1(x)


@op("elementwise")
def abs(x):
    """``|x|``; the gradient is ``g * sign(x)`` (0 at 0).

    >>> import autograd as ag
    >>> ag.abs(ag.Tensor([-1.5, 2.0]))
    Tensor([1.5, 2. ])
    """
    return Abs.apply1(x)


@op("elementwise")
def maximum(x, y):
    """Elementwise maximum, broadcasting; on ties each input gets half the gradient.

    >>> import autograd as ag
    >>> ag.maximum(ag.Tensor([1.0, 5.0]), 3.0)
    Tensor([3., 5.])
    """
    return Maximum.apply2(x, y)


@op("elementwise")
def minimum(x, y):
    """Elementwise minimum, broadcasting; on ties each input gets half the gradient.

    >>> import autograd as ag
    >>> ag.minimum(ag.Tensor([1.0, 5.0]), 3.0)
    Tensor([1., 3.])
    """
    return Minimum.apply2(x, y)


@op("elementwise", aliases=("clamp",))
def clip(x, lo=None, hi=None, *, min=None, max=None):
    """Limit values to ``[lo, hi]`` (either may be None, a number or a tensor, broadcasting;
    PyTorch's ``min``/``max`` keywords too); the gradient passes to ``x`` inside the range
    and to a tensor bound where it is the value (PyTorch's clamp).

    >>> import autograd as ag
    >>> ag.clip(ag.Tensor([-2.0, 0.5, 3.0]), -1.0, 1.0)
    Tensor([-1. ,  0.5,  1. ])
    >>> ag.Tensor([-2.0, 0.5, 3.0]).clamp(min=ag.Tensor([0.0, 1.0, 0.0]))
    Tensor([0., 1., 3.])
    """
    if min is not None:
        if lo is not None:
            raise TypeError("clip: got both lo and min; pass one of them")
        lo = min
    if max is not None:
        if hi is not None:
            raise TypeError("clip: got both hi and max; pass one of them")
        hi = max
    return Clip.apply(x, lo, hi)


@op("elementwise", method=False)
def where(cond, x, y):
    """``x`` where ``cond`` is true, else ``y`` (``cond`` gets no gradient).

    >>> import autograd as ag
    >>> x = ag.Tensor([-1.0, 2.0])
    >>> ag.where(x > 0, x, 0.0)
    Tensor([0., 2.])
    """
    return Where.apply(cond, x, y)


@op("elementwise")
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


@op("elementwise")
def clone(x):
    """A copy of ``x`` that stays in the graph (the gradient passes through).

    >>> import autograd as ag
    >>> x = ag.Tensor([1.0]); y = ag.clone(x)
    >>> y.data is x.data, y.tolist()
    (False, [1.0])
    """
    return Clone.apply1(x)
