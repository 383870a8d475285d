"""In-place ops on tensors in a graph (issue 11, item 4; autograd/inplace.py): recorded as
PyTorch records them, with PyTorch's gradients; the version checks still catch a tensor
changed after an op saved it (the clear errors are in tests/test_inplace_errors.py)."""
import numpy as np
import pytest

import autograd as ag
from autograd import Tensor


def leaf(a):
    return Tensor(np.asarray(a, dtype=np.float64), requires_grad=True)


# -- the patterns, written once for both libraries (operators and indexing only) ---------

def iadd_self(x, y):
    c = x * 2
    c += c + 1
    return c


def imul_other(x, y):
    c = x + 0.5
    c *= y
    return c


def idiv_then_isub(x, y):
    c = x * 1
    c /= y
    c -= x
    return c


def imul_self(x, y):
    c = x + 1
    c *= c
    return c


def consumer_before_change(x, y):
    c = x * 2
    d = c + 1              # add saves nothing: the change below is fine
    c *= y
    return d * 3 + c


def consumer_feeds_the_change(x, y):
    c = x * 2
    d = c + 1
    c += d                 # d was made from c before c changed
    return c


def chained(x, y):
    c = x * 1
    c += 1
    c *= c
    c -= y
    return c


def setitem_int(x, y):
    c = x * 1
    c[0] = y[0] * 2
    return c


def setitem_slice(x, y):
    c = x * 1
    c[1:, ::2] = y[:2, 1:3] * y[:2, :2]
    return c


def setitem_mask(x, y):
    c = x * 1
    c[x > 0] = y[x > 0] ** 2
    return c


def setitem_advanced(x, y):
    c = x * 1
    c[[0, 2]] = y[[1, 1]]
    return c


def setitem_broadcast_scalar(x, y):
    c = x * y
    c[:, 1] = 0.0
    return c


def view_iadd(x, y):
    c = x * 1
    v = c[1]
    v += y[0]              # writes through to c, as PyTorch's views do
    return c


def view_imul_used_after(x, y):
    c = x * 1
    v = c[:, 1:3]
    v *= 2
    return c * v.sum()


def python_index_idiom(x, y):
    c = x * 1
    c[0] += y[0]
    c[1, 2] *= 3
    return c


def nested_view(x, y):
    c = x * 1
    c[1][2:] = y[0, :2]
    return c


def into_buffer_without_grad(x, y):
    buf = x.new_zeros((3, 4)) if hasattr(x, "new_zeros") else Tensor(np.zeros((3, 4)))
    buf[0] = x[0]
    buf[1:] = y[1:] * 2
    return buf


def methods(x, y):
    c = x * 2
    c.add_(y, alpha=2)
    c.sub_(x)
    c.clamp_(-1.5, 1.5)
    c.mul_(y).div_(2.0)
    return c


def copy_and_fill(x, y):
    c = x * 1
    c[0].zero_()
    c[1].fill_(2.0)
    c[2].copy_(y[2])
    return c


PATTERNS = [iadd_self, imul_other, idiv_then_isub, consumer_before_change,
            consumer_feeds_the_change, setitem_int, setitem_slice, setitem_mask,
            setitem_advanced, setitem_broadcast_scalar, view_iadd, view_imul_used_after,
            python_index_idiom, nested_view, into_buffer_without_grad, methods, copy_and_fill]


def _arrays(seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(-2, 2, (3, 4)), rng.choice([-1, 1], (3, 4)) * rng.uniform(0.5, 2, (3, 4))


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda f: f.__name__)
def test_pattern_matches_pytorch(pattern):
    torch = pytest.importorskip("torch")
    a, b = _arrays()
    x, y = leaf(a), leaf(b)
    tx, ty = (torch.tensor(v, requires_grad=True) for v in (a, b))
    out, want = pattern(x, y), pattern(tx, ty)
    np.testing.assert_allclose(out.data, want.detach().numpy(), rtol=1e-12)
    w = np.random.default_rng(1).standard_normal(out.shape)
    (out * Tensor(w)).sum().backward()
    (want * torch.tensor(w)).sum().backward()
    for ours, theirs in ((x, tx), (y, ty)):
        if theirs.grad is None:
            assert ours.grad is None or not ours.grad.data.any()
        else:
            np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-10,
                                       atol=1e-12)


# PyTorch refuses these at backward (mul_ saved the tensor it then changed); here the
# old value is kept, so they work (and are checked numerically below).
BEYOND_PYTORCH = [imul_self, chained]


@pytest.mark.parametrize("pattern", PATTERNS + BEYOND_PYTORCH, ids=lambda f: f.__name__)
def test_pattern_gradcheck_and_gradgradcheck(pattern):
    a, b = _arrays(2)
    assert ag.gradcheck(pattern, [leaf(a), leaf(b)])
    if pattern not in (methods, setitem_mask):  # kinks (clamp) and a mask from x itself
        assert ag.gradgradcheck(pattern, [leaf(a), leaf(b)])


def test_the_issue_example_and_its_values():
    x = leaf([1.0, 2.0, 3.0])
    c = x * 2
    same = c
    c += c + 1
    assert c is same and not c.is_leaf and c.requires_grad
    c.sum().backward()
    np.testing.assert_array_equal(c.data, [5.0, 9.0, 13.0])
    np.testing.assert_array_equal(x.grad.data, [4.0, 4.0, 4.0])


def test_c_times_equals_c_gives_the_square_s_gradient():
    x = leaf([1.0, -2.0])
    c = x + 1
    c *= c
    c.sum().backward()
    np.testing.assert_array_equal(c.data, [4.0, 1.0])
    np.testing.assert_array_equal(x.grad.data, [4.0, -2.0])


def test_second_derivative_through_an_inplace_op():
    x = leaf(1.5)
    c = x * x
    c *= x                                     # x ** 3
    (d1,) = ag.grad(c, x, create_graph=True)
    (d2,) = ag.grad(d1, x)
    assert d1.item() == pytest.approx(3 * 1.5 ** 2) and d2.item() == pytest.approx(9.0)


def test_setitem_gives_the_value_its_gradient():
    x, v = leaf(np.zeros((2, 3))), leaf([1.0, 2.0, 3.0])
    c = x + 1
    c[1] = v * v
    c.sum().backward()
    np.testing.assert_array_equal(v.grad.data, [2.0, 4.0, 6.0])
    np.testing.assert_array_equal(x.grad.data, [[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]])


def test_a_buffer_without_grad_is_written_in_place_and_joins_the_graph():
    w = leaf([1.0, 2.0])
    buf = ag.zeros(3, 2, dtype=np.float64)
    memory, alias = buf.data, buf.detach()
    buf[1] = w * 3
    assert buf.data is memory and buf.requires_grad and buf.grad_fn is not None
    np.testing.assert_array_equal(alias.data[1], [3.0, 6.0])   # the memory changed
    buf.sum().backward()
    np.testing.assert_array_equal(w.grad.data, [3.0, 3.0])


def test_a_tensor_that_requires_grad_gets_a_new_array():
    """Documented difference from PyTorch: the old array is left as it was, so a
    detach() (or a view by another op) taken before keeps the old values."""
    c = leaf([1.0, 2.0]) * 1
    old, snapshot = c.data, c.detach()
    c += 1
    assert c.data is not old
    np.testing.assert_array_equal(snapshot.data, [1.0, 2.0])
    np.testing.assert_array_equal(c.data, [2.0, 3.0])


def test_versions_and_identity():
    c = leaf([1.0]) * 1
    v0, node = c._version, c.grad_fn
    c.mul_(2.0)
    assert c._version > v0 and c.grad_fn is not node and c.grad_fn.name == "mul"
    assert c.grad_fn.before.grad_fn is node


def test_nodes_made_before_the_change_still_see_the_old_value():
    x, y = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    c = x * 2
    d = c + 1
    first = c.grad_fn
    c *= y
    assert d.grad_fn.next_functions == (first,)
    assert c.grad_fn.next_functions == (first, y)


# -- the version checks still fire ------------------------------------------------------

def test_an_op_that_saved_the_tensor_raises_after_the_change():
    x, y = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    c = x * 2
    d = c * y                                  # mul saved c
    c += 1
    with pytest.raises(RuntimeError, match="'mul'.*in-place"):
        d.sum().backward()
    assert x.grad is None and y.grad is None


def test_an_op_that_saved_its_output_raises_after_the_change():
    x = leaf([0.5, 1.0])
    c = x.exp()
    c += 1
    with pytest.raises(RuntimeError, match="'exp' saved its output"):
        c.sum().backward()


def test_pytorch_raises_in_the_same_places():
    torch = pytest.importorskip("torch")
    tx, ty = torch.tensor([1.0, 2.0], requires_grad=True), torch.tensor([3.0, 4.0], requires_grad=True)
    c = tx * 2
    d = c * ty
    c += 1
    with pytest.raises(RuntimeError, match="inplace"):
        d.sum().backward()
    c = tx.exp()
    c += 1
    with pytest.raises(RuntimeError, match="inplace"):
        c.sum().backward()


def test_changing_a_buffer_that_an_op_saved_raises_too():
    w = leaf([1.0, 2.0])
    buf = ag.zeros(2, dtype=np.float64)
    d = w * buf                                # saved buf's memory
    buf += w                                   # written in place: joins the graph
    with pytest.raises(RuntimeError, match="'mul'.*in-place"):
        d.sum().backward()


def test_no_grad_still_writes_in_place_without_recording():
    c = leaf([1.0, 2.0]) * 1
    memory, node = c.data, c.grad_fn
    with ag.no_grad():
        c += 1
        c[0] = 7.0
    assert c.data is memory and c.grad_fn is node
    np.testing.assert_array_equal(c.data, [7.0, 3.0])


def test_viz_draws_the_graph_with_the_old_value_feeding_earlier_consumers():
    viz = pytest.importorskip("viz")
    x, y = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    c = x * 2
    d = c + 1
    c *= y
    out = (d + c).sum()
    from viz.graph import walk
    graph = walk([out])
    ops = [v for v in graph.nodes if v.kind == "op"]
    assert sorted(v.title for v in ops) == ["add", "add", "mul", "mul", "sum"]
    first_mul = next(v for v in ops if v.fn is c.grad_fn.before.grad_fn)
    into = {e.dst for e in graph.edges if e.src == first_mul.key}
    assert len(into) == 2                      # feeds d's add and c's in-place mul
    assert "digraph" in viz.to_dot(out)
