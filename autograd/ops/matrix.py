"""Matrix parts: tril, triu (composed from where), diagonal (a primitive returning a
read-only view, as PyTorch's is a view) and diag."""
import numpy as np

from ..function import Op
from ..tensor import Tensor
from .elementwise import where
from .registry import op
from .shape import Scatter, Transpose, scatter_array
from .shape_more import _axis, _one_of, _shape
from .xp import array_module


def _diagonal_index(shape, offset, axis1, axis2):
    """The permutation that moves ``axis1, axis2`` last, and the (rows, cols) of the
    ``offset`` diagonal in them (NumPy's diagonal order)."""
    n1, n2 = shape[axis1], shape[axis2]
    length = max(0, min(n1, n2 - offset) if offset >= 0 else min(n1 + offset, n2))
    rows = np.arange(length) + max(-offset, 0)
    perm = [d for d in range(len(shape)) if d not in (axis1, axis2)] + [axis1, axis2]
    return perm, (Ellipsis, rows, rows + offset)


class Diagonal(Op):
    """d diagonal(x) = g written onto that diagonal of zeros"""

    def forward(ctx, x, offset, axis1, axis2):
        ctx.shape, ctx.args = np.shape(x), (offset, axis1, axis2)
        return np.diagonal(x, offset, axis1, axis2)  # a read-only view, as PyTorch's is a view

    def backward(ctx, g):
        perm, index = _diagonal_index(ctx.shape, *ctx.args)
        moved = tuple(ctx.shape[d] for d in perm)
        inverse = tuple(int(i) for i in np.argsort(perm))
        if isinstance(g, Tensor):
            return Transpose.apply(Scatter.apply(g, shape=moved, index=index), axes=inverse)
        return scatter_array(g, moved, index).transpose(inverse)


class Diag(Scatter):
    """d diag(v) = g's diagonal (the backward of scattering v onto a diagonal)"""
    op_name = "diag"


# -- public functions ------------------------------------------------------------

def _triangle(x, diagonal, k, who, lower):
    diagonal = _one_of(who, diagonal, "diagonal", k, "k")
    diagonal = 0 if diagonal is None else int(diagonal)
    shape = _shape(x)
    if len(shape) < 2:
        raise ValueError(f"{who}: expects a tensor of at least 2 dims, got shape {shape}")
    xm = array_module(x)
    keep = xm.tril(xm.ones(shape[-2:], dtype=bool), k=diagonal if lower else diagonal - 1)
    return where(keep if lower else ~keep, x, 0)


@op("shape")
def tril(x, diagonal=None, *, k=None):
    """The lower triangle of the last two dims (entries above the ``diagonal``-th
    diagonal set to 0; NumPy's ``k``).

    >>> import autograd as ag
    >>> ag.tril(ag.Tensor([[1.0, 2.0], [3.0, 4.0]]))
    Tensor([[1., 0.],
            [3., 4.]])
    """
    return _triangle(x, diagonal, k, "tril", True)


@op("shape")
def triu(x, diagonal=None, *, k=None):
    """The upper triangle of the last two dims (entries below the ``diagonal``-th
    diagonal set to 0; NumPy's ``k``).

    >>> import autograd as ag
    >>> ag.triu(ag.Tensor([[1.0, 2.0], [3.0, 4.0]]), 1)
    Tensor([[0., 2.],
            [0., 0.]])
    """
    return _triangle(x, diagonal, k, "triu", False)


@op("shape")
def diagonal(x, offset=0, dim1=None, dim2=None, *, axis1=None, axis2=None):
    """The ``offset`` diagonal of dims ``dim1, dim2`` (0 and 1 by default; NumPy's
    ``axis1, axis2``), appended as the last dim (a read-only view).

    >>> import numpy as np, autograd as ag
    >>> ag.diagonal(ag.Tensor(np.arange(6.0).reshape(2, 3)), 1).tolist()
    [1.0, 5.0]
    """
    dim1 = _one_of("diagonal", dim1, "dim1", axis1, "axis1")
    dim2 = _one_of("diagonal", dim2, "dim2", axis2, "axis2")
    shape = _shape(x)
    if len(shape) < 2:
        raise ValueError(f"diagonal: expects a tensor of at least 2 dims, got shape {shape}")
    a1 = _axis(0 if dim1 is None else dim1, len(shape), "diagonal")
    a2 = _axis(1 if dim2 is None else dim2, len(shape), "diagonal")
    if a1 == a2:
        raise ValueError(f"diagonal: dim1 and dim2 must differ, got {dim1} and {dim2}")
    return Diagonal.apply(x, offset=int(offset), axis1=a1, axis2=a2)


@op("shape")
def diag(x, diagonal=None, *, k=None):
    """A 1-D tensor onto the ``diagonal``-th diagonal of a square matrix of zeros, or the
    ``diagonal``-th diagonal of a 2-D tensor (NumPy's ``k``).

    >>> import autograd as ag
    >>> ag.diag(ag.Tensor([1.0, 2.0]))
    Tensor([[1., 0.],
            [0., 2.]])
    """
    k = _one_of("diag", diagonal, "diagonal", k, "k")
    k = 0 if k is None else int(k)
    shape = _shape(x)
    if len(shape) == 2:
        return Diagonal.apply(x, offset=k, axis1=0, axis2=1)
    if len(shape) != 1:
        raise ValueError(f"diag: expects a 1-D or 2-D tensor, got shape {shape}")
    n = shape[0] + abs(k)
    rows = np.arange(shape[0]) + max(-k, 0)
    return Diag.apply(x, shape=(n, n), index=(rows, rows + k))
