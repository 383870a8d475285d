"""THE op table: one row per differentiable op drives the generic tests.

tests/test_ops.py runs, for every row and every sample of it: forward against
the NumPy reference (float64 and float32), float64 gradcheck, gradgradcheck
(unless ``gradgrad=False``), differentiability of the backward in the incoming
gradient, gradient shapes and dtypes, inputs left unchanged, and nothing
recorded under ``no_grad``; tests/test_ops_torch.py compares forward and
gradients with PyTorch for rows that give their ``torch`` form (skipped where
PyTorch is not installed). docs/ops.md is generated from the table and the op
declarations (``python docs/make_docs.py``; a test fails when it is stale).

The core rows are below; each family of ops keeps its rows in
``tests/op_rows/<family>.py`` as a list ``ROWS``, gathered at the end of this
file. Adding an op is its declaration (autograd/ops/) plus one row::

    OpInfo("conv2d", fn=lambda x, w, **kw: F.conv2d(x, w, **kw),   # takes Tensors
           ref=conv2d_reference,                                     # takes ndarrays
           samples=[S((1, 2, 5, 5), (3, 2, 3, 3)),                   # one shape per input
                    S((2, 1, 4, 4), (1, 1, 3, 3), padding=1)],       # keyword arguments
           domain=REAL,                                              # or one per input
           torch=lambda torch, x, w, **kw: torch.nn.functional.conv2d(x, w, **kw))

``fn`` and ``ref`` get the same positional inputs (every one is a Tensor that
requires grad for ``fn``, an ndarray for ``ref``) and the sample's keyword
arguments. Either may return one value or a tuple of them. Arguments that get
no gradient (integer class targets, masks, strides) go in the keyword
arguments, e.g. ``S((4, 3), target=np.array([0, 2, 1, 2]))``. Set
``gradgrad=False`` for an op whose backward is not itself differentiable,
``differentiable=False`` for ops checked on their forward only (comparisons,
counts), ``int_samples`` for samples also run on integer inputs, ``covers``
when the row's name is not the declared op's, and a domain that keeps samples
away from kinks and ties (see tests/op_info.py). Keep sample shapes small (tens
of elements): every element is perturbed twice per check.
"""
from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np

import autograd as ag

from op_info import *  # noqa: F401,F403  (the rows' vocabulary)
from op_info import (AWAY_FROM, BINARY, DISTINCT, F64, GRID, NONZERO, POSITIVE, REAL,  # noqa: F401
                     REDUCE, SOFTMAX, UNARY, OpInfo, S, Sample, _INDEXES, _cond, _flatten_ref,
                     _log_softmax, _logsumexp, _sigmoid, _where, _where_ref)
from op_info import torch_dims as _dims

OPS = [
    # arithmetic
    OpInfo("add", lambda x, y: x + y, np.add, BINARY),
    OpInfo("sub", lambda x, y: x - y, np.subtract, BINARY),
    OpInfo("mul", lambda x, y: x * y, np.multiply, BINARY),
    OpInfo("div", lambda x, y: x / y, np.divide, BINARY, domain=(REAL, NONZERO)),
    OpInfo("pow", lambda x, y: x ** y, np.power, BINARY, domain=(POSITIVE, REAL)),
    OpInfo("pow_int_exponent", lambda x: x ** 3, lambda x: x ** 3, UNARY),
    OpInfo("pow_negative_exponent", lambda x: x ** -1.5, lambda x: x ** -1.5, UNARY,
           domain=POSITIVE),
    OpInfo("neg", lambda x: -x, np.negative, UNARY),
    OpInfo("add_fn", ag.add, np.add, BINARY[:3]),
    OpInfo("mul_fn", ag.mul, np.multiply, BINARY[:3]),
    # reflected forms: Python scalars, NumPy scalars and NumPy arrays on the left
    OpInfo("radd_python", lambda x: 2.5 + x, lambda x: 2.5 + x, UNARY),
    OpInfo("rsub_python", lambda x: 2.5 - x, lambda x: 2.5 - x, UNARY),
    OpInfo("rmul_python", lambda x: 2.5 * x, lambda x: 2.5 * x, UNARY),
    OpInfo("rtruediv_python", lambda x: 2.5 / x, lambda x: 2.5 / x, UNARY, domain=NONZERO),
    OpInfo("rpow_python", lambda x: 2.5 ** x, lambda x: 2.5 ** x, UNARY),
    OpInfo("radd_numpy_scalar", lambda x: F64(2.5) + x, lambda x: F64(2.5) + x, UNARY,
           promotes=True),
    OpInfo("rsub_numpy_scalar", lambda x: F64(2.5) - x, lambda x: F64(2.5) - x, UNARY,
           promotes=True),
    OpInfo("rmul_numpy_scalar", lambda x: F64(2.5) * x, lambda x: F64(2.5) * x, UNARY,
           promotes=True),
    OpInfo("rtruediv_numpy_scalar", lambda x: F64(2.5) / x, lambda x: F64(2.5) / x, UNARY,
           domain=NONZERO, promotes=True),
    OpInfo("rpow_numpy_scalar", lambda x: F64(1.5) ** x, lambda x: F64(1.5) ** x, UNARY,
           promotes=True),
    OpInfo("rsub_numpy_array", lambda x: np.linspace(-1, 1, 3) - x,
           lambda x: np.linspace(-1, 1, 3) - x, [S((3,)), S((2, 3)), S(())], promotes=True),
    OpInfo("rmul_numpy_array", lambda x: np.linspace(-1, 1, 3) * x,
           lambda x: np.linspace(-1, 1, 3) * x, [S((3,)), S((2, 1)), S(()), S((1,))],
           promotes=True),
    OpInfo("rmatmul_numpy_array", lambda x: np.arange(6.0).reshape(2, 3) @ x,
           lambda x: np.arange(6.0).reshape(2, 3) @ x, [S((3,)), S((3, 2))], promotes=True),
    OpInfo("matmul", lambda x, y: x @ y, np.matmul,
           [S((3, 4), (4, 2)), S((4,), (4,)), S((4,), (4, 2)), S((3, 4), (4,)),
            S((2, 3, 4), (4, 2)), S((3, 4), (2, 4, 2)), S((2, 1, 3, 4), (3, 4, 2)),
            S((4,), (2, 4, 3)), S((2, 3, 4), (4,)), S((1, 1), (1, 1))]),
    # elementwise functions
    OpInfo("abs", lambda x: abs(x), np.abs, UNARY, domain=NONZERO, checks="away from 0"),
    OpInfo("exp", lambda x: x.exp(), np.exp, UNARY),
    OpInfo("log", lambda x: x.log(), np.log, UNARY, domain=POSITIVE),
    OpInfo("sqrt", lambda x: x.sqrt(), np.sqrt, UNARY, domain=POSITIVE),
    OpInfo("sin", lambda x: x.sin(), np.sin, UNARY),
    OpInfo("cos", lambda x: x.cos(), np.cos, UNARY),
    OpInfo("tanh", lambda x: x.tanh(), np.tanh, UNARY),
    OpInfo("sigmoid", lambda x: x.sigmoid(), _sigmoid, UNARY),
    OpInfo("relu", lambda x: x.relu(), lambda x: np.maximum(x, 0), UNARY, domain=NONZERO,
           checks="away from 0"),
    OpInfo("leaky_relu", lambda x, **kw: x.leaky_relu(**kw),
           lambda x, negative_slope=0.01: np.where(x > 0, x, negative_slope * x),
           UNARY + [S((2, 3), negative_slope=0.2)], domain=NONZERO, checks="away from 0"),
    OpInfo("clip", lambda x, lo, hi: x.clip(lo, hi), lambda x, lo, hi: np.clip(x, lo, hi),
           [S((), lo=-0.5, hi=0.5), S((2, 5), lo=-0.5, hi=0.5), S((7,), lo=None, hi=0.5),
            S((7,), lo=-0.5, hi=None)],
           domain=AWAY_FROM(-0.5, 0.5), checks="away from the bounds"),
    OpInfo("maximum", ag.maximum, np.maximum, BINARY, domain=(GRID(0), GRID(1)),
           checks="no ties"),
    OpInfo("minimum", lambda x, y: x.minimum(y), np.minimum, BINARY,
           domain=(GRID(0), GRID(1)), checks="no ties"),
    OpInfo("where", _where, _where_ref, BINARY, checks="fixed mask, broadcast"),
    # reductions
    OpInfo("sum", lambda x, **kw: x.sum(**kw), np.sum, REDUCE),
    OpInfo("sum_fn", ag.sum, np.sum, REDUCE[3:6]),
    OpInfo("mean", lambda x, **kw: x.mean(**kw), np.mean, REDUCE),
    OpInfo("max", lambda x, **kw: x.max(**kw), np.max, REDUCE, domain=DISTINCT,
           checks="no ties"),
    OpInfo("min", lambda x, **kw: x.min(**kw), np.min, REDUCE, domain=DISTINCT,
           checks="no ties"),
    OpInfo("var", lambda x, **kw: x.var(**kw), np.var,
           REDUCE + [S((3, 4), axis=0, ddof=1), S((5,), ddof=1)]),
    OpInfo("logsumexp", lambda x, **kw: x.logsumexp(**kw), _logsumexp, REDUCE),
    OpInfo("softmax", lambda x, **kw: x.softmax(**kw),
           lambda x, axis=-1: np.exp(_log_softmax(x, axis)), SOFTMAX),
    OpInfo("log_softmax", lambda x, **kw: x.log_softmax(**kw), _log_softmax, SOFTMAX),
    # shape ops
    OpInfo("reshape", lambda x, shape: x.reshape(shape), np.reshape,
           [S((), shape=(1, 1)), S((2, 3, 4), shape=(6, 4)), S((2, 3), shape=(-1,)),
            S((6,), shape=(3, 1, 2))]),
    OpInfo("reshape_varargs", lambda x: x.reshape(3, -1), lambda x: x.reshape(3, -1),
           [S((6,)), S((3, 2, 2))]),
    OpInfo("transpose", lambda x, axes: x.transpose(axes), np.transpose,
           [S((2, 3), axes=None), S((2, 3, 4), axes=(1, 0, 2)), S((2, 3, 4), axes=(2, 0, 1)),
            S((), axes=None)]),
    OpInfo("transpose_varargs", lambda x: x.transpose(1, 0, 2),
           lambda x: x.transpose(1, 0, 2), [S((2, 3, 4))]),
    OpInfo("T", lambda x: x.T, lambda x: x.T, [S(()), S((4,)), S((2, 3)), S((2, 3, 4))]),
    OpInfo("swapaxes", lambda x, **kw: x.swapaxes(**kw), np.swapaxes,
           [S((2, 3), axis1=0, axis2=1), S((2, 3, 4), axis1=0, axis2=-1),
            S((2, 3), axis1=1, axis2=1)]),
    OpInfo("flatten", lambda x, **kw: x.flatten(**kw), _flatten_ref,
           [S(()), S((2, 3, 4)), S((2, 3, 4), start_dim=1), S((2, 3, 4), end_dim=1)]),
    OpInfo("squeeze", lambda x, **kw: x.squeeze(**kw), np.squeeze,
           [S((1,)), S((2, 1, 3, 1)), S((2, 1, 3, 1), axis=1), S((1, 3, 1), axis=(0, 2))]),
    OpInfo("expand_dims", lambda x, axis: x.expand_dims(axis), np.expand_dims,
           [S((), axis=0), S((2, 3), axis=0), S((2, 3), axis=1), S((2, 3), axis=-1)]),
    OpInfo("broadcast_to", lambda x, shape: x.broadcast_to(shape), np.broadcast_to,
           [S((), shape=(2, 3)), S((3,), shape=(2, 3)), S((2, 1), shape=(2, 4)),
            S((1, 3, 1), shape=(2, 3, 2))]),
    OpInfo("pad", lambda x, **kw: ag.pad(x, **kw), np.pad,
           [S((3,), pad_width=(1, 2)), S((2, 3), pad_width=((0, 1), (2, 0))),
            S((2, 3), pad_width=1, constant_values=0.5)]),
    OpInfo("concatenate", lambda *xs, **kw: ag.concatenate(xs, **kw),
           lambda *xs, **kw: np.concatenate(xs, **kw),
           [S((2,), (3,)), S((2, 3), (1, 3), (2, 3)), S((2, 3), (2, 1), axis=1),
            S((2, 2, 1), (2, 2, 3), axis=-1)]),
    OpInfo("stack", lambda *xs, **kw: ag.stack(xs, **kw), lambda *xs, **kw: np.stack(xs, **kw),
           [S((), ()), S((3,), (3,), (3,)), S((2, 3), (2, 3), axis=1),
            S((2, 3), (2, 3), axis=-1)]),
    OpInfo("split", lambda x, parts, axis=0: tuple(ag.split(x, parts, axis)),
           lambda x, parts, axis=0: tuple(np.split(x, parts, axis)),
           [S((6,), parts=3), S((4, 3), parts=[1, 3]), S((2, 6), parts=2, axis=1),
            S((2, 5), parts=[2, 2], axis=-1)]),
    OpInfo("getitem", lambda x, index: x[index], lambda x, index: x[index],
           [S(shape, index=index) for shape, index in _INDEXES],
           checks="ints, slices, steps, negative steps, None/Ellipsis, repeated integer "
                  "arrays, lists, boolean masks"),
    # dtype and copies
    OpInfo("astype_float64", lambda x: x.astype(np.float64), lambda x: x.astype(np.float64),
           UNARY, promotes=True, covers=("astype",)),
    OpInfo("astype_float32", lambda x: x.astype(np.float32), lambda x: x.astype(np.float32),
           UNARY, rtol=1e-6, atol=1e-7, eps=1e-3),
    OpInfo("clone", lambda x: x.clone(), np.copy, UNARY),
    # compositions exercising diamonds and reuse inside one row
    OpInfo("x_times_x_plus_x", lambda x: (x + x) * x, lambda x: (x + x) * x, UNARY),
    OpInfo("tanh_of_matmul", lambda x, w: (x @ w).tanh().sum(axis=0),
           lambda x, w: np.tanh(x @ w).sum(axis=0), [S((3, 4), (4, 2))]),
]

OPS += [
    OpInfo("argmax", lambda x, **kw: x.argmax(**kw), np.argmax,
           [S((5,)), S((3, 4), axis=1), S((3, 4), axis=0, keepdims=True)], domain=DISTINCT,
           differentiable=False, float32=False, int_samples=[S((2, 3), axis=1)],
           torch=lambda torch, x, axis=None, keepdims=False: torch.argmax(x, dim=axis,
                                                                          keepdim=keepdims)),
    OpInfo("argmin", lambda x, **kw: ag.argmin(x, **kw), np.argmin,
           [S((5,)), S((3, 4), axis=-1)], domain=DISTINCT, differentiable=False,
           float32=False, torch=lambda torch, x, axis=None: torch.argmin(x, dim=axis)),
]

# PyTorch's forms of the core rows (compared where PyTorch is installed)
_TORCH = {
    "add": lambda t, x, y: x + y, "sub": lambda t, x, y: x - y, "mul": lambda t, x, y: x * y,
    "div": lambda t, x, y: x / y, "pow": lambda t, x, y: x ** y, "neg": lambda t, x: -x,
    "matmul": lambda t, x, y: t.matmul(x, y), "abs": lambda t, x: x.abs(),
    "exp": lambda t, x: x.exp(), "log": lambda t, x: x.log(), "sqrt": lambda t, x: x.sqrt(),
    "sin": lambda t, x: x.sin(), "cos": lambda t, x: x.cos(), "tanh": lambda t, x: x.tanh(),
    "sigmoid": lambda t, x: x.sigmoid(), "relu": lambda t, x: x.relu(),
    "leaky_relu": lambda t, x, negative_slope=0.01: t.nn.functional.leaky_relu(
        x, negative_slope),
    "maximum": lambda t, x, y: t.maximum(x, y), "minimum": lambda t, x, y: t.minimum(x, y),
    "sum": lambda t, x, axis=None, keepdims=False: x.sum(
        dim=axis if axis is not None else tuple(range(x.ndim)), keepdim=keepdims),
    "logsumexp": lambda t, x, axis=None, keepdims=False: t.logsumexp(
        x, dim=axis if axis is not None else tuple(range(x.ndim)), keepdim=keepdims),
    "softmax": lambda t, x, axis=-1: t.softmax(x, dim=axis),
    "log_softmax": lambda t, x, axis=-1: t.log_softmax(x, dim=axis),
    "clone": lambda t, x: x.clone(),
    "pow_int_exponent": lambda t, x: x ** 3,
    "pow_negative_exponent": lambda t, x: x ** -1.5,
    "add_fn": lambda t, x, y: t.add(x, y), "mul_fn": lambda t, x, y: t.mul(x, y),
    "radd_python": lambda t, x: 2.5 + x, "rsub_python": lambda t, x: 2.5 - x,
    "rmul_python": lambda t, x: 2.5 * x, "rtruediv_python": lambda t, x: 2.5 / x,
    "rpow_python": lambda t, x: 2.5 ** x,
    "clip": lambda t, x, lo, hi: t.clamp(x, lo, hi),
    "where": lambda t, x, y: t.where(
        t.as_tensor(_cond(t.broadcast_shapes(x.shape, y.shape))), x, y),
    "sum_fn": lambda t, x, axis=None, keepdims=False: x.sum(dim=_dims(x, axis),
                                                            keepdim=keepdims),
    "mean": lambda t, x, axis=None, keepdims=False: x.mean(dim=_dims(x, axis),
                                                           keepdim=keepdims),
    "max": lambda t, x, axis=None, keepdims=False: t.amax(x, dim=_dims(x, axis),
                                                          keepdim=keepdims),
    "min": lambda t, x, axis=None, keepdims=False: t.amin(x, dim=_dims(x, axis),
                                                          keepdim=keepdims),
    "var": lambda t, x, axis=None, keepdims=False, ddof=0: t.var(
        x, dim=_dims(x, axis), correction=ddof, keepdim=keepdims),
    "reshape": lambda t, x, shape: x.reshape(shape),
    "reshape_varargs": lambda t, x: x.reshape(3, -1),
    "transpose": lambda t, x, axes: x.permute(
        tuple(reversed(range(x.ndim))) if axes is None else axes),
    "transpose_varargs": lambda t, x: x.permute(1, 0, 2),
    "T": lambda t, x: x.permute(tuple(reversed(range(x.ndim)))),
    "swapaxes": lambda t, x, axis1, axis2: x.swapaxes(axis1, axis2),
    "flatten": lambda t, x, start_dim=0, end_dim=-1: t.flatten(x, start_dim, end_dim),
    "squeeze": lambda t, x, axis=None: x.squeeze() if axis is None else x.squeeze(axis),
    "expand_dims": lambda t, x, axis: x.unsqueeze(axis),
    "broadcast_to": lambda t, x, shape: x.broadcast_to(shape),
    "concatenate": lambda t, *xs, axis=0: t.cat(xs, dim=axis),
    "stack": lambda t, *xs, axis=0: t.stack(xs, dim=axis),
    "split": lambda t, x, parts, axis=0: t.tensor_split(x, parts, dim=axis),
    "astype_float64": lambda t, x: x.double(), "astype_float32": lambda t, x: x.float(),
    "x_times_x_plus_x": lambda t, x: (x + x) * x,
    "tanh_of_matmul": lambda t, x, w: (x @ w).tanh().sum(0),
}

for _op in OPS:
    if _op.name in _TORCH:
        _op.torch = _TORCH[_op.name]
for _name in ("add", "sub", "mul", "neg"):
    _op = next(o for o in OPS if o.name == _name)
    _op.int_samples = [s for s in _op.samples if len(s.shapes[0]) >= 2][:2]

OPS_BY_NAME = {op.name: op for op in OPS}


def cases(ops=None, only=None):
    """(op, sample) pairs for pytest.mark.parametrize, with readable ids."""
    import pytest
    out = []
    for op in OPS if ops is None else ops:
        if only is not None and not only(op):
            continue
        for i, sample in enumerate(op.samples):
            out.append(pytest.param(op, sample, id=f"{op.name}-{i}-{sample!r}"))
    return out


# -- nn's fused primitives: F.linear and F.cross_entropy (composed forms as references) --
import nn.functional as _F  # noqa: E402


def _linear_ref(x, w, b):
    return x @ w.T + b


def _cross_entropy_ref(x, y=None, target=None, weight=None, reduction="mean"):
    """log_softmax over dim 1, then the (weighted) negative log-likelihood."""
    logp = np.moveaxis(_log_softmax(x, axis=1), 1, -1)
    w = np.ones(x.shape[1], x.dtype) if weight is None else weight.astype(x.dtype)
    if target is not None:
        loss, denom = -np.take_along_axis(logp, target[..., None], -1)[..., 0] * w[target], \
            w[target].sum()
    else:
        loss, denom = -(np.moveaxis(y, 1, -1) * w * logp).sum(-1), logp[..., 0].size
    return loss if reduction == "none" else loss.sum() / (denom if reduction == "mean" else 1)


OPS.append(OpInfo("linear", lambda x, w, b: _F.linear(x, w, b), _linear_ref,
                  [S((3, 4), (2, 4), (2,)), S((2, 3, 4), (5, 4), (5,)), S((1, 1), (1, 1), (1,))],
                  checks="fused in nn.functional; oracle x @ W.T + b"))
OPS.append(OpInfo(
    "cross_entropy",
    lambda x, *y, **kw: _F.cross_entropy(x, y[0] if y else kw.pop("target"), **kw),
    _cross_entropy_ref,
    [S((3, 4), target=np.array([0, 3, 1])),
     S((3, 4), target=np.array([2, 2, 0]), reduction="sum", weight=np.array([1.0, 2, 0.5, 3])),
     S((2, 3, 2), target=np.array([[0, 2], [1, 1]]), reduction="none"),
     S((3, 4), (3, 4)),
     S((2, 3), (2, 3), weight=np.array([0.5, 1.0, 2.0]), reduction="none")],
    domain=(REAL, POSITIVE),
    checks="fused log-softmax + NLL in nn.loss_functional; class-index and probability "
           "targets; oracle log_softmax + indexing"))
OPS_BY_NAME.update({op.name: op for op in OPS[-2:]})
OPS_BY_NAME["linear"].torch = lambda t, x, w, b: t.nn.functional.linear(x, w, b)
OPS_BY_NAME["cross_entropy"].torch = lambda t, x, *y, **kw: t.nn.functional.cross_entropy(
    x, y[0] if y else kw.pop("target"), **kw)


# -- fused binary cross-entropy and recurrent sequences (nn/loss_functional.py,
# nn/rnn_ops.py). The sequences' oracles are the layers composed cell by cell
# from engine ops (nn/rnn_cells.py); their backward is first-order only.
def _fused_rows():
    import nn.functional as F
    from nn import rnn_cells as R
    from nn.rnn_ops import GRUSequence, LSTMSequence, RNNSequence

    def prob(rng, shape):  # away from 0 and 1, where the clamped logs have kinks
        return rng.uniform(0.1, 0.9, shape)

    def small(rng, shape):
        return rng.uniform(-0.8, 0.8, shape)

    def composed(layer, pick):
        """A NumPy-in, NumPy-out reference from a composed layer."""
        def ref(*arrays, **kw):
            with ag.no_grad():
                outs = pick(layer(*(ag.Tensor(a) for a in arrays), **kw))
            return tuple(o.data for o in outs) if isinstance(outs, tuple) else outs.data
        return ref

    def bce_ref(p, y):
        return -(y * np.log(p) + (1 - y) * np.log1p(-p))

    T, B, I, H = 3, 2, 3, 2
    lstm = [S((T, B, I), (B, H), (B, H), (4 * H, I), (4 * H, H), (4 * H,), (4 * H,)),
            S((T, B, I), (B, H), (B, H), (4 * H, I), (4 * H, H), (4 * H,), (4 * H,),
              reverse=True)]
    gru = [S((T, B, I), (B, H), (3 * H, I), (3 * H, H), (3 * H,), (3 * H,)),
           S((T, B, I), (B, H), (3 * H, I), (3 * H, H), (3 * H,), (3 * H,), reverse=True)]
    rnn = [S((T, B, I), (B, H), (H, I), (H, H), (H,), (H,)),
           S((T, B, I), (B, H), (H, I), (H, H), (H,), (H,), reverse=True),
           S((T, B, I), (B, H), (H, I), (H, H), (H,), (H,), nonlinearity="relu")]
    return [
        OpInfo("binary_cross_entropy",
               lambda p, y: F.binary_cross_entropy(p, y, reduction="none"), bce_ref,
               [S((4,), (4,)), S((2, 3), (2, 3))], domain=(prob, prob),
               checks="fused; logs clamped at -100 as PyTorch; oracle: the textbook formula"),
        OpInfo("lstm_sequence", lambda *a, **kw: LSTMSequence.apply(*a, **kw),
               composed(R.lstm_layer_composed, lambda r: (r[0], r[1][1])), lstm,
               domain=small, gradgrad=False,
               checks="fused LSTM over time (gates i, f, g, o); oracle: composed lstm_cell"),
        OpInfo("gru_sequence", lambda *a, **kw: GRUSequence.apply(*a, **kw),
               composed(R.gru_layer_composed, lambda r: r[0]), gru, domain=small,
               gradgrad=False, checks="fused GRU over time (r, z, n); oracle: composed gru_cell"),
        OpInfo("rnn_sequence", lambda *a, **kw: RNNSequence.apply(*a, **kw),
               composed(R.rnn_layer_composed, lambda r: r[0]), rnn, domain=small,
               gradgrad=False, checks="fused tanh/relu RNN over time; oracle: composed rnn_cell"),
    ]


_FUSED_OPS = _fused_rows()
OPS.extend(_FUSED_OPS)
OPS_BY_NAME.update((op.name, op) for op in _FUSED_OPS)


# -- the families' rows: tests/op_rows/<family>.py, each a list ROWS ---------------
def _family_rows():
    folder = Path(__file__).parent / "op_rows"
    for path in sorted(folder.glob("*.py")):
        if not path.stem.startswith("_"):
            yield from importlib.import_module(f"op_rows.{path.stem}").ROWS


for _op in _family_rows():
    OPS.append(_op)
    OPS_BY_NAME[_op.name] = _op
