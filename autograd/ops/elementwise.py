"""Elementwise primitives. Binary ones broadcast as NumPy does; the engine sums
each gradient back to its input's shape (``broadcasting = True``)."""
import numpy as np

from ..function import Op
from .xp import const_like, data, xp


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
    """d(x ** p) = (g * p * x**(p-1), g * x**p * log(x))"""
    broadcasting = True

    def forward(ctx, x, p):
        out = np.power(x, p)
        ctx.save_for_backward(x, p, out)
        return out

    def backward(ctx, g):
        x, p, out = ctx.saved_tensors
        nx, np_ = ctx.needs_input_grad
        gx = g * p * x ** (p - 1) if nx else None
        gp = None
        if np_:
            ns = xp(g)
            positive = data(x) > 0  # log(x) only where it is defined; 0 elsewhere
            gp = g * out * ns.log(ns.where(const_like(g, positive), x, 1))
        return gx, gp


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


class Sigmoid(Op):
    """d s(x) = g * s * (1 - s); computed from exp(-|x|), so it never overflows"""

    def forward(ctx, x):
        e = np.exp(-np.abs(x))
        out = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
        out = out.astype(np.result_type(x, np.float32), copy=False)
        ctx.save_for_backward(out)
        return out

    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * out * (1 - out)


_zero_blocks = {}  # dtype -> a read-only array of zeros, grown as needed


def _zeros_for(x):
    """0 for ``np.maximum(x, 0)``: as an array shaped like a large contiguous float
    ``x`` (NumPy 2's maximum against a scalar takes a loop 3x slower than against an
    array), else as the scalar."""
    if type(x) is not np.ndarray or not 4096 <= x.size <= 1 << 23 or x.dtype.kind != "f" \
            or not x.flags.c_contiguous:
        return 0  # small, huge (the block is kept for good), or not one contiguous run
    block = _zero_blocks.get(x.dtype)
    if block is None or block.size < x.size:
        block = np.zeros(max(x.size, 1 << 16), x.dtype)
        block.flags.writeable = False
        _zero_blocks[x.dtype] = block
    return block[:x.size].reshape(x.shape)


class Relu(Op):
    """d relu(x) = g where x > 0"""

    def forward(ctx, x):
        out = np.maximum(x, _zeros_for(x))
        ctx.save_for_backward(out)
        return out

    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        if type(g) is np.ndarray and g.size >= 4096 and g.dtype.kind == "f":
            mask = (out > 0).astype(g.dtype)  # float * bool would take a slow casting loop
            return np.multiply(mask, g, out=mask)
        return g * const_like(g, data(out) > 0)


class LeakyRelu(Op):
    """d leaky_relu(x) = g where x > 0, slope * g elsewhere"""
    op_name = "leaky_relu"

    def forward(ctx, x, negative_slope=0.01):
        slope = np.where(x > 0, 1, negative_slope).astype(x.dtype, copy=False)
        ctx.save_for_backward(slope)
        return x * slope

    def backward(ctx, g):
        (slope,) = ctx.saved_tensors
        return g * slope


class Clip(Op):
    """d clip(x, lo, hi) = g where lo <= x <= hi"""

    def forward(ctx, x, lo=None, hi=None):
        inside = np.ones(np.shape(x), dtype=bool)
        if lo is not None:
            inside &= x >= lo
        if hi is not None:
            inside &= x <= hi
        ctx.save_for_backward(inside)
        return np.clip(x, lo, hi)

    def backward(ctx, g):
        (inside,) = ctx.saved_tensors
        return g * inside


class AsType(Op):
    """d x.astype(t) = g.astype(x.dtype)"""
    op_name = "astype"

    def forward(ctx, x, dtype):
        ctx.dtype = np.asarray(x).dtype
        return np.asarray(x).astype(dtype)

    def backward(ctx, g):
        return g.astype(ctx.dtype)


class Clone(Op):
    """d copy(x) = g"""

    def forward(ctx, x):
        return np.array(x, copy=True)

    def backward(ctx, g):
        return g
