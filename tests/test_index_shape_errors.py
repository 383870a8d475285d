"""Indexing and shape ops (autograd/ops/index.py, shape_more.py, pieces.py, matrix.py,
einsum.py): clear errors that name the op and the shapes or values, PyTorch's keyword
spellings beside NumPy's, and views where PyTorch gives views."""
import numpy as np
import pytest

import autograd as ag
from autograd import Tensor

X = Tensor(np.arange(6.0).reshape(2, 3))


@pytest.mark.parametrize("call,error,match", [
    (lambda: X.gather(0, ag.tensor([[5]])), IndexError, r"gather: index 5 .* dim 0 with size 2"),
    (lambda: X.gather(0, ag.tensor([-1, 0])), ValueError, r"gather: index has 1 dims .* 2"),
    (lambda: X.gather(1, ag.tensor([[0], [0], [0]])), ValueError, r"gather: index shape \(3, 1\)"),
    (lambda: X.gather(0, ag.Tensor([[0.0]])), TypeError, "gather: index must hold integers"),
    (lambda: X.scatter(0, ag.tensor([[0, 1]]), ag.ones(1, 1)), ValueError,
     r"scatter: index of shape \(1, 2\) is larger than src of shape \(1, 1\)"),
    (lambda: X.scatter(0, ag.tensor([[0]])), TypeError, "scatter: pass exactly one of src"),
    (lambda: X.scatter(0, ag.tensor([[0]]), 1.0, reduce="multiply"), ValueError,
     "scatter: reduce='multiply' is not supported"),
    (lambda: X.index_select(1, ag.tensor([[0]])), ValueError, "index_select: index must be 1-D"),
    (lambda: X.index_select(1, ag.tensor([3])), IndexError, "index_select: index 3"),
    (lambda: X.take_along_axis(ag.tensor([[0, 1, 2]]), axis=None), ValueError,
     "take_along_axis: with axis=None indices must be 1-D"),
    (lambda: X.masked_fill(ag.tensor([1, 0, 1]), 0.0), TypeError, "masked_fill: mask must be a bool"),
    (lambda: X.masked_fill(np.ones(2, bool), 0.0), ValueError,
     r"masked_fill: mask of shape \(2,\) does not broadcast with the input's shape \(2, 3\)"),
    (lambda: X.masked_select(np.ones(4, bool)), ValueError, r"masked_select: mask of shape \(4,\)"),
    (lambda: ag.one_hot(X, 3), TypeError, "one_hot: expected an integer tensor"),
    (lambda: ag.one_hot(ag.tensor([0, 3]), 3), ValueError, r"one_hot: class values must be in \[0, 3\)"),
    (lambda: ag.one_hot(ag.tensor(np.zeros(0, int))), ValueError, "one_hot: cannot infer"),
    (lambda: X.permute(0, 0), ValueError, r"permute: dims \(0, 0\) .* shape \(2, 3\)"),
    (lambda: X.view(np.float32), TypeError, "view: reinterpreting the dtype"),
    (lambda: X.reshape(1, 2, 3).t(), ValueError, r"t: expects a tensor of at most 2 dims"),
    (lambda: Tensor([1.0]).mT, ValueError, r"mT: needs a tensor of at least 2 dims, got shape \(1,\)"),
    (lambda: X.roll((1, 2)), ValueError, "roll: 2 shifts need as many dims"),
    (lambda: X.repeat(2), ValueError, r"repeat: 1 sizes for a tensor of 2 dims \(shape \(2, 3\)\)"),
    (lambda: X.repeat_interleave(ag.tensor([1, 2]), 1), ValueError,
     r"repeat_interleave: repeats must be .* dim 1 \(size 3\)"),
    (lambda: Tensor([1.0, 2.0]).tril(), ValueError, r"tril: expects .* at least 2 dims"),
    (lambda: X.diagonal(0, 1, 1), ValueError, "diagonal: dim1 and dim2 must differ"),
    (lambda: X.reshape(1, 2, 3).diag(), ValueError, r"diag: expects a 1-D or 2-D tensor"),
    (lambda: X.unflatten(1, (2, 2)), ValueError, r"unflatten: sizes \(2, 2\) .* size 3"),
    (lambda: X.movedim((0, 1), (0, 0)), ValueError, "movedim: source"),
    (lambda: X.chunk(0), ValueError, "chunk: chunks must be positive"),
    (lambda: X.narrow(1, 2, 2), ValueError, "narrow: start 2 and length 2 do not fit dim 1 of size 3"),
    (lambda: ag.hstack([]), ValueError, "hstack: needs at least one tensor"),
    (lambda: ag.meshgrid(X, X), ValueError, r"meshgrid: expects 0-d or 1-D tensors, got shape \(2, 3\)"),
    (lambda: ag.meshgrid(Tensor([1.0]), indexing="yx"), ValueError, "meshgrid: indexing must be"),
    (lambda: ag.einsum("ij,jk", X, X), ValueError, r"einsum: letter 'j' has sizes 3 and 2"),
    (lambda: ag.einsum("ij->k", X), ValueError, "einsum: output subscripts 'k'"),
    (lambda: ag.einsum("ij,j", X), ValueError, r"einsum: 2 operand subscripts .* for 1 operands"),
    (lambda: ag.einsum("ijk", X), ValueError, r"einsum: subscripts 'ijk' do not fit operand 0"),
    (lambda: ag.einsum("i1", X), ValueError, "einsum: subscripts 'i1' may hold letters"),
    (lambda: ag.einsum("...i->i", X), ValueError, "has '...' in its operands but not in its output"),
    (lambda: ag.tensordot(X, X, 3), ValueError, "tensordot: cannot sum over 3 dims"),
    (lambda: ag.bmm(X, X), ValueError, r"bmm: expects \(b, n, m\) and \(b, m, p\)"),
])
def test_bad_arguments_raise_naming_the_op(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("call", [
    lambda: X.gather(axis=0, dim=0, index=ag.tensor([[0]])), lambda: X.flip(0, dims=(0,)),
    lambda: X.roll(1, shift=1), lambda: X.roll(1, 0, dims=0), lambda: X.tile((1,), dims=(1,)),
    lambda: X.tril(1, k=1), lambda: X.diagonal(0, 0, 1, axis1=0), lambda: X.diag(0, k=0)])
def test_both_spellings_at_once_is_a_clear_error(call):
    with pytest.raises(TypeError, match="got both"):
        call()


def test_pytorch_and_numpy_spellings_agree():
    idx = ag.tensor([[1, 0, 2]])
    np.testing.assert_array_equal(X.gather(dim=1, index=idx).data, X.gather(axis=1, index=idx).data)
    assert X.flip(dims=(1,)).tolist() == X.flip(axis=1).tolist() == X.flip(1).tolist()
    assert X.roll(shifts=1, dims=1).tolist() == X.roll(1, axis=1).tolist() == \
        ag.roll(X, shift=1, axis=1).tolist()
    assert X.tile(dims=(2,)).tolist() == X.tile((2,)).tolist()
    assert X.tril(diagonal=1).tolist() == X.tril(k=1).tolist()
    assert X.diagonal(dim1=1, dim2=0).tolist() == X.diagonal(axis1=1, axis2=0).tolist()
    assert X.chunk(3, dim=1)[0].shape == X.chunk(3, axis=1)[0].shape == (2, 1)
    assert ag.cat([X, X], dim=1).shape == ag.concatenate([X, X], axis=1).shape == (2, 6)
    assert ag.tensordot(X, X, dims=([0], [0])).shape == ag.tensordot(X, X, ([0], [0])).shape


def test_slices_are_views_as_in_pytorch_and_diagonal_is_read_only():
    x = Tensor(np.arange(12.0).reshape(3, 4))
    for part in (x.narrow(1, 1, 2), x.chunk(2, dim=1)[1], x.unbind(0)[2], x.flip(0), x.view(4, 3)):
        assert np.shares_memory(part.data, x.data)
    d = x.diagonal()
    assert np.shares_memory(d.data, x.data) and not d.data.flags.writeable
    with pytest.raises(ValueError, match="read-only view"):
        d += 1.0
    with ag.no_grad():
        x.narrow(1, 0, 1).zero_()               # a view: the base changes, as in PyTorch
    assert x.data[:, 0].tolist() == [0.0, 0.0, 0.0]


def test_narrow_and_chunk_views_write_through_in_a_graph():
    w = Tensor(np.ones((2, 4)), requires_grad=True)
    c = w * 1.0
    left, right = c.chunk(2, dim=1)
    right *= 3.0                                # recorded on c, as PyTorch's views do
    c.sum().backward()
    assert c.tolist() == [[1.0, 1.0, 3.0, 3.0]] * 2
    assert w.grad.tolist() == [[1.0, 1.0, 3.0, 3.0]] * 2


def test_integer_and_bool_inputs_where_the_op_takes_them():
    k = ag.tensor([[3, 1], [2, 5]])
    assert k.gather(1, ag.tensor([[1], [0]])).tolist() == [[1], [2]]
    assert k.flip(0).dtype == np.int64 and k.tril().tolist() == [[3, 0], [2, 5]]
    assert ag.einsum("ij->j", k).tolist() == [5, 6]
    b = ag.tensor([True, False])
    assert ag.nonzero(b).tolist() == [[0]] and b.repeat(2).tolist() == [True, False] * 2
