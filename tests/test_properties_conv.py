"""Hypothesis on the conv family: random geometries (groups, dilation, strides,
asymmetric padding, padding modes, ceil_mode, resampling sizes) against the
direct-loop oracles of tests/conv_oracles.py, and gradients against numeric ones."""
import numpy as np
from hypothesis import assume, given, strategies as st

import autograd as ag
import nn.functional as F
from autograd import Tensor
from conv_oracles import (avg_pool2d_ref, conv2d_ref, conv_transpose2d_ref, interpolate_ref,
                          max_pool2d_ref, pad_ref)

ints = st.integers


@st.composite
def conv_cases(draw):
    groups = draw(ints(1, 2))
    c, o = groups * draw(ints(1, 2)), groups * draw(ints(1, 2))
    kh, kw = draw(ints(1, 3)), draw(ints(1, 3))
    stride, dilation = (draw(ints(1, 2)), draw(ints(1, 2))), (draw(ints(1, 2)), draw(ints(1, 2)))
    padding = ((draw(ints(0, 2)), draw(ints(0, 2))), (draw(ints(0, 2)), draw(ints(0, 2))))
    h, w = draw(ints(1, 6)), draw(ints(1, 6))
    assume(h + sum(padding[0]) >= dilation[0] * (kh - 1) + 1)
    assume(w + sum(padding[1]) >= dilation[1] * (kw - 1) + 1)
    return ((draw(ints(1, 2)), c, h, w), (o, c // groups, kh, kw), dict(
        stride=stride, padding=padding, dilation=dilation, groups=groups),
        draw(ints(0, 2 ** 31)))


@given(conv_cases())
def test_conv2d_any_geometry_matches_the_loop_and_numeric_gradients(case):
    x_shape, w_shape, kw, seed = case
    rng = np.random.default_rng(seed)
    x, w, b = rng.standard_normal(x_shape), rng.standard_normal(w_shape), \
        rng.standard_normal(w_shape[0])
    got = F.conv2d(Tensor(x), Tensor(w), Tensor(b), **kw)
    np.testing.assert_allclose(got.data, conv2d_ref(x, w, b, **kw), rtol=1e-10, atol=1e-12)
    ts = [Tensor(a, requires_grad=True) for a in (x, w, b)]
    assert ag.gradcheck(lambda *t: F.conv2d(*t, **kw), ts)


@given(conv_cases(), st.sampled_from(["reflect", "replicate", "circular"]))
def test_padding_modes_equal_padding_first(case, mode):
    x_shape, w_shape, kw, seed = case
    (pt, pb), (pl, pr) = kw["padding"]
    assume(mode != "reflect" or max(pt, pb) < x_shape[2] and max(pl, pr) < x_shape[3])
    assume(mode != "circular" or max(pt, pb) <= x_shape[2] and max(pl, pr) <= x_shape[3])
    rng = np.random.default_rng(seed)
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    got = F.conv2d(Tensor(x), Tensor(w), padding_mode=mode, **kw)
    np.testing.assert_allclose(got.data, conv2d_ref(x, w, padding_mode=mode, **kw),
                               rtol=1e-10, atol=1e-12)


@given(conv_cases(), ints(0, 1), ints(0, 1))
def test_conv_transpose2d_matches_the_scatter_loop(case, eh, ew):
    x_shape, w_shape, kw, seed = case
    (ph, _), (pw, _) = kw["padding"]
    extra = (eh if eh < max(kw["stride"][0], kw["dilation"][0]) else 0,
             ew if ew < max(kw["stride"][1], kw["dilation"][1]) else 0)
    sizes = [(n - 1) * s - 2 * p + d * (k - 1) + e + 1 for n, s, p, d, k, e in zip(
        x_shape[2:], kw["stride"], (ph, pw), kw["dilation"], w_shape[2:], extra)]
    assume(min(sizes) >= 1)
    rng = np.random.default_rng(seed)
    # the transposed weight: (in_channels, out_channels/groups, kh, kw)
    w = rng.standard_normal((x_shape[1], w_shape[0] // kw["groups"]) + w_shape[2:])
    x = rng.standard_normal(x_shape)
    args = dict(stride=kw["stride"], padding=(ph, pw), output_padding=extra,
                groups=kw["groups"], dilation=kw["dilation"])
    got = F.conv_transpose2d(Tensor(x), Tensor(w), **args)
    np.testing.assert_allclose(got.data, conv_transpose2d_ref(x, w, **args), rtol=1e-10,
                               atol=1e-12)


@st.composite
def pool_cases(draw):
    kernel = (draw(ints(1, 3)), draw(ints(1, 3)))
    padding = (draw(ints(0, kernel[0] // 2)), draw(ints(0, kernel[1] // 2)))
    kw = dict(kernel_size=kernel, stride=(draw(ints(1, 3)), draw(ints(1, 3))),
              padding=padding, ceil_mode=draw(st.booleans()))
    h, w = draw(ints(1, 7)), draw(ints(1, 7))
    return (draw(ints(1, 2)), draw(ints(1, 2)), h, w), kw, draw(ints(1, 2)), \
        draw(st.booleans()), draw(ints(0, 2 ** 31))


@given(pool_cases())
def test_pools_any_geometry_match_pytorchs_loops(case):
    shape, kw, dilation, count_pad, seed = case
    rng = np.random.default_rng(seed)
    x = (rng.permutation(int(np.prod(shape))) * 0.1).reshape(shape)  # no ties
    e = [dilation * (k - 1) + 1 for k in kw["kernel_size"]]
    if all(n + 2 * p >= k for n, p, k in zip(shape[2:], kw["padding"], e)):
        out, idx = F.max_pool2d(Tensor(x), dilation=dilation, return_indices=True, **kw)
        want, want_idx = max_pool2d_ref(x, dilation=dilation, return_indices=True, **kw)
        np.testing.assert_array_equal(out.data, want)
        np.testing.assert_array_equal(idx.data, want_idx)
    if all(n + 2 * p >= k for n, p, k in zip(shape[2:], kw["padding"], kw["kernel_size"])):
        got = F.avg_pool2d(Tensor(x), count_include_pad=count_pad, **kw)
        np.testing.assert_allclose(got.data, avg_pool2d_ref(x, count_include_pad=count_pad, **kw),
                                   rtol=1e-12, atol=1e-12)
        t = Tensor(x, requires_grad=True)
        assert ag.gradcheck(lambda a: F.avg_pool2d(a, count_include_pad=count_pad, **kw), [t])


@given(ints(1, 5), ints(1, 5), ints(1, 9), ints(1, 9),
       st.sampled_from(["nearest", "nearest-exact", "bilinear", "area"]),
       st.sampled_from([None, True, False]), ints(0, 2 ** 31))
def test_interpolate_to_any_size_matches_the_oracle(h, w, ho, wo, mode, corners, seed):
    x = np.random.default_rng(seed).standard_normal((1, 2, h, w))
    align = corners if mode == "bilinear" else None
    got = F.interpolate(Tensor(x), size=(ho, wo), mode=mode, align_corners=align)
    np.testing.assert_allclose(got.data, interpolate_ref(x, size=(ho, wo), mode=mode,
                                                         align_corners=align),
                               rtol=1e-10, atol=1e-12)


@given(st.sampled_from(["constant", "reflect", "replicate", "circular"]),
       st.lists(ints(0, 3), min_size=2, max_size=4), ints(2, 4), ints(2, 4), ints(0, 2 ** 31))
def test_pad_modes_match_numpy(mode, widths, h, w, seed):
    widths = widths[:len(widths) // 2 * 2]
    limit = {"reflect": lambda n: n - 1, "circular": lambda n: n}.get(mode, lambda n: 9)
    assume(all(p <= limit(n) for p, n in zip(widths, (w, w, h, h))))
    x = np.random.default_rng(seed).standard_normal((1, 2, h, w))
    t = Tensor(x, requires_grad=True)
    np.testing.assert_array_equal(F.pad(t, tuple(widths), mode=mode).data,
                                  pad_ref(x, tuple(widths), mode=mode))
    assert ag.gradcheck(lambda a: F.pad(a, tuple(widths), mode=mode), [t])
