"""The op table's vocabulary: value domains, samples and the row type (``OpInfo``).

tests/op_table.py holds the core rows and gathers the families' rows from
tests/op_rows/*.py; see its docstring for how to add a row.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

import autograd as ag


# -- value domains: (rng, shape) -> float64 array ---------------------------------

def REAL(rng, shape):
    return rng.uniform(-2.0, 2.0, shape)


def POSITIVE(rng, shape):
    """For log, sqrt, a pow base: away from 0 so central differences stay accurate."""
    return rng.uniform(0.5, 2.0, shape)


def NONZERO(rng, shape):
    """Away from the kink of abs/relu/leaky_relu and from a division by ~0."""
    return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.3, 2.0, shape)


def DISTINCT(rng, shape):
    """No ties, at least 0.2 apart: max/min reductions have a unique winner."""
    size = int(np.prod(shape, dtype=int))
    vals = rng.permutation(size) * 0.3 - 0.15 * size + rng.uniform(-0.05, 0.05, size)
    return vals.reshape(shape)


def GRID(parity):
    """Values on interleaved grids: maximum(x, y) with x from GRID(0) and y from
    GRID(1) never ties (|x - y| >= 0.1), whatever the broadcasting."""
    def domain(rng, shape):
        return rng.integers(-4, 5, shape) * 0.4 + parity * 0.2 + rng.uniform(-0.05, 0.05, shape)
    return domain


def AWAY_FROM(*kinks):
    """Uniform in (-1.5, 1.5) but at least 0.1 from each kink (clip's bounds)."""
    def domain(rng, shape):
        x = rng.uniform(-1.5, 1.5, shape)
        for k in kinks:
            x = np.where(np.abs(x - k) < 0.1, x + np.where(x >= k, 0.2, -0.2), x)
        return x
    return domain


# -- rows -------------------------------------------------------------------------

@dataclass
class Sample:
    shapes: tuple          # one shape per positional input
    kwargs: dict = field(default_factory=dict)

    def __repr__(self):
        kw = ",".join(f"{k}={_short(v)}" for k, v in self.kwargs.items())
        return "x".join(str(s).replace(" ", "") for s in self.shapes) + (f"[{kw}]" if kw else "")


def S(*shapes, **kwargs) -> Sample:
    return Sample(tuple(shapes), kwargs)


def _short(v):
    text = repr(v).replace(" ", "").replace("array", "a").replace("\n", "")
    return text if len(text) <= 30 else text[:27] + "..."


@dataclass
class OpInfo:
    name: str
    fn: Callable                 # (*Tensors, **kwargs) -> Tensor or tuple of Tensors
    ref: Callable                # (*ndarrays, **kwargs) -> ndarray or tuple
    samples: list
    domain: Callable | tuple = REAL   # one domain for all inputs, or one per input
    rtol: float = 1e-7           # forward tolerance in float64 (float32 uses rtol32)
    atol: float = 1e-10
    rtol32: float = 1e-5
    grad_atol: float = 1e-5      # gradcheck tolerances
    grad_rtol: float = 1e-3
    eps: float = 1e-6            # gradcheck step
    gradgrad: bool = True        # second derivatives exist (and are checked)
    promotes: bool = False       # a float64 NumPy constant inside makes float32 in -> float64 out
    checks: str = ""             # extra words for docs/ops.md
    # PyTorch's form, ``(torch, *torch_tensors, **sample_kwargs) -> out``: where torch is
    # installed, forward and gradients are compared with it (tests/test_ops_torch.py).
    torch: Callable | None = None
    differentiable: bool = True  # False: forward checks only (comparisons, counts, indices)
    int_samples: list = field(default_factory=list)  # also run forward on integer inputs
    covers: tuple = ()           # the declared ops this row exercises (default: its name)
    float32: bool = True         # float32 in gives float32 out (False for e.g. int outputs)

    def make_inputs(self, sample: Sample, rng, dtype=np.float64) -> list:
        domains = self.domain if isinstance(self.domain, tuple) else \
            (self.domain,) * len(sample.shapes)
        return [np.asarray(d(rng, s), dtype=dtype) for d, s in zip(domains, sample.shapes)]


def torch_dims(x, axis):
    """PyTorch's dim for NumPy's axis (None: every dim), for the rows' PyTorch forms."""
    return tuple(range(x.ndim)) if axis is None else axis


def _cond(shape):
    """A fixed, shape-dependent boolean mask for where()."""
    return np.arange(int(np.prod(shape, dtype=int))).reshape(shape) % 3 != 1


def _where(x, y):
    return ag.where(_cond(np.broadcast_shapes(x.shape, y.shape)), x, y)


def _where_ref(x, y):
    return np.where(_cond(np.broadcast_shapes(x.shape, y.shape)), x, y)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _logsumexp(x, axis=None, keepdims=False):
    m = np.max(x, axis=axis, keepdims=True)
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis) if axis is not None else out.reshape(())


def _log_softmax(x, axis=-1):
    return x - _logsumexp(x, axis=axis, keepdims=True)


def _flatten_ref(x, start_dim=0, end_dim=-1):
    if x.ndim == 0:
        return x.reshape(1)
    s, e = start_dim % x.ndim, end_dim % x.ndim
    return x.reshape(x.shape[:s] + (-1,) + x.shape[e + 1:])


# Shapes for binary elementwise ops: 0-d, size 1, equal, and broadcasting both ways.
BINARY = [S((), ()), S((1,), (1,)), S((2, 3), (2, 3)), S((2, 3), ()), S((), (2, 3)),
          S((2, 1, 4), (3, 1)), S((3, 1), (2, 1, 4)), S((1, 3), (2, 1))]
UNARY = [S(()), S((1,)), S((5,)), S((2, 3, 2))]
REDUCE = [S(()), S((1,)), S((4,)), S((3, 4)), S((3, 4), axis=0), S((3, 4), axis=-1),
          S((3, 4), axis=1, keepdims=True), S((2, 3, 4), axis=(0, 2)),
          S((2, 3, 4), axis=(0, 2), keepdims=True), S((1, 3), axis=0), S((2, 3), keepdims=True)]
SOFTMAX = [S((1,)), S((4,)), S((3, 4)), S((3, 4), axis=0), S((2, 3, 2), axis=1)]
F64 = np.float64

_INDEXES = [
    ((4, 3), 1), ((4, 3), -1), ((4, 3), slice(1, 3)), ((5, 2), slice(None, None, 2)),
    ((5, 2), slice(None, None, -1)), ((6,), slice(4, 0, -2)), ((4, 3), (slice(1, None), 0)),
    ((2, 3, 2), (None, Ellipsis, 1)), ((2, 3, 2), (Ellipsis, None)), ((), Ellipsis),
    ((4, 3), np.array([0, 2, 0, 0])), ((4, 3), [3, 3, 1]),
    ((4, 3), np.array([[0, 1], [1, 1]])), ((4, 3), (np.array([0, 0, 3]), np.array([1, 1, 2]))),
    ((4, 3), (slice(None), np.array([2, 2, 0]))), ((4, 3), (np.array([-1, 0, -1]), slice(0, 2))),
    ((4, 3), np.array([True, False, True, True])),
    ((2, 3), np.array([[True, False, True], [False, False, True]])),
    ((2, 3, 2), (1, np.array([2, 0, 2]), slice(None, None, -1))),
]

