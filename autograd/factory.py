"""Functions that make tensors: zeros, ones, full, empty, their ``_like`` forms, arange,
linspace, eye, and the random ones (randn, rand, randint, randperm, normal), which draw
from ``rng`` or the default generator that ``autograd.manual_seed`` seeds."""
from __future__ import annotations

import numpy as np

from .random import get_rng
from .ops.registry import op
from .tensor import Tensor

_F32 = np.float32


def _shape(shape, name="factory"):
    """``f(2, 3)``, ``f((2, 3))`` or ``f([2, 3])`` as a tuple of non-negative ints."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    for n in shape:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise TypeError(f"{name}: a shape takes ints, got {tuple(shape)!r}")
        if n < 0:
            raise ValueError(f"{name}: a shape cannot have negative sizes, got {tuple(shape)}")
    return tuple(int(n) for n in shape)


def _float_default(arr, dtype):
    """``arr`` in ``dtype``; without one, float64 made from Python numbers becomes float32."""
    if dtype is not None:
        return arr.astype(dtype, copy=False)
    return arr.astype(_F32) if arr.dtype == np.float64 else arr


def _number(name, what, value):
    """A real scalar argument (a Python or NumPy number, or a 0-d Tensor or array)."""
    if isinstance(value, Tensor):
        value = value.data
    if isinstance(value, np.ndarray):
        if value.ndim:
            raise ValueError(f"{name}: {what} must be a scalar, got shape {value.shape}")
        value = value[()]
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}: {what} must be a real number, got {value!r}")
    return value


def _count(name, what, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name}: {what} must be an int, got {value!r}")
    if value < 0:
        raise ValueError(f"{name}: {what} must be >= 0, got {value}")
    return int(value)


def _one_of(name, key, value, other_key, other):
    if value is not None and other is not None:
        raise TypeError(f"{name}: got both {key!r} and {other_key!r}; pass one of them")
    return value if value is not None else other


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
def arange(start, stop=None, step=1, dtype=None, requires_grad=False, *, end=None) -> Tensor:
    """NumPy's arange: ``arange(stop)`` or ``arange(start, stop, step)`` (PyTorch's ``end``
    too), stop excluded; a float argument or step gives float32 unless ``dtype`` says.

    >>> import autograd as ag
    >>> ag.arange(4)
    Tensor([0, 1, 2, 3], dtype=int64)
    >>> ag.arange(1.0, 0.0, -0.25)
    Tensor([1.  , 0.75, 0.5 , 0.25])
    """
    stop = _one_of("arange", "stop", stop, "end", end)
    if stop is None:
        start, stop = 0, start
    start, stop, step = (_number("arange", k, v) for k, v in
                         (("start", start), ("stop", stop), ("step", step)))
    if not all(np.isfinite(v) for v in (start, stop, step)):
        raise ValueError(f"arange: start, stop and step must be finite, got "
                         f"{start}, {stop}, {step}")
    if step == 0:
        raise ValueError("arange: step must not be zero")
    return Tensor(_float_default(np.arange(start, stop, step), dtype),
                  requires_grad=requires_grad)


@op("factory", method=False)
def linspace(start, end=None, steps=None, endpoint=True, dtype=None, requires_grad=False, *,
             stop=None, num=None) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` (included unless
    ``endpoint=False``), as PyTorch's and NumPy's (``stop``, ``num``; 50 by default);
    float32 unless ``dtype`` says otherwise.

    >>> import autograd as ag
    >>> ag.linspace(0, 1, 5)
    Tensor([0.  , 0.25, 0.5 , 0.75, 1.  ])
    """
    end = _one_of("linspace", "end", end, "stop", stop)
    if end is None:
        raise TypeError("linspace: missing the end value (end or stop)")
    steps = _one_of("linspace", "steps", steps, "num", num)
    steps = 50 if steps is None else _count("linspace", "steps", steps)
    start, end = _number("linspace", "start", start), _number("linspace", "end", end)
    arr = np.linspace(start, end, steps, endpoint=endpoint)
    return Tensor(_float_default(arr, dtype), requires_grad=requires_grad)


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


@op("factory", method=False)
def empty(*shape, dtype=_F32, requires_grad=False) -> Tensor:
    """A tensor whose values are whatever the memory held (not initialised); ``shape`` as
    separate ints or one tuple; float32 by default.

    >>> import autograd as ag
    >>> t = ag.empty(2, 3)
    >>> t.shape, t.dtype
    ((2, 3), dtype('float32'))
    """
    return Tensor(np.empty(_shape(shape, "empty"), dtype=dtype), requires_grad=requires_grad)


@op("factory", method=False)
def full_like(t, fill_value, dtype=None, requires_grad=False) -> Tensor:
    """``fill_value`` in the shape and dtype of ``t`` (or ``dtype``), as NumPy's.

    >>> import autograd as ag
    >>> ag.full_like(ag.zeros(2), 7.0)
    Tensor([7., 7.])
    """
    fill_value = _number("full_like", "fill_value", fill_value)
    return Tensor(np.full_like(np.asarray(t), fill_value, dtype=dtype),
                  requires_grad=requires_grad)


@op("factory", method=False)
def empty_like(t, dtype=None, requires_grad=False) -> Tensor:
    """An uninitialised tensor with the shape and dtype of ``t`` (or ``dtype``).

    >>> import autograd as ag
    >>> ag.empty_like(ag.zeros(2, 3)).shape
    (2, 3)
    """
    return Tensor(np.empty_like(np.asarray(t), dtype=dtype), requires_grad=requires_grad)


@op("factory", method=False)
def randint(low, high=None, size=(), *, rng=None, dtype=np.int64,
            requires_grad=False) -> Tensor:
    """Integers uniform in ``[low, high)`` (``[0, low)`` without ``high``) from ``rng`` or
    the default generator; PyTorch's ``randint(high, size)`` form too. int64 by default.

    >>> import autograd as ag
    >>> t = ag.randint(3, 10, (2, 4), rng=0)
    >>> t.shape, t.dtype, bool(((t.data >= 3) & (t.data < 10)).all())
    ((2, 4), dtype('int64'), True)
    """
    if isinstance(high, (tuple, list)):  # PyTorch's randint(high, size)
        low, high, size = 0, low, high
    elif high is None:
        low, high = 0, low
    low, high = (_number("randint", k, v) for k, v in (("low", low), ("high", high)))
    if not all(float(v).is_integer() for v in (low, high)):
        raise TypeError(f"randint: low and high must be integers, got {low!r} and {high!r}")
    if low >= high:
        raise ValueError(f"randint: low ({low}) must be less than high ({high})")
    shape = _shape((size,) if isinstance(size, (int, np.integer)) else (tuple(size),), "randint")
    arr = get_rng(rng).integers(int(low), int(high), size=shape, dtype=np.int64)
    return Tensor(arr.astype(dtype, copy=False), requires_grad=requires_grad)


@op("factory", method=False)
def randperm(n, *, rng=None, dtype=np.int64, requires_grad=False) -> Tensor:
    """A random permutation of ``0 .. n-1`` from ``rng`` or the default generator (int64).

    >>> import autograd as ag
    >>> sorted(ag.randperm(5, rng=0).tolist())
    [0, 1, 2, 3, 4]
    """
    arr = get_rng(rng).permutation(_count("randperm", "n", n))
    return Tensor(arr.astype(dtype, copy=False), requires_grad=requires_grad)


@op("factory", method=False)
def normal(mean=0.0, std=1.0, size=None, *, rng=None, dtype=None,
           requires_grad=False) -> Tensor:
    """Normal samples with ``mean`` and ``std`` (numbers, or tensors/arrays that broadcast,
    as PyTorch's and NumPy's) from ``rng`` or the default generator. float32 unless
    ``dtype``, or a float64 array among ``mean``/``std``, says otherwise.

    >>> import autograd as ag
    >>> t = ag.normal(2.0, 0.5, (3, 2), rng=0)
    >>> t.shape, t.dtype
    ((3, 2), dtype('float32'))
    """
    arrays = [np.asarray(v.data if isinstance(v, Tensor) else v) for v in (mean, std)]
    for what, a in zip(("mean", "std"), arrays):
        if a.dtype.kind not in "biuf":
            raise TypeError(f"normal: {what} must be real numbers, got {a.dtype}")
    if np.any(arrays[1] < 0) or np.any(np.isnan(arrays[1])):
        raise ValueError(f"normal: std must be >= 0, got {std!r}")
    size = None if size is None else _shape(
        (size,) if isinstance(size, (int, np.integer)) else (tuple(size),), "normal")
    try:
        shape = np.broadcast_shapes(arrays[0].shape, arrays[1].shape, *([size] if size else []))
    except ValueError:
        shape = None
    if shape is None or (size is not None and shape != size):
        raise ValueError(f"normal: mean of shape {arrays[0].shape} and std of shape "
                         f"{arrays[1].shape} do not broadcast to size {size}")
    if dtype is None:
        given = [a.dtype for v, a in zip((mean, std), arrays)
                 if isinstance(v, (Tensor, np.ndarray)) and a.dtype.kind == "f"]
        dtype = np.result_type(*given) if given else _F32
    arr = get_rng(rng).normal(arrays[0], arrays[1], size=shape)
    return Tensor(arr.astype(dtype, copy=False), requires_grad=requires_grad)
