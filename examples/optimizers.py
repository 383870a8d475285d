"""SGD, the notes' momentum, RMSprop and Adam training the same network, side by side.

The network is the notes' shallow net on the planar "flower" data: two
inputs, 8 tanh units, one sigmoid output (kept inside the cross-entropy as a
logit, for stability). Every optimizer starts from the same weights and sees
the same mini-batches (64 samples, reshuffled each epoch), so the four cost
curves differ only by the update rule:

- SGD:      W = W - alpha dW
- Momentum: V_dW = beta V_dW + (1 - beta) dW,  W = W - alpha V_dW
- RMSprop:  S_dW = beta S_dW + (1 - beta) dW^2,  W = W - alpha dW / (sqrt(S_dW) + eps)
- Adam:     both averages, bias-corrected, W = W - alpha V_hat / (sqrt(S_hat) + eps)

Run: python examples/optimizers.py [--epochs 150] [--out examples-output/optimizers.svg]
Writes: the figure of the four cost curves (one per epoch, on the whole data set).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

import autograd as ag
import nn
import nn.functional as F
import optim

# name -> (optimizer class, keyword arguments); learning rates suited to each rule.
OPTIMIZERS = {
    "SGD": (optim.SGD, dict(lr=0.5)),
    "Momentum": (optim.Momentum, dict(lr=0.5, beta=0.9)),
    "RMSprop": (optim.RMSprop, dict(lr=0.01)),
    "Adam": (optim.Adam, dict(lr=0.02)),
}


def shallow_net(seed: int) -> nn.Module:
    """2 -> 8 tanh -> 1 (a logit); the same seed gives the same starting weights."""
    ag.manual_seed(seed)
    return nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))


def cost_and_accuracy(net: nn.Module, X: ag.Tensor, Y: ag.Tensor) -> tuple[float, float]:
    with ag.no_grad():
        logits = net(X)
        cost = F.binary_cross_entropy_with_logits(logits, Y).item()
    return cost, float(((logits.data > 0) == (Y.data > 0.5)).mean())


def train(make_opt, net: nn.Module, X: np.ndarray, y: np.ndarray, epochs: int,
          seed: int) -> list[float]:
    """Mini-batch training; returns the full-data cost after each epoch."""
    opt = make_opt(net.parameters())
    loader = nn.data.DataLoader(X, y, batch_size=64, shuffle=True, seed=seed)
    X_all, Y_all = ag.Tensor(X), ag.Tensor(y)
    costs = []
    for _ in range(epochs):
        for xb, yb in loader:
            opt.zero_grad()
            F.binary_cross_entropy_with_logits(net(xb), yb).backward()
            opt.step()
        costs.append(cost_and_accuracy(net, X_all, Y_all)[0])
    return costs


def plot(curves: dict[str, list[float]], path: Path) -> None:
    """All cost curves in one panel: with viz's plot_history, else matplotlib directly."""
    history = {f"{name} loss": costs for name, costs in curves.items()}
    try:
        from viz import plot_history
    except ImportError:
        plot_history = None
    if plot_history is not None:
        plot_history(history, path)
        return
    from matplotlib.figure import Figure
    fig = Figure(figsize=(5.5, 3.8), layout="tight")
    ax = fig.add_subplot()
    for name, costs in history.items():
        ax.plot(np.arange(1, len(costs) + 1), costs, label=name)
    ax.set(xlabel="epoch", ylabel="cost", yscale="log", title="loss")
    ax.legend()
    fig.savefig(path)


def main(argv=None) -> dict[str, float]:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--epochs", type=int, default=150, help="passes over the data")
    p.add_argument("--seed", type=int, default=0, help="seed for the weights and batches")
    p.add_argument("--out", default="examples-output/optimizers.svg",
                   help="where to save the figure (.svg, .png or .pdf)")
    args = p.parse_args(argv)
    if args.epochs < 1:
        raise SystemExit(f"--epochs must be at least 1, got {args.epochs}")
    X, labels = nn.datasets.load_planar()
    y = labels.astype(np.float32).reshape(-1, 1)

    curves, final = {}, {}
    print(f"{'optimizer':<10} {'final cost':>10} {'accuracy':>9} {'seconds':>8}")
    for name, (cls, kw) in OPTIMIZERS.items():
        start = time.perf_counter()
        net = shallow_net(args.seed)
        curves[name] = train(lambda ps: cls(ps, **kw), net, X, y, args.epochs, args.seed)
        cost, acc = cost_and_accuracy(net, ag.Tensor(X), ag.Tensor(y))
        final[name] = cost
        print(f"{name:<10} {cost:>10.4f} {acc:>9.3f} {time.perf_counter() - start:>8.2f}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    plot(curves, out)
    print(f"cost curves: {out}")
    return final


if __name__ == "__main__":
    main()
