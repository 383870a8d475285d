"""Inverted dropout as a layer."""
from __future__ import annotations

from autograd import get_rng

from . import functional as F
from .module import Module


class Dropout(Module):
    """Zero each unit with probability ``p`` in training and scale the kept ones by
    ``1 / (1 - p)`` (the notes' inverted dropout); the identity in eval mode.

    >>> import numpy as np, nn
    >>> drop = nn.Dropout(0.5)
    >>> x = np.ones((2, 4))
    >>> sorted(set(drop(x).data.ravel().tolist())) in ([0.0, 2.0], [0.0], [2.0])
    True
    >>> bool((drop.eval()(x).data == x).all())
    True
    """

    def __init__(self, p: float = 0.5, rng=None):
        super().__init__()
        if not 0.0 <= p < 1.0:
            raise ValueError(f"Dropout: p must be in [0, 1), got {p}")
        self.p = float(p)
        # A seed becomes one generator here, so that each call draws a new mask.
        self.rng = None if rng is None else get_rng(rng)

    def forward(self, x):
        return F.dropout(x, self.p, self.training, self.rng)

    def extra_repr(self) -> str:
        return f"p={self.p}"
