"""Gradient checking is honest (issue 14): a NaN or an infinity in either gradient is
never read as agreement, nonsense arguments are refused, and the examples' tables say
"wrong (not finite)" instead of "great"."""
import warnings

import numpy as np
import pytest

import autograd as ag
import nn
from test_gradcheck import X23, leaf


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
