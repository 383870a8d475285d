"""Rows for normalisation per sample and attention (nn/norm_ops.py, nn/attention.py):
layer_norm, group_norm, scaled_dot_product_attention, with NumPy references and
torch.nn.functional's forms. Masks (bool: True takes part; float: added) ride in the
keyword arguments; the torch forms turn arrays into tensors."""
import numpy as np

import nn.functional as F
from op_info import OpInfo, S


def _torch_kw(torch, kw):
    return {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kw.items()}


def _layer_norm_ref(x, *wb, normalized_shape, eps=1e-5):
    axes = tuple(range(x.ndim - len(normalized_shape), x.ndim))
    y = (x - x.mean(axes, keepdims=True)) / np.sqrt(x.var(axes, keepdims=True) + eps)
    if wb:
        y = y * wb[0] + wb[1]
    return y.astype(x.dtype)


def _group_norm_ref(x, *wb, num_groups, eps=1e-5):
    g = x.reshape(x.shape[0], num_groups, -1)
    y = ((g - g.mean(2, keepdims=True)) / np.sqrt(g.var(2, keepdims=True) + eps)).reshape(x.shape)
    if wb:
        c = (1, x.shape[1]) + (1,) * (x.ndim - 2)
        y = y * wb[0].reshape(c) + wb[1].reshape(c)
    return y.astype(x.dtype)


def _sdpa_ref(q, k, v, attn_mask=None, is_causal=False, scale=None):
    s = q @ np.swapaxes(k, -1, -2) * (1 / np.sqrt(q.shape[-1]) if scale is None else scale)
    if is_causal:
        attn_mask = np.tril(np.ones(s.shape[-2:], bool))
    if attn_mask is not None:
        s = np.where(attn_mask, s, -np.inf) if attn_mask.dtype == bool else s + attn_mask
    w = np.exp(s - s.max(-1, keepdims=True))
    return ((w / w.sum(-1, keepdims=True)) @ v).astype(q.dtype)


_MASK = np.array([[True, False, True, True], [True, True, False, False],
                  [False, True, True, False]])

ROWS = [
    OpInfo("layer_norm", fn=lambda x, *wb, **kw: F.layer_norm(x, weight=wb[0] if wb else None,
                                                             bias=wb[1] if wb else None, **kw),
           ref=_layer_norm_ref,
           samples=[S((2, 3, 4), (4,), (4,), normalized_shape=(4,)),
                    S((2, 3, 4), (3, 4), (3, 4), normalized_shape=(3, 4)),
                    S((5, 3), normalized_shape=(3,)),
                    S((1, 4), (4,), (4,), normalized_shape=(4,), eps=0.1)],
           rtol32=1e-4,
           torch=lambda torch, x, *wb, normalized_shape, eps=1e-5:
           torch.nn.functional.layer_norm(x, normalized_shape, *wb, eps=eps)),
    OpInfo("group_norm", fn=lambda x, *wb, **kw: F.group_norm(x, weight=wb[0] if wb else None,
                                                             bias=wb[1] if wb else None, **kw),
           ref=_group_norm_ref,
           samples=[S((2, 4, 3), (4,), (4,), num_groups=2),
                    S((1, 6, 2, 2), (6,), (6,), num_groups=3),
                    S((3, 4), num_groups=4, eps=0.01), S((2, 2, 5), num_groups=1)],
           rtol32=1e-4,
           torch=lambda torch, x, *wb, num_groups, eps=1e-5:
           torch.nn.functional.group_norm(x, num_groups, *wb, eps=eps)),
    OpInfo("scaled_dot_product_attention", fn=F.scaled_dot_product_attention, ref=_sdpa_ref,
           samples=[S((3, 2), (4, 2), (4, 3)),
                    S((2, 3, 2), (2, 4, 2), (2, 4, 1), attn_mask=_MASK),
                    S((2, 1, 3, 2), (2, 2, 4, 2), (2, 2, 4, 2),
                      attn_mask=np.linspace(-1, 1, 12).reshape(3, 4)),
                    S((1, 3, 2), (1, 3, 2), (1, 3, 2), is_causal=True),
                    S((2, 3, 2), (2, 4, 2), (2, 4, 2), scale=0.5)],
           rtol32=1e-4,
           torch=lambda torch, q, k, v, **kw:
           torch.nn.functional.scaled_dot_product_attention(q, k, v, **_torch_kw(torch, kw))),
]
