"""Rows for the activations of issue 11 (autograd's gelu, silu, mish, softplus, elu,
selu, celu, hardtanh, relu6, hardsigmoid, hardswish, logsigmoid, softsign, softmin,
glu, prelu), see tests/op_table.py.

Each op has a row on random values away from its kinks, and the smooth ones a row
at fixed extremes (+-1e4, +-30, ties for softmin) with gradcheck, gradgradcheck and
PyTorch. The rows named ``*_at_kinks`` sit exactly on the kinks (0, the clip bounds,
+-3, softplus's threshold): a central difference means nothing there, so the generic
tests check their forward only and tests/test_activations_losses.py compares their
first and second derivatives with PyTorch's (issue 14, item 2)."""
import math

import numpy as np

import autograd as ag
from op_info import NONZERO, REAL, UNARY, OpInfo, S

EMPTY = [S((0,)), S((2, 0))]
U = UNARY + EMPTY
SELU_ALPHA, SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def FIXED(*values):
    """The same values whatever the seed: the sample's shape must hold exactly them."""
    def domain(rng, shape):
        return np.array(values, dtype=np.float64).reshape(shape)
    domain.__qualname__ = f"fixed{values}"
    return domain


def AWAY(lo, hi, *kinks):
    """Uniform in (lo, hi), at least 0.1 from each kink."""
    def domain(rng, shape):
        x = rng.uniform(lo, hi, shape)
        for k in kinks:
            x = np.where(np.abs(x - k) < 0.1, x + np.where(x >= k, 0.2, -0.2), x)
        return x
    return domain


def _f64(fn):
    """A reference computed in float64 and given back in the input's dtype."""
    def ref(x, *rest, **kw):
        return np.asarray(fn(x.astype(np.float64), *rest, **kw)).astype(x.dtype)
    return ref


def _sig(x):
    return np.exp(-np.logaddexp(0.0, -x))


_erf = np.vectorize(math.erf, otypes=[np.float64])


def _gelu(x, approximate="none"):
    if approximate == "tanh":
        return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))
    return 0.5 * x * (1 + _erf(x / math.sqrt(2)))


def _elu(x, alpha=1.0, scale=1.0, input_scale=1.0):
    return np.where(x > 0, scale * x, scale * alpha * np.expm1(np.minimum(x, 0) * input_scale))


def _softplus(x, beta=1.0, threshold=20.0):
    return np.where(x * beta > threshold, x, np.logaddexp(0.0, x * beta) / beta)


def _softmin(x, axis=-1):
    z = -x - np.max(-x, axis=axis, keepdims=True)
    return np.exp(z) / np.exp(z).sum(axis=axis, keepdims=True)


def _glu(x, axis=-1):
    a, b = np.split(x, 2, axis=axis)
    return a * _sig(b)


def _prelu(x, w):
    w = w.reshape(()) if w.size == 1 else w.reshape((w.size,) + (1,) * (x.ndim - 2))
    return np.where(x > 0, x, w * x).astype(x.dtype)


def _tf(name):
    return lambda torch, *xs, **kw: getattr(torch.nn.functional, name)(*xs, **kw)


def _row(name, ref, samples=U, domain=REAL, **kw):
    return OpInfo(name, lambda x, **k: getattr(ag, name)(x, **k), _f64(ref), samples,
                  domain=domain, torch=_tf(name), **kw)


EXTREMES = FIXED(-1e4, -30.0, -1.0, -0.25, 0.5, 2.0, 30.0, 1e4)   # no 0: elu's 2nd derivative
EXT = [S((8,)), S((2, 4))]


def _extremes(name, ref, **kw):
    return OpInfo(f"{name}_at_extremes", lambda x, **k: getattr(ag, name)(x, **k), _f64(ref),
                  EXT, domain=EXTREMES, torch=_tf(name), covers=(name,),
                  checks="+-1e4, +-30", **kw)


def _kinks(name, ref, values, samples=None, fn=None, torch=None, **kw):
    n = len(values)
    return OpInfo(f"{name}_at_kinks", fn or (lambda x, **k: getattr(ag, name)(x, **k)),
                  _f64(ref), samples or [S((n,))], domain=FIXED(*values),
                  torch=torch or _tf(name), covers=(name,), differentiable=False,
                  checks="exactly at the kinks; gradients vs PyTorch in "
                         "test_activations_losses.py", **kw)


HARD = AWAY(-5.0, 5.0, -3.0, 3.0)
SIX = AWAY(-2.0, 8.0, 0.0, 6.0)

ROWS = [
    _row("gelu", _gelu, U + [S((2, 3), approximate="tanh")], AWAY(-4.0, 4.0)),
    _row("silu", lambda x: x * _sig(x)),
    _row("mish", lambda x: x * np.tanh(np.logaddexp(0.0, x))),
    _row("softplus", _softplus, U + [S((2, 3), beta=2.0), S((2, 3), beta=0.5, threshold=0.5)],
         AWAY(-3.0, 3.0, 1.0)),
    _row("logsigmoid", lambda x: -np.logaddexp(0.0, -x)),
    _row("elu", _elu, U + [S((2, 3), alpha=0.5)], NONZERO),
    _row("selu", lambda x: _elu(x, SELU_ALPHA, SELU_SCALE), domain=NONZERO),
    _row("celu", lambda x, alpha=1.0: _elu(x, alpha, 1.0, 1 / alpha),
         U + [S((2, 3), alpha=2.0)], NONZERO),
    _row("softsign", lambda x: x / (1 + np.abs(x)), domain=NONZERO),
    OpInfo("hardtanh", lambda x, **k: ag.hardtanh(x, **k),
           _f64(lambda x, min_val=-1.0, max_val=1.0: np.clip(x, min_val, max_val)),
           [S(()), S((1,)), S((5,)), S((2, 3), min_val=-0.5, max_val=1.5)] + EMPTY,
           domain=AWAY(-2.0, 2.0, -1.0, 1.0, -0.5, 1.5), torch=_tf("hardtanh"),
           checks="away from the bounds"),
    _row("relu6", lambda x: np.clip(x, 0, 6), domain=SIX, checks="away from 0 and 6"),
    _row("hardsigmoid", lambda x: np.clip(x / 6 + 0.5, 0, 1), domain=HARD,
         checks="away from +-3"),
    _row("hardswish", lambda x: x * np.clip(x + 3, 0, 6) / 6, domain=HARD,
         checks="away from +-3"),
    OpInfo("softmin", lambda x, **k: ag.softmin(x, **k), _f64(_softmin),
           [S((1,)), S((4,)), S((3, 4)), S((3, 4), axis=0), S((2, 3, 2), axis=1), S((0, 3))],
           torch=lambda torch, x, axis=-1: torch.nn.functional.softmin(x, dim=axis)),
    OpInfo("glu", lambda x, **k: ag.glu(x, **k), _f64(_glu),
           [S((2,)), S((4,)), S((2, 6)), S((2, 4, 3), axis=1), S((3, 0)), S((4, 1), axis=0)],
           torch=lambda torch, x, axis=-1: torch.nn.functional.glu(x, dim=axis)),
    OpInfo("prelu", lambda x, w: ag.prelu(x, w), _prelu,
           [S((), (1,)), S((1,), (1,)), S((5,), (1,)), S((2, 3), (3,)), S((2, 3, 4), (3,)),
            S((2, 3, 2), (1,)), S((0, 3), (3,))],
           domain=(NONZERO, REAL), torch=lambda torch, x, w: torch.nn.functional.prelu(x, w),
           checks="one slope or one per channel (dim 1); away from 0"),
    # at the extremes: stable, finite, PyTorch's gradients
    _extremes("gelu", _gelu),
    OpInfo("gelu_tanh_at_extremes", lambda x: ag.gelu(x, approximate="tanh"),
           _f64(lambda x: _gelu(x, "tanh")), EXT, domain=EXTREMES,
           torch=lambda torch, x: torch.nn.functional.gelu(x, approximate="tanh"),
           covers=("gelu",), checks="+-1e4, +-30"),
    _extremes("silu", lambda x: x * _sig(x)),
    _extremes("mish", lambda x: x * np.tanh(np.logaddexp(0.0, x))),
    _extremes("softplus", _softplus),
    _extremes("logsigmoid", lambda x: -np.logaddexp(0.0, -x)),
    _extremes("elu", _elu),
    _extremes("selu", lambda x: _elu(x, SELU_ALPHA, SELU_SCALE)),
    _extremes("celu", lambda x: _elu(x, 1.0, 1.0, 1.0)),
    _extremes("softsign", lambda x: x / (1 + np.abs(x))),
    OpInfo("softmin_ties_and_extremes", lambda x: ag.softmin(x, dim=1), _f64(_softmin),
           [S((3, 3))], domain=FIXED(0.0, 0.0, 0.0, 1e4, 1e4, -1e4, -1e4, 0.0, 1e4),
           torch=lambda torch, x: torch.nn.functional.softmin(x, dim=1), covers=("softmin",),
           checks="ties, +-1e4"),
    OpInfo("glu_at_extremes", lambda x: ag.glu(x), _f64(_glu), [S((2, 4))],
           domain=FIXED(1.0, -2.0, 1e4, -1e4, 0.0, 3.0, 0.0, 30.0),
           torch=lambda torch, x: torch.nn.functional.glu(x), covers=("glu",)),
    # exactly at the kinks (and 0, ties, +-1e4): forward here, gradients vs PyTorch
    _kinks("hardtanh", lambda x: np.clip(x, -1, 1), (-1.0, 1.0, 0.0, -1e4, 1e4, 0.5)),
    _kinks("relu6", lambda x: np.clip(x, 0, 6), (0.0, 6.0, -1e4, 1e4, 3.0, -0.0)),
    _kinks("hardsigmoid", lambda x: np.clip(x / 6 + 0.5, 0, 1), (-3.0, 3.0, 0.0, -1e4, 1e4)),
    _kinks("hardswish", lambda x: x * np.clip(x + 3, 0, 6) / 6, (-3.0, 3.0, 0.0, -1e4, 1e4)),
    _kinks("elu", _elu, (0.0, -0.0, 1e4, -1e4)),
    _kinks("selu", lambda x: _elu(x, SELU_ALPHA, SELU_SCALE), (0.0, -0.0, 1e4, -1e4)),
    _kinks("celu", lambda x: _elu(x, 2.0, 1.0, 0.5), (0.0, -0.0, 1e4, -1e4),
           fn=lambda x: ag.celu(x, alpha=2.0),
           torch=lambda torch, x: torch.nn.functional.celu(x, alpha=2.0)),
    _kinks("softplus", lambda x: _softplus(x, 2.0, 10.0), (5.0, 0.0, -1e4, 1e4, 5.5),
           fn=lambda x: ag.softplus(x, beta=2.0, threshold=10.0),
           torch=lambda torch, x: torch.nn.functional.softplus(x, beta=2.0, threshold=10.0)),
    _kinks("gelu", _gelu, (0.0, -0.0)),
    _kinks("silu", lambda x: x * _sig(x), (0.0, -0.0)),
    _kinks("mish", lambda x: x * np.tanh(np.logaddexp(0.0, x)), (0.0, -0.0)),
    _kinks("logsigmoid", lambda x: -np.logaddexp(0.0, -x), (0.0, -0.0)),
    _kinks("softsign", lambda x: x / (1 + np.abs(x)), (0.0, -0.0, 1e4, -1e4)),
    OpInfo("prelu_at_kinks", lambda x, w: ag.prelu(x, w), _prelu, [S((2, 3), (3,))],
           domain=(FIXED(0.0, -0.0, 1e4, -1e4, 0.0, 2.0), FIXED(0.25, -0.5, 2.0)),
           torch=lambda torch, x, w: torch.nn.functional.prelu(x, w), covers=("prelu",),
           differentiable=False, checks="x = 0, +-1e4; gradients vs PyTorch in "
                                        "test_activations_losses.py"),
]
