"""In-place ops on tensors in a graph (``c += c + 1``, ``x[idx] = value``), recorded as
PyTorch records them.

The op computes its result out of place, as a new node, and then rebinds the Tensor
object: its ``grad_fn`` becomes that node and its version a new tick of the in-place
clock, so the object keeps its identity while the graph sees a new value. The node
keeps the tensor as it was (``node.before``, also its first input), and a node made
before the change still means the old value: ``as_used_by`` follows ``before`` back
from any node newer than the one asking (creation numbers only grow, so an input's
node is newer than its consumer only after such a rebinding). The engine and viz
resolve inputs through it.

* A tensor that requires grad gets the new array; its old array is left as it was
  (views taken from it earlier keep the old values). A node that saved the tensor
  (or, for ops that save their output, the node that made it) still raises at
  backward, by the version check, as in PyTorch.
* A tensor that does not require grad, given a value that does (``buf[i] = h``), is
  written in place as before (its views see the change) and joins the graph.
* A view made by basic indexing (``v = x[0]``; Python's ``x[0] += 1``) writes through:
  the base gets ``x[index] = new`` recorded, and the view is taken again from it. Views
  made by other ops (reshape, transpose, ...) raise: clone them first.
* A leaf that requires grad (or a view of one) stays an error outside ``no_grad``.
"""
from __future__ import annotations

import numpy as np

from .tensor import Tensor, _note_change, _root, _wrap, inplace_clock

rebinds = [0]  # how many tensors were rebound: the engine skips its check while none were


def as_used_by(x: Tensor, seq: int) -> Tensor:
    """``x`` as the node with creation number ``seq`` used it (before later in-place ops)."""
    fn = x.grad_fn
    while fn is not None and fn.seq > seq:
        x = fn.__dict__["before"]
        fn = x.grad_fn
    return x


def leaf_error(op_name: str, view_of: str = "") -> RuntimeError:
    return RuntimeError(
        f"{op_name}: in-place change of {view_of}a leaf that requires grad is only allowed "
        "under no_grad() (that is how optimizers update); write x = x + y to record the "
        "op instead")


def record(t: Tensor, op_name: str, compute, other=None) -> Tensor:
    """Apply ``compute(old, other) -> Tensor`` to ``t`` as a recorded in-place op."""
    if t.data.dtype.kind not in "fc":
        raise TypeError(f"{op_name}: a {t.data.dtype} tensor cannot take a value that "
                        "requires grad in place (only floating-point tensors can)")
    view = _view_base(t, op_name)
    writes = not t.requires_grad
    if writes and not t.data.flags.writeable:
        raise ValueError(f"{op_name}: the tensor (shape {t.shape}) is a read-only view "
                         "(e.g. of broadcast_to or meshgrid); clone() it first")
    old = _wrap(t.data.copy() if writes else t.data, t.grad_fn, t.requires_grad, t._oi)
    old.name, old._version = t.name, t._version
    new = compute(old, old if other is t else other)
    if new.dtype != t.dtype:
        new = _ops.astype(new, t.dtype)
    if new.shape != t.shape:
        raise ValueError(f"{op_name}: the result has shape {new.shape} but the tensor "
                         f"has shape {t.shape}")
    if view is not None:
        base, index = view
        base[index] = new                 # recorded on the base (through its own base)
        new = _ops.getitem(base, index)   # and the view taken again from it
    node = new.grad_fn
    node.__dict__["before"] = old
    rebinds[0] += 1
    inplace_clock[0] += 1
    if writes:
        np.copyto(t.data, new.data, casting="unsafe")
        _note_change(t.data, inplace_clock[0])
    else:
        t.data = new.data
        if old.grad_fn is not None:       # it may have saved this output (exp, tanh, ...)
            old.grad_fn.__dict__["_outputs_modified"] = True
    t.grad_fn, t._oi, t.requires_grad = node, new._oi, True
    t._version = inplace_clock[0]
    return t


def _view_base(t: Tensor, op_name: str):
    """``(base, index)`` when ``t`` is a view made by basic indexing of a tensor in the
    graph; raises for views made by other ops; None when ``t`` is no view."""
    fn = t.grad_fn
    if fn is None or t.data.base is None:
        return None
    if type(fn) is _GetItem and _shape._is_basic(fn.index):
        base = fn.inputs[0]
        if base.grad_fn is None:
            raise leaf_error(op_name, "a view (made by indexing) of ")
        if base.grad_fn.seq > fn.seq:
            raise RuntimeError(
                f"{op_name}: this view (made by indexing) was taken before its base was "
                "changed in place, so it no longer shares the base's values; take the "
                "view again, or clone() it")
        return base, fn.index
    root = _root(t.data)
    for x in fn.inputs:
        if isinstance(x, Tensor) and _root(x.data) is root:
            raise RuntimeError(
                f"{op_name}: the tensor (shape {t.shape}) is a view made by op "
                f"'{fn.name}', which shares memory with its input; in-place changes are "
                "recorded for views made by indexing only: clone() it first, or change "
                "the tensor it views")
    return None


from . import ops as _ops  # noqa: E402  (the ops import Tensor from .tensor)
from .ops import shape as _shape  # noqa: E402
from .ops.shape import GetItem as _GetItem  # noqa: E402
