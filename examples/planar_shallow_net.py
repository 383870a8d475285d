"""A shallow network on the notes' planar "flower" data, with its decision boundary.

The flower's two classes wind around each other, so logistic regression (a
straight boundary) does little better than a coin. One hidden layer of tanh
units, ``z[1] = W[1] x + b[1]``, ``a[1] = tanh(z[1])``,
``a[2] = sigmoid(W[2] a[1] + b[2])``, trained by plain gradient descent on
the cross-entropy cost, bends the boundary around the petals. As in the
notes, the weights start small (``randn * 0.01``) and biases at zero, and a
few hidden-layer sizes are compared: too few units underfit.

Run: python examples/planar_shallow_net.py [--epochs 1500] [--hidden 1 2 4 20]
Writes: planar_shallow_net.png (decision boundaries), planar_shallow_net.json
"""
from __future__ import annotations

import numpy as np

import autograd as ag
import nn
import nn.functional as F
import optim
from _util import parser, setup, write_json


def shallow_net(n_hidden: int | None) -> nn.Module:
    """``n_hidden`` tanh units and one sigmoid output unit (as a logit);
    ``None``: logistic regression."""
    layers = [nn.Linear(2, 1)] if n_hidden is None else \
        [nn.Linear(2, n_hidden), nn.Tanh(), nn.Linear(n_hidden, 1)]
    net = nn.Sequential(*layers)
    for layer in net:
        if isinstance(layer, nn.Linear):
            nn.init.normal_(layer.weight, std=0.01)
            nn.init.zeros_(layer.bias)
    return net


def train(net: nn.Module, X, y, epochs: int, lr: float) -> list[float]:
    """Full-batch gradient descent; the sigmoid sits inside the loss for stability."""
    opt = optim.SGD(net.parameters(), lr=lr)
    costs = []
    for _ in range(epochs):
        opt.zero_grad()
        cost = F.binary_cross_entropy_with_logits(net(X), y)
        cost.backward()
        opt.step()
        costs.append(cost.item())
    return costs


def accuracy(net: nn.Module, X, y) -> float:
    with ag.no_grad():
        return float(((net(X).data > 0) == (y.data > 0.5)).mean())


def plot_boundaries(nets: dict, X: np.ndarray, y: np.ndarray, path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    lo, hi = X.min(axis=0) - 1, X.max(axis=0) + 1
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], 200), np.linspace(lo[1], hi[1], 200))
    grid = ag.Tensor(np.c_[xx.ravel(), yy.ravel()].astype(np.float32))
    fig, axes = plt.subplots(1, len(nets), figsize=(3.2 * len(nets), 3.4), squeeze=False)
    for ax, (title, net) in zip(axes[0], nets.items()):
        with ag.no_grad():
            zz = (net(grid).data > 0).reshape(xx.shape)
        ax.contourf(xx, yy, zz, levels=[-0.5, 0.5, 1.5], colors=["#f4c7c3", "#c6dbef"])
        ax.scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu", s=6, edgecolors="none")
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None) -> dict:
    p = parser(__doc__.splitlines()[0], epochs=1500)   # 3000 move the accuracies by 1-2 points
    p.add_argument("--lr", type=float, default=1.2, help="the learning rate alpha")
    p.add_argument("--hidden", type=int, nargs="+", default=[1, 2, 4, 20],
                   help="hidden-layer sizes to compare")
    args = p.parse_args(argv)
    out = setup(args)
    X, y = nn.datasets.make_flower(400, seed=args.seed)
    X_tr, y_tr, X_te, y_te = nn.datasets.train_test_split(X, y, test_size=0.25, seed=args.seed,
                                                          stratify=True)
    as_targets = lambda labels: ag.Tensor(labels.astype(np.float32).reshape(-1, 1))  # noqa: E731
    Xt_tr, Xt_te, yt_tr, yt_te = ag.Tensor(X_tr), ag.Tensor(X_te), as_targets(y_tr), \
        as_targets(y_te)

    nets, results = {}, {}
    print(f"{'model':<26} {'final cost':>10} {'train acc':>10} {'test acc':>10}")
    for n_hidden in [None, *args.hidden]:
        title = "logistic regression" if n_hidden is None else f"{n_hidden} hidden tanh units"
        net = shallow_net(n_hidden)
        costs = train(net, Xt_tr, yt_tr, args.epochs, args.lr)
        train_acc, test_acc = accuracy(net, Xt_tr, yt_tr), accuracy(net, Xt_te, yt_te)
        print(f"{title:<26} {costs[-1]:>10.4f} {train_acc:>10.3f} {test_acc:>10.3f}")
        nets[f"{title}\ntest accuracy {test_acc:.0%}"] = net
        results[title] = {"final_cost": costs[-1], "train_accuracy": train_acc,
                          "test_accuracy": test_acc}
    plot_boundaries(nets, X, y, out / "planar_shallow_net.png")
    print(f"decision boundaries: {out / 'planar_shallow_net.png'}")
    summary = {"epochs": args.epochs, "lr": args.lr, "models": results}
    write_json(out / "planar_shallow_net.json", summary)
    return summary


if __name__ == "__main__":
    main()
