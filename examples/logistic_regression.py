"""Logistic regression, the notes' first model, trained by gradient descent written out.

``z = w^T x + b``, ``a = sigmoid(z)``, the loss
``L = -(y log a + (1 - y) log(1 - a))`` and the cost ``J = (1/m) sum L``;
each step ``w := w - alpha dJ/dw``, ``b := b - alpha dJ/db``. Here on a
two-class task cut from the bundled digits: is it a 3 or an 8?

autograd computes ``dJ/dw`` and ``dJ/db``; the script checks them once
against the notes' vectorised formulas ``dw = (1/m) X^T (A - Y)`` and
``db = (1/m) sum(A - Y)``, and renders the computation graph of the cost.

Run: python examples/logistic_regression.py [--epochs 300] [--lr 0.5] [--out examples-output]
Writes: logistic_regression_graph.svg, logistic_regression.json
"""
from __future__ import annotations

import numpy as np

import autograd as ag
import nn
from _util import parser, render_graph, setup, write_json

EPS = 1e-7   # keeps log() finite once a prediction is confidently right


def load_3_vs_8(seed: int):
    """The digits 3 (label 0) and 8 (label 1), flattened, as a seeded stratified split."""
    X, y = nn.datasets.load_digits(flatten=True)
    keep = (y == 3) | (y == 8)
    X, y = X[keep], (y[keep] == 8).astype(np.float32).reshape(-1, 1)
    return nn.datasets.train_test_split(X, y, test_size=0.25, seed=seed, stratify=True)


def forward(X, w, b):
    """The notes' forward pass over the whole batch: rows are samples."""
    return ag.sigmoid(X @ w + b)


def cost(A, Y):
    A = A.clip(EPS, 1 - EPS)
    return -(Y * A.log() + (1 - Y) * (1 - A).log()).mean()


def check_against_formulas(X, Y, w, b) -> float:
    """autograd's gradients against the notes' ``dw``, ``db``; the largest difference."""
    A = forward(X, w, b)
    cost(A, Y).backward()
    m = len(X.data)
    dZ = A.data - Y.data
    dw, db = X.data.T @ dZ / m, dZ.sum() / m
    diff = max(np.abs(w.grad.data - dw).max(), abs(b.grad.item() - db))
    w.grad = b.grad = None
    return float(diff)


def accuracy(X, Y, w, b) -> float:
    with ag.no_grad():
        return float(((forward(X, w, b).data > 0.5) == (Y.data > 0.5)).mean())


def main(argv=None) -> dict:
    p = parser(__doc__.splitlines()[0], epochs=300)
    p.add_argument("--lr", type=float, default=0.5, help="the learning rate alpha")
    args = p.parse_args(argv)
    out = setup(args)
    X_tr, y_tr, X_te, y_te = (ag.Tensor(a) for a in load_3_vs_8(args.seed))
    # Zero weights are fine here: with one unit there is no symmetry to break.
    w = ag.Tensor(np.zeros((X_tr.shape[1], 1), np.float32), requires_grad=True, name="w")
    b = ag.Tensor(0.0, requires_grad=True, name="b")

    formula_diff = check_against_formulas(X_tr, y_tr, w, b)
    print(f"autograd vs the notes' dw, db formulas: largest difference {formula_diff:.1e}")
    costs = []
    for epoch in range(args.epochs):
        J = cost(forward(X_tr, w, b), y_tr)
        J.backward()
        with ag.no_grad():
            w -= args.lr * w.grad
            b -= args.lr * b.grad
        w.grad = b.grad = None
        costs.append(J.item())
        if epoch % max(1, args.epochs // 5) == 0 or epoch == args.epochs - 1:
            print(f"epoch {epoch:4d}  cost {costs[-1]:.4f}")

    train_acc, test_acc = accuracy(X_tr, y_tr, w, b), accuracy(X_te, y_te, w, b)
    print(f"train accuracy {train_acc:.3f}, test accuracy {test_acc:.3f}")
    # The graph of one more forward pass and its backward: w and b in colour, grads shown.
    J = cost(forward(X_tr, w, b), y_tr)
    J.backward()
    graph = render_graph(J, out / "logistic_regression_graph.svg", params={"w": w, "b": b})
    print(f"computation graph: {graph}")
    summary = {"epochs": args.epochs, "lr": args.lr, "costs": costs,
               "train_accuracy": train_acc, "test_accuracy": test_acc,
               "formula_max_abs_diff": formula_diff}
    write_json(out / "logistic_regression.json", summary)
    return summary


if __name__ == "__main__":
    main()
