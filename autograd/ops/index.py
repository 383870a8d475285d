"""Indexing and scatter: gather, scatter, scatter_add, index_select, take_along_axis,
masked_fill, masked_select (composed from getitem, setitem, scatter and where), and
nonzero, one_hot (integer results, no gradient).

Each gather-like op builds one NumPy advanced index (open grids, the index tensor on
``dim``), so the getitem primitive does the work and its backward (a scatter-add,
repeats summed) and double backward come for free. ``setitem`` is the primitive
behind ``x[idx] = value`` on tensors in a graph and behind ``scatter``.
"""
import numpy as np

from ..function import Op
from ..tensor import Tensor, _wrap
from .elementwise import astype, where
from .reduce import normalize_axis
from .registry import op
from .shape import GetItem, Scatter, broadcast_to, normalize_index
from .xp import array_module, data, sum_to


class SetItem(Op):
    """d (x with x[index] = v) = (g with g[index] = 0, g[index] summed to v's shape)"""
    op_name = "setitem"

    def forward(ctx, x, value, index):
        out = array_module(x).asarray(x, copy=True)
        try:
            out[index] = value
        except (IndexError, ValueError) as err:
            raise type(err)(f"{ctx.name}: {err} (tensor shape {out.shape}, value shape "
                            f"{np.shape(value)})") from None
        ctx.index, ctx.vshape = index, np.shape(value)
        return out

    def backward(ctx, g):
        nx, nv = ctx.needs_input_grad
        return (zero_at(g, ctx.index) if nx else None), \
            (_value_grad(g[ctx.index], ctx.vshape) if nv else None)


class Scattered(SetItem):
    """d scatter(x, dim, index, src) = (g with 0 where scattered, g gathered at index)"""
    op_name = "scatter"


def zero_at(g, index):
    """``g`` with zeros at ``index`` (arrays or Tensors; differentiable in ``g``)."""
    if isinstance(g, Tensor):
        return SetItem.apply(g, 0, index=index)
    out = array_module(g).asarray(g, copy=True)
    out[index] = 0
    return out


def _value_grad(g, vshape):
    if g.ndim < len(vshape):  # NumPy lets a value carry extra leading 1s
        g = g.reshape(vshape)
    return sum_to(g, vshape)


def setitem(x, index, value):
    """``x`` with ``x[index] = value``, out of place (the graph of ``x[index] = value``)."""
    return SetItem.apply(x, value, index=normalize_index(index))


class Gather(GetItem):
    """d gather(x, dim, index) = g scatter-added into zeros at index"""
    op_name = "gather"


class Selected(GetItem):
    """d x[mask] = g scattered back into zeros where mask"""
    op_name = "masked_select"


# -- argument checks -------------------------------------------------------------

def _int_index(index, who, name="index"):
    a = np.asarray(data(index))
    if a.dtype.kind not in "iu" and not (a.size == 0 and a.dtype.kind == "f"):
        raise TypeError(f"{who}: {name} must hold integers, got dtype {a.dtype}")
    return a.astype(np.intp, copy=False)


def _in_range(idx, n, who, axis, negative=False):
    lo = -n if negative else 0
    if idx.size and (idx.min() < lo or idx.max() >= n):
        bad = idx[(idx < lo) | (idx >= n)].flat[0]
        raise IndexError(f"{who}: index {bad} is out of bounds for dim {axis} with size {n}")


def _along(x, axis, index, who):
    """The advanced index that picks ``index`` along ``axis`` (PyTorch's gather rule:
    ``index`` has x's number of dims and is no larger in the others)."""
    shape = np.shape(data(x))
    axis = normalize_axis(axis, len(shape), who)[0]
    idx = _int_index(index, who)
    if idx.ndim != len(shape):
        raise ValueError(f"{who}: index has {idx.ndim} dims but the input has "
                         f"{len(shape)} (shape {shape}); they must match")
    for d, (i, n) in enumerate(zip(idx.shape, shape)):
        if d != axis and i > n:
            raise ValueError(f"{who}: index shape {idx.shape} is larger than the input "
                             f"shape {shape} in dim {d}")
    if not shape:
        _in_range(idx, 1, who, 0)
        return axis, idx, ()
    _in_range(idx, shape[axis], who, axis)
    grids = list(np.indices(idx.shape, sparse=True))
    grids[axis] = idx
    return axis, idx, tuple(grids)


def _src_fits(src, idx, who):
    shape = np.shape(data(src))
    if len(shape) != idx.ndim or any(i > n for i, n in zip(idx.shape, shape)):
        raise ValueError(f"{who}: index of shape {idx.shape} is larger than src of shape "
                         f"{shape} (they must have the same number of dims)")


def _leading(src, shape):
    """``src[:shape[0], :shape[1], ...]`` (a view) when it is larger than ``shape``."""
    if np.shape(data(src)) == tuple(shape):
        return src
    return GetItem.apply(src, index=tuple(slice(0, n) for n in shape))


# -- public functions ------------------------------------------------------------

@op("index", spellings=True)
def gather(x, axis, index):
    """``out[i][j] = x[index[i][j]][j]`` for ``dim=0`` (PyTorch's gather); the gradient is
    scatter-added back, repeats summed.

    >>> import autograd as ag
    >>> x = ag.Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> y = ag.gather(x, 1, ag.tensor([[0, 0], [1, 0]])); y.tolist()
    [[1.0, 1.0], [4.0, 3.0]]
    >>> y.sum().backward(); x.grad
    Tensor([[2., 0.],
            [1., 1.]])
    """
    _, _, fancy = _along(x, axis, index, "gather")
    return Gather.apply(x, index=fancy)


@op("index", spellings=True)
def scatter(x, axis, index, src=None, value=None, reduce=None):
    """``x`` with ``out[index[i][j]][j] = src[i][j]`` for ``dim=0`` (PyTorch's scatter; ``src``
    a tensor or a number, or ``value=``); ``src`` gets the gradient at the written places,
    ``x`` elsewhere. ``reduce='add'`` is ``scatter_add``.

    >>> import autograd as ag
    >>> ag.scatter(ag.zeros(2, 3), 1, ag.tensor([[2], [0]]), ag.Tensor([[5.0], [6.0]]))
    Tensor([[0., 0., 5.],
            [6., 0., 0.]])
    """
    if (src is None) == (value is None):
        raise TypeError("scatter: pass exactly one of src (a tensor or a number) and value")
    if reduce is not None:
        if reduce != "add":
            raise ValueError(f"scatter: reduce={reduce!r} is not supported; reduce='add' is "
                             "scatter_add (PyTorch has no gradient for 'multiply' either)")
        if src is None:
            src = broadcast_to(Tensor(np.asarray(value, dtype=data(x).dtype)),
                               np.shape(data(index)))
        return scatter_add(x, axis, index, src)
    src = value if src is None else src
    _, idx, fancy = _along(x, axis, index, "scatter")
    if not isinstance(src, Tensor) and np.ndim(src):
        src = np.asarray(src)
    if isinstance(src, Tensor) or np.ndim(src):
        _src_fits(src, idx, "scatter")
        src = _leading(src, idx.shape)
    return Scattered.apply(x, src, index=fancy)


@op("index", spellings=True)
def scatter_add(x, axis, index, src):
    """``x`` with ``out[index[i][j]][j] += src[i][j]`` for ``dim=0``, repeats adding up
    (PyTorch's scatter_add); the gradient of ``src`` is ``g`` gathered at ``index``.

    >>> import autograd as ag
    >>> ag.scatter_add(ag.zeros(3), 0, ag.tensor([0, 2, 0]), ag.Tensor([1.0, 2.0, 3.0]))
    Tensor([4., 0., 2.])
    """
    _, idx, fancy = _along(x, axis, index, "scatter_add")
    if not isinstance(src, Tensor):
        src = np.asarray(src)
    _src_fits(src, idx, "scatter_add")
    src = _leading(src, idx.shape)
    shape, dtype = np.shape(data(x)), data(x).dtype
    if data(src).dtype != dtype and dtype.kind in "fc":
        src = astype(src, dtype)
    return x + Scatter.apply(src, shape=shape, index=fancy)


@op("index", spellings=True)
def index_select(x, axis, index):
    """The entries ``index`` (1-D) along ``dim``: ``x[:, index]`` for ``dim=1``.

    >>> import autograd as ag
    >>> ag.index_select(ag.Tensor([[1.0, 2.0, 3.0]]), 1, ag.tensor([2, 0]))
    Tensor([[3., 1.]])
    """
    shape = np.shape(data(x))
    axis = normalize_axis(axis, len(shape), "index_select")[0]
    idx = _int_index(index, "index_select")
    if idx.ndim > 1:
        raise ValueError(f"index_select: index must be 1-D, got shape {idx.shape}")
    if not shape:  # PyTorch: a 0-d input takes one index, 0, and stays 0-d
        if idx.size != 1:
            raise ValueError(f"index_select: a 0-d input takes one index, got {idx.size}")
        _in_range(idx, 1, "index_select", 0)
        return GetItem.apply(x, index=())
    _in_range(idx, shape[axis], "index_select", axis)
    return GetItem.apply(x, index=(slice(None),) * axis + (idx.reshape(-1),))


@op("index", aliases=("take_along_dim",), spellings=True)
def take_along_axis(x, indices, axis=None):
    """NumPy's take_along_axis (PyTorch's take_along_dim): ``indices`` picks along
    ``axis`` and broadcasts against ``x`` in the other dims; ``axis=None`` works on the
    flattened ``x``.

    >>> import autograd as ag
    >>> x = ag.Tensor([[10.0, 30.0, 20.0], [60.0, 40.0, 50.0]])
    >>> ag.take_along_axis(x, ag.argmax(x, axis=1, keepdims=True), axis=1)
    Tensor([[30.],
            [60.]])
    """
    idx = _int_index(indices, "take_along_axis", "indices")
    if axis is None:
        if idx.ndim != 1:
            raise ValueError(f"take_along_axis: with axis=None indices must be 1-D, got "
                             f"shape {idx.shape}")
        x = x.reshape(-1) if isinstance(x, Tensor) else np.reshape(x, -1)
        axis = 0
    shape = np.shape(data(x))
    axis = normalize_axis(axis, len(shape), "take_along_axis")[0]
    if idx.ndim != len(shape):
        raise ValueError(f"take_along_axis: indices has {idx.ndim} dims but the input has "
                         f"{len(shape)} (shape {shape})")
    _in_range(idx, shape[axis], "take_along_axis", axis, negative=True)
    fancy = []
    for d, n in enumerate(shape):
        if d == axis:
            fancy.append(idx)
        else:
            fancy.append(np.arange(n).reshape((n,) + (1,) * (len(shape) - d - 1)))
    try:
        np.broadcast_shapes(*(f.shape for f in fancy))
    except ValueError:
        raise ValueError(f"take_along_axis: indices of shape {idx.shape} do not broadcast "
                         f"against the input's shape {shape} outside axis {axis}") from None
    return Gather.apply(x, index=tuple(fancy))


def _mask(mask, who):
    m = np.asarray(data(mask))
    if m.dtype != bool:
        raise TypeError(f"{who}: mask must be a bool tensor, got dtype {m.dtype}")
    return m


@op("index")
def masked_fill(x, mask, value):
    """``value`` where ``mask`` is true, else ``x`` (``mask`` broadcasts; ``value`` a number
    or a 0-d tensor, which gets the summed gradient of the filled places).

    >>> import autograd as ag
    >>> x = ag.Tensor([1.0, 2.0, 3.0])
    >>> ag.masked_fill(x, x > 1.5, 0.0)
    Tensor([1., 0., 0.])
    """
    m = _mask(mask, "masked_fill")
    if np.ndim(data(value)):
        raise ValueError(f"masked_fill: value must be a number or a 0-d tensor, got shape "
                         f"{np.shape(data(value))}")
    shape = np.shape(data(x))
    try:
        np.broadcast_shapes(m.shape, shape)
    except ValueError:
        raise ValueError(f"masked_fill: mask of shape {m.shape} does not broadcast with the "
                         f"input's shape {shape}") from None
    out = where(m, value, x)
    dtype = data(x).dtype
    return out if out.dtype == dtype or dtype.kind not in "fc" else astype(out, dtype)


@op("index")
def masked_select(x, mask):
    """The entries of ``x`` where ``mask`` is true, as a 1-D tensor (both broadcast).

    >>> import autograd as ag
    >>> x = ag.Tensor([[1.0, -2.0], [-3.0, 4.0]])
    >>> ag.masked_select(x, x > 0)
    Tensor([1., 4.])
    """
    m = _mask(mask, "masked_select")
    shape = np.shape(data(x))
    try:
        full = np.broadcast_shapes(m.shape, shape)
    except ValueError:
        raise ValueError(f"masked_select: mask of shape {m.shape} does not broadcast with "
                         f"the input's shape {shape}") from None
    if full != shape:
        x = broadcast_to(x, full)
    return Selected.apply(x, index=np.broadcast_to(m, full))


@op("index")
def nonzero(x, as_tuple=False):
    """Indices of the nonzero entries: an int64 tensor of shape ``(n, ndim)`` (PyTorch's
    default), or one 1-D tensor per dim with ``as_tuple=True`` (NumPy's form). No gradient.

    >>> import autograd as ag
    >>> ag.nonzero(ag.Tensor([[0.0, 1.0], [2.0, 0.0]]))
    Tensor([[0, 1],
            [1, 0]], dtype=int64)
    """
    a = np.asarray(data(x))
    if as_tuple:
        return tuple(_wrap(i.astype(np.int64), None, False) for i in np.nonzero(np.atleast_1d(a)))
    return _wrap(np.argwhere(a).astype(np.int64), None, False)


@op("index", method=False)
def one_hot(x, num_classes=-1):
    """Class indices (an integer tensor) to one-hot rows: an int64 tensor of shape
    ``x.shape + (num_classes,)``; ``num_classes=-1`` uses ``max(x) + 1``. No gradient.

    >>> import autograd as ag
    >>> ag.one_hot(ag.tensor([0, 2]), 3)
    Tensor([[1, 0, 0],
            [0, 0, 1]], dtype=int64)
    """
    a = np.asarray(data(x))
    if a.dtype.kind not in "iu":
        raise TypeError(f"one_hot: expected an integer tensor of class indices, got dtype "
                        f"{a.dtype}")
    if num_classes == -1:
        if a.size == 0:
            raise ValueError("one_hot: cannot infer the number of classes from an empty "
                             "tensor; pass num_classes")
        num_classes = int(a.max()) + 1
    if a.size and (a.min() < 0 or a.max() >= num_classes):
        raise ValueError(f"one_hot: class values must be in [0, {num_classes}), got "
                         f"{a.min()}..{a.max()}")
    return _wrap((a[..., None] == np.arange(num_classes)).astype(np.int64), None, False)
