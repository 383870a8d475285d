"""Activation primitives (sigmoid, relu, leaky_relu) and their functions."""
import numpy as np

from ..function import Op
from .registry import op
from .xp import const_like, data



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



# -- public functions ----------------------------------------------------------


@op("activation")
def sigmoid(x):
    """``1 / (1 + e**-x)``, computed without overflow; the notes' derivative ``s (1 - s)``.

    >>> import autograd as ag
    >>> ag.sigmoid(ag.Tensor([-1000.0, 0.0, 1000.0]))
    Tensor([0. , 0.5, 1. ])
    """
    return Sigmoid.apply1(x)


@op("activation")
def relu(x):
    """``max(x, 0)``; the gradient passes where ``x > 0``.

    >>> import autograd as ag
    >>> ag.relu(ag.Tensor([-1.0, 2.0]))
    Tensor([0., 2.])
    """
    return Relu.apply1(x)


@op("activation")
def leaky_relu(x, negative_slope=0.01):
    """``x`` where positive, ``negative_slope * x`` elsewhere (the notes' slope is 0.01).

    >>> import autograd as ag
    >>> ag.leaky_relu(ag.Tensor([-2.0, 3.0]))
    Tensor([-0.02,  3.  ])
    """
    return LeakyRelu.apply(x, negative_slope=negative_slope)
