"""Distances and normalisation: ``normalize``, ``cosine_similarity`` and
``pairwise_distance`` (re-exported by ``nn.functional``) and the modules
``CosineSimilarity`` and ``PairwiseDistance``, PyTorch's names, arguments and
formulas, composed from autograd's ops (norm's gradient is 0 at 0)."""
from __future__ import annotations

import numpy as np

import autograd as ag
from autograd import Tensor, as_tensor

from .module import Module


def normalize(input, p: float = 2.0, dim: int = 1, eps: float = 1e-12) -> Tensor:
    """``x / max(||x||_p, eps)`` along ``dim``: unit vectors (zero ones stay zero).

    >>> import numpy as np, nn.functional as F
    >>> F.normalize(np.array([[3.0, 4.0], [0.0, 0.0]])).data
    array([[0.6, 0.8],
           [0. , 0. ]])
    """
    x = as_tensor(input)
    return x / ag.clip(ag.norm(x, p=p, dim=dim, keepdim=True), min=eps)


def _broadcast(who, x1, x2):
    a, b = as_tensor(x1), as_tensor(x2)
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(f"{who}: x1 of shape {a.shape} and x2 of shape {b.shape} do not "
                         f"broadcast") from None
    return a, b


def cosine_similarity(x1, x2, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """``sum(x1 / max(||x1||, eps) * x2 / max(||x2||, eps))`` along ``dim``, broadcasting
    (PyTorch's formula: each vector normalised on its own).

    >>> import numpy as np, nn.functional as F
    >>> F.cosine_similarity(np.array([[1.0, 0.0], [1.0, 1.0]]), np.array([[0.0, 2.0]])).data
    array([0.        , 0.70710678])
    """
    a, b = _broadcast("cosine_similarity", x1, x2)
    na = ag.clip(ag.norm(a, p=2, dim=dim, keepdim=True), min=eps)
    nb = ag.clip(ag.norm(b, p=2, dim=dim, keepdim=True), min=eps)
    return ((a / na) * (b / nb)).sum(dim=dim)


def pairwise_distance(x1, x2, p: float = 2.0, eps: float = 1e-6,
                      keepdim: bool = False) -> Tensor:
    """``||x1 - x2 + eps||_p`` over the last dim, broadcasting (``eps`` keeps the
    gradient of equal vectors finite).

    >>> import numpy as np, nn.functional as F
    >>> F.pairwise_distance(np.array([[0.0, 0.0]]), np.array([[3.0, 4.0]]), eps=0.0).data
    array([5.])
    """
    a, b = _broadcast("pairwise_distance", x1, x2)
    return ag.norm(a - b + eps, p=p, dim=-1, keepdim=keepdim)


class CosineSimilarity(Module):
    """Cosine similarity along ``dim`` (see ``nn.functional.cosine_similarity``).

    >>> import numpy as np, nn
    >>> m = nn.CosineSimilarity(dim=1)
    >>> m, m(np.array([[1.0, 1.0]]), np.array([[2.0, 2.0]])).data
    (CosineSimilarity(dim=1, eps=1e-08), array([1.]))
    """

    def __init__(self, dim: int = 1, eps: float = 1e-8):
        super().__init__()
        self.dim, self.eps = dim, eps

    def forward(self, x1, x2):
        return cosine_similarity(x1, x2, self.dim, self.eps)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, eps={self.eps}"


class PairwiseDistance(Module):
    """``p``-norm distance between rows (see ``nn.functional.pairwise_distance``).

    >>> import numpy as np, nn
    >>> m = nn.PairwiseDistance(eps=0.0)
    >>> m, m(np.array([[0.0, 0.0]]), np.array([[3.0, 4.0]])).data
    (PairwiseDistance(p=2.0, eps=0.0, keepdim=False), array([5.]))
    """

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False):
        super().__init__()
        self.norm, self.eps, self.keepdim = p, eps, keepdim

    def forward(self, x1, x2):
        return pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)

    def extra_repr(self) -> str:
        return f"p={self.norm}, eps={self.eps}, keepdim={self.keepdim}"
