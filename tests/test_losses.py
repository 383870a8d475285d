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


# -- kinks and extremes: 0, ties, +-1e4, targets 0 and 1 (issue 14) -----------------------
def sigmoid(x):
    return np.exp(-np.logaddexp(0.0, -x))


def softplus(x):
    return np.logaddexp(0.0, x)


EXTREMES = np.array([0.0, -0.0, 1e4, -1e4, 1.0, -1.0, 30.0, -30.0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bce_with_logits_gradient_at_a_zero_logit_is_sigmoid_0_minus_y_over_n(dtype):
    x = ag.Tensor(np.zeros(4, dtype=dtype), requires_grad=True)
    y = np.array([0.0, 1.0, 0.3, 0.0], dtype=dtype)
    loss = nn.BCEWithLogitsLoss()(x, y)
    loss.backward()
    assert loss.item() == pytest.approx(np.log(2), rel=1e-6)
    np.testing.assert_allclose(x.grad.data, (0.5 - y) / 4, rtol=1e-6)
    assert x.grad.dtype == dtype


def test_logistic_regression_from_zero_weights_has_the_notes_gradient():
    """The notes' first step: w = 0, b = 0, so every logit is 0 and A = 1/2;
    dw = X^T (A - Y) / m and db = mean(A - Y)."""
    X = RNG.normal(size=(6, 3))
    Y = np.array([0.0, 1.0, 1.0, 0.0, 0.0, 1.0])
    w, b = leaf(np.zeros(3)), leaf(0.0)
    F.binary_cross_entropy_with_logits(ag.Tensor(X) @ w + b, Y).backward()
    np.testing.assert_allclose(w.grad.data, X.T @ (0.5 - Y) / 6, rtol=1e-12)
    np.testing.assert_allclose(b.grad.item(), np.mean(0.5 - Y), rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("target", [0.0, 1.0])
@pytest.mark.parametrize("pw", [None, 3.0])
def test_bce_with_logits_at_kinks_and_extremes_matches_the_closed_form(dtype, target, pw):
    x = ag.Tensor(EXTREMES.astype(dtype), requires_grad=True)
    y = np.full(EXTREMES.shape, target, dtype=dtype)
    w = 1.0 if pw is None else 1 + (pw - 1) * y
    loss = F.binary_cross_entropy_with_logits(
        x, y, reduction="none", pos_weight=None if pw is None else np.full(8, pw))
    loss.sum().backward()
    # -log(1 - sigmoid(x)) = softplus(x) for y = 0, -w log sigmoid(x) = w softplus(-x) for 1
    expected = w * softplus(-EXTREMES) if target else softplus(EXTREMES)
    np.testing.assert_allclose(loss.data, expected, rtol=1e-6)
    np.testing.assert_allclose(x.grad.data, (1 - y) - w * sigmoid(-EXTREMES),
                               rtol=1e-6, atol=1e-7)
    assert np.isfinite(x.grad.data).all() and x.grad.dtype == dtype


def test_bce_with_logits_second_derivative_and_target_gradients_at_zero():
    x = leaf([0.0, -0.0, 0.5, -2.0])
    y = leaf([0.0, 1.0, 0.25, 1.0])
    pw = leaf([2.0, 0.5, 1.0, 3.0])
    assert ag.gradgradcheck(lambda x: F.binary_cross_entropy_with_logits(x, y.data), [x])
    assert ag.gradcheck(lambda x, y, pw: F.binary_cross_entropy_with_logits(
        x, y, pos_weight=pw, reduction="sum"), [x, y, pw])
    assert ag.gradgradcheck(lambda x, pw: F.binary_cross_entropy_with_logits(
        x, y.data, pos_weight=pw), [x, pw])
    (g,) = ag.grad(F.binary_cross_entropy_with_logits(x, y.data, reduction="sum"), [x],
                   create_graph=True)
    (h,) = ag.grad(g.sum(), [x])
    s = sigmoid(x.data)
    np.testing.assert_allclose(h.data, s * (1 - s), rtol=1e-12)   # 1/4 at a zero logit


def test_bce_with_logits_refuses_a_pos_weight_that_does_not_fit():
    with pytest.raises(ValueError, match=r"pos_weight of shape \(2, 3\)"):
        F.binary_cross_entropy_with_logits(leaf(np.zeros(3)), np.zeros(3),
                                           pos_weight=np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"pos_weight of shape \(2,\) does not broadcast to "
                                         r"the input's shape \(4, 3\)"):
        F.binary_cross_entropy_with_logits(leaf(np.zeros((4, 3))), np.zeros((4, 3)),
                                           pos_weight=np.ones(2))


def test_other_losses_at_ties_and_extremes_match_their_closed_forms():
    # cross-entropy: equal logits (ties) and +-1e4; the gradient is softmax - onehot, over n
    for row in ([0.0, 0.0, 0.0], [1e4, 1e4, -1e4], [1e4, -1e4, 0.0]):
        for t in (0, 2):
            x = leaf([row])
            loss = F.cross_entropy(x, np.array([t]))
            loss.backward()
            p = np.exp(np.array(row) - np.logaddexp.reduce(row))
            np.testing.assert_allclose(loss.item(), np.logaddexp.reduce(row) - row[t],
                                       rtol=1e-12)
            np.testing.assert_allclose(x.grad.data[0], p - np.eye(3)[t], atol=1e-15)
    # binary cross-entropy at p = 0 and 1: logs clamped at -100, gradient by max(p(1-p), 1e-12)
    p = leaf([0.0, 1.0, 0.0, 1.0, 0.5])
    y = np.array([0.0, 0.0, 1.0, 1.0, 1.0])
    loss = F.binary_cross_entropy(p, y, reduction="none")
    loss.sum().backward()
    np.testing.assert_allclose(loss.data, [0, 100, 100, 0, np.log(2)], rtol=1e-12)
    np.testing.assert_allclose(p.grad.data, [0, 1e12, -1e12, 0, -2], rtol=1e-12)
    # mse at a tie (x == y): value and gradient 0
    x = leaf([1.0, -1e4, 0.0])
    F.mse_loss(x, x.data.copy()).backward()
    assert x.grad.data.tolist() == [0.0, 0.0, 0.0]


# Losses and activations at their kinks and extremes against PyTorch (optional).
KINK_CASES = [
    ("bce_with_logits y=0", lambda a: F.binary_cross_entropy_with_logits(a, np.zeros(8)),
     lambda t, tf: tf.binary_cross_entropy_with_logits(t, torch_zeros(t)), EXTREMES),
    ("bce_with_logits y=1", lambda a: F.binary_cross_entropy_with_logits(a, np.ones(8)),
     lambda t, tf: tf.binary_cross_entropy_with_logits(t, torch_zeros(t) + 1), EXTREMES),
    ("bce_with_logits pos_weight",
     lambda a: F.binary_cross_entropy_with_logits(a, np.arange(8) % 2.0, pos_weight=np.full(8, 3.)),
     lambda t, tf: tf.binary_cross_entropy_with_logits(t, torch_arange(t) % 2,
                                                       pos_weight=torch_zeros(t) + 3), EXTREMES),
    ("bce p=0,1 y=0", lambda a: F.binary_cross_entropy(a, np.zeros(4)),
     lambda t, tf: tf.binary_cross_entropy(t, torch_zeros(t)), np.array([0.0, 1.0, 0.5, 1e-9])),
    ("bce p=0,1 y=1", lambda a: F.binary_cross_entropy(a, np.ones(4)),
     lambda t, tf: tf.binary_cross_entropy(t, torch_zeros(t) + 1), np.array([0.0, 1.0, 0.5, 1e-9])),
    ("cross_entropy ties", lambda a: F.cross_entropy(a, np.array([0, 2])),
     lambda t, tf: tf.cross_entropy(t, torch_index([0, 2])),
     np.array([[0.0, 0.0, 0.0], [1e4, 1e4, -1e4]])),
    ("cross_entropy +-1e4", lambda a: F.cross_entropy(a, np.array([1, 2])),
     lambda t, tf: tf.cross_entropy(t, torch_index([1, 2])),
     np.array([[1e4, -1e4, 0.0], [-1e4, 0.0, 1e4]])),
    ("mse tie", lambda a: F.mse_loss(a, np.array([0.0, 1e4, -1.0])),
     lambda t, tf: tf.mse_loss(t, t.detach().clone()), np.array([0.0, 1e4, -1.0])),
    ("relu", lambda a: (F.relu(a) * WEIGHTS).sum(), lambda t, tf: (tf.relu(t) * tw(t)).sum(),
     EXTREMES),
    ("leaky_relu", lambda a: (F.leaky_relu(a, 0.1) * WEIGHTS).sum(),
     lambda t, tf: (tf.leaky_relu(t, 0.1) * tw(t)).sum(), EXTREMES),
    ("sigmoid", lambda a: (F.sigmoid(a) * WEIGHTS).sum(),
     lambda t, tf: (t.sigmoid() * tw(t)).sum(), EXTREMES),
    ("tanh", lambda a: (F.tanh(a) * WEIGHTS).sum(), lambda t, tf: (t.tanh() * tw(t)).sum(),
     EXTREMES),
    ("abs", lambda a: (abs(a) * WEIGHTS).sum(), lambda t, tf: (t.abs() * tw(t)).sum(), EXTREMES),
    ("clip at the bounds", lambda a: (ag.clip(a, -1.0, 1.0) * WEIGHTS).sum(),
     lambda t, tf: (t.clamp(-1.0, 1.0) * tw(t)).sum(), EXTREMES),
    ("maximum tie", lambda a: (ag.maximum(a, ag.Tensor(np.ones(8))) * WEIGHTS).sum(),
     lambda t, tf: (t.maximum(torch_zeros(t) + 1) * tw(t)).sum(), np.ones(8)),
    ("max of ties", lambda a: a.max(), lambda t, tf: t.max(), np.array([1.0, 3.0, 3.0, -1e4])),
    ("softmax +-1e4", lambda a: (F.softmax(a, dim=-1) * WEIGHTS).sum(),
     lambda t, tf: (tf.softmax(t, dim=-1) * tw(t)).sum(), EXTREMES),
    ("log_softmax +-1e4", lambda a: (F.log_softmax(a, dim=-1) * WEIGHTS).sum(),
     lambda t, tf: (tf.log_softmax(t, dim=-1) * tw(t)).sum(), EXTREMES),
]
WEIGHTS = np.linspace(-1.0, 2.0, 8)


def torch_zeros(t):
    import torch
    return torch.zeros_like(t)


def torch_arange(t):
    import torch
    return torch.arange(t.numel(), dtype=t.dtype)


def torch_index(values):
    import torch
    return torch.tensor(values)


def tw(t):
    import torch
    return torch.from_numpy(WEIGHTS)


@pytest.mark.parametrize("name,ours,theirs,data", KINK_CASES, ids=[c[0] for c in KINK_CASES])
def test_losses_and_activations_at_kinks_and_extremes_match_pytorch(name, ours, theirs, data):
    torch = pytest.importorskip("torch")
    a, at = leaf(data), torch.tensor(data, requires_grad=True)
    out, out_t = ours(a), theirs(at, torch.nn.functional)
    out.backward()
    out_t.backward()
    np.testing.assert_allclose(out.item(), out_t.item(), rtol=1e-10)
    np.testing.assert_allclose(a.grad.data, at.grad.numpy(), rtol=1e-7, atol=1e-15)


def test_bce_with_logits_second_derivative_at_zero_matches_pytorch():
    torch = pytest.importorskip("torch")
    data, y = np.array([0.0, 0.0, 1e4, -1e4, 0.3]), np.array([0.0, 1.0, 0.0, 1.0, 0.5])
    x, xt = leaf(data), torch.tensor(data, requires_grad=True)
    (g,) = ag.grad(F.binary_cross_entropy_with_logits(x, y), [x], create_graph=True)
    (gt,) = torch.autograd.grad(torch.nn.functional.binary_cross_entropy_with_logits(
        xt, torch.from_numpy(y)), [xt], create_graph=True)
    np.testing.assert_allclose(g.data, gt.detach().numpy(), rtol=1e-12)
    v = np.linspace(1.0, 2.0, 5)
    (h,) = ag.grad((g * v).sum(), [x])
    (ht,) = torch.autograd.grad((gt * torch.from_numpy(v)).sum(), [xt])
    np.testing.assert_allclose(h.data, ht.numpy(), rtol=1e-12, atol=1e-300)
