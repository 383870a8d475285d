"""Pieces: chunk, unbind, narrow (views of slices of a tensor) and hstack, vstack,
meshgrid (tensors joined or spread); composed from getitem, reshape, concatenate and
broadcast_to."""
import numpy as np

from .registry import op
from .shape import BroadcastTo, Concatenate, GetItem, Reshape
from .shape_more import _axis, _shape
from .xp import data


@op("shape", spellings=True)
def chunk(x, chunks, axis=0):
    """Split into ``chunks`` views of ``ceil(n / chunks)`` along ``dim`` (the last one
    smaller; fewer when ``n`` runs out), as PyTorch.

    >>> import autograd as ag
    >>> [c.tolist() for c in ag.chunk(ag.Tensor([1.0, 2.0, 3.0, 4.0, 5.0]), 3)]
    [[1.0, 2.0], [3.0, 4.0], [5.0]]
    """
    shape = _shape(x)
    axis = _axis(axis, len(shape), "chunk")
    if int(chunks) <= 0:
        raise ValueError(f"chunk: chunks must be positive, got {chunks}")
    n = shape[axis]
    step = -(-n // int(chunks))
    lead = (slice(None),) * axis
    if step == 0:
        return tuple(GetItem.apply(x, index=lead + (slice(0, 0),)) for _ in range(int(chunks)))
    return tuple(GetItem.apply(x, index=lead + (slice(a, a + step),)) for a in range(0, n, step))


@op("shape", spellings=True)
def unbind(x, axis=0):
    """The slices along ``dim``, as a tuple of views (that dim removed).

    >>> import autograd as ag
    >>> [r.tolist() for r in ag.unbind(ag.Tensor([[1.0, 2.0], [3.0, 4.0]]), 1)]
    [[1.0, 3.0], [2.0, 4.0]]
    """
    shape = _shape(x)
    axis = _axis(axis, len(shape), "unbind")
    lead = (slice(None),) * axis
    return tuple(GetItem.apply(x, index=lead + (i,)) for i in range(shape[axis]))


@op("shape", spellings=True)
def narrow(x, axis, start, length):
    """``length`` entries from ``start`` along ``dim`` (a view; ``start`` may be negative).

    >>> import autograd as ag
    >>> ag.narrow(ag.Tensor([1.0, 2.0, 3.0, 4.0]), 0, 1, 2)
    Tensor([2., 3.])
    """
    shape = _shape(x)
    axis = _axis(axis, len(shape), "narrow")
    n, start, length = shape[axis], int(start), int(length)
    begin = start + n if start < 0 else start
    if not 0 <= begin <= n or length < 0 or begin + length > n:
        raise ValueError(f"narrow: start {start} and length {length} do not fit dim {axis} "
                         f"of size {n}")
    return GetItem.apply(x, index=(slice(None),) * axis + (slice(begin, begin + length),))


@op("shape", method=False)
def hstack(tensors):
    """Join along dim 1 (dim 0 for 1-D tensors), as NumPy's hstack.

    >>> import autograd as ag
    >>> ag.hstack([ag.Tensor([1.0]), ag.Tensor([2.0, 3.0])])
    Tensor([1., 2., 3.])
    """
    ts = [Reshape.apply(t, shape=(1,)) if not _shape(t) else t for t in tensors]
    if not ts:
        raise ValueError("hstack: needs at least one tensor")
    return Concatenate.apply(*ts, axis=0 if len(_shape(ts[0])) == 1 else 1)


@op("shape", method=False)
def vstack(tensors):
    """Join along dim 0 after making 0-d and 1-D tensors rows, as NumPy's vstack.

    >>> import autograd as ag
    >>> ag.vstack([ag.Tensor([1.0, 2.0]), ag.Tensor([3.0, 4.0])]).shape
    (2, 2)
    """
    ts = [Reshape.apply(t, shape=(1, -1)) if len(_shape(t)) < 2 else t for t in tensors]
    if not ts:
        raise ValueError("vstack: needs at least one tensor")
    return Concatenate.apply(*ts, axis=0)


@op("shape", method=False)
def meshgrid(*tensors, indexing="ij"):
    """Coordinate grids from 1-D tensors: ``indexing='ij'`` (PyTorch's default) or
    ``'xy'`` (NumPy's default: the first two dims swapped). Read-only broadcast views.

    >>> import autograd as ag
    >>> gx, gy = ag.meshgrid(ag.Tensor([1.0, 2.0]), ag.Tensor([3.0, 4.0, 5.0]))
    >>> gx.shape, gy.tolist()[0]
    ((2, 3), [3.0, 4.0, 5.0])
    """
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing not in ("ij", "xy"):
        raise ValueError(f"meshgrid: indexing must be 'ij' or 'xy', got {indexing!r}")
    sizes = []
    for t in tensors:
        if len(_shape(t)) > 1:
            raise ValueError(f"meshgrid: expects 0-d or 1-D tensors, got shape {_shape(t)}")
        sizes.append(int(np.size(data(t))))
    dims = list(range(len(sizes)))
    if indexing == "xy" and len(sizes) > 1:
        dims[0], dims[1] = 1, 0
    full = [0] * len(sizes)
    for d, n in zip(dims, sizes):
        full[d] = n
    out = []
    for d, t in zip(dims, tensors):
        shape = [1] * len(sizes)
        shape[d] = -1
        out.append(BroadcastTo.apply(Reshape.apply(t, shape=tuple(shape)), shape=tuple(full)))
    return tuple(out)
