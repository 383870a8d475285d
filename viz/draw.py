"""``draw``: the engine's graph as a ``graphviz.Digraph`` (clusters, styles, legend).

Parameters, inputs, constants and op results have their own shape and
colour; a legend says which is which. With ``color_by='grad_norm'`` the fill
of each node and the colour of each edge show the size of the gradient on a
log scale instead. NaN or Inf values and gradients are red either way.
"""
from __future__ import annotations

from autograd import Tensor

from . import layout
from .fold import fold, truncate
from .graph import attach_grads, grad_norm, param_names, walk
from .labels import cluster_label, is_bad, node_lines, scope_path, text_label
from .style import BAD, BAD_EDGE, KIND_STYLE, LogScale, add_legend

# Nodes drawn by default: a bigger graph is cut to the nodes nearest the root, with
# a marker "... N more nodes" (1,000 nodes make about 1.5 MB of SVG; ``max_nodes=None``
# draws them all).
MAX_NODES = 1000


def draw(root: "Tensor | list", params=None, show_values: bool = False, show_grads: bool = True,
         rankdir: str = "TB", max_nodes: int | None = MAX_NODES, color_by: str | None = None,
         collapse=None, module=None, legend: bool = True):
    """The computation graph that made ``root`` (a Tensor or a list of them).

    ``params``: a dict name -> Tensor or an ``nn.Module`` (or ``module=``), to
    label leaves with parameter names; ``show_values``/``show_grads``: values
    and gradients (mean/std/min/max for tensors of more than 6 elements). An
    op's gradient is that of its output: after a plain ``backward()``, the one
    backward kept (whole up to 6 elements, else its norm, drawn ``|grad|``, for
    up to 4,096 elements); with ``retain_graph=True``, recomputed in full.
    ``max_nodes``: keep the nodes nearest the root (1,000 by default, ``None`` for
    all) and mark what was left out; ``color_by='grad_norm'``: shade nodes and
    edges by gradient size (log scale); ``collapse``: module kinds or paths
    (``['LSTMCell']``) to fold into one node each. Returns a ``graphviz.Digraph``
    (shown inline in Jupyter).

    >>> import autograd as ag
    >>> a = ag.Tensor(5.0, requires_grad=True, name="a")
    >>> dot = draw(3 * a, show_values=True)
    >>> "mul" in dot.source and "data 5" in dot.source
    True
    """
    roots = _roots(root)
    if rankdir not in ("TB", "LR", "BT", "RL"):
        raise ValueError(f"viz.draw: rankdir must be 'TB', 'LR', 'BT' or 'RL', got {rankdir!r}")
    if color_by not in (None, "kind", "grad_norm"):
        raise ValueError(f"viz.draw: color_by must be None, 'kind' or 'grad_norm', "
                         f"got {color_by!r}")
    graph = walk(roots, param_names(params, module))
    backward_done = any(v.tensors[0].grad is not None for v in graph.nodes
                        if v.kind in ("param", "input") and v.tensors)
    attach_grads(graph, roots, compute=color_by == "grad_norm" or (show_grads and backward_done))
    if collapse:
        graph = fold(graph, collapse)
    graph = truncate(graph, max_nodes)
    scale = LogScale(grad_norm(v) for v in graph.nodes) if color_by == "grad_norm" else None
    return _build(graph, show_values, show_grads, rankdir, scale, legend)


def _roots(root) -> list:
    if isinstance(root, Tensor):
        return [root]
    if not isinstance(root, (list, tuple)):
        hint = ""
        if isinstance(root, (int, float, complex)) or type(root).__module__ == "numpy":
            hint = " (a number or an array has no graph: draw the Tensor an op returned)"
        raise TypeError(f"viz.draw: root must be a Tensor or a list of Tensors, "
                        f"got {type(root).__name__}{hint}")
    roots = list(root)
    if not roots:
        raise ValueError("viz.draw: no tensor to draw (an empty list)")
    for i, t in enumerate(roots):
        if not isinstance(t, Tensor):
            raise TypeError(f"viz.draw: root {i} is a {type(t).__name__}, not a Tensor")
    return roots


def _node_attrs(v, scale) -> dict:
    attrs = dict(KIND_STYLE[v.kind])
    if scale is not None and v.kind not in ("more", "fold"):
        attrs.update(scale.node_style(grad_norm(v)))
        attrs["style"] = attrs["style"].replace(",dashed", "")
    if any(is_bad(a) for a in v.values) or any(is_bad(x) for x in v.grads):
        attrs.update(BAD)
    if v.is_root:
        attrs.update(penwidth="2.5", peripheries="2")
    return attrs


def _edge_attrs(e, src, scale) -> dict:
    attrs = {"label": text_label([f"[{e.oi}]"])} if e.many else {}
    if src.kind == "more":
        attrs["style"] = "dashed"
    grad = src.grads[e.oi] if e.oi < len(src.grads) else None
    if is_bad(grad):
        attrs.update(BAD_EDGE)
    elif scale is not None and grad is not None:
        attrs.update(scale.edge_style(grad_norm(_One(grad))))
    return attrs


class _One:
    """Lets ``grad_norm`` measure one edge's gradient."""

    def __init__(self, grad):
        self.grads = [grad]


def _build(graph, show_values, show_grads, rankdir, scale, legend):
    large = len(graph.nodes) > layout.LARGE
    graph_attr = dict(rankdir=rankdir, fontname="Helvetica", fontsize="11",
                      nodesep="0.25", ranksep="0.35")
    if large:   # lay out here; Graphviz only draws (see layout.py)
        graph_attr.update(layout="nop2", splines="line")
    g = digraph_class()(
        name="computation", graph_attr=graph_attr,
        node_attr=dict(fontname="Helvetica", fontsize="11", margin="0.1,0.05"),
        edge_attr=dict(arrowsize="0.6", color="#555555", fontsize="9"))
    lines = {}
    for v in graph.nodes:
        lines[v.key] = node_lines(v, show_values, show_grads)
        if large and v.scope:
            lines[v.key].append(f"in {cluster_label(v.scope)}")
    pos = layout.place(graph, lines, rankdir) if large else {}
    clusters = {} if large else _clusters(graph.nodes, g)
    for v in graph.nodes:
        attrs = _node_attrs(v, scale)
        if large:
            attrs["pos"] = "%.1f,%.1f" % pos[v.key]
        target = clusters.get(_cluster_of(v, clusters), g)
        target.node(v.key, text_label(lines[v.key]), **attrs)
    _nest(clusters, g)
    by_key = graph.by_key()
    for e in graph.edges:
        g.edge(e.src, e.dst, **_edge_attrs(e, by_key[e.src], scale))
    if legend:
        kinds = list(dict.fromkeys(v.kind for v in graph.nodes))
        at = None
        if large:   # a row above the top left corner of the picture
            at = (min(x for x, _ in pos.values()), max(y for _, y in pos.values()) + 80.0)
        add_legend(g, kinds, scale, at)
    return g


def _cluster_of(v, clusters):
    """The scope whose cluster holds ``v``: an op's own scope; a parameter goes to
    the module whose path its name starts with (``fc.weight`` -> ``fc``)."""
    if v.kind == "param" and not v.scope:
        return clusters.get(("path", v.title.rpartition(".")[0]))
    return v.scope or None


def _clusters(nodes, g) -> dict:
    """One Digraph per scope prefix used by an op (nested scopes get nested clusters).
    Keys are scopes, plus ("path", dotted path) aliases for placing parameters."""
    scopes = {}
    for v in nodes:
        for k in range(1, len(v.scope) + 1):
            scopes.setdefault(v.scope[:k], None)
    Sub = type(g)
    out = {}
    for i, s in enumerate(scopes):
        out[s] = Sub(name=f"cluster_{i}", graph_attr=dict(
            label=text_label([cluster_label(s)]), labeljust="l", style="rounded,dashed",
            color="#7a7a7a", fontcolor="#333333", fontsize="10"))
    for s in scopes:
        out.setdefault(("path", scope_path(s)), s)
    return out


def _nest(clusters, g):
    """Put each cluster into its parent, deepest first (``subgraph`` copies the body)."""
    scopes = [s for s in clusters if not (len(s) == 2 and s[0] == "path")]
    for s in sorted(scopes, key=len, reverse=True):
        parent = clusters.get(s[:-1], g) if len(s) > 1 else g
        parent.subgraph(clusters[s])


_DIGRAPH = None


def digraph_class():
    """A ``graphviz.Digraph`` whose Jupyter display uses viz's renderer (so it also
    works without the ``dot`` program). graphviz is imported here, on first use."""
    global _DIGRAPH
    if _DIGRAPH is None:
        import graphviz

        from .render import pipe

        class Digraph(graphviz.Digraph):
            def _repr_image_svg_xml(self):
                return pipe(self.source, "svg").decode("utf-8")

        _DIGRAPH = Digraph
    return _DIGRAPH
