"""Gradient checking itself: it passes correct gradients and catches wrong ones."""
import warnings

import numpy as np
import pytest

import autograd as ag
import nn
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


# -- non-finite gradients are never read as agreement (issue 14) ---------------------------

class NanAt(ag.Function):
    """Identity whose backward puts ``value`` (NaN or inf) at flat index 2."""
    value = float("nan")

    @staticmethod
    def forward(ctx, x):
        return x.copy()

    @staticmethod
    def backward(ctx, g):
        g = g.copy()
        g.reshape(-1)[2] = NanAt.value
        return g


class InfAt(NanAt):
    value = float("inf")


@pytest.mark.parametrize("fn_class", [NanAt, InfAt])
@pytest.mark.parametrize("summed", [True, False])
def test_non_finite_analytic_gradient_is_wrong_and_named(fn_class, summed):
    x = leaf(X23)
    fn = (lambda x: fn_class.apply(x).sum()) if summed else (lambda x: fn_class.apply(x))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        (r,) = ag.compare_grads(fn, [x])
        with pytest.raises(ag.GradcheckError, match=r"not finite.*first non-finite element "
                                                    r"\(0, 2\)"):
            ag.gradcheck(fn, [x])
    assert not np.isfinite(r.rel_diff) and not r.passed
    assert ag.verdict(r.rel_diff) != "great" and "not finite" in ag.verdict(r.rel_diff)
    assert r.worst_index == (0, 2) and not np.isfinite(r.analytic)
    assert "first non-finite element (0, 2)" in str(r)


def test_sqrt_of_square_at_zero_is_not_great():
    x = leaf([1.0, 0.0, -2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        report = ag.compare_grads(lambda x: (x * x).sqrt().sum(), [x])
        assert ag.gradcheck(lambda x: (x * x).sqrt(), [x], raise_exception=False) is False
    (r,) = report
    assert np.isnan(r.rel_diff) and ag.verdict(r.rel_diff) == "wrong (not finite)"
    assert not report.passed and np.isnan(report.max_rel_diff)
    assert r.worst_index == (1,) and np.isnan(r.analytic) and r.numeric == 0.0


def test_non_finite_numeric_gradient_is_wrong():
    x = leaf([0.5, 0.0, 2.0])   # log(0) = -inf: every difference of the sum is NaN
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        (r,) = ag.compare_grads(lambda x: x.log().sum(), [x])
    assert np.isnan(r.rel_diff) and not r.passed and not np.isfinite(r.numeric)


def test_non_finite_gradient_in_projection_mode():
    x = leaf(np.random.default_rng(6).standard_normal((70, 70)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        (r,) = ag.compare_grads(lambda x: NanAt.apply(x).sum(), [x])
    assert r.method == "projection" and np.isnan(r.rel_diff) and not r.passed
    assert r.worst_index == (0,) and "first non-finite direction (0,)" in str(r)


def test_max_rel_diff_is_nan_whatever_the_order():
    x, y = leaf([1.0, 0.0, 2.0]), leaf([0.1, 0.2, 0.3, 0.4])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        first = ag.compare_grads(lambda a, b: (a * a).sqrt().sum() * b.sum(), [x, y])
        last = ag.compare_grads(lambda b, a: (a * a).sqrt().sum() * b.sum(), [y, x])
    for report in (first, last):
        assert [r.passed for r in report if np.isfinite(r.rel_diff)] == [True]
        assert np.isnan(report.max_rel_diff) and not report.passed


# -- nonsense arguments are refused --------------------------------------------------------

FN = (lambda x: (x * x).sum())


@pytest.mark.parametrize("kwargs,error,match", [
    ({"eps": 0}, ValueError, "eps must be a finite positive number, got 0.0"),
    ({"eps": -1e-6}, ValueError, "eps must be a finite positive"),
    ({"eps": float("nan")}, ValueError, "eps must be a finite positive"),
    ({"eps": float("inf")}, ValueError, "eps"),
    ({"eps": "1e-6"}, TypeError, "eps must be a number, got str"),
    ({"eps": True}, TypeError, "eps must be a number, got bool"),
    ({"atol": -1.0}, ValueError, "atol must be a finite non-negative number"),
    ({"rtol": -1e-3}, ValueError, "rtol must be a finite non-negative number"),
    ({"rtol": float("nan")}, ValueError, "rtol"),
    ({"atol": None}, TypeError, "atol must be a number"),
    ({"n_directions": 0}, ValueError, "n_directions must be at least 1"),
    ({"max_elements": 1.5}, TypeError, "max_elements must be an integer"),
    ({"max_elements": -1}, ValueError, "max_elements must be at least 0"),
])
def test_compare_grads_and_gradcheck_refuse_nonsense(kwargs, error, match):
    x = leaf([1.0, 2.0])
    for check in (ag.compare_grads, ag.gradcheck):
        with pytest.raises(error, match=match):
            check(FN, [x], **kwargs)
    np.testing.assert_array_equal(x.data, [1.0, 2.0])


@pytest.mark.parametrize("kwargs,error,match", [
    ({"eps": 0.0}, ValueError, "gradgradcheck: eps must be a finite positive"),
    ({"atol": -1}, ValueError, "gradgradcheck: atol"),
    ({"rtol": float("inf")}, ValueError, "gradgradcheck: rtol"),
    ({"seed": -1}, ValueError, "gradgradcheck: seed"),
    ({"grad_outputs": np.ones(3)}, ValueError, r"grad_outputs must have the shapes of fn's "
                                               r"outputs, \[\(\)\], got \[\(3,\)\]"),
])
def test_gradgradcheck_refuses_nonsense(kwargs, error, match):
    with pytest.raises(error, match=match):
        ag.gradgradcheck(lambda x: (x.sin() * x).sum(), [leaf([0.3, 1.2])], **kwargs)


def test_numerical_grad_refuses_nonsense():
    x = leaf([1.0, 2.0])
    with pytest.raises(ValueError, match="numerical_grad: eps must be a finite positive"):
        ag.numerical_grad(FN, [x], eps=0)
    with pytest.raises(ValueError, match="numerical_grad: eps"):
        ag.numerical_grad(FN, [x], eps=-0.5)
    with pytest.raises(ValueError, match="grad_output has 3 elements but fn's output has 2"):
        ag.numerical_grad(lambda x: x * 2, [x], grad_output=np.ones(3))
    with pytest.raises(TypeError, match="numerical_grad: fn must be callable"):
        ag.numerical_grad(3.0, [x])
    with pytest.raises(TypeError, match="numerical_grad: inputs must be a Tensor"):
        ag.numerical_grad(FN, 3.0)


def test_an_eps_too_small_to_move_the_input_is_refused():
    x = leaf([1.0, 2.0])
    with pytest.raises(ValueError, match=r"eps=1e-20 is too small .* value 1\.0"):
        ag.gradcheck(FN, [x], eps=1e-20)
    with pytest.raises(ValueError, match="too small"):
        ag.numerical_grad(FN, [x], eps=1e-20)
    np.testing.assert_array_equal(x.data, [1.0, 2.0])


# -- the examples read the verdict, not a number that NaN slips past -----------------------

def _example(name):
    import importlib
    import sys
    from pathlib import Path
    folder = str(Path(__file__).resolve().parents[1] / "examples")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module(name)


class ZeroInitKink(nn.Module):
    """A layer started at zero weights (the notes' logistic regression), then |h| as
    sqrt(h * h): the gradient at h = 0 is NaN, which must not read as 'great'."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)
        nn.init.zeros_(self.fc.weight), nn.init.zeros_(self.fc.bias)

    def forward(self, x):
        h = self.fc(x)
        return (h * h).sqrt()


def test_demo_and_gradient_checking_example_report_non_finite_as_wrong(capsys):
    demo, example = _example("demo"), _example("gradient_checking")
    X = np.random.default_rng(0).standard_normal((5, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        report = demo.gradient_check(ZeroInitKink(), X, np.array([0, 1, 2, 0, 1]))
    table = capsys.readouterr().out
    assert not report.passed and np.isnan(report.max_rel_diff)
    assert "e+00  great" not in table and table.count("wrong (not finite)") == 2
    assert example.wrong_parameters(report) == ["fc.weight", "fc.bias"]
