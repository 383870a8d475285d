"""One seedable default generator for everything random (init, dropout, shuffling)."""
from __future__ import annotations

import numpy as np

_default = np.random.default_rng()


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the default generator, so that runs are reproducible.

    >>> import autograd as ag
    >>> _ = ag.manual_seed(0); a = ag.randn(3)
    >>> _ = ag.manual_seed(0); b = ag.randn(3)
    >>> bool((a.data == b.data).all())
    True
    """
    global _default
    _default = np.random.default_rng(seed)
    return _default


def default_generator() -> np.random.Generator:
    """The generator used when no ``rng`` is given (replaced by ``manual_seed``).

    >>> import autograd as ag
    >>> g = ag.manual_seed(0)
    >>> ag.default_generator() is g
    True
    """
    return _default


def get_rng(rng=None) -> np.random.Generator:
    """``rng`` if given (a Generator or a seed), else the default generator.

    >>> import autograd as ag
    >>> ag.get_rng() is ag.default_generator()
    True
    >>> ag.get_rng(0).random() == ag.get_rng(0).random()
    True
    """
    if rng is None:
        return _default
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)
