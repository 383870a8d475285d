"""The memory that convolution and pooling keep between calls, in one place.

Three kinds of array are kept, per thread:

* scratch (``workspace``): temporaries that die inside one forward or backward
  (the padded input, a channel-major copy of the gradient, the column
  gradients), one buffer per ``slot``;
* columns (``columns``): a convolution's im2col array, which its node keeps
  for the weight's gradient; recycled once no live node holds it;
* zero grids (``zero_grid``): the stride-1 path's zero-padded layout of the
  incoming gradient, one per geometry, zeros wherever no output lands (the
  caller writes only the rest).

Why keep them at all: these are the largest arrays a step makes, and a fresh
one each step comes from new pages of memory, whose page faults cost as much
as the matmul that fills it.

One rule evicts: the arrays of all three kinds share one byte budget per
thread (``BUDGET``), least recently used first out. Forgetting an array is
always safe: whoever is using it holds it (the caller, or the node that saved
it), and the store only stops offering it. An array larger than the whole
budget is handed out and never kept.
"""
from __future__ import annotations

import math
import threading
import weakref
from collections import OrderedDict

import numpy as np

BUDGET = 256 << 20  # bytes kept per thread, all three kinds together


class _Store(threading.local):
    def __init__(self):
        self.entries = OrderedDict()  # key -> array, least recently used first
        self.owners = {}              # columns key -> weak reference to the node
        self.nbytes = 0


_store = _Store()


def _get(key):
    arr = _store.entries.get(key)
    if arr is not None:
        _store.entries.move_to_end(key)
    return arr


def _put(key, arr) -> None:
    """Keep ``arr`` under ``key``, evicting the least recently used until it fits."""
    store = _store
    old = store.entries.pop(key, None)
    if old is not None:
        store.nbytes -= old.nbytes
    if arr.nbytes > BUDGET:
        store.owners.pop(key, None)
        return
    while store.entries and store.nbytes + arr.nbytes > BUDGET:
        gone, dropped = store.entries.popitem(last=False)
        store.nbytes -= dropped.nbytes
        store.owners.pop(gone, None)
    store.entries[key] = arr
    store.nbytes += arr.nbytes


def kept_bytes() -> int:
    """Bytes the calling thread keeps now (at most ``BUDGET``)."""
    return _store.nbytes


def clear() -> None:
    """Forget everything the calling thread keeps."""
    _store.entries.clear()
    _store.owners.clear()
    _store.nbytes = 0


def workspace(shape, dtype, slot: int = 0) -> np.ndarray:
    """A scratch array for a temporary that dies inside one forward or backward,
    reused from call to call (the same ``slot`` gives the same memory while it is
    kept): callers copy whatever they return."""
    dtype = np.dtype(dtype)
    nbytes = math.prod(shape) * dtype.itemsize
    key = ("scratch", slot)
    buf = _get(key)
    if buf is None or buf.nbytes < nbytes:
        buf = np.empty(nbytes, np.uint8)
        _put(key, buf)
    return buf[:nbytes].view(dtype).reshape(shape)


def columns(shape, dtype, node) -> np.ndarray:
    """An array for ``node``'s columns, recycled from an earlier convolution that is
    done with its own: its backward released them, it never saved them, or it is gone.
    Ownership is read from the nodes, never guessed: an array is offered again only
    when no live node holds it among its saved values."""
    dtype = np.dtype(dtype)
    k = 0
    while True:
        key = ("columns", tuple(shape), dtype, k)
        arr = _store.entries.get(key)
        if arr is None:
            break
        if not _holds(_store.owners[key](), arr):
            _store.entries.move_to_end(key)
            _store.owners[key] = weakref.ref(node)
            return arr
        k += 1
    arr = np.empty(shape, dtype)
    _put(key, arr)
    if key in _store.entries:
        _store.owners[key] = weakref.ref(node)
    return arr


def _holds(node, arr) -> bool:
    saved = None if node is None else node.saved
    return saved is not None and any(a is arr for a in saved)


def zero_grid(key, shape, dtype) -> np.ndarray:
    """A kept array for geometry ``key``, all zeros when first made. The caller keeps
    the invariant: it writes only positions that every use overwrites, so the rest
    stays zero from call to call."""
    key = ("grid", key, tuple(shape), np.dtype(dtype))
    arr = _get(key)
    if arr is None:
        arr = np.zeros(shape, dtype)
        _put(key, arr)
    return arr
