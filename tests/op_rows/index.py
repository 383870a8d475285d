"""Rows for indexing and scatter (autograd/ops/index.py): gather, scatter, scatter_add,
index_select, take_along_axis, masked_fill, masked_select (with gradients), nonzero and
one_hot (forward only), each against NumPy and PyTorch (see tests/op_table.py)."""
import numpy as np

import autograd as ag
from op_info import REAL, OpInfo, S

A = np.array


def _grid(index, axis):
    """Where each entry of ``index`` lands along ``axis`` (PyTorch's gather/scatter rule)."""
    grids = list(np.indices(index.shape, sparse=True))
    grids[axis] = index
    return tuple(grids)


def _gather_ref(x, axis, index):
    return x[_grid(index, axis)] if x.ndim else x.copy()


def _scatter_ref(x, src=None, axis=0, index=None, value=None):
    out = x.copy()
    if src is None:
        src = np.full(index.shape, value, x.dtype)
    out[_grid(index, axis) if x.ndim else ()] = src[tuple(slice(0, n) for n in index.shape)]
    return out


def _scatter_add_ref(x, src, axis, index):
    out = x.copy()
    np.add.at(out, _grid(index, axis) if x.ndim else (), src[tuple(slice(0, n) for n in index.shape)])
    return out


def _index_select_ref(x, axis, index):
    return x.copy() if not x.ndim else np.take(x, index.reshape(-1), axis=axis)


def _masked_select_ref(x, mask):
    full = np.broadcast_shapes(x.shape, mask.shape)
    return np.broadcast_to(x, full)[np.broadcast_to(mask, full)]


def SPARSE(rng, shape):
    """Reals with about half the entries exactly 0."""
    return np.where(rng.random(shape) < 0.5, 0.0, rng.uniform(-2, 2, shape))


def CLASSES(rng, shape):
    """Class indices 0..4, as floats (the row casts them to int64)."""
    return rng.integers(0, 5, shape).astype(float)


GATHER = [S((4, 3), axis=0, index=A([[0, 3, 1], [2, 2, 0]])),
          S((4, 3), axis=1, index=A([[0], [2], [1], [1]])),
          S((2, 3, 2), dim=-1, index=A([[[1, 1], [0, 1], [0, 0]], [[1, 0], [1, 1], [0, 1]]])),
          S((4, 3), axis=1, index=A([[2, 2], [0, 1]])),
          S((), axis=0, index=A(0)), S((1,), axis=0, index=A([0, 0, 0])),
          S((0, 3), axis=0, index=np.zeros((0, 3), int))]
# no index repeats along the scattered dim: which repeat wins is unspecified in PyTorch
SCATTER = [S((3, 4), (2, 4), axis=0, index=A([[0, 1, 2, 0], [2, 0, 1, 1]])),
           S((3, 4), (3, 1), axis=1, index=A([[3], [0], [1]])),
           S((2, 3, 2), (2, 2, 2), dim=1, index=A([[[0, 2], [2, 1]], [[1, 1], [0, 2]]])),
           S((), (), axis=0, index=A(0)), S((0, 2), (0, 2), axis=0, index=np.zeros((0, 2), int))]
SCATTER_ADD = [S((3, 4), (2, 4), axis=0, index=A([[0, 0, 2, 0], [0, 1, 1, 0]])),
               S((4,), (5,), axis=0, index=A([3, 3, 0, 1, 3])),
               S((3, 4), (3, 2), dim=1, index=A([[3, 3], [0, 1], [2, 2]])),
               S((), (), axis=0, index=A(0)), S((2, 0), (2, 0), axis=1, index=np.zeros((2, 0), int))]


def _dim(kw):
    """The dim of a sample given as PyTorch's ``dim=`` or NumPy's ``axis=``."""
    return kw["dim"] if "dim" in kw else kw["axis"]


ROWS = [
    OpInfo("gather", lambda x, **kw: x.gather(**kw),
           lambda x, **kw: _gather_ref(x, _dim(kw), kw["index"]),
           GATHER, int_samples=GATHER[:2],
           torch=lambda torch, x, **kw: torch.gather(x, _dim(kw), kw["index"]),
           checks="repeated indices sum in backward; index smaller than the input"),
    OpInfo("scatter", lambda x, src, **kw: ag.scatter(x, _dim(kw), kw["index"], src),
           lambda x, src, **kw: _scatter_ref(x, src, _dim(kw), kw["index"]),
           SCATTER, int_samples=SCATTER[:2],
           torch=lambda torch, x, src, **kw: torch.scatter(x, _dim(kw), kw["index"], src),
           checks="src gets the gradient where written, x elsewhere"),
    OpInfo("scatter_value", lambda x, **kw: x.scatter(kw["axis"], kw["index"], value=2.5),
           lambda x, axis, index: _scatter_ref(x, None, axis, index, 2.5),
           [S((3, 4), axis=1, index=A([[3, 0], [1, 2], [0, 0]])), S((), axis=0, index=A(0))],
           torch=lambda torch, x, axis, index: torch.scatter(x, axis, index, value=2.5),
           covers=("scatter",), checks="a number written (PyTorch's value=)"),
    OpInfo("scatter_add", lambda x, src, **kw: x.scatter_add(_dim(kw), kw["index"], src),
           lambda x, src, **kw: _scatter_add_ref(x, src, _dim(kw), kw["index"]),
           SCATTER_ADD, int_samples=SCATTER_ADD[:2],
           torch=lambda torch, x, src, **kw: torch.scatter_add(x, _dim(kw), kw["index"], src),
           checks="repeated indices add up"),
    OpInfo("scatter_src_larger", lambda x, src, **kw: ag.scatter(x, kw["axis"], kw["index"], src),
           lambda x, src, axis, index: _scatter_ref(x, src, axis, index),
           [S((3, 4), (3, 5), axis=1, index=A([[3], [0], [1]])),
            S((2, 3), (4, 4), axis=0, index=A([[1, 0, 1]]))],
           covers=("scatter",), checks="src larger than index (PyTorch's backward fails there)"),
    OpInfo("scatter_add_src_larger", lambda x, src, **kw: ag.scatter_add(x, kw["axis"], kw["index"], src),
           lambda x, src, axis, index: _scatter_add_ref(x, src, axis, index),
           [S((4,), (6,), axis=0, index=A([3, 3, 0, 1, 3])),
            S((3, 4), (3, 6), axis=1, index=A([[3, 3], [0, 1], [2, 2]]))],
           covers=("scatter_add",), checks="src larger than index"),
    OpInfo("scatter_reduce_add",
           lambda x, src, **kw: ag.scatter(x, kw["axis"], kw["index"], src, reduce="add"),
           lambda x, src, axis, index: _scatter_add_ref(x, src, axis, index),
           SCATTER_ADD[:2], covers=("scatter",), checks="scatter(..., reduce='add')"),
    OpInfo("index_select", lambda x, **kw: x.index_select(_dim(kw), kw["index"]),
           lambda x, **kw: _index_select_ref(x, _dim(kw), kw["index"]),
           [S((4, 3), axis=0, index=A([3, 0, 3])), S((4, 3), dim=1, index=A([2])),
            S((2, 3, 4), axis=-1, index=A([1, 1, 0, 3])), S((4, 3), axis=0, index=A([], int)),
            S((), axis=0, index=A([0])), S((3,), axis=0, index=A(1))],
           int_samples=[S((4, 3), axis=0, index=A([3, 0, 3]))],
           torch=lambda torch, x, **kw: torch.index_select(x, _dim(kw), kw["index"])),
    OpInfo("take_along_axis", lambda x, **kw: ag.take_along_axis(x, **kw),
           lambda x, indices, axis: np.take_along_axis(x, indices, axis),
           [S((3, 4), indices=A([[3], [0], [0]]), axis=1),
            S((3, 4), indices=A([[2, 0, 1, 1]]), axis=0),
            S((2, 3, 4), indices=A([[[0, 3, 3, 1]], [[2, 2, 0, 0]]]), axis=2),
            S((3, 4), indices=A([0, 11, 5, 5]), axis=None), S((1,), indices=A([0, 0]), axis=0)],
           int_samples=[S((3, 4), indices=A([[3], [0], [0]]), axis=1)],
           torch=lambda torch, x, indices, axis: torch.take_along_dim(x, indices, dim=axis),
           checks="indices broadcast against the input; axis=None flattens"),
    OpInfo("take_along_dim_negative", lambda x, **kw: x.take_along_dim(**kw),
           lambda x, indices, dim: np.take_along_axis(x, indices, dim),
           [S((3, 4), indices=A([[-1], [0], [-4]]), dim=1)], covers=("take_along_axis",),
           checks="NumPy's negative indices (PyTorch refuses them)"),
    OpInfo("masked_fill", lambda x, **kw: x.masked_fill(**kw),
           lambda x, mask, value: np.where(mask, value, x),
           [S((3, 4), mask=np.eye(3, 4, dtype=bool), value=1.5),
            S((3, 4), mask=A([True, False, False, True]), value=-2.0),
            S((4,), mask=np.tri(3, 4, dtype=bool), value=0.0), S((), mask=A(True), value=3.0),
            S((0, 3), mask=np.zeros((0, 3), bool), value=1.0)],
           int_samples=[S((3, 4), mask=np.eye(3, 4, dtype=bool), value=7)],
           torch=lambda torch, x, mask, value: torch.masked_fill(x, mask, value),
           checks="mask broadcasts both ways"),
    OpInfo("masked_fill_tensor_value", lambda x, v, **kw: ag.masked_fill(x, kw["mask"], v),
           lambda x, v, mask: np.where(mask, v, x),
           [S((3, 4), (), mask=np.eye(3, 4, dtype=bool)), S((2,), (), mask=A([False, False]))],
           torch=lambda torch, x, v, mask: torch.masked_fill(x, mask, v), covers=("masked_fill",),
           checks="a 0-d tensor value gets the summed gradient of the filled places"),
    OpInfo("masked_select", lambda x, **kw: x.masked_select(**kw), _masked_select_ref,
           [S((3, 4), mask=np.eye(3, 4, dtype=bool)), S((3, 4), mask=A([True, False, True, True])),
            S((4,), mask=np.tri(3, 4, dtype=bool)), S((), mask=A(True)),
            S((2, 3), mask=np.zeros((2, 3), bool)), S((0, 3), mask=np.zeros((0, 3), bool))],
           int_samples=[S((3, 4), mask=np.eye(3, 4, dtype=bool))],
           torch=lambda torch, x, mask: torch.masked_select(x, mask), checks="mask broadcasts"),
    OpInfo("nonzero", lambda x: x.nonzero(), np.argwhere,
           [S((3, 4)), S((5,)), S(()), S((2, 0))], domain=SPARSE, differentiable=False,
           float32=False, int_samples=[S((3, 4)), S(())], torch=lambda torch, x: torch.nonzero(x),
           checks="int64 (n, ndim), PyTorch's layout"),
    OpInfo("nonzero_as_tuple", lambda x: x.nonzero(as_tuple=True),
           lambda x: np.nonzero(np.atleast_1d(x)), [S((3, 4)), S((5,)), S(())], domain=SPARSE,
           differentiable=False, float32=False, covers=("nonzero",),
           torch=lambda torch, x: torch.nonzero(x, as_tuple=True), checks="NumPy's layout"),
    OpInfo("one_hot", lambda x, **kw: ag.one_hot(x.long(), **kw),
           lambda x, num_classes=-1: np.eye(int(x.max()) + 1 if num_classes == -1 else num_classes,
                                            dtype=np.int64)[x.astype(np.int64)],
           [S((4,), num_classes=5), S((2, 3)), S((), num_classes=5), S((0,), num_classes=2)],
           domain=CLASSES, differentiable=False, float32=False,
           torch=lambda torch, x, **kw: torch.nn.functional.one_hot(x.long(), **kw),
           checks="int64 rows; num_classes=-1 takes max + 1"),
]


# -- x[index] = value on a tensor in the graph (issue 11, item 4): recorded in place -----

def _set(index, of=lambda v: v):
    def fn(x, v):
        c = x * 1.0            # a non-leaf, changed in place below
        c[index] = of(v)
        return c
    return fn


def _set_ref(index):
    def ref(x, v):
        out = x.copy()
        out[index] = v
        return out
    return ref


def _set_torch(index):
    def fn(torch, x, v):
        c = x * 1.0
        c[_torch_index(torch, index)] = v
        return c
    return fn


def _torch_index(torch, index):
    if isinstance(index, tuple):
        return tuple(_torch_index(torch, i) for i in index)
    return torch.as_tensor(index) if isinstance(index, np.ndarray) else index


def _setitem_row(name, x_shape, v_shape, index, checks):
    return OpInfo(name, _set(index), _set_ref(index), [S(x_shape, v_shape)],
                  torch=_set_torch(index), checks=checks)


def _into_zeros(x):
    buf = ag.Tensor(np.zeros((3,) + x.shape, x.dtype))   # needs no grad: written in place
    buf[1] = x
    buf[2, ...] = x * x
    return buf


def _into_zeros_torch(torch, x):
    buf = torch.zeros((3,) + tuple(x.shape), dtype=x.dtype)
    buf[1] = x
    buf[2, ...] = x * x
    return buf


ROWS += [
    _setitem_row("setitem_int", (3, 4), (4,), 1, "x[1] = v on a non-leaf (in place, recorded)"),
    _setitem_row("setitem_slice", (4, 3), (2, 1), (slice(1, 3), slice(None)),
                 "a slice, the value broadcast"),
    _setitem_row("setitem_step", (6,), (), slice(None, None, 2), "a step, a 0-d value"),
    _setitem_row("setitem_mask", (3, 4), (6,), np.eye(3, 4, dtype=bool) | np.eye(3, 4, 1, dtype=bool),
                 "a boolean mask"),
    _setitem_row("setitem_advanced", (4, 3), (2, 3), A([3, 0]), "an integer array"),
    _setitem_row("setitem_advanced_pairs", (4, 3), (3,), (A([0, 1, 3]), A([2, 2, 0])),
                 "integer arrays in two dims"),
    OpInfo("setitem_into_zeros", _into_zeros, lambda x: np.stack([0 * x, x, x * x]),
           [S((2, 3)), S(()), S((1,))], torch=_into_zeros_torch,
           checks="buf[i] = x on a tensor that needs no grad: it joins the graph"),
]
