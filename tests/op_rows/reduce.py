"""Rows for the reductions of issue 11: std, prod, the cumulative ops, amax/amin, norm,
median and the forward-only count_nonzero/any/all (see tests/op_table.py)."""
import numpy as np

import autograd as ag
from op_info import DISTINCT, REAL, REDUCE, OpInfo, S, torch_dims as _dims

INF = np.inf


def WITH_ZEROS(rng, shape):
    """Real values with exact zeros: one in some slices, two or more in others."""
    x = REAL(rng, shape)
    return np.where(rng.random(shape) < 0.3, 0.0, x)


def ZEROS_OR_NOT(rng, shape):
    """Half zeros, for counts and truth values."""
    return np.where(rng.random(shape) < 0.5, 0.0, rng.uniform(-2, 2, shape))


def _torch_prod(torch, x, axis=None, keepdims=False):
    """torch.prod takes one dim: reduce the axes one at a time, the last first."""
    if x.ndim == 0:
        return x.prod()
    axes = range(x.ndim) if axis is None else np.atleast_1d(axis) % x.ndim
    for a in sorted(axes, reverse=True):
        x = x.prod(dim=int(a), keepdim=keepdims)
    return x


def _scan_torch(name):
    """torch.cumsum/cumprod in NumPy's form: axis None (or a 0-d input) flattens."""
    def fn(torch, x, axis=None):
        if axis is None or x.ndim == 0:
            x, axis = x.reshape(-1), 0
        return getattr(torch, name)(x, dim=axis)
    return fn


def _logcumsumexp_ref(x, axis):
    return x.copy() if x.ndim == 0 else np.logaddexp.accumulate(x, axis=axis)


def _cum_pick_ref(better):
    """Running max/min and PyTorch's indices (a later equal value takes over), by loops."""
    def ref(x, axis):
        if x.ndim == 0:
            return x.copy(), np.array(0)
        xm = np.moveaxis(x, axis, -1)
        vals, idx = np.empty_like(xm), np.zeros(xm.shape, np.int64)
        for pos in np.ndindex(xm.shape[:-1]):
            best = 0
            for k in range(xm.shape[-1]):
                if better(xm[pos + (k,)], xm[pos + (best,)]) or \
                        xm[pos + (k,)] == xm[pos + (best,)]:
                    best = k
                vals[pos + (k,)], idx[pos + (k,)] = xm[pos + (best,)], best
        return np.moveaxis(vals, -1, axis), np.moveaxis(idx, -1, axis)
    return ref


def _median_ref(x):
    return np.quantile(x, 0.5, method="lower") if x.size else np.array(np.nan, x.dtype)


def _median_dim_ref(x, axis, keepdims=False):
    if x.ndim == 0:
        return x.copy(), np.array(0)
    k = (x.shape[axis] - 1) // 2
    idx = np.take(np.argsort(x, axis=axis, kind="stable"), [k], axis=axis)
    vals = np.take_along_axis(x, idx, axis)
    return (vals, idx) if keepdims else (vals.squeeze(axis), idx.squeeze(axis))


def _values(fn):
    """The values of a (values, indices) result: the differentiable rows check these."""
    def first(*args, **kw):
        return fn(*args, **kw)[0]
    return first


def _torch_cum(name):
    return lambda torch, x, axis: tuple(getattr(torch, name)(x, dim=axis))


def _torch_median(torch, x, axis, keepdims=False):
    return tuple(torch.median(x, dim=axis, keepdim=keepdims))


MEDIANS = [S((5,), axis=0), S((3, 4), axis=1), S((4, 3), axis=0, keepdims=True),
           S((2, 3, 4), axis=-1), S((), axis=0)]
CUM = [S((5,), axis=0), S((3, 4), axis=1), S((3, 4), axis=0), S((2, 3, 4), axis=-1),
       S((1,), axis=0), S((), axis=0), S((2, 0), axis=1)]
NUMPY_CUM = CUM + [S((3, 4)), S(())]
COUNT = [S(()), S((1,)), S((6,)), S((3, 4), axis=1), S((3, 4), axis=(0, 1)),
         S((2, 3, 4), axis=(0, 2), keepdims=True), S((2, 0), axis=1)]

ROWS = [
    OpInfo("std", lambda x, **kw: x.std(**kw), np.std,
           REDUCE + [S((3, 4), axis=0, ddof=1), S((5,), ddof=1), S((2, 3, 4), axis=(0, 2), ddof=2)],
           torch=lambda torch, x, axis=None, keepdims=False, ddof=0: torch.std(
               x, dim=_dims(x, axis), correction=ddof, keepdim=keepdims)),
    OpInfo("std_correction", lambda x, **kw: ag.std(x, **kw),
           lambda x, axis=None, correction=0, keepdims=False: np.std(
               x, axis=axis, ddof=correction, keepdims=keepdims),
           [S((3, 4), axis=1, correction=1), S((3, 4), axis=0, correction=0, keepdims=True)],
           covers=("std",), torch=lambda torch, x, axis=None, **kw: torch.std(
               x, dim=axis, **{k.replace("keepdims", "keepdim"): v for k, v in kw.items()})),
    OpInfo("prod", lambda x, **kw: x.prod(**kw), np.prod, REDUCE, torch=_torch_prod,
           int_samples=[S((3, 4), axis=1), S((2, 3))]),
    OpInfo("prod_zeros", lambda x, **kw: ag.prod(x, **kw), np.prod,
           [S((4, 5), axis=1), S((5, 4), axis=0, keepdims=True), S((2, 3, 4), axis=(0, 2)),
            S((12,))],
           domain=WITH_ZEROS, covers=("prod",), torch=_torch_prod,
           checks="exact zeros: one and several per slice"),
    OpInfo("cumsum", lambda x, **kw: x.cumsum(**kw), np.cumsum, NUMPY_CUM,
           torch=_scan_torch("cumsum"), int_samples=[S((3, 4), axis=1), S((5,))]),
    OpInfo("cumprod", lambda x, **kw: x.cumprod(**kw), np.cumprod, NUMPY_CUM,
           torch=_scan_torch("cumprod"), int_samples=[S((3, 4), axis=0)]),
    OpInfo("cumprod_zeros", lambda x, **kw: ag.cumprod(x, **kw), np.cumprod,
           [S((4, 6), axis=1), S((6, 3), axis=0), S((12,))], domain=WITH_ZEROS,
           covers=("cumprod",), torch=_scan_torch("cumprod"),
           checks="exact zeros: one and several per slice"),
    OpInfo("logcumsumexp", lambda x, **kw: x.logcumsumexp(**kw), _logcumsumexp_ref, CUM,
           torch=lambda torch, x, axis: torch.logcumsumexp(x, dim=axis)),
    OpInfo("cummax", lambda x, **kw: x.cummax(**kw), _cum_pick_ref(np.greater), CUM,
           domain=DISTINCT, differentiable=False, float32=False,
           int_samples=[S((3, 6), axis=1)], torch=_torch_cum("cummax"),
           checks="values and indices; integer samples with ties"),
    OpInfo("cummax_values", _values(lambda x, **kw: x.cummax(**kw)),
           _values(_cum_pick_ref(np.greater)), CUM, domain=DISTINCT, covers=("cummax",),
           torch=_values(_torch_cum("cummax")), checks="no ties"),
    OpInfo("cummin", lambda x, **kw: ag.cummin(x, **kw), _cum_pick_ref(np.less), CUM,
           domain=DISTINCT, differentiable=False, float32=False,
           int_samples=[S((3, 6), axis=0)], torch=_torch_cum("cummin"),
           checks="values and indices; integer samples with ties"),
    OpInfo("cummin_values", _values(lambda x, **kw: ag.cummin(x, **kw)),
           _values(_cum_pick_ref(np.less)), CUM, domain=DISTINCT, covers=("cummin",),
           torch=_values(_torch_cum("cummin")), checks="no ties"),
    OpInfo("amax", lambda x, **kw: x.amax(**kw), np.max, REDUCE, domain=DISTINCT,
           torch=lambda torch, x, axis=None, keepdims=False: torch.amax(
               x, dim=_dims(x, axis), keepdim=keepdims), checks="no ties"),
    OpInfo("amin", lambda x, **kw: ag.amin(x, **kw), np.min, REDUCE, domain=DISTINCT,
           torch=lambda torch, x, axis=None, keepdims=False: torch.amin(
               x, dim=_dims(x, axis), keepdim=keepdims), checks="no ties"),
    OpInfo("norm", lambda x, **kw: x.norm(**kw), np.linalg.norm,
           [S(()), S((1,)), S((5,)), S((3, 4)), S((2, 3, 4)), S((3, 4), axis=1),
            S((3, 4), axis=0, keepdims=True), S((5,), ord=1), S((5,), ord=INF),
            S((5,), ord=-INF), S((5,), ord=3), S((3, 4), ord=1, axis=-1),
            S((3, 4), ord="fro"), S((3, 4), ord=1), S((3, 4), ord=-1), S((3, 4), ord=INF),
            S((3, 4), ord=-INF), S((2, 3, 4), ord=1, axis=(2, 0)),
            S((2, 3, 4), ord=INF, axis=(1, 2), keepdims=True), S((2, 3, 4), axis=(0, 1)),
            S((0,)), S((2, 0), axis=1)],
           domain=DISTINCT, checks="vector ord 1, 2, inf, -inf, 3; matrix 'fro', +-1, +-inf",
           torch=lambda torch, x, ord=None, axis=None, keepdims=False: torch.linalg.norm(
               x, ord, dim=axis, keepdim=keepdims)),
    OpInfo("norm_svd", lambda x, **kw: ag.norm(x, **kw), np.linalg.norm,
           [S((3, 4), ord="nuc"), S((3, 4), ord=2), S((4, 3), ord=-2),
            S((2, 3, 4), ord="nuc", axis=(2, 1)), S((2, 3, 4), ord=2, axis=(0, 2))],
           covers=("norm",), gradgrad=False, checks="singular values; first-order backward",
           torch=lambda torch, x, ord=None, axis=None: torch.linalg.norm(x, ord, dim=axis)),
    OpInfo("norm_p", lambda x, **kw: ag.norm(x, **kw),
           lambda x, p, axis=None, keepdims=False: np.linalg.norm(
               x.reshape(-1) if axis is None else x, 2 if p == "fro" else p,
               axis=axis, keepdims=keepdims),
           [S((3, 4), p=1), S((3, 4), p="fro"), S((3, 4), p=INF, axis=1),
            S((2, 3), p=2, axis=0, keepdims=True)],
           domain=DISTINCT, covers=("norm",), checks="torch.norm's p: a vector norm",
           torch=lambda torch, x, p, axis=None, keepdims=False: torch.norm(
               x, p=p, dim=axis, keepdim=keepdims)),
    OpInfo("norm_ord0", lambda x, **kw: ag.norm(x, **kw), np.linalg.norm,
           [S((6,), ord=0), S((3, 4), ord=0, axis=1)], domain=ZEROS_OR_NOT, covers=("norm",),
           differentiable=False, checks="counts the nonzeros: no gradient",
           torch=lambda torch, x, ord, axis=None: torch.linalg.norm(x, ord, dim=axis)),
    OpInfo("median", lambda x: x.median(), _median_ref, [S(()), S((1,)), S((5,)), S((3, 4))],
           torch=lambda torch, x: torch.median(x), checks="lower median"),
    OpInfo("median_dim", lambda x, **kw: ag.median(x, **kw), _median_dim_ref, MEDIANS,
           covers=("median",), differentiable=False, float32=False,
           int_samples=[S((3, 5), axis=1)], torch=_torch_median,
           checks="lower median, values and indices"),
    OpInfo("median_dim_values", _values(lambda x, **kw: ag.median(x, **kw)),
           _values(_median_dim_ref), MEDIANS, covers=("median",),
           torch=_values(_torch_median)),
    OpInfo("count_nonzero", lambda x, **kw: x.count_nonzero(**kw), np.count_nonzero, COUNT,
           domain=ZEROS_OR_NOT, differentiable=False, float32=False,
           int_samples=[S((3, 4), axis=1), S((5,))],
           torch=lambda torch, x, axis=None, keepdims=False: torch.count_nonzero(
               x, dim=axis).reshape(np.count_nonzero(np.zeros(x.shape), axis=axis,
                                                     keepdims=keepdims).shape)),
    OpInfo("any", lambda x, **kw: x.any(**kw), np.any, COUNT, domain=ZEROS_OR_NOT,
           differentiable=False, float32=False, int_samples=[S((3, 4), axis=0)],
           torch=lambda torch, x, axis=None, keepdims=False: torch.any(
               x, dim=_dims(x, axis), keepdim=keepdims)),
    OpInfo("all", lambda x, **kw: x.all(**kw), np.all, COUNT, domain=ZEROS_OR_NOT,
           differentiable=False, float32=False, int_samples=[S((3, 4), axis=1)],
           torch=lambda torch, x, axis=None, keepdims=False: torch.all(
               x, dim=_dims(x, axis), keepdim=keepdims)),
]
