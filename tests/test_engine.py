"""The backward engine: graph traversal, accumulation, retain/create_graph, ag.grad,
memory, detach and custom Functions. Its rules (dtypes, in-place, errors,
stability) are in test_engine_rules.py."""
import gc
import weakref

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor


def leaf(data, dtype=np.float64):
    return Tensor(np.asarray(data, dtype=dtype), requires_grad=True)


def grads(*tensors):
    return [None if t.grad is None else t.grad.data.copy() for t in tensors]

# -- the notes' example and graph shapes -----------------------------------------

def test_notes_example_float32_scalars():
    a, b, c = (Tensor(v, requires_grad=True) for v in (5.0, 3.0, 2.0))
    u = b * c
    v = a + u
    J = 3 * v
    assert J.shape == () and J.dtype == np.float32 and J.item() == 33
    J.backward()
    assert (a.grad.item(), b.grad.item(), c.grad.item()) == (3, 6, 9)
    assert all(t.grad.shape == () and t.grad.dtype == np.float32 for t in (a, b, c))
    assert [n.name for n in (J.grad_fn, v.grad_fn, u.grad_fn)] == ["mul", "add", "mul"]


def test_diamond_x_plus_x_times_x():
    x = leaf([1.5, -2.0])
    ((x + x) * x).sum().backward()
    np.testing.assert_allclose(x.grad.data, 4 * x.data)


def test_shared_subexpression_is_backpropagated_once_per_use():
    x = leaf(0.7)
    y = x * 2.0
    z = y * y + y + y.exp()           # y feeds three ops
    z.backward()
    yv = 1.4
    np.testing.assert_allclose(x.grad.item(), (2 * yv + 1 + np.exp(yv)) * 2)


def test_only_leaves_keep_grad_and_the_structure_survives_backward():
    x, w = leaf([1.0, 2.0]), leaf([0.5, -0.5])
    h = x * w
    y = h.exp().sum()
    y.backward()
    assert h.grad is None and y.grad is None
    node = h.grad_fn
    assert node.saved is None                          # freed...
    assert node.name == "mul" and node.inputs[0] is x and node.inputs[1] is w  # ...drawable
    assert [type(f).__name__ for f in y.grad_fn.next_functions] == ["Exp"]
    assert h.grad_fn.next_functions == (x, w)


def test_gradients_accumulate_across_backward_calls():
    x = leaf([1.0, 2.0])
    (x * 3).sum().backward()
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad.data, 3 + 2 * x.data)


def test_grad_of_a_leaf_is_not_aliased_to_the_seed_or_other_leaves():
    x, y = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    seed = np.ones(2)
    (x + y).backward(seed)
    x.grad.data[0] = 100.0
    assert seed[0] == 1.0 and y.grad.data[0] == 1.0


# -- freed graphs, retain_graph, seeds --------------------------------------------

def test_second_backward_through_freed_graph_raises_and_leaves_grads_alone():
    w, x = leaf([1.0, 2.0]), leaf([3.0, -1.0])
    loss = (w * x).sum()
    loss.backward()
    before = grads(w, x)
    with pytest.raises(RuntimeError, match="retain_graph"):
        loss.backward()
    assert all(np.array_equal(a, b) for a, b in zip(grads(w, x), before))


def test_partly_freed_graph_raises_before_any_gradient_is_written():
    x, w = leaf([1.0, 2.0]), leaf([0.5, 0.5])
    z = x.tanh()
    (z * 2).sum().backward()          # frees the tanh node
    before = grads(x, w)
    y = (w * 3).sum() + z.sum()       # new graph that reaches the freed node
    with pytest.raises(RuntimeError, match="retain_graph"):
        y.backward()
    assert w.grad is None and np.array_equal(grads(x)[0], before[0])


def test_retain_graph_allows_two_backwards_and_doubles_grads():
    x = leaf([1.0, 2.0])
    y = (x.sin() * x).sum()
    y.backward(retain_graph=True)
    once = x.grad.data.copy()
    y.backward()
    np.testing.assert_allclose(x.grad.data, 2 * once)


def test_non_scalar_backward_without_grad_says_not_a_scalar():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="not a scalar"):
        (x * 2).backward()
    assert x.grad is None


@pytest.mark.parametrize("make", [np.asarray, Tensor, list])
def test_backward_with_explicit_grad(make):
    x = leaf([[1.0, 2.0, 3.0]])
    y = x * x
    y.backward(make(np.array([[1.0, 0.5, -1.0]])))
    np.testing.assert_allclose(x.grad.data, [[2.0, 2.0, -6.0]])


def test_backward_with_grad_of_wrong_shape_raises():
    x = leaf([1.0, 2.0])
    with pytest.raises(ValueError, match=r"\(3,\).*\(2,\)"):
        (x * 2).backward(np.ones(3))


def test_backward_on_tensor_without_graph_raises():
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor([1.0]).sum().backward()


# -- higher order -----------------------------------------------------------------

def test_second_derivative_of_cube():
    x = leaf([-1.0, 0.5, 2.0])
    (dx,) = ag.grad((x ** 3).sum(), x, create_graph=True)
    assert dx.requires_grad
    np.testing.assert_allclose(dx.data, 3 * x.data ** 2)
    dx.sum().backward()
    np.testing.assert_allclose(x.grad.data, 6 * x.data)


def test_backward_create_graph_gives_differentiable_grad():
    x = leaf(1.5)
    (x ** 3).backward(create_graph=True)
    g = x.grad
    assert g.requires_grad and g.grad_fn is not None
    (ddx,) = ag.grad(g, x)
    np.testing.assert_allclose(ddx.item(), 6 * 1.5)


def _d2_sigmoid(v):
    s = 1 / (1 + np.exp(-v))
    return s * (1 - s) * (1 - 2 * s)


@pytest.mark.parametrize("fn,d2", [
    (lambda x: x.exp(), np.exp),
    (lambda x: x.tanh(), lambda v: -2 * np.tanh(v) / np.cosh(v) ** 2),
    (lambda x: x.sqrt(), lambda v: -0.25 * v ** -1.5),
    (lambda x: x.sigmoid(), _d2_sigmoid)])
def test_second_derivative_of_0d_ops_that_save_their_output(fn, d2):
    """Regression: on 0-d inputs NumPy returns a scalar, and the saved output was
    not recognised as the op's output, so the second derivative missed a term."""
    x = leaf(0.8)
    (dx,) = ag.grad(fn(x), x, create_graph=True)
    (ddx,) = ag.grad(dx, x)
    np.testing.assert_allclose(ddx.item(), d2(0.8), rtol=1e-10)


def test_hessian_vector_product_of_quadratic_form():
    rng = np.random.default_rng(0)
    M = rng.standard_normal((4, 4))
    A = M + M.T
    b = rng.standard_normal(4)
    x = leaf(rng.standard_normal(4))
    v = rng.standard_normal(4)

    def f(x):
        return 0.5 * (x @ (Tensor(A) @ x)) + (Tensor(b) * x).sum() + (x ** 3).sum()

    (g,) = ag.grad(f(x), x, create_graph=True)
    H = np.stack([ag.grad(g[i], x, retain_graph=True)[0].data for i in range(4)])
    (hv,) = ag.grad((g * Tensor(v)).sum(), x)
    explicit = A + np.diag(6 * x.data)
    np.testing.assert_allclose(H, explicit, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(hv.data, explicit @ v, rtol=1e-10, atol=1e-12)


# -- ag.grad ----------------------------------------------------------------------

def test_grad_multiple_outputs_inputs_and_grad_outputs():
    x, y = leaf([1.0, 2.0]), leaf([3.0, -1.0])
    a, b = x * y, (x + y) ** 2
    ga, gb = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    dx, dy = ag.grad([a, b], [x, y], grad_outputs=[ga, Tensor(gb)])
    s = x.data + y.data
    np.testing.assert_allclose(dx.data, ga * y.data + gb * 2 * s)
    np.testing.assert_allclose(dy.data, ga * x.data + gb * 2 * s)
    assert x.grad is None and y.grad is None          # .grad is untouched
    assert not dx.requires_grad and dx.dtype == np.float64


def test_grad_outputs_may_be_none_for_scalar_outputs():
    x = leaf([1.0, 2.0])
    (dx,) = ag.grad([(x * x).sum(), x * 3], x, grad_outputs=[None, np.ones(2)])
    np.testing.assert_allclose(dx.data, 2 * x.data + 3)
    y = leaf([2.0])
    (y * y).backward()                                  # one element: a scalar enough
    np.testing.assert_allclose(y.grad.data, [4.0])


def test_grad_allow_unused():
    x, unused = leaf([1.0]), leaf([2.0])
    y = (x * 2).sum()
    with pytest.raises(RuntimeError, match="allow_unused"):
        ag.grad(y, [x, unused], retain_graph=True)
    dx, du = ag.grad(y, [x, unused], allow_unused=True)
    assert du is None and dx.item() == 2.0


def test_grad_with_respect_to_non_leaf():
    x = leaf([1.0, 2.0])
    h = x * 3
    y = (h * h).sum()
    dh, dx = ag.grad(y, [h, x])
    np.testing.assert_allclose(dh.data, 2 * h.data)
    np.testing.assert_allclose(dx.data, 18 * x.data)
    assert h.grad is None


def test_grad_input_that_does_not_require_grad_raises():
    x = leaf([1.0])
    with pytest.raises(ValueError, match="does not require grad"):
        ag.grad((x * 2).sum(), [Tensor([1.0])])


# -- scale and memory -------------------------------------------------------------

def test_chain_of_one_million_ops_forward_and_backward():
    x = Tensor(0.5, requires_grad=True, dtype=np.float64)
    y = x
    for _ in range(1_000_000):
        y = y + 1.0
    assert y.item() == 1_000_000.5
    y.backward()
    assert x.grad.item() == 1.0


def test_graph_is_freed_without_the_cyclic_gc():
    gc.collect()
    gc.disable()
    try:
        x = leaf(np.ones(3))
        y = ((x * 2).exp() + x).sum()
        ref_out, ref_node = weakref.ref(y), weakref.ref(y.grad_fn)
        inner = weakref.ref(y.grad_fn.inputs[0].grad_fn)
        del y
        assert ref_out() is None and ref_node() is None and inner() is None
        z = (x * x).sum()
        z.backward()
        ref_out, ref_node = weakref.ref(z), weakref.ref(z.grad_fn)
        del z
        assert ref_out() is None and ref_node() is None
    finally:
        gc.enable()

# -- detach, requires_grad_ -------------------------------------------------------

def test_detach_shares_data_and_cuts_the_graph():
    x = leaf([1.0, 2.0])
    y = x * 2
    d = y.detach()
    assert d.is_leaf and not d.requires_grad and d.data is y.data
    z = (d * x).sum()
    z.backward()
    np.testing.assert_array_equal(x.grad.data, y.data)


def test_requires_grad_():
    t = Tensor(np.ones(2))
    assert t.requires_grad_() is t and t.requires_grad
    (t * 2).sum().backward()
    np.testing.assert_array_equal(t.grad.data, [2.0, 2.0])
    t.requires_grad_(False)
    assert not t.requires_grad and not (t * 2).requires_grad
    y = leaf([1.0]) * 2
    with pytest.raises(RuntimeError, match="detach"):
        y.requires_grad_(False)


# -- custom Functions ---------------------------------------------------------------

class ScaledCube(ag.Function):
    """f(x, s) = s * x**3, with needs_input_grad respected."""
    calls = []
    broadcasting = True  # the engine sums the gradient of s back to its shape

    @staticmethod
    def forward(ctx, x, s):
        ctx.save_for_backward(x, s)
        return s * x ** 3

    @staticmethod
    def backward(ctx, g):
        x, s = ctx.saved_tensors
        ScaledCube.calls.append(tuple(ctx.needs_input_grad))
        gx = g * 3 * s * x ** 2 if ctx.needs_input_grad[0] else None
        gs = g * x ** 3 if ctx.needs_input_grad[1] else None
        return gx, gs


class SplitSign(ag.Function):
    """Two outputs: the positive and the negative part."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.maximum(x, 0), np.minimum(x, 0)

    @staticmethod
    def backward(ctx, gpos, gneg):
        (x,) = ctx.saved_tensors
        return np.where(x > 0, gpos, gneg)


def test_custom_function_save_for_backward_and_needs_input_grad():
    ScaledCube.calls.clear()
    x = leaf([1.0, -2.0])
    s = Tensor(np.array(3.0))
    y = ScaledCube.apply(x, s)
    assert y.grad_fn.name == "scaledcube"
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, 9 * x.data ** 2)
    assert ScaledCube.calls == [(True, False)] and s.grad is None
    assert ag.gradcheck(lambda x, s: ScaledCube.apply(x, s), [leaf([0.3, 1.2]), leaf(2.0)])
    assert ag.gradgradcheck(lambda x, s: ScaledCube.apply(x, s), [leaf([0.3, 1.2]), leaf(2.0)])


def test_custom_function_with_two_outputs():
    x = leaf([1.5, -2.0, 0.5])
    pos, neg = SplitSign.apply(x)
    assert pos._oi == 0 and neg._oi == 1 and pos.grad_fn is neg.grad_fn
    assert pos.grad_fn.n_out == 2
    (2 * pos.sum() + 5 * neg.sum()).backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 5.0, 2.0])
    x2 = leaf([1.5, -2.0])
    SplitSign.apply(x2)[1].sum().backward()          # only one output used
    np.testing.assert_array_equal(x2.grad.data, [0.0, 1.0])


def test_custom_function_returning_wrong_number_of_grads_raises():
    class Bad(ag.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x + y

        @staticmethod
        def backward(ctx, g):
            return g

    with pytest.raises(RuntimeError, match="bad.*2 inputs"):
        Bad.apply(leaf([1.0]), leaf([2.0])).sum().backward()
