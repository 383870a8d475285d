"""Gradient flow: each layer's gradient norm over the training steps (log scale),
from an ``nn.utils.GradientRecorder``; matplotlib is imported on first use."""
from __future__ import annotations

from pathlib import Path

import numpy as np


def plot_gradient_flow(recorder, path: str | Path, kind: str = "weight",
                       title: str | None = None, ax=None) -> str:
    """Draw the L2 norm of each parameter's gradient per step, one line per layer
    (early layers light, late layers dark), on a log scale; save to ``path``
    (.svg, .png, .pdf). ``kind`` picks the parameters by name ending ('weight',
    'bias', '' for all). With ``ax`` (a matplotlib Axes) it draws there and saves
    nothing. Returns the path.

    >>> import os, tempfile, numpy as np, nn, viz
    >>> net = nn.Sequential(nn.Linear(3, 4), nn.Sigmoid(), nn.Linear(4, 1))
    >>> rec = nn.utils.GradientRecorder(net)
    >>> for _ in range(3):
    ...     net(np.ones((5, 3), np.float32)).sum().backward()
    >>> path = viz.plot_gradient_flow(rec, os.path.join(tempfile.mkdtemp(), "flow.svg"))
    >>> open(path).read().count("<svg") > 0
    True
    """
    norms = recorder.layer_norms(kind)
    if not norms or recorder.steps == 0:
        raise ValueError(f"plot_gradient_flow: nothing recorded for parameters ending in "
                         f"{kind!r} (run a backward pass with the recorder attached)")
    try:
        from matplotlib import colormaps
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError('plot_gradient_flow needs matplotlib: pip install '
                          '"autograd-numpy-engine[plot]" (or pip install matplotlib)') from None
    fig = None
    if ax is None:
        fig = Figure(figsize=(6.5, 4.0), layout="tight")
        ax = fig.add_subplot(1, 1, 1)
    cmap = colormaps["viridis"]
    n = len(norms)
    for i, (name, values) in enumerate(norms.items()):
        steps = np.arange(1, len(values) + 1)
        shown = np.where(values > 0, values, np.nan)   # log scale: zeros cannot be drawn
        ax.plot(steps, shown, color=cmap(0.9 * (1 - i / max(n - 1, 1))), label=name)
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("gradient L2 norm")
    ax.set_title(title or "gradient norm per layer")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, ncol=2 if n > 8 else 1)
    path = Path(path)
    if fig is not None:
        fig.savefig(path)
    return str(path)
