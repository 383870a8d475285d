"""Shape primitives (reshape, transpose, broadcast_to, indexing, pad,
concatenate, stack) and the shape ops composed from them."""
import numpy as np

from ..function import Op
from ..tensor import Tensor
from .reduce import normalize_axis, reduce_axes
from .registry import op
from .xp import array_module, data, dtype_of, sum_to, xp


def _shape_arg(shape):
    """Accept ``f(6, 4)``, ``f((6, 4))`` and ``f([6, 4])``."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return tuple(int(n) for n in shape)


class Reshape(Op):
    """d reshape(x) = g reshaped back"""

    def forward(ctx, x, shape):
        ctx.shape = np.shape(x)
        try:
            return np.reshape(x, shape)
        except ValueError:
            raise ValueError(f"cannot reshape a tensor of shape {ctx.shape} "
                             f"(size {np.size(x)}) into shape {shape}") from None

    def backward(ctx, g):
        return g.reshape(ctx.shape)


class Transpose(Op):
    """d transpose(x, axes) = g transposed by the inverse permutation"""

    def forward(ctx, x, axes=None):
        if axes is None:  # .T: reversing the axes is its own inverse
            ctx.inverse = None
            return x.T
        ndim = np.ndim(x)
        axes = tuple(int(a) % max(ndim, 1) for a in axes)
        if sorted(axes) != list(range(ndim)):
            raise ValueError(f"axes {axes} are not a permutation of {ndim} dims")
        inverse = [0] * ndim
        for i, a in enumerate(axes):
            inverse[a] = i
        ctx.inverse = tuple(inverse)
        return x.transpose(axes)

    def backward(ctx, g):
        return g.T if ctx.inverse is None else g.transpose(ctx.inverse)


class BroadcastTo(Op):
    """d broadcast_to(x, shape) = g summed back to x's shape"""
    op_name = "broadcast_to"

    def forward(ctx, x, shape):
        ctx.shape = np.shape(x)
        return np.broadcast_to(x, shape)

    def backward(ctx, g):
        return sum_to(g, ctx.shape)


def normalize_index(index):
    """Tensors and lists inside an index become arrays (NumPy's advanced indexing)."""
    if isinstance(index, tuple):
        return tuple(normalize_index(i) for i in index)
    if isinstance(index, Tensor):
        return index.data
    if isinstance(index, list):
        return np.asarray(index)
    return index


def _is_basic(index):
    items = index if isinstance(index, tuple) else (index,)
    return all(i is None or i is Ellipsis or isinstance(i, (int, np.integer, slice))
               for i in items)


def scatter_array(g, shape, index):
    """Zeros of ``shape`` with ``g`` added at ``index`` (repeated indices add up)."""
    out = array_module(g).zeros(shape, dtype=dtype_of(g))
    if _is_basic(index):
        out[index] = g
    else:
        np.add.at(out, index, g)
    return out


class GetItem(Op):
    """d x[index] = g scattered into zeros at index (repeats accumulate)"""
    op_name = "getitem"

    def forward(ctx, x, index):
        ctx.shape, ctx.index = x.shape, index
        try:
            return x[index]
        except IndexError as err:
            raise IndexError(f"getitem: {err} (tensor shape {x.shape})") from None

    def backward(ctx, g):
        return xp(g).scatter(g, ctx.shape, ctx.index)


class Scatter(Op):
    """d scatter(g, shape, index) = g[index] (the backward of getitem, for higher orders)"""

    def forward(ctx, g, shape, index):
        ctx.index = index
        return scatter_array(g, shape, index)

    def backward(ctx, gg):
        return gg[ctx.index]


class Pad(Op):
    """d pad(x) = g with the padding sliced off"""

    def forward(ctx, x, pad_width, constant_values=0):
        widths = np.broadcast_to(np.asarray(pad_width, dtype=int).reshape(-1, 2)
                                 if np.ndim(pad_width) else pad_width, (np.ndim(x), 2))
        if (widths < 0).any():
            raise ValueError(f"pad: negative pad widths {pad_width}")
        ctx.slices = tuple(slice(b, b + n) for (b, _), n in zip(widths, np.shape(x)))
        return np.pad(x, widths, mode="constant", constant_values=constant_values)

    def backward(ctx, g):
        return g[ctx.slices]


class Concatenate(Op):
    """d concatenate(xs) = g split back into the pieces"""

    def forward(ctx, *xs, axis=0):
        ctx.axis = axis = normalize_axis(axis, np.ndim(xs[0]), "concatenate")[0]
        bounds = np.cumsum([0] + [np.shape(x)[axis] for x in xs])
        ctx.slices = [(slice(None),) * axis + (slice(a, b),) for a, b in zip(bounds, bounds[1:])]
        return np.concatenate(xs, axis=axis)

    def backward(ctx, g):
        return tuple(g[s] if need else None for s, need in zip(ctx.slices, ctx.needs_input_grad))


class Stack(Op):
    """d stack(xs) = g taken apart along the new axis"""

    def forward(ctx, *xs, axis=0):
        ctx.axis = axis = normalize_axis(axis, np.ndim(xs[0]) + 1, "stack")[0]
        return np.stack(xs, axis=axis)

    def backward(ctx, g):
        lead = (slice(None),) * ctx.axis
        return tuple(g[lead + (i,)] if need else None
                     for i, need in enumerate(ctx.needs_input_grad))


# -- composed shape ops ----------------------------------------------------------

@op("shape")
def reshape(x, *shape):
    """NumPy's reshape: ``reshape(x, 6, 4)``, ``reshape(x, (6, 4))``, -1 allowed.

    >>> import numpy as np, autograd as ag
    >>> x = ag.Tensor(np.zeros(24))
    >>> ag.reshape(x, 6, 4).shape, ag.reshape(x, (2, -1)).shape
    ((6, 4), (2, 12))
    """
    return Reshape.apply(x, shape=_shape_arg(shape))


@op("shape")
def transpose(x, *axes):
    """Permute axes (reverse them when none are given): ``transpose(x, 1, 0, 2)``.

    >>> import numpy as np, autograd as ag
    >>> x = ag.Tensor(np.zeros((2, 3, 4)))
    >>> ag.transpose(x).shape, ag.transpose(x, 1, 0, 2).shape
    ((4, 3, 2), (3, 2, 4))
    """
    axes = _shape_arg(axes) if axes and axes != (None,) else None
    return Transpose.apply(x, axes=axes)


@op("shape", spellings=True)
def swapaxes(x, axis1, axis2):
    """Exchange two axes (NumPy's swapaxes).

    >>> import numpy as np, autograd as ag
    >>> ag.swapaxes(ag.Tensor(np.zeros((2, 3, 4))), 0, 2).shape
    (4, 3, 2)
    """
    ndim = np.ndim(data(x))
    axes = list(range(ndim))
    a, b = int(axis1) % max(ndim, 1), int(axis2) % max(ndim, 1)
    axes[a], axes[b] = axes[b], axes[a]
    return Transpose.apply(x, axes=tuple(axes))


@op("shape")
def flatten(x, start_dim=0, end_dim=-1):
    """Merge dims ``start_dim..end_dim`` into one (all of them by default).

    >>> import numpy as np, autograd as ag
    >>> x = ag.Tensor(np.zeros((2, 3, 4)))
    >>> ag.flatten(x).shape, ag.flatten(x, 1).shape
    ((24,), (2, 12))
    """
    shape = np.shape(data(x))
    if not shape:
        return Reshape.apply(x, shape=(1,))
    s, e = start_dim % len(shape), end_dim % len(shape)
    merged = int(np.prod(shape[s:e + 1]))
    return Reshape.apply(x, shape=shape[:s] + (merged,) + shape[e + 1:])


@op("shape", spellings=True)
def squeeze(x, axis=None):
    """Drop axes of length 1 (only ``axis`` when given; it must have length 1).

    >>> import numpy as np, autograd as ag
    >>> ag.squeeze(ag.Tensor(np.zeros((1, 3, 1)))).shape
    (3,)
    """
    shape = np.shape(data(x))
    axes = [i for i, n in enumerate(shape) if n == 1] if axis is None else \
        reduce_axes(axis, len(shape), "squeeze")  # a 0-d tensor takes axis 0 and -1
    for a in axes:
        if shape[a] != 1:
            raise ValueError(f"squeeze: axis {a} has length {shape[a]}, not 1 (shape {shape})")
    return Reshape.apply(x, shape=tuple(n for i, n in enumerate(shape) if i not in axes))


@op("shape", aliases=("unsqueeze",), spellings=True)
def expand_dims(x, axis):
    """Insert an axis of length 1 at ``axis`` (NumPy's expand_dims, PyTorch's unsqueeze).

    >>> import autograd as ag
    >>> ag.expand_dims(ag.Tensor([1.0, 2.0]), 0).shape
    (1, 2)
    """
    shape = np.shape(data(x))
    return Reshape.apply(x, shape=np.expand_dims(np.broadcast_to(False, shape), axis).shape)


@op("shape")
def broadcast_to(x, shape):
    """``x`` repeated to ``shape`` as NumPy broadcasts; backward sums it back.

    >>> import autograd as ag
    >>> ag.broadcast_to(ag.Tensor([1.0, 2.0]), (3, 2)).shape
    (3, 2)
    """
    return BroadcastTo.apply(x, shape=_shape_arg((shape,)) if not isinstance(shape, int)
                             else (shape,))


@op("shape", method=False)
def pad(x, pad_width, mode="constant", constant_values=0):
    """NumPy's pad, constant mode only: ``pad(x, ((0, 0), (1, 1)))``.

    >>> import autograd as ag
    >>> ag.pad(ag.Tensor([1.0, 2.0]), 1)
    Tensor([0., 1., 2., 0.])
    """
    if mode != "constant":
        raise ValueError(f"pad: only mode='constant' is supported, got {mode!r}")
    return Pad.apply(x, pad_width=pad_width, constant_values=constant_values)


@op("shape", method=False, aliases=("cat",), spellings=True)
def concatenate(tensors, axis=0):
    """Join tensors along an existing axis (``cat`` is PyTorch's name); backward splits
    the gradient.

    >>> import numpy as np, autograd as ag
    >>> ag.concatenate([ag.Tensor(np.zeros((2, 3))), ag.Tensor(np.ones((1, 3)))]).shape
    (3, 3)
    """
    tensors = list(tensors)
    if not tensors:
        raise ValueError("concatenate: needs at least one tensor")
    return Concatenate.apply(*tensors, axis=axis)


@op("shape", method=False, spellings=True)
def stack(tensors, axis=0):
    """Join tensors of one shape along a new axis.

    >>> import autograd as ag
    >>> ag.stack([ag.Tensor([1.0, 2.0]), ag.Tensor([3.0, 4.0])], axis=1)
    Tensor([[1., 3.],
            [2., 4.]])
    """
    tensors = list(tensors)
    if not tensors:
        raise ValueError("stack: needs at least one tensor")
    return Stack.apply(*tensors, axis=axis)


@op("shape", method=False, spellings=True)
def split(x, indices_or_sections, axis=0):
    """NumPy's split: ``split(x, 3)`` (equal parts) or ``split(x, [2, 5])``.

    >>> import numpy as np, autograd as ag
    >>> [p.shape for p in ag.split(ag.Tensor(np.zeros(6)), [2, 5])]
    [(2,), (3,), (1,)]
    """
    n = np.shape(data(x))[axis]
    if isinstance(indices_or_sections, (int, np.integer)):
        k = int(indices_or_sections)
        if k <= 0 or n % k:
            raise ValueError(f"split: axis {axis} of length {n} does not divide into {k} parts")
        bounds = list(range(0, n + 1, n // k))
    else:
        bounds = [0] + [int(i) for i in indices_or_sections] + [n]
    lead = (slice(None),) * (axis % np.ndim(data(x)))
    return [GetItem.apply(x, index=lead + (slice(a, b),)) for a, b in zip(bounds, bounds[1:])]


@op("index", method=False)
def getitem(x, index):
    """``x[index]``: ints, slices, steps, None, integer arrays and boolean masks;
    in backward, repeated indices add up.

    >>> import autograd as ag
    >>> x = ag.Tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> ag.getitem(x, [0, 0, 2]).sum().backward(); x.grad
    Tensor([2., 0., 1.])
    """
    return GetItem.apply(x, index=normalize_index(index))
