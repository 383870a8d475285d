"""The layers of convolution, pooling, resampling, padding and fold/unfold: shapes,
parameter names and state dicts as PyTorch's, reprs, errors that name the layer and
the shapes, second derivatives, and (where PyTorch is installed) the same numbers as
torch.nn with the same weights, forward and backward."""
import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from autograd import Tensor
from conv_oracles import conv2d_ref, conv_transpose2d_ref, interpolate_ref


def _torch_pair(ours, torch_layer):
    """Copy our layer's parameters into the PyTorch layer (float64 both)."""
    import torch
    ours.double()
    torch_layer.double()
    torch_layer.load_state_dict({k: torch.tensor(np.asarray(v))
                                 for k, v in ours.state_dict().items()})
    return ours, torch_layer


# -- shapes, parameters, reprs ------------------------------------------------------------
@pytest.mark.parametrize("layer,names_shapes,x_shape,out_shape", [
    (nn.Conv1d(4, 6, 3, stride=2, padding=1, groups=2),
     [("weight", (6, 2, 3)), ("bias", (6,))], (2, 4, 9), (2, 6, 5)),
    (nn.Conv2d(4, 8, (3, 2), dilation=2, groups=4, bias=False),
     [("weight", (8, 1, 3, 2))], (1, 4, 7, 6), (1, 8, 3, 4)),
    (nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2),
     [("weight", (4, 3, 3, 3)), ("bias", (6,))], (2, 4, 5, 5), (2, 6, 10, 10)),
    (nn.ConvTranspose1d(3, 2, 4, stride=2), [("weight", (3, 2, 4)), ("bias", (2,))],
     (1, 3, 5), (1, 2, 12)),
])
def test_conv_layers_have_pytorch_parameters_and_shapes(layer, names_shapes, x_shape,
                                                         out_shape):
    assert [(k, p.shape) for k, p in layer.named_parameters()] == names_shapes
    assert list(layer.state_dict()) == [k for k, _ in names_shapes]
    out = layer(np.zeros(x_shape, np.float32))
    assert out.shape == out_shape and out.dtype == np.float32


def test_conv_init_bounds_follow_fan_in_per_group():
    """U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = in_channels/groups * kernel size."""
    for layer, fan_in in ((nn.Conv2d(8, 8, 3, groups=4, rng=0), 2 * 9),
                          (nn.ConvTranspose2d(4, 6, 3, groups=2, rng=0), 3 * 9),
                          (nn.Conv1d(3, 64, 5, rng=0), 15)):
        for p in layer.parameters():
            assert np.abs(p.data).max() <= 1 / np.sqrt(fan_in)
            assert np.abs(p.data).max() > 0.7 / np.sqrt(fan_in)


@pytest.mark.parametrize("layer,text", [
    (nn.Conv2d(4, 8, 3, padding=1, dilation=2, groups=2, padding_mode="reflect"),
     "Conv2d(4, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), dilation=(2, 2), "
     "groups=2, padding_mode=reflect)"),
    (nn.Conv1d(2, 4, 3), "Conv1d(2, 4, kernel_size=(3,), stride=(1,))"),
    (nn.ConvTranspose2d(4, 8, 3, stride=2, output_padding=1),
     "ConvTranspose2d(4, 8, kernel_size=(3, 3), stride=(2, 2), output_padding=(1, 1))"),
    (nn.MaxPool1d(3), "MaxPool1d(kernel_size=3, stride=3, padding=0, dilation=1, "
                      "ceil_mode=False)"),
    (nn.MaxPool2d(3, 2, 1, ceil_mode=True), "MaxPool2d(kernel_size=3, stride=2, padding=1, "
                                            "dilation=1, ceil_mode=True)"),
    (nn.AvgPool1d(3), "AvgPool1d(kernel_size=(3,), stride=(3,), padding=(0,))"),
    (nn.AdaptiveAvgPool2d((5, None)), "AdaptiveAvgPool2d(output_size=(5, None))"),
    (nn.AdaptiveMaxPool1d(3), "AdaptiveMaxPool1d(output_size=3)"),
    (nn.Upsample(scale_factor=2), "Upsample(scale_factor=2.0, mode='nearest')"),
    (nn.Upsample(size=(3, 4), mode="bilinear", align_corners=True),
     "Upsample(size=(3, 4), mode='bilinear')"),
    (nn.Unfold(3), "Unfold(kernel_size=3, dilation=1, padding=0, stride=1)"),
    (nn.Fold((4, 5), 2), "Fold(output_size=(4, 5), kernel_size=2, dilation=1, padding=0, "
                         "stride=1)"),
    (nn.ReflectionPad2d(2), "ReflectionPad2d((2, 2, 2, 2))"),
    (nn.ConstantPad1d(2, 3.5), "ConstantPad1d(padding=(2, 2), value=3.5)"),
])
def test_reprs_are_pytorchs(layer, text):
    assert repr(layer) == text


def test_pool_and_resampling_layers_have_no_parameters():
    for layer in (nn.MaxPool1d(2), nn.AvgPool1d(2), nn.AdaptiveAvgPool2d(1),
                  nn.AdaptiveMaxPool2d(2), nn.Upsample(scale_factor=2), nn.Unfold(2),
                  nn.Fold((3, 3), 2), nn.ZeroPad2d(1), nn.CircularPad1d(1)):
        assert list(layer.parameters()) == [] and layer.state_dict() == {}


def test_return_indices_layers_give_values_and_indices():
    x = np.arange(25.0).reshape(1, 1, 5, 5)
    out, idx = nn.MaxPool2d(2, return_indices=True)(x)
    assert out.data[0, 0].tolist() == [[6, 8], [16, 18]] and idx.data.dtype == np.int64
    np.testing.assert_array_equal(x.reshape(-1)[idx.data[0, 0]], out.data[0, 0])
    out, idx = nn.AdaptiveMaxPool2d(2, return_indices=True)(x)
    np.testing.assert_array_equal(x.reshape(-1)[idx.data[0, 0]], out.data[0, 0])


def test_conv_transpose_output_size_picks_the_output_padding():
    up = nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1)
    x = np.zeros((1, 2, 4, 4), np.float32)
    assert up(x).shape == (1, 3, 7, 7)
    assert up(x, output_size=(8, 8)).shape == (1, 3, 8, 8)
    assert up(x, output_size=(1, 3, 7, 8)).shape == (1, 3, 7, 8)
    with pytest.raises(ValueError, match=r"ConvTranspose2d\(2, 3.*output_size \(9, 9\).*\[7, 8\]"):
        up(x, output_size=(9, 9))


# -- the composed oracles, on the layers ------------------------------------------------------
def test_padding_modes_equal_padding_first():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 2, 5, 6))
    for mode, np_mode in (("reflect", "reflect"), ("replicate", "edge"), ("circular", "wrap")):
        conv = nn.Conv2d(2, 3, 3, padding=(2, 1), padding_mode=mode, rng=1).double()
        want = conv2d_ref(np.pad(x, ((0, 0), (0, 0), (2, 2), (1, 1)), mode=np_mode),
                          conv.weight.data, conv.bias.data)
        np.testing.assert_allclose(conv(x).data, want, rtol=1e-12, atol=1e-12)


def test_grouped_conv_is_the_groups_side_by_side():
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((2, 6, 5, 5)), rng.standard_normal((4, 3, 3, 3))
    whole = F.conv2d(Tensor(x), Tensor(w), groups=2, dilation=(1, 2), stride=(2, 1)).data
    parts = [F.conv2d(Tensor(x[:, 3 * g:3 * g + 3]), Tensor(w[2 * g:2 * g + 2]),
                      dilation=(1, 2), stride=(2, 1)).data for g in range(2)]
    np.testing.assert_allclose(whole, np.concatenate(parts, axis=1), rtol=1e-12, atol=1e-12)


def test_conv_transpose_is_the_adjoint_of_conv():
    """<conv(x), y> = <x, conv_transpose(y)> for the same weight, stride, padding, groups."""
    rng = np.random.default_rng(2)
    x, w = rng.standard_normal((2, 4, 7, 6)), rng.standard_normal((6, 2, 3, 2))
    kw = dict(stride=2, padding=1, groups=2, dilation=(2, 1))
    y = F.conv2d(Tensor(x), Tensor(w), **kw).data
    g = rng.standard_normal(y.shape)
    back = F.conv_transpose2d(Tensor(g), Tensor(w), **kw).data
    assert back.shape == x.shape
    np.testing.assert_allclose(np.sum(y * g), np.sum(x * back), rtol=1e-12)
    np.testing.assert_allclose(back, conv_transpose2d_ref(g, w, **kw),
                               rtol=1e-12, atol=1e-12)


def test_upsample_layers_match_interpolate_oracle():
    x = np.random.default_rng(3).standard_normal((1, 2, 3, 4))
    np.testing.assert_allclose(nn.UpsamplingBilinear2d(scale_factor=2)(x).data,
                               interpolate_ref(x, scale_factor=2.0, mode="bilinear",
                                               align_corners=True), rtol=1e-12)
    np.testing.assert_array_equal(nn.UpsamplingNearest2d(size=(5, 7))(x).data,
                                  interpolate_ref(x, size=(5, 7)))


def test_fold_of_unfold_counts_the_blocks_over_each_pixel():
    x = Tensor(np.ones((1, 2, 5, 6)))
    kw = dict(kernel_size=(2, 3), padding=1, stride=(1, 2))
    back = nn.Fold((5, 6), **kw)(nn.Unfold(**kw)(x))
    counts = F.fold(F.unfold(Tensor(np.ones((1, 1, 5, 6))), **kw), (5, 6), **kw)
    np.testing.assert_array_equal(back.data, np.broadcast_to(counts.data, back.shape))


# -- second derivatives --------------------------------------------------------------------
@pytest.mark.parametrize("fn", [
    lambda x, w: F.conv2d(x, w, stride=2, padding=1, groups=2) ** 2,
    lambda x, w: F.conv2d(x, w, padding="same", dilation=2, groups=2).tanh(),
    lambda x, w: F.conv_transpose2d(x, w, stride=2, groups=2) ** 2,
])
def test_gradgradcheck_grouped_and_dilated_convolutions(fn):
    rng = np.random.default_rng(4)
    x = Tensor(rng.standard_normal((1, 4, 4, 4)), requires_grad=True)
    w = Tensor(rng.standard_normal((4, 2, 2, 2)), requires_grad=True)
    assert ag.gradgradcheck(fn, [x, w])


def test_second_derivatives_match_pytorch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    arrays = [rng.standard_normal(s) for s in ((2, 4, 5, 5), (6, 2, 3, 3), (6,))]
    ours = [Tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]

    def run(lib, F_, xs):
        y = F_.conv2d(*xs, stride=1, padding=1, groups=2)
        y = F_.max_pool2d(y.tanh(), 2, ceil_mode=True) + F_.avg_pool2d(y, 3, 2, 1)
        g = lib.grad((y ** 2).sum(), xs[:2], create_graph=True)
        return lib.grad(sum((gi ** 2).sum() for gi in g), xs)

    got = run(ag, F, ours)
    want = run(torch.autograd, torch.nn.functional, theirs)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a.data, b.detach().numpy(), rtol=1e-9, atol=1e-9)


# -- against torch.nn, the same weights ----------------------------------------------------
@pytest.mark.parametrize("make,x_shape", [
    (lambda m: m.Conv1d(4, 6, 3, stride=2, padding=1, dilation=2, groups=2), (2, 4, 11)),
    (lambda m: m.Conv2d(4, 6, 3, padding="same", padding_mode="circular", groups=2),
     (2, 4, 5, 6)),
    (lambda m: m.Conv2d(2, 3, (2, 3), stride=(2, 1), padding=(1, 2), padding_mode="reflect"),
     (1, 2, 5, 6)),
    (lambda m: m.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1, groups=2,
                                 dilation=1), (2, 4, 3, 4)),
    (lambda m: m.ConvTranspose1d(2, 3, 3, stride=3, padding=1), (2, 2, 5)),
    (lambda m: m.MaxPool2d(3, 2, 1, dilation=(1, 2), ceil_mode=True), (2, 3, 7, 8)),
    (lambda m: m.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False), (2, 3, 6, 7)),
    (lambda m: m.AvgPool1d(4, 3, 2, ceil_mode=True), (2, 3, 9)),
    (lambda m: m.MaxPool1d(3, 2, 1), (2, 3, 9)),
    (lambda m: m.AdaptiveAvgPool2d((3, None)), (2, 3, 7, 5)),
    (lambda m: m.AdaptiveMaxPool2d((2, 3)), (2, 3, 7, 5)),
    (lambda m: m.AdaptiveAvgPool1d(4), (2, 3, 9)),
    (lambda m: m.Upsample(scale_factor=(2, 1.5), mode="bilinear"), (1, 2, 3, 4)),
    (lambda m: m.Upsample(size=(5, 3), mode="nearest-exact"), (1, 2, 3, 4)),
    (lambda m: m.Unfold((2, 3), dilation=(1, 2), padding=1, stride=2), (2, 2, 5, 6)),
    (lambda m: m.ReflectionPad2d((1, 2, 3, 0)), (1, 2, 4, 4)),
    (lambda m: m.ReplicationPad1d((3, 1)), (2, 2, 3)),
    (lambda m: m.CircularPad2d(1), (1, 1, 3, 3)),
])
def test_layers_match_torch_nn(make, x_shape):
    torch = pytest.importorskip("torch")
    ours, theirs = _torch_pair(make(nn), make(torch.nn))
    rng = np.random.default_rng(6)
    x = rng.standard_normal(x_shape) + np.arange(np.prod(x_shape)).reshape(x_shape) * 1e-3
    xo, xt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    yo, yt = ours(xo), theirs(xt)
    np.testing.assert_allclose(yo.data, yt.detach().numpy(), rtol=1e-10, atol=1e-12)
    g = rng.standard_normal(yo.shape)
    yo.backward(g)
    yt.backward(torch.tensor(g))
    np.testing.assert_allclose(xo.grad.data, xt.grad.numpy(), rtol=1e-10, atol=1e-12)
    for (name, p), q in zip(ours.named_parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad.data, q.grad.numpy(), rtol=1e-10, atol=1e-12,
                                   err_msg=name)


# -- errors: named layer or op, the shapes or values --------------------------------------
@pytest.mark.parametrize("call,words", [
    (lambda: F.conv2d(np.zeros((1, 4, 5, 5)), np.zeros((4, 3, 3, 3)), groups=2),
     ["conv2d", "4 channels", "(4, 3, 3, 3)", "6", "2 groups"]),
    (lambda: F.conv2d(np.zeros((1, 4, 5, 5)), np.zeros((3, 2, 3, 3)), groups=2),
     ["conv2d", "out_channels (3)", "divisible by groups (2)"]),
    (lambda: F.conv2d(np.zeros((1, 1, 5, 5)), np.zeros((1, 1, 3, 3)), dilation=3),
     ["conv2d", "kernel (3, 3) with dilation (3, 3)", "larger", "(1, 1, 5, 5)"]),
    (lambda: F.conv2d(np.zeros((1, 1, 5, 5)), np.zeros((1, 1, 3, 3)), padding=1,
                      padding_mode="mirror"), ["conv2d", "padding_mode", "'mirror'"]),
    (lambda: F.conv2d(np.zeros((1, 1, 2, 5)), np.zeros((1, 1, 3, 3)), padding=2,
                      padding_mode="reflect"), ["pad", "reflect", "(2, 2)", "size 2"]),
    (lambda: F.conv1d(np.zeros((1, 2, 5, 5)), np.zeros((1, 2, 3))),
     ["conv1d", "3-D", "(N, C, L)", "(1, 2, 5, 5)"]),
    (lambda: nn.Conv1d(2, 4, 3)(np.zeros((1, 3, 8))),
     ["Conv1d(2, 4", "3 channels", "(1, 3, 8)", "(4, 2, 3)"]),
    (lambda: F.conv1d(np.zeros((1, 1, 4)), np.zeros((1, 1, 3)), dilation=2),
     ["conv1d", "kernel 3 with dilation 2", "longer", "(1, 1, 4)"]),
    (lambda: F.conv_transpose1d(np.zeros((1, 3, 4)), np.zeros((2, 1, 3))),
     ["conv_transpose1d", "3 channels", "(1, 3, 4)", "(2, 1, 3)"]),
    (lambda: nn.Conv2d(4, 6, 3, groups=4), ["Conv2d", "out_channels (6)", "groups (4)"]),
    (lambda: nn.Conv2d(2, 2, 3, padding_mode="edge"), ["Conv2d", "padding_mode", "'edge'"]),
    (lambda: nn.ConvTranspose2d(2, 2, 3, padding_mode="reflect"),
     ["ConvTranspose2d", "padding_mode='zeros'"]),
    (lambda: F.conv_transpose2d(np.zeros((1, 2, 3, 3)), np.zeros((2, 2, 3, 3)),
                                output_padding=1), ["conv_transpose2d", "output_padding (1, 1)",
                                                    "stride (1, 1)"]),
    (lambda: F.conv_transpose2d(np.zeros((1, 3, 3, 3)), np.zeros((2, 2, 3, 3))),
     ["conv_transpose2d", "3 channels", "(2, 2, 3, 3)"]),
    (lambda: nn.ConvTranspose2d(3, 2, 2)(np.zeros((1, 2, 4, 4))),
     ["ConvTranspose2d(3, 2", "2 channels", "(3, 2, 2, 2)"]),
    (lambda: F.max_pool2d(np.zeros((1, 1, 4, 4)), 2, dilation=0),
     ["max_pool2d", "dilation", "0"]),
    (lambda: F.max_pool1d(np.zeros((1, 4)), 2), ["max_pool1d", "3-D", "(1, 4)"]),
    (lambda: nn.MaxPool1d(4)(np.zeros((1, 1, 3))),
     ["MaxPool1d(kernel_size=4", "kernel 4", "larger", "(1, 1, 3)"]),
    (lambda: nn.AvgPool2d(3, padding=2), ["AvgPool2d", "padding (2, 2)", "half"]),
    (lambda: F.avg_pool2d(np.zeros((1, 1, 4, 4)), 2, divisor_override=0),
     ["avg_pool2d", "divisor_override", "0"]),
    (lambda: F.adaptive_avg_pool2d(np.zeros((4, 4)), 2),
     ["adaptive_avg_pool2d", "4-D or 3-D", "(4, 4)"]),
    (lambda: nn.AdaptiveMaxPool2d((2, 0)), ["AdaptiveMaxPool2d", "output_size", "(2, 0)"]),
    (lambda: nn.AdaptiveAvgPool1d(2)(np.zeros((1, 1, 1, 4))),
     ["AdaptiveAvgPool1d(output_size=2)", "(1, 1, 1, 4)"]),
    (lambda: F.interpolate(np.zeros((1, 1, 4, 4)), size=2, scale_factor=2),
     ["interpolate", "exactly one", "size=2", "scale_factor=2"]),
    (lambda: F.interpolate(np.zeros((1, 1, 4, 4)), scale_factor=2, mode="linear"),
     ["interpolate", "'linear'", "3-D", "(1, 1, 4, 4)"]),
    (lambda: F.interpolate(np.zeros((1, 1, 4, 4)), scale_factor=2, align_corners=True),
     ["interpolate", "align_corners", "'nearest'"]),
    (lambda: F.interpolate(np.zeros((1, 1, 4, 4)), scale_factor=2, mode="bicubic"),
     ["interpolate", "mode", "'bicubic'"]),
    (lambda: nn.Upsample(scale_factor=0.1)(np.zeros((1, 1, 4, 4))),
     ["Upsample(scale_factor=0.1", "empty", "(1, 1, 4, 4)"]),
    (lambda: F.pad(np.zeros((2, 3)), (1, 2, 3)), ["pad", "even", "(1, 2, 3)", "(2, 3)"]),
    (lambda: F.pad(np.zeros((2, 3)), (3, 0), mode="reflect"),
     ["pad", "reflect", "(3, 0)", "size 3", "(2, 3)"]),
    (lambda: F.pad(np.zeros((2, 3)), (4, 0), mode="circular"), ["pad", "circular", "(4, 0)"]),
    (lambda: F.pad(np.zeros((2, 3)), (1, 1), mode="reflect", value=2.0),
     ["pad", "'reflect'", "no value"]),
    (lambda: F.pad(np.zeros((2, 3)), (1, 1), mode="wrap"), ["pad", "mode", "'wrap'"]),
    (lambda: nn.ReflectionPad2d((1, 2, 3)), ["ReflectionPad2d", "4 ints", "(1, 2, 3)"]),
    (lambda: nn.ReflectionPad1d(5)(np.zeros((1, 1, 4))), ["ReflectionPad1d((5, 5))", "size 4"]),
    (lambda: F.unfold(np.zeros((1, 1, 2, 2)), 3), ["unfold", "kernel (3, 3)", "larger"]),
    (lambda: F.fold(np.zeros((1, 8, 5)), (4, 5), 2), ["fold", "12 blocks", "(1, 8, 5)", "5"]),
    (lambda: F.fold(np.zeros((1, 7, 12)), (4, 5), 2), ["fold", "divisible", "2*2"]),
    (lambda: nn.Fold((4, 5), 2)(np.zeros((1, 8, 5))), ["Fold(output_size=(4, 5)", "blocks"]),
])
def test_bad_arguments_raise_a_clear_value_error(call, words):
    with pytest.raises(ValueError) as err:
        call()
    for word in words:
        assert word in str(err.value), (word, str(err.value))


def test_max_pool_indices_of_windows_without_a_finite_max_are_pytorchs():
    """A window of -inf values or of padding only: PyTorch's index is its first tap
    inside the input (found by hypothesis)."""
    torch = pytest.importorskip("torch")
    cases = [(np.array([[[[0.5], [1.5]]]]), ((1, 2), (1, 1), (0, 1), 2)),
             (np.full((1, 1, 3, 4), -np.inf), (3, 2, 1, 1)),
             (np.array([[[[-np.inf, 1.0, -np.inf], [-np.inf, -np.inf, -np.inf]]]]),
              (2, 1, 1, (1, 2)))]
    for x, args in cases:
        ours = F.max_pool2d(x, *args, return_indices=True)
        theirs = torch.nn.functional.max_pool2d(torch.tensor(x), *args, return_indices=True)
        np.testing.assert_array_equal(ours[0].data, theirs[0].numpy())
        np.testing.assert_array_equal(ours[1].data, theirs[1].numpy())
