"""Gradient checking itself: it passes correct gradients and catches wrong ones."""
import warnings

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor


def leaf(data, dtype=np.float64):
    return Tensor(np.asarray(data, dtype=dtype), requires_grad=True)


class SinOffByOne(ag.Function):
    """sin, whose backward adds 0.5 to the gradient of one element (flat index 5)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        dx = g * np.cos(x)
        dx.reshape(-1)[5] += 0.5 * g.reshape(-1)[5]
        return dx


class Reverse(ag.Function):
    """Identity whose backward reverses the gradient: right for sums, wrong otherwise."""

    @staticmethod
    def forward(ctx, x):
        return x.copy()

    @staticmethod
    def backward(ctx, g):
        return g[::-1].copy()


class ScaledSin(ag.Function):
    """sin with a backward 1.5 times too large."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 1.5 * g * np.cos(x)


class FrozenSquare(ag.Function):
    """x**2 with a correct first derivative that uses x as a constant, so its
    derivative (the second derivative of x**2) comes out 0 instead of 2."""

    @staticmethod
    def forward(ctx, x):
        ctx.x = x.copy()        # not saved with save_for_backward: stays a constant
        return x * x

    @staticmethod
    def backward(ctx, g):
        return g * (2 * ctx.x)


X23 = np.array([[0.3, -1.2, 0.7], [1.5, 0.1, -0.4]])


# -- correct functions pass ------------------------------------------------------------

@pytest.mark.parametrize("fn,shapes", [
    (lambda x: (x.tanh() * x).sum(), [(3,)]),
    (lambda x, w: (x @ w).sigmoid(), [(2, 3), (3, 4)]),
    (lambda x, y: (x * y.exp(), x - y), [(2, 3), (3,)]),    # tuple output
    (lambda x: x.softmax(axis=0), [(4, 2)]),
    (lambda x: x[np.array([0, 0, 1])] * 2, [(3, 2)]),
])
def test_gradcheck_passes_correct_functions(fn, shapes):
    rng = np.random.default_rng(1)
    inputs = [leaf(rng.standard_normal(s)) for s in shapes]
    assert ag.gradcheck(fn, inputs) is True
    report = ag.compare_grads(fn, inputs)
    assert report.passed and len(report) == len(inputs)
    assert all(r.method == "elementwise" and r.rel_diff < 1e-7 for r in report)


def test_only_inputs_requiring_grad_are_checked():
    x, c = leaf([1.0, 2.0]), Tensor(np.array([3.0, 4.0]))
    report = ag.compare_grads(lambda x, c: (x * c).sum(), [x, c])
    assert len(report) == 1
    with pytest.raises(ValueError, match="nothing to check"):
        ag.gradcheck(lambda c: c.sum(), [Tensor(np.ones(2))])


# -- wrong gradients are caught --------------------------------------------------------

def test_wrong_function_raises_with_rel_diff_worst_index_and_values():
    x = leaf(X23)
    with pytest.raises(ag.GradcheckError) as info:
        ag.gradcheck(lambda x: SinOffByOne.apply(x), [x])
    msg = str(info.value)
    jac = np.diag(np.cos(X23).reshape(-1))
    wrong = jac.copy()
    wrong[5, 5] += 0.5
    rel = np.linalg.norm(wrong - jac) / (np.linalg.norm(wrong) + np.linalg.norm(jac))
    analytic, numeric = np.cos(X23[1, 2]) + 0.5, np.cos(X23[1, 2])
    assert f"rel diff {rel:.2e}" in msg
    assert "(1, 2)" in msg
    assert f"{analytic:.6g}" in msg and f"{numeric:.6g}" in msg
    (r,) = ag.compare_grads(lambda x: SinOffByOne.apply(x), [x])
    assert r.worst_index == (1, 2) and not r.passed
    np.testing.assert_allclose([r.rel_diff, r.analytic, r.numeric], [rel, analytic, numeric],
                               rtol=1e-6)


def test_raise_exception_false_returns_false():
    assert ag.gradcheck(lambda x: SinOffByOne.apply(x), [leaf(X23)],
                        raise_exception=False) is False


def test_non_scalar_output_compares_the_whole_jacobian():
    x = leaf([0.5, -1.0, 2.0, 0.1])
    assert ag.gradcheck(lambda x: Reverse.apply(x).sum(), [x])     # the sum hides it
    with pytest.raises(ag.GradcheckError):
        ag.gradcheck(lambda x: Reverse.apply(x), [x])
    big = leaf(np.linspace(-1, 1, 40))                                # > 16 outputs: projected
    assert not ag.gradcheck(lambda x: Reverse.apply(x), [big], raise_exception=False)


def test_wrong_gradient_of_one_of_several_inputs_is_named():
    x, y = leaf([0.2, 0.4]), leaf([1.0, -1.0])
    x.name = "weights"
    with pytest.raises(ag.GradcheckError, match="weights") as info:
        ag.gradcheck(lambda x, y: ScaledSin.apply(x) * y, [x, y])
    assert "<-- MISMATCH" in str(info.value)
    report = ag.compare_grads(lambda x, y: ScaledSin.apply(x) * y, [x, y])
    assert [r.passed for r in report] == [False, True]


# -- float32 promotion -----------------------------------------------------------------

def test_float32_inputs_warn_are_checked_in_float64_and_restored():
    data = np.array([0.3, -0.8, 1.1], dtype=np.float32)
    x = Tensor(data, requires_grad=True)
    x.grad = Tensor(np.array([7.0, 7.0, 7.0], dtype=np.float32))
    seen = []

    def fn(x):
        seen.append(x.dtype)
        return (x.sin() * x).sum()

    with pytest.warns(UserWarning, match="float64"):
        assert ag.gradcheck(fn, [x])
    assert seen and all(d == np.float64 for d in seen)
    assert x.data is data and x.dtype == np.float32
    np.testing.assert_array_equal(data, np.array([0.3, -0.8, 1.1], dtype=np.float32))
    np.testing.assert_array_equal(x.grad.data, [7.0, 7.0, 7.0])


def test_inputs_restored_even_when_the_check_fails():
    x = leaf(X23)
    original = x.data
    ag.gradcheck(lambda x: SinOffByOne.apply(x), [x], raise_exception=False)
    assert x.data is original and x.grad is None
    np.testing.assert_array_equal(original, X23)


def test_float64_inputs_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ag.gradcheck(lambda x: x.exp().sum(), [leaf([1.0, 2.0])])


# -- large inputs: random projections ------------------------------------------------

def test_large_input_uses_projection_and_passes():
    x = leaf(np.random.default_rng(2).standard_normal((70, 70)))      # 4900 > 4096
    report = ag.compare_grads(lambda x: (x.sin() * x).sum(), [x])
    assert [r.method for r in report] == ["projection"]
    assert report.passed and report.max_rel_diff < 1e-6
    assert ag.gradcheck(lambda x: (x.sin() * x).sum(), [x])


def test_large_input_projection_catches_a_wrong_gradient():
    x = leaf(np.random.default_rng(3).standard_normal((70, 70)))
    report = ag.compare_grads(lambda x: ScaledSin.apply(x).sum(), [x])
    assert report[0].method == "projection" and not report.passed
    with pytest.raises(ag.GradcheckError, match="direction"):
        ag.gradcheck(lambda x: ScaledSin.apply(x), [x])


def test_whole_mlp_of_ten_thousand_parameters():
    rng = np.random.default_rng(4)
    sizes = [30, 100, 60, 10]
    params = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        params += [leaf(rng.standard_normal((n_in, n_out)) / np.sqrt(n_in)),
                   leaf(rng.standard_normal(n_out) * 0.1)]
    assert sum(p.size for p in params) == 9770
    x = Tensor(rng.standard_normal((16, 30)))
    y = rng.integers(0, 10, 16)

    def loss(*ps):
        h = x
        for i in range(0, len(ps), 2):
            h = h @ ps[i] + ps[i + 1]
            if i + 2 < len(ps):
                h = h.tanh()
        return -h.log_softmax(axis=1)[np.arange(16), y].mean()

    report = ag.compare_grads(loss, params)
    assert len(report) == 6 and report.passed
    assert {r.method for r in report} == {"projection"}
    assert ag.gradcheck(loss, params)


# -- numerical_grad --------------------------------------------------------------------

def test_numerical_grad_matches_analytic():
    x, y = leaf([0.5, -1.5, 2.0]), leaf([1.0, 2.0, 3.0])
    gx, gy = ag.numerical_grad(lambda x, y: (x ** 2 * y).sum(), [x, y])
    np.testing.assert_allclose(gx, 2 * x.data * y.data, rtol=1e-7)
    np.testing.assert_allclose(gy, x.data ** 2, rtol=1e-7)
    assert gx.shape == x.shape and gx.dtype == np.float64


def test_numerical_grad_with_grad_output_is_a_vector_jacobian_product():
    x = leaf([[0.5, -1.0], [2.0, 0.3]])
    v = np.array([[1.0, -2.0], [0.5, 3.0]])
    (g,) = ag.numerical_grad(lambda x: x.exp(), [x], grad_output=v)
    np.testing.assert_allclose(g, v * np.exp(x.data), rtol=1e-7)


# -- gradgradcheck ---------------------------------------------------------------------

@pytest.mark.parametrize("fn,shapes", [
    (lambda x: (x.sin() * x ** 2).sum(), [(3,)]),
    (lambda x, w: (x @ w).tanh(), [(2, 3), (3, 2)]),
    (lambda x: x.log_softmax(axis=-1), [(2, 3)]),
    (lambda x, y: (x / y).exp() * y, [(3,), (3,)]),
])
def test_gradgradcheck_passes_smooth_functions(fn, shapes):
    rng = np.random.default_rng(5)
    inputs = [leaf(rng.uniform(0.5, 1.5, s)) for s in shapes]
    assert ag.gradgradcheck(fn, inputs)


def test_gradgradcheck_catches_a_backward_that_is_not_differentiable():
    x = leaf([0.5, -1.0, 2.0])
    assert ag.gradcheck(lambda x: FrozenSquare.apply(x), [x])        # first order is right
    with pytest.raises(ag.GradcheckError):
        ag.gradgradcheck(lambda x: FrozenSquare.apply(x), [x])
    assert ag.gradgradcheck(lambda x: FrozenSquare.apply(x), [x], raise_exception=False) is False


def test_verdict_follows_the_notes():
    assert ag.verdict(1e-9) == "great" and ag.verdict(1e-6) == "fine"
    assert ag.verdict(1e-4) == "check" and ag.verdict(0.1) == "wrong"
    assert ag.verdict(float("nan")).startswith("wrong")


class SlightlyOff(ag.Function):
    """2x with a gradient 1e-4 too large (relative)."""

    @staticmethod
    def forward(ctx, x):
        return 2 * x

    @staticmethod
    def backward(ctx, g):
        return g * 2 * (1 + 1e-4)


def test_tolerances_are_respected():
    x = leaf([0.5, 1.0, -2.0])
    assert ag.gradcheck(lambda x: SlightlyOff.apply(x), [x], rtol=1e-3)
    assert not ag.gradcheck(lambda x: SlightlyOff.apply(x), [x], rtol=1e-6, atol=1e-8,
                            raise_exception=False)
    (r,) = ag.compare_grads(lambda x: SlightlyOff.apply(x), [x])
    assert ag.verdict(r.rel_diff) == "check" and r.passed


def test_named_inputs_are_reported_by_name():
    params = {"W": leaf(np.eye(2)), "b": leaf([0.1, -0.1])}
    x = Tensor(np.array([[1.0, 2.0]]))
    report = ag.compare_grads(lambda W, b: ScaledSin.apply(x @ W + b), params)
    assert [r.name for r in report] == ["W", "b"] and not report.passed
    with pytest.raises(ag.GradcheckError, match="W, b"):
        ag.gradcheck(lambda W, b: ScaledSin.apply(x @ W + b), params)
