"""In-place ops on tensors in a graph (issue 11, item 4): the clear errors, raised before
anything changes (leaves that require grad and views of them, views made by ops other
than indexing, stale views, shape and dtype mismatches, read-only views). The recorded
behaviour itself is in tests/test_inplace.py."""
import numpy as np
import pytest

import autograd as ag
from autograd import Tensor


def leaf(a):
    return Tensor(np.asarray(a, dtype=np.float64), requires_grad=True)


def _state(t):
    return t.data.copy(), t.data, t.grad_fn, t._version, t.requires_grad


def _unchanged(t, before):
    copy, data, fn, version, rg = before
    return np.array_equal(t.data, copy) and t.data is data and t.grad_fn is fn and \
        t._version == version and t.requires_grad == rg


@pytest.mark.parametrize("change", [
    lambda w: w.__iadd__(1.0), lambda w: w.__setitem__(0, 5.0), lambda w: w.mul_(leaf(2.0)),
    lambda w: w.copy_(leaf([0.0, 0.0, 0.0]))])
def test_a_leaf_that_requires_grad_stays_an_error(change):
    w = leaf([1.0, 2.0, 3.0])
    before = _state(w)
    with pytest.raises(RuntimeError, match="leaf that requires grad.*no_grad"):
        change(w)
    assert _unchanged(w, before)


@pytest.mark.parametrize("change", [lambda v: v.__iadd__(1.0), lambda v: v.zero_()])
def test_a_view_of_a_leaf_that_requires_grad_is_an_error(change):
    w = leaf([[1.0, 2.0], [3.0, 4.0]])
    v = w[0]
    with pytest.raises(RuntimeError, match="view .*of a leaf that requires grad"):
        change(v)
    with pytest.raises(RuntimeError, match="leaf that requires grad"):
        w[1] += 1.0
    np.testing.assert_array_equal(w.data, [[1.0, 2.0], [3.0, 4.0]])


@pytest.mark.parametrize("make,name", [
    (lambda c: c.reshape(6), "reshape"), (lambda c: c.T, "transpose"),
    (lambda c: c.diagonal(), "diagonal")])
def test_views_made_by_other_ops_are_refused_clearly(make, name):
    c = leaf(np.ones((2, 3))) * 1
    v = make(c)
    before, base = _state(v), _state(c)
    with pytest.raises(RuntimeError, match=f"view made by op '{name}'.*clone"):
        v += 1.0
    assert _unchanged(v, before) and _unchanged(c, base)
    v2 = make(c).clone()
    v2 += 1.0                                  # the way out the message names
    assert v2.grad_fn is not None


def test_a_view_taken_before_its_base_changed_is_refused():
    c = leaf(np.ones((2, 3))) * 1
    v = c[0]
    c += 1
    with pytest.raises(RuntimeError, match="taken before its base was changed"):
        v += 1.0


def test_shape_mismatch_names_the_op_and_shapes_and_changes_nothing():
    c = leaf(np.ones((2, 3))) * 1
    before = _state(c)
    with pytest.raises(ValueError, match=r"add_.*\(5,\).*\(2, 3\)"):
        c += leaf(np.ones(5))
    with pytest.raises(ValueError, match=r"setitem.*\(2, 3\)"):
        c[0] = leaf(np.ones(4))
    assert _unchanged(c, before)


def test_an_integer_tensor_cannot_take_a_value_that_requires_grad():
    k = ag.tensor([1, 2, 3])
    with pytest.raises(TypeError, match="__setitem__.*int64"):
        k[0] = leaf(2.0)
    np.testing.assert_array_equal(k.data, [1, 2, 3])


def test_read_only_views_are_refused_clearly():
    gx, _ = ag.meshgrid(ag.Tensor([1.0, 2.0]), ag.Tensor([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="add_.*read-only view.*clone"):
        gx += 1.0
    gx, _ = ag.meshgrid(ag.Tensor([1.0, 2.0]), ag.Tensor([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="__setitem__.*read-only"):
        gx[0] = leaf([1.0, 2.0, 3.0])
