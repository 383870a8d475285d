"""``F.embedding`` with PyTorch's ``padding_idx`` and ``max_norm``."""
from __future__ import annotations

import numpy as np

import autograd as ag
from autograd import Tensor, as_tensor, no_grad


def embedding(input, weight, padding_idx: int | None = None, max_norm: float | None = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False,
              sparse: bool = False) -> Tensor:
    """Rows of ``weight`` picked by the integer indices ``input`` (any shape); the
    gradient of a row used several times is the sum over its uses. Row
    ``padding_idx`` gets no gradient. With ``max_norm``, each looked-up row whose
    ``norm_type``-norm exceeds it is first scaled down to it, in place in
    ``weight`` (as PyTorch, not recorded in the graph).

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> w = ag.Tensor(np.arange(6.0).reshape(3, 2), requires_grad=True)
    >>> y = F.embedding(np.array([[2, 0, 2]]), w)
    >>> y.shape, y.data[0, 0]
    ((1, 3, 2), array([4., 5.]))
    >>> y.sum().backward(); w.grad.data[:, 0]           # row 2 used twice
    array([1., 0., 2.])
    >>> w.grad = None
    >>> F.embedding(np.array([2, 0, 2]), w, padding_idx=2).sum().backward()
    >>> w.grad.data[:, 0]                               # the padding row gets none
    array([0., 1., 0.])
    """
    idx = input.data if isinstance(input, Tensor) else np.asarray(input)
    w = as_tensor(weight)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"embedding: indices must be integers, got dtype {idx.dtype}")
    if w.ndim != 2:
        raise ValueError(f"embedding: weight must be 2-d, got shape {w.shape}")
    if scale_grad_by_freq or sparse:
        raise NotImplementedError("embedding: scale_grad_by_freq and sparse are not supported")
    n = w.shape[0]
    bad = (idx < 0) | (idx >= n)
    if bad.any():
        raise IndexError(f"embedding: index {int(idx[bad].flat[0])} is out of range "
                         f"[0, {n}) for a weight of shape {w.shape}")
    if padding_idx is not None:
        padding_idx = check_padding_idx(padding_idx, n, "embedding")
    if max_norm is not None:
        renorm_(w, idx, max_norm, norm_type)
    out = w[idx]
    if padding_idx is not None and w.requires_grad and (idx == padding_idx).any():
        pad = np.expand_dims(idx == padding_idx, -1)
        out = ag.where(pad, w.detach()[idx], out)
    return out


def check_padding_idx(padding_idx: int, n: int, who: str) -> int:
    """``padding_idx`` in ``[-n, n)`` as a non-negative index."""
    if not -n <= int(padding_idx) < n:
        raise ValueError(f"{who}: padding_idx {padding_idx} must be within "
                         f"[-{n}, {n}) for {n} embeddings")
    return int(padding_idx) % n


def renorm_(w: Tensor, idx: np.ndarray, max_norm: float, norm_type: float) -> None:
    """Scale the rows ``idx`` of ``w`` whose norm exceeds ``max_norm`` down to it, in place."""
    rows = np.unique(idx)
    data = w.data[rows]
    norms = np.linalg.norm(data.astype(np.float64), ord=norm_type, axis=1)
    big = norms > max_norm
    if big.any():
        scale = (max_norm / (norms[big] + 1e-7)).astype(w.dtype)[:, None]
        with no_grad():
            w[rows[big]] = data[big] * scale
