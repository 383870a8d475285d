"""Backward formulas are written once and run on arrays or on Tensors.

A first-order backward passes ndarrays, so it costs what NumPy costs; under
``backward(create_graph=True)`` it passes Tensors, so the same formulas build
a graph and give second derivatives. ``xp(grad)`` picks the namespace: the
functions both sides need under one set of names.
"""
from types import SimpleNamespace

import numpy as np

from ..tensor import Tensor

numpy_ns = SimpleNamespace(
    exp=np.exp, log=np.log, sin=np.sin, cos=np.cos, sqrt=np.sqrt, where=np.where,
    broadcast_to=np.broadcast_to, sign=np.sign,
)
tensor_ns = SimpleNamespace()  # filled by autograd.ops once every op is defined


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
