"""conv2d and pooling reuse memory (a scratch workspace, recycled im2col arrays) and
lay data out channel-major inside: none of it may change a value or a gradient."""
import numpy as np
import pytest

import autograd as ag
import nn.functional as F
from autograd import Tensor
from test_conv import conv2d_loop, distinct


# -- memory: the workspace and the channel-major layout --------------------------------
def test_outputs_and_gradients_never_alias_the_shared_workspace():
    """Padded inputs and column gradients live in a reused scratch buffer: what the ops
    return must not, or the next call would overwrite it."""
    rng = np.random.default_rng(8)
    x1, x2 = (Tensor(rng.standard_normal((2, 2, 5, 5)), requires_grad=True) for _ in "ab")
    w = Tensor(rng.standard_normal((3, 2, 3, 3)), requires_grad=True)
    outs = [F.conv2d(x1, w, padding=1), F.max_pool2d(x1, 3, 1, 1), F.avg_pool2d(x1, 3, 1, 1)]
    kept = [o.data.copy() for o in outs]
    F.conv2d(x2, w, padding=2).sum().backward()
    F.max_pool2d(x2, 3, 2, 1).sum().backward()
    gx2 = x2.grad.data.copy()
    for o, k in zip(outs, kept):
        np.testing.assert_array_equal(o.data, k)
    sum(o.sum() for o in outs).backward()
    np.testing.assert_array_equal(x2.grad.data, gx2)
    np.testing.assert_allclose(outs[0].data, conv2d_loop(x1.data, w.data, None, 1, 1))


def test_recycled_columns_are_never_taken_from_a_graph_that_still_needs_them():
    """conv2d recycles its im2col arrays once their node is done with them; a graph kept
    for a later backward (or twice, with retain_graph) keeps its own."""
    rng = np.random.default_rng(10)
    x = Tensor(rng.standard_normal((2, 2, 5, 5)))
    w = Tensor(rng.standard_normal((3, 2, 3, 3)), requires_grad=True)
    first = F.conv2d(x, w, padding=1).sum()        # kept for later
    F.conv2d(x * 0 + 1, w, padding=1).sum().backward()  # same shapes: may recycle
    F.conv2d(x * 2, w, padding=1).sum().backward(retain_graph=True)
    w.grad = None
    first.backward(retain_graph=True)
    once = w.grad.data.copy()
    F.conv2d(x * 3, w, padding=1).sum().backward()
    w.grad = None
    first.backward()
    np.testing.assert_allclose(w.grad.data, once, rtol=1e-12)
    want = ag.numerical_grad(lambda w: F.conv2d(x, w, padding=1).sum(), [w])[0]
    np.testing.assert_allclose(once, want, rtol=1e-6, atol=1e-6)


def test_gradient_in_either_memory_layout_gives_the_same_result():
    """conv2d's backward works on a channel-major copy of the incoming gradient,
    skipped when the gradient already is laid out that way: both give the same."""
    rng = np.random.default_rng(9)
    x = Tensor(rng.standard_normal((3, 2, 4, 5)), requires_grad=True)
    w = Tensor(rng.standard_normal((4, 2, 3, 3)), requires_grad=True)
    g = rng.standard_normal((3, 4, 4, 5))
    grads = []
    for layout in (g, np.ascontiguousarray(g.transpose(1, 0, 2, 3)).transpose(1, 0, 2, 3)):
        x.grad = w.grad = None
        F.conv2d(x, w, padding="same").backward(layout)
        grads.append((x.grad.data.copy(), w.grad.data.copy()))
    for a, b in zip(*grads):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    y = F.conv2d(x, w, padding=1)
    np.testing.assert_array_equal(y.flatten().data, np.ascontiguousarray(y.data).reshape(-1))


@pytest.mark.parametrize("kernel,stride,padding", [(2, None, 0), (3, 1, 1), (2, 3, 0)])
def test_pools_on_channel_major_input_give_the_same_values_and_gradients(kernel, stride,
                                                                          padding):
    """Pooling reads its input through strided views: a channel-major input (a
    transposed view) gives the same values and gradients as an NCHW one."""
    rng = np.random.default_rng(11)
    data = distinct(rng, (3, 2, 6, 7))
    for fn in (F.max_pool2d, F.avg_pool2d):
        results = []
        for arr in (data, np.ascontiguousarray(data.transpose(1, 0, 2, 3)).transpose(1, 0, 2, 3)):
            x = Tensor(arr, requires_grad=True)
            y = fn(x, kernel, stride, padding)
            y.backward(np.arange(y.size, dtype=float).reshape(y.shape))
            results.append((y.data, x.grad.data))
        for a, b in zip(*results):
            np.testing.assert_array_equal(a, b)


# -- the store: one byte budget, least recently used first out -------------------------
def test_kept_memory_has_one_budget_and_evicts_the_least_recently_used(monkeypatch):
    import nn.conv_cache as cache
    monkeypatch.setattr(cache, "BUDGET", 1000)
    cache.clear()
    a = cache.workspace((50,), np.float64, slot=7)  # 400 bytes each
    grid = cache.zero_grid(("k",), (50,), np.float64)
    assert np.shares_memory(cache.workspace((25,), np.float32, slot=7), a)  # used again
    cache.zero_grid(("other",), (50,), np.float64)  # no room for three: the grid goes
    assert cache.kept_bytes() == 800
    assert np.shares_memory(cache.workspace((50,), np.float64, slot=7), a)
    again = cache.zero_grid(("k",), (50,), np.float64)
    assert again is not grid and not again.any()
    cache.workspace((200,), np.float64, slot=8)  # larger than the budget: never kept
    assert cache.kept_bytes() <= 1000
    cache.clear()
    assert cache.kept_bytes() == 0


def test_columns_are_offered_again_only_when_no_node_holds_them():
    import nn.conv_cache as cache

    class Node:
        saved = ()

    cache.clear()
    first = Node()
    cols = cache.columns((3, 4), np.float64, first)
    first.saved = (cols,)  # its graph still needs them
    second = Node()
    other = cache.columns((3, 4), np.float64, second)
    assert other is not cols
    first.saved = None  # released by its backward
    third = Node()
    assert cache.columns((3, 4), np.float64, third) is cols
    third.saved = (cols,)
    del second  # gone: its columns are free too
    assert cache.columns((3, 4), np.float64, Node()) is other
    cache.clear()
