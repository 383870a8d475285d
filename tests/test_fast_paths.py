"""The speed paths that only large arrays take (the op table's samples are small):
ReLU against an array of zeros and with a float mask, and the stride-1 convolution
on a flat grid, whose zero-padded gradient grid is cached per geometry."""
import numpy as np
import pytest

import autograd as ag
import nn.functional as F
from autograd import Tensor
from test_conv import conv2d_loop


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("layout", ["contiguous", "transposed", "sliced"])
def test_large_relu_matches_small_path(dtype, layout):
    rng = np.random.default_rng(0)
    base = rng.standard_normal((40, 30, 20)).astype(dtype)
    base[0, 0, :3] = [np.nan, 0.0, -0.0]
    x = {"contiguous": base, "transposed": base.transpose(2, 0, 1),
         "sliced": base[:, ::2]}[layout]
    assert x.size >= 4096
    t = Tensor(x, requires_grad=True)
    out = ag.relu(t)
    g = rng.standard_normal(x.shape).astype(dtype)
    out.backward(g)
    want = np.where(x > 0, x, 0).astype(dtype)
    want[np.isnan(x)] = np.nan
    np.testing.assert_array_equal(out.data, want)
    assert out.dtype == dtype and t.grad.dtype == dtype
    np.testing.assert_array_equal(t.grad.data, g * (x > 0))
    assert not np.shares_memory(t.grad.data, g)


def test_large_relu_second_order_still_works():
    x = Tensor(np.linspace(-2, 2, 5000), requires_grad=True)
    (gx,) = ag.grad((ag.relu(x) ** 2).sum(), [x], create_graph=True)
    (ggx,) = ag.grad(gx.sum(), [x])
    np.testing.assert_allclose(ggx.data, 2.0 * (x.data > 0))


def _conv_grads(x, w, b, g, padding):
    xt, wt, bt = (Tensor(a, requires_grad=True) for a in (x, w, b))
    F.conv2d(xt, wt, bt, 1, "same" if isinstance(padding[0], tuple) else padding).backward(g)
    return xt.grad.data, wt.grad.data, bt.grad.data


def _loop_grads(x, w, b, g, padding):
    """Gradients of sum(conv * g) by the loop oracle, through linearity in each input."""
    def conv(x_, w_, b_):
        return conv2d_loop(x_, w_, b_, 1, padding)
    gx = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[idx] = 1
        gx[idx] = np.sum(conv(e, w, None) * g)
    gw = np.zeros_like(w)
    for idx in np.ndindex(w.shape):
        e = np.zeros_like(w)
        e[idx] = 1
        gw[idx] = np.sum(conv(x, e, None) * g)
    return gx, gw, g.sum(axis=(0, 2, 3))


def test_flat_grid_cache_across_geometries_and_repeated_steps():
    """Two layers of different geometry alternate, and each runs twice with different
    incoming gradients: the cached grids must hold zeros wherever no output is."""
    rng = np.random.default_rng(1)
    cases = [((2, 2, 5, 6), (3, 2, 3, 3), (1, 1)),
             ((1, 3, 4, 7), (2, 3, 2, 3), ((0, 1), (1, 1)))]  # 'same', PyTorch's split
    for _ in range(2):
        for x_shape, w_shape, padding in cases:
            x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
            b = rng.standard_normal(w_shape[0])
            out_shape = conv2d_loop(x, w, b, 1, padding).shape
            g = rng.standard_normal(out_shape)
            for got, want in zip(_conv_grads(x, w, b, g, padding),
                                 _loop_grads(x, w, b, g, padding)):
                np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("padding", [0, 1, "same", (2, 0)])
def test_large_stride_one_conv_matches_strided_path(padding):
    """The flat-grid path (stride 1) on a larger batch, float32, against the loop."""
    rng = np.random.default_rng(2)
    x = rng.standard_normal((4, 3, 12, 10)).astype(np.float32)
    w = rng.standard_normal((5, 3, 3, 2)).astype(np.float32)
    b = rng.standard_normal(5).astype(np.float32)
    out = F.conv2d(Tensor(x), Tensor(w), Tensor(b), 1, padding).data
    if padding == "same":
        padding = ((1, 1), (0, 1))
    np.testing.assert_allclose(out, conv2d_loop(x, w, b, 1, padding), rtol=1e-5, atol=1e-5)
    assert out.dtype == np.float32 and out.flags.c_contiguous


@pytest.mark.parametrize("kernel,stride", [(1, 1), (2, 2), (16, 16), (17, 3)])
def test_max_pool_any_window_size_matches_loop(kernel, stride):
    """One window offset (a copy), two, and 256+ offsets (wider indices than uint8)."""
    from test_conv import max_pool2d_loop
    rng = np.random.default_rng(3)
    x = rng.permutation(2 * 18 * 18).reshape(1, 2, 18, 18).astype(np.float64)
    t = Tensor(x, requires_grad=True)
    out = F.max_pool2d(t, kernel, stride)
    np.testing.assert_array_equal(out.data, max_pool2d_loop(x, kernel, stride))
    out.sum().backward()
    assert ag.gradcheck(lambda a: F.max_pool2d(a, kernel, stride), [t])


@pytest.mark.parametrize("w_shape,padding,flat", [
    ((2, 2, 3, 3), (2, 2), True),      # padding up to the kernel size - 1 shares the gaps
    ((2, 2, 3, 2), (0, 1), True),
    ((2, 2, 3, 3), (3, 3), False),     # wider padding: the sliding-window path
    ((2, 2, 1, 1), (1, 1), False),
    ((2, 2, 4, 2), ((1, 2), (0, 1)), True),  # 'same' for an even kernel
])
def test_stride_one_paths_give_the_loops_values_and_gradients(w_shape, padding, flat):
    from nn.conv_flat import usable
    pads = padding if isinstance(padding[0], tuple) else tuple((p, p) for p in padding)
    assert usable((1, 2, 5, 6), w_shape, pads) is flat
    rng = np.random.default_rng(4)
    x, w, b = rng.standard_normal((2, 2, 5, 6)), rng.standard_normal(w_shape), \
        rng.standard_normal(w_shape[0])
    out = conv2d_loop(x, w, b, 1, pads)
    xt, wt, bt = (Tensor(a, requires_grad=True) for a in (x, w, b))
    y = F.conv2d(xt, wt, bt, 1, "same" if isinstance(padding[0], tuple) else padding)
    np.testing.assert_allclose(y.data, out, rtol=1e-12, atol=1e-12)
    g = rng.standard_normal(out.shape)
    y.backward(g)
    for got, want in zip((xt.grad.data, wt.grad.data, bt.grad.data),
                         _loop_grads(x, w, b, g, pads)):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10)


def test_kept_memory_stays_within_its_budget(monkeypatch):
    """Columns, scratch buffers and gradient grids share one byte budget: arrays larger
    than it are used once and not kept; older ones make room (least recently used)."""
    import nn.conv_cache as cache
    monkeypatch.setattr(cache, "BUDGET", 3000)
    cache.clear()
    rng = np.random.default_rng(5)
    for size in (4, 5, 6, 14, 4):  # grids of 2 * 5 * 5 ... 2 * 15 * 15 float64s (3600 bytes)
        x, w = rng.standard_normal((1, 2, size, size)), rng.standard_normal((2, 2, 2, 2))
        b = rng.standard_normal(2)
        g = rng.standard_normal(conv2d_loop(x, w, b, 1, 1).shape)
        for got, want in zip(_conv_grads(x, w, b, g, (1, 1)), _loop_grads(x, w, b, g, (1, 1))):
            np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10)
        assert cache.kept_bytes() <= 3000
        assert cache.kept_bytes() == sum(a.nbytes for a in cache._store.entries.values())
    assert cache.kept_bytes() > 0
    cache.clear()
