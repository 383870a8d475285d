"""A simple layered layout for very large graphs.

Graphviz's ``dot`` layout grows much faster than linearly on long graphs
(a 10,000-op chain takes minutes, and the WebAssembly build runs out of
stack), so above ``LARGE`` nodes viz places the nodes itself: the rank of a
node is its distance from the root, nodes of one rank sit side by side in
the order they were found, and Graphviz only draws (``layout=nop2``, with
straight edges).

>>> from autograd import Tensor
>>> from viz.graph import walk
>>> x = Tensor(1.0, requires_grad=True)
>>> g = walk([(x * 2).exp()])
>>> pos = place(g, {v.key: ["op"] for v in g.nodes}, "TB")
>>> pos["n0"][1] < pos["n1"][1]    # the root is below the op that feeds it
True
"""
from __future__ import annotations

from collections import deque

# Above this many drawn nodes viz lays the graph out itself.
LARGE = 2500
# Text size in points (ellipses around text are about 1.4 times wider than it).
CHAR_W, LINE_H, GAP = 7.0 * 1.4, 14.0, 30.0


def ranks(graph) -> dict:
    """Distance of each node from the nearest root, going against the edges (BFS)."""
    preds = {}
    for e in graph.edges:
        preds.setdefault(e.dst, []).append(e.src)
    depth = {v.key: 0 for v in graph.nodes if v.is_root}
    queue = deque(depth)
    while queue:
        k = queue.popleft()
        for src in preds.get(k, ()):
            if src not in depth:
                depth[src] = depth[k] + 1
                queue.append(src)
    for v in graph.nodes:
        depth.setdefault(v.key, 0)
    return depth


def place(graph, lines: dict, rankdir: str) -> dict:
    """``key -> (x, y)`` in points; ``lines`` maps a key to its label's lines."""
    depth = ranks(graph)
    size = {k: (max(len(s) for s in ls) * CHAR_W + GAP, len(ls) * LINE_H + GAP)
            for k, ls in lines.items()}
    vertical = rankdir in ("TB", "BT")
    step = max(s[1] if vertical else s[0] for s in size.values())
    rows = {}
    for v in graph.nodes:
        rows.setdefault(depth[v.key], []).append(v.key)
    pos = {}
    for d, keys in rows.items():
        spans = [size[k][0] if vertical else size[k][1] for k in keys]
        offset = -sum(spans) / 2
        for k, span in zip(keys, spans):
            across = offset + span / 2
            offset += span
            along = d * step
            if vertical:
                pos[k] = (across, along if rankdir == "TB" else -along)
            else:
                pos[k] = (-along if rankdir == "LR" else along, -across)
    return pos
