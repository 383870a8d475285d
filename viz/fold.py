"""Making big graphs readable: fold repeated modules, keep the nodes nearest the root.

>>> import autograd as ag
>>> x = ag.Tensor(1.0, requires_grad=True, name="x")
>>> for step in range(3):
...     with ag.scope("cell", "Cell"):
...         x = (x * 2).tanh()
>>> g = fold(walk([x]), ["Cell"])
>>> [v.title for v in g.nodes if v.kind == "fold"]
['cell: Cell x3']
>>> truncate(walk([x]), 2).nodes[-1].title
'... 8 more nodes'
"""
from __future__ import annotations

from .graph import Edge, Graph, VNode, walk  # noqa: F401  (walk: for the doctest)
from .labels import cluster_label, scope_path


def fold_key(scope: tuple, wanted: set):
    """The scope prefix that ends at the outermost frame matching ``wanted`` (by module
    kind or dotted path), or None."""
    for k, (name, kind) in enumerate(scope):
        path = scope_path(scope[:k + 1])
        if kind in wanted or (name and path in wanted):
            return scope[:k + 1]
    return None


def fold(graph: Graph, collapse) -> Graph:
    """Replace the ops made inside each matching module by one node that counts how
    many times the module ran."""
    if isinstance(collapse, str):
        collapse = [collapse]
    wanted = set(collapse)
    groups = {}
    for v in graph.nodes:
        if v.kind in ("op", "const"):   # constants sit in the scope of the op using them
            key = fold_key(v.scope, wanted)
            if key is not None:
                groups.setdefault(key, []).append(v)
    if not groups:
        return graph
    owner = {v.key: key for key, members in groups.items() for v in members}
    counts = _calls(groups)
    new_key, folded, nodes = {}, {}, []
    for v in graph.nodes:
        key = owner.get(v.key)
        if key is None:
            nodes.append(v)
            continue
        f = folded.get(key)
        if f is None:
            n_ops = sum(m.kind == "op" for m in groups[key])
            f = folded[key] = VNode(key=f"f{len(folded)}", kind="fold",
                                    title=cluster_label(key) + (f" x{counts[key]}"
                                                                if counts[key] > 1 else ""),
                                    subtitle=f"{n_ops} op{'s' if n_ops != 1 else ''}",
                                    scope=key[:-1])
            nodes.append(f)
        f.is_root = f.is_root or v.is_root
        new_key[v.key] = f.key
    edges, seen = [], set()
    for e in graph.edges:
        src, dst = new_key.get(e.src, e.src), new_key.get(e.dst, e.dst)
        if src == dst:
            continue
        if src != e.src or dst != e.dst:
            if (src, dst) in seen:
                continue
            seen.add((src, dst))
            e = Edge(src, dst, e.oi if src == e.src else 0, e.many and src == e.src)
        edges.append(e)
    return Graph(nodes, edges, graph.hidden)


def _calls(groups) -> dict:
    """How many times each folded module ran. Each call of a module (or ``ag.scope``
    block) makes a new scope tuple that all ops made directly inside share, so
    distinct tuple objects count calls (per child module, if the module has no
    ops of its own)."""
    counts = {}
    for key, members in groups.items():
        depth = min(len(v.scope) for v in members)
        top = [v.scope for v in members if len(v.scope) == depth]
        frames = {s[-1] for s in top}
        counts[key] = max(1, len({id(s) for s in top}) // len(frames))
    return counts


def truncate(graph: Graph, max_nodes) -> Graph:
    """Keep the first ``max_nodes`` nodes (nearest the root); one marker node
    "... N more nodes" points to every kept node that lost an input."""
    if max_nodes is None or len(graph.nodes) <= max_nodes:
        return graph
    if int(max_nodes) != max_nodes or max_nodes < 1:
        raise ValueError(f"viz: max_nodes must be a positive integer, got {max_nodes!r}")
    kept = graph.nodes[:int(max_nodes)]
    keys = {v.key for v in kept}
    hidden = len(graph.nodes) - len(kept) + graph.hidden
    marker = VNode(key="more", kind="more", title=f"... {hidden} more nodes")
    edges, cut = [], set()
    for e in graph.edges:
        if e.dst not in keys:
            continue
        if e.src in keys:
            edges.append(e)
        elif e.dst not in cut:
            cut.add(e.dst)
            edges.append(Edge(marker.key, e.dst))
    return Graph(kept + [marker], edges, hidden)
