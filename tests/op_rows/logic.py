"""Rows for the comparisons, value tests, logical and bitwise ops of issue 11: forward
only (bool or integer results that never require grad), against NumPy and PyTorch
(see tests/op_table.py). The bitwise rows cast the float samples to integers or bools
inside, so PyTorch sees the same integer tensors; their integer samples run the ops on
integer tensors directly."""
import numpy as np

import autograd as ag
from op_info import BINARY, OpInfo, S

B = BINARY + [S((0,), (0,)), S((2, 0), (1,))]
U = [S(()), S((1,)), S((5,)), S((2, 3, 2)), S((0,))]
BINARY_INT = [S((2, 3), (2, 3)), S((3, 1), (2, 1, 4)), S((), (4,))]


def TIES(rng, shape):
    """Halves in [-1, 1]: equal values (and zeros) are common."""
    return rng.integers(-2, 3, shape) * 0.5


def NEAR_TIES(rng, shape):
    """Halves, some nudged by 1e-9 (close) or 1e-3 (not close) or made NaN."""
    x = TIES(rng, shape)
    kind = rng.integers(0, 5, shape)
    return np.select([kind == 0, kind == 1, kind == 2], [x + 1e-9, x + 1e-3, np.nan], x)


def WITH_NONFINITE(rng, shape):
    x = rng.uniform(-2, 2, shape)
    kind = rng.integers(0, 5, shape)
    return np.select([kind == 0, kind == 1, kind == 2], [np.nan, np.inf, -np.inf], x)


def SMALL_INTS(rng, shape):
    """Integers in [-8, 8] as floats (the bitwise rows cast them)."""
    return rng.integers(-8, 9, shape).astype(float)


def SHIFTS(rng, shape):
    return rng.integers(0, 5, shape).astype(float)


def _forward_only(name, fn, ref, samples, domain, torch, **kw):
    return OpInfo(name, fn, ref, samples, domain=domain, torch=torch, differentiable=False,
                  float32=False, **kw)


def _compare(name, ufunc):
    return _forward_only(name, lambda x, y: getattr(ag, name)(x, y), ufunc, B, TIES,
                         lambda torch, x, y: getattr(torch, name)(x, y),
                         int_samples=BINARY_INT)


def _as(dtype, fn):
    """``fn`` on its inputs cast to ``dtype`` (Tensors through ag.astype, arrays, torch)."""
    def call(*xs):
        cast = [x.astype(dtype) if isinstance(x, (ag.Tensor, np.ndarray)) else
                x.to({np.int64: _torch().int64, bool: _torch().bool}[dtype]) for x in xs]
        return fn(*cast)
    return call


def _torch():
    import torch
    return torch


def _bitwise(name, ufunc, operator, torch_name, domain=(SMALL_INTS, SMALL_INTS)):
    """Two rows: integers (the ufunc and the operator) and bools (logical)."""
    rows = [
        _forward_only(f"{name}_int", _as(np.int64, lambda x, y: (getattr(ag, name)(x, y),
                                                                  operator(x, y))),
                      _as(np.int64, lambda x, y: (ufunc(x, y), ufunc(x, y))), B, domain,
                      lambda torch, x, y: _as(np.int64, lambda a, b: (
                          getattr(torch, torch_name)(a, b), operator(a, b)))(x, y),
                      int_samples=BINARY_INT if "shift" not in name else [],
                      covers=(name,))]
    if "shift" not in name:
        rows.append(_forward_only(
            f"{name}_bool", _as(bool, lambda x, y: (getattr(ag, name)(x, y), operator(x, y))),
            _as(bool, lambda x, y: (ufunc(x, y), ufunc(x, y))), B, TIES,
            lambda torch, x, y: _as(bool, lambda a, b: (getattr(torch, torch_name)(a, b),
                                                        operator(a, b)))(x, y),
            covers=(name,)))
    return rows


def _isclose_ref(x, y, **kw):
    return np.isclose(x, y, **kw)


ROWS = [
    _compare("eq", np.equal),
    _compare("ne", np.not_equal),
    _compare("lt", np.less),
    _compare("le", np.less_equal),
    _compare("gt", np.greater),
    _compare("ge", np.greater_equal),
    _forward_only("comparison_operators_and_aliases",
                  lambda x, y: (x == y, x != y, x < y, x <= y, x > y, x >= y, 0.5 < x,
                                ag.less(x, y), x.greater_equal(y), ag.not_equal(x, y)),
                  lambda x, y: (x == y, x != y, x < y, x <= y, x > y, x >= y, 0.5 < x,
                                x < y, x >= y, x != y),
                  B[:8], TIES, lambda torch, x, y: (x == y, x != y, x < y, x <= y, x > y,
                                                    x >= y, 0.5 < x, torch.less(x, y),
                                                    x.greater_equal(y), torch.not_equal(x, y)),
                  int_samples=BINARY_INT[:1]),
    _forward_only("isclose", lambda x, y, **kw: x.isclose(y, **kw), _isclose_ref,
                  B + [S((3, 4), (3, 4), rtol=1e-2, atol=0.0), S((6,), (6,), equal_nan=True),
                       S((2, 3), (3,), atol=2e-3)],
                  NEAR_TIES, lambda torch, x, y, **kw: torch.isclose(
                      *torch.broadcast_tensors(x, y), **kw),
                  checks="close, not close and NaN pairs"),
    _forward_only("isnan", lambda x: x.isnan(), np.isnan, U, WITH_NONFINITE,
                  lambda torch, x: torch.isnan(x), int_samples=[S((2, 3))]),
    _forward_only("isinf", lambda x: ag.isinf(x), np.isinf, U, WITH_NONFINITE,
                  lambda torch, x: torch.isinf(x), int_samples=[S((2, 3))]),
    _forward_only("isfinite", lambda x: x.isfinite(), np.isfinite, U, WITH_NONFINITE,
                  lambda torch, x: torch.isfinite(x), int_samples=[S((2, 3))]),
    _forward_only("logical_and", lambda x, y: x.logical_and(y), np.logical_and, B, TIES,
                  lambda torch, x, y: torch.logical_and(x, y), int_samples=BINARY_INT),
    _forward_only("logical_or", lambda x, y: ag.logical_or(x, y), np.logical_or, B, TIES,
                  lambda torch, x, y: torch.logical_or(x, y), int_samples=BINARY_INT),
    _forward_only("logical_xor", lambda x, y: x.logical_xor(y), np.logical_xor, B, TIES,
                  lambda torch, x, y: torch.logical_xor(x, y), int_samples=BINARY_INT),
    _forward_only("logical_not", lambda x: x.logical_not(), np.logical_not, U, TIES,
                  lambda torch, x: torch.logical_not(x), int_samples=[S((2, 3))]),
    *_bitwise("bitwise_and", np.bitwise_and, lambda x, y: x & y, "bitwise_and"),
    *_bitwise("bitwise_or", np.bitwise_or, lambda x, y: x | y, "bitwise_or"),
    *_bitwise("bitwise_xor", np.bitwise_xor, lambda x, y: x ^ y, "bitwise_xor"),
    *_bitwise("bitwise_left_shift", np.left_shift, lambda x, y: x << y,
              "bitwise_left_shift", (SMALL_INTS, SHIFTS)),
    *_bitwise("bitwise_right_shift", np.right_shift, lambda x, y: x >> y,
              "bitwise_right_shift", (SMALL_INTS, SHIFTS)),
    _forward_only("bitwise_not_int", _as(np.int64, lambda x: (x.bitwise_not(), ~x)),
                  _as(np.int64, lambda x: (np.invert(x), np.invert(x))), U, SMALL_INTS,
                  lambda torch, x: _as(np.int64, lambda a: (torch.bitwise_not(a), ~a))(x),
                  int_samples=[S((2, 3))], covers=("bitwise_not",)),
    _forward_only("bitwise_not_bool", _as(bool, lambda x: (ag.bitwise_not(x), ~x)),
                  _as(bool, lambda x: (np.invert(x), np.invert(x))), U, TIES,
                  lambda torch, x: _as(bool, lambda a: (torch.bitwise_not(a), ~a))(x),
                  covers=("bitwise_not",)),
    _forward_only("bitwise_reflected_operators",
                  _as(np.int64, lambda x: (6 & x, 6 | x, 6 ^ x, 1 << (x % 4), 64 >> (x % 4))),
                  _as(np.int64, lambda x: (6 & x, 6 | x, 6 ^ x, 1 << (x % 4), 64 >> (x % 4))),
                  U, SMALL_INTS,
                  lambda torch, x: _as(np.int64, lambda a: (6 & a, 6 | a, 6 ^ a, 1 << (a % 4),
                                                            64 >> (a % 4)))(x),
                  int_samples=[S((2, 3))], checks="number & t and the other reflected forms"),
]
