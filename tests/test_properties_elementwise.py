"""Hypothesis properties of the elementwise and logic ops of issue 11: random
broadcastable shapes and values against NumPy (or math), gradients against central
differences (profiles: tests/conftest.py)."""
import math

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import Tensor

from op_table import OPS_BY_NAME

SEEDS = st.integers(0, 2 ** 32 - 1)
SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)
PAIRS = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3)
TRIPLES = hnp.mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=3, max_side=3)


def _leaf(a):
    return Tensor(np.asarray(a, dtype=np.float64), requires_grad=True)


def _check_vjp(fn, arrays, seed, rtol=1e-5, atol=1e-7):
    """Forward once, backward with a random output gradient; every input's gradient has
    its shape and equals the numeric vector-Jacobian product."""
    xs = [_leaf(a.copy()) for a in arrays]
    out = fn(*xs)
    w = np.random.default_rng(seed).standard_normal(out.shape)
    out.backward(w)
    numeric = ag.numerical_grad(fn, [_leaf(a.copy()) for a in arrays], grad_output=w)
    for x, n in zip(xs, numeric):
        assert x.grad.shape == x.shape
        np.testing.assert_allclose(x.grad.data, n, rtol=rtol, atol=atol)
    return out


BINARY_ROWS = ["atan2", "hypot", "logaddexp", "fmod", "remainder", "floor_divide", "copysign",
               "clamp_min_tensor", "clamp_max_tensor"]


@given(name=st.sampled_from(BINARY_ROWS), shapes=PAIRS, seed=SEEDS)
def test_binary_ops_broadcast_and_match_numeric_gradients(name, shapes, seed):
    op = OPS_BY_NAME[name]
    arrays = op.make_inputs(type(op.samples[0])(shapes.input_shapes),
                            np.random.default_rng(seed))
    out = _check_vjp(op.fn, arrays, seed)
    assert out.shape == shapes.result_shape
    np.testing.assert_allclose(out.data, op.ref(*arrays), rtol=1e-12)


@given(name=st.sampled_from(["lerp", "clamp_tensor_bounds"]), shapes=TRIPLES, seed=SEEDS)
def test_three_input_ops_broadcast_and_match_numeric_gradients(name, shapes, seed):
    op = OPS_BY_NAME[name]
    arrays = op.make_inputs(type(op.samples[0])(shapes.input_shapes),
                            np.random.default_rng(seed))
    out = _check_vjp(op.fn, arrays, seed)
    assert out.shape == shapes.result_shape
    np.testing.assert_allclose(out.data, op.ref(*arrays), rtol=1e-12)


UNARY_ROWS = ["square", "rsqrt", "reciprocal", "log1p", "expm1", "log2", "log10", "exp2",
              "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh",
              "erf", "erfc", "floor", "ceil", "trunc", "round", "sign", "frac"]


@given(name=st.sampled_from(UNARY_ROWS), shape=SHAPES, seed=SEEDS)
def test_unary_ops_match_numpy_and_numeric_gradients(name, shape, seed):
    op = OPS_BY_NAME[name]
    (a,) = op.make_inputs(type(op.samples[0])((shape,)), np.random.default_rng(seed))
    out = _check_vjp(op.fn, [a], seed)
    np.testing.assert_allclose(out.data, op.ref(a), rtol=1e-12, atol=1e-300)


@given(x=st.floats(allow_nan=False, width=64))
def test_erf_and_erfc_are_within_a_few_ulps_of_math_anywhere(x):
    for ours, theirs in [(ag.erf, math.erf), (ag.erfc, math.erfc)]:
        got, want = ours(Tensor(np.array(x))).item(), theirs(x)
        if abs(want) < np.finfo(np.float64).tiny:  # subnormal results
            assert abs(got - want) <= 4 * 5e-324
        else:
            assert abs(got - want) <= 4 * np.spacing(abs(want)), (x, got, want)


@given(values=hnp.arrays(np.float64, SHAPES, elements=st.floats(-1e3, 1e3)),
       divisor=st.floats(0.1, 50.0) | st.floats(-50.0, -0.1))
def test_floor_divide_and_remainder_rebuild_the_dividend(values, divisor):
    x = Tensor(values)
    q, r = x // divisor, x % divisor
    np.testing.assert_array_equal(q.data, np.floor_divide(values, divisor))
    np.testing.assert_array_equal(r.data, np.remainder(values, divisor))
    np.testing.assert_allclose(q.data * divisor + r.data, values, rtol=1e-12, atol=1e-9)
    assert np.all((r.data == 0) | (np.sign(r.data) == np.sign(divisor)))  # the divisor's sign


INT_DTYPES = st.sampled_from([np.int8, np.int32, np.int64, np.uint8, np.uint16])


@given(shapes=PAIRS, dtype=INT_DTYPES, data=st.data())
def test_bitwise_operators_on_integers_match_numpy(shapes, dtype, data):
    a = data.draw(hnp.arrays(dtype, shapes.input_shapes[0]))
    b = data.draw(hnp.arrays(dtype, shapes.input_shapes[1]))
    x, y = Tensor(a), Tensor(b)
    for got, want in [(x & y, a & b), (x | y, a | b), (x ^ y, a ^ b), (~x, ~a),
                      (x >> (y % 8), a >> (b % 8))]:
        assert got.dtype == want.dtype and not got.requires_grad
        np.testing.assert_array_equal(got.data, want)


@given(shapes=PAIRS, data=st.data())
def test_bitwise_operators_on_bools_are_logical(shapes, data):
    a = data.draw(hnp.arrays(bool, shapes.input_shapes[0]))
    b = data.draw(hnp.arrays(bool, shapes.input_shapes[1]))
    x, y = Tensor(a), Tensor(b)
    for got, want in [(x & y, np.logical_and(a, b)), (x | y, np.logical_or(a, b)),
                      (x ^ y, np.logical_xor(a, b)), (~x, np.logical_not(a))]:
        assert got.dtype == bool
        np.testing.assert_array_equal(got.data, want)


FLOATS_WITH_SPECIALS = st.floats(allow_nan=True, allow_infinity=True, width=64) | \
    st.sampled_from([0.0, -0.0, 1.0, 1.0 + 1e-9])


@given(shapes=PAIRS, data=st.data())
def test_comparisons_and_tests_match_numpy_with_nan_and_inf(shapes, data):
    a = data.draw(hnp.arrays(np.float64, shapes.input_shapes[0], elements=FLOATS_WITH_SPECIALS))
    b = data.draw(hnp.arrays(np.float64, shapes.input_shapes[1], elements=FLOATS_WITH_SPECIALS))
    x, y = _leaf(a), Tensor(b)
    pairs = [(ag.eq(x, y), a == b), (x.ne(y), a != b), (ag.lt(x, y), a < b),
             (x.le(y), a <= b), (x.gt(y), a > b), (ag.ge(x, y), a >= b),
             (x.isclose(y), np.isclose(a, b)), (ag.isclose(x, y, equal_nan=True),
                                                np.isclose(a, b, equal_nan=True)),
             (ag.logical_xor(x, y), np.logical_xor(a, b)), (x.isnan(), np.isnan(a)),
             (x.isinf(), np.isinf(a)), (x.isfinite(), np.isfinite(a))]
    for got, want in pairs:
        assert got.dtype == bool and not got.requires_grad
        np.testing.assert_array_equal(got.data, want)


@given(shapes=TRIPLES, data=st.data(), seed=SEEDS)
def test_clamp_gradients_follow_pytorchs_rule_for_any_bounds(shapes, data, seed):
    """Values on a coarse grid (ties and crossed bounds are common): x gets g where
    lo <= x <= hi, lo where x < lo < hi, hi where x > hi or hi < lo."""
    grid = st.integers(-3, 3).map(lambda k: k * 0.5)
    a, lo, hi = (data.draw(hnp.arrays(np.float64, s, elements=grid))
                 for s in shapes.input_shapes)
    xs = [_leaf(v) for v in (a, lo, hi)]
    out = ag.clamp(*xs)
    np.testing.assert_array_equal(out.data, np.clip(a, lo, hi))
    w = np.random.default_rng(seed).standard_normal(out.shape)
    out.backward(w)
    masks = [(a >= lo) & (a <= hi), (a < lo) & (lo < hi), (a > hi) | (hi < lo)]
    for x, m in zip(xs, masks):
        want = np.broadcast_to(w * m, out.shape)
        lead = want.ndim - x.ndim
        want = want.sum(axis=tuple(range(lead)))
        axes = tuple(i for i, n in enumerate(x.shape) if n == 1)
        want = want.sum(axis=axes, keepdims=True) if axes else want
        np.testing.assert_allclose(x.grad.data, want, rtol=1e-12, atol=1e-12)


@given(values=hnp.arrays(np.float64, SHAPES, elements=st.floats(-1e6, 1e6)),
       decimals=st.integers(-3, 3))
def test_round_matches_numpy_at_any_decimals(values, decimals):
    assume(np.all(np.isfinite(values * 10.0 ** decimals)))
    np.testing.assert_array_equal(ag.round(Tensor(values), decimals=decimals).data,
                                  np.round(values, decimals))
