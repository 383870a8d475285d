"""Training curves: loss and metrics per epoch, with matplotlib (imported on first use)."""
from __future__ import annotations

from pathlib import Path

import numpy as np


def history_columns(history) -> dict:
    """``{name: [value per epoch]}`` from that same dict or from a list of per-epoch
    dicts (a metric missing in some epoch gets NaN there).

    >>> history_columns([{"loss": 1.0}, {"loss": 0.5, "acc": 0.9}])
    {'loss': [1.0, 0.5], 'acc': [nan, 0.9]}
    """
    if isinstance(history, dict):
        columns = {str(k): list(v) for k, v in history.items()}
    else:
        epochs = list(history)
        for i, row in enumerate(epochs):
            if not isinstance(row, dict):
                raise TypeError(f"plot_history: epoch {i} is a {type(row).__name__}; give a "
                                "dict name -> list of values, or a list of dicts per epoch")
        names = []
        for row in epochs:
            names.extend(k for k in row if k not in names)
        columns = {str(k): [row.get(k, float("nan")) for row in epochs] for k in names}
    if not columns or not any(columns.values()):
        raise ValueError("plot_history: the history is empty")
    for name, values in columns.items():
        try:
            columns[name] = [float(np.asarray(x, dtype=np.float64)) for x in values]
        except (TypeError, ValueError):
            raise TypeError(f"plot_history: the values of {name!r} are not all numbers") from None
    return columns


def plot_history(history: dict | list, path: str | Path) -> str:
    """Draw loss curves and metric curves per epoch in separate panels; save to ``path``
    (any format matplotlib writes: .svg, .png, .pdf). Returns the path.

    ``history``: ``{'loss': [...], 'test_accuracy': [...]}`` or a list of dicts
    per epoch. Names containing "loss" go to the loss panel.

    >>> import os, tempfile, viz
    >>> history = {"train_loss": [1.0, 0.6, 0.4], "test_accuracy": [0.5, 0.7, 0.8]}
    >>> path = viz.plot_history(history, os.path.join(tempfile.mkdtemp(), "curves.svg"))
    >>> path.endswith("curves.svg"), open(path).read().count("<svg") > 0
    (True, True)
    """
    columns = history_columns(history)
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError('plot_history needs matplotlib: pip install '
                          '"autograd-numpy-engine[plot]" (or pip install matplotlib)') from None
    losses = {k: v for k, v in columns.items() if "loss" in k.lower()}
    metrics = {k: v for k, v in columns.items() if k not in losses}
    panels = [(title, group) for title, group in (("loss", losses), ("metrics", metrics))
              if group]
    fig = Figure(figsize=(5.5 * len(panels), 3.8), layout="tight")
    for i, (title, group) in enumerate(panels):
        ax = fig.add_subplot(1, len(panels), i + 1)
        for name, values in group.items():
            ax.plot(np.arange(1, len(values) + 1), values, marker="o", markersize=3,
                    label=name)
        ax.set_xlabel("epoch")
        ax.set_title(title)
        ax.grid(True, alpha=0.3)
        ax.legend()
        if title == "loss" and all(x > 0 for v in group.values() for x in v if x == x):
            ax.set_yscale("log")
    path = Path(path)
    fig.savefig(path)
    return str(path)
