"""Embedding: a learnable lookup table of vectors."""
from __future__ import annotations

import numpy as np

from autograd import Tensor

from . import functional as F
from . import init
from .embedding_functional import check_padding_idx
from .module import Module, Parameter


class Embedding(Module):
    """Row ``i`` of ``weight`` (shape ``(num_embeddings, embedding_dim)``, drawn from
    N(0, 1) as PyTorch) for each integer index ``i``; the output has the index
    array's shape plus ``embedding_dim``. PyTorch's options: row ``padding_idx``
    starts at zeros and gets no gradient; ``max_norm`` scales each looked-up row
    whose ``norm_type``-norm exceeds it down to it, in place, before the lookup.

    >>> import numpy as np, nn
    >>> emb = nn.Embedding(10, 3, padding_idx=0)
    >>> emb(np.array([[1, 2], [2, 0]])).shape
    (2, 2, 3)
    >>> emb.weight.data[0].tolist()
    [0.0, 0.0, 0.0]
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 max_norm: float | None = None, norm_type: float = 2.0,
                 scale_grad_by_freq: bool = False, sparse: bool = False, _weight=None,
                 _freeze: bool = False, dtype=np.float32, rng=None):
        super().__init__()
        if num_embeddings <= 0 or embedding_dim <= 0:
            raise ValueError(f"Embedding: sizes must be positive, got {num_embeddings} "
                             f"and {embedding_dim}")
        if scale_grad_by_freq or sparse:
            raise NotImplementedError("Embedding: scale_grad_by_freq and sparse are not "
                                      "supported")
        if max_norm is not None and not max_norm > 0:
            raise ValueError(f"Embedding: max_norm must be positive, got {max_norm}")
        if padding_idx is not None:
            padding_idx = check_padding_idx(padding_idx, num_embeddings, "Embedding")
        self.num_embeddings = int(num_embeddings)
        self.embedding_dim = int(embedding_dim)
        self.padding_idx, self.max_norm, self.norm_type = padding_idx, max_norm, norm_type
        if _weight is None:
            self.weight = Parameter(np.empty((num_embeddings, embedding_dim), dtype=dtype))
            init.normal_(self.weight, rng=rng)
            if padding_idx is not None:
                self.weight.data[padding_idx] = 0
        else:
            w = _weight.data if isinstance(_weight, Tensor) else np.asarray(_weight)
            if w.shape != (num_embeddings, embedding_dim):
                raise ValueError(f"Embedding: _weight has shape {w.shape}, expected "
                                 f"{(num_embeddings, embedding_dim)}")
            self.weight = Parameter(w, requires_grad=not _freeze)

    @classmethod
    def from_pretrained(cls, embeddings, freeze: bool = True, padding_idx: int | None = None,
                        max_norm: float | None = None, norm_type: float = 2.0,
                        scale_grad_by_freq: bool = False, sparse: bool = False) -> "Embedding":
        """An Embedding whose weight is ``embeddings`` (a 2-d array or Tensor, not
        copied, as PyTorch); ``freeze`` (the default) keeps it from learning.

        >>> import numpy as np, nn
        >>> emb = nn.Embedding.from_pretrained(np.eye(3, dtype=np.float32))
        >>> emb(np.array([2])).tolist(), emb.weight.requires_grad
        ([[0.0, 0.0, 1.0]], False)
        """
        w = embeddings.data if isinstance(embeddings, Tensor) else np.asarray(embeddings)
        if w.ndim != 2:
            raise ValueError(f"Embedding.from_pretrained: embeddings must be 2-d, got shape "
                             f"{w.shape}")
        return cls(w.shape[0], w.shape[1], padding_idx=padding_idx, max_norm=max_norm,
                   norm_type=norm_type, scale_grad_by_freq=scale_grad_by_freq, sparse=sparse,
                   _weight=w, _freeze=freeze)

    def forward(self, indices):
        try:
            return F.embedding(indices, self.weight, self.padding_idx, self.max_norm,
                               self.norm_type)
        except (IndexError, TypeError) as err:
            raise type(err)(f"{self!r}: {err}") from None

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        return s
