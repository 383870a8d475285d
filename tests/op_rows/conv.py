"""Rows for convolution, pooling, resampling, padding and fold/unfold (nn.functional,
nn/conv_ops.py, pool_ops.py, resample.py, pad_ops.py, fold_ops.py). References are the
direct loops of tests/conv_oracles.py; PyTorch's forms are torch.nn.functional's."""
import nn.functional as F
from conv_oracles import (adaptive_pool1d_ref, adaptive_pool2d_ref, avg_pool1d_ref,
                          avg_pool2d_ref, conv1d_ref, conv2d_ref, conv_transpose1d_ref,
                          conv_transpose2d_ref, fold_ref, interpolate_ref, max_pool1d_ref,
                          max_pool2d_ref, pad_ref, unfold_ref)
from op_info import DISTINCT, OpInfo, S


def small(rng, shape):
    """float32 sums of 18+ products stay within atol 1e-6."""
    return rng.uniform(-0.5, 0.5, shape)


def _tf(torch):
    return torch.nn.functional


def _torch_conv(torch, x, w, b=None, stride=1, padding=0, dilation=1, groups=1,
                padding_mode="zeros", ndim=2):
    """PyTorch's F.conv takes neither padding_mode nor (before, after) pairs: pad first."""
    nested = isinstance(padding, tuple) and isinstance(padding[0], tuple)
    if padding_mode != "zeros" or nested:
        k, d = w.shape[2:], (dilation,) * ndim if isinstance(dilation, int) else dilation
        if padding == "same":
            pads = [(dd * (kk - 1) // 2, dd * (kk - 1) - dd * (kk - 1) // 2)
                    for kk, dd in zip(k, d)]
        else:
            pads = padding if nested else [(p, p) for p in (
                (padding,) * ndim if isinstance(padding, int) else padding)]
        flat = tuple(p for lo_hi in reversed(pads) for p in lo_hi)
        mode = "constant" if padding_mode == "zeros" else padding_mode
        x, padding = _tf(torch).pad(x, flat, mode=mode), 0
    conv = _tf(torch).conv2d if ndim == 2 else _tf(torch).conv1d
    return conv(x, w, b, stride, padding, dilation, groups)


CONV2D = [S((1, 2, 5, 5), (3, 2, 3, 3), (3,)),
          S((2, 1, 4, 5), (2, 1, 2, 3), (2,), stride=2, padding=1),
          S((1, 2, 3, 4), (1, 2, 1, 1), (1,), stride=(1, 2), padding=(0, 1)),
          S((1, 4, 4, 4), (4, 2, 2, 2), (4,), groups=2),
          S((1, 2, 5, 5), (2, 2, 2, 2), (2,), dilation=2, padding=1),
          S((1, 2, 4, 3), (2, 2, 2, 2), (2,), padding=((0, 1), (2, 0))),
          S((1, 1, 4, 4), (2, 1, 3, 3), (2,), padding=1, padding_mode="reflect"),
          S((1, 2, 4, 5), (2, 2, 2, 3), (2,), padding="same", padding_mode="replicate"),
          S((1, 1, 3, 4), (1, 1, 3, 2), (1,), padding=(1, 2), padding_mode="circular"),
          S((1, 4, 5, 5), (4, 1, 3, 2), (4,), stride=2, dilation=(1, 2), groups=4)]
CONV1D = [S((2, 2, 7), (3, 2, 3), (3,)),
          S((1, 2, 8), (2, 2, 3), (2,), stride=2, padding=1),
          S((1, 4, 7), (2, 2, 2), (2,), dilation=2, groups=2, padding="same"),
          S((1, 1, 5), (2, 1, 3), (2,), padding=2, padding_mode="circular")]
CONV_T2D = [S((1, 2, 3, 3), (2, 3, 2, 2), (3,)),
            S((2, 2, 3, 2), (2, 1, 3, 3), (2,), stride=2, padding=1, output_padding=1,
              groups=2),
            S((1, 2, 2, 3), (2, 2, 2, 2), (2,), stride=(1, 2), dilation=2,
              output_padding=(1, 0))]
CONV_T1D = [S((2, 2, 4), (2, 3, 3), (3,), stride=2, padding=1, output_padding=1),
            S((1, 4, 3), (4, 1, 2), (2,), groups=2, dilation=2)]
MAX_POOL = [S((1, 2, 4, 4), kernel_size=2), S((2, 1, 5, 6), kernel_size=(2, 3), stride=1),
            S((1, 1, 5, 5), kernel_size=3, stride=2, padding=1),
            S((1, 1, 6, 7), kernel_size=2, stride=1, dilation=2),
            S((1, 2, 5, 5), kernel_size=2, stride=2, ceil_mode=True),
            S((1, 1, 6, 6), kernel_size=3, stride=2, padding=1, dilation=(1, 2), ceil_mode=True)]
AVG_POOL = [S((1, 2, 4, 4), kernel_size=2), S((2, 1, 5, 6), kernel_size=(2, 3), stride=1),
            S((1, 1, 5, 5), kernel_size=3, stride=2, padding=1),
            S((1, 1, 5, 5), kernel_size=3, stride=2, padding=1, ceil_mode=True),
            S((1, 2, 4, 5), kernel_size=3, stride=1, padding=1, count_include_pad=False),
            S((1, 1, 5, 4), kernel_size=2, ceil_mode=True, count_include_pad=False),
            S((1, 1, 4, 4), kernel_size=2, divisor_override=3)]
INDICES = [S((1, 2, 5, 5), fn="max_pool2d", kernel_size=3, stride=2, padding=1,
             ceil_mode=True),
           S((1, 1, 6, 7), fn="max_pool2d", kernel_size=2, dilation=(2, 1)),
           S((2, 1, 9), fn="max_pool1d", kernel_size=3, stride=2, padding=1),
           S((1, 2, 5, 7), fn="adaptive_max_pool2d", output_size=(2, 3)),
           S((2, 2, 7), fn="adaptive_max_pool1d", output_size=3)]
_INDEX_REFS = {
    "max_pool2d": lambda x, **kw: max_pool2d_ref(x, return_indices=True, **kw),
    "max_pool1d": lambda x, **kw: max_pool1d_ref(x, return_indices=True, **kw),
    "adaptive_max_pool2d": lambda x, **kw: adaptive_pool2d_ref(x, mode="max",
                                                               return_indices=True, **kw),
    "adaptive_max_pool1d": lambda x, **kw: adaptive_pool1d_ref(x, mode="max",
                                                               return_indices=True, **kw)}
INTERPOLATE = [S((1, 2, 3, 4), scale_factor=2), S((1, 1, 5, 4), size=(3, 7)),
               S((1, 2, 6), scale_factor=0.5), S((1, 1, 4, 3), scale_factor=1.7,
                                                  mode="nearest-exact"),
               S((1, 1, 3, 3), size=(5, 4), mode="bilinear"),
               S((1, 2, 3, 4), scale_factor=(1.5, 2.0), mode="bilinear", align_corners=True),
               S((1, 1, 4, 5), scale_factor=0.6, mode="bilinear", recompute_scale_factor=True),
               S((2, 1, 5), size=3, mode="linear"), S((1, 1, 5, 6), size=(2, 4), mode="area"),
               S((1, 1, 2, 3, 2), scale_factor=2, mode="trilinear")]
PAD = [S((3,), pad=(2, 1)), S((2, 3, 4), pad=(1, -1, 0, 2), value=0.5),
       S((1, 2, 4), pad=(2, 1), mode="reflect"),
       S((1, 1, 3, 4), pad=(1, 2, 2, 0), mode="reflect"),
       S((2, 3), pad=(2, 3), mode="replicate"),
       S((1, 2, 3, 3), pad=(1, 1, 3, 2), mode="replicate"),
       S((1, 1, 4), pad=(3, 4), mode="circular"),
       S((1, 2, 3, 3), pad=(1, 2, 0, 3), mode="circular")]
UNFOLD = [S((1, 2, 4, 5), kernel_size=2),
          S((2, 1, 5, 5), kernel_size=(2, 3), dilation=(2, 1), padding=1, stride=2),
          S((2, 3, 3), kernel_size=2)]
FOLD = [S((1, 8, 12), output_size=(4, 5), kernel_size=2),
        S((2, 6, 9), output_size=(5, 5), kernel_size=(2, 3), dilation=(2, 1), padding=1,
          stride=2),
        S((8, 6), output_size=(3, 4), kernel_size=2)]


def _fn(name):
    return lambda *xs, **kw: getattr(F, name)(*xs, **kw)


def _torch(name):
    return lambda torch, *xs, **kw: getattr(_tf(torch), name)(*xs, **kw)


ROWS = [
    OpInfo("conv2d", _fn("conv2d"), conv2d_ref, CONV2D, domain=small,
           torch=_torch_conv,
           checks="im2col matmuls (flat grid at stride 1, strided windows otherwise); strides, "
                  "dilation, groups, int, pair, (before, after) and 'same' padding, padding "
                  "modes; col2im; second order through unfold/fold"),
    OpInfo("conv1d", _fn("conv1d"), conv1d_ref, CONV1D, domain=small,
           torch=lambda torch, *a, **kw: _torch_conv(torch, *a, ndim=1, **kw),
           checks="conv2d on rows one pixel high"),
    OpInfo("conv_transpose2d", _fn("conv_transpose2d"), conv_transpose2d_ref, CONV_T2D,
           domain=small, torch=_torch("conv_transpose2d"),
           checks="matmul + fold; stride, padding, output_padding, groups, dilation"),
    OpInfo("conv_transpose1d", _fn("conv_transpose1d"), conv_transpose1d_ref, CONV_T1D,
           domain=small, torch=_torch("conv_transpose1d")),
    OpInfo("max_pool2d", _fn("max_pool2d"), max_pool2d_ref, MAX_POOL, domain=DISTINCT,
           torch=_torch("max_pool2d"), checks="dilation, ceil_mode; no ties"),
    OpInfo("avg_pool2d", _fn("avg_pool2d"), avg_pool2d_ref, AVG_POOL,
           torch=_torch("avg_pool2d"),
           checks="ceil_mode, count_include_pad=False, divisor_override"),
    OpInfo("max_pool1d", _fn("max_pool1d"), max_pool1d_ref,
           [S((2, 2, 7), kernel_size=2),
            S((1, 1, 9), kernel_size=3, stride=2, padding=1, dilation=2, ceil_mode=True)],
           domain=DISTINCT, torch=_torch("max_pool1d")),
    OpInfo("avg_pool1d", _fn("avg_pool1d"), avg_pool1d_ref,
           [S((2, 2, 7), kernel_size=3, stride=2),
            S((1, 1, 8), kernel_size=3, stride=2, padding=1, ceil_mode=True,
              count_include_pad=False)], torch=_torch("avg_pool1d")),
    OpInfo("pool_indices",
           lambda x, fn, **kw: getattr(F, fn)(x, return_indices=True, **kw)[1],
           lambda x, fn, **kw: _INDEX_REFS[fn](x, **kw)[1], INDICES, domain=DISTINCT,
           differentiable=False, float32=False,
           torch=lambda torch, x, fn, **kw: getattr(_tf(torch), fn)(x, return_indices=True,
                                                                     **kw)[1],
           checks="return_indices=True: flat positions in each (H, W) plane"),
    OpInfo("adaptive_avg_pool2d", _fn("adaptive_avg_pool2d"), adaptive_pool2d_ref,
           [S((1, 2, 5, 7), output_size=(2, 3)), S((2, 1, 4, 4), output_size=1),
            S((1, 1, 5, 6), output_size=(None, 4)), S((2, 5, 5), output_size=3)],
           torch=_torch("adaptive_avg_pool2d"), checks="separable averaging matrices"),
    OpInfo("adaptive_max_pool2d", _fn("adaptive_max_pool2d"),
           lambda x, **kw: adaptive_pool2d_ref(x, mode="max", **kw),
           [S((1, 2, 5, 7), output_size=(2, 3)), S((1, 1, 4, 4), output_size=(4, 2)),
            S((2, 3, 3), output_size=2)], domain=DISTINCT,
           torch=_torch("adaptive_max_pool2d"), checks="no ties"),
    OpInfo("adaptive_avg_pool1d", _fn("adaptive_avg_pool1d"), adaptive_pool1d_ref,
           [S((2, 2, 7), output_size=3), S((2, 5), output_size=2)],
           torch=_torch("adaptive_avg_pool1d")),
    OpInfo("adaptive_max_pool1d", _fn("adaptive_max_pool1d"),
           lambda x, **kw: adaptive_pool1d_ref(x, mode="max", **kw),
           [S((2, 2, 7), output_size=3), S((1, 2, 5), output_size=5)], domain=DISTINCT,
           torch=_torch("adaptive_max_pool1d")),
    OpInfo("interpolate", _fn("interpolate"), interpolate_ref, INTERPOLATE,
           torch=_torch("interpolate"),
           checks="nearest (PyTorch's float32 source index), nearest-exact, linear, bilinear "
                  "with and without align_corners, trilinear, area; size or scale_factor"),
    OpInfo("functional_pad", _fn("pad"), pad_ref, PAD, torch=_torch("pad"),
           checks="constant (negative widths crop), reflect, replicate, circular"),
    OpInfo("unfold", _fn("unfold"), unfold_ref, UNFOLD, torch=_torch("unfold"),
           checks="kernel, dilation, padding, stride; 3-D input"),
    OpInfo("fold", _fn("fold"), fold_ref, FOLD, torch=_torch("fold"),
           checks="overlapping blocks add up; 2-D input"),
]
