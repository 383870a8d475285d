"""The engine's rules: dtypes, in-place ops and version checks, bad input, reflected
operators and comparisons, numerical stability."""
import warnings

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor


def leaf(data, dtype=np.float64):
    return Tensor(np.asarray(data, dtype=dtype), requires_grad=True)


# -- dtypes -----------------------------------------------------------------------

def test_dtype_rules():
    assert Tensor(1.5).dtype == np.float32
    assert Tensor([1.0, 2.0]).dtype == np.float32
    assert Tensor([[1.0], [2.0]], requires_grad=True).dtype == np.float32
    f64 = np.ones(2)
    t = Tensor(f64)
    assert t.dtype == np.float64 and t.data is f64           # kept, not copied
    assert Tensor(np.ones(2, np.float32)).dtype == np.float32
    mixed = Tensor(np.ones(2, np.float32), requires_grad=True) + Tensor(np.ones(2))
    assert mixed.dtype == np.float64
    assert (Tensor(2.0) * 3).dtype == np.float32
    assert Tensor(3).dtype.kind == "i" and Tensor(True).dtype == np.bool_


@pytest.mark.parametrize("data", [5, [1, 2], np.arange(3), np.array([True, False]), True])
def test_integer_and_bool_tensors_cannot_require_grad(data):
    with pytest.raises(TypeError, match="floating-point"):
        Tensor(data, requires_grad=True)
    t = Tensor(data)
    with pytest.raises(TypeError, match="floating-point"):
        t.requires_grad_()
    assert not t.requires_grad


@pytest.mark.parametrize("dtype", [np.int64, np.int32, bool])
def test_astype_to_integer_or_bool_gives_a_constant(dtype):
    """Regression: the cast result required grad, so gradients flowed through ints."""
    x = leaf([1.5, -2.5])
    y = x.astype(dtype)
    assert y.dtype == dtype and not y.requires_grad and y.grad_fn is None
    np.testing.assert_array_equal(y.data, x.data.astype(dtype))
    assert not (y * 1.0).requires_grad
    z = x.astype(np.float32)
    assert z.requires_grad and z.dtype == np.float32


def test_float32_graph_gives_float32_grads():
    x = Tensor(np.ones((2, 3), np.float32), requires_grad=True)
    w = Tensor(np.ones((3, 2), np.float32), requires_grad=True)
    ((x @ w).relu().sum() * 2.0).backward()
    assert x.grad.dtype == np.float32 and w.grad.dtype == np.float32


def test_mixed_precision_grads_keep_each_leaf_dtype():
    x = Tensor(np.ones(3, np.float32), requires_grad=True)
    y = Tensor(np.ones(3), requires_grad=True)
    (x * y).sum().backward()
    assert x.grad.dtype == np.float32 and y.grad.dtype == np.float64


# -- in-place ops -----------------------------------------------------------------

INPLACE = [lambda t: t.add_(1.0), lambda t: t.sub_(1.0), lambda t: t.mul_(2.0),
           lambda t: t.div_(2.0), lambda t: t.zero_(), lambda t: t.fill_(3.0),
           lambda t: t.copy_(np.zeros(3)), lambda t: t.clamp_(0.0, 1.0),
           lambda t: t.__iadd__(1.0), lambda t: t.__isub__(1.0), lambda t: t.__imul__(2.0),
           lambda t: t.__itruediv__(2.0), lambda t: t.__setitem__(0, 5.0)]


@pytest.mark.parametrize("op", INPLACE)
def test_inplace_on_leaf_requiring_grad_raises_outside_no_grad(op):
    w = leaf([1.0, 2.0, 3.0])
    with pytest.raises(RuntimeError, match="no_grad"):
        op(w)
    np.testing.assert_array_equal(w.data, [1.0, 2.0, 3.0])
    assert w._version == 0


@pytest.mark.parametrize("op", INPLACE)
def test_inplace_under_no_grad_works_and_keeps_leaf(op):
    w = leaf([1.0, 2.0, 3.0])
    data = w.data
    with ag.no_grad():
        out = op(w)
    assert out is None or out is w
    assert w.is_leaf and w.requires_grad and w.grad_fn is None
    assert w.data is data and w._version > 0
    assert not np.array_equal(w.data, [1.0, 2.0, 3.0])


def test_augmented_assignment_keeps_the_same_tensor():
    w = leaf([1.0, 2.0])
    name = w
    with ag.no_grad():
        w += 1.0
        w *= Tensor(np.array([2.0, 3.0]))
    assert w is name
    np.testing.assert_array_equal(w.data, [4.0, 9.0])


def test_inplace_broadcast_mismatch_raises_before_changing():
    w = leaf([1.0, 2.0])
    with ag.no_grad(), pytest.raises(ValueError, match=r"add_.*\(3,\).*\(2,\)"):
        w.add_(np.ones(3))
    np.testing.assert_array_equal(w.data, [1.0, 2.0])
    assert w._version == 0


def test_modifying_a_saved_tensor_makes_backward_raise_naming_the_op():
    w = leaf([1.0, 2.0])
    x = Tensor(np.array([3.0, 4.0]))
    y = (w * x).sum()
    x += 1
    with pytest.raises(RuntimeError, match="'mul'.*in-place"):
        y.backward()
    assert w.grad is None


@pytest.mark.parametrize("fn,name", [
    (lambda x: x.exp(), "exp"), (lambda x: x.tanh(), "tanh"),
    (lambda x: x.sqrt(), "sqrt"), (lambda x: x.sigmoid(), "sigmoid")])
@pytest.mark.parametrize("shape", [(2,), ()])
def test_modifying_a_saved_output_makes_backward_raise(fn, name, shape):
    """Regression: ops that save their output (exp, tanh, ...) gave silently wrong
    gradients when that output was changed in place under no_grad."""
    x = leaf(np.full(shape, 0.5))
    y = fn(x)
    with ag.no_grad():
        y.add_(1.0)
    with pytest.raises(RuntimeError, match=f"'{name}' saved its output"):
        y.sum().backward()
    assert x.grad is None


def test_modifying_saved_memory_through_a_view_makes_backward_raise():
    """Regression: x[:2] shares x's memory; changing x in place after the product
    saved x[:2] gave a silently wrong gradient (PyTorch raises: views share versions)."""
    x, w = leaf([1.0, 2.0, 3.0]), leaf([1.0, 1.0])
    z = (x[:2] * w).sum()
    with ag.no_grad():
        x.add_(10.0)
    with pytest.raises(RuntimeError, match="'mul'.*in-place"):
        z.backward()
    assert w.grad is None and x.grad is None


def test_modifying_saved_memory_through_detach_makes_backward_raise():
    x = leaf([1.0, 2.0])
    y = x.exp()
    d = y.detach()
    d += 1.0                          # allowed: d does not require grad
    with pytest.raises(RuntimeError, match="'exp'.*detach"):
        y.sum().backward()


def test_inplace_before_the_op_or_on_other_memory_is_fine():
    x, w = leaf([1.0, 2.0, 3.0]), leaf([1.0, 1.0])
    with ag.no_grad():
        x.add_(10.0)                  # before the op saved it
    other = Tensor(np.ones(2))
    z = (x[:2] * w).sum()
    other += 1.0                      # unrelated memory
    z.backward()
    np.testing.assert_array_equal(w.grad.data, [11.0, 12.0])


def test_modifying_an_output_that_was_not_saved_is_fine():
    x = leaf([1.0, 2.0])
    y = x * 3.0                       # mul saves its inputs, not its output
    with ag.no_grad():
        y.mul_(2.0)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])


def test_modifying_a_tensor_not_saved_is_fine():
    w = leaf([1.0, 2.0])
    x = Tensor(np.array([3.0, 4.0]))
    y = (w + x).sum()                 # add saves nothing
    x += 1
    y.backward()
    np.testing.assert_array_equal(w.grad.data, [1.0, 1.0])

# -- bad input --------------------------------------------------------------------

def _state(*ts):
    return [(t.data.copy(), t.grad, t.grad_fn, t._version, t.requires_grad) for t in ts]


def _same_state(before, ts):
    return all(np.array_equal(b[0], t.data) and b[1:] == (t.grad, t.grad_fn, t._version,
                                                         t.requires_grad)
               for b, t in zip(before, ts))


@pytest.mark.parametrize("op,name,shapes", [
    (lambda a, b: a @ b, "matmul", ((2, 3), (4, 5))),
    (lambda a, b: a @ b, "matmul", ((3,), (4,))),
    (lambda a, b: a @ b, "matmul", ((2, 2, 3), (3, 3, 4))),
    (lambda a, b: a + b, "add", ((2, 3), (4,))),
    (lambda a, b: a * b, "mul", ((2, 3), (3, 2))),
    (lambda a, b: a - b, "sub", ((5,), (4,))),
    (lambda a, b: a / b, "div", ((2, 1, 3), (4, 2))),
    (lambda a, b: ag.maximum(a, b), "maximum", ((3,), (2,))),
])
def test_shape_mismatch_raises_value_error_naming_op_and_both_shapes(op, name, shapes):
    a, b = leaf(np.ones(shapes[0])), leaf(np.ones(shapes[1]))
    y = leaf(np.ones(shapes[0])) * 2                    # a non-leaf operand too
    before = _state(a, b)
    with pytest.raises(ValueError) as info:
        op(a, b)
    msg = str(info.value)
    assert name in msg and str(shapes[0]) in msg and str(shapes[1]) in msg
    assert _same_state(before, (a, b))
    node = y.grad_fn
    with pytest.raises(ValueError):
        op(y, b)
    assert y.grad_fn is node and y.grad is None


@pytest.mark.parametrize("call,name", [
    (lambda x: x.sum(axis=3), "sum"), (lambda x: x.max(axis=(0, 0)), "max"),
    (lambda x: ag.pad(x, (-1, 1)), "pad"), (lambda x: x.reshape(4, 4), "reshape"),
    (lambda x: x.transpose(0, 0), "transpose"), (lambda x: x.broadcast_to((3, 2)), "broadcast_to"),
    (lambda x: ag.stack([x, x[:1]]), "stack"), (lambda x: ag.concatenate([x, x[None]]),
                                                "concatenate"),
])
def test_bad_arguments_raise_value_error_naming_the_op_once(call, name):
    x = leaf(np.ones((2, 3)))
    with pytest.raises(ValueError) as info:
        call(x)
    msg = str(info.value)
    assert msg.startswith(f"{name}:") and f"{name}: {name}:" not in msg
    assert "(2, 3)" in msg and x.grad is None and x._version == 0


def test_matmul_of_0d_raises_clearly():
    with pytest.raises(ValueError, match="matmul"):
        leaf(2.0) @ leaf([1.0])


# -- reflected ops and comparisons ------------------------------------------------

def test_reflected_ops_with_numpy_scalars_and_arrays_return_tensors():
    t = leaf([1.0, 2.0])
    for y in (np.float64(2) * t, np.float64(2) + t, np.float64(2) - t, np.float64(2) / t,
              np.float64(2) ** t, np.array([1.0, 2.0]) * t, np.array([1.0, 2.0]) - t,
              np.ones((3, 2)) @ t, np.float32(3.0) * t):
        assert isinstance(y, Tensor) and y.requires_grad
    y = np.float64(2) * t
    y.sum().backward()
    np.testing.assert_array_equal(t.grad.data, [2.0, 2.0])


def test_comparisons_give_bool_tensors_without_grad():
    x = leaf([1.0, 2.0, 3.0])
    for r in (x < 2, x <= 2, x > 2, x >= 2, x == 2, x != 2, 2 < x, x > Tensor([0.0, 5.0, 1.0])):
        assert isinstance(r, Tensor) and r.dtype == np.bool_
        assert not r.requires_grad and r.grad_fn is None
    np.testing.assert_array_equal((x >= 2).data, [False, True, True])


# -- numerical stability ------------------------------------------------------------

# Overflow, 0/0 and log(0) raise. Underflow (exp(-2000) == 0.0, the correctly
# rounded result) stays ignored, as in NumPy's default settings, where it is not a
# warning: softmax at -1000 is 0 however it is computed.
NO_WARNINGS = dict(all="raise", under="ignore")

@pytest.mark.parametrize("fn,ref_grad", [
    (lambda x: x.sigmoid().sum(), lambda v: np.array([0.0, 0.25, 0.0])),
    (lambda x: x.log_softmax()[0], lambda v: np.array([1.0, 0.0, 0.0]) - np.array([1.0, 0, 0])),
    (lambda x: x.log_softmax()[2], lambda v: np.array([-1.0, 0.0, 1.0])),
    (lambda x: x.logsumexp(), lambda v: np.array([1.0, 0.0, 0.0])),
    (lambda x: x.softmax()[0], lambda v: np.zeros(3)),
])
def test_stable_at_plus_minus_1000_without_numpy_warnings(fn, ref_grad):
    x = leaf([1000.0, 0.0, -1000.0])
    with warnings.catch_warnings(), np.errstate(**NO_WARNINGS):
        warnings.simplefilter("error")
        y = fn(x)
        y.backward()
    assert np.isfinite(y.data).all() and np.isfinite(x.grad.data).all()
    np.testing.assert_allclose(x.grad.data, ref_grad(x.data), atol=1e-12)


def test_stable_values_at_1000():
    x = leaf([1000.0, -1000.0])
    with warnings.catch_warnings(), np.errstate(**NO_WARNINGS):
        warnings.simplefilter("error")
        np.testing.assert_allclose(x.sigmoid().data, [1.0, 0.0])
        np.testing.assert_allclose(x.logsumexp().item(), 1000.0)
        np.testing.assert_allclose(x.log_softmax().data, [0.0, -2000.0])
        np.testing.assert_allclose(Tensor(np.array([[-1000.0, -1000.0]])).logsumexp(axis=1)
                                   .data, [-1000.0 + np.log(2)])


def test_once_differentiable_marker_refuses_create_graph_and_names_the_op():
    class Twice(ag.Function):
        once_differentiable = True
        once_differentiable_hint = "use the composed form"

        @staticmethod
        def forward(ctx, x):
            return 2 * x

        @staticmethod
        def backward(ctx, g):
            return 2 * g

    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    y = Twice.apply(x).sum()
    with pytest.raises(RuntimeError, match=r"op 'twice'.*first-order only.*use the composed form"):
        ag.grad(y, x, create_graph=True)
    (g,) = ag.grad(Twice.apply(x).sum(), x)   # first order works
    np.testing.assert_array_equal(g.data, [2.0, 2.0])
