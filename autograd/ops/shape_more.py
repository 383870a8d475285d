"""More shape ops, PyTorch's vocabulary beside NumPy's: view, ravel, permute, t, flip,
roll, repeat, tile, repeat_interleave, unflatten, movedim (see also pieces.py and
matrix.py).

All but roll are compositions of reshape, transpose, broadcast_to and getitem, so their
second derivatives come for free and flips stay views of their input.
"""
import math

import numpy as np

from ..function import Op
from ..tensor import Tensor
from .reduce import normalize_axis
from .registry import op
from .shape import BroadcastTo, GetItem, Reshape, Transpose, _shape_arg
from .xp import data


def _one_of(who, a, a_name, b, b_name):
    if a is not None and b is not None:
        raise TypeError(f"{who}: got both {a_name!r} and {b_name!r}; pass one of them")
    return a if b is None else b


def _axis(axis, ndim, who):
    return normalize_axis(axis, ndim, who)[0]


def _shape(x):
    return np.shape(data(x))


class Roll(Op):
    """d roll(x, shift) = roll(g, -shift)"""

    def forward(ctx, x, shift, axis):
        ctx.shift, ctx.axis = shift, axis
        return np.roll(x, shift, axis)

    def backward(ctx, g):
        back = tuple(-s for s in ctx.shift) if isinstance(ctx.shift, tuple) else -ctx.shift
        if isinstance(g, Tensor):
            return Roll.apply(g, shift=back, axis=ctx.axis)
        return np.roll(g, back, ctx.axis)


class Taken(GetItem):
    """d x[:, idx] = g scatter-added back (repeats summed)"""
    op_name = "repeat_interleave"


# -- public functions ------------------------------------------------------------

@op("shape")
def view(x, *shape):
    """PyTorch's view: ``x.view(2, -1)`` is ``reshape`` (a view whenever NumPy can make one).

    >>> import numpy as np, autograd as ag
    >>> ag.Tensor(np.zeros(6)).view(2, -1).shape
    (2, 3)
    """
    if len(shape) == 1 and not isinstance(shape[0], (int, np.integer, tuple, list)):
        raise TypeError(f"view: reinterpreting the dtype ({shape[0]!r}) is not supported; "
                        "use astype to convert")
    return Reshape.apply(x, shape=_shape_arg(shape))


@op("shape")
def ravel(x):
    """The flattened tensor (1-D), as ``reshape(-1)``.

    >>> import numpy as np, autograd as ag
    >>> ag.Tensor(np.zeros((2, 3))).ravel().shape
    (6,)
    """
    return Reshape.apply(x, shape=(-1,))


@op("shape")
def permute(x, *dims):
    """Reorder all dims: ``x.permute(2, 0, 1)`` or ``permute(x, (2, 0, 1))``.

    >>> import numpy as np, autograd as ag
    >>> ag.Tensor(np.zeros((2, 3, 4))).permute(2, 0, 1).shape
    (4, 2, 3)
    """
    dims = _shape_arg(dims)
    ndim = len(_shape(x))
    if sorted(d % max(ndim, 1) for d in dims) != list(range(ndim)) or \
            any(not -max(ndim, 1) <= d < max(ndim, 1) for d in dims):
        raise ValueError(f"permute: dims {dims} are not a permutation of the {ndim} dims "
                         f"of a tensor of shape {_shape(x)}")
    return Transpose.apply(x, axes=dims)


@op("shape")
def t(x):
    """Transpose of a tensor of at most 2 dims (0-d and 1-D come back as they are).

    >>> import numpy as np, autograd as ag
    >>> ag.Tensor(np.zeros((2, 3))).t().shape
    (3, 2)
    """
    if len(_shape(x)) > 2:
        raise ValueError(f"t: expects a tensor of at most 2 dims, got shape {_shape(x)}; "
                         "use transpose, permute or mT")
    return Transpose.apply(x, axes=None)


@op("shape", spellings=True)
def flip(x, axis=None, *, dims=None):
    """Reverse the order along ``dims`` (all dims when None); a view, as ``x[::-1]``.

    >>> import autograd as ag
    >>> ag.flip(ag.Tensor([[1.0, 2.0], [3.0, 4.0]]), dims=(1,))
    Tensor([[2., 1.],
            [4., 3.]])
    """
    axis = _one_of("flip", axis, "axis", dims, "dims")
    ndim = len(_shape(x))
    axes = normalize_axis(axis, ndim, "flip")
    return GetItem.apply(x, index=tuple(slice(None, None, -1) if d in axes else slice(None)
                                        for d in range(ndim)))


@op("shape", spellings=True)
def roll(x, shifts=None, axis=None, *, shift=None, dims=None):
    """Shift entries along ``dims`` cyclically (over the flattened tensor when None);
    PyTorch's ``shifts``/``dims`` or NumPy's ``shift``/``axis``.

    >>> import autograd as ag
    >>> ag.roll(ag.Tensor([1.0, 2.0, 3.0]), 1)
    Tensor([3., 1., 2.])
    """
    shifts = _one_of("roll", shifts, "shifts", shift, "shift")
    axis = _one_of("roll", axis, "axis", dims, "dims")
    if shifts is None:
        raise TypeError("roll: missing the shift (shifts=)")
    ndim = len(_shape(x))
    if isinstance(shifts, (tuple, list)) and axis is None:
        raise ValueError(f"roll: {len(shifts)} shifts need as many dims, got none")
    if isinstance(shifts, (tuple, list)) or isinstance(axis, (tuple, list)):
        shifts = tuple(int(s) for s in np.broadcast_to(shifts, np.shape(axis)))
        axis = tuple(_axis(a, ndim, "roll") for a in axis)
    else:
        shifts = int(shifts)
        axis = None if axis is None else _axis(axis, ndim, "roll")
    return Roll.apply(x, shift=shifts, axis=axis)


@op("shape")
def repeat(x, *sizes):
    """PyTorch's ``Tensor.repeat``: the whole tensor tiled ``sizes`` times per dim (NumPy's
    tile; extra leading sizes add dims). For NumPy's element-wise repeat see
    ``repeat_interleave``.

    >>> import autograd as ag
    >>> ag.Tensor([1.0, 2.0]).repeat(2, 2)
    Tensor([[1., 2., 1., 2.],
            [1., 2., 1., 2.]])
    """
    sizes = _shape_arg(sizes)
    shape = _shape(x)
    if len(sizes) < len(shape):
        raise ValueError(f"repeat: {len(sizes)} sizes for a tensor of {len(shape)} dims "
                         f"(shape {shape}); give at least one per dim (or use tile)")
    if any(s < 0 for s in sizes):
        raise ValueError(f"repeat: sizes must be >= 0, got {sizes}")
    shape = (1,) * (len(sizes) - len(shape)) + shape
    spread = Reshape.apply(x, shape=tuple(v for n in shape for v in (1, n)))
    spread = BroadcastTo.apply(spread, shape=tuple(v for r, n in zip(sizes, shape)
                                                   for v in (r, n)))
    return Reshape.apply(spread, shape=tuple(r * n for r, n in zip(sizes, shape)))


@op("shape")
def tile(x, reps=None, *, dims=None):
    """NumPy's tile (PyTorch's ``dims`` for ``reps``): fewer reps than dims repeat the
    last dims.

    >>> import autograd as ag
    >>> ag.tile(ag.Tensor([[1.0, 2.0]]), 2)
    Tensor([[1., 2., 1., 2.]])
    """
    reps = _one_of("tile", reps, "reps", dims, "dims")
    if reps is None:
        raise TypeError("tile: missing the repetitions (reps, or PyTorch's dims)")
    reps = (int(reps),) if isinstance(reps, (int, np.integer)) else tuple(reps)
    ndim = len(_shape(x))
    return repeat(x, (1,) * (ndim - len(reps)) + reps)


@op("shape", spellings=True)
def repeat_interleave(x, repeats, axis=None):
    """Repeat each entry ``repeats`` times along ``dim`` (an int or one count per entry;
    the flattened tensor when None): NumPy's repeat.

    >>> import autograd as ag
    >>> ag.repeat_interleave(ag.Tensor([1.0, 2.0]), 2)
    Tensor([1., 1., 2., 2.])
    """
    if axis is None:
        x = Reshape.apply(x, shape=(-1,))
        axis = 0
    shape = _shape(x)
    axis = _axis(axis, len(shape), "repeat_interleave")
    counts = np.asarray(data(repeats))
    if counts.dtype.kind not in "iu" or (counts.ndim and counts.shape != (shape[axis],)) \
            or counts.ndim > 1 or (counts < 0).any():
        raise ValueError(f"repeat_interleave: repeats must be a non-negative int or one per "
                         f"entry of dim {axis} (size {shape[axis]}), got {counts!r}")
    index = np.repeat(np.arange(shape[axis]), counts)
    return Taken.apply(x, index=(slice(None),) * axis + (index,))


@op("shape", spellings=True)
def unflatten(x, axis, sizes):
    """Split dim ``dim`` into ``sizes`` (one of them may be -1).

    >>> import numpy as np, autograd as ag
    >>> ag.Tensor(np.zeros((2, 12))).unflatten(1, (3, -1)).shape
    (2, 3, 4)
    """
    shape = _shape(x)
    axis = _axis(axis, len(shape), "unflatten")
    sizes = tuple(int(s) for s in sizes)
    known = math.prod(s for s in sizes if s != -1)
    if sizes.count(-1) > 1 or (-1 not in sizes and known != shape[axis]) or \
            (-1 in sizes and (known == 0 or shape[axis] % known)):
        raise ValueError(f"unflatten: sizes {sizes} do not multiply to dim {axis}'s size "
                         f"{shape[axis]} (shape {shape})")
    if -1 in sizes:
        sizes = tuple(shape[axis] // known if s == -1 else s for s in sizes)
    return Reshape.apply(x, shape=shape[:axis] + sizes + shape[axis + 1:])


@op("shape", aliases=("moveaxis",))
def movedim(x, source, destination):
    """Move dims ``source`` to positions ``destination`` (ints or sequences), the others
    keeping their order (NumPy's moveaxis).

    >>> import numpy as np, autograd as ag
    >>> ag.movedim(ag.Tensor(np.zeros((2, 3, 4))), 0, -1).shape
    (3, 4, 2)
    """
    ndim = len(_shape(x))

    def dims(v):
        items = [v] if isinstance(v, (int, np.integer)) else list(v)
        return [_axis(a, ndim, "movedim") for a in items]
    src, dst = dims(source), dims(destination)
    if len(src) != len(dst) or len(set(src)) != len(src) or len(set(dst)) != len(dst):
        raise ValueError(f"movedim: source {source} and destination {destination} must be "
                         "as many distinct dims")
    order = [d for d in range(ndim) if d not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return Transpose.apply(x, axes=tuple(order))


