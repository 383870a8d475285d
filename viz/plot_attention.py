"""An attention map: which input positions each output attended to (matplotlib, on use)."""
from __future__ import annotations

from pathlib import Path

import numpy as np


def plot_attention(weights, x_labels, y_labels, path: str | Path | None = None,
                   title: str = "attention"):
    """Draw attention weights ``(len(y_labels), len(x_labels))``: row ``i`` is how much
    output ``y_labels[i]`` attended to each input ``x_labels[j]`` (each row sums to 1).

    ``weights`` may be an array or a Tensor. Returns the matplotlib ``Figure``, or, when
    ``path`` is given, saves it there and returns the path as a string.

    >>> import numpy as np, viz
    >>> fig = viz.plot_attention(np.array([[0.9, 0.1], [0.2, 0.8]]), ["a", "b"], ["x", "y"])
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
    ['a', 'b']
    """
    arr = np.asarray(getattr(weights, "data", weights), dtype=np.float64)
    x_labels, y_labels = [str(s) for s in x_labels], [str(s) for s in y_labels]
    if arr.ndim != 2 or arr.shape != (len(y_labels), len(x_labels)):
        raise ValueError(f"plot_attention: weights of shape {arr.shape} do not match "
                         f"{len(y_labels)} y_labels by {len(x_labels)} x_labels")
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError('plot_attention needs matplotlib: pip install '
                          '"autograd-numpy-engine[plot]" (or pip install matplotlib)') from None
    w, h = arr.shape[1], arr.shape[0]
    fig = Figure(figsize=(min(2.0 + 0.3 * w, 14.0), min(1.5 + 0.3 * h, 10.0)), layout="tight")
    ax = fig.add_subplot(1, 1, 1)
    image = ax.imshow(arr, cmap="viridis", vmin=0, vmax=max(float(arr.max(initial=0)), 1e-12),
                      aspect="auto")
    fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
    ax.set_xticks(range(w), x_labels)
    ax.set_yticks(range(h), y_labels)
    ax.set_xlabel("input")
    ax.set_ylabel("output")
    ax.set_title(title)
    if path is None:
        return fig
    fig.savefig(Path(path))
    return str(path)
