"""Rows for the elementwise math of issue 11: powers and logarithms, trigonometric and
hyperbolic functions, erf/erfc, rounding and remainders, logaddexp, lerp, hypot,
copysign, nan_to_num, and clip/clamp with tensor bounds (see tests/op_table.py)."""
import math

import numpy as np

import autograd as ag
from op_info import BINARY, GRID, NONZERO, POSITIVE, REAL, UNARY, OpInfo, S

EMPTY = [S((0,)), S((2, 0))]
U = UNARY + EMPTY
B = BINARY + [S((0,), (0,)), S((2, 0), (1,)), S((1,), (3, 0))]


def _uniform(name, lo, hi, doc):
    def domain(rng, shape):
        return rng.uniform(lo, hi, shape)
    domain.__qualname__ = domain.__name__ = name  # the name docs/ops.md shows
    domain.__doc__ = f"{doc}: uniform in ({lo}, {hi})."
    return domain


ABOVE_MINUS_ONE = _uniform("ABOVE_MINUS_ONE", -0.6, 2.0, "log1p's domain, away from -1")
INSIDE_HALF_PI = _uniform("INSIDE_HALF_PI", -1.3, 1.3, "tan away from its poles")
INSIDE_ONE = _uniform("INSIDE_ONE", -0.9, 0.9, "asin, acos, atanh away from +-1")
ABOVE_ONE = _uniform("ABOVE_ONE", 1.2, 3.0, "acosh away from 1")
WIDE = _uniform("WIDE", -3.0, 3.0, "erf and erfc across their switch points")
TAIL = _uniform("TAIL", 0.2, 1.5, "scaled by 4 and 8: erf and erfc far out")
WEIGHT = _uniform("WEIGHT", -0.5, 1.5, "lerp's weight, both sides of 0.5 and beyond [0, 1]")


def OFF_GRID(rng, shape):
    """k + u, u in [0.1, 0.4] or [0.6, 0.9]: away from integers and halves, where
    floor, ceil, trunc and round jump (also at one decimal: x / 10 stays off its grid)."""
    u = rng.uniform(0.1, 0.4, shape) + rng.choice([0.0, 0.5], shape)
    return rng.integers(-3, 3, shape) + u


def QUOTIENT_OFF_GRID():
    """|x| in [3.2, 3.5] over |y| in [1.45, 1.55]: |x / y| in [2.06, 2.42], away from the
    integers where fmod, remainder and floor_divide jump, with either sign."""
    def numerator(rng, shape):
        return rng.choice([-1.0, 1.0], shape) * rng.uniform(3.2, 3.5, shape)

    def denominator(rng, shape):
        return rng.choice([-1.0, 1.0], shape) * rng.uniform(1.45, 1.55, shape)
    return numerator, denominator


def WITH_NONFINITE(rng, shape):
    """Real values with NaN, +inf and -inf in some places (0-d: one of the four)."""
    x = REAL(rng, shape)
    kind = rng.integers(0, 6, shape)
    return np.select([kind == 0, kind == 1, kind == 2], [np.nan, np.inf, -np.inf], x)


def _ufunc_of(fn):
    """A NumPy reference from a scalar math function, in the input's float dtype."""
    def ref(x):
        return np.vectorize(fn, otypes=[x.dtype])(x)
    return ref


def _quiet(fn):
    """``fn`` without NumPy's divide-by-zero warnings (integer samples divide by 0)."""
    def call(*args, **kwargs):
        with np.errstate(divide="ignore", invalid="ignore"):
            return fn(*args, **kwargs)
    return call


def _lerp_ref(a, b, w=None, weight=None):
    w = weight if w is None else w
    return a + w * (b - a)


def _clip_ref(x, lo=None, hi=None):
    return np.clip(x, lo, hi)


NUM, DEN = QUOTIENT_OFF_GRID()
BINARY_INT = [S((2, 3), (2, 3)), S((3, 1), (2, 1, 4)), S((), (4,))]


def _unary(name, ref, domain=REAL, torch_name=None, **kw):
    torch_name = torch_name or name
    return OpInfo(name, lambda x: getattr(x, name)(), ref, U, domain=domain,
                  torch=lambda torch, x: getattr(torch, torch_name)(x), **kw)


ROWS = [
    # powers and logarithms
    _unary("square", np.square, int_samples=[S((2, 3))]),
    _unary("rsqrt", lambda x: 1 / np.sqrt(x), POSITIVE),
    _unary("reciprocal", lambda x: 1 / x, NONZERO),
    _unary("log1p", np.log1p, ABOVE_MINUS_ONE),
    _unary("expm1", np.expm1),
    _unary("log2", np.log2, POSITIVE),
    _unary("log10", np.log10, POSITIVE),
    _unary("exp2", np.exp2),
    # trigonometric and hyperbolic
    _unary("tan", np.tan, INSIDE_HALF_PI),
    _unary("asin", np.arcsin, INSIDE_ONE),
    _unary("acos", np.arccos, INSIDE_ONE),
    _unary("atan", np.arctan),
    _unary("sinh", np.sinh),
    _unary("cosh", np.cosh),
    _unary("asinh", np.arcsinh),
    _unary("acosh", np.arccosh, ABOVE_ONE),
    _unary("atanh", np.arctanh, INSIDE_ONE),
    OpInfo("arc_aliases", lambda x: (ag.arcsin(x), ag.arccos(x), x.arctan(), x.arcsinh(),
                                     ag.arctanh(x), ag.arctan2(x, 0.5 + x * x)),
           lambda x: (np.arcsin(x), np.arccos(x), np.arctan(x), np.arcsinh(x), np.arctanh(x),
                      np.arctan2(x, 0.5 + x * x)),
           [S((3,))], domain=INSIDE_ONE, covers=(), checks="NumPy's arc... names"),
    OpInfo("atan2", lambda y, x: y.atan2(x), np.arctan2, B, domain=(NONZERO, NONZERO),
           torch=lambda torch, y, x: torch.atan2(y, x), checks="away from the origin"),
    OpInfo("hypot", ag.hypot, np.hypot, B, domain=(NONZERO, NONZERO),
           torch=lambda torch, x, y: torch.hypot(x, y), checks="away from the origin"),
    # special functions
    _unary("erf", _ufunc_of(math.erf), WIDE, rtol=2e-15, atol=0,
           checks="no SciPy; oracle math.erf"),
    _unary("erfc", _ufunc_of(math.erfc), WIDE, rtol=2e-15, atol=0,
           checks="no SciPy; oracle math.erfc"),
    OpInfo("erf_tails", lambda x: (ag.erf(x * 4), ag.erfc(x * 8)),
           lambda x: (_ufunc_of(math.erf)(x * 4), _ufunc_of(math.erfc)(x * 8)),
           [S((6,)), S((2, 3))], domain=TAIL, rtol=4e-15, atol=0,
           torch=lambda torch, x: (torch.erf(x * 4), torch.erfc(x * 8)), covers=("erf", "erfc"),
           checks="erf to 6, erfc to 12 (1e-64)"),
    OpInfo("logaddexp", lambda x, y: x.logaddexp(y), np.logaddexp, B,
           torch=lambda torch, x, y: torch.logaddexp(x, y)),
    OpInfo("lerp", lambda a, b, w: a.lerp(b, w), _lerp_ref,
           [S((), (), ()), S((1,), (1,), (1,)), S((2, 3), (2, 3), (2, 3)),
            S((2, 3), (3,), (2, 1)), S((3,), (2, 3), ()), S((0,), (0,), (1,))],
           domain=(REAL, REAL, WEIGHT),
           torch=lambda torch, a, b, w: torch.lerp(a, b, w),
           checks="tensor weight, both sides of 0.5"),
    OpInfo("lerp_number_weight", lambda a, b, weight: ag.lerp(a, b, weight), _lerp_ref,
           [S((2, 3), (2, 3), weight=0.3), S((3,), (2, 3), weight=0.8), S((), (), weight=1.0)],
           torch=lambda torch, a, b, weight: torch.lerp(a, b, weight), covers=("lerp",)),
    # rounding, signs and remainders
    _unary("floor", np.floor, OFF_GRID, int_samples=[S((2, 3))], checks="away from jumps"),
    _unary("ceil", np.ceil, OFF_GRID, int_samples=[S((2, 3))], checks="away from jumps"),
    _unary("trunc", np.trunc, OFF_GRID, int_samples=[S((2, 3))], checks="away from jumps"),
    _unary("round", np.round, OFF_GRID, int_samples=[S((2, 3))], checks="away from jumps"),
    OpInfo("round_decimals", lambda x, decimals: x.round(decimals=decimals),
           lambda x, decimals: np.round(x, decimals),
           [S((2, 3), decimals=1), S((), decimals=1), S((4,), decimals=0)],
           domain=lambda rng, shape: OFF_GRID(rng, shape) / 10, covers=("round",),
           torch=lambda torch, x, decimals: torch.round(x, decimals=decimals)),
    _unary("sign", np.sign, NONZERO, int_samples=[S((2, 3))], checks="away from 0"),
    _unary("frac", lambda x: x - np.trunc(x), OFF_GRID, checks="away from jumps"),
    OpInfo("fmod", lambda x, y: _quiet(x.fmod)(y), _quiet(np.fmod), B, domain=(NUM, DEN),
           torch=lambda torch, x, y: torch.fmod(x, y), int_samples=BINARY_INT,
           checks="quotients away from integers"),
    OpInfo("remainder", lambda x, y: _quiet(ag.remainder)(x, y), _quiet(np.remainder), B,
           domain=(NUM, DEN), torch=lambda torch, x, y: torch.remainder(x, y),
           int_samples=BINARY_INT, checks="quotients away from integers"),
    OpInfo("floor_divide", lambda x, y: _quiet(ag.floor_divide)(x, y), _quiet(np.floor_divide),
           B, domain=(NUM, DEN), int_samples=BINARY_INT,
           torch=lambda torch, x, y: torch.div(x, y, rounding_mode="floor"),
           checks="gradient 0 as PyTorch's div(rounding_mode='floor')"),
    OpInfo("mod_floordiv_operators", lambda x, y: _quiet(lambda: (x % y, x // y, 7.5 % y,
                                                                  7.5 // y))(),
           lambda x, y: _quiet(lambda: (x % y, x // y, 7.5 % y, 7.5 // y))(),
           [S((2, 3), (3,)), S((), (2,))], domain=(NUM, DEN), int_samples=BINARY_INT[:1],
           torch=lambda torch, x, y: (x % y, torch.div(x, y, rounding_mode="floor"),
                                      torch.remainder(torch.tensor(7.5, dtype=y.dtype), y),
                                      torch.div(7.5, y, rounding_mode="floor")),
           covers=("remainder", "floor_divide"), checks="t % y, t // y and reflected forms"),
    OpInfo("copysign", lambda x, y: x.copysign(y), np.copysign, B, domain=(NONZERO, NONZERO),
           torch=lambda torch, x, y: torch.copysign(x, y), int_samples=BINARY_INT[:2]),
    OpInfo("nan_to_num", lambda x, **kw: x.nan_to_num(**kw), np.nan_to_num,
           [S(()), S((7,)), S((1,), posinf=3.0, neginf=-3.0), S((2, 3), posinf=1e300), S((0,)),
            S((2, 4), nan=1.5, posinf=9.0, neginf=-9.0), S((6,), posinf=2.0)],
           domain=WITH_NONFINITE, int_samples=[S((2, 3))],
           torch=lambda torch, x, **kw: torch.nan_to_num(x, **kw),
           checks="NaN and infinities in the inputs"),
    # clip/clamp with tensor bounds (values on interleaved grids: no ties with a bound)
    OpInfo("clamp_tensor_bounds", lambda x, lo, hi: x.clamp(lo, hi), _clip_ref,
           [S((), (), ()), S((1,), (1,), (1,)), S((2, 5), (2, 5), (2, 5)),
            S((2, 3), (3,), (2, 1)), S((3,), (2, 3), ()), S((0,), (1,), (0,))],
           domain=(GRID(0), GRID(1), GRID(1)), covers=("clip",),
           torch=lambda torch, x, lo, hi: torch.clamp(  # PyTorch's clamp keeps x's shape
               x.expand(torch.broadcast_shapes(x.shape, lo.shape, hi.shape)), lo, hi),
           checks="no ties; bounds crossed (lo > hi) in some places, as PyTorch"),
    OpInfo("clamp_min_tensor", lambda x, lo: ag.clamp(x, min=lo),
           lambda x, lo: np.clip(x, lo, None), B[:8], domain=(GRID(0), GRID(1)),
           covers=("clip",), torch=lambda torch, x, lo: torch.clamp(x, min=lo)),
    OpInfo("clamp_max_tensor", lambda x, hi: x.clip(None, hi),
           lambda x, hi: np.clip(x, None, hi), B[:8], domain=(GRID(0), GRID(1)),
           covers=("clip",), torch=lambda torch, x, hi: torch.clamp(x, max=hi)),
]
