"""What the examples share: the command line, the output folder, reports, BLAS threads.

Each example imports this module from its own folder, so ``python
examples/NAME.py`` works from anywhere in the project's ``.venv``. Importing
it holds BLAS to one thread (see ``limit_blas_threads``).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

import autograd as ag
import nn.functional as F

THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def limit_blas_threads() -> int | None:
    """Run the examples' matrix products on one BLAS thread, unless one of
    ``THREAD_VARS`` is set (then that setting stands); returns the limit set.

    The examples multiply small matrices (a batch of 32-64 rows). OpenBLAS's
    threads spin while they wait for work, so two of them on two cores fight
    each other and anything else that runs: beside one busy process,
    ``lstm_digits.py`` took 219 s with two threads and 13 s with one. Uses
    threadpoolctl (the ``demo`` and ``dev`` extras); without it nothing changes.
    """
    if any(os.environ.get(var) for var in THREAD_VARS):
        return None
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return None
    threadpool_limits(limits=1, user_api="blas")
    return 1


limit_blas_threads()


def parser(description: str, epochs: int | None = None,
           out: str = "examples-output") -> argparse.ArgumentParser:
    """An ArgumentParser with the options every example takes (``--epochs`` if it trains)."""
    p = argparse.ArgumentParser(description=description,
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    if epochs is not None:
        p.add_argument("--epochs", type=int, default=epochs, help="training epochs")
    p.add_argument("--seed", type=int, default=0, help="seed for data, weights and shuffling")
    p.add_argument("--out", default=out, help="folder for the files this example writes")
    return p


def setup(args) -> Path:
    """Seed the default generator and make the output folder."""
    if getattr(args, "epochs", 1) < 1:
        raise SystemExit(f"--epochs must be at least 1, got {args.epochs}")
    ag.manual_seed(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    return out


def write_json(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    return path


def accuracy(logits, y) -> float:
    """The share of rows whose largest logit is the label."""
    scores = logits.data if isinstance(logits, ag.Tensor) else np.asarray(logits)
    return float((scores.argmax(axis=1) == np.asarray(y)).mean())


def train_epoch(model, loader, opt) -> float:
    """One pass of mini-batch training with cross-entropy; the mean batch loss."""
    model.train()
    losses = []
    for xb, yb in loader:
        opt.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return float(np.mean(losses))


def render_graph(root, path: Path, **kw) -> Path:
    """``viz.render`` to ``path``; with no Graphviz renderer at all (no ``dot``
    program, and Python 3.10, where the WebAssembly build is not available)
    the DOT text is written next to it instead, with a note on stderr."""
    import viz

    try:
        viz.render(root, path, **kw)
    except viz.RenderError as error:
        path = Path(path).with_suffix(".dot")
        viz.render(root, path, **kw)
        print(f"{error}\nWrote the graph as DOT text instead: {path}", file=sys.stderr)
    return Path(path)


def gradcheck_table(report) -> str:
    """One line per parameter: the notes' relative difference and what it means."""
    lines = [f"{'parameter':<22} {'shape':<14} {'rel. difference':>15}  verdict",
             "-" * 64]
    for r in report:
        lines.append(f"{r.name:<22} {str(r.shape):<14} {r.rel_diff:>15.2e}  "
                     f"{ag.verdict(r.rel_diff)}")
    lines.append("(the notes: below 1e-7 great, around 1e-5 worth a look, 1e-3 or more wrong)")
    return "\n".join(lines)


class Timer:
    """``with Timer() as t: ...``, then ``t.seconds``."""

    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
