"""Functions that make tensors: zeros, ones, full, arange, eye, randn, rand."""
from __future__ import annotations

import numpy as np

from .random import get_rng
from .tensor import Tensor

_F32 = np.float32


def _shape(shape):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


def tensor(data, requires_grad: bool = False, dtype=None, name: str | None = None) -> Tensor:
    """The same as ``Tensor(...)``."""
    return Tensor(data, requires_grad=requires_grad, dtype=dtype, name=name)


def zeros(*shape, dtype=_F32, requires_grad=False) -> Tensor:
    return Tensor(np.zeros(_shape(shape), dtype=dtype), requires_grad=requires_grad)


def ones(*shape, dtype=_F32, requires_grad=False) -> Tensor:
    return Tensor(np.ones(_shape(shape), dtype=dtype), requires_grad=requires_grad)


def full(shape, fill_value, dtype=None, requires_grad=False) -> Tensor:
    if dtype is None:
        dtype = np.asarray(fill_value).dtype
        dtype = _F32 if dtype == np.float64 else dtype
    return Tensor(np.full(shape, fill_value, dtype=dtype), requires_grad=requires_grad)


def zeros_like(t, dtype=None, requires_grad=False) -> Tensor:
    return Tensor(np.zeros_like(np.asarray(t), dtype=dtype), requires_grad=requires_grad)


def ones_like(t, dtype=None, requires_grad=False) -> Tensor:
    return Tensor(np.ones_like(np.asarray(t), dtype=dtype), requires_grad=requires_grad)


def arange(start, stop=None, step=1, dtype=None, requires_grad=False) -> Tensor:
    """NumPy's arange; float arguments give float32 unless ``dtype`` says otherwise."""
    arr = np.arange(start, stop, step) if stop is not None else np.arange(start)
    if dtype is not None:
        arr = arr.astype(dtype)
    elif arr.dtype == np.float64:
        arr = arr.astype(_F32)
    return Tensor(arr, requires_grad=requires_grad)


def eye(n, m=None, dtype=_F32, requires_grad=False) -> Tensor:
    return Tensor(np.eye(n, m, dtype=dtype), requires_grad=requires_grad)


def randn(*shape, rng=None, dtype=_F32, requires_grad=False) -> Tensor:
    """Standard normal samples from ``rng`` (or the default generator)."""
    arr = get_rng(rng).standard_normal(_shape(shape)).astype(dtype, copy=False)
    return Tensor(arr, requires_grad=requires_grad)


def rand(*shape, rng=None, dtype=_F32, requires_grad=False) -> Tensor:
    """Uniform samples in [0, 1) from ``rng`` (or the default generator)."""
    arr = get_rng(rng).random(_shape(shape)).astype(dtype, copy=False)
    return Tensor(arr, requires_grad=requires_grad)
