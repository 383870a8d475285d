"""Losses and activations at their kinks and extremes (0, ties, +-1e4, targets 0 and 1)
against closed forms and, when installed, PyTorch; BCE-with-logits first, whose gradient
at a logit of exactly 0 was -y instead of sigmoid(0) - y (issue 14)."""
import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from test_losses import leaf


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
    X = np.random.default_rng(5).normal(size=(6, 3))
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
