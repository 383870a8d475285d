"""Reductions, scans, norms and sorting beyond the op table: issue 11's bugs (ddof >= n,
0-d tensors over axis 0 and -1), zeros in products, ties, NaN, gradients at 0, and
the errors. Comparisons with PyTorch skip where it is not installed."""
import warnings

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor


def _torch():
    return pytest.importorskip("torch")


def _grad(fn, a, w=None):
    x = Tensor(np.array(a, dtype=np.float64), requires_grad=True)
    out = fn(x)
    out.backward(np.ones(out.shape) if w is None else np.asarray(w, dtype=np.float64))
    return out.data, x.grad.data


def _torch_grad(fn, a, w=None):
    torch = _torch()
    t = torch.tensor(np.array(a, dtype=np.float64), requires_grad=True)
    out = fn(t)
    out.backward(torch.ones_like(out) if w is None else torch.tensor(w, dtype=torch.float64))
    return out.detach().numpy(), t.grad.numpy()


# -- issue 11, item 5: var/std with ddof >= n ------------------------------------------

@pytest.mark.parametrize("fn", [ag.var, ag.std])
def test_ddof_at_least_n_gives_numpys_inf_and_nan_without_warnings(fn):
    """NumPy (and PyTorch) divide by max(n - ddof, 0): inf, or nan for a constant slice
    (0 / 0). We give the same values, without their RuntimeWarnings."""
    ref = np.var if fn is ag.var else np.std
    x = np.array([[1.0, 2.0, 4.0], [3.0, 3.0, 3.0]])
    for kw in [dict(ddof=3), dict(ddof=5), dict(axis=1, ddof=3), dict(axis=0, ddof=2),
               dict(axis=(0, 1), ddof=6, keepdims=True), dict(correction=3, axis=1)]:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            got = fn(Tensor(x), **kw)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = ref(x, **{("ddof" if k == "correction" else k): v for k, v in kw.items()})
        np.testing.assert_allclose(got.data, want, rtol=1e-12)  # inf and nan equal too
    row = fn(Tensor(x), axis=1, ddof=3).data
    assert np.isposinf(row[0]) and np.isnan(row[1])
    assert fn(Tensor(x.astype(np.float32)), ddof=7).dtype == np.float32


def test_ddof_at_least_n_matches_pytorch_values():
    torch = _torch()
    x = np.array([[1.0, 2.0, 4.0], [3.0, 3.0, 3.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch warns about the degrees of freedom
        want = torch.var(torch.tensor(x), dim=1, correction=3).numpy()
    np.testing.assert_array_equal(ag.var(Tensor(x), dim=1, correction=3).data, want)


def test_ddof_spellings():
    x = Tensor([1.0, 2.0, 3.0, 5.0])
    assert ag.var(x, unbiased=True).item() == pytest.approx(np.var(x.data, ddof=1))
    assert ag.std(x, unbiased=False).item() == pytest.approx(np.std(x.data))
    assert x.std(correction=2).item() == pytest.approx(np.std(x.data, ddof=2))
    for kw in [dict(ddof=1, correction=1), dict(correction=1, unbiased=True)]:
        with pytest.raises(TypeError, match="pass one of them"):
            ag.std(x, **kw)
    with pytest.raises(TypeError, match="std: ddof must be a number"):
        ag.std(x, ddof="1")


def test_std_gradient_is_zero_where_std_is_zero_as_pytorch():
    x = [[2.0, 2.0, 2.0], [1.0, 2.0, 4.0]]
    ours = _grad(lambda t: ag.std(t, axis=1, ddof=1), x)
    assert np.all(ours[1][0] == 0) and np.all(np.isfinite(ours[1]))
    theirs = _torch_grad(lambda t: t.std(dim=1), x)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-12)


# -- issue 11, item 5: 0-d tensors over axis 0 and -1 ------------------------------------

ZERO_D = ["sum", "mean", "var", "std", "max", "min", "amax", "amin", "logsumexp", "prod",
          "squeeze", "norm"]


@pytest.mark.parametrize("name", ZERO_D)
@pytest.mark.parametrize("axis", [0, -1, (0,), None])
def test_a_0d_tensor_reduces_over_axis_0_and_minus_1_as_sum_does(name, axis):
    x = Tensor(np.array(1.5), requires_grad=True)
    out = getattr(ag, name)(x, axis=axis)
    want = {"var": 0.0, "std": 0.0, "norm": 1.5}.get(name, 1.5)
    assert out.shape == () and out.item() == pytest.approx(want)
    out.backward()
    assert x.grad.item() == pytest.approx(0.0 if name in ("var", "std") else 1.0)
    if name != "squeeze":
        assert getattr(ag, name)(x, dim=0, keepdim=True).shape == ()


@pytest.mark.parametrize("name", ["sum", "mean", "var", "max", "logsumexp", "squeeze",
                                  "count_nonzero", "any"])
def test_a_0d_tensor_refuses_axis_1(name):
    with pytest.raises(ValueError, match=f"{name}: axis 1 is out of range"):
        getattr(ag, name)(Tensor(2.0), axis=1)


def test_0d_reductions_match_numpy():
    """NumPy's sum, max, min, prod and squeeze take axis 0 of a 0-d array (mean, var and
    std refuse it); all give what they give without an axis."""
    a = np.array(-0.75)
    for name in ["sum", "mean", "var", "std", "max", "min", "prod", "squeeze"]:
        for axis in (0, -1):
            got = getattr(ag, name)(Tensor(a), axis=axis)
            assert got.shape == ()
            np.testing.assert_allclose(got.data, getattr(np, name)(a))


# -- prod and cumprod with zeros --------------------------------------------------------

def test_prod_gradient_with_one_and_several_zeros_per_slice():
    x = [[2.0, 0.0, 3.0, 4.0], [0.0, 5.0, 0.0, 1.0], [1.0, 2.0, 3.0, 4.0],
         [0.0, 0.0, 0.0, 0.0]]
    value, grad = _grad(lambda t: t.prod(axis=1), x)
    np.testing.assert_array_equal(value, [0.0, 0.0, 24.0, 0.0])
    np.testing.assert_array_equal(grad, [[0, 24, 0, 0], [0, 0, 0, 0], [24, 12, 8, 6],
                                         [0, 0, 0, 0]])
    for fn in [lambda t: t.prod(1), lambda t: t.prod(0), lambda t: t.prod()]:
        ours, theirs = _grad(fn, x), _torch_grad(fn, x)
        np.testing.assert_array_equal(ours[1], theirs[1])


def test_prod_second_derivative_at_a_zero_matches_pytorch():
    torch = _torch()
    a = np.array([0.0, 2.0, 3.0, -1.0])
    x = Tensor(a, requires_grad=True)
    (g,) = ag.grad(ag.prod(x), [x], create_graph=True)
    (h,) = ag.grad((g * Tensor(np.arange(4.0))).sum(), [x])
    t = torch.tensor(a, requires_grad=True)
    (gt,) = torch.autograd.grad(t.prod(), [t], create_graph=True)
    (ht,) = torch.autograd.grad((gt * torch.arange(4.0, dtype=torch.float64)).sum(), [t])
    np.testing.assert_allclose(h.data, ht.numpy(), rtol=1e-12)


@pytest.mark.parametrize("x", [[1.0, 0.0, 2.0, 0.5], [0.0, 3.0, 0.0, 2.0, 5.0],
                               [2.0, 3.0, 0.0], [0.0, 0.0, 0.0]])
def test_cumprod_gradient_and_second_derivative_with_zeros_match_pytorch(x):
    torch = _torch()
    a = np.array(x)
    w = np.linspace(1.0, 2.0, a.size)
    ours = _grad(lambda t: t.cumprod(0), a, w)
    theirs = _torch_grad(lambda t: t.cumprod(0), a, w)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-12)
    xt, tt = Tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    (g,) = ag.grad(ag.cumprod(xt, 0), [xt], grad_outputs=[Tensor(w)], create_graph=True)
    (h,) = ag.grad((g * g).sum(), [xt])
    (gt,) = torch.autograd.grad(tt.cumprod(0), [tt], torch.tensor(w), create_graph=True)
    (ht,) = torch.autograd.grad((gt * gt).sum(), [tt])
    np.testing.assert_allclose(h.data, ht.numpy(), rtol=1e-12, atol=1e-12)


def test_cumsum_dtypes_follow_numpy():
    assert ag.cumsum(Tensor(np.array([True, False, True]))).dtype == np.int64
    assert ag.cumsum(Tensor(np.array([1, 2], np.int32))).dtype == np.cumsum(
        np.array([1, 2], np.int32)).dtype
    assert ag.cumsum(Tensor([1.0, 2.0]), dtype=np.float64).dtype == np.float64
    assert ag.cumprod(Tensor(np.ones((2, 3), np.float32)), axis=1).dtype == np.float32
    with pytest.raises(TypeError, match="cumsum: axis .* must be an int"):
        ag.cumsum(Tensor(np.ones((2, 3))), axis=(0, 1))


def test_logcumsumexp_is_stable_at_large_magnitudes():
    a = np.array([-1000.0, 1000.0, 999.0, -5.0, 1000.0])
    w = [1.0, -2.0, 0.0, 3.0, 0.5]
    ours = _grad(lambda t: t.logcumsumexp(0), a, w)
    assert np.all(np.isfinite(ours[0])) and np.all(np.isfinite(ours[1]))
    np.testing.assert_allclose(ours[0], np.logaddexp.accumulate(a))
    theirs = _torch_grad(lambda t: t.logcumsumexp(0), a, w)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-12, atol=1e-300)


# -- ties and NaN -----------------------------------------------------------------------

def test_amax_amin_share_the_gradient_on_ties_as_pytorch():
    x = [[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]]
    for ours_fn, torch_fn in [(lambda t: ag.amax(t, dim=1), lambda t: t.amax(dim=1)),
                              (lambda t: ag.amin(t), lambda t: t.amin()),
                              (lambda t: t.amax(axis=(0, 1)), lambda t: t.amax(dim=(0, 1)))]:
        ours, theirs = _grad(ours_fn, x), _torch_grad(torch_fn, x)
        np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-12)
    np.testing.assert_allclose(_grad(lambda t: ag.amax(t, dim=1), x)[1],
                               [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])


def test_max_with_dim_keeps_numpys_semantics():
    """max/min/sum take PyTorch's spellings but return what NumPy returns: values only,
    not PyTorch's (values, indices) of x.max(dim=1)."""
    out = Tensor([[1.0, 5.0], [7.0, 2.0]]).max(dim=1)
    assert isinstance(out, Tensor)
    np.testing.assert_array_equal(out.data, [5.0, 7.0])


def test_cummax_cummin_ties_and_nan_as_pytorch():
    torch = _torch()
    nan = np.nan
    for a in [[1.0, 3.0, 3.0, 2.0, 3.0, nan, 1.0, nan], [2.0, 1.0, 1.0, 3.0, 1.0],
              [nan, 1.0, nan], [5, 5, 4, 6, 6]]:
        for name in ("cummax", "cummin"):
            got = getattr(ag, name)(Tensor(np.array(a)), dim=0)
            want = getattr(torch, name)(torch.tensor(a), dim=0)
            np.testing.assert_array_equal(got.values.data, want.values.numpy())
            np.testing.assert_array_equal(got.indices.data, want.indices.numpy())


def test_median_ties_nan_and_gradients_as_pytorch():
    torch = _torch()
    nan = np.nan
    for a in [[1.0, 2.0, 2.0, 2.0, 3.0, 3.0], [4.0, 1.0, 3.0, 2.0], [1.0, nan, 2.0, nan]]:
        assert np.array_equal(ag.median(Tensor(a)).data, torch.median(torch.tensor(a)).numpy(),
                              equal_nan=True)
        got, want = ag.median(Tensor([a]), dim=1), torch.median(torch.tensor([a]), dim=1)
        np.testing.assert_array_equal(got.values.data, want.values.numpy())
        if not np.isnan(a).any() and len(set(a)) == len(a):
            np.testing.assert_array_equal(got.indices.data, want.indices.numpy())
    assert ag.median(Tensor([1.0, nan, 2.0, nan]), dim=0).indices.item() == 1
    x = [1.0, 2.0, 2.0, 3.0]  # equal elements share the gradient of the median
    ours, theirs = _grad(lambda t: t.median(), x), _torch_grad(lambda t: t.median(), x)
    np.testing.assert_allclose(ours[1], theirs[1])
    assert np.isnan(ag.median(Tensor(np.zeros(0))).item())
    assert ag.median(Tensor(np.ones((2, 3))), keepdims=True).shape == (1, 1)  # as NumPy's
    with pytest.raises(ValueError, match="median: cannot take the median over axis 1"):
        ag.median(Tensor(np.zeros((2, 0))), dim=1)


def test_sort_nan_and_stable_ties_as_pytorch():
    torch = _torch()
    for a in [[2.0, np.nan, 1.0, 2.0, -1.0], [3, 1, 3, 1, 2, 3]]:
        for descending in (False, True):
            got = ag.sort(Tensor(np.array(a)), descending=descending)
            want = torch.sort(torch.tensor(a), descending=descending, stable=True)
            np.testing.assert_array_equal(got.values.data, want.values.numpy())
            np.testing.assert_array_equal(got.indices.data, want.indices.numpy())
            np.testing.assert_array_equal(
                ag.argsort(Tensor(np.array(a)), descending=descending).data,
                want.indices.numpy())
        for largest in (False, True):
            got = ag.topk(Tensor(np.array(a)), 3, largest=largest)
            want = torch.topk(torch.tensor(a), 3, largest=largest)
            np.testing.assert_array_equal(got.values.data, want.values.numpy())


def test_sort_gradient_goes_back_to_each_position():
    x = Tensor([[3.0, 1.0, 2.0], [0.0, -1.0, 5.0]], requires_grad=True)
    values, indices = x.sort(dim=1)
    values.backward(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))
    np.testing.assert_array_equal(x.grad.data, [[3, 1, 2], [5, 4, 6]])
    x.grad = None
    x.topk(1, dim=1).values.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[1, 0, 0], [0, 0, 1]])


def test_a_0d_tensor_sorts_as_one_element_as_pytorch():
    x = Tensor(np.array(2.5), requires_grad=True)
    for out in [ag.sort(x), ag.topk(x, 1), ag.topk(x, 0), ag.median(x, dim=0),
                ag.cummax(x, dim=-1)]:
        assert out.values.shape == () and out.values.item() == 2.5
        assert out.indices.shape == () and out.indices.item() == 0
    ag.topk(x, 1).values.backward()
    assert x.grad.item() == 1.0


def test_sort_errors_name_the_op():
    x = Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"topk: k=4 is out of range .* size 3"):
        ag.topk(x, 4)
    with pytest.raises(ValueError, match="topk: k=-1"):
        ag.topk(x, -1)
    with pytest.raises(TypeError, match="topk: k must be an int"):
        ag.topk(x, 1.5)
    with pytest.raises(TypeError, match="sort: axis .* must be an int"):
        ag.sort(x, axis=None)
    with pytest.raises(ValueError, match="sort: axis 2 is out of range"):
        ag.sort(x, dim=2)
    with pytest.raises(TypeError, match="got both 'axis' and 'dim'"):
        ag.argsort(x, axis=0, dim=0)


# -- norms ------------------------------------------------------------------------------

@pytest.mark.parametrize("ord,kw", [(None, {}), (2, {}), (3, {}), (1, {}), (np.inf, {}),
                                    ("fro", dict(dim=(0, 1))), (1, dict(dim=(0, 1))),
                                    (np.inf, dict(dim=(0, 1)))])
def test_norm_gradient_at_zero_is_zero_as_pytorch(ord, kw):
    torch = _torch()
    zeros = np.zeros((2, 3))
    vector = "dim" not in kw
    ours = _grad(lambda t: ag.norm(t.reshape(-1) if vector else t, ord, **kw), zeros)
    theirs = _torch_grad(lambda t: torch.linalg.norm(t.reshape(-1) if vector else t, ord,
                                                     **kw), zeros)
    np.testing.assert_array_equal(ours[0], theirs[0])
    np.testing.assert_array_equal(ours[1], theirs[1])
    assert not np.any(ours[1])


def test_norm_forms_and_errors():
    x = Tensor(np.arange(24.0).reshape(2, 3, 4))
    np.testing.assert_allclose(x.norm().item(), np.linalg.norm(x.data))
    np.testing.assert_allclose(x.norm(p=1).item(), np.abs(x.data).sum())  # torch.norm: vector
    np.testing.assert_allclose(ag.norm(x, p="nuc", dim=(1, 2)).data,
                               np.linalg.norm(x.data, "nuc", axis=(1, 2)))
    np.testing.assert_allclose(ag.norm(x, 0, dim=2).data,
                               np.linalg.norm(x.data, 0, axis=2))
    with pytest.raises(ValueError, match="norm: with ord=1.0 and no axis the input must be"):
        ag.norm(x, 1)
    with pytest.raises(ValueError, match="'nuc' is a matrix norm; it needs two axes"):
        ag.norm(x, "nuc", dim=1)
    with pytest.raises(ValueError, match="invalid matrix norm order 3"):
        ag.norm(x, 3, dim=(0, 1))
    with pytest.raises(TypeError, match="norm: got both ord and p"):
        ag.norm(x, 2, p=2)
    with pytest.raises(TypeError, match="ord .* must be a number"):
        ag.norm(x, [1])
    with pytest.raises(ValueError, match="norm: axis .* names 3 axes"):
        ag.norm(x, dim=(0, 1, 2), ord=2)


def test_spectral_and_nuclear_norms_are_first_order_only():
    x = Tensor(np.array([[2.0, 1.0], [0.5, 3.0]]), requires_grad=True)
    with pytest.raises(RuntimeError, match="first-order only"):
        ag.grad(ag.norm(x, "nuc"), [x], create_graph=True)


# -- counts and truth values ------------------------------------------------------------

def test_counts_and_truth_values_take_any_dtype_and_need_no_grad():
    for a in [np.array([[0, 2], [0, 0]]), np.array([[False, True], [False, False]]),
              np.array([[0.0, -1.5], [0.0, 0.0]])]:
        x = Tensor(a)
        np.testing.assert_array_equal(ag.count_nonzero(x, dim=1).data, [1, 0])
        np.testing.assert_array_equal(x.any(dim=0).data, [False, True])
        np.testing.assert_array_equal(x.all(axis=1, keepdims=True).data, [[False], [False]])
    out = ag.count_nonzero(Tensor([1.0, 0.0], requires_grad=True))
    assert out.dtype == np.int64 and not out.requires_grad and out.grad_fn is None
