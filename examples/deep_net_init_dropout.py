"""A deep network: initialisation (zero, random, He) and regularisation (L2 vs dropout).

Two experiments from the notes' chapter on improving deep networks, each
printed as a table.

1. Initialisation, on the moons data with a ReLU network [2, 10, 5, 1]
   trained by plain gradient descent: all-zero weights cannot break the
   symmetry (every unit of a layer stays the same, the net stays at chance);
   small random weights (``randn * 0.01``) make the signal shrink layer by
   layer and learning crawl; large ones (``randn * 10``) saturate the output
   and start from a huge cost; He (``randn * sqrt(2 / n[l-1])``) trains.
2. Regularisation, on a few noisy moons and a wide network that can
   memorise them: no regularisation overfits (train accuracy well above
   test), the notes' L2 penalty ``lambda / (2m) * sum ||W[l]||_F^2`` and
   inverted dropout both narrow the gap.

Run: python examples/deep_net_init_dropout.py [--epochs 1000] [--out examples-output]
Writes: deep_net_init_dropout.json
"""
from __future__ import annotations

import numpy as np

import autograd as ag
import nn
import nn.functional as F
import optim
from _util import parser, setup, write_json

INITS = {
    "zeros": lambda w: nn.init.zeros_(w),
    "random * 0.01": lambda w: nn.init.normal_(w, std=0.01),
    "random * 10": lambda w: nn.init.normal_(w, std=10.0),
    "He": lambda w: nn.init.he_normal_(w),
}


def relu_net(sizes: list[int], dropout: float = 0.0) -> nn.Sequential:
    """Linear layers of ``sizes`` with ReLU (and dropout) between them; a logit out."""
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(n_in, n_out))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
            if dropout:
                layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)


def initialise(net: nn.Module, init) -> nn.Module:
    for name, p in net.named_parameters():
        init(p) if name.endswith("weight") else nn.init.zeros_(p)
    return net


def l2_penalty(net: nn.Module, lam: float, m: int):
    """The notes' ``lambda / (2m) * sum_l ||W[l]||_F^2`` (weights only, not biases)."""
    squares = [(p * p).sum() for name, p in net.named_parameters() if name.endswith("weight")]
    return (lam / (2 * m)) * sum(squares[1:], squares[0])


def fit(net, X, y, epochs, opt, lam=0.0) -> tuple[float, float]:
    """Train; the first and the last cost."""
    net.train()
    first = None
    for _ in range(epochs):
        opt.zero_grad()
        cost = F.binary_cross_entropy_with_logits(net(X), y)
        if lam:
            cost = cost + l2_penalty(net, lam, len(X.data))
        cost.backward()
        opt.step()
        first = cost.item() if first is None else first
    return first, cost.item()


def accuracy(net, X, y) -> float:
    net.eval()
    with ag.no_grad():
        return float(((net(X).data > 0) == (y.data > 0.5)).mean())


def tensors(X, y):
    return ag.Tensor(X), ag.Tensor(y.astype(np.float32).reshape(-1, 1))


def print_table(title: str, rows: dict) -> None:
    print(f"\n{title}\n{'setting':<20} {'first cost':>11} {'final cost':>11} {'train acc':>10} "
          f"{'test acc':>9}")
    for name, r in rows.items():
        print(f"{name:<20} {r['first_cost']:>11.4g} {r['final_cost']:>11.4g} "
              f"{r['train_accuracy']:>10.3f} {r['test_accuracy']:>9.3f}")


def result(costs, net, train, test) -> dict:
    return {"first_cost": costs[0], "final_cost": costs[1],
            "train_accuracy": accuracy(net, *train), "test_accuracy": accuracy(net, *test)}


def compare_inits(epochs: int, seed: int) -> dict:
    X, y = nn.datasets.make_moons(300, noise=0.15, seed=seed)
    X_tr, y_tr, X_te, y_te = nn.datasets.train_test_split(X, y, test_size=0.3, seed=seed)
    (Xa, ya), (Xb, yb) = tensors(X_tr, y_tr), tensors(X_te, y_te)
    rows = {}
    for name, init in INITS.items():
        ag.manual_seed(seed)
        net = initialise(relu_net([2, 10, 5, 1]), init)
        costs = fit(net, Xa, ya, epochs, optim.SGD(net.parameters(), lr=0.1))
        rows[name] = result(costs, net, (Xa, ya), (Xb, yb))
    print_table("1. Initialisation: ReLU net [2, 10, 5, 1], gradient descent", rows)
    return rows


def compare_regularisation(epochs: int, seed: int, lam: float, p: float) -> dict:
    X, y = nn.datasets.make_moons(160, noise=0.35, seed=seed + 1)
    X_tr, y_tr, X_te, y_te = nn.datasets.train_test_split(X, y, test_size=0.5, seed=seed)
    (Xa, ya), (Xb, yb) = tensors(X_tr, y_tr), tensors(X_te, y_te)
    rows = {}
    for name, lam_, p_ in [("none", 0.0, 0.0), (f"L2, lambda = {lam}", lam, 0.0),
                           (f"dropout, p = {p}", 0.0, p)]:
        ag.manual_seed(seed)
        net = initialise(relu_net([2, 50, 50, 1], dropout=p_), INITS["He"])
        costs = fit(net, Xa, ya, epochs, optim.Adam(net.parameters(), lr=0.01), lam=lam_)
        rows[name] = result(costs, net, (Xa, ya), (Xb, yb))
    print_table("2. Regularisation: ReLU net [2, 50, 50, 1], He init, Adam", rows)
    return rows


def main(argv=None) -> dict:
    p = parser(__doc__.splitlines()[0], epochs=1000)
    p.add_argument("--lam", type=float, default=1.0, help="L2 strength lambda")
    p.add_argument("--dropout", type=float, default=0.5, help="dropout probability")
    args = p.parse_args(argv)
    out = setup(args)
    summary = {"epochs": args.epochs,
               "initialisation": compare_inits(args.epochs, args.seed),
               "regularisation": compare_regularisation(args.epochs // 2, args.seed,
                                                        args.lam, args.dropout)}
    write_json(out / "deep_net_init_dropout.json", summary)
    return summary


if __name__ == "__main__":
    main()
