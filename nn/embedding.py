"""Embedding: a learnable lookup table of vectors."""
from __future__ import annotations

import numpy as np

from . import functional as F
from . import init
from .module import Module, Parameter


class Embedding(Module):
    """Row ``i`` of ``weight`` (shape ``(num_embeddings, embedding_dim)``, drawn from
    N(0, 1) as PyTorch) for each integer index ``i``; the output has the index
    array's shape plus ``embedding_dim``.

    >>> import numpy as np, nn
    >>> emb = nn.Embedding(10, 3)
    >>> emb(np.array([[1, 2], [2, 9]])).shape
    (2, 2, 3)
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, dtype=np.float32, rng=None):
        super().__init__()
        if num_embeddings <= 0 or embedding_dim <= 0:
            raise ValueError(f"Embedding: sizes must be positive, got {num_embeddings} "
                             f"and {embedding_dim}")
        self.num_embeddings = int(num_embeddings)
        self.embedding_dim = int(embedding_dim)
        self.weight = Parameter(np.empty((num_embeddings, embedding_dim), dtype=dtype))
        init.normal_(self.weight, rng=rng)

    def forward(self, indices):
        try:
            return F.embedding(indices, self.weight)
        except (IndexError, TypeError) as err:
            raise type(err)(f"{self!r}: {err}") from None

    def extra_repr(self) -> str:
        return f"{self.num_embeddings}, {self.embedding_dim}"
