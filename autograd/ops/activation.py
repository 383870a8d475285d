"""Activation primitives and their functions: sigmoid, relu, leaky_relu and the
piecewise-linear ones (hardtanh, relu6, hardsigmoid, hardswish, prelu). The smooth
ones (gelu, silu, mish, softplus, the elu family, ...) are in activation_smooth.py.

At a kink the gradient is PyTorch's: hardtanh, relu6 and hardsigmoid pass none at
their bounds, hardswish takes the outer slope at -3 and 3, prelu the slope at 0."""
import numpy as np

from ..function import Op
from ..tensor import Tensor
from .registry import op
from .xp import array_module, const_like, data



class Sigmoid(Op):
    """d s(x) = g * s * (1 - s); computed from exp(-|x|), so it never overflows"""

    def forward(ctx, x):
        out = sigmoid_array(x)
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


def sigmoid_array(x):
    """A stable sigmoid on arrays (from exp(-|x|): no overflow), in x's float dtype."""
    e = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return out.astype(np.result_type(x, np.float32), copy=False)


def sigmoid_any(a):
    """sigmoid of an array, or of a Tensor in the graph (for differentiable backwards)."""
    return sigmoid(a) if isinstance(a, Tensor) else sigmoid_array(a)


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


class Hardtanh(Op):
    """d clip(x, lo, hi) = g where lo < x < hi, 0 elsewhere (PyTorch's hardtanh: none
    at the bounds, unlike clamp)"""
    op_name = "hardtanh"

    def forward(ctx, x, min_val=-1.0, max_val=1.0):
        xm = array_module(x)
        inside = (x > min_val) & (x < max_val)
        ctx.save_for_backward(xm.asarray(inside, dtype=x.dtype))
        return xm.asarray(np.clip(x, min_val, max_val), dtype=x.dtype)

    def backward(ctx, g):
        (inside,) = ctx.saved_tensors
        return g * inside


class Hardsigmoid(Op):
    """d relu6(x + 3) / 6 = g / 6 where -3 < x < 3, 0 elsewhere"""
    op_name = "hardsigmoid"

    def forward(ctx, x):
        xm = array_module(x)
        slope = xm.asarray((x > -3) & (x < 3), dtype=x.dtype) / 6
        ctx.save_for_backward(slope)
        return xm.asarray(np.clip(x + 3, 0, 6) / 6, dtype=x.dtype)

    def backward(ctx, g):
        (slope,) = ctx.saved_tensors
        return g * slope


class Hardswish(Op):
    """d x relu6(x + 3) / 6 = g (x / 3 + 1/2) where -3 < x < 3, g where x >= 3, 0 below
    (written as g (a x + b) with constant a, b: its second derivative is g a)"""
    op_name = "hardswish"

    def forward(ctx, x):
        xm = array_module(x)
        mid = xm.asarray((x > -3) & (x < 3), dtype=x.dtype)
        a, b = mid / 3, mid / 2 + xm.asarray(x >= 3, dtype=x.dtype)
        ctx.save_for_backward(x, a, b)
        return xm.asarray(x * np.clip(x + 3, 0, 6) / 6, dtype=x.dtype)

    def backward(ctx, g):
        x, a, b = ctx.saved_tensors
        return g * (a * x + b)


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


@op("activation", method=False)
def hardtanh(x, min_val=-1.0, max_val=1.0):
    """``clip(x, min_val, max_val)``; the gradient passes strictly inside (none at the
    bounds, as PyTorch's hardtanh).

    >>> import autograd as ag
    >>> ag.hardtanh(ag.Tensor([-2.0, 0.5, 3.0]))
    Tensor([-1. ,  0.5,  1. ])
    """
    if min_val > max_val:
        raise ValueError(f"hardtanh: min_val ({min_val}) must not exceed max_val ({max_val})")
    return Hardtanh.apply(x, min_val=min_val, max_val=max_val)


@op("activation", method=False)
def relu6(x):
    """``min(max(x, 0), 6)`` (``hardtanh(x, 0, 6)``; no gradient at 0 and 6).

    >>> import autograd as ag
    >>> ag.relu6(ag.Tensor([-1.0, 3.0, 8.0]))
    Tensor([0., 3., 6.])
    """
    return Hardtanh.apply(x, min_val=0.0, max_val=6.0)


@op("activation", method=False)
def hardsigmoid(x):
    """``relu6(x + 3) / 6``: 0 below -3, 1 above 3, linear between.

    >>> import autograd as ag
    >>> ag.hardsigmoid(ag.Tensor([-4.0, 0.0, 1.5, 4.0]))
    Tensor([0.  , 0.5 , 0.75, 1.  ])
    """
    return Hardsigmoid.apply1(x)


@op("activation", method=False)
def hardswish(x):
    """``x * relu6(x + 3) / 6`` (MobileNetV3's swish without exp).

    >>> import autograd as ag
    >>> ag.hardswish(ag.Tensor([-4.0, 0.0, 1.5, 4.0]))
    Tensor([-0.   ,  0.   ,  1.125,  4.   ])
    """
    return Hardswish.apply1(x)


@op("activation")
def prelu(x, weight):
    """``x`` where positive, ``weight * x`` elsewhere, with a learnable slope: one
    (``weight`` of size 1) or one per channel (dim 1, size C), as PyTorch.

    >>> import autograd as ag
    >>> ag.prelu(ag.Tensor([[-2.0, 1.0], [4.0, -1.0]]), ag.Tensor([0.25, 0.5]))
    Tensor([[-0.5,  1. ],
            [ 4. , -0.5]])
    """
    from .elementwise import where
    shape, wshape = np.shape(data(x)), np.shape(data(weight))
    size = int(np.prod(wshape, dtype=int))
    if len(wshape) > 1:
        raise ValueError(f"prelu: weight must be 0-d or 1-d, got shape {wshape}")
    if size == 1:
        w = weight.reshape(()) if isinstance(weight, Tensor) else np.reshape(weight, ())
    elif len(shape) >= 2 and shape[1] == size:
        bshape = (size,) + (1,) * (len(shape) - 2)
        w = weight.reshape(bshape) if isinstance(weight, Tensor) else np.reshape(weight, bshape)
    else:
        raise ValueError(f"prelu: weight of shape {wshape} does not match input of shape "
                         f"{shape} (1 or one per channel, dim 1)")
    return where(data(x) > 0, x, w * x)
