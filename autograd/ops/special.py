"""Special functions: erf and erfc (without SciPy), and the binary logaddexp and lerp.

erf and erfc are accurate to float64 rounding: within 3 units in the last place of
the exact value, about 0.5 on average, over the whole real line, tails and tiny and
subnormal inputs included (tests/test_special_functions.py checks this against
``math.erf``/``math.erfc`` and, where mpmath is installed, against 50-digit values).

* ``|x| < 0.75``: the Taylor series ``erf(x) = 2/sqrt(pi) * sum (-1)**n x**(2n+1) /
  (n! (2n+1))``; its terms shrink fast there and barely cancel. ``2/sqrt(pi)`` is
  carried in two parts, so its rounding does not show. ``erfc = 1 - erf`` below 0.5,
  where that subtraction loses nothing.
* ``|x| >= 0.5``: ``erfc(x) = exp(-x**2) * f(x) / (1 + 2x)``, where ``f(x) = (1 + 2x)
  exp(x**2) erfc(x)`` is smooth and bounded (1.23 at 0.5, ``2/sqrt(pi)`` at infinity).
  ``f`` is a Chebyshev series in ``t = (x - 3.75) / (x + 3.75)``, which maps
  ``[0.5, inf)`` onto a finite interval; its 26 coefficients were computed with
  50-digit arithmetic (mpmath) at Chebyshev nodes, and the test recomputes them.
  ``x**2`` is split as ``hi**2 + lo`` with ``hi`` holding x's top 26 bits, so
  ``exp(-hi**2)`` sees an exact argument (a rounded ``x**2`` would cost up to
  ``x**2`` ulps). ``erf = 1 - erfc`` above 0.75, and ``erfc(-x) = 2 - erfc(x)``.
"""
import math

import numpy as np

from .registry import op
from ..function import Op
from .xp import array_module, xp

_TWO_OVER_SQRT_PI = 1.1283791670955126           # 2/sqrt(pi), rounded ...
_TWO_OVER_SQRT_PI_LO = 1.533545961316588e-17     # ... and what the rounding left out
# Taylor coefficients of erf(x) / (2x/sqrt(pi)) after the leading 1, in z = x**2:
# (-1)**n / (n! (2n + 1)), each correctly rounded (Python's int / int).
_TAYLOR = tuple((-1) ** n / (math.factorial(n) * (2 * n + 1)) for n in range(1, 19))

_K = 3.75                          # t = (x - K) / (x + K)
_T0 = (0.5 - _K) / (0.5 + _K)      # t at x = 0.5; t runs over [_T0, 1)
_T_MID, _T_HALF = (1 + _T0) / 2, (1 - _T0) / 2
# f(x) = (1 + 2x) exp(x**2) erfc(x) = sum c_k T_k(u), u = (t - _T_MID) / _T_HALF
_CHEB = (
    1.209553534186438, -0.07449995301009735, -0.019898431610118512, 0.019905393893364876,
    -0.009002331393380924, 0.0029421334073096387, -0.0007508778230431327,
    0.00014982479112138583, -2.2031234655936487e-05, 1.8855545928961658e-06,
    6.060729559673993e-08, -4.563538388649772e-08, 5.162357979173961e-09,
    3.472219662543287e-10, -1.5752684361293953e-10, 7.129201208528782e-12,
    3.3790897880065392e-12, -4.4406526024697593e-13, -6.436254591098305e-14,
    1.6260780477370666e-14, 1.16900844678344e-15, -5.415558885519265e-16,
    -2.184987852077837e-17, 1.80896684155156e-17, 5.175881967295331e-19,
    -6.253513468141656e-19,
)
_SPLIT = 134217729.0   # 2**27 + 1: Dekker's split of a double into two 26-bit halves
_ERFC_ZERO = 27.5      # erfc(x) underflows to 0 beyond (and the split stays finite)


def _erf_taylor(x):
    """erf(x) for float64 |x| < 0.75."""
    z = x * x
    q = _TAYLOR[-1]
    for a in _TAYLOR[-2::-1]:
        q = q * z + a
    return x * _TWO_OVER_SQRT_PI + x * (_TWO_OVER_SQRT_PI_LO + _TWO_OVER_SQRT_PI * (z * q))


def _erfc_chebyshev(x):
    """erfc(x) for float64 x >= 0.5 (NaN stays NaN)."""
    x = np.minimum(x, _ERFC_ZERO)
    u = ((x - _K) / (x + _K) - _T_MID) / _T_HALF
    b1 = b2 = 0.0
    for c in _CHEB[:0:-1]:  # Clenshaw's recurrence
        b1, b2 = 2 * u * b1 - b2 + c, b1
    r = (u * b1 - b2 + _CHEB[0]) / (1 + 2 * x)
    hi = x * _SPLIT
    hi = hi - (hi - x)           # x's top 26 bits: hi * hi is exact
    lo = (x - hi) * (x + hi)     # x**2 - hi**2, small
    r = r + r * np.expm1(-lo)
    # exp(-hi**2) is a normal number up to x ~ 26.6; beyond, erfc is subnormal and
    # its two halves keep the product from rounding twice
    half = np.exp(-0.5 * hi * hi)
    return np.where(hi < 26.0, np.exp(-hi * hi) * r, (half * r) * half)


def _float_dtype(a):
    """The dtype NumPy's float ufuncs give for ``a`` (float32 stays, ints give float64)."""
    if a.dtype.kind == "c":
        raise TypeError(f"erf/erfc: complex input (dtype {a.dtype}) is not supported")
    return np.result_type(a.dtype, np.float16)


def erf_array(x) -> np.ndarray:
    """erf on an array (or scalar), in its float dtype."""
    x = array_module(x).asarray(x)
    dtype = _float_dtype(x)
    a = np.atleast_1d(x.astype(np.float64))
    out = array_module(a).empty_like(a)
    small = np.abs(a) < 0.75
    out[small] = _erf_taylor(a[small])
    big = ~small
    out[big] = np.copysign(1 - _erfc_chebyshev(np.abs(a[big])), a[big])
    return out.reshape(x.shape).astype(dtype, copy=False)


def erfc_array(x) -> np.ndarray:
    """erfc on an array (or scalar), in its float dtype."""
    x = array_module(x).asarray(x)
    dtype = _float_dtype(x)
    a = np.atleast_1d(x.astype(np.float64))
    out = array_module(a).empty_like(a)
    small = np.abs(a) < 0.5
    out[small] = 1 - _erf_taylor(a[small])
    big = ~small
    e = _erfc_chebyshev(np.abs(a[big]))
    out[big] = np.where(a[big] < 0, 2 - e, e)
    return out.reshape(x.shape).astype(dtype, copy=False)


class Erf(Op):
    """d erf(x) = g 2/sqrt(pi) exp(-x**2)"""
    sign = 1
    fn = staticmethod(erf_array)

    def forward(ctx, x):
        ctx.save_for_backward(x)
        return type(ctx).fn(x)

    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return (type(ctx).sign * _TWO_OVER_SQRT_PI) * g * xp(g).exp(-x * x)


class Erfc(Erf):
    """d erfc(x) = -g 2/sqrt(pi) exp(-x**2)"""
    sign = -1
    fn = staticmethod(erfc_array)


class LogAddExp(Op):
    """d log(e**x + e**y) = (g e**(x - out), g e**(y - out))"""
    broadcasting = True

    def forward(ctx, x, y):
        out = np.logaddexp(x, y)
        ctx.save_for_backward(x, y, out)
        return out

    def backward(ctx, g):
        x, y, out = ctx.saved_tensors
        nx, ny = ctx.needs_input_grad
        exp = xp(g).exp
        return (g * exp(x - out) if nx else None), (g * exp(y - out) if ny else None)


class Lerp(Op):
    """d (a + w (b - a)) = (g (1 - w), g w, g (b - a))"""
    broadcasting = True

    def forward(ctx, a, b, w):
        ctx.save_for_backward(a, b, w)
        d = np.subtract(b, a)
        # PyTorch's two-sided form: exact at both ends (w = 0 gives a, w = 1 gives b)
        return np.where(np.abs(w) < 0.5, a + w * d, b - d * (1 - w))

    def backward(ctx, g):
        a, b, w = ctx.saved_tensors
        na, nb, nw = ctx.needs_input_grad
        return (g * (1 - w) if na else None), (g * w if nb else None), \
            (g * (b - a) if nw else None)


# -- public functions ----------------------------------------------------------


@op("elementwise")
def erf(x):
    """The error function ``2/sqrt(pi) * integral of exp(-t**2) from 0 to x``, accurate to
    float64 rounding (no SciPy); the gradient is ``g 2/sqrt(pi) exp(-x**2)``.

    >>> import math, autograd as ag
    >>> ag.erf(ag.Tensor(0.5, dtype="float64")).item() == math.erf(0.5)
    True
    """
    return Erf.apply1(x)


@op("elementwise")
def erfc(x):
    """``1 - erf(x)``, without the cancellation for large ``x`` (``erfc(10)`` is about
    2e-45); the gradient is ``-g 2/sqrt(pi) exp(-x**2)``.

    >>> import autograd as ag
    >>> ag.erfc(ag.Tensor([0.0, 10.0], dtype="float64"))
    Tensor([1.000000e+00, 2.088488e-45], dtype=float64)
    """
    return Erfc.apply1(x)


@op("elementwise")
def logaddexp(x, y):
    """``log(e**x + e**y)`` without overflow, broadcasting; the gradients are ``g e**(x -
    out)`` and ``g e**(y - out)`` (each input's softmax weight).

    >>> import autograd as ag
    >>> x = ag.logaddexp(ag.Tensor([0.0, 1000.0], dtype="float64"), 1000.0)
    >>> [round(v, 4) for v in x.tolist()]     # log(e**1000 + e**1000) = 1000 + log 2
    [1000.0, 1000.6931]
    """
    return LogAddExp.apply2(x, y)


@op("elementwise")
def lerp(start, end, weight):
    """``start + weight * (end - start)``, broadcasting, ``weight`` a tensor or a number
    (PyTorch's form, exact at ``weight`` 0 and 1); the gradients are ``g (1 - weight)``,
    ``g weight`` and ``g (end - start)``.

    >>> import autograd as ag
    >>> ag.lerp(ag.Tensor([0.0, 10.0]), ag.Tensor([1.0, 20.0]), 0.25)
    Tensor([ 0.25, 12.5 ])
    """
    return Lerp.apply(start, end, weight)
