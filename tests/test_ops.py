"""Generic tests driven by the op table (tests/op_table.py): every row, every sample."""
import zlib

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor

from op_table import OPS, OPS_BY_NAME, cases

ALL = cases()
DIFF = cases(only=lambda op: op.differentiable)
GRADGRAD = cases(only=lambda op: op.differentiable and op.gradgrad)
INT = [pytest.param(op, s, id=f"{op.name}-int-{i}-{s!r}")
       for op in OPS for i, s in enumerate(op.int_samples)]


def _rng(op, sample):
    return np.random.default_rng(zlib.crc32(f"{op.name}{sample!r}".encode()))


def _inputs(op, sample, dtype=np.float64, requires_grad=True):
    arrays = op.make_inputs(sample, _rng(op, sample), dtype)
    return arrays, [Tensor(a.copy(), requires_grad=requires_grad) for a in arrays]


def _outs(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


def _call(op, sample, tensors):
    return op.fn(*tensors, **sample.kwargs)


def _check_forward(op, sample, dtype, rtol, atol):
    arrays, tensors = _inputs(op, sample, dtype)
    got = _outs(_call(op, sample, tensors))
    want = _outs(op.ref(*arrays, **sample.kwargs))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        w = np.asarray(w)
        assert isinstance(g, Tensor)
        assert g.shape == w.shape, f"{op.name}: shape {g.shape}, NumPy gives {w.shape}"
        assert g.dtype == w.dtype, f"{op.name}: dtype {g.dtype}, NumPy gives {w.dtype}"
        np.testing.assert_allclose(g.data, w, rtol=rtol, atol=atol)
    return got


@pytest.mark.parametrize("op,sample", ALL)
def test_forward_matches_numpy_float64(op, sample):
    _check_forward(op, sample, np.float64, op.rtol, op.atol)


@pytest.mark.parametrize("op,sample", ALL)
def test_forward_float32_stays_float32(op, sample):
    outs = _check_forward(op, sample, np.float32, op.rtol32, 1e-6)
    if not op.promotes and op.float32:
        assert all(o.dtype == np.float32 for o in outs)


@pytest.mark.parametrize("op,sample", DIFF)
def test_gradcheck_float64(op, sample):
    _, tensors = _inputs(op, sample)
    assert ag.gradcheck(lambda *xs: _call(op, sample, xs), tensors, eps=op.eps,
                        atol=op.grad_atol, rtol=op.grad_rtol)


@pytest.mark.parametrize("op,sample", GRADGRAD)
def test_gradgradcheck_float64(op, sample):
    _, tensors = _inputs(op, sample)
    assert ag.gradgradcheck(lambda *xs: _call(op, sample, xs), tensors, eps=op.eps,
                            atol=op.grad_atol, rtol=op.grad_rtol)


@pytest.mark.parametrize("op,sample", GRADGRAD)
def test_backward_is_differentiable_in_its_incoming_gradient(op, sample):
    """The vector-Jacobian product v -> v^T J(x) must be recorded as a function of v
    too (Hessian-vector products and double-backward tricks need it); gradgradcheck
    alone differentiates only with respect to x."""
    _, tensors = _inputs(op, sample)
    rng = _rng(op, sample)
    with ag.no_grad():
        outs = _outs(_call(op, sample, tensors))
    vs = [Tensor(rng.standard_normal(o.shape), requires_grad=True) for o in outs]
    n = len(tensors)

    def vjp(*xs_and_vs):
        xs, v = xs_and_vs[:n], xs_and_vs[n:]
        with ag.enable_grad():  # gradcheck evaluates under no_grad
            res = _outs(_call(op, sample, xs))
            gs = ag.grad(res, list(xs), grad_outputs=list(v), create_graph=True,
                         allow_unused=True)
        return tuple(g for g in gs if g is not None)

    assert ag.gradcheck(vjp, tensors + vs, eps=op.eps, atol=op.grad_atol, rtol=op.grad_rtol)


@pytest.mark.parametrize("op,sample", DIFF)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_grad_shapes_and_dtypes_equal_inputs(op, sample, dtype):
    _, tensors = _inputs(op, sample, dtype)
    rng = _rng(op, sample)
    loss = sum((o * Tensor(rng.standard_normal(o.shape).astype(o.dtype))).sum()
               for o in _outs(_call(op, sample, tensors)))
    loss.backward()
    for t in tensors:
        assert t.grad is not None and isinstance(t.grad, Tensor)
        assert t.grad.shape == t.shape and t.grad.dtype == t.dtype
        assert t.grad.grad_fn is None and not t.grad.requires_grad
        assert np.isfinite(t.grad.data).all()


@pytest.mark.parametrize("op,sample", ALL)
def test_inputs_not_mutated(op, sample):
    arrays, tensors = _inputs(op, sample)
    outs = _outs(_call(op, sample, tensors))
    for t, a in zip(tensors, arrays):
        np.testing.assert_array_equal(t.data, a)
    if not op.differentiable:
        return
    sum(o.sum() for o in outs).backward()
    for t, a in zip(tensors, arrays):
        np.testing.assert_array_equal(t.data, a)
        assert t.is_leaf and t.requires_grad and t._version == 0


@pytest.mark.parametrize("op,sample", ALL)
def test_no_grad_records_nothing(op, sample):
    _, tensors = _inputs(op, sample)
    with ag.no_grad():
        outs = _outs(_call(op, sample, tensors))
    for o in outs:
        assert o.grad_fn is None and not o.requires_grad and o.is_leaf
    assert all(t.grad is None for t in tensors)


@pytest.mark.parametrize("op,sample", DIFF)
def test_output_records_the_graph(op, sample):
    _, tensors = _inputs(op, sample)
    for o in _outs(_call(op, sample, tensors)):
        assert o.requires_grad and o.grad_fn is not None and not o.is_leaf
        assert isinstance(o.grad_fn.name, str) and o.grad_fn.name


@pytest.mark.parametrize("op,sample", INT)
def test_forward_on_integer_inputs_matches_numpy(op, sample):
    rng = _rng(op, sample)
    arrays = [rng.integers(-5, 6, shape) for shape in sample.shapes]
    got = _outs(op.fn(*(Tensor(a) for a in arrays), **sample.kwargs))
    want = _outs(op.ref(*arrays, **sample.kwargs))
    for g, w in zip(got, want):
        w = np.asarray(w)
        assert g.shape == w.shape and g.dtype == w.dtype, (g.dtype, w.dtype)
        np.testing.assert_array_equal(g.data, w)
        assert not g.requires_grad


def test_every_declared_op_has_a_row():
    """A new op is not done until the table checks it."""
    from autograd.ops.registry import DECLARED
    covered = {name for op in OPS for name in (op.covers or (op.name,))}
    missing = [n for n, d in DECLARED.items() if d.family != "factory" and n not in covered]
    assert not missing, f"declared ops without a row in the op table: {missing}"


def test_table_covers_every_op_of_the_issue():
    names = {op.name for op in OPS}
    wanted = """add sub mul div pow neg matmul abs exp log sqrt sin cos tanh sigmoid relu
        leaky_relu clip maximum minimum where sum mean max min var logsumexp softmax
        log_softmax reshape transpose swapaxes T flatten squeeze expand_dims broadcast_to
        pad concatenate stack split getitem clone astype_float32 radd_python
        rsub_numpy_scalar rmul_numpy_scalar rmatmul_numpy_array""".split()
    assert not set(wanted) - names
    assert len(names) == len(OPS), "op names in the table must be unique"


def _broadcasts(big, small):
    return len(big) > len(small) or any(a > b for a, b in zip(big[::-1], small[::-1]))


BINARY_ROWS = "add sub mul div pow maximum minimum where".split()
SIZE_ONE_ROWS = BINARY_ROWS + """neg abs exp log sqrt sin cos tanh sigmoid relu leaky_relu
    sum mean max min var logsumexp softmax log_softmax clone astype_float32 radd_python
    rmul_numpy_scalar rmul_numpy_array""".split()
ZERO_D_ROWS = [n for n in SIZE_ONE_ROWS if n not in ("softmax", "log_softmax")] + """clip
    reshape transpose T flatten expand_dims broadcast_to stack getitem""".split()


def test_rows_cover_0d_size_1_and_broadcasting_both_ways():
    def shapes(name):
        return [s for sample in OPS_BY_NAME[name].samples for s in sample.shapes]
    for name in ZERO_D_ROWS:
        assert () in shapes(name), name
    for name in SIZE_ONE_ROWS:
        assert (1,) in shapes(name), name
    for name in BINARY_ROWS:
        pairs = [s.shapes for s in OPS_BY_NAME[name].samples]
        assert any(_broadcasts(a, b) for a, b in pairs), name
        assert any(_broadcasts(b, a) for a, b in pairs), name
