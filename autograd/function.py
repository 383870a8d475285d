"""The op base class. One instance per application of an op is one node of the graph.

Contract of a primitive (internal ops and user ``Function`` subclasses alike):

* ``forward(ctx, *arrays, **params) -> ndarray | tuple[ndarray, ...]`` runs on
  NumPy arrays. Inputs that were not Tensors (Python or NumPy scalars,
  arrays) arrive as they are and are constants: they get no gradient.
  ``ctx`` is the node itself: ``ctx.save_for_backward(*arrays)`` keeps what
  backward needs, plain attributes keep settings (``ctx.axis = axis``).
* ``backward(ctx, *grads)`` returns one gradient per input (a tuple, or a
  single value for a one-input op), ``None`` where an input needs none;
  ``ctx.needs_input_grad[i]`` says which are wanted. For a first-order
  backward, grads and ``ctx.saved_tensors`` are ndarrays; under
  ``backward(create_graph=True)`` they are Tensors and the ops backward uses
  are recorded, so the same code gives second derivatives. Internal ops use
  ``xp(grad)`` to pick NumPy or autograd functions for that reason.

A node keeps its input Tensors (for the traversal and for leaves), never its
outputs: outputs point to the node through ``grad_fn``, so there is no
reference cycle, and a graph is freed by reference counting alone.
"""
from __future__ import annotations

import itertools

import numpy as np

from .mode import AnomalyError, _state, user_frame
from .tensor import Tensor, _wrap, changed_since, inplace_clock

_new = object.__new__
# Creation numbers: a node is always newer than the nodes that feed it, so
# backward can go newest-first without sorting the graph.
_next_seq = itertools.count().__next__
# _NEEDS[n][mask]: the needs_input_grad tuple of an n-input op, bit i for input i.
_NEEDS = [[tuple(bool(mask >> i & 1) for i in range(n)) for mask in range(1 << n)]
          for n in range(5)]


class Function:
    """Base of every op; subclass it for a custom primitive and call ``MyFn.apply(...)``.

    >>> import numpy as np, autograd as ag
    >>> class Cube(ag.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x ** 3
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         (x,) = ctx.saved_tensors
    ...         return grad * 3 * x ** 2
    >>> x = ag.Tensor(2.0, requires_grad=True)
    >>> Cube.apply(x).backward()
    >>> float(x.grad)
    12.0
    """

    __slots__ = ("inputs", "arrays", "needs_input_grad", "saved", "outs", "versions",
                 "scope", "n_out", "seq", "grad_kept", "__weakref__", "__dict__")
    where = None  # the user's file:line, recorded in anomaly mode only
    # Internal ops return fresh arrays (or the incoming gradient, or views of it);
    # the engine copies before storing anything else into a leaf's .grad.
    _fresh_grads = False
    # Ops whose inputs broadcast get their gradients summed back to each input's shape.
    broadcasting = False
    # True for a backward written on arrays only (PyTorch's once_differentiable): the
    # engine refuses create_graph=True through it, naming the op and ``hint``.
    once_differentiable = False
    once_differentiable_hint = ""

    # -- the user's side of the contract ------------------------------------
    def forward(ctx, *arrays, **params):  # pragma: no cover - abstract
        raise NotImplementedError(f"{type(ctx).__name__}.forward is not implemented")

    def backward(ctx, *grads):  # pragma: no cover - abstract
        raise NotImplementedError(f"{type(ctx).__name__}.backward is not implemented")

    def save_for_backward(self, *arrays):
        self.saved = arrays

    @property
    def saved_tensors(self):
        saved = self.saved
        if saved is None:
            raise RuntimeError(
                f"op '{self.name}': its saved values were freed by an earlier backward; "
                "pass retain_graph=True to that backward to use the graph again")
        if not _state.tensor_backward:
            return saved
        return tuple(self._as_tensor(a) for a in saved)

    def _as_tensor(self, a):
        """For a differentiable backward: a saved input is that input, a saved
        output is a Tensor made by this node, anything else is a constant."""
        for x, arr in zip(self.inputs, self.arrays):
            if arr is a and isinstance(x, Tensor):
                return x
        outs = self.outs if self.n_out > 1 else (self.outs,)
        for i, o in enumerate(outs):
            if o is a:
                return _wrap(a, self, True, i)
        if self.n_out == 1 and a is not None and a is self.__dict__.get("raw_out"):  # 0-d out
            return _wrap(self.outs, self, True, 0)
        return _wrap(a, None, False) if isinstance(a, np.ndarray) else a

    @property
    def name(self) -> str:
        return getattr(type(self), "op_name", None) or type(self).__name__.lower()

    @property
    def next_functions(self):
        """The nodes (or leaf Tensors) that feed this one, in input order."""
        from .inplace import as_used_by  # inputs as they were (before later in-place ops)
        xs = [as_used_by(x, self.seq) for x in self.inputs if isinstance(x, Tensor)]
        return tuple(x.grad_fn if x.grad_fn is not None else x for x in xs if x.requires_grad)

    def __repr__(self):
        return f"<{self.name} node>"

    # -- applying an op -----------------------------------------------------
    @classmethod
    def apply(cls, *inputs, **params):
        """Run the op on Tensors (or constants) and record it when a gradient is needed."""
        node = _new(cls)
        node.saved = ()
        node.inputs = inputs
        arrays = []
        mask = 0  # bit i: input i needs a gradient
        bit = 1
        for x in inputs:
            if isinstance(x, Tensor):
                d = x.data
                # NumPy is ~10x faster on scalars than on 0-d arrays: forward and
                # backward of scalar graphs see NumPy scalars; .data stays an ndarray.
                arrays.append(d if d.ndim else d[()])
                if x.requires_grad:
                    mask |= bit
            else:
                arrays.append(x)
            bit <<= 1
        # shared tuples: no allocation per op (fewer objects for the cyclic GC to scan)
        n = len(inputs)
        node.needs_input_grad = _NEEDS[n][mask] if n < 5 else \
            tuple(bool(mask >> i & 1) for i in range(n))
        try:
            out = cls.forward(node, *arrays, **params)
        except ValueError as err:
            raise _input_error(node, arrays, err) from None
        if type(out) is tuple:
            return _finish_multi(node, out, mask != 0 and _state.grad_enabled, arrays)
        return _finish(node, out, mask, arrays)

    # The operators' fast paths: apply() for one or two inputs and no settings, with
    # the loop unrolled (15% of a scalar op's time). Same contract, same _finish.
    @classmethod
    def apply1(cls, x):
        node = _new(cls)
        node.saved = ()
        node.inputs = (x,)
        mask = 0
        if isinstance(x, Tensor):
            a = x.data
            if not a.ndim:
                a = a[()]
            if x.requires_grad:
                mask = 1
        else:
            a = x
        node.needs_input_grad = _NEEDS[1][mask]
        try:
            out = cls.forward(node, a)
        except ValueError as err:
            raise _input_error(node, (a,), err) from None
        return _finish(node, out, mask, (a,))

    @classmethod
    def apply2(cls, x, y):
        node = _new(cls)
        node.saved = ()
        node.inputs = (x, y)
        mask = 0
        if isinstance(x, Tensor):
            a = x.data
            if not a.ndim:
                a = a[()]
            if x.requires_grad:
                mask = 1
        else:
            a = x
        if isinstance(y, Tensor):
            b = y.data
            if not b.ndim:
                b = b[()]
            if y.requires_grad:
                mask |= 2
        else:
            b = y
        node.needs_input_grad = _NEEDS[2][mask]
        try:
            out = cls.forward(node, a, b)
        except ValueError as err:
            raise _input_error(node, (a, b), err) from None
        return _finish(node, out, mask, (a, b))

    # -- engine helpers -----------------------------------------------------
    def check_versions(self):
        """Raise if a Tensor this node saved was changed in place after the forward."""
        saved = self.saved
        if not saved or self.versions == inplace_clock[0]:
            return
        for i, (x, arr) in enumerate(zip(self.inputs, self.arrays)):
            if isinstance(x, Tensor) and x._version > self.versions and \
                    any(arr is a for a in saved):
                raise RuntimeError(
                    f"op '{self.name}' saved its input {i} (shape {x.shape}) for backward, "
                    "but that tensor was modified by an in-place operation afterwards; "
                    "clone it before changing it, or change it after backward")
        if self.__dict__.get("_outputs_modified"):
            outs = (self.outs if self.n_out > 1 else (self.outs,)) + \
                (self.__dict__.get("raw_out", self.outs),)
            if any(a is o for a in saved for o in outs):
                raise RuntimeError(
                    f"op '{self.name}' saved its output for backward, but that output was "
                    "modified by an in-place operation afterwards; clone it before "
                    "changing it, or change it after backward")
        for a in saved:
            if changed_since(a, self.versions):
                raise RuntimeError(
                    f"op '{self.name}' saved an array for backward (shape {a.shape}) whose "
                    "memory was modified by an in-place operation afterwards, through a "
                    "view or a detach() that shares it; clone before changing it, or "
                    "change it after backward")

    def release(self):
        """Free what backward needed (saved arrays and masks); keep the structure, so the
        graph can still be drawn. A later backward through this node raises."""
        self.saved = self.outs = self.arrays = None


def _finish(node, out, mask, arrays):
    """Wrap forward's output in a Tensor; record the node when a gradient is needed
    (``mask``: which inputs need one)."""
    raw = out  # a NumPy scalar that forward may have saved: _as_tensor must know it
    if type(out) is not np.ndarray:
        out = np.asarray(out)
    state = _state
    if state.anomaly:
        _check_forward(node, (out,))
        node.where = user_frame()
    t = _new(Tensor)
    t.data = out
    t.grad = None
    t.name = None
    t._version = 0
    t._oi = 0
    if mask and state.grad_enabled:
        node.seq = _next_seq()
        node.outs = out
        node.scope = state.scope
        node.n_out = 1
        saved = node.saved
        if saved:
            # kept to tell saved inputs and outputs apart (create_graph, in-place checks)
            node.arrays = arrays
            node.versions = inplace_clock[0]
            if raw is not out:
                for a in saved:
                    if a is raw:
                        node.raw_out = raw
                        break
        t.grad_fn = node
        t.requires_grad = True
    else:
        t.grad_fn = None
        t.requires_grad = False
    return t


def _input_error(node, arrays, err) -> ValueError:
    """forward's ValueError, naming the op and the input shapes."""
    shapes = " and ".join(str(np.shape(a)) for a in arrays)
    msg = str(err)
    if not msg.startswith(f"{node.name}:"):  # the op's own messages name it already
        msg = f"{node.name}: {msg}"
    return ValueError(f"{msg} (input shapes {shapes})")


def _finish_multi(node, outs, record, arrays):
    outs = tuple(o if type(o) is np.ndarray else np.asarray(o) for o in outs)
    if _state.anomaly:
        _check_forward(node, outs)
        node.where = user_frame()
    if not record:
        return tuple(_wrap(o, None, False) for o in outs)
    node.seq = _next_seq()
    node.arrays = arrays
    node.outs = outs
    node.scope = _state.scope
    node.n_out = len(outs)
    if node.saved:
        node.versions = inplace_clock[0]
    return tuple(_wrap(o, node, True, i) for i, o in enumerate(outs))


def _describe_bad(a) -> str:
    a = np.asarray(a)
    if np.isnan(a).any():
        return "NaN"
    return "-Inf" if np.isneginf(a).any() and not np.isposinf(a).any() else "Inf"


def _check_forward(node, outs):
    for i, o in enumerate(outs):
        if o.dtype.kind in "fc" and not np.isfinite(o).all():
            raise AnomalyError(
                f"op '{node.name}' produced {_describe_bad(o)} in its output {i} "
                f"(shape {o.shape}); created at {user_frame()}")


def check_backward_anomaly(node, grads):
    for i, g in enumerate(grads):
        if g is None:
            continue
        a = g.data if hasattr(g, "grad_fn") else np.asarray(g)
        if a.dtype.kind in "fc" and not np.isfinite(a).all():
            raise AnomalyError(
                f"op '{node.name}' produced {_describe_bad(a)} in its backward: the gradient "
                f"for its input {i} (shape {a.shape}); the op was created at "
                f"{node.where or 'an unknown place (made outside detect_anomaly)'}")


class Op(Function):
    """Base of the built-in primitives (they return fresh gradient arrays)."""

    __slots__ = ()
    _fresh_grads = True

