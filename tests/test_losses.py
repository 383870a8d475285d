"""Losses: against their composed forms (the fused ops' oracles), float64 gradchecks,
extreme logits, reductions, errors, and PyTorch when installed."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import nn
import nn.functional as F

RNG = np.random.default_rng(1)


def leaf(arr):
    return ag.Tensor(np.asarray(arr, dtype=np.float64), requires_grad=True)


def reduce(loss, reduction):
    return loss.mean() if reduction == "mean" else loss.sum() if reduction == "sum" else loss


def composed_cross_entropy(x, target, reduction="mean"):
    """The oracle: log_softmax then indexing (class indices) or a weighted sum."""
    logp = ag.log_softmax(x, axis=1)
    if np.asarray(target).dtype.kind in "iu":
        return reduce(-logp[np.arange(x.shape[0]), target], reduction)
    return reduce(-(logp * target).sum(axis=1), reduction)


# -- cross-entropy ---------------------------------------------------------------------
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("soft", [False, True], ids=["indices", "probabilities"])
def test_cross_entropy_fused_matches_composed_values_and_grads(reduction, soft):
    x1, x2 = leaf(RNG.normal(size=(5, 4)) * 3), None
    x2 = leaf(x1.data)
    target = RNG.dirichlet(np.ones(4), 5) if soft else np.array([0, 3, 1, 1, 2])
    fused = F.cross_entropy(x1, target, reduction=reduction)
    composed = composed_cross_entropy(x2, target, reduction)
    np.testing.assert_allclose(fused.data, composed.data, rtol=1e-12)
    g = RNG.normal(size=fused.shape)
    fused.backward(g)
    composed.backward(g)
    np.testing.assert_allclose(x1.grad.data, x2.grad.data, rtol=1e-10, atol=1e-14)
    assert fused.grad_fn.name == "cross_entropy"  # one fused node, not a chain


def test_cross_entropy_gradient_is_softmax_minus_y_over_n():
    x = leaf(RNG.normal(size=(3, 4)))
    y = np.array([2, 0, 3])
    F.cross_entropy(x, y).backward()
    p = np.exp(x.data) / np.exp(x.data).sum(1, keepdims=True)
    np.testing.assert_allclose(x.grad.data, (p - np.eye(4)[y]) / 3, rtol=1e-12)


def test_cross_entropy_gradcheck_with_weights_and_probability_targets():
    x, w = leaf(RNG.normal(size=(4, 3))), np.array([0.5, 2.0, 1.0])
    y = leaf(RNG.dirichlet(np.ones(3), 4))
    t = np.array([0, 2, 2, 1])
    assert ag.gradcheck(lambda x: F.cross_entropy(x, t, weight=w), [x])
    assert ag.gradcheck(lambda x, y: F.cross_entropy(x, y, weight=w, reduction="none"), [x, y])
    assert ag.gradgradcheck(lambda x: F.cross_entropy(x, t, weight=w), [x])
    # the weighted mean divides by the targets' total weight, as PyTorch
    expected = (composed_cross_entropy(leaf(x.data), t, "none").data * w[t]).sum() / w[t].sum()
    np.testing.assert_allclose(F.cross_entropy(x, t, weight=w).item(), expected)


def test_cross_entropy_spatial_and_unbatched_inputs():
    x = leaf(RNG.normal(size=(2, 3, 4)))
    t = RNG.integers(0, 3, (2, 4))
    out = F.cross_entropy(x, t, reduction="none")
    assert out.shape == (2, 4)
    flat = composed_cross_entropy(leaf(x.data.transpose(0, 2, 1).reshape(-1, 3)),
                                  t.reshape(-1), "none")
    np.testing.assert_allclose(out.data, flat.data.reshape(2, 4))
    assert ag.gradcheck(lambda x: F.cross_entropy(x, t), [x])
    single = F.cross_entropy(leaf([1.0, 2.0, 0.5]), 1, reduction="none")
    assert single.shape == ()
    np.testing.assert_allclose(single.item(), np.log(np.exp([1, 2, 0.5]).sum()) - 2)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cross_entropy_is_finite_at_extreme_logits(dtype):
    x = ag.Tensor(np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4]], dtype=dtype),
                  requires_grad=True)
    for target in (np.array([1, 0]), np.array([[0.0, 1, 0], [0.5, 0.25, 0.25]], dtype=dtype)):
        x.grad = None
        loss = F.cross_entropy(x, target)
        loss.backward()
        assert np.isfinite(loss.item()) and np.isfinite(x.grad.data).all()
        assert loss.dtype == dtype and x.grad.dtype == dtype
    np.testing.assert_allclose(F.cross_entropy(x, np.array([0, 1])).item(),
                               np.log(2) / 2, rtol=1e-6)


@pytest.mark.parametrize("bad", [-1, 3, 10])
def test_cross_entropy_target_out_of_range_names_target_and_c(bad):
    with pytest.raises(ValueError) as info:
        F.cross_entropy(leaf(np.zeros((2, 3))), np.array([0, bad]))
    assert str(bad) in str(info.value) and "C = 3" in str(info.value)


def test_cross_entropy_other_errors():
    x = leaf(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="reduction"):
        F.cross_entropy(x, np.array([0, 1]), reduction="avg")
    with pytest.raises(ValueError, match="does not match"):
        F.cross_entropy(x, np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="probability target"):
        F.cross_entropy(x, np.zeros((2, 4)))
    with pytest.raises(TypeError, match="class indices"):
        F.cross_entropy(x, np.array(["a", "b"]))
    with pytest.raises(ValueError, match="weight"):
        F.cross_entropy(x, np.array([0, 1]), weight=np.ones(2))
    with pytest.raises(ValueError, match="reduction"):
        nn.CrossEntropyLoss(reduction="bad")


# -- binary cross-entropy ---------------------------------------------------------------
def composed_bce(p, y):
    return -(y * ag.log(p) + (1 - y) * ag.log(1 - p))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_bce_matches_composed_form_and_gradchecks(reduction):
    p, y = leaf(RNG.uniform(0.05, 0.95, (3, 4))), leaf(RNG.uniform(0, 1, (3, 4)))
    np.testing.assert_allclose(F.binary_cross_entropy(p, y, reduction=reduction).data,
                               reduce(composed_bce(p, y), reduction).data, rtol=1e-12)
    assert ag.gradcheck(lambda p, y: F.binary_cross_entropy(p, y, reduction=reduction), [p, y])
    assert ag.gradgradcheck(lambda p: F.binary_cross_entropy(p, y.data, reduction=reduction),
                            [p])


def test_bce_log_is_clamped_at_minus_100_with_finite_gradients():
    p = leaf([0.0, 1.0, 0.0, 1.0])
    loss = F.binary_cross_entropy(p, np.array([1.0, 0.0, 0.0, 1.0]), reduction="none")
    np.testing.assert_allclose(loss.data, [100, 100, 0, 0])
    loss.sum().backward()
    assert np.isfinite(p.grad.data).all()


@pytest.mark.parametrize("bad", [-0.1, 1.5, np.nan])
def test_bce_rejects_inputs_outside_0_1(bad):
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        nn.BCELoss()(leaf([0.5, bad]), np.array([1.0, 0.0]))


def test_bce_weight_and_shape_errors():
    p, y, w = leaf([0.2, 0.7]), np.array([0.0, 1.0]), np.array([2.0, 0.5])
    np.testing.assert_allclose(F.binary_cross_entropy(p, y, weight=w, reduction="none").data,
                               w * composed_bce(p, y).data)
    with pytest.raises(ValueError, match="differ"):
        F.binary_cross_entropy(p, np.ones(3))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_bce_with_logits_matches_sigmoid_then_bce(reduction):
    x, y = leaf(RNG.normal(size=(4, 3)) * 2), RNG.uniform(0, 1, (4, 3))
    expected = reduce(composed_bce(ag.sigmoid(leaf(x.data)), y), reduction)
    out = F.binary_cross_entropy_with_logits(x, y, reduction=reduction)
    np.testing.assert_allclose(out.data, expected.data, rtol=1e-10)
    assert ag.gradcheck(lambda x: F.binary_cross_entropy_with_logits(x, y, reduction=reduction),
                        [x])
    x.grad = None
    F.binary_cross_entropy_with_logits(x, y, reduction="sum").backward()
    np.testing.assert_allclose(x.grad.data, 1 / (1 + np.exp(-x.data)) - y, rtol=1e-10)


def test_bce_with_logits_is_stable_at_extreme_logits_and_pos_weight():
    x = ag.Tensor(np.array([1e4, -1e4, 1e4, -1e4], dtype=np.float32), requires_grad=True)
    y = np.array([1.0, 0.0, 0.0, 1.0], dtype=np.float32)
    loss = nn.BCEWithLogitsLoss(reduction="none")(x, y)
    loss.sum().backward()
    np.testing.assert_allclose(loss.data, [0, 0, 1e4, 1e4])
    np.testing.assert_allclose(x.grad.data, [0, 0, 1, -1])
    x64, pw = leaf(RNG.normal(size=3)), np.array([3.0, 1.0, 0.5])
    y64 = np.array([1.0, 0.0, 1.0])
    s = 1 / (1 + np.exp(-x64.data))
    expected = -(pw * y64 * np.log(s) + (1 - y64) * np.log(1 - s))
    out = F.binary_cross_entropy_with_logits(x64, y64, pos_weight=pw, reduction="none")
    np.testing.assert_allclose(out.data, expected, rtol=1e-10)
    assert ag.gradcheck(lambda x: F.binary_cross_entropy_with_logits(x, y64, pos_weight=pw),
                        [x64])


# -- MSE ---------------------------------------------------------------------------------
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_mse_matches_numpy_and_gradchecks(reduction):
    x, y = leaf(RNG.normal(size=(3, 2))), RNG.normal(size=(3, 2))
    np.testing.assert_allclose(nn.MSELoss(reduction)(x, y).data,
                               reduce(ag.Tensor((x.data - y) ** 2), reduction).data)
    assert ag.gradcheck(lambda x: F.mse_loss(x, y, reduction=reduction), [x])
    with pytest.raises(ValueError, match="differ"):
        F.mse_loss(x, np.zeros(2))


def test_loss_module_reprs():
    assert repr(nn.MSELoss()) == "MSELoss()"
    assert repr(nn.CrossEntropyLoss(reduction="sum")) == "CrossEntropyLoss(reduction='sum')"


# -- PyTorch (optional) -------------------------------------------------------------------
def test_losses_match_pytorch():
    torch = pytest.importorskip("torch")
    tf = torch.nn.functional
    x = RNG.normal(size=(5, 4)) * 4
    t, w = np.array([0, 3, 1, 2, 2]), np.array([1.0, 2.0, 0.5, 1.5])
    soft = RNG.dirichlet(np.ones(4), 5)
    p, y = RNG.uniform(0.01, 0.99, (5, 4)), RNG.uniform(0, 1, (5, 4))
    cases = [
        (lambda a: F.cross_entropy(a, t, weight=w),
         lambda a: tf.cross_entropy(a, torch.from_numpy(t), weight=torch.from_numpy(w)), x),
        (lambda a: F.cross_entropy(a, soft, reduction="sum"),
         lambda a: tf.cross_entropy(a, torch.from_numpy(soft), reduction="sum"), x),
        (lambda a: F.binary_cross_entropy(a, y),
         lambda a: tf.binary_cross_entropy(a, torch.from_numpy(y)), p),
        (lambda a: F.binary_cross_entropy_with_logits(a, y),
         lambda a: tf.binary_cross_entropy_with_logits(a, torch.from_numpy(y)), x),
        (lambda a: F.mse_loss(a, y), lambda a: tf.mse_loss(a, torch.from_numpy(y)), x),
    ]
    for ours, theirs, data in cases:
        a, at = leaf(data), torch.tensor(data, requires_grad=True)
        out, out_t = ours(a), theirs(at)
        out.backward()
        out_t.backward()
        np.testing.assert_allclose(out.item(), out_t.item(), rtol=1e-10)
        np.testing.assert_allclose(a.grad.data, at.grad.numpy(), rtol=1e-8, atol=1e-14)


def test_loss_weights_are_buffers_like_pytorch():
    loss = nn.CrossEntropyLoss(weight=np.array([1.0, 2.0]))
    assert list(loss.state_dict()) == ["weight"] and list(loss.parameters()) == []
    assert list(nn.CrossEntropyLoss().state_dict()) == []
    assert list(nn.BCEWithLogitsLoss(pos_weight=np.ones(2)).state_dict()) == ["pos_weight"]
    x = leaf(RNG.normal(size=(3, 2)))
    np.testing.assert_allclose(loss(x, np.array([0, 1, 1])).item(),
                               F.cross_entropy(x, np.array([0, 1, 1]),
                                               weight=np.array([1.0, 2.0])).item())


def test_float32_losses_stay_float32_with_float64_targets_and_weights():
    x = ag.Tensor(RNG.uniform(0.1, 0.9, (3, 2)).astype(np.float32), requires_grad=True)
    y, w = RNG.uniform(0, 1, (3, 2)), np.array([1.0, 2.0])
    for out in (F.mse_loss(x, y), F.binary_cross_entropy(x, y, weight=w),
                F.binary_cross_entropy_with_logits(x, y, weight=w, pos_weight=w),
                F.cross_entropy(x, y, weight=w)):
        assert out.dtype == np.float32


@given(n=st.integers(1, 6), c=st.integers(1, 5), scale=st.sampled_from([0.1, 1.0, 30.0, 1e3]),
       seed=st.integers(0, 2**16), soft=st.booleans(),
       reduction=st.sampled_from(["mean", "sum", "none"]))
def test_cross_entropy_matches_composed_form_hypothesis(n, c, scale, seed, soft, reduction):
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=(n, c)) * scale
    target = rng.dirichlet(np.ones(c), n) if soft else rng.integers(0, c, n)
    x1, x2 = leaf(logits), leaf(logits)
    fused = F.cross_entropy(x1, target, reduction=reduction)
    composed = composed_cross_entropy(x2, target, reduction)
    np.testing.assert_allclose(fused.data, composed.data, rtol=1e-10, atol=1e-10)
    fused.sum().backward()
    composed.sum().backward()
    np.testing.assert_allclose(x1.grad.data, x2.grad.data, rtol=1e-9, atol=1e-12)
