"""Convolution and pooling: against direct loops (the oracle), numeric gradients,
the notes' edge-detection example, the modules' PyTorch layout, errors, and
PyTorch itself when it is installed."""
import numpy as np
import pytest
from hypothesis import assume, given, strategies as st

import autograd as ag
import nn
import nn.functional as F
from autograd import Tensor

IMAGE = [[3, 0, 1, 2, 7, 4], [1, 5, 8, 9, 3, 1], [2, 7, 2, 5, 1, 3],
         [0, 1, 3, 1, 7, 8], [4, 2, 1, 6, 2, 8], [2, 4, 5, 2, 3, 9]]
VERTICAL_EDGE = [[1, 0, -1]] * 3
EDGES = [[-5, -4, 0, 8], [-10, -2, 2, 3], [0, -2, -4, -7], [-3, -2, -3, -16]]


# -- direct loop implementations: the oracles --------------------------------------
def _pairs(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def conv2d_loop(x, w, b=None, stride=1, padding=0):
    """One dot product per output pixel; ``padding`` an int, a pair or ((t, b), (l, r))."""
    sh, sw = _pairs(stride)
    pads = [(p, p) if isinstance(p, int) else p for p in _pairs(padding)]
    xp = np.pad(x, [(0, 0), (0, 0)] + pads)
    n, _, h, wd = xp.shape
    o, _, kh, kw = w.shape
    ho, wo = (h - kh) // sh + 1, (wd - kw) // sw + 1
    out = np.zeros((n, o, ho, wo), dtype=np.result_type(x, w))
    for i in range(n):
        for f in range(o):
            for r in range(ho):
                for c in range(wo):
                    patch = xp[i, :, r * sh:r * sh + kh, c * sw:c * sw + kw]
                    out[i, f, r, c] = np.sum(patch * w[f]) + (0 if b is None else b[f])
    return out


def pool2d_loop(x, kernel_size, stride=None, padding=0, mode="max"):
    kh, kw = _pairs(kernel_size)
    sh, sw = _pairs(kernel_size if stride is None else stride)
    ph, pw = _pairs(padding)
    fill = -np.inf if mode == "max" else 0
    xp = np.pad(x, [(0, 0), (0, 0), (ph, ph), (pw, pw)], constant_values=fill)
    n, ch, h, wd = xp.shape
    ho, wo = (h - kh) // sh + 1, (wd - kw) // sw + 1
    out = np.zeros((n, ch, ho, wo), dtype=x.dtype)
    for i in range(n):
        for c in range(ch):
            for r in range(ho):
                for q in range(wo):
                    win = xp[i, c, r * sh:r * sh + kh, q * sw:q * sw + kw]
                    out[i, c, r, q] = win.max() if mode == "max" else win.sum() / (kh * kw)
    return out


def max_pool2d_loop(x, kernel_size, stride=None, padding=0):
    return pool2d_loop(x, kernel_size, stride, padding, "max")


def avg_pool2d_loop(x, kernel_size, stride=None, padding=0):
    return pool2d_loop(x, kernel_size, stride, padding, "avg")


def distinct(rng, shape):
    """Values at least 0.1 apart, so a window's max never ties (nor nearly ties)."""
    size = int(np.prod(shape))
    return (rng.permutation(size) * 0.1 - 0.05 * size).reshape(shape)


# -- hypothesis: shapes, kernels, strides and paddings ------------------------------
@st.composite
def conv_cases(draw):
    n, c, o = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    h, w = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    assume(h + 2 * padding[0] >= kh and w + 2 * padding[1] >= kw)
    return (n, c, h, w), (o, c, kh, kw), stride, padding, draw(st.integers(0, 2 ** 31))


@st.composite
def pool_cases(draw):
    n, c = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    h, w = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    kernel = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    stride = draw(st.one_of(st.none(), st.tuples(st.integers(1, 4), st.integers(1, 4))))
    padding = (draw(st.integers(0, kernel[0] // 2)), draw(st.integers(0, kernel[1] // 2)))
    assume(h + 2 * padding[0] >= kernel[0] and w + 2 * padding[1] >= kernel[1])
    return (n, c, h, w), kernel, stride, padding, draw(st.integers(0, 2 ** 31))


@given(conv_cases())
def test_conv2d_matches_direct_loop(case):
    xs, ws, stride, padding, seed = case
    rng = np.random.default_rng(seed)
    x, w, b = rng.standard_normal(xs), rng.standard_normal(ws), rng.standard_normal(ws[0])
    got = F.conv2d(Tensor(x), Tensor(w), Tensor(b), stride=stride, padding=padding)
    np.testing.assert_allclose(got.data, conv2d_loop(x, w, b, stride, padding),
                               rtol=1e-10, atol=1e-12)
    got32 = F.conv2d(Tensor(x.astype(np.float32)), Tensor(w.astype(np.float32)),
                     stride=stride, padding=padding)
    assert got32.dtype == np.float32
    np.testing.assert_allclose(got32.data, conv2d_loop(x, w, None, stride, padding),
                               rtol=1e-4, atol=1e-4)


@given(pool_cases())
def test_pools_match_direct_loop(case):
    xs, kernel, stride, padding, seed = case
    x = np.random.default_rng(seed).standard_normal(xs)
    for fn, loop in ((F.max_pool2d, max_pool2d_loop), (F.avg_pool2d, avg_pool2d_loop)):
        got = fn(Tensor(x), kernel, stride, padding)
        np.testing.assert_allclose(got.data, loop(x, kernel, stride, padding),
                                   rtol=1e-12, atol=1e-12)


@given(conv_cases())
def test_conv2d_gradients_match_numeric(case):
    xs, ws, stride, padding, seed = case
    rng = np.random.default_rng(seed)
    x, w, b = (Tensor(rng.standard_normal(s), requires_grad=True) for s in (xs, ws, ws[:1]))
    assert ag.gradcheck(lambda x, w, b: F.conv2d(x, w, b, stride, padding), [x, w, b])


@given(pool_cases())
def test_pool_gradients_match_numeric(case):
    xs, kernel, stride, padding, seed = case
    x = Tensor(distinct(np.random.default_rng(seed), xs), requires_grad=True)
    assert ag.gradcheck(lambda x: F.max_pool2d(x, kernel, stride, padding), [x])
    assert ag.gradcheck(lambda x: F.avg_pool2d(x, kernel, stride, padding), [x])


@pytest.mark.parametrize("stride,padding", [(1, 0), (2, 1), ((1, 2), (2, 0)), (1, "same"),
                                            (3, "valid")])
def test_conv2d_gradcheck_only_some_inputs_need_grad(stride, padding):
    """ctx.needs_input_grad: each subset of (x, weight, bias) gets exactly its grads."""
    rng = np.random.default_rng(0)
    for needs in [(False, True, True), (True, False, False), (True, True, False)]:
        x, w, b = (Tensor(rng.standard_normal(s), requires_grad=r)
                   for s, r in zip(((2, 2, 5, 6), (3, 2, 2, 3), (3,)), needs))
        wanted = [t for t in (x, w, b) if t.requires_grad]
        F.conv2d(x, w, b, stride, padding).sum().backward()
        assert all((t.grad is not None) == t.requires_grad for t in (x, w, b))
        assert ag.gradcheck(lambda *ts: F.conv2d(*_swap((x, w, b), wanted, ts), stride,
                                                 padding), wanted)


def _swap(all_inputs, wanted, replacements):
    mapping = {id(t): r for t, r in zip(wanted, replacements)}
    return [mapping.get(id(t), t) for t in all_inputs]


# -- the notes' example, 'same' and 'valid' --------------------------------------------
def test_notes_vertical_edge_example():
    image = Tensor(np.array(IMAGE, dtype=np.float32).reshape(1, 1, 6, 6))
    edge = Tensor(np.array(VERTICAL_EDGE, dtype=np.float32).reshape(1, 1, 3, 3))
    out = F.conv2d(image, edge)
    assert out.shape == (1, 1, 4, 4) and out.dtype == np.float32
    np.testing.assert_array_equal(out.data[0, 0], EDGES)
    # the first entry, as the notes work it out
    assert out.data[0, 0, 0, 0] == 3 * 1 + 1 * 1 + 2 * 1 + 0 + 0 + 0 - 1 - 8 - 2


def test_notes_example_through_the_module():
    conv = nn.Conv2d(1, 1, 3, bias=False)
    with ag.no_grad():
        conv.weight.copy_(np.array(VERTICAL_EDGE, dtype=np.float32).reshape(1, 1, 3, 3))
    out = conv(np.array(IMAGE, dtype=np.float32).reshape(1, 1, 6, 6))
    np.testing.assert_array_equal(out.data[0, 0], EDGES)


@pytest.mark.parametrize("kernel", [1, 2, 3, 4, 5, (2, 3), (4, 1)])
def test_same_padding_keeps_size_and_matches_pytorch_split(kernel):
    """PyTorch pads an even kernel's extra pixel at the bottom/right."""
    rng = np.random.default_rng(1)
    kh, kw = _pairs(kernel)
    x, w = rng.standard_normal((2, 2, 6, 7)), rng.standard_normal((3, 2, kh, kw))
    out = F.conv2d(Tensor(x), Tensor(w), padding="same")
    assert out.shape == (2, 3, 6, 7)
    pads = (((kh - 1) // 2, kh // 2), ((kw - 1) // 2, kw // 2))
    np.testing.assert_allclose(out.data, conv2d_loop(x, w, None, 1, pads), rtol=1e-10)
    xt, wt = Tensor(x, requires_grad=True), Tensor(w, requires_grad=True)
    assert ag.gradcheck(lambda x, w: F.conv2d(x, w, padding="same"), [xt, wt])


def test_valid_padding_is_no_padding():
    rng = np.random.default_rng(2)
    x, w = Tensor(rng.standard_normal((1, 2, 5, 5))), Tensor(rng.standard_normal((1, 2, 3, 3)))
    np.testing.assert_array_equal(F.conv2d(x, w, padding="valid").data, F.conv2d(x, w).data)
    assert F.conv2d(x, w, padding="valid").shape == (1, 1, 3, 3)


def test_output_size_formula_from_the_notes():
    """floor((n + 2p - f) / s) + 1"""
    for n, f, p, s in [(7, 3, 0, 2), (8, 3, 1, 2), (6, 3, 0, 1), (9, 4, 2, 3)]:
        out = F.conv2d(Tensor(np.zeros((1, 1, n, n))), Tensor(np.zeros((1, 1, f, f))),
                       stride=s, padding=p)
        assert out.shape[2:] == ((n + 2 * p - f) // s + 1,) * 2


# -- pooling specifics ----------------------------------------------------------------
def test_max_pool_ties_send_the_gradient_to_the_first_max():
    x = Tensor(np.array([[[[1.0, 1.0, 0.0, 2.0], [1.0, 0.0, 2.0, 2.0]]]]), requires_grad=True)
    F.max_pool2d(x, 2).sum().backward()
    np.testing.assert_array_equal(x.grad.data[0, 0], [[1, 0, 0, 1], [0, 0, 0, 0]])


def test_overlapping_max_pool_accumulates_the_gradient():
    x = Tensor(np.array([[[[0.0, 5.0, 0.0, 1.0]]]]), requires_grad=True)
    y = F.max_pool2d(x, (1, 2), stride=1)  # the 5 is the max of two windows
    np.testing.assert_array_equal(y.data[0, 0], [[5, 5, 1]])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data[0, 0], [[0, 2, 0, 1]])


def test_max_pool_padding_is_never_the_max():
    x = Tensor(-np.ones((1, 1, 2, 2)), requires_grad=True)
    y = F.max_pool2d(x, 3, stride=1, padding=1)
    np.testing.assert_array_equal(y.data, -np.ones((1, 1, 2, 2)))


def test_avg_pool_counts_padding_zeros_as_pytorch_default():
    x = Tensor(np.ones((1, 1, 2, 2)))
    np.testing.assert_allclose(F.avg_pool2d(x, 2, stride=1, padding=1).data[0, 0],
                               [[0.25, 0.5, 0.25], [0.5, 1.0, 0.5], [0.25, 0.5, 0.25]])


@pytest.mark.parametrize("shape,kernel,stride", [((2, 3, 8, 8), 2, None),
                                                  ((1, 2, 7, 9), 2, None),
                                                  ((1, 1, 9, 9), 3, 3),
                                                  ((1, 2, 7, 7), 2, 3)])
def test_non_overlapping_fast_path_gradients(shape, kernel, stride):
    """stride >= kernel: uncovered rows/cols (7 = 3*2 + 1) get a zero gradient."""
    rng = np.random.default_rng(3)
    x = Tensor(distinct(rng, shape), requires_grad=True)
    for fn, loop in ((F.max_pool2d, max_pool2d_loop), (F.avg_pool2d, avg_pool2d_loop)):
        np.testing.assert_allclose(fn(x, kernel, stride).data, loop(x.data, kernel, stride))
        assert ag.gradcheck(lambda x: fn(x, kernel, stride), [x])


def test_float32_stays_float32_and_gradients_too():
    rng = np.random.default_rng(4)
    x = Tensor(rng.standard_normal((2, 3, 6, 6)).astype(np.float32), requires_grad=True)
    conv = nn.Conv2d(3, 4, 3, padding=1)
    y = F.avg_pool2d(F.max_pool2d(conv(x).relu(), 2, stride=1), 2)
    assert y.dtype == np.float32
    y.sum().backward()
    assert x.grad.dtype == conv.weight.grad.dtype == conv.bias.grad.dtype == np.float32


def test_integer_images_pool():
    x = Tensor(np.arange(16).reshape(1, 1, 4, 4))
    assert F.max_pool2d(x, 2).data.tolist() == [[[[5, 7], [13, 15]]]]
    assert F.avg_pool2d(x, 2).data.dtype == np.float64


# -- modules -----------------------------------------------------------------------
def test_conv2d_module_parameters_and_init_match_pytorch_layout():
    conv = nn.Conv2d(3, 16, (3, 5), stride=2, padding=(1, 2), rng=0)
    assert [(k, p.shape) for k, p in conv.named_parameters()] == \
        [("weight", (16, 3, 3, 5)), ("bias", (16,))]
    bound = 1 / np.sqrt(3 * 3 * 5)
    for p in conv.parameters():
        assert p.dtype == np.float32 and np.abs(p.data).max() <= bound
        assert np.abs(p.data).max() > 0.8 * bound  # spread over the whole range
    assert repr(conv) == "Conv2d(3, 16, kernel_size=(3, 5), stride=(2, 2), padding=(1, 2))"
    assert repr(nn.Conv2d(1, 2, 3, padding="same", bias=False)) == \
        "Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1), padding=same, bias=False)"
    assert list(nn.Conv2d(1, 2, 3, bias=False).state_dict()) == ["weight"]
    assert conv(np.zeros((2, 3, 9, 9), np.float32)).shape == (2, 16, 5, 5)


def test_conv2d_module_is_seedable():
    a, b = nn.Conv2d(2, 3, 3, rng=7), nn.Conv2d(2, 3, 3, rng=7)
    np.testing.assert_array_equal(a.weight.data, b.weight.data)


def test_pool_modules_have_no_parameters_and_read_well():
    for cls, extra in ((nn.MaxPool2d, ", dilation=1, ceil_mode=False"), (nn.AvgPool2d, "")):
        pool = cls(2)
        assert list(pool.parameters()) == [] and pool.stride == 2
        assert repr(pool) == f"{cls.__name__}(kernel_size=2, stride=2, padding=0{extra})"
    assert nn.MaxPool2d(3, 1, 1)(np.zeros((1, 1, 4, 4))).shape == (1, 1, 4, 4)


def test_small_cnn_gradcheck_float64():
    rng = np.random.default_rng(5)
    model = nn.Sequential(nn.Conv2d(2, 3, 3, padding=1, rng=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(3, 2, 2, stride=1, rng=2), nn.AvgPool2d(2, 1),
                          nn.Flatten(), nn.Linear(2, 3, rng=3)).double()
    x = Tensor(distinct(rng, (2, 2, 6, 6)) * 0.1, requires_grad=True)
    y = np.array([0, 2])
    assert ag.gradcheck(lambda *ps: F.cross_entropy(model(x), y),
                        [x] + list(model.parameters()))


# -- errors ---------------------------------------------------------------------------
@pytest.mark.parametrize("call,words", [
    (lambda: F.conv2d(Tensor(np.zeros((3, 6, 6))), Tensor(np.zeros((1, 3, 3, 3)))),
     ["conv2d", "4-D", "(3, 6, 6)"]),
    (lambda: F.conv2d(Tensor(np.zeros((1, 2, 6, 6))), Tensor(np.zeros((1, 3, 3, 3)))),
     ["conv2d", "2 channels", "(1, 3, 3, 3)"]),
    (lambda: F.conv2d(Tensor(np.zeros((1, 3, 2, 6))), Tensor(np.zeros((1, 3, 3, 3)))),
     ["conv2d", "kernel (3, 3)", "larger", "(1, 3, 2, 6)"]),
    (lambda: F.conv2d(Tensor(np.zeros((1, 3, 6, 6))), Tensor(np.zeros((2, 3, 3, 3))),
                      Tensor(np.zeros(3))), ["conv2d", "bias", "(2,)", "(3,)"]),
    (lambda: F.conv2d(Tensor(np.zeros((1, 1, 6, 6))), Tensor(np.zeros((1, 1, 3, 3))),
                      stride=0), ["conv2d", "stride", "0"]),
    (lambda: F.conv2d(Tensor(np.zeros((1, 1, 6, 6))), Tensor(np.zeros((1, 1, 3, 3))),
                      padding=-1), ["conv2d", "padding", "-1"]),
    (lambda: F.conv2d(Tensor(np.zeros((1, 1, 6, 6))), Tensor(np.zeros((1, 1, 3, 3))),
                      padding="full"), ["conv2d", "padding", "'full'"]),
    (lambda: F.conv2d(Tensor(np.zeros((1, 1, 6, 6))), Tensor(np.zeros((1, 1, 3, 3))),
                      stride=2, padding="same"), ["conv2d", "'same'", "stride"]),
    (lambda: nn.Conv2d(3, 8, 3, stride=2, padding="same"), ["Conv2d", "'same'", "stride"]),
    (lambda: nn.Conv2d(3, 0, 3), ["Conv2d", "out_channels", "0"]),
    (lambda: nn.Conv2d(3, 8, 3)(np.zeros((2, 4, 8, 8), np.float32)),
     ["Conv2d(3, 8", "4 channels", "(2, 4, 8, 8)", "(8, 3, 3, 3)"]),
    (lambda: nn.Conv2d(3, 8, 3)(np.zeros((4, 8, 8), np.float32)),
     ["Conv2d(3, 8", "4-D", "(4, 8, 8)"]),
    (lambda: F.max_pool2d(Tensor(np.zeros((1, 1, 4))), 2), ["max_pool2d", "4-D", "(1, 1, 4)"]),
    (lambda: F.max_pool2d(Tensor(np.zeros((1, 1, 2, 2))), 3), ["max_pool2d", "larger"]),
    (lambda: F.avg_pool2d(Tensor(np.zeros((1, 1, 4, 4))), 2, padding=2),
     ["avg_pool2d", "padding (2, 2)", "half"]),
    (lambda: F.avg_pool2d(Tensor(np.zeros((1, 1, 4, 4))), 2, stride=(1, 0)),
     ["avg_pool2d", "stride", "(1, 0)"]),
    (lambda: nn.MaxPool2d(0), ["MaxPool2d", "kernel_size", "0"]),
    (lambda: nn.AvgPool2d(3)(np.zeros((1, 1, 2, 8))), ["AvgPool2d(kernel_size=3", "larger"]),
])
def test_bad_input_raises_a_clear_value_error(call, words):
    with pytest.raises(ValueError) as err:
        call()
    for word in words:
        assert word in str(err.value), (word, str(err.value))


@pytest.mark.parametrize("stride,padding", [(1, 1), (2, 0)])
def test_second_derivatives_through_conv_and_pools(stride, padding):
    """create_graph=True records the backward (unfold, fold, matmuls): second
    derivatives on both the flat-grid path (stride 1) and the strided one."""
    rng = np.random.default_rng(12)
    x = Tensor(distinct(rng, (1, 2, 4, 4)), requires_grad=True)
    w = Tensor(rng.standard_normal((2, 2, 2, 2)), requires_grad=True)
    assert ag.gradgradcheck(lambda x, w: F.conv2d(x, w, stride=stride, padding=padding) ** 2,
                            [x, w])
    for pool in (F.max_pool2d, F.avg_pool2d):
        assert ag.gradgradcheck(lambda x: pool(x, 2, stride, padding) ** 2, [x])


def test_inplace_change_of_a_saved_weight_is_detected():
    x = Tensor(np.ones((1, 1, 3, 3)), requires_grad=True)
    w = Tensor(np.ones((1, 1, 1, 1)), requires_grad=True)
    out = F.conv2d(x, w)
    with ag.no_grad():
        w.mul_(2.0)
    with pytest.raises(RuntimeError, match="in-place"):
        out.sum().backward()


def test_one_by_one_kernel_keeps_its_own_copy_of_the_input():
    x = Tensor(np.ones((1, 2, 3, 3)), requires_grad=True)
    w = Tensor(np.ones((1, 2, 1, 1)), requires_grad=True)
    out = F.conv2d(x, w)
    x.data[...] = 5.0  # behind autograd's back: the saved columns must not see it
    out.sum().backward()
    np.testing.assert_array_equal(w.grad.data, np.full((1, 2, 1, 1), 9.0))
