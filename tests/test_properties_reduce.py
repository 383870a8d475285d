"""Hypothesis properties of the reductions, scans and sorts: random shapes, axes and
values against NumPy, gradients against central differences (profiles: conftest.py)."""
import warnings

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import Tensor

from op_info import DISTINCT
from test_properties import SEEDS, check_vjp

SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)
NONEMPTY = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)


@st.composite
def shape_and_axis(draw, shapes=SHAPES):
    """A shape and an axis for it: None, an int (negative too) or a tuple."""
    shape = draw(shapes)
    ndim = len(shape)
    if ndim == 0:
        return shape, draw(st.sampled_from([None, 0, -1]))
    pick = draw(st.sampled_from(["none", "int", "tuple"]))
    if pick == "none":
        return shape, None
    if pick == "int":
        return shape, draw(st.integers(-ndim, ndim - 1))
    axes = draw(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True))
    return shape, tuple(axes)


@st.composite
def shape_and_one_axis(draw):
    shape = draw(NONEMPTY)
    return shape, draw(st.integers(-len(shape), len(shape) - 1))


def _distinct(shape, seed):
    return DISTINCT(np.random.default_rng(seed), shape)


def _with_zeros(shape, seed):
    rng = np.random.default_rng(seed)
    return np.where(rng.random(shape) < 0.3, 0.0, rng.uniform(-2, 2, shape))


@given(sa=shape_and_axis(), keepdims=st.booleans(), seed=SEEDS,
       name=st.sampled_from(["std", "prod", "amax", "amin", "norm"]))
def test_reductions_match_numpy_and_numeric_gradients(sa, keepdims, seed, name):
    shape, axis = sa
    a = _distinct(shape, seed)
    ref = {"std": np.std, "prod": np.prod, "amax": np.max, "amin": np.min,
           "norm": lambda x, axis, keepdims: np.sqrt(np.sum(x * x, axis=axis,
                                                             keepdims=keepdims))}[name]
    if len(shape) == 0 and name != "prod":
        axis = None  # NumPy's std/max refuse an axis on a 0-d array; ours is tested apart
    fn = getattr(ag, name)
    kw = dict(axis=axis, keepdims=keepdims)
    if name == "norm" and isinstance(axis, tuple) and len(axis) > 2:
        kw["p"] = 2  # torch.norm's vector norm over any number of axes
    out = check_vjp(lambda x: fn(x, **kw), [a], seed)
    np.testing.assert_allclose(out.data, ref(a, axis=axis, keepdims=keepdims), rtol=1e-10)


@given(sa=shape_and_axis(), seed=SEEDS)
def test_prod_gradient_with_random_zeros_matches_numeric(sa, seed):
    shape, axis = sa
    a = _with_zeros(shape, seed)
    out = check_vjp(lambda x: ag.prod(x, axis=axis), [a], seed)  # multilinear: exact
    np.testing.assert_array_equal(out.data, np.prod(a, axis=axis if shape else None))


@given(sa=shape_and_one_axis(), seed=SEEDS, zeros=st.booleans(),
       name=st.sampled_from(["cumsum", "cumprod", "logcumsumexp"]))
def test_scans_match_numpy_and_numeric_gradients(sa, seed, zeros, name):
    shape, axis = sa
    a = _with_zeros(shape, seed) if zeros else np.random.default_rng(seed).uniform(-2, 2, shape)
    ref = {"cumsum": np.cumsum, "cumprod": np.cumprod,
           "logcumsumexp": np.logaddexp.accumulate}[name]
    out = check_vjp(lambda x: getattr(ag, name)(x, axis=axis), [a], seed)
    np.testing.assert_allclose(out.data, ref(a, axis=axis), rtol=1e-12)


@given(sa=shape_and_one_axis(), seed=SEEDS, descending=st.booleans())
def test_sort_of_integers_with_ties_is_a_stable_permutation(sa, seed, descending):
    shape, axis = sa
    a = np.random.default_rng(seed).integers(-3, 4, shape)
    values, idx = ag.sort(Tensor(a), axis=axis, descending=descending)
    want = np.sort(a, axis=axis)
    np.testing.assert_array_equal(values.data, np.flip(want, axis) if descending else want)
    np.testing.assert_array_equal(np.take_along_axis(a, idx.data, axis), values.data)
    np.testing.assert_array_equal(np.sort(idx.data, axis=axis),
                                  np.broadcast_to(np.arange(shape[axis]).reshape(
                                      (-1,) + (1,) * (len(shape) - 1 - axis % len(shape))),
                                      shape))
    same = np.diff(values.data, axis=axis) == 0  # equal neighbours keep index order
    assert np.all(np.diff(idx.data, axis=axis)[same] > 0)
    k = shape[axis] // 2 + 1
    top = ag.topk(Tensor(a), k, axis=axis, largest=descending)
    np.testing.assert_array_equal(top.indices.data, np.take(idx.data, np.arange(k), axis=axis))


@given(sa=shape_and_one_axis(), seed=SEEDS)
def test_sort_and_median_gradients_match_numeric(sa, seed):
    shape, axis = sa
    a = _distinct(shape, seed)
    check_vjp(lambda x: ag.sort(x, axis=axis, descending=True).values, [a], seed)
    out = check_vjp(lambda x: ag.median(x, axis=axis).values, [a], seed)
    np.testing.assert_array_equal(out.data, np.quantile(a, 0.5, axis=axis, method="lower"))


@given(sa=shape_and_axis(NONEMPTY), ddof=st.integers(0, 6), seed=SEEDS)
def test_var_std_with_any_ddof_match_numpy_without_warnings(sa, ddof, seed):
    shape, axis = sa
    a = np.random.default_rng(seed).uniform(-2, 2, shape)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = [ag.var(Tensor(a), axis=axis, ddof=ddof), ag.std(Tensor(a), axis=axis, ddof=ddof)]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        want = [np.var(a, axis=axis, ddof=ddof), np.std(a, axis=axis, ddof=ddof)]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g.data, w, rtol=1e-10)
