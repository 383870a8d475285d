"""nn.utils.rnn (pad_sequence and its masks), nn.Embedding's padding_idx, max_norm and
from_pretrained (against PyTorch when installed), and nn.utils.GradientRecorder."""
import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from nn.utils.rnn import key_padding_mask, pad_sequence, sequence_mask


def seqs(rng, lengths, dim=2):
    return [ag.Tensor(rng.normal(size=(n, dim)), requires_grad=True) for n in lengths]


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("side", ["right", "left"])
def test_pad_sequence_matches_torch_with_gradients(batch_first, side):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    xs = seqs(rng, [3, 1, 4])
    ts = [torch.tensor(x.data, requires_grad=True) for x in xs]
    out = pad_sequence(xs, batch_first=batch_first, padding_value=-2.0, padding_side=side)
    ref = torch.nn.utils.rnn.pad_sequence(ts, batch_first=batch_first, padding_value=-2.0,
                                          padding_side=side)
    np.testing.assert_array_equal(out.data, ref.detach().numpy())
    w = rng.normal(size=out.shape)
    (out * w).sum().backward()
    (ref * torch.tensor(w)).sum().backward()
    for x, t in zip(xs, ts):
        np.testing.assert_allclose(x.grad.data, t.grad.numpy())


def test_pad_sequence_errors_and_masks():
    with pytest.raises(ValueError, match="sequence 1 has shape"):
        pad_sequence([ag.Tensor(np.zeros((2, 3))), ag.Tensor(np.zeros((2, 4)))])
    with pytest.raises(ValueError, match="padding_side"):
        pad_sequence([ag.Tensor([1.0])], padding_side="middle")
    assert key_padding_mask([2, 0], max_len=3).tolist() == [[False, False, True],
                                                            [True, True, True]]
    assert key_padding_mask([1, 3], padding_side="left").tolist() == [[True, True, False],
                                                                      [False, False, False]]
    assert (sequence_mask([2, 3]) == ~key_padding_mask([2, 3])).all()
    with pytest.raises(ValueError, match="shorter than"):
        key_padding_mask([4], max_len=2)
    # the mask marks exactly what pad_sequence filled
    padded = pad_sequence([ag.Tensor([1.0, 1.0]), ag.Tensor([1.0])], batch_first=True)
    assert ((padded.data == 0) == key_padding_mask([2, 1])).all()


def test_embedding_padding_idx_zero_row_and_no_gradient():
    emb = nn.Embedding(5, 3, padding_idx=-1)
    assert emb.padding_idx == 4 and (emb.weight.data[4] == 0).all()
    with ag.no_grad():
        emb.weight[4] = 1.0                       # a padding row need not stay zero...
    out = emb(np.array([[4, 1, 4], [0, 1, 2]]))
    assert (out.data[0, 0] == 1).all()            # ...its value is still looked up
    out.sum().backward()
    assert emb.weight.grad.data[4].tolist() == [0, 0, 0]
    assert emb.weight.grad.data[1].tolist() == [2, 2, 2]
    with pytest.raises(ValueError, match="padding_idx 5"):
        nn.Embedding(5, 3, padding_idx=5)


def test_embedding_matches_torch_padding_and_max_norm():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    w = rng.normal(size=(6, 4)) * 2
    idx = np.array([[0, 2, 2], [5, 1, 0]])
    ours = nn.Embedding.from_pretrained(w.copy(), freeze=False, padding_idx=0, max_norm=1.5)
    ref = torch.nn.Embedding.from_pretrained(torch.tensor(w.copy()), freeze=False,
                                             padding_idx=0, max_norm=1.5)
    out, tout = ours(idx), ref(torch.tensor(idx))
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(ours.weight.data, ref.weight.detach().numpy(), rtol=1e-12)
    g = rng.normal(size=out.shape)
    (out * g).sum().backward()
    (tout * torch.tensor(g)).sum().backward()
    np.testing.assert_allclose(ours.weight.grad.data, ref.weight.grad.numpy(), rtol=1e-12)


def test_from_pretrained_freezes_and_shares():
    w = np.arange(6, dtype=np.float32).reshape(3, 2)
    emb = nn.Embedding.from_pretrained(w)
    assert not emb.weight.requires_grad and emb.weight.data is w
    assert "Embedding(3, 2)" in repr(emb)
    assert nn.Embedding.from_pretrained(w, freeze=False).weight.requires_grad
    with pytest.raises(ValueError, match="2-d"):
        nn.Embedding.from_pretrained(np.zeros(3))
    assert F.embedding(np.array([1]), w).tolist() == [[2.0, 3.0]]


def test_gradient_recorder_records_norms_and_activations_then_removes_its_hooks():
    ag.manual_seed(0)
    net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    x = np.ones((5, 3), np.float32)
    rec = nn.utils.GradientRecorder(net)
    for _ in range(3):
        net.zero_grad()
        net(x).sum().backward()
        expected = float(np.linalg.norm(net[2].weight.grad.data))
    assert rec.steps == 3
    assert all(len(v) == 3 for v in rec.grad_norms.values())
    assert rec.grad_norms["2.weight"][-1] == pytest.approx(expected, rel=1e-6)
    out = net[1](net[0](ag.Tensor(x)))
    assert rec.activation_mean["1"][-1] == pytest.approx(float(out.data.mean()), rel=1e-6)
    assert list(rec.layer_norms()) == ["0.weight", "2.weight"]
    rec.remove()
    net(x).sum().backward()
    assert rec.steps == 3 and len(rec.activation_mean["1"]) == 4

    assert "3 steps" in repr(rec)
