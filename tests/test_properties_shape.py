"""Hypothesis property tests for the index and shape families (profiles: tests/conftest.py):
random shapes, indices and subscripts against NumPy, gradients against central
differences, and in-place setitem on random indices."""
import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import Tensor

SEEDS = st.integers(0, 2 ** 32 - 1)
SHAPES = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)


def leaf(a):
    return Tensor(np.asarray(a, dtype=np.float64), requires_grad=True)


def check_vjp(fn, arrays, seed):
    """Forward once, backward a random output gradient; each input's .grad must equal
    the numeric vector-Jacobian product."""
    xs = [leaf(a.copy()) for a in arrays]
    out = fn(*xs)
    w = np.random.default_rng(seed).standard_normal(out.shape)
    out.backward(w)
    numeric = ag.numerical_grad(fn, [leaf(a.copy()) for a in arrays], grad_output=w)
    for x, n in zip(xs, numeric):
        assert x.grad.shape == x.shape
        np.testing.assert_allclose(x.grad.data, n, rtol=1e-5, atol=1e-7)
    return out


@given(shape=SHAPES, data=st.data(), seed=SEEDS)
def test_gather_and_take_along_axis_match_numpy_and_numeric_grads(shape, data, seed):
    rng = np.random.default_rng(seed)
    axis = data.draw(st.integers(0, len(shape) - 1))
    ishape = tuple(data.draw(st.integers(1, 4)) if d == axis else data.draw(st.integers(1, n))
                   for d, n in enumerate(shape))
    index = rng.integers(0, shape[axis], ishape)
    x = rng.standard_normal(shape)
    sliced = x[tuple(slice(0, n) if d != axis else slice(None) for d, n in enumerate(ishape))]
    out = check_vjp(lambda t: ag.gather(t, axis, index), [x], seed)
    np.testing.assert_array_equal(out.data, np.take_along_axis(sliced, index, axis))
    full = rng.integers(-shape[axis], shape[axis], shape[:axis] + (3,) + shape[axis + 1:])
    out = check_vjp(lambda t: ag.take_along_axis(t, full, axis), [x], seed)
    np.testing.assert_array_equal(out.data, np.take_along_axis(x, full, axis))


@given(shape=SHAPES, data=st.data(), seed=SEEDS)
def test_scatter_add_adds_repeats_and_its_grads_are_numeric(shape, data, seed):
    rng = np.random.default_rng(seed)
    axis = data.draw(st.integers(0, len(shape) - 1))
    ishape = shape[:axis] + (data.draw(st.integers(1, 5)),) + shape[axis + 1:]
    index = rng.integers(0, shape[axis], ishape)        # repeats likely
    x, src = rng.standard_normal(shape), rng.standard_normal(ishape)
    out = check_vjp(lambda a, s: ag.scatter_add(a, axis, index, s), [x, src], seed)
    want = x.copy()
    grids = list(np.indices(ishape, sparse=True))
    grids[axis] = index
    np.add.at(want, tuple(grids), src)
    np.testing.assert_allclose(out.data, want, rtol=1e-12)


@given(shape=SHAPES, data=st.data(), seed=SEEDS)
def test_setitem_in_place_on_random_indices(shape, data, seed):
    rng = np.random.default_rng(seed)
    kind = data.draw(st.sampled_from(["slice", "mask", "array"]))
    if kind == "slice":
        index = tuple(slice(data.draw(st.integers(0, n - 1)), None,
                            data.draw(st.sampled_from([1, 2, -1]))) for n in shape)
    elif kind == "mask":
        index = rng.random(shape) < 0.5
    else:
        index = np.unique(rng.integers(0, shape[0], 3))  # no repeats: last write wins
    x = rng.standard_normal(shape)
    vshape = np.zeros(shape)[index].shape
    v = rng.standard_normal(vshape)

    def fn(a, b):
        c = a * 1.0
        c[index] = b * 2
        return c
    out = check_vjp(fn, [x, v], seed)
    want = x.copy()
    want[index] = v * 2
    np.testing.assert_array_equal(out.data, want)


LETTERS = "abcd"


@given(data=st.data(), seed=SEEDS)
def test_einsum_on_random_subscripts(data, seed):
    sizes = {c: data.draw(st.integers(1, 3)) for c in LETTERS}
    terms = [data.draw(st.text(LETTERS, min_size=0, max_size=3)) for _ in
             range(data.draw(st.integers(1, 3)))]
    used = sorted(set("".join(terms)))
    out = "".join(data.draw(st.permutations(used))[:data.draw(st.integers(0, len(used)))])
    spec = ",".join(terms) + "->" + out
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal([sizes[c] for c in t]) for t in terms]
    got = check_vjp(lambda *xs: ag.einsum(spec, *xs), arrays, seed)
    np.testing.assert_allclose(got.data, np.einsum(spec, *arrays), rtol=1e-10, atol=1e-12)


@given(shape=hnp.array_shapes(min_dims=0, max_dims=3, max_side=3), data=st.data(), seed=SEEDS)
def test_repeat_tile_flip_roll_movedim_match_numpy(shape, data, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    n = len(shape)
    sizes = tuple(data.draw(st.integers(0, 2)) for _ in range(n + data.draw(st.integers(0, 1))))
    if sizes:
        out = check_vjp(lambda t: t.repeat(*sizes), [x], seed)
        np.testing.assert_array_equal(out.data, np.tile(x, sizes))
    dims = tuple(d for d in range(n) if data.draw(st.booleans()))
    out = check_vjp(lambda t: ag.flip(t, dims=dims), [x], seed)
    np.testing.assert_array_equal(out.data, np.flip(x, dims))
    shift = data.draw(st.integers(-5, 5))
    axis = data.draw(st.sampled_from([None] + list(range(n))))
    out = check_vjp(lambda t: ag.roll(t, shift, axis), [x], seed)
    np.testing.assert_array_equal(out.data, np.roll(x, shift, axis))
    if n:
        src, dst = data.draw(st.integers(0, n - 1)), data.draw(st.integers(-n, n - 1))
        out = check_vjp(lambda t: ag.movedim(t, src, dst), [x], seed)
        np.testing.assert_array_equal(out.data, np.moveaxis(x, src, dst))


@given(shape=hnp.array_shapes(min_dims=2, max_dims=3, max_side=4), k=st.integers(-4, 4),
       seed=SEEDS)
def test_tril_triu_diagonal_match_numpy(shape, k, seed):
    x = np.random.default_rng(seed).standard_normal(shape)
    np.testing.assert_array_equal(check_vjp(lambda t: t.tril(k), [x], seed).data, np.tril(x, k))
    np.testing.assert_array_equal(check_vjp(lambda t: t.triu(k), [x], seed).data, np.triu(x, k))
    np.testing.assert_array_equal(check_vjp(lambda t: t.diagonal(k, 0, -1), [x], seed).data,
                                  np.diagonal(x, k, 0, -1))
