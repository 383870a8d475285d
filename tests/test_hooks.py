"""Hooks: Tensor.register_hook, Tensor.retain_grad and the Module hooks (forward pre,
forward, full backward): order, replacement, removal, errors that leave state as it
was, and no reference cycles (graphs freed without the garbage collector)."""
import gc
import weakref

import numpy as np
import pytest

import autograd as ag
import nn
from autograd import Tensor
from autograd import hooks as tensor_hooks


def leaf(data):
    return Tensor(np.asarray(data, dtype=np.float64), requires_grad=True)


# -- Tensor.register_hook ----------------------------------------------------------

def test_tensor_hooks_run_in_order_and_chain_replacements():
    x = leaf([1.0, 2.0])
    y = x * 3
    calls = []
    y.register_hook(lambda g: calls.append(("a", g.data.tolist())) or g * 2)
    y.register_hook(lambda g: calls.append(("b", g.data.tolist())))   # sees the doubled one
    y.register_hook(lambda g: g + 1)
    y.sum().backward()
    assert calls == [("a", [1.0, 1.0]), ("b", [2.0, 2.0])]
    assert x.grad.data.tolist() == [9.0, 9.0]       # (2 + 1) * 3


def test_leaf_hook_sees_the_whole_gradient_once_and_replaces_what_reaches_grad():
    x = leaf([1.0, -1.0])
    seen = []
    x.register_hook(lambda g: seen.append(g.data.copy()) or g * 0 + 7)
    (x * 2 + x * 3).sum().backward()                 # two paths: summed before the hook
    assert len(seen) == 1 and seen[0].tolist() == [5.0, 5.0]
    assert x.grad.data.tolist() == [7.0, 7.0]


def test_removed_hooks_stop_and_remove_twice_is_harmless():
    x = leaf(2.0)
    h = x.register_hook(lambda g: g * 10)
    (x * 3).backward()
    h.remove()
    h.remove()
    (x * 3).backward()
    assert x.grad.item() == 33.0
    with x.register_hook(lambda g: g * 0):
        (x * 1).backward()
    (x * 1).backward()
    assert x.grad.item() == 34.0


def test_hook_on_an_output_of_a_multi_output_op():
    x = leaf([1.0, 2.0, 3.0, 4.0])
    a, b = ag.split(x, 2)
    b.register_hook(lambda g: g * 5)
    (a.sum() + b.sum()).backward()
    assert x.grad.data.tolist() == [1.0, 1.0, 5.0, 5.0]


def test_hooks_apply_in_ag_grad_and_under_create_graph():
    x = leaf(3.0)
    y = x ** 2
    y.register_hook(lambda g: g * 2)
    (dx,) = ag.grad(y, x, create_graph=True)         # 2 * 2x
    assert dx.item() == 12.0
    (ddx,) = ag.grad(dx, x)
    assert ddx.item() == 4.0
    z = leaf(1.0)
    z.register_hook(lambda g: g + 1)
    assert ag.grad(z * 5, z)[0].item() == 6.0


def test_hook_errors_name_the_problem():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor([1.0]).register_hook(lambda g: g)
    with pytest.raises(TypeError, match="callable"):
        x.register_hook(3)
    y = x * 2
    y.register_hook(lambda g: np.zeros(3))
    with pytest.raises(RuntimeError, match=r"op 'mul'.*shape \(3,\).*shape \(2,\)"):
        y.sum().backward()


def test_a_hook_that_raises_leaves_grads_and_the_graph_as_they_were():
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    (x * w).sum().backward()
    before = x.grad.data.copy(), w.grad.data.copy()
    h = x * w
    out = (h.exp() * w).sum()

    def boom(g):
        raise ValueError("boom")
    handle = w.register_hook(boom)           # the last thing the pass would do
    with pytest.raises(ValueError, match="boom"):
        out.backward()
    assert x.grad.data.tolist() == before[0].tolist()
    assert w.grad.data.tolist() == before[1].tolist()
    handle.remove()
    out.backward()                            # the graph was not freed by the failed pass
    np.testing.assert_allclose(x.grad.data, before[0] + np.exp(x.data * w.data) * w.data ** 2)


# -- retain_grad ----------------------------------------------------------------------

def test_retain_grad_keeps_a_non_leaf_gradient_after_hooks_and_accumulates():
    x = leaf([1.0, 2.0])
    y = x * x
    y.register_hook(lambda g: g * 2)
    y.retain_grad()
    assert y.retains_grad and not x.retains_grad
    z = (y * 3).sum()
    z.backward(retain_graph=True)
    assert y.grad.data.tolist() == [6.0, 6.0]
    z.backward()
    assert y.grad.data.tolist() == [12.0, 12.0]
    x.retain_grad()                          # a no-op on a leaf
    assert not x.retains_grad


def test_retain_grad_on_the_root_and_on_a_scalar_graph():
    a = Tensor(2.0, requires_grad=True)
    b = a * a
    c = b + 1.0
    b.retain_grad()
    c.retain_grad()
    c.backward()
    assert (c.grad.item(), b.grad.item(), a.grad.item()) == (1.0, 1.0, 4.0)
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor(1.0).retain_grad()


# -- Module hooks ---------------------------------------------------------------------

def test_forward_pre_hook_and_forward_hook_replace_input_and_output_in_order():
    lin = nn.Linear(2, 2)
    order = []
    lin.register_forward_pre_hook(lambda m, args: order.append("pre1") or (args[0] * 0,))
    lin.register_forward_pre_hook(lambda m, args: order.append("pre0"), prepend=True)
    lin.register_forward_hook(lambda m, args, out: order.append("post1") or out + 1)
    h = lin.register_forward_hook(lambda m, args, out: order.append("post2") or out * 10)
    out = lin(np.ones((1, 2), np.float32))
    assert order == ["pre0", "pre1", "post1", "post2"]
    np.testing.assert_allclose(out.data[0], (lin.bias.data + 1) * 10)
    h.remove()
    np.testing.assert_allclose(lin(np.ones((1, 2), np.float32)).data[0], lin.bias.data + 1)


def test_forward_hook_that_raises_restores_buffers():
    bn = nn.BatchNorm1d(3)
    bn.register_forward_hook(lambda m, args, out: 1 / 0)
    mean, count = bn.running_mean.data.copy(), bn.num_batches_tracked.data.copy()
    with pytest.raises(ZeroDivisionError):
        bn(ag.Tensor(np.random.default_rng(0).normal(5, 1, (8, 3)).astype(np.float32)))
    assert bn.running_mean.data.tolist() == mean.tolist()
    assert bn.num_batches_tracked.data.tolist() == count.tolist()


def test_full_backward_hook_replaces_grad_input_and_fires_in_reverse_order():
    net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    order = []
    net[0].register_full_backward_hook(lambda m, gi, go: order.append(0))
    net[2].register_full_backward_hook(lambda m, gi, go: order.append(2))
    x = ag.Tensor(np.ones((2, 3), np.float32), requires_grad=True)
    net(x).sum().backward()
    assert order == [2, 0]
    plain = x.grad.data.copy()
    x.grad = None
    net[0].register_full_backward_hook(lambda m, gi, go: (gi[0] * 3,))
    net(x).sum().backward()
    np.testing.assert_allclose(x.grad.data, 3 * plain, rtol=1e-6)


def test_full_backward_hook_without_input_gradients_gets_none():
    lin = nn.Linear(3, 2)
    seen = []
    lin.register_full_backward_hook(lambda m, gi, go: seen.append((gi, go[0].shape)))
    lin(np.ones((5, 3), np.float32)).sum().backward()
    assert seen == [((None,), (5, 2))]
    assert lin.weight.grad.shape == (2, 3)


def test_full_backward_hook_matches_torch_for_a_linear():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    lin = nn.Linear(3, 2).double()
    ref = torch.nn.Linear(3, 2).double()
    with torch.no_grad():
        ref.weight.copy_(torch.tensor(lin.weight.data))
        ref.bias.copy_(torch.tensor(lin.bias.data))
    got, want = [], []
    lin.register_full_backward_hook(lambda m, gi, go: got.append((gi, go)))
    ref.register_full_backward_hook(lambda m, gi, go: want.append((gi, go)))
    xn = rng.normal(size=(4, 3))
    x, tx = ag.Tensor(xn, requires_grad=True), torch.tensor(xn, requires_grad=True)
    (lin(x) ** 2).sum().backward()
    (ref(tx) ** 2).sum().backward()
    (gi, go), (tgi, tgo) = got[0], want[0]
    np.testing.assert_allclose(gi[0].data, tgi[0].numpy(), rtol=1e-12)
    np.testing.assert_allclose(go[0].data, tgo[0].numpy(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(lin.weight.grad.data, ref.weight.grad.numpy(), rtol=1e-12)


def test_tensor_hooks_match_torch():
    torch = pytest.importorskip("torch")
    xn = np.array([0.5, -1.5, 2.0])
    x, tx = leaf(xn), torch.tensor(xn, requires_grad=True)
    kept = {}
    for t in (x, tx):
        y = t.tanh()
        y.register_hook(lambda g: g * 3)
        y.retain_grad()
        z = y * t
        z.retain_grad()
        (z ** 2).sum().backward()
        kept[id(t)] = z, y
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-12)
    for ours, theirs in zip(kept[id(x)], kept[id(tx)]):
        np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-12)


# -- no cycles, no leaks --------------------------------------------------------------

def test_graphs_with_hooks_are_freed_without_the_garbage_collector():
    gc.collect()
    gc.disable()
    try:
        lin = nn.Linear(3, 2)
        lin.register_forward_hook(lambda m, a, o: None)
        lin.register_full_backward_hook(lambda m, gi, go: None)
        x = ag.Tensor(np.ones((2, 3), np.float32), requires_grad=True)
        y = lin(x).tanh()
        y.retain_grad()
        y.register_hook(lambda g: g)
        out = y.sum()
        refs = [weakref.ref(t) for t in (y, out)] + [weakref.ref(y.grad_fn)]
        out.backward()
        assert y.grad is not None
        del y, out
        assert all(r() is None for r in refs)
        tmp = leaf([1.0])
        n = len(tensor_hooks._leaf)
        tmp.register_hook(lambda g: g)
        assert len(tensor_hooks._leaf) == n + 1
        del tmp
        assert len(tensor_hooks._leaf) == n
    finally:
        gc.enable()
