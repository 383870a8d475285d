"""Hypothesis property tests on random shapes and values (profiles: tests/conftest.py)."""
import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import Tensor

from op_table import OPS_BY_NAME

SEEDS = st.integers(0, 2 ** 32 - 1)
SMALL_SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)


def leaf(a):
    return Tensor(np.asarray(a, dtype=np.float64), requires_grad=True)


def check_vjp(fn, arrays, seed):
    """Forward once, backward with a random output gradient; each input's .grad
    must have the input's shape and equal the numeric vector-Jacobian product."""
    xs = [leaf(a.copy()) for a in arrays]
    out = fn(*xs)
    w = np.random.default_rng(seed).standard_normal(out.shape)
    out.backward(w)
    numeric = ag.numerical_grad(fn, [leaf(a.copy()) for a in arrays], grad_output=w)
    for x, n in zip(xs, numeric):
        assert x.grad.shape == x.shape and x.grad.dtype == x.dtype
        np.testing.assert_allclose(x.grad.data, n, rtol=1e-5, atol=1e-7)
    return out


# -- binary ops on mutually broadcastable shapes --------------------------------------

BINARY = ["add", "sub", "mul", "div", "pow", "maximum", "minimum", "where"]


@given(name=st.sampled_from(BINARY),
       shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3,
                                                max_side=3),
       seed=SEEDS)
def test_binary_broadcasting_grads_have_input_shapes_and_match_numeric(name, shapes, seed):
    op = OPS_BY_NAME[name]
    sample = type(op.samples[0])(shapes.input_shapes)
    arrays = op.make_inputs(sample, np.random.default_rng(seed))
    out = check_vjp(op.fn, arrays, seed)
    assert out.shape == shapes.result_shape
    np.testing.assert_allclose(out.data, op.ref(*arrays), rtol=1e-12)


@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3,
                                                max_side=3),
       data=st.data())
def test_add_mul_with_hypothesis_values(shapes, data):
    values = st.floats(-10, 10, allow_nan=False, width=64)
    a = data.draw(hnp.arrays(np.float64, shapes.input_shapes[0], elements=values))
    b = data.draw(hnp.arrays(np.float64, shapes.input_shapes[1], elements=values))
    x, y = leaf(a), leaf(b)
    z = (x * y + x - y).sum()
    z.backward()
    np.testing.assert_allclose(z.item(), np.sum(a * b + a - b), rtol=1e-10, atol=1e-9)
    gx = np.broadcast_to(b + 1, shapes.result_shape)
    gy = np.broadcast_to(a - 1, shapes.result_shape)
    np.testing.assert_allclose(x.grad.data, _sum_to(gx, a.shape), atol=1e-9)
    np.testing.assert_allclose(y.grad.data, _sum_to(gy, b.shape), atol=1e-9)


def _sum_to(g, shape):
    lead = g.ndim - len(shape)
    g = g.sum(axis=tuple(range(lead)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1)
    return g.sum(axis=axes, keepdims=True) if axes else g


@given(shapes=hnp.mutually_broadcastable_shapes(signature="(m,n),(n,p)->(m,p)", max_dims=2,
                                                max_side=3),
       drop=st.sampled_from(["none", "left", "right"]), seed=SEEDS)
def test_matmul_broadcast_batch_dims(shapes, drop, seed):
    sx, sy = shapes.input_shapes
    if drop == "left":
        sx = sx[-1:]                  # 1-D on the left: (n,)
    elif drop == "right":
        sy = sy[-2:-1]                # 1-D on the right: (n,)
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(sx), rng.standard_normal(sy)
    out = check_vjp(lambda x, y: x @ y, [a, b], seed)
    np.testing.assert_allclose(out.data, a @ b, rtol=1e-12, atol=1e-12)


# -- reductions with random axis / keepdims -------------------------------------------

@st.composite
def shape_and_axis(draw):
    shape = draw(SMALL_SHAPES)
    axes = draw(st.lists(st.integers(0, max(len(shape) - 1, 0)), unique=True,
                         max_size=len(shape)))
    negate = draw(st.booleans())
    axes = [a - len(shape) if negate else a for a in axes]
    kind = draw(st.sampled_from(["none", "int", "tuple"]))
    if kind == "none" or not shape:
        axis = None
    elif kind == "int" and axes:
        axis = axes[0]
    else:
        axis = tuple(axes)
    return shape, axis, draw(st.booleans())


@given(name=st.sampled_from(["sum", "mean", "var", "max", "min", "logsumexp"]),
       spec=shape_and_axis(), seed=SEEDS)
def test_reductions_with_random_axis_and_keepdims(name, spec, seed):
    shape, axis, keepdims = spec
    op = OPS_BY_NAME[name]
    (a,) = op.make_inputs(type(op.samples[0])((shape,)), np.random.default_rng(seed))
    out = check_vjp(lambda x: op.fn(x, axis=axis, keepdims=keepdims), [a], seed)
    want = op.ref(a, axis=axis, keepdims=keepdims)
    assert out.shape == np.shape(want)
    np.testing.assert_allclose(out.data, want, rtol=1e-10, atol=1e-12)


# -- shape ops: round trips -----------------------------------------------------------

@given(shape=SMALL_SHAPES, data=st.data(), seed=SEEDS)
def test_transpose_round_trip_and_gradient(shape, data, seed):
    perm = data.draw(st.permutations(range(len(shape))))
    inverse = tuple(np.argsort(perm))
    a = np.random.default_rng(seed).standard_normal(shape)
    x = leaf(a)
    y = x.transpose(tuple(perm))
    np.testing.assert_array_equal(y.data, a.transpose(perm))
    back = y.transpose(inverse)
    np.testing.assert_array_equal(back.data, a)
    w = np.random.default_rng(seed + 1).standard_normal(y.shape)
    y.backward(w)
    np.testing.assert_array_equal(x.grad.data, w.transpose(inverse))


@given(shape=SMALL_SHAPES, seed=SEEDS)
def test_reshape_round_trip_and_gradient(shape, seed):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape)
    size = a.size
    factors = [f for f in range(1, size + 1) if size % f == 0]
    k = int(rng.choice(factors))
    x = leaf(a)
    y = x.reshape(k, -1).flatten().reshape(size // k, k)
    assert y.shape == (size // k, k)
    back = y.reshape(shape)
    np.testing.assert_array_equal(back.data, a)
    w = rng.standard_normal(shape)
    back.backward(w)
    np.testing.assert_array_equal(x.grad.data, w)


# -- indexing: random index arrays with repeats ---------------------------------------

@given(shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4), data=st.data(),
       seed=SEEDS)
def test_getitem_integer_arrays_accumulate_like_add_at(shape, data, seed):
    n = shape[0]
    idx = np.array(data.draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=8)))
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape)
    x = leaf(a)
    y = x[idx]
    np.testing.assert_array_equal(y.data, a[idx])
    w = rng.standard_normal(y.shape)
    y.backward(w)
    want = np.zeros(shape)
    np.add.at(want, idx, w)
    np.testing.assert_allclose(x.grad.data, want, rtol=1e-12, atol=1e-12)


@given(shape=hnp.array_shapes(min_dims=2, max_dims=3, min_side=1, max_side=4), data=st.data(),
       seed=SEEDS)
def test_getitem_two_index_arrays_and_slices(shape, data, seed):
    k = data.draw(st.integers(1, 6))
    i0 = np.array(data.draw(st.lists(st.integers(0, shape[0] - 1), min_size=k, max_size=k)))
    i1 = np.array(data.draw(st.lists(st.integers(-shape[1], shape[1] - 1), min_size=k,
                                     max_size=k)))
    step = data.draw(st.sampled_from([1, -1, 2]))
    index = (i0, i1) if len(shape) == 2 else (i0, i1, slice(None, None, step))
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape)
    x = leaf(a)
    y = x[index]
    np.testing.assert_array_equal(y.data, a[index])
    w = rng.standard_normal(y.shape)
    y.backward(w)
    want = np.zeros(shape)
    np.add.at(want, index, w)
    np.testing.assert_allclose(x.grad.data, want, rtol=1e-12, atol=1e-12)


@given(a=hnp.arrays(np.float64, SMALL_SHAPES, elements=st.floats(-5, 5, width=64)),
       seed=SEEDS)
def test_getitem_boolean_mask(a, seed):
    assume(a.ndim > 0)
    mask = np.random.default_rng(seed).random(a.shape) < 0.5
    x = leaf(a)
    y = x[mask]
    np.testing.assert_array_equal(y.data, a[mask])
    w = np.arange(y.size, dtype=np.float64) + 1.0
    y.backward(w)
    want = np.zeros(a.shape)
    want[mask] = w
    np.testing.assert_array_equal(x.grad.data, want)


# -- unary ops, softmax, and joining/splitting on random shapes ----------------------

UNARY = ["neg", "abs", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu",
         "leaky_relu", "clone"]


@given(name=st.sampled_from(UNARY), shape=SMALL_SHAPES, seed=SEEDS)
def test_unary_ops_on_random_shapes(name, shape, seed):
    op = OPS_BY_NAME[name]
    (a,) = op.make_inputs(type(op.samples[0])((shape,)), np.random.default_rng(seed))
    out = check_vjp(op.fn, [a], seed)
    np.testing.assert_allclose(out.data, op.ref(a), rtol=1e-12, atol=1e-14)


@given(a=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4),
                    elements=st.floats(-50, 50, width=64)),
       data=st.data())
def test_softmax_sums_to_one_and_matches_log_softmax(a, data):
    axis = data.draw(st.integers(-a.ndim, a.ndim - 1))
    x = leaf(a)
    s, ls = x.softmax(axis=axis), x.log_softmax(axis=axis)
    np.testing.assert_allclose(s.data.sum(axis=axis), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.exp(ls.data), s.data, rtol=1e-10, atol=1e-300)
    check_vjp(lambda x: x.log_softmax(axis=axis), [a], 0)


@given(shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4), data=st.data(),
       seed=SEEDS)
def test_split_then_concatenate_round_trip(shape, data, seed):
    axis = data.draw(st.integers(0, len(shape) - 1))
    cuts = sorted(data.draw(st.lists(st.integers(0, shape[axis]), max_size=3)))
    a = np.random.default_rng(seed).standard_normal(shape)
    x = leaf(a)
    parts = ag.split(x, cuts, axis=axis)
    assert [p.shape for p in parts] == [q.shape for q in np.split(a, cuts, axis=axis)]
    back = ag.concatenate(parts, axis=axis)
    np.testing.assert_array_equal(back.data, a)
    w = np.random.default_rng(seed + 1).standard_normal(shape)
    back.backward(w)
    np.testing.assert_array_equal(x.grad.data, w)


@given(shape=SMALL_SHAPES, n=st.integers(1, 3), data=st.data(), seed=SEEDS)
def test_stack_then_index_round_trip(shape, n, data, seed):
    axis = data.draw(st.integers(-len(shape) - 1, len(shape)))
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(shape) for _ in range(n)]
    xs = [leaf(a) for a in arrays]
    y = ag.stack(xs, axis=axis)
    np.testing.assert_array_equal(y.data, np.stack(arrays, axis=axis))
    lead = (slice(None),) * (axis % (len(shape) + 1))
    for i, a in enumerate(arrays):
        np.testing.assert_array_equal(y[lead + (i,)].data, a)
    w = rng.standard_normal(y.shape)
    y.backward(w)
    for i, x in enumerate(xs):
        np.testing.assert_array_equal(x.grad.data, np.take(w, i, axis=axis))


# -- random graphs: reuse (diamonds), broadcasting and accumulation together ----------

GRAPH_UNARY = {"sin": lambda a: a.sin(), "tanh": lambda a: a.tanh(),
               "sigmoid": lambda a: a.sigmoid(), "square": lambda a: a * a,
               "exp_half": lambda a: (a * 0.5).exp(), "neg_sum_keep": lambda a: -a.sum(
                   axis=-1, keepdims=True) if a.ndim else -a}
GRAPH_BINARY = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b,
                "mul": lambda a, b: a * b}


@st.composite
def random_graph(draw):
    steps = []
    for i in range(draw(st.integers(1, 8))):
        n_values = 3 + i
        if draw(st.booleans()):
            steps.append(("u", draw(st.sampled_from(sorted(GRAPH_UNARY))),
                          draw(st.integers(0, n_values - 1))))
        else:
            steps.append(("b", draw(st.sampled_from(sorted(GRAPH_BINARY))),
                          draw(st.integers(0, n_values - 1)), draw(st.integers(0, n_values - 1))))
    return steps


def _run_graph(steps, leaves):
    values = list(leaves)
    for step in steps:
        if step[0] == "u":
            values.append(GRAPH_UNARY[step[1]](values[step[2]]))
        else:
            values.append(GRAPH_BINARY[step[1]](values[step[2]], values[step[3]]))
    return values[-1] + values[-2].sum() * 0.5 + sum(x.sum() for x in leaves) * 0.1


@given(steps=random_graph(), seed=SEEDS)
def test_random_graphs_with_shared_nodes_match_numeric_gradients(steps, seed):
    rng = np.random.default_rng(seed)
    leaves = [leaf(rng.uniform(-1, 1, s)) for s in [(2, 3), (3,), ()]]
    assert ag.gradcheck(lambda *xs: _run_graph(steps, xs), leaves)
    out = _run_graph(steps, leaves)
    out.sum().backward()
    for x in leaves:
        assert x.grad is not None and x.grad.shape == x.shape
    first = [x.grad.data.copy() for x in leaves]
    _run_graph(steps, leaves).sum().backward()          # a second graph accumulates
    for x, g in zip(leaves, first):
        np.testing.assert_allclose(x.grad.data, 2 * g, rtol=1e-12, atol=1e-14)
