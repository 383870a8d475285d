"""Pictures of a classifier's evaluation: the confusion matrix (matplotlib, imported on use)."""
from __future__ import annotations

from pathlib import Path

import numpy as np


def _as_matrix(cm) -> np.ndarray:
    data = getattr(cm, "data", cm) if not isinstance(cm, np.ndarray) else cm
    arr = np.asarray(data)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1] or arr.shape[0] == 0:
        raise ValueError(f"plot_confusion_matrix: cm must be a square 2-d matrix (rows true "
                         f"classes, columns predictions), got shape {arr.shape}")
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"plot_confusion_matrix: cm must hold numbers, got dtype {arr.dtype}")
    return arr


def plot_confusion_matrix(cm, class_names=None, path: str | Path | None = None,
                          title: str = "confusion matrix"):
    """Draw a confusion matrix (``nn.metrics.confusion_matrix``'s layout: rows are the
    true classes, columns the predictions) with each cell's count written in it.

    Normalised matrices (floats) show two decimals. Returns the matplotlib
    ``Figure``, or, when ``path`` is given, saves it there (any format matplotlib
    writes) and returns the path as a string.

    >>> import os, tempfile, viz
    >>> from nn.metrics import confusion_matrix
    >>> cm = confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2])
    >>> fig = viz.plot_confusion_matrix(cm, class_names=["a", "b", "c"])
    >>> [t.get_text() for t in fig.axes[0].texts][:4]
    ['1', '0', '0', '0']
    >>> path = viz.plot_confusion_matrix(cm, path=os.path.join(tempfile.mkdtemp(), "cm.svg"))
    >>> path.endswith("cm.svg") and os.path.getsize(path) > 0
    True
    """
    arr = _as_matrix(cm)
    n = arr.shape[0]
    names = [str(k) for k in range(n)] if class_names is None else [str(c) for c in class_names]
    if len(names) != n:
        raise ValueError(f"plot_confusion_matrix: {len(names)} class_names for a {n}x{n} "
                         "matrix")
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError('plot_confusion_matrix needs matplotlib: pip install '
                          '"autograd-numpy-engine[plot]" (or pip install matplotlib)') from None
    side = min(2.0 + 0.5 * n, 12.0)
    fig = Figure(figsize=(side + 1.2, side), layout="tight")
    ax = fig.add_subplot(1, 1, 1)
    image = ax.imshow(arr, cmap="Blues", vmin=0)
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    integral = arr.dtype.kind in "biu" or bool(np.all(arr == np.round(arr)))
    top = arr.max() if arr.size and arr.max() > 0 else 1
    for i in range(n):
        for j in range(n):
            value = arr[i, j]
            text = f"{int(value)}" if integral else f"{value:.2f}"
            ax.text(j, i, text, ha="center", va="center", fontsize=8 if n > 12 else 10,
                    color="white" if value > top / 2 else "black")
    ax.set_xticks(range(n), names, rotation=45 if max(map(len, names)) > 3 else 0)
    ax.set_yticks(range(n), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(title)
    if path is None:
        return fig
    path = Path(path)
    fig.savefig(path)
    return str(path)
