"""Gradient checking, as in the notes' chapter on improving deep networks.

Backprop written by hand is easy to get subtly wrong. The notes' check: nudge
each parameter both ways, take the two-sided difference of the cost,
``(J(theta + eps) - J(theta - eps)) / (2 eps)``, and compare the whole vector
with backprop's by ``||g_approx - g|| / (||g_approx|| + ||g||)``: about 1e-7
is right, 1e-5 is worth a look, 1e-3 is a bug.

This script
1. does that by hand for one number, ``J(theta) = theta^3``;
2. checks every parameter of a small model that contains a custom
   ``ag.Function`` (a dense layer with its backward written out), in float64;
3. checks the same model with a deliberately wrong backward (``dW`` divided
   by the batch size once too often, a classic slip) and shows that exactly
   that parameter is flagged, while the layers around it pass; then lets
   ``ag.gradcheck`` raise on it, as a test would.

Run: python examples/gradient_checking.py [--out examples-output]
"""
from __future__ import annotations

import numpy as np

import autograd as ag
import nn
import nn.functional as F
from _util import gradcheck_table, parser, setup, write_json


class AffineFn(ag.Function):
    """``z = x W^T + b`` (rows are samples).

    Backward: ``dx = g W``, ``dW = g^T x``, ``db = sum g``."""

    @staticmethod
    def forward(ctx, x, weight, bias):
        ctx.save_for_backward(x, weight)
        return x @ weight.T + bias

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        return grad @ weight, grad.T @ x, grad.sum(axis=0)


class BuggyAffineFn(AffineFn):
    """The same layer with a bug: ``dW`` divided by the batch size again.

    The mean in the loss already brings the notes' ``1/m``, so a second one
    makes the weight's gradient ``m`` times too small.
    """

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        return grad @ weight, grad.T @ x / len(x), grad.sum(axis=0)


class Affine(nn.Linear):
    """``nn.Linear``'s parameters, with the forward and backward of ``fn``."""

    def __init__(self, in_features: int, out_features: int, fn=AffineFn):
        super().__init__(in_features, out_features)
        self.fn = fn

    def forward(self, x):
        return self.fn.apply(x, self.weight, self.bias)


def one_number(theta: float = 1.0, eps: float = 0.01) -> None:
    """The notes' warm-up: ``J = theta^3``, whose derivative at 1 is 3."""
    t = ag.Tensor(theta, dtype=np.float64, requires_grad=True)
    (t ** 3).backward()
    approx = ((theta + eps) ** 3 - (theta - eps) ** 3) / (2 * eps)
    print(f"J(theta) = theta^3 at theta = {theta}: backprop {t.grad.item():.6f}, "
          f"two-sided difference (eps = {eps}) {approx:.6f}, error {abs(approx - 3):.1e}\n")


def model_with(fn) -> nn.Module:
    ag.manual_seed(1)   # the same weights for both versions of the layer
    return nn.Sequential(nn.Linear(64, 24), nn.Tanh(), Affine(24, 16, fn), nn.Tanh(),
                         nn.Linear(16, 10)).double()


def check(model: nn.Module, X, y):
    """Every parameter's gradient of the cross-entropy cost against central differences."""
    params = dict(model.named_parameters())
    return ag.compare_grads(lambda *_: F.cross_entropy(model(X), y), params)


def wrong_parameters(report) -> list:
    """Names whose relative difference is 1e-3 or more, or not a number at all
    (a NaN or an infinity in either gradient is never a pass)."""
    return [r.name for r in report if not r.rel_diff < 1e-3]


def main(argv=None) -> dict:
    args = parser(__doc__.splitlines()[0]).parse_args(argv)
    out = setup(args)
    one_number()
    X, y = nn.datasets.load_digits(flatten=True)
    pick = np.random.default_rng(args.seed).choice(len(X), size=16, replace=False)
    X, y = ag.Tensor(X[pick].astype(np.float64)), ag.Tensor(y[pick])

    results = {}
    for title, fn in [("correct backward", AffineFn), ("buggy backward", BuggyAffineFn)]:
        report = check(model_with(fn), X, y)
        print(f"Model with the {title} in layer '2':")
        print(gradcheck_table(report) + "\n")
        results[title] = report
    wrong = wrong_parameters(results["buggy backward"])
    print("Parameters whose gradient is wrong:", ", ".join(wrong) or "none")
    # ag.gradcheck gives the same verdict as a pass/fail, for tests.
    buggy = model_with(BuggyAffineFn)
    try:
        ag.gradcheck(lambda *_: F.cross_entropy(buggy(X), y), dict(buggy.named_parameters()))
    except ag.GradcheckError as error:
        print("ag.gradcheck raises:", str(error).splitlines()[0])
    summary = {
        "correct_max_rel_diff": results["correct backward"].max_rel_diff,
        "buggy_rel_diff": {r.name: r.rel_diff for r in results["buggy backward"]},
        "wrong_parameters": wrong,
    }
    write_json(out / "gradient_checking.json", summary)
    return summary


if __name__ == "__main__":
    main()
