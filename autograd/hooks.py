"""Gradient hooks on tensors: ``Tensor.register_hook`` and ``Tensor.retain_grad``.

Where the hooks live, so that nothing costs anything until a hook exists:

* a non-leaf tensor's hooks live on the node that made it (``grad_fn``), by output
  index: the engine meets nodes, not tensors, and a node never references its
  outputs (no cycle). ``retain_grad`` keeps a weak reference to the tensor there.
* a leaf's hooks live in a side table keyed by ``id`` and checked by a weak
  reference, whose callback drops the entry when the leaf is freed.

The engine looks at either only while ``active[0]`` (hooks registered and not
removed) is not zero. While it is not, a backward pass frees what its nodes saved
only at its end, so a hook that raises leaves the graph usable, and (as always)
no ``.grad`` is written by a pass that fails.
"""
from __future__ import annotations

import itertools
import weakref

import numpy as np

from .tensor import Tensor, _wrap

active = [0]   # hooks registered and not removed, of every kind (module hooks too)
_ids = itertools.count()
_leaf = {}     # id(leaf) -> (weakref to the leaf, HookDict)


class HookDict(dict):
    """handle id -> hook, in registration order (a dict that can be weakly referenced)."""
    __slots__ = ("__weakref__",)


class RemovableHandle:
    """What every ``register_*hook`` returns: ``handle.remove()`` unregisters the
    hook (a second call does nothing); also a context manager that removes it.

    >>> import autograd as ag
    >>> x = ag.Tensor(2.0, requires_grad=True)
    >>> with x.register_hook(lambda g: g * 10):
    ...     (x * 3).backward()
    >>> (x * 3).backward()
    >>> x.grad.item()          # 30 with the hook, then 3 without it
    33.0
    """

    __slots__ = ("_table", "id")

    def __init__(self, table: HookDict):
        self._table = weakref.ref(table)
        self.id = next(_ids)

    def remove(self) -> None:
        table = self._table()
        if table is not None and table.pop(self.id, None) is not None:
            active[0] -= 1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()

    def __repr__(self):
        return f"<RemovableHandle {self.id}>"


def add_hook(table: HookDict, hook, who: str, prepend: bool = False) -> RemovableHandle:
    """Put ``hook`` into ``table`` (last, or first with ``prepend``); its handle."""
    if not callable(hook):
        raise TypeError(f"{who}: the hook must be callable, got {type(hook).__name__}")
    handle = RemovableHandle(table)
    if prepend:
        rest = list(table.items())
        table.clear()
        table[handle.id] = hook
        table.update(rest)
    else:
        table[handle.id] = hook
    active[0] += 1
    return handle


def _drop_leaf(key):
    entry = _leaf.pop(key, None)
    if entry is not None:
        active[0] -= len(entry[1])


def register_hook(self: Tensor, hook) -> RemovableHandle:
    """Call ``hook(grad)`` with this tensor's gradient whenever one is computed; if it
    returns a value (a Tensor or array of the same shape), that value replaces the
    gradient from then on (what reaches ``.grad`` for a leaf, what flows on for a
    non-leaf). Hooks run in registration order. Returns a handle with ``.remove()``.

    >>> import autograd as ag
    >>> x = ag.Tensor([1.0, 2.0], requires_grad=True)
    >>> y = x * 3
    >>> h = y.register_hook(lambda g: g * 2)      # doubles what flows back through y
    >>> y.sum().backward()
    >>> x.grad.tolist()
    [6.0, 6.0]
    """
    if not self.requires_grad:
        raise RuntimeError("register_hook: cannot register a hook on a tensor that does not "
                           f"require grad (shape {self.shape})")
    fn = self.grad_fn
    if fn is None:
        entry = _leaf.get(id(self))
        if entry is None or entry[0]() is not self:
            key = id(self)
            entry = _leaf[key] = (weakref.ref(self, lambda _, key=key: _drop_leaf(key)),
                                  HookDict())
        return add_hook(entry[1], hook, "register_hook")
    per_out = fn.__dict__.setdefault("_hooks", {})
    return add_hook(per_out.setdefault(self._oi, HookDict()), hook, "register_hook")


def retain_grad(self: Tensor) -> None:
    """Keep this non-leaf tensor's gradient in ``.grad`` after backward (after its
    hooks ran; it accumulates like a leaf's). A no-op on leaves.

    >>> import autograd as ag
    >>> x = ag.Tensor([1.0, 2.0], requires_grad=True)
    >>> y = x * x
    >>> y.retain_grad()
    >>> (y * 3).sum().backward()
    >>> y.grad.tolist(), x.grad.tolist()
    ([3.0, 3.0], [6.0, 12.0])
    """
    if not self.requires_grad:
        raise RuntimeError(f"retain_grad: the tensor (shape {self.shape}) does not require grad")
    fn = self.grad_fn
    if fn is None:
        return
    retained = fn.__dict__.setdefault("_retain", {})
    if self._oi not in retained:
        retained[self._oi] = weakref.ref(self)
        active[0] += 1   # never decremented: a hint only, it keeps the engine checking


def retains_grad(self: Tensor) -> bool:
    """True for a non-leaf tensor after ``retain_grad()``."""
    fn = self.grad_fn
    if fn is None:
        return False
    ref = fn.__dict__.get("_retain", {}).get(self._oi)
    return ref is not None and ref() is self


def _run_hooks(table, g, create_graph, where):
    for hook in list(table.values()):
        arg = g if isinstance(g, Tensor) else _wrap(np.asarray(g), None, False)
        out = hook(arg)
        if out is None:
            continue
        shape = tuple(np.shape(out.data if isinstance(out, Tensor) else out))
        if shape != np.shape(g):
            raise RuntimeError(f"hook on {where}: returned a gradient of shape {shape} for "
                               f"a gradient of shape {np.shape(g)}")
        dtype = (g.data if isinstance(g, Tensor) else np.asarray(g)).dtype
        if create_graph:
            g = out if isinstance(out, Tensor) else Tensor(np.array(out, dtype=dtype))
        else:   # a copy: it may end up in a .grad that accumulates in place
            g = np.array(out.data if isinstance(out, Tensor) else out, dtype=dtype)
    return g


def on_node(node, g, create_graph, retained):
    """The engine's call when ``node``'s output gradient ``g`` is complete: run the
    hooks of its outputs; note retained gradients in ``retained`` (written at the
    end of the pass). Returns ``g``, replaced where a hook said so."""
    d = node.__dict__
    hooks, keep = d.get("_hooks"), d.get("_retain")
    if not hooks and not keep:
        return g
    multi = node.n_out > 1
    if multi:
        g = list(g)
    for oi in range(node.n_out):
        gi = g[oi] if multi else g
        if gi is None:
            continue
        if hooks and hooks.get(oi):
            gi = _run_hooks(hooks[oi], gi, create_graph, f"the output of op '{node.name}'")
        if keep and oi in keep:
            retained.append((keep[oi], gi))
        if multi:
            g[oi] = gi
        else:
            g = gi
    return g


def on_leaf(x, g, create_graph):
    """A leaf's hooks on its whole gradient of this pass (before ``.grad`` changes)."""
    entry = _leaf.get(id(x))
    if entry is None or entry[0]() is not x or not entry[1]:
        return g
    return _run_hooks(entry[1], g, create_graph, f"a leaf of shape {x.shape}")
