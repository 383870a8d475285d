"""Transfer learning's tools: requires_grad_, Sequential's item assignment, deletion and
slicing (as PyTorch's), optimizers that skip frozen parameters, per-group learning rates."""
import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
import optim


def _net():
    ag.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(),
                         nn.Linear(8, 3))


def _loss(net):
    x = ag.Tensor(np.random.default_rng(0).random((5, 4), dtype=np.float32))
    return F.cross_entropy(net(x), ag.Tensor(np.array([0, 1, 2, 0, 1])))


def test_requires_grad_freezes_a_part_and_returns_the_module():
    net = _net()
    features = net[:4]
    assert features.requires_grad_(False) is features
    assert [p.requires_grad for p in net.parameters()] == [False] * 4 + [True] * 2
    _loss(net).backward()
    assert all(p.grad is None for p in features.parameters())
    assert all(p.grad is not None for p in net[4].parameters())
    assert net.requires_grad_() is net and all(p.requires_grad for p in net.parameters())


@pytest.mark.parametrize("make", [
    lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.1),
    lambda ps: optim.Adam(ps, lr=0.1, weight_decay=0.1),
    lambda ps: optim.RMSprop(ps, lr=0.1),
    lambda ps: optim.AdamW(ps, lr=0.1)])
def test_optimizers_skip_frozen_parameters_even_with_a_stale_grad(make):
    net = _net()
    opt = make(net.parameters())
    _loss(net).backward()
    net[:4].requires_grad_(False)          # frozen after a backward: .grad is still there
    before = {k: v.copy() for k, v in net.state_dict().items()}
    opt.step()
    after = net.state_dict()
    for key in before:
        moved = not np.array_equal(before[key], after[key])
        assert moved == key.startswith("4."), key
    frozen = list(net[:4].parameters())
    assert all(not opt.state[p] for p in frozen)   # no momentum or moments for them


def test_param_groups_take_their_own_lr():
    net = _net()
    net[:4].requires_grad_(False)
    net[4] = nn.Linear(8, 2)
    opt = optim.SGD([{"params": net[:4].parameters(), "lr": 0.01},
                     {"params": net[4].parameters()}], lr=0.5)
    assert [g["lr"] for g in opt.param_groups] == [0.01, 0.5]
    net[2].requires_grad_(True)          # fine-tune the last hidden layer with the small lr
    x = ag.Tensor(np.ones((3, 4), np.float32))
    F.cross_entropy(net(x), ag.Tensor(np.array([0, 1, 1]))).backward()
    w2, g2 = net[2].weight.data.copy(), net[2].weight.grad.data.copy()
    w4, g4 = net[4].weight.data.copy(), net[4].weight.grad.data.copy()
    w0 = net[0].weight.data.copy()
    opt.step()
    np.testing.assert_allclose(net[2].weight.data, w2 - 0.01 * g2, rtol=1e-6)
    np.testing.assert_allclose(net[4].weight.data, w4 - 0.5 * g4, rtol=1e-6)
    np.testing.assert_array_equal(net[0].weight.data, w0)


def test_sequential_setitem_replaces_in_place():
    net = _net()
    head = nn.Linear(8, 2)
    net[-1] = head
    assert net[4] is head and len(net) == 5
    assert [k for k in net.state_dict()][-2:] == ["4.weight", "4.bias"]
    assert net(ag.Tensor(np.zeros((1, 4), np.float32))).shape == (1, 2)
    net[1] = nn.Tanh()
    assert type(net[1]).__name__ == "Tanh" and list(net._modules) == ["0", "1", "2", "3", "4"]
    with pytest.raises(IndexError, match="index 5 out of range for 5 modules"):
        net[5] = nn.ReLU()
    with pytest.raises(TypeError, match="expected an nn.Module, got int"):
        net[0] = 3
    with pytest.raises(TypeError, match="not a slice"):
        net[0:2] = [nn.ReLU(), nn.ReLU()]


def test_sequential_delitem_renumbers_as_pytorch():
    net = _net()
    last = net[4]
    del net[1]
    assert len(net) == 4 and net[3] is last
    assert list(net._modules) == ["0", "1", "2", "3"]
    assert [k for k, _ in net.named_parameters()] == \
        ["0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias"]
    del net[-2:]
    assert len(net) == 2 and [type(m).__name__ for m in net] == ["Linear", "Linear"]
    assert net(ag.Tensor(np.zeros((2, 4), np.float32))).shape == (2, 8)
    with pytest.raises(IndexError):
        del net[7]


def test_sequential_slices_share_modules_and_keep_names():
    net = _net()
    features = net[:-1]
    assert isinstance(features, nn.Sequential) and len(features) == 4
    assert features[0] is net[0]
    assert list(net[2:]._modules) == ["2", "3", "4"]      # PyTorch keeps the names too
    assert len(net[::2]) == 3
    x = ag.Tensor(np.ones((2, 4), np.float32))
    np.testing.assert_array_equal(net[4](features(x)).data, net(x).data)


def test_train_and_eval_unchanged_by_freezing():
    net = nn.Sequential(nn.Linear(3, 3), nn.Dropout(0.5))
    net.requires_grad_(False)
    assert net.eval() is net and not net[1].training
    assert net.train() is net and net[1].training


def test_keys_after_editing_match_pytorch():
    torch = pytest.importorskip("torch")
    ours = _net()
    theirs = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 8),
                                 torch.nn.ReLU(), torch.nn.Linear(8, 3))
    for seq, lin in ((ours, nn.Linear), (theirs, torch.nn.Linear)):
        seq[-1] = lin(8, 2)
        del seq[1]
        del seq[1:2]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert list(ours[1:].state_dict()) == list(theirs[1:].state_dict())
    theirs.load_state_dict({k: torch.tensor(v) for k, v in ours.state_dict().items()})
    x = np.random.default_rng(1).random((3, 4), dtype=np.float32)
    np.testing.assert_allclose(ours(ag.Tensor(x)).data,
                               theirs(torch.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-6)
