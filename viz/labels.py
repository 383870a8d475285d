"""Text of the picture: escaping, number formatting, node and cluster labels.

Labels are plain Graphviz strings (the WebAssembly Graphviz has no HTML-like
labels). Every piece of user text (tensor names, parameter names, module
names) goes through :func:`escape`, so a name with quotes, ``<``, ``>``,
``&``, backslashes or newlines is drawn literally and the SVG stays
well-formed XML.
"""
from __future__ import annotations

import numpy as np

# Tensors with at most this many elements show their values; larger ones a summary.
SMALL = 6
# Names (of tensors, parameters, modules) longer than this are shortened in the
# middle: the picture stays readable and a hostile name cannot blow it up.
MAX_NAME = 48


def _visible(ch: str) -> str:
    code = ord(ch)
    if ch in "\r\t":
        return " "
    if code < 32 or code == 127 or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
        return f"\\x{code:02x}"   # not allowed in XML: show the code point instead
    return ch


def escape(text) -> str:
    r"""One line of user text as a Graphviz escString that is drawn literally.

    Backslashes are doubled (no ``\N``, ``\l`` expansion), ``&`` becomes
    ``&amp;`` (Graphviz expands entities in plain labels too), newlines become
    line breaks; the graphviz package escapes the quotes.

    >>> print(escape('a\\b & "c"\nd'))
    a\\b &amp; "c"\nd
    """
    lines = str(text).split("\n")
    out = []
    for line in lines:
        line = "".join(_visible(ch) for ch in line)
        out.append(line.replace("\\", "\\\\").replace("&", "&amp;"))
    return "\\n".join(out)


def text_label(lines) -> str:
    """A multi-line label from raw lines (escaped here), never taken for HTML."""
    from graphviz import nohtml

    return nohtml("\\n".join(escape(line) for line in lines))


def shorten(text, limit: int = MAX_NAME) -> str:
    """``text`` cut in the middle to at most ``limit`` characters per line.

    >>> shorten("encoder.layers.0.self_attn.in_proj_weight")
    'encoder.layers.0.self_attn.in_proj_weight'
    >>> shorten("x" * 30 + "_the_end", limit=20)
    'xxxxxxxxx..._the_end'
    """
    lines = str(text).split("\n")
    keep = max(limit - 3, 2)
    head, tail = (keep + 1) // 2, keep // 2
    return "\n".join(line if len(line) <= limit else f"{line[:head]}...{line[-tail:]}"
                     for line in lines)


def fmt_number(x) -> str:
    """A short form of one number: ``5``, ``0.125``, ``1.5e-08``, ``nan``."""
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (complex, np.complexfloating)):
        return f"{x:.4g}"
    x = float(x)
    if np.isnan(x) or np.isinf(x):
        return str(x)
    return f"{x:.4g}"


def fmt_array(a) -> list[str]:
    """Lines describing an array: its values when small, else mean/std/min/max.

    >>> fmt_array(np.float32(5.0))
    ['5']
    >>> fmt_array(np.array([[1.0, 2.5], [0.0, -1.0]]))
    ['[[1, 2.5], [0, -1]]']
    >>> fmt_array(np.arange(10.0))
    ['mean 4.5 std 2.872', 'min 0 max 9']
    """
    a = np.asarray(a)
    if a.size <= SMALL:
        return [_nested(a)]
    if a.dtype.kind not in "fciub":
        return [f"{a.size} values"]
    f = a.astype(np.float64) if a.dtype.kind != "c" else np.abs(a)
    with np.errstate(all="ignore"):
        stats = (f.mean(), f.std(), f.min(), f.max())
    mean, std, lo, hi = (fmt_number(s) for s in stats)
    return [f"mean {mean} std {std}", f"min {lo} max {hi}"]


def _nested(a) -> str:
    """``[[1, 2], [3, 4]]``: NumPy's nesting with short numbers."""
    if a.ndim == 0:
        return fmt_number(a.item())
    return "[" + ", ".join(_nested(x) for x in a) + "]"


def fmt_shape(shape, dtype) -> str:
    """``(3, 4) float32``; 0-d tensors show ``()``."""
    dims = ", ".join(str(d) for d in shape)
    if len(shape) == 1:
        dims += ","
    return f"({dims}) {dtype}"


def is_bad(a) -> bool:
    """True when a float array holds NaN or Inf."""
    if a is None:
        return False
    a = np.asarray(a)
    return a.dtype.kind in "fc" and not np.isfinite(a).all()


def scope_path(frames) -> str:
    """Dotted path of a scope: the non-empty frame names (``encoder.0``)."""
    return ".".join(name for name, _ in frames if name)


def cluster_label(frames) -> str:
    """``encoder.0: Linear`` for the innermost frame; the root module shows its kind."""
    path = scope_path(frames)
    kind = frames[-1][1]
    return shorten(f"{path}: {kind}" if path and kind else path or kind or "?")


def value_lines(prefix: str, arrays) -> list[str]:
    """Lines for the values (or gradients) of a node's outputs."""
    lines = []
    many = len(arrays) > 1
    for i, a in enumerate(arrays):
        if a is None:
            continue
        head = f"{prefix}[{i}]" if many else prefix
        if type(a).__name__ == "GradNorm":   # only the norm was kept (graph.GradNorm)
            head, body = f"|{head}|", [fmt_number(a)]
        else:
            body = fmt_array(a)
        mark = "  (!)" if is_bad(a) else ""
        lines.append(f"{head} {body[0]}{mark}")
        lines.extend(body[1:])
    return lines


def node_lines(v, show_values: bool, show_grads: bool) -> list[str]:
    """The lines of text of one drawn node (a ``graph.VNode``)."""
    lines = [shorten(v.title)]
    if v.subtitle:
        lines.append(shorten(v.subtitle))
    if v.kind in ("more", "fold") or (v.kind == "const" and v.shape is None):
        return lines   # a Python scalar constant: its value is its title
    lines.extend(fmt_shape(s, d) for s, d in v.shapes())
    if show_values or v.kind == "const":
        lines.extend(value_lines("data", v.values))
    elif any(is_bad(a) for a in v.values):
        lines.append("data has NaN/Inf")
    if show_grads:
        lines.extend(value_lines("grad", v.grads))
        if v.note:
            lines.append(v.note)
    elif any(is_bad(g) for g in v.grads):
        lines.append("grad has NaN/Inf")
    return lines
