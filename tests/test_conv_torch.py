"""conv2d, max_pool2d and avg_pool2d against PyTorch (optional: skipped without it)."""
import numpy as np
import pytest
from hypothesis import given

import nn.functional as F
from autograd import Tensor
from test_conv import conv_cases, pool_cases


# -- PyTorch, when installed ------------------------------------------------------------
@given(conv_cases())
def test_conv2d_matches_pytorch(case):
    torch = pytest.importorskip("torch")
    xs, ws, stride, padding, seed = case
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s) for s in (xs, ws, ws[:1])]
    ours = [Tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out = F.conv2d(*ours, stride=stride, padding=padding)
    ref = torch.nn.functional.conv2d(*theirs, stride=stride, padding=padding)
    g = rng.standard_normal(out.shape)
    out.backward(g)
    ref.backward(torch.tensor(g))
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-10, atol=1e-10)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-10, atol=1e-10)


@given(pool_cases())
def test_pools_match_pytorch(case):
    torch = pytest.importorskip("torch")
    xs, kernel, stride, padding, seed = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(xs)
    for ours_fn, name in ((F.max_pool2d, "max_pool2d"), (F.avg_pool2d, "avg_pool2d")):
        ours, theirs = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        out = ours_fn(ours, kernel, stride, padding)
        ref = getattr(torch.nn.functional, name)(theirs, kernel, stride, padding)
        g = rng.standard_normal(out.shape)
        out.backward(g)
        ref.backward(torch.tensor(g))
        np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-12,
                                   atol=1e-12)


def test_max_pool_ties_agree_with_pytorch():
    torch = pytest.importorskip("torch")
    x = np.round(np.random.default_rng(6).standard_normal((2, 2, 6, 6)))  # many ties
    ours, theirs = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    F.max_pool2d(ours, 3, 1, 1).sum().backward()
    torch.nn.functional.max_pool2d(theirs, 3, 1, 1).sum().backward()
    np.testing.assert_array_equal(ours.grad.data, theirs.grad.numpy())
