"""Rows for sort, argsort and topk (see tests/op_table.py): values and indices, the
gradient scattered back to the picked positions; integer samples check stable ties."""
import numpy as np

from op_info import DISTINCT, OpInfo, S


def _order(x, axis=-1, descending=False):
    """The stable order along axis (ties keep index order, descending too)."""
    if x.ndim == 0:
        return np.array(0)
    return np.argsort(-x if descending else x, axis=axis, kind="stable")


def _sort_ref(x, axis=-1, descending=False):
    idx = _order(x, axis, descending)
    return (x.copy() if x.ndim == 0 else np.take_along_axis(x, idx, axis)), idx


def _topk_ref(x, k, axis=-1, largest=True, sorted=True):
    if x.ndim == 0:
        return x.copy(), np.array(0)
    idx = np.take(_order(x, axis, largest), np.arange(k), axis=axis)
    if not sorted:
        idx = np.sort(idx, axis=axis)
    return np.take_along_axis(x, idx, axis), idx


def _torch_topk(torch, x, k, axis=-1, largest=True, sorted=True):
    values, idx = torch.topk(x, k, dim=axis, largest=largest, sorted=sorted)
    if not sorted:  # PyTorch's order is unspecified then; ours is index order
        idx, order = idx.sort(dim=axis)
        values = values.gather(axis, order)
    return values, idx


SORTS = [S(()), S((1,)), S((5,)), S((3, 4)), S((3, 4), axis=0), S((3, 4), descending=True),
         S((2, 3, 4), axis=1, descending=True), S((0,)), S((2, 0), axis=1)]

def _values(fn):
    """The values of a (values, indices) result: the differentiable rows check these."""
    def first(*args, **kw):
        return fn(*args, **kw)[0]
    return first


def _torch_sort(torch, x, axis=-1, descending=False):
    return tuple(torch.sort(x, dim=axis, descending=descending, stable=True))


SORTS = [S(()), S((1,)), S((5,)), S((3, 4)), S((3, 4), axis=0), S((3, 4), descending=True),
         S((2, 3, 4), axis=1, descending=True), S((0,)), S((2, 0), axis=1)]
TOPKS = [S((5,), k=2), S((3, 4), k=3), S((3, 4), k=1, axis=0), S((3, 4), k=2, largest=False),
         S((2, 5, 3), k=3, axis=1, sorted=False), S((4,), k=0), S((), k=1), S((1,), k=1)]

# (values, indices) rows are forward-only (the indices have no gradient); the *_values
# rows check the gradient of the values, scattered back to the picked positions.
ROWS = [
    OpInfo("sort", lambda x, **kw: x.sort(**kw), _sort_ref, SORTS, domain=DISTINCT,
           differentiable=False, float32=False,
           int_samples=[S((3, 6)), S((3, 6), axis=0, descending=True)], torch=_torch_sort,
           checks="values and indices; stable: integer samples with ties"),
    OpInfo("sort_values", _values(lambda x, **kw: x.sort(**kw)), _values(_sort_ref), SORTS,
           domain=DISTINCT, covers=("sort",), torch=_values(_torch_sort)),
    OpInfo("argsort", lambda x, **kw: x.argsort(**kw), lambda x, **kw: _order(x, **kw),
           SORTS, domain=DISTINCT, differentiable=False, float32=False,
           int_samples=[S((3, 6), descending=True), S((4, 5), axis=0)],
           torch=lambda torch, x, axis=-1, descending=False: torch.argsort(
               x, dim=axis, descending=descending, stable=True)),
    OpInfo("topk", lambda x, **kw: x.topk(**kw), _topk_ref, TOPKS, domain=DISTINCT,
           differentiable=False, float32=False,
           int_samples=[S((3, 6), k=4), S((3, 6), k=3, largest=False, axis=1)],
           torch=_torch_topk, checks="largest and smallest, sorted or in index order"),
    OpInfo("topk_values", _values(lambda x, **kw: x.topk(**kw)), _values(_topk_ref), TOPKS,
           domain=DISTINCT, covers=("topk",), torch=_values(_torch_topk)),
]
