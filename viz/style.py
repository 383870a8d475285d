"""How nodes look: a shape and colour per kind, the gradient colour scale, the legend."""
from __future__ import annotations

import math

from .labels import fmt_number, text_label

KIND_STYLE = {
    "param": dict(shape="box", style="filled", fillcolor="#ffe3b0", color="#b07800"),
    "input": dict(shape="box", style="filled,rounded", fillcolor="#d6e6fa", color="#4a78b0"),
    "const": dict(shape="box", style="filled,dashed", fillcolor="#f0f0f0", color="#888888",
                  fontsize="10"),
    "op": dict(shape="ellipse", style="filled", fillcolor="#dff0d8", color="#4f8a3c"),
    "fold": dict(shape="box3d", style="filled", fillcolor="#e6dcf2", color="#6a4c93"),
    "more": dict(shape="note", style="dashed", color="#777777", fontcolor="#555555"),
}
KIND_NAME = {"param": "parameter", "input": "input", "const": "constant",
             "op": "op (its result)", "fold": "folded module", "more": "left out"}
BAD = dict(fillcolor="#ff8080", color="#cc0000", penwidth="2.5")
BAD_EDGE = dict(color="#cc0000", penwidth="2.5")
NO_GRAD = "#ffffff"
# A colour-blind-safe ramp (viridis): small gradients dark, large ones bright.
RAMP = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"]


def _mix(c1: str, c2: str, t: float) -> str:
    a = [int(c1[i:i + 2], 16) for i in (1, 3, 5)]
    b = [int(c2[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b))


def ramp(t: float) -> str:
    """Colour at ``t`` in [0, 1] on the ramp.

    >>> ramp(0.0), ramp(1.0)
    ('#440154', '#fde725')
    """
    t = min(max(t, 0.0), 1.0) * (len(RAMP) - 1)
    i = min(int(t), len(RAMP) - 2)
    return _mix(RAMP[i], RAMP[i + 1], t - i)


class LogScale:
    """Maps gradient norms to colours on a log10 scale spanning the graph's norms.

    >>> s = LogScale([1e-6, 1e-3, 1.0])
    >>> s.position(1e-3)
    0.5
    """

    def __init__(self, norms):
        logs = [math.log10(n) for n in norms if n is not None and n > 0 and math.isfinite(n)]
        self.lo = min(logs) if logs else 0.0
        self.hi = max(logs) if logs else 0.0

    def position(self, norm: float) -> float:
        if norm <= 0:
            return 0.0
        if self.hi - self.lo < 1e-12:
            return 0.5
        return (math.log10(norm) - self.lo) / (self.hi - self.lo)

    def color(self, norm) -> str:
        if norm is None:
            return NO_GRAD
        if not math.isfinite(norm):
            return BAD["fillcolor"]
        return ramp(self.position(norm))

    def node_style(self, norm) -> dict:
        if norm is not None and not math.isfinite(norm):
            return dict(BAD)
        color = self.color(norm)
        return dict(fillcolor=color, fontcolor=_ink(color))

    def edge_style(self, norm) -> dict:
        if norm is None:
            return {}
        if not math.isfinite(norm):
            return dict(BAD_EDGE)
        return dict(color=self.color(norm), penwidth="1.8")

    def steps(self, n: int = 5):
        """(colour, text) for ``n`` norms from the largest to the smallest."""
        if self.hi - self.lo < 1e-12:
            return [(ramp(0.5), f"|grad| {fmt_number(10 ** self.lo)}")]
        out = []
        for i in reversed(range(n)):
            t = i / (n - 1)
            out.append((ramp(t), f"|grad| {fmt_number(10 ** (self.lo + (self.hi - self.lo) * t))}"))
        return out


def legend_items(kinds, scale) -> list:
    """(key, text, attrs) swatches: one per node kind drawn, or the gradient scale."""
    if scale is None:
        return [(f"legend_{k}", KIND_NAME[k],
                 {a: x for a, x in KIND_STYLE[k].items() if a != "fontsize"}) for k in kinds]
    items = [(f"legend_g{i}", text, dict(shape="box", style="filled", fillcolor=color,
                                         fontcolor=_ink(color)))
             for i, (color, text) in enumerate(scale.steps())]
    items.append(("legend_none", "no gradient",
                  dict(shape="box", style="filled", fillcolor=NO_GRAD)))
    items.append(("legend_bad", "NaN or Inf", dict(BAD, shape="box", style="filled")))
    return items


def add_legend(g, kinds, scale, at=None):
    """A small cluster with a row of swatches. ``at``: (x, y) in points where the row
    starts, for graphs viz lays out itself (no cluster box is drawn there)."""
    items = legend_items(kinds, scale)
    with g.subgraph(name="cluster_legend") as lg:
        lg.attr(label=text_label(["legend"]), style="rounded", color="#bbbbbb",
                fontsize="10")
        with lg.subgraph(name="legend_row") as row:
            # One rank, kept in order by invisible edges: a compact row of swatches.
            row.attr(rank="same")
            for i, (key, text, attrs) in enumerate(items):
                if at is not None:
                    attrs = dict(attrs, pos="%.1f,%.1f" % (at[0] + 130.0 * i, at[1]))
                row.node(key, text_label([text]), fontsize="9", height="0.3", **attrs)
            for (a, _, _), (b, _, _) in zip(items, items[1:]):
                row.edge(a, b, style="invis")


def _ink(color: str) -> str:
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#ffffff"
