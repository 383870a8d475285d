"""Backward formulas are written once and run on arrays or on Tensors.

A first-order backward passes ndarrays, so it costs what NumPy costs; under
``backward(create_graph=True)`` it passes Tensors, so the same formulas build
a graph and give second derivatives. ``xp(grad)`` picks the namespace: the
functions both sides need under one set of names.

``array_module(*arrays)`` is the module whose functions allocate for the given
arrays: NumPy for ndarrays, NumPy scalars and Python numbers (and for a Tensor
holding one), and for any other array that follows the array API standard, the
namespace its ``__array_namespace__()`` gives. Ops allocate zeros, ones and empty
buffers through it, so another array library with NumPy's API can be plugged in
later without touching every op:

>>> import numpy as np
>>> from autograd.ops.xp import array_module
>>> array_module(np.ones(3), 2.0) is np
True
>>> array_module(np.ones(2, np.float32)).zeros(2, dtype=np.float32)
array([0., 0.], dtype=float32)

What a second array library would still need (NumPy-only today, each where no
portable spelling exists or where the data are host-side index arithmetic):

- ``np.add.at`` (unbuffered scatter-add with repeated indices) in
  ``shape.scatter_array`` and ``sort.scatter_add_along``; the array API has no
  equivalent (CuPy spells it ``cupyx.scatter_add``).
- Index arrays built on the host with ``np.arange``, ``np.indices``, ``np.ogrid``
  and ``np.repeat`` (``einsum``, ``index``, ``matrix``, ``scan``, ``shape_more``,
  ``sort``); a device library would want them built with its own ``arange``.
- ``np.asarray`` on users' indices, masks, repeats and pad widths (``index``,
  ``shape``, ``shape_more``, ``elementwise.where``'s condition) and around the
  results of forward-only ops (``logic``, ``reduce``'s argmax/argmin/count_nonzero,
  ``scan``'s cummax/cummin and ``sort``'s indices): NumPy's ufuncs give scalars for
  0-d inputs and these casts turn them back into arrays.
- ``activation._zeros_for``: a cached block of NumPy zeros, a speed path taken only
  for ``type(x) is np.ndarray`` (other arrays get the scalar 0).
- ``special.erf_array``/``erfc_array`` use boolean-mask assignment, an optional
  part of the array API.
- Outside ``autograd/ops``: the factories (``autograd/factory.py``: ``zeros``,
  ``ones``, ``full`` and ``empty`` have no array to follow; the ``*_like`` ones
  convert theirs with ``np.asarray``), the engine's seed gradient and zero fills
  (``autograd/engine.py``), ``gradcheck``'s float64 work arrays, and ``nn``'s
  layers and functional ops, which allocate with NumPy directly.
- Everything else calls NumPy functions (``np.where``, ``np.sum``, ``np.exp``, ...)
  on the inputs, which libraries implementing ``__array_function__`` and
  ``__array_ufunc__`` (as CuPy and Dask do) take over.
"""
from types import SimpleNamespace

import numpy as np

from ..tensor import Tensor

numpy_ns = SimpleNamespace(
    exp=np.exp, log=np.log, sin=np.sin, cos=np.cos, sqrt=np.sqrt, where=np.where,
    broadcast_to=np.broadcast_to, sign=np.sign,
)
tensor_ns = SimpleNamespace()  # filled by autograd.ops once every op is defined

_NUMPY_KINDS = (np.ndarray, np.generic, int, float, complex, bool)


def array_module(*arrays):
    """The module whose functions should allocate arrays for ``arrays``: NumPy for
    ndarrays, NumPy scalars, Python numbers and Tensors holding them; for another
    array, the namespace of its ``__array_namespace__()`` (the array API standard's
    hook, duck-typed). ``None`` arguments are skipped; arrays of two other libraries
    are a TypeError."""
    found = None
    for a in arrays:
        if isinstance(a, Tensor):
            a = a.data
        if a is None or isinstance(a, _NUMPY_KINDS):
            continue
        get = getattr(a, "__array_namespace__", None)
        if get is None:
            continue  # lists, tuples and other array-likes: NumPy converts them
        ns = get()
        if ns is np:
            continue
        if found is not None and ns is not found:
            raise TypeError(f"array_module: arrays of two libraries ({found.__name__!r} "
                            f"and {ns.__name__!r}) in one op")
        found = ns
    return np if found is None else found


def dtype_of(a):
    """``a``'s dtype: its ``.dtype``, or NumPy's for a Python number."""
    dtype = getattr(a, "dtype", None)
    return np.result_type(a) if dtype is None else dtype


def xp(a):
    return tensor_ns if isinstance(a, Tensor) else numpy_ns


def data(a):
    """The ndarray behind a Tensor (for masks and other constants)."""
    return a.data if isinstance(a, Tensor) else a


def sum_to(g, shape):
    """Sum a broadcast gradient back down to ``shape`` (works on arrays and Tensors)."""
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and g.shape[lead + i] != 1)
    if axes:
        g = g.sum(axis=axes, keepdims=True)
    if lead:
        g = g.reshape(shape)
    return g


def const_like(g, arr):
    """``arr`` as the same kind as ``g``: an array, or a Tensor that needs no grad."""
    if isinstance(g, Tensor):
        return Tensor(arr)
    return arr
