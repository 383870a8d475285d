"""erf and erfc without SciPy (autograd/ops/special.py): accurate to float64 rounding,
element by element, over the whole line: tiny and subnormal inputs, the switch points,
the tails where erfc underflows, and the infinities and NaN."""
import math

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor
from autograd.ops import special

ULP_BOUND = 3  # units in the last place; math.erf/math.erfc are themselves within ~1-3


def _ulps(got, want):
    """|got - want| in units of the last place of want (normal results)."""
    return np.abs(got - want) / np.spacing(np.abs(want))


def _points(rng):
    return np.concatenate([
        rng.uniform(-6, 6, 4000), rng.uniform(-1, 1, 2000),
        rng.uniform(0.45, 0.8, 1000), -rng.uniform(0.45, 0.8, 1000),
        rng.uniform(6, 27, 2000), 10.0 ** rng.uniform(-310, 0, 1000),
        -(10.0 ** rng.uniform(-310, 0, 300)),
        [0.0, -0.0, 0.5, -0.5, 0.75, -0.75, np.nextafter(0.5, 0), np.nextafter(0.75, 0),
         1.0, 2.0, 5e-324, -5e-324, 2.2250738585072014e-308, 1e-20, 26.0, 26.5, 27.0]])


def test_erf_matches_math_erf_elementwise():
    xs = _points(np.random.default_rng(0))
    got = special.erf_array(xs)
    want = np.array([math.erf(v) for v in xs])
    assert _ulps(got, want).max() <= ULP_BOUND
    assert np.mean(_ulps(got, want)) < 0.2
    np.testing.assert_array_equal(np.signbit(got), np.signbit(want))  # erf(-0.0) is -0.0


def test_erfc_matches_math_erfc_without_cancellation_in_the_tail():
    xs = _points(np.random.default_rng(1))
    got = special.erfc_array(xs)
    want = np.array([math.erfc(v) for v in xs])
    normal = want >= np.finfo(np.float64).tiny
    assert _ulps(got[normal], want[normal]).max() <= ULP_BOUND + 1
    assert np.mean(_ulps(got[normal], want[normal])) < 1.0
    # subnormal results (x above ~26.5): within a few of the smallest steps
    assert np.abs(got[~normal] - want[~normal]).max() <= 4 * 5e-324
    # 1 - erf(x) would be 0 or a few ulps of 1 here; erfc keeps its 16 digits
    big = np.array([5.0, 10.0, 20.0, 26.0])
    assert _ulps(special.erfc_array(big), np.array([math.erfc(v) for v in big])).max() <= 2


def test_special_values():
    x = np.array([np.inf, -np.inf, np.nan, 0.0, 30.0, -30.0, 1e308, -1e308])
    np.testing.assert_array_equal(special.erf_array(x),
                                  [1.0, -1.0, np.nan, 0.0, 1.0, -1.0, 1.0, -1.0])
    np.testing.assert_array_equal(special.erfc_array(x),
                                  [0.0, 2.0, np.nan, 1.0, 0.0, 2.0, 0.0, 2.0])
    assert special.erf_array(5e-324) == math.erf(5e-324)


def test_dtypes_follow_numpy_float_ufuncs():
    assert ag.erf(Tensor(np.array([0.5], np.float32))).dtype == np.float32
    assert ag.erfc(Tensor(np.array([0.5]))).dtype == np.float64
    assert ag.erf(Tensor(np.array([1, 2]))).dtype == np.float64  # integers give float64
    assert special.erf_array(np.float16(0.5)).dtype == np.float16
    x32 = np.linspace(-4, 4, 101, dtype=np.float32)
    want = np.array([math.erf(v) for v in x32.astype(np.float64)]).astype(np.float32)
    np.testing.assert_array_equal(ag.erf(Tensor(x32)).data, want)  # one rounding to float32
    with pytest.raises(TypeError, match="complex"):
        ag.erf(Tensor(np.array([1j])))


def test_gradients_are_the_gaussian_and_have_second_derivatives():
    x = Tensor(np.array([-2.0, -0.3, 0.0, 0.6, 1.7, 7.0]), requires_grad=True)
    (g1,) = ag.grad(ag.erf(x).sum(), [x], create_graph=True)
    gauss = 2 / np.sqrt(np.pi) * np.exp(-x.data ** 2)
    np.testing.assert_allclose(g1.data, gauss, rtol=1e-15)
    (g2,) = ag.grad(g1.sum(), [x])
    np.testing.assert_allclose(g2.data, -2 * x.data * gauss, rtol=1e-14)
    (gc,) = ag.grad(ag.erfc(x).sum(), [x])
    np.testing.assert_allclose(gc.data, -gauss, rtol=1e-15)


def test_coefficients_are_what_50_digit_arithmetic_gives():
    """The stored constants, recomputed: 2/sqrt(pi) in two parts and the Chebyshev
    coefficients of (1 + 2x) exp(x**2) erfc(x) in t = (x - K) / (x + K)."""
    mp = pytest.importorskip("mpmath")
    mp.mp.dps = 50
    two = 2 / mp.sqrt(mp.pi)
    assert special._TWO_OVER_SQRT_PI == float(two)
    assert special._TWO_OVER_SQRT_PI_LO == float(two - mp.mpf(special._TWO_OVER_SQRT_PI))
    K, mid, half = special._K, mp.mpf(special._T_MID), mp.mpf(special._T_HALF)
    n, m = len(special._CHEB), 64

    def f(u):
        t = mid + half * u
        x = K * (1 + t) / (1 - t)
        return (1 + 2 * x) * mp.exp(x * x) * mp.erfc(x)

    angles = [mp.pi * (k + mp.mpf(1) / 2) / m for k in range(m)]
    values = [f(mp.cos(a)) for a in angles]
    for j, stored in enumerate(special._CHEB):
        c = 2 * mp.fsum(v * mp.cos(j * a) for v, a in zip(values, angles)) / m
        c = c / 2 if j == 0 else c
        assert abs(float(c) - stored) <= 1e-19 + 1e-15 * abs(stored), j
    assert abs(special._CHEB[-1]) < 1e-18  # the series has converged
    assert n == 26
