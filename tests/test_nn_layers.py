"""Layers against their textbook or composed forms, float64 gradchecks of inputs and
parameters, their errors, and (when torch is installed) PyTorch with the same weights."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import nn
import nn.functional as F

RNG = np.random.default_rng(0)


def randn(*shape):
    return RNG.standard_normal(shape)


def leaf(*shape):
    return ag.Tensor(randn(*shape), requires_grad=True)


# -- Linear ------------------------------------------------------------------------
def test_linear_is_the_notes_z_equals_W_a_plus_b():
    fc = nn.Linear(3, 2).double()
    assert fc.weight.shape == (2, 3) and fc.bias.shape == (2,)
    a = randn(3)
    z = fc(a[None, :]).data[0]  # batch-first row in, the notes' column formula out
    np.testing.assert_allclose(z, fc.weight.data @ a + fc.bias.data)


def test_linear_matches_composed_form_and_keeps_leading_dims():
    fc = nn.Linear(4, 5).double()
    x = randn(2, 3, 4)
    out = fc(x)
    assert out.shape == (2, 3, 5)
    composed = ag.matmul(ag.Tensor(x), fc.weight.T) + fc.bias
    np.testing.assert_allclose(out.data, composed.data, rtol=1e-12)
    v = leaf(4)  # one unbatched sample
    assert fc(v).shape == (5,)
    assert ag.gradcheck(lambda v, w, b: fc(v), [v, fc.weight, fc.bias])
    assert ag.gradcheck(lambda x, w, b: fc(x), [leaf(2, 3, 4), fc.weight, fc.bias])


def test_linear_gradcheck_input_and_parameters():
    fc = nn.Linear(3, 2).double()
    x = leaf(4, 3)
    assert ag.gradcheck(lambda x, w, b: fc(x), [x, fc.weight, fc.bias])
    no_bias = nn.Linear(3, 2, bias=False).double()
    assert no_bias.bias is None and "bias=False" in repr(no_bias)
    assert ag.gradcheck(lambda x, w: no_bias(x), [x, no_bias.weight])


def test_linear_wrong_width_names_layer_and_both_shapes():
    fc = nn.Linear(3, 2)
    with pytest.raises(ValueError) as info:
        fc(np.ones((5, 4), dtype=np.float32))
    msg = str(info.value)
    assert "Linear(in_features=3, out_features=2" in msg and "(5, 4)" in msg and "(2, 3)" in msg
    with pytest.raises(ValueError):
        nn.Linear(0, 2)
    with pytest.raises(ValueError, match="weight of shape"):
        F.linear(np.ones((1, 2)), ag.Tensor(np.ones((3, 3))))


def test_linear_default_init_is_pytorchs_uniform_bound():
    fc = nn.Linear(400, 300, rng=1)
    bound = 1 / np.sqrt(400)
    for p in (fc.weight, fc.bias):
        assert np.abs(p.data).max() <= bound and np.abs(p.data).max() > 0.9 * bound
    assert fc.weight.dtype == np.float32
    assert np.array_equal(nn.Linear(3, 2, rng=5).weight.data, nn.Linear(3, 2, rng=5).weight.data)
    ag.manual_seed(3)
    a = nn.Linear(3, 2).weight.data
    ag.manual_seed(3)
    assert np.array_equal(a, nn.Linear(3, 2).weight.data)


def test_flatten_and_identity():
    x = leaf(2, 3, 4)
    assert nn.Flatten()(x).shape == (2, 12)
    assert nn.Flatten(0, 1)(x).shape == (6, 4)
    assert nn.Identity(5, anything=1)(x) is x
    assert ag.gradcheck(lambda x: nn.Flatten()(x), [x])


# -- activations -------------------------------------------------------------------
ACTIVATIONS = [
    (nn.ReLU(), lambda x: np.maximum(x, 0)),
    (nn.LeakyReLU(0.2), lambda x: np.where(x > 0, x, 0.2 * x)),
    (nn.Sigmoid(), lambda x: 1 / (1 + np.exp(-x))),
    (nn.Tanh(), np.tanh),
    (nn.Softmax(dim=1), lambda x: np.exp(x) / np.exp(x).sum(1, keepdims=True)),
    (nn.LogSoftmax(dim=1), lambda x: x - np.log(np.exp(x).sum(1, keepdims=True))),
]


@pytest.mark.parametrize("layer,ref", ACTIVATIONS, ids=lambda v: type(v).__name__)
def test_activation_matches_numpy_and_gradchecks(layer, ref):
    x = ag.Tensor(RNG.choice([-1, 1], (3, 4)) * RNG.uniform(0.2, 2, (3, 4)), requires_grad=True)
    np.testing.assert_allclose(layer(x).data, ref(x.data), rtol=1e-10)
    assert ag.gradcheck(layer, [x])


def test_activation_reprs():
    assert repr(nn.LeakyReLU(0.1)) == "LeakyReLU(negative_slope=0.1)"
    assert repr(nn.Softmax(0)) == "Softmax(dim=0)" and repr(nn.Sigmoid()) == "Sigmoid()"


# -- Dropout -------------------------------------------------------------------------
def test_dropout_is_inverted_and_identity_in_eval():
    drop = nn.Dropout(0.25, rng=0)
    x = np.ones((200, 50))
    y = drop(x).data
    assert set(np.unique(y)) <= {0.0, 1 / 0.75}
    assert abs((y == 0).mean() - 0.25) < 0.02
    assert abs(y.mean() - 1.0) < 0.03  # expectation kept: no rescaling at test time
    assert not np.array_equal(drop(x).data, y)  # a seeded layer still draws new masks
    drop.eval()
    assert np.array_equal(drop(x).data, x)


def test_dropout_gradient_is_the_mask_and_rng_reproducible():
    x = leaf(4, 5)
    y = F.dropout(x, 0.5, rng=7)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, y.data / x.data)
    np.testing.assert_array_equal(F.dropout(x, 0.5, rng=7).data, y.data)
    assert F.dropout(x, 0.5, training=False) is x


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5])
def test_dropout_rejects_bad_p(p):
    with pytest.raises(ValueError, match="p must be in"):
        nn.Dropout(p)
    with pytest.raises(ValueError):
        F.dropout(np.ones(2), p)


# -- BatchNorm -------------------------------------------------------------------------
def batch_norm_textbook(x, gamma, beta, eps=1e-5):
    axes = (0,) + tuple(range(2, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    mu = x.mean(axis=axes, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=axes, keepdims=True)
    return gamma.reshape(shape) * (x - mu) / np.sqrt(var + eps) + beta.reshape(shape)


@pytest.mark.parametrize("layer,shape", [(nn.BatchNorm1d, (6, 3)), (nn.BatchNorm1d, (4, 3, 5)),
                                         (nn.BatchNorm2d, (3, 3, 4, 2))])
def test_batchnorm_training_matches_textbook_and_updates_running_stats(layer, shape):
    bn = layer(3, momentum=0.3).double()
    bn.weight.data[...] = [1.0, 2.0, 0.5]
    bn.bias.data[...] = [0.0, -1.0, 3.0]
    x = randn(*shape) * 2 + 1
    np.testing.assert_allclose(bn(x).data, batch_norm_textbook(x, bn.weight.data, bn.bias.data),
                               rtol=1e-10, atol=1e-12)
    axes = (0,) + tuple(range(2, x.ndim))
    np.testing.assert_allclose(bn.running_mean.data, 0.3 * x.mean(axis=axes))
    np.testing.assert_allclose(bn.running_var.data, 0.7 + 0.3 * x.var(axis=axes, ddof=1))
    assert bn.num_batches_tracked.item() == 1
    bn.eval()
    rs = (1, -1) + (1,) * (x.ndim - 2)
    expected = (x - bn.running_mean.data.reshape(rs)) / np.sqrt(
        bn.running_var.data.reshape(rs) + 1e-5) * bn.weight.data.reshape(rs) + \
        bn.bias.data.reshape(rs)
    np.testing.assert_allclose(bn(x).data, expected, rtol=1e-10)
    assert bn.num_batches_tracked.item() == 1  # eval changes no statistics


@given(n=st.integers(2, 5), c=st.integers(1, 4), extra=st.lists(st.integers(1, 3), max_size=2),
       seed=st.integers(0, 2**16), momentum=st.sampled_from([0.1, 0.5, 1.0]))
def test_batchnorm_matches_textbook_hypothesis(n, c, extra, seed, momentum):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, c, *extra)) * rng.uniform(0.5, 3) + rng.normal()
    layer = nn.BatchNorm2d if len(extra) == 2 else nn.BatchNorm1d
    bn = layer(c, momentum=momentum).double()
    bn.weight.data[...], bn.bias.data[...] = rng.normal(size=c), rng.normal(size=c)
    np.testing.assert_allclose(bn(x).data, batch_norm_textbook(x, bn.weight.data, bn.bias.data),
                               rtol=1e-9, atol=1e-9)
    axes = (0,) + tuple(range(2, x.ndim))
    np.testing.assert_allclose(bn.running_var.data,
                               (1 - momentum) + momentum * x.var(axis=axes, ddof=1), rtol=1e-10)


def test_batchnorm_gradcheck_input_and_parameters():
    for bn, x in [(nn.BatchNorm1d(3).double(), leaf(5, 3)),
                  (nn.BatchNorm2d(2).double(), leaf(3, 2, 2, 2))]:
        bn.weight.data[...] = RNG.uniform(0.5, 2, bn.weight.shape)
        w = ag.Tensor(randn(*x.shape))  # a non-symmetric loss, so the gradient is not ~0
        assert ag.gradcheck(lambda x, g, b: (bn(x) * w).sum(), [x, bn.weight, bn.bias])
        bn.eval()
        assert ag.gradcheck(lambda x, g, b: (bn(x) * w).sum(), [x, bn.weight, bn.bias])


def test_batchnorm_without_affine_or_running_stats():
    bn = nn.BatchNorm1d(2, affine=False, track_running_stats=False).double()
    assert list(bn.parameters()) == [] and list(bn.state_dict()) == []
    x = randn(8, 2)
    bn.eval()  # no running stats: batch statistics even in eval, as PyTorch
    np.testing.assert_allclose(bn(x).data, batch_norm_textbook(x, np.ones(2), np.zeros(2)))


def test_batchnorm_momentum_none_is_a_cumulative_average():
    bn = nn.BatchNorm1d(1, momentum=None).double()
    xs = [randn(4, 1) for _ in range(3)]
    for x in xs:
        bn(x)
    np.testing.assert_allclose(bn.running_mean.data, np.mean([x.mean() for x in xs]))


def test_batchnorm_errors_name_the_layer_and_shapes():
    with pytest.raises(ValueError) as info:
        nn.BatchNorm2d(3)(np.ones((2, 4, 5, 5), dtype=np.float32))
    assert "BatchNorm2d(3" in str(info.value) and "(2, 4, 5, 5)" in str(info.value)
    with pytest.raises(ValueError, match="BatchNorm1d"):
        nn.BatchNorm1d(3)(np.ones((2, 3, 4, 4), dtype=np.float32))
    single = nn.BatchNorm1d(3)
    with pytest.raises(ValueError, match="more than 1 value"):
        single(np.ones((1, 3), dtype=np.float32))
    assert single.num_batches_tracked.item() == 0
    single.eval()(np.ones((1, 3), dtype=np.float32))  # running statistics: fine
    bn = nn.BatchNorm1d(3)
    with pytest.raises(ValueError):
        bn(np.ones((4, 2), dtype=np.float32))
    assert bn.num_batches_tracked.item() == 0  # raised before any state changed


# -- Embedding -----------------------------------------------------------------------
def test_embedding_looks_up_rows_and_accumulates_repeated_gradients():
    emb = nn.Embedding(6, 3).double()
    idx = np.array([[1, 4], [1, 1]])
    out = emb(idx)
    np.testing.assert_array_equal(out.data, emb.weight.data[idx])
    out.sum().backward()
    expected = np.zeros((6, 3))
    expected[1], expected[4] = 3, 1
    np.testing.assert_array_equal(emb.weight.grad.data, expected)
    assert ag.gradcheck(lambda w: emb(ag.Tensor(idx)) * 1.5, [emb.weight])
    assert emb(ag.Tensor(np.array(2))).shape == (3,)


def test_embedding_init_is_standard_normal():
    w = nn.Embedding(500, 40, rng=0).weight.data
    assert abs(w.mean()) < 0.02 and abs(w.std() - 1) < 0.02


@pytest.mark.parametrize("bad", [6, -1, 100])
def test_embedding_out_of_range_names_layer_index_and_range(bad):
    with pytest.raises(IndexError) as info:
        nn.Embedding(6, 3)(np.array([0, bad]))
    msg = str(info.value)
    assert "Embedding(6, 3)" in msg and str(bad) in msg and "[0, 6)" in msg


def test_embedding_rejects_float_indices():
    with pytest.raises(TypeError, match="integers"):
        nn.Embedding(6, 3)(np.array([0.0, 1.0]))


# -- functional pad and gradient clipping ------------------------------------------------
def test_pad_uses_pytorch_order_last_dim_first():
    x = leaf(2, 3)
    out = F.pad(x, (1, 2, 0, 1), value=0.0)
    np.testing.assert_array_equal(out.data, np.pad(x.data, ((0, 1), (1, 2))))
    assert ag.gradcheck(lambda x: F.pad(x, (1, 0)), [x])
    with pytest.raises(ValueError):
        F.pad(x, (1, 2, 3))


def test_clip_grad_norm_returns_norm_before_clipping():
    a, b = nn.Parameter(np.zeros(2)), nn.Parameter(np.zeros(1))
    a.grad, b.grad = ag.Tensor(np.array([3.0, 0.0])), ag.Tensor(np.array([4.0]))
    norm = nn.utils.clip_grad_norm_([a, b], 2.5)
    assert norm == pytest.approx(5.0) and norm.item() == pytest.approx(5.0)
    np.testing.assert_allclose(np.concatenate([a.grad.data, b.grad.data]), [1.5, 0, 2.0],
                               rtol=1e-5)
    assert nn.utils.clip_grad_norm_([a, b], 100.0) == pytest.approx(2.5, rel=1e-5)
    np.testing.assert_allclose(b.grad.data, [2.0], rtol=1e-5)  # under the limit: unchanged
    assert nn.utils.clip_grad_norm_(a, 1.0, norm_type=float("inf")) == pytest.approx(1.5)
    assert nn.utils.clip_grad_norm_([nn.Parameter(np.zeros(1))], 1.0) == 0.0
    with pytest.raises(ValueError):
        nn.utils.clip_grad_norm_([a], -1)


def test_clip_grad_value():
    p = nn.Parameter(np.zeros(3))
    p.grad = ag.Tensor(np.array([-5.0, 0.2, 9.0]))
    nn.utils.clip_grad_value_([p], 1.0)
    np.testing.assert_array_equal(p.grad.data, [-1.0, 0.2, 1.0])


# -- PyTorch with the same weights (optional) ---------------------------------------------
def test_linear_and_batchnorm_match_pytorch():
    torch = pytest.importorskip("torch")
    ours = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3), nn.ReLU(), nn.Linear(3, 2)).double()
    theirs = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3),
                                 torch.nn.ReLU(), torch.nn.Linear(3, 2)).double()
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    x = randn(6, 4)
    xt = torch.tensor(x, requires_grad=True)
    out, out_t = ours(x), theirs(xt)
    np.testing.assert_allclose(out.data, out_t.detach().numpy(), rtol=1e-10)
    gout = randn(6, 2)
    out.backward(gout)
    out_t.backward(torch.from_numpy(gout))
    for (name, p), (name_t, pt) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert name == name_t
        np.testing.assert_allclose(p.grad.data, pt.grad.numpy(), rtol=1e-8, atol=1e-12)
    for k, v in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[k], v.numpy(), rtol=1e-10)
    ours.eval(), theirs.eval()
    np.testing.assert_allclose(ours(x).data, theirs(xt).detach().numpy(), rtol=1e-10)
    fresh = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3), nn.ReLU(), nn.Linear(3, 2))
    fresh.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})  # and back
    np.testing.assert_allclose(fresh.eval()(x).data, theirs(xt).detach().numpy(), rtol=1e-5)
