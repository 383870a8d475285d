"""Reverse-mode traversal: ``backward`` and ``grad``.

Gradients flow through a dict that is popped as each node is done, in
decreasing creation order (a heap), so there is no recursion and no separate
sort: a chain of a million ops works, in time linear in its length.
"""
from __future__ import annotations

import math
from heapq import heappop, heappush

import numpy as np

from . import hooks as _hooks
from .function import check_backward_anomaly
from .inplace import as_used_by, rebinds
from .mode import _state
from .ops.xp import sum_to
from .tensor import Tensor, _wrap, inplace_clock


class NotScalarError(RuntimeError, ValueError):
    """backward() without ``grad`` on an output that is not a scalar.

    >>> import autograd as ag
    >>> x = ag.Tensor([1.0, 2.0], requires_grad=True)
    >>> (x * 2).backward()                            # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    NotScalarError: backward: the output is not a scalar (shape (2,)) ...
    """


def _seed(t: Tensor, grad, create_graph):
    """The gradient backward starts from: one for a scalar output, else ``grad``."""
    if grad is None:
        if t.data.size != 1:
            raise NotScalarError(
                f"backward: the output is not a scalar (shape {t.shape}), so pass grad= "
                "with its shape (e.g. ones), or reduce it first (e.g. .sum())")
        # a NumPy scalar for 0-d outputs: the cheapest seed there is
        seed = t.data.dtype.type(1) if t.data.ndim == 0 else np.ones(t.shape, t.dtype)
    else:
        shape = tuple(grad.shape if isinstance(grad, Tensor) else np.shape(grad))
        if shape != t.shape:
            raise ValueError(f"backward: grad has shape {shape} but the output has "
                             f"shape {t.shape}")
        if create_graph and isinstance(grad, Tensor):
            return grad  # it may require grad itself: the result is differentiable in it
        # a copy: gradients flowing from it may end up in a leaf's .grad
        seed = np.array(grad.data if isinstance(grad, Tensor) else grad, dtype=t.dtype)
    return Tensor(seed) if create_graph else seed


def _accumulate(t: Tensor, g, owned: bool, create_graph: bool):
    """Add ``g`` into leaf ``t``'s .grad, never aliasing another tensor's array."""
    if isinstance(g, Tensor):
        t.grad = g if t.grad is None else t.grad + g
        return
    tg = t.grad   # read once, shapes from .data: a scalar graph does this for every leaf
    if tg is None:
        arr = g.copy() if not owned and type(g) is np.ndarray else np.asarray(g)
        t.grad = _wrap(arr if arr.dtype == t.dtype else arr.astype(t.dtype), None, False)
    elif tg.grad_fn is None and tg.data.shape == t.data.shape and not tg.requires_grad:
        data = tg.data  # in place: the same .grad keeps accumulating, as in PyTorch
        if data.ndim:
            data += g
        else:
            data[()] = data[()] + g  # 4x cheaper than += on a 0-d array
    else:
        t.grad = _wrap(np.asarray(tg.data + g, dtype=t.dtype), None, False)


def _check_node(node):
    if node.saved is None:
        raise RuntimeError(
            f"backward through op '{node.name}' a second time: its saved values were "
            "freed by the first backward. Pass retain_graph=True to the first "
            "backward() (or ag.grad) if you need to go through the graph again.")
    if node.saved and node.versions != inplace_clock[0]:
        node.check_versions()


_NO_TARGETS = {}
# What a node freed by backward keeps of the gradient of its output, for viz
# (``node.grad_kept``): a NumPy scalar as it is, an array of at most
# KEEP_ELEMENTS elements whole, a larger one of at most NORM_ELEMENTS elements
# as its L2 norm (a Python float; one pass over it), a larger one not at all.
# So nothing large stays alive, the scalar graphs pay one store per node, and a
# training step on large batches no extra pass over its gradients (with norms up
# to 65,536 elements the 784-256-256-10 MLP step of benchmarks/nn_mlp.py took 2-3%
# longer; up to 4,096, the demo's graph of 4 images still gets them all).
KEEP_ELEMENTS = 6
NORM_ELEMENTS = 1 << 12


def _kept(g):
    """``grad_kept`` for a gradient that is not a NumPy scalar: an array, a Tensor
    (create_graph=True), or a list for a node of several outputs."""
    if type(g) is list:
        return tuple(None if gi is None else _kept(gi) for gi in g)
    g = np.asarray(g.data if isinstance(g, Tensor) else g)
    if g.size <= KEEP_ELEMENTS:
        return g.copy()   # never a view that would keep a large base alive
    if g.size > NORM_ELEMENTS or g.dtype.kind not in "fc":
        return None
    with np.errstate(all="ignore"):
        sq = abs(np.vdot(g, g))
        if sq == math.inf:   # float32 squares overflow where float64 ones do not
            wide = g.astype(np.complex128 if g.dtype.kind == "c" else np.float64)
            sq = abs(np.vdot(wide, wide))
    return math.sqrt(sq) if sq == sq else math.nan


def _run(roots, seeds, retain_graph, create_graph, targets=None):
    """The backward pass. With ``targets`` (for ``grad``), returns their gradients
    instead of accumulating into leaves.

    Nodes wait in a heap keyed by creation number; the newest is always done
    first. Everything that consumed a node's output was made after it, so by
    the time a node is popped its gradient is complete: no separate
    topological sort, and no recursion. Leaves' .grad are written only at the
    end, so a backward that fails leaves them as they were.
    """
    want = found = None
    nonleaf = _NO_TARGETS  # for ag.grad: target node -> [(output index, target index)]
    if targets is not None:
        want = {id(t): i for i, t in enumerate(targets)}
        found = [None] * len(targets)
        nonleaf = {}
        for i, t in enumerate(targets):
            if t.grad_fn is not None:
                nonleaf.setdefault(t.grad_fn, []).append((t._oi, i))
    grads, leaf_grads, heap = {}, {}, []
    # hooks exist: run them, and free nodes only at the end (a hook may raise)
    hooked = _hooks.active[0] != 0
    retained, done = [], []
    rebound = rebinds[0] != 0  # a recorded in-place op has run: inputs may be rebound
    # the type of the gradients that _kept must summarise (the others are NumPy scalars)
    arrays = Tensor if create_graph else np.ndarray
    for t, g in zip(roots, seeds):
        fn = t.grad_fn
        if fn is None:
            if want is None and hooked:
                gt = g if create_graph else np.array(g)
                leaf_grads[t] = leaf_grads[t] + gt if t in leaf_grads else gt
            elif want is None:
                _accumulate(t, g, False, create_graph)
            elif id(t) in want:
                i = want[id(t)]
                found[i] = g if found[i] is None else found[i] + g
            continue
        _check_node(fn)
        if fn not in grads:
            heappush(heap, (-fn.seq, fn))
        _add_grad(grads, fn, t._oi, g)

    anomaly = _state.anomaly
    prev_mode, prev_tensor = _state.grad_enabled, _state.tensor_backward
    _state.grad_enabled = create_graph
    _state.tensor_backward = create_graph
    try:
        while heap:
            node = heappop(heap)[1]
            g = grads.pop(node)
            if hooked:
                g = _hooks.on_node(node, g, create_graph, retained)
            if nonleaf and node in nonleaf:
                _capture(node, g, nonleaf[node], found)
            if create_graph and type(node).once_differentiable:
                _refuse_second_order(node)
            if node.n_out == 1:
                in_grads = type(node).backward(node, g)
            else:
                in_grads = type(node).backward(
                    node, *[_zeros_for(node, i, create_graph) if gi is None else gi
                            for i, gi in enumerate(g)])
                if not retain_graph:
                    g = _kept(g)
            if type(in_grads) is not tuple:
                in_grads = (in_grads,)
            if anomaly:
                check_backward_anomaly(node, in_grads)
            inputs = node.inputs
            if len(in_grads) != len(inputs):
                raise RuntimeError(f"op '{node.name}': backward returned {len(in_grads)} "
                                   f"gradients for {len(inputs)} inputs")
            for x, gi, need in zip(inputs, in_grads, node.needs_input_grad):
                if not need or gi is None:
                    if need and not retain_graph:   # viz: no gradient reached x from here
                        node.__dict__.setdefault("grad_blocked", set()).add(id(x))
                    continue
                fn = x.grad_fn
                if rebound and fn is not None and fn.seq > node.seq:  # changed in place
                    x = as_used_by(x, node.seq)
                    fn = x.grad_fn
                xd = x.data
                if gi.shape != xd.shape:
                    gi = _fix_shape(node, x, gi)
                if gi.dtype is not xd.dtype and gi.dtype != xd.dtype:
                    gi = gi.astype(xd.dtype)
                if fn is not None:
                    if fn.n_out == 1:
                        prev = grads.get(fn)
                        if prev is None:
                            if fn.saved is None or fn.saved and fn.versions != inplace_clock[0]:
                                _check_node(fn)  # freed, or changed in place: raises
                            heappush(heap, (-fn.seq, fn))
                            grads[fn] = gi
                        else:
                            grads[fn] = prev + gi
                    else:
                        if fn not in grads:
                            _check_node(fn)
                            heappush(heap, (-fn.seq, fn))
                        _add_grad(grads, fn, x._oi, gi)
                elif want is None:
                    prev = leaf_grads.get(x)
                    if prev is not None:
                        leaf_grads[x] = prev + gi
                    elif type(gi) is np.ndarray and not (
                            node._fresh_grads and gi is not g and gi.flags.writeable):
                        # Built-in ops return fresh arrays or views of the incoming
                        # gradient, which only this node holds; anything else (the
                        # gradient itself, broadcast views, user code) is copied.
                        leaf_grads[x] = gi.copy()
                    else:
                        leaf_grads[x] = gi
                elif id(x) in want:
                    i = want[id(x)]
                    found[i] = gi if found[i] is None else found[i] + gi
            if not retain_graph:
                if hooked:
                    done.append((node, g))
                else:
                    node.saved = node.outs = node.arrays = None
                    node.grad_kept = _kept(g) if type(g) is arrays else g
        if hooked:
            found, leaf_grads = _finish_hooks(targets, found, leaf_grads, create_graph)
            for node, g in done:
                node.saved = node.outs = node.arrays = None
                node.grad_kept = _kept(g) if type(g) is arrays else g
            if want is None:
                for ref, gx in retained:
                    if ref() is not None:
                        _accumulate(ref(), gx, False, create_graph)
        for x, gx in leaf_grads.items():
            _accumulate(x, gx, True, create_graph)
    finally:
        _state.grad_enabled, _state.tensor_backward = prev_mode, prev_tensor
    return found


def _finish_hooks(targets, found, leaf_grads, create_graph):
    """Leaves' hooks, on each leaf's whole gradient of the pass, before any is written."""
    leaf_grads = {x: _hooks.on_leaf(x, g, create_graph) for x, g in leaf_grads.items()}
    if targets is not None:
        found = [g if g is None or t.grad_fn is not None else _hooks.on_leaf(t, g, create_graph)
                 for t, g in zip(targets, found)]
    return found, leaf_grads


def _refuse_second_order(node):
    hint = type(node).once_differentiable_hint
    raise RuntimeError(
        f"op '{node.name}': its backward is first-order only (once_differentiable), so "
        "create_graph=True (a second derivative) through it is not supported"
        + (f"; {hint}" if hint else ""))


def _capture(node, g, slots, found):
    """For ag.grad: the gradient flowing into a non-leaf target."""
    for oi, i in slots:
        gi = g[oi] if node.n_out > 1 else g
        found[i] = gi if found[i] is None else found[i] + gi


def _add_grad(grads, node, oi, g):
    if node.n_out > 1:
        slot = grads.get(node)
        if slot is None:
            slot = grads[node] = [None] * node.n_out
        slot[oi] = g if slot[oi] is None else slot[oi] + g
    else:
        prev = grads.get(node)
        grads[node] = g if prev is None else prev + g


def _zeros_for(node, i, create_graph):
    z = np.zeros_like(node.outs[i])
    return Tensor(z) if create_graph else z


def _fix_shape(node, x, gi):
    if type(node).broadcasting:
        return sum_to(gi, x.shape)
    raise RuntimeError(f"op '{node.name}' returned a gradient of shape {gi.shape} "
                       f"for its input of shape {x.shape}")


def _as_list(x):
    if isinstance(x, Tensor):
        return [x]
    return list(x)


def backward(tensor, grad=None, retain_graph=False, create_graph=False):
    """Accumulate gradients of ``tensor`` into the leaves that require grad."""
    if not tensor.requires_grad:
        raise RuntimeError(
            "backward: the tensor does not require grad and has no grad_fn (no input of "
            "the computation had requires_grad=True, or it was made under no_grad)")
    seed = _seed(tensor, grad, create_graph)
    _run([tensor], [seed], retain_graph or create_graph, create_graph)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=False):
    """Gradients of ``outputs`` with respect to ``inputs``, as a tuple; ``.grad`` is untouched.

    >>> import autograd as ag
    >>> x = ag.Tensor(3.0, requires_grad=True)
    >>> (dx,) = ag.grad(x ** 3, x, create_graph=True)     # 3 x^2 = 27
    >>> (ddx,) = ag.grad(dx, x)                            # 6 x = 18
    >>> dx.item(), ddx.item()
    (27.0, 18.0)
    """
    outputs, inputs = _as_list(outputs), _as_list(inputs)
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    else:
        grad_outputs = _as_list(grad_outputs) if not isinstance(grad_outputs, np.ndarray) \
            else [grad_outputs]
    if len(grad_outputs) != len(outputs):
        raise ValueError(f"grad: {len(grad_outputs)} grad_outputs for {len(outputs)} outputs")
    for i, t in enumerate(inputs):
        if not isinstance(t, Tensor) or not t.requires_grad:
            raise ValueError(f"grad: input {i} does not require grad")
    for t in outputs:
        if not t.requires_grad:
            raise RuntimeError("grad: an output does not require grad and has no grad_fn")
    if retain_graph is None:
        retain_graph = create_graph
    seeds = [_seed(t, g, create_graph) for t, g in zip(outputs, grad_outputs)]
    found = _run(outputs, seeds, retain_graph, create_graph, targets=inputs)
    result = []
    for i, (t, g) in enumerate(zip(inputs, found)):
        if g is None:
            if not allow_unused:
                raise RuntimeError(f"grad: input {i} (shape {t.shape}) was not used to "
                                   "compute the outputs; pass allow_unused=True to get None")
            result.append(None)
        elif isinstance(g, Tensor):
            result.append(g)
        else:
            arr = np.array(g, dtype=t.dtype, copy=True)
            result.append(_wrap(arr, None, False))
    return tuple(result)
