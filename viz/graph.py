"""The graph as viz sees it: nodes (ops, leaves, constants) and edges, read from the engine.

viz only reads the graph. The walk is breadth-first from the roots with an
explicit queue (no recursion: a 10,000-op chain is fine), so node order is
distance from the root, which is what ``max_nodes`` keeps. Every op node and
every leaf Tensor is drawn once however many times it is used.

>>> from autograd import Tensor
>>> a = Tensor(2.0, requires_grad=True, name="a")
>>> g = walk([a * 3 + a])
>>> [(v.kind, v.title) for v in g.nodes]
[('op', 'add'), ('op', 'mul'), ('input', 'a'), ('const', '3')]
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

from autograd import Tensor
from autograd import grad as _ag_grad
from autograd.engine import NORM_ELEMENTS
from autograd.inplace import as_used_by

from .labels import fmt_number


@dataclass(eq=False)
class VNode:
    """One drawn node. ``kind``: 'op', 'param', 'input', 'const', 'fold' or 'more'."""

    key: str
    kind: str
    title: str
    subtitle: str = ""
    values: list = field(default_factory=list)     # one ndarray per output (or the leaf)
    grads: list = field(default_factory=list)      # aligned with values; None = unknown
    scope: tuple = ()
    fn: object = None                              # the engine's node, for ops
    tensors: list = field(default_factory=list)    # output Tensors (ops) or the leaf Tensor
    shape: tuple | None = ()                       # None for a raw Python scalar constant
    is_root: bool = False
    note: str = ""                                 # e.g. that backward did not keep its grad

    def shapes(self):
        return [(np.shape(a), np.asarray(a).dtype) for a in self.values if a is not None]


@dataclass(eq=False)
class Edge:
    src: str
    dst: str
    oi: int = 0          # which output of src
    many: bool = False   # src has several outputs (label the edge with oi)


@dataclass
class Graph:
    nodes: list
    edges: list
    hidden: int = 0      # nodes left out by max_nodes

    def by_key(self) -> dict:
        return {v.key: v for v in self.nodes}


# -- parameters ---------------------------------------------------------------
def param_names(params=None, module=None) -> dict:
    """``id(tensor) -> name`` from a dict, (name, tensor) pairs, or a module's
    ``named_parameters()``."""
    names = {}
    for source in (module, params):
        if source is None:
            continue
        if hasattr(source, "named_parameters"):
            pairs = source.named_parameters()
        elif isinstance(source, dict):
            pairs = source.items()
        else:
            pairs = source
        for item in pairs:
            try:
                name, t = item
            except (TypeError, ValueError):
                raise TypeError("viz: params must be a dict name -> Tensor, an nn.Module, or "
                                f"(name, Tensor) pairs; got an item {item!r}") from None
            if not isinstance(t, Tensor):
                raise TypeError(f"viz: parameter {name!r} is a {type(t).__name__}, "
                                "not a Tensor")
            names[id(t)] = str(name)
    return names


# -- the walk -----------------------------------------------------------------
class _Builder:
    def __init__(self, names):
        self.names = names
        self.nodes = []
        self.edges = []
        self.ops = {}      # id(engine node) -> VNode
        self.leaves = {}   # id(Tensor) -> VNode

    def _add(self, **kw):
        v = VNode(key=f"n{len(self.nodes)}", **kw)
        self.nodes.append(v)
        return v

    def op(self, fn, queue):
        v = self.ops.get(id(fn))
        if v is None:
            v = self._add(kind="op", title=fn.name, scope=fn.scope or (), fn=fn,
                          tensors=[None] * fn.n_out)
            self.ops[id(fn)] = v
            queue.append(v)
        return v

    def leaf(self, t):
        v = self.leaves.get(id(t))
        if v is None:
            name = self.names.get(id(t))
            if name is not None or type(t).__name__ == "Parameter":
                kind, title = "param", name or t.name or "parameter"
            elif t.requires_grad or t.size > 1:
                kind, title = "input", t.name or "input"
            else:
                kind, title = "const", t.name or fmt_number(t.data.item())
            v = self._add(kind=kind, title=title, values=[t.data], tensors=[t])
            self.leaves[id(t)] = v
        return v

    def const(self, x, scope):
        try:
            arr = np.asarray(x)
        except (TypeError, ValueError):   # an op setting that is not array-like
            arr = np.asarray(None)
        if arr.dtype.kind not in "fciubc":
            text = repr(x)
            return self._add(kind="const", title=text if len(text) <= 40 else text[:37] + "...",
                             scope=scope, shape=None)
        scalar = not isinstance(x, np.ndarray)
        title = fmt_number(arr.item()) if arr.size == 1 else "constant"
        return self._add(kind="const", title=title, values=[arr], scope=scope,
                         shape=None if scalar and arr.ndim == 0 else arr.shape)

    def source(self, x, queue, scope=()):
        """The node an input comes from, remembering ``x`` as that op's output.
        A raw constant is drawn in the cluster of the op that uses it."""
        if not isinstance(x, Tensor):
            return self.const(x, scope)
        fn = x.grad_fn
        if fn is None:
            return self.leaf(x)
        v = self.op(fn, queue)
        v.tensors[x._oi] = x
        return v


def walk(roots, names=None) -> Graph:
    """Nodes and edges reachable from ``roots`` (Tensors), breadth-first."""
    b = _Builder(names or {})
    queue = deque()
    for t in roots:
        v = b.source(t, queue)
        v.is_root = True
    while queue:
        consumer = queue.popleft()
        for x in consumer.fn.inputs:
            if isinstance(x, Tensor):  # as the op used it, before later in-place ops
                x = as_used_by(x, consumer.fn.seq)
            src = b.source(x, queue, consumer.scope)
            oi = getattr(x, "_oi", 0) if isinstance(x, Tensor) else 0
            many = src.fn is not None and src.fn.n_out > 1
            b.edges.append(Edge(src.key, consumer.key, oi, many))
    for v in b.nodes:
        if v.kind == "op":
            _op_outputs(v)
    return Graph(b.nodes, b.edges)


def _op_outputs(v):
    """Values of an op's outputs: from the output Tensors met in the walk, else from
    what the node still holds (freed after a backward without retain_graph)."""
    outs = v.fn.outs
    if outs is not None and v.fn.n_out == 1:
        outs = (outs,)
    values = []
    for i, t in enumerate(v.tensors):
        if t is not None:
            values.append(t.data)
        elif outs is not None:
            values.append(outs[i])
        else:
            values.append(None)
    v.values = values
    names = [t.name for t in v.tensors if t is not None and t.name]
    v.subtitle = ", ".join(names)


# -- gradients ----------------------------------------------------------------
class GradNorm(float):
    """The L2 norm of a gradient that the engine kept instead of the array (see
    ``autograd.engine.KEEP_ELEMENTS``): drawn as ``|grad| 1.5``."""


def attach_grads(graph: Graph, roots, compute: bool) -> bool:
    """Fill each node's ``grads``: leaves' ``.grad``; for op outputs, what the
    backward that freed the graph kept (``kept_grads``), or, with ``compute``,
    ``ag.grad`` when the graph still holds its saved values. Returns whether that
    computation happened."""
    for v in graph.nodes:
        if v.kind in ("param", "input", "const") and v.tensors:
            g = v.tensors[0].grad
            v.grads = [None if g is None else g.data]
        else:
            v.grads = [None] * len(v.values)
    if not compute or not _retained(graph, roots):
        kept_grads(graph, roots)
        return False
    slots, targets = [], []
    for v in graph.nodes:
        for i, t in enumerate(v.tensors):
            if t is None:
                continue
            if v.kind == "op" or (t.requires_grad and t.grad is None):
                slots.append((v, i))
                targets.append(t)
    if not targets:
        return False
    try:
        with np.errstate(all="ignore"):   # NaN/Inf are shown in red, not warned about
            found = _ag_grad(list(roots), targets, retain_graph=True, allow_unused=True)
    except (RuntimeError, ValueError):
        return False   # e.g. a tensor was changed in place since: draw without them
    for (v, i), g in zip(slots, found):
        if g is not None:
            v.grads[i] = g.data
    return True


def kept_grads(graph: Graph, roots) -> None:
    """Op gradients after a backward that freed the graph: each node it freed kept
    its output's gradient (whole when small, else its norm). Only nodes that the
    root's own backward reached count: from the roots, down every input that
    received a gradient, through freed nodes (a node freed by another, earlier
    backward is never reached that way)."""
    ops = {id(v.fn): v for v in graph.nodes if v.kind == "op"}
    stack = [r.grad_fn for r in roots if r.grad_fn is not None and r.grad_fn.saved is None]
    seen = set()
    while stack:
        fn = stack.pop()
        if id(fn) in seen:
            continue
        seen.add(id(fn))
        v = ops.get(id(fn))
        if v is not None:
            kept = getattr(fn, "grad_kept", None)
            kept = kept if fn.n_out > 1 and kept is not None else (kept,) * fn.n_out
            v.grads = [GradNorm(k) if type(k) is float else k for k in kept]
            if any(k is None and a is not None and np.size(a) > NORM_ELEMENTS
                   for k, a in zip(kept, v.values)):
                v.note = "grad not kept (large): use backward(retain_graph=True)"
        blocked = fn.__dict__.get("grad_blocked", ())
        for x in fn.inputs:
            if not isinstance(x, Tensor) or id(x) in blocked:
                continue
            up = as_used_by(x, fn.seq).grad_fn   # as the op used it (see walk)
            if up is not None and up.saved is None:
                stack.append(up)


def _retained(graph, roots) -> bool:
    if not roots or any(not r.requires_grad or r.size != 1 for r in roots):
        return False
    return all(v.fn.saved is not None for v in graph.nodes if v.kind == "op")


def grad_norm(v) -> float | None:
    """L2 norm of a node's gradient(s); NaN when any is NaN/Inf; None when unknown."""
    gs = [g for g in v.grads if g is not None]
    if not gs:
        return None
    total = 0.0
    for g in gs:
        if isinstance(g, GradNorm):
            total += g * g
            continue
        g = np.asarray(g, dtype=np.float64) if np.asarray(g).dtype.kind != "c" else np.abs(g)
        with np.errstate(all="ignore"):
            total += float(np.sum(g * g))
    return float(np.sqrt(total)) if np.isfinite(total) else float("nan")
