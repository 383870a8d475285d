"""Functions that make tensors: zeros, ones, full, arange, eye, randn, rand."""
from __future__ import annotations

import numpy as np

from .random import get_rng
from .ops.registry import op
from .tensor import Tensor

_F32 = np.float32


def _shape(shape):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


@op("factory", method=False)
def tensor(data, requires_grad: bool = False, dtype=None, name: str | None = None) -> Tensor:
    """The same as ``Tensor(...)``.

    >>> import autograd as ag
    >>> ag.tensor([1.0, 2.0], requires_grad=True)
    Tensor([1., 2.], requires_grad=True)
    """
    return Tensor(data, requires_grad=requires_grad, dtype=dtype, name=name)


@op("factory", method=False)
def as_tensor(data, dtype=None) -> Tensor:
    """``data`` as a Tensor: a Tensor is returned as it is (cast, in the graph, when
    ``dtype`` differs); anything else is wrapped without a copy where NumPy allows.

    >>> import numpy as np, autograd as ag
    >>> t = ag.Tensor([1.0]); ag.as_tensor(t) is t
    True
    >>> a = np.zeros(3); ag.as_tensor(a).data is a
    True
    """
    if isinstance(data, Tensor):
        return data if dtype is None or data.dtype == np.dtype(dtype) else data.astype(dtype)
    return Tensor(data, dtype=dtype)


@op("factory", method=False)
def zeros(*shape, dtype=_F32, requires_grad=False) -> Tensor:
    """A tensor of zeros; ``shape`` as separate ints or one tuple (float32 by default).

    >>> import autograd as ag
    >>> t = ag.zeros(2, 3)
    >>> t.shape, t.dtype
    ((2, 3), dtype('float32'))
    """
    return Tensor(np.zeros(_shape(shape), dtype=dtype), requires_grad=requires_grad)


@op("factory", method=False)
def ones(*shape, dtype=_F32, requires_grad=False) -> Tensor:
    """A tensor of ones; ``shape`` as separate ints or one tuple (float32 by default).

    >>> import autograd as ag
    >>> ag.ones((2,))
    Tensor([1., 1.])
    """
    return Tensor(np.ones(_shape(shape), dtype=dtype), requires_grad=requires_grad)


@op("factory", method=False)
def full(shape, fill_value, dtype=None, requires_grad=False) -> Tensor:
    """A tensor filled with ``fill_value``; a Python float gives float32.

    >>> import autograd as ag
    >>> t = ag.full((2, 2), 3.0)
    >>> t.shape, t.dtype, t.data[0, 0].item()
    ((2, 2), dtype('float32'), 3.0)
    """
    if dtype is None:
        dtype = np.asarray(fill_value).dtype
        dtype = _F32 if dtype == np.float64 else dtype
    return Tensor(np.full(shape, fill_value, dtype=dtype), requires_grad=requires_grad)


@op("factory", method=False)
def zeros_like(t, dtype=None, requires_grad=False) -> Tensor:
    """Zeros with the shape and dtype of ``t`` (a Tensor or array).

    >>> import autograd as ag
    >>> ag.zeros_like(ag.ones(2, 3)).shape
    (2, 3)
    """
    return Tensor(np.zeros_like(np.asarray(t), dtype=dtype), requires_grad=requires_grad)


@op("factory", method=False)
def ones_like(t, dtype=None, requires_grad=False) -> Tensor:
    """Ones with the shape and dtype of ``t`` (a Tensor or array).

    >>> import numpy as np, autograd as ag
    >>> ag.ones_like(np.zeros(2))
    Tensor([1., 1.], dtype=float64)
    """
    return Tensor(np.ones_like(np.asarray(t), dtype=dtype), requires_grad=requires_grad)


@op("factory", method=False)
def arange(start, stop=None, step=1, dtype=None, requires_grad=False) -> Tensor:
    """NumPy's arange; float arguments give float32 unless ``dtype`` says otherwise.

    >>> import autograd as ag
    >>> ag.arange(4)
    Tensor([0, 1, 2, 3], dtype=int64)
    >>> ag.arange(0.0, 1.0, 0.5)
    Tensor([0. , 0.5])
    """
    arr = np.arange(start, stop, step) if stop is not None else np.arange(start)
    if dtype is not None:
        arr = arr.astype(dtype)
    elif arr.dtype == np.float64:
        arr = arr.astype(_F32)
    return Tensor(arr, requires_grad=requires_grad)


@op("factory", method=False)
def eye(n, m=None, dtype=_F32, requires_grad=False) -> Tensor:
    """The ``n`` by ``m`` (default ``n``) identity matrix, float32 by default.

    >>> import autograd as ag
    >>> ag.eye(2)
    Tensor([[1., 0.],
            [0., 1.]])
    """
    return Tensor(np.eye(n, m, dtype=dtype), requires_grad=requires_grad)


@op("factory", method=False)
def randn(*shape, rng=None, dtype=_F32, requires_grad=False) -> Tensor:
    """Standard normal samples from ``rng`` (or the default generator).

    >>> import autograd as ag
    >>> t = ag.randn(2, 3, rng=0)
    >>> t.shape, t.dtype
    ((2, 3), dtype('float32'))
    """
    arr = get_rng(rng).standard_normal(_shape(shape)).astype(dtype, copy=False)
    return Tensor(arr, requires_grad=requires_grad)


@op("factory", method=False)
def rand(*shape, rng=None, dtype=_F32, requires_grad=False) -> Tensor:
    """Uniform samples in [0, 1) from ``rng`` (or the default generator).

    >>> import autograd as ag
    >>> t = ag.rand(4, rng=0)
    >>> t.shape, t.dtype, bool(((t.data >= 0) & (t.data < 1)).all())
    ((4,), dtype('float32'), True)
    """
    arr = get_rng(rng).random(_shape(shape)).astype(dtype, copy=False)
    return Tensor(arr, requires_grad=requires_grad)
