"""Attention: ``scaled_dot_product_attention`` and ``nn.MultiheadAttention``.

The notes' attention: each output is a weighted sum of the values, the weights a
softmax over how well the query matches each key. Composed from autograd's ops
(matmul, softmax, where), so gradients and second derivatives come from those.

Masks follow PyTorch, whose two conventions differ: in
``scaled_dot_product_attention`` a bool ``attn_mask`` is True where a position
TAKES PART; in ``MultiheadAttention`` bool masks (``attn_mask``,
``key_padding_mask``) are True where a position is LEFT OUT. Float masks are
added to the scores in both (``-inf`` leaves a position out).
"""
from __future__ import annotations

import math

import numpy as np

import autograd as ag
from autograd import Tensor, as_tensor

from . import functional as F
from . import init
from .linear import Linear
from .module import Module, Parameter


def _shape(t) -> tuple:
    return tuple(np.shape(t.data if isinstance(t, Tensor) else t))


def _mask_data(mask):
    return mask.data if isinstance(mask, Tensor) else np.asarray(mask)


def _apply_mask(scores: Tensor, mask, keep_true: bool, where: str) -> Tensor:
    """``scores`` with a bool mask (True keeps when ``keep_true``) or a float mask added."""
    m = _mask_data(mask)
    try:
        np.broadcast_shapes(m.shape, scores.shape)
    except ValueError:
        raise ValueError(f"{where}: mask of shape {m.shape} does not broadcast to the "
                         f"attention scores of shape {scores.shape}") from None
    if m.dtype == np.bool_:
        keep = m if keep_true else ~m
        return ag.where(keep, scores, Tensor(np.array(-np.inf, dtype=scores.dtype)))
    if m.dtype.kind != "f":
        raise TypeError(f"{where}: mask must be bool or float, got dtype {m.dtype}")
    if isinstance(mask, Tensor) and mask.requires_grad:
        return scores + mask
    return scores + m.astype(scores.dtype, copy=False)


def _attention(q, k, v, attn_mask, dropout_p, is_causal, scale, keep_true, training, where):
    """Output and weights of softmax(q k^T * scale + mask) v."""
    if q.ndim < 2 or k.ndim < 2 or v.ndim < 2 or q.shape[-1] != k.shape[-1] or \
            k.shape[-2] != v.shape[-2]:
        raise ValueError(f"{where}: expected query (..., L, E), key (..., S, E), value "
                         f"(..., S, Ev); got {q.shape}, {k.shape}, {v.shape}")
    if is_causal and attn_mask is not None:
        raise ValueError(f"{where}: give either attn_mask or is_causal=True, not both")
    if not 0.0 <= dropout_p < 1.0:
        raise ValueError(f"{where}: dropout_p must be in [0, 1), got {dropout_p}")
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else float(scale)
    scores = (q @ k.swapaxes(-1, -2)) * scale
    if is_causal:
        L, S = q.shape[-2], k.shape[-2]
        attn_mask, keep_true = np.tril(np.ones((L, S), dtype=bool)), True
    if attn_mask is not None:
        scores = _apply_mask(scores, attn_mask, keep_true, where)
    weights = scores.softmax(axis=-1)
    if dropout_p > 0.0 and training:
        weights = F.dropout(weights, dropout_p, True)
    return weights @ v, weights


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p: float = 0.0,
                                 is_causal: bool = False, scale: float | None = None) -> Tensor:
    """``softmax(query @ key^T * scale + mask) @ value`` over the last two dims, ``scale``
    ``1/sqrt(E)`` by default: query ``(..., L, E)``, key ``(..., S, E)``, value
    ``(..., S, Ev)`` give ``(..., L, Ev)``. A bool ``attn_mask`` (broadcast to
    ``(..., L, S)``) is True where a key TAKES PART (PyTorch's convention here); a float
    one is added to the scores; ``is_causal`` lets query ``i`` see keys ``0..i`` only.
    Dropout with ``dropout_p`` on the weights (always applied, as PyTorch's function).

    >>> import numpy as np, nn.functional as F
    >>> q = k = np.eye(2)[None]; v = np.array([[[1.0, 0.0], [0.0, 10.0]]])
    >>> F.scaled_dot_product_attention(q, k, v, is_causal=True).data.round(3)
    array([[[1.   , 0.   ],
            [0.33 , 6.698]]])
    """
    q, k, v = as_tensor(query), as_tensor(key), as_tensor(value)
    return _attention(q, k, v, attn_mask, dropout_p, is_causal, scale, True, True,
                      "scaled_dot_product_attention")[0]


def _merge_masks(attn_mask, key_padding_mask, n, h, L, S, dtype, where):
    """One additive float mask (N, H, L, S) from MultiheadAttention's two masks (True
    = left out for bool ones), or None."""
    total = None
    if attn_mask is not None:
        m = _mask_data(attn_mask)
        if m.shape == (L, S):
            m = m[None, None]
        elif m.shape == (n * h, L, S):
            m = m.reshape(n, h, L, S)
        else:
            raise ValueError(f"{where}: attn_mask must have shape ({L}, {S}) or "
                             f"({n * h}, {L}, {S}), got {m.shape}")
        total = _as_additive(m, dtype, "attn_mask", where)
    if key_padding_mask is not None:
        m = _mask_data(key_padding_mask)
        if m.shape != (n, S):
            raise ValueError(f"{where}: key_padding_mask must have shape ({n}, {S}), "
                             f"got {m.shape}")
        m = _as_additive(m[:, None, None, :], dtype, "key_padding_mask", where)
        total = m if total is None else total + m
    return total


def _as_additive(m: np.ndarray, dtype, name: str, where: str) -> np.ndarray:
    if m.dtype == np.bool_:
        return np.where(m, np.array(-np.inf, dtype=dtype), np.array(0, dtype=dtype))
    if m.dtype.kind != "f":
        raise TypeError(f"{where}: {name} must be bool or float, got dtype {m.dtype}")
    return m.astype(dtype, copy=False)


class MultiheadAttention(Module):
    """PyTorch's multi-head attention: project query, key and value with
    ``in_proj_weight`` (or ``q_proj_weight``, ``k_proj_weight``, ``v_proj_weight`` when
    ``kdim``/``vdim`` differ from ``embed_dim``), split into ``num_heads`` heads,
    attend in each, concatenate and project with ``out_proj``.

    Inputs ``(L, N, E)`` (``(N, L, E)`` with ``batch_first``, or unbatched ``(L, E)``).
    ``forward(query, key, value, key_padding_mask=None, need_weights=True,
    attn_mask=None, average_attn_weights=True, is_causal=False)`` returns
    ``(output, weights)``: weights ``(N, L, S)`` averaged over heads, ``(N, H, L, S)``
    otherwise, None without ``need_weights``. Bool masks are True where a key is LEFT
    OUT (PyTorch's convention here); float masks are added. ``is_causal`` is a hint that
    ``attn_mask`` is the causal mask, which must be given (as PyTorch).

    >>> import numpy as np, nn
    >>> mha = nn.MultiheadAttention(8, 2, batch_first=True)
    >>> out, w = mha(*[np.ones((3, 5, 8), np.float32)] * 3)
    >>> out.shape, w.shape, [n for n, _ in mha.named_parameters()]
    ((3, 5, 8), (3, 5, 5), ['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias'])
    """

    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0, bias: bool = True,
                 batch_first: bool = False, kdim: int | None = None, vdim: int | None = None,
                 dtype=np.float32, rng=None):
        super().__init__()
        if embed_dim <= 0 or num_heads <= 0 or embed_dim % num_heads:
            raise ValueError(f"MultiheadAttention: embed_dim ({embed_dim}) must be a "
                             f"positive multiple of num_heads ({num_heads})")
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"MultiheadAttention: dropout must be in [0, 1), got {dropout}")
        self.embed_dim, self.num_heads = int(embed_dim), int(num_heads)
        self.kdim = int(kdim) if kdim is not None else self.embed_dim
        self.vdim = int(vdim) if vdim is not None else self.embed_dim
        self._qkv_same_embed_dim = self.kdim == self.embed_dim and self.vdim == self.embed_dim
        self.dropout, self.batch_first = float(dropout), bool(batch_first)
        self.head_dim = self.embed_dim // self.num_heads
        e = self.embed_dim
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(np.empty((3 * e, e), dtype=dtype))
            self.q_proj_weight = self.k_proj_weight = self.v_proj_weight = None
        else:
            self.in_proj_weight = None
            self.q_proj_weight = Parameter(np.empty((e, e), dtype=dtype))
            self.k_proj_weight = Parameter(np.empty((e, self.kdim), dtype=dtype))
            self.v_proj_weight = Parameter(np.empty((e, self.vdim), dtype=dtype))
        self.in_proj_bias = Parameter(np.zeros(3 * e, dtype=dtype)) if bias else None
        self.out_proj = Linear(e, e, bias=bias, dtype=dtype, rng=rng)
        self._reset_parameters(rng)

    def _reset_parameters(self, rng=None) -> None:
        for w in (self.in_proj_weight, self.q_proj_weight, self.k_proj_weight,
                  self.v_proj_weight):
            if w is not None:
                init.xavier_uniform_(w, rng=rng)
        if self.in_proj_bias is not None:
            init.zeros_(self.in_proj_bias)
            init.zeros_(self.out_proj.bias)

    def _project(self, x, i, dim):
        e = self.embed_dim
        w = self.in_proj_weight[i * e:(i + 1) * e] if self._qkv_same_embed_dim else \
            (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight)[i]
        b = None if self.in_proj_bias is None else self.in_proj_bias[i * e:(i + 1) * e]
        return F.linear(x, w, b)

    def forward(self, query, key, value, key_padding_mask=None, need_weights: bool = True,
                attn_mask=None, average_attn_weights: bool = True, is_causal: bool = False):
        q, k, v = as_tensor(query), as_tensor(key), as_tensor(value)
        where = repr(self).split("\n")[0]
        batched = q.ndim == 3
        dims = (self.embed_dim, self.kdim, self.vdim)
        if q.ndim not in (2, 3) or k.ndim != q.ndim or v.ndim != q.ndim or \
                tuple(t.shape[-1] for t in (q, k, v)) != dims or k.shape[:-1] != v.shape[:-1]:
            raise ValueError(f"{where}: expected query, key, value of shapes (L, N, "
                             f"{dims[0]}), (S, N, {dims[1]}), (S, N, {dims[2]}) (or batch "
                             f"first, or unbatched), got {q.shape}, {k.shape}, {v.shape}")
        if is_causal and attn_mask is None:
            raise ValueError(f"{where}: is_causal=True is a hint that attn_mask is the "
                             "causal mask; give attn_mask too (e.g. nn.Transformer."
                             "generate_square_subsequent_mask(L))")
        if not batched:
            q, k, v = q[:, None], k[:, None], v[:, None]
            if key_padding_mask is not None:
                key_padding_mask = _mask_data(key_padding_mask)[None]
        elif self.batch_first:
            q, k, v = q.swapaxes(0, 1), k.swapaxes(0, 1), v.swapaxes(0, 1)
        if batched and q.shape[1] != k.shape[1]:
            raise ValueError(f"{where}: query batch {q.shape[1]} != key batch {k.shape[1]}")
        L, n, S, h, d = q.shape[0], q.shape[1], k.shape[0], self.num_heads, self.head_dim
        qh, kh, vh = (self._project(t, i, 0).reshape(t.shape[0], n, h, d).transpose(1, 2, 0, 3)
                      for i, t in enumerate((q, k, v)))                    # (N, H, len, d)
        dtype = qh.dtype
        mask = _merge_masks(attn_mask, key_padding_mask, n, h, L, S, dtype, where)
        out, weights = _attention(qh, kh, vh, mask, self.dropout, False, None, True,
                                  self.training, where)
        out = self.out_proj(out.transpose(2, 0, 1, 3).reshape(L, n, self.embed_dim))
        if not batched:
            out = out[:, 0]
        elif self.batch_first:
            out = out.swapaxes(0, 1)
        if not need_weights:
            return out, None
        if average_attn_weights:
            weights = weights.mean(axis=1)
        return out, (weights if batched else weights[0])

    def extra_repr(self) -> str:
        extra = "" if self._qkv_same_embed_dim else f", kdim={self.kdim}, vdim={self.vdim}"
        return (f"embed_dim={self.embed_dim}, num_heads={self.num_heads}, "
                f"dropout={self.dropout}, batch_first={self.batch_first}{extra}")
