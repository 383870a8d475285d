"""Mini-batches for training: ``DataLoader`` over in-memory arrays.

The notes' mini-batch gradient descent: shuffle the ``m`` samples once per
epoch (an epoch is one pass over the data), cut them into batches of
``batch_size``, and take one step per batch. The last batch holds what is
left over unless ``drop_last`` drops it.

>>> import numpy as np
>>> from nn.data import DataLoader
>>> X, y = np.arange(10.0).reshape(5, 2), np.array([0, 1, 0, 1, 1])
>>> loader = DataLoader(X, y, batch_size=2, shuffle=False)
>>> len(loader)
3
>>> [(xb.shape, yb.data.tolist()) for xb, yb in loader]
[((2, 2), [0, 1]), ((2, 2), [0, 1]), ((1, 2), [1])]
"""
from __future__ import annotations

from typing import Iterator

import numpy as np

from autograd import Tensor, get_rng

from . import transforms


def _as_array(a, name: str) -> np.ndarray:
    arr = a.data if isinstance(a, Tensor) else np.asarray(a)
    if arr.ndim == 0:
        raise ValueError(f"DataLoader: {name} must have a sample axis first, got a 0-d "
                         f"value of shape {arr.shape}")
    return arr


class DataLoader:
    """Iterate over ``(X, y)`` in mini-batches of Tensors, every sample once per epoch.

    ``X`` and ``y`` are ndarrays or Tensors with the samples along the first
    axis; batches keep their dtypes (float features stay as they are, integer
    class labels stay integers, as the losses expect). ``y=None`` yields the
    ``X`` batches alone.

    With ``shuffle=True`` the order is drawn afresh at the start of each
    epoch: from a private generator seeded with ``seed`` (two loaders with
    the same seed give the same sequence of epochs), or, when ``seed`` is
    None, from autograd's default generator (so ``ag.manual_seed`` makes a
    run reproducible).

    ``transform`` (a callable on an ndarray batch, such as
    ``nn.data.transforms.Compose([...])``) is applied to the inputs of every
    batch, afresh each epoch; the labels are left as they are.

    >>> import numpy as np
    >>> X, y = np.zeros((7, 3), np.float32), np.arange(7)
    >>> loader = DataLoader(X, y, batch_size=3, seed=0)
    >>> len(loader), len(DataLoader(X, y, batch_size=3, drop_last=True))
    (3, 2)
    >>> sorted(i for _, yb in loader for i in yb.data.tolist())
    [0, 1, 2, 3, 4, 5, 6]
    >>> xb, yb = next(iter(loader)); xb.dtype, yb.dtype
    (dtype('float32'), dtype('int64'))
    """

    def __init__(self, X, y=None, batch_size: int = 32, shuffle: bool = True,
                 drop_last: bool = False, seed: int | None = None, transform=None):
        X = _as_array(X, "X")
        if y is not None:
            y = _as_array(y, "y")
            if len(y) != len(X):
                raise ValueError(f"DataLoader: X and y must hold the same number of samples, "
                                 f"got X of shape {X.shape} ({len(X)} samples) and y of shape "
                                 f"{y.shape} ({len(y)} samples)")
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
                or batch_size <= 0:
            raise ValueError(f"DataLoader: batch_size must be a positive integer, "
                             f"got {batch_size!r}")
        self.X, self.y = X, y
        self.batch_size = int(batch_size)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.seed = seed
        if transform is not None and not callable(transform):
            raise TypeError(f"DataLoader: transform must be callable, got "
                            f"{type(transform).__name__}")
        self.transform = transform
        # A private generator keeps the epochs' orders reproducible whatever
        # else draws random numbers in between (dropout, initialisation).
        self._rng = np.random.default_rng(seed) if seed is not None else None

    @property
    def n_samples(self) -> int:
        """The number of samples (``m`` in the notes)."""
        return len(self.X)

    def __len__(self) -> int:
        """The number of batches in one epoch."""
        full, rest = divmod(self.n_samples, self.batch_size)
        return full + (1 if rest and not self.drop_last else 0)

    def _order(self) -> np.ndarray:
        if not self.shuffle:
            return np.arange(self.n_samples)
        rng = self._rng if self._rng is not None else get_rng(None)
        return rng.permutation(self.n_samples)

    def __iter__(self) -> Iterator:
        order = self._order()
        for k in range(len(self)):
            idx = order[k * self.batch_size:(k + 1) * self.batch_size]
            xb = self.X[idx]
            if self.transform is not None:
                xb = self._transformed(xb)
            xb = Tensor(xb)
            yield xb if self.y is None else (xb, Tensor(self.y[idx]))

    def _transformed(self, xb: np.ndarray) -> np.ndarray:
        out = self.transform(xb)
        out = out.data if isinstance(out, Tensor) else np.asarray(out)
        if out.ndim == 0 or len(out) != len(xb):
            raise ValueError(f"DataLoader: transform {self.transform!r} turned a batch of "
                             f"shape {xb.shape} into shape {out.shape}; it must keep one "
                             "row per sample")
        return out

    def __repr__(self) -> str:
        extra = "" if self.transform is None else f", transform={self.transform!r}"
        return (f"DataLoader(n_samples={self.n_samples}, batch_size={self.batch_size}, "
                f"shuffle={self.shuffle}, drop_last={self.drop_last}, seed={self.seed}"
                f"{extra})")
