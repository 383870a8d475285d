"""Transfer learning: LeNet-5 learns the digits 0-4, then 5-9 from a few examples each.

The notes' recipe when task B has little data and task A much more: take a
network trained on A, keep (freeze) its feature layers, put a new head on it
and train only the head on B's few examples. Here A is the digits 0-4 (about
720 training images) and B the digits 5-9, with ``--shots`` examples of each.

1. LeNet-5 (``nn.models.LeNet5``, on the digits resized to 32x32) is trained
   on 0-4.
2. Transfer: a copy of it, ``features.requires_grad_(False)`` (the two
   convolutions stay as learned), and a new head: the dense layers of
   ``classifier`` replaced by fresh ones (``classifier[i] = nn.Linear(...)``)
   with 5 outputs for 5-9, trained on the few examples.
3. Scratch: the same LeNet-5, every weight fresh, trained on the same few
   examples in the same way.

Both are tested on the held-out 5-9 digits, for several random draws of the
few examples; their mean accuracies are printed and plotted.

Run: python examples/transfer_learning.py [--shots 3] [--draws 5] [--fast] [--out examples-output]
Writes: transfer_learning.png, transfer_learning.json
"""
from __future__ import annotations

import numpy as np

import autograd as ag
import nn
import optim
from _util import Timer, accuracy, parser, setup, train_epoch, write_json
from nn.data import transforms as T


def evaluate(model, X, y) -> float:
    model.eval()
    with ag.no_grad():
        return accuracy(model(ag.Tensor(X)), y)


def fit(model, X, y, epochs: int, lr: float, seed: int) -> None:
    """Adam on the parameters that still require grad (all, unless some were frozen)."""
    params = [p for p in model.parameters() if p.requires_grad]
    opt = optim.Adam(params, lr=lr)
    loader = nn.data.DataLoader(X, y, batch_size=32, seed=seed)
    for _ in range(epochs):
        train_epoch(model, loader, opt)


def new_head(model: nn.models.LeNet5, num_classes: int) -> None:
    """Fresh dense layers in ``model.classifier`` (the ReLUs between them stay)."""
    for i, layer in enumerate(model.classifier):
        if isinstance(layer, nn.Linear):
            out = num_classes if i == len(model.classifier) - 1 else layer.out_features
            model.classifier[i] = nn.Linear(layer.in_features, out)


def trainable(model) -> int:
    return int(sum(p.size for p in model.parameters() if p.requires_grad))


def plot(results: dict, shots: int, path) -> None:
    """Mean accuracy of each way as a bar; each draw's pair of results as a grey line."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.8))
    means = [np.mean(accs) for accs in results.values()]
    ax.bar(range(len(results)), means, width=0.55, alpha=0.75, color=["C0", "C1"])
    ax.plot(np.array([[0], [1]]) + np.zeros(len(results["transfer"])),
            np.array([results["transfer"], results["scratch"]]), color="0.3", marker="o",
            markersize=4, linewidth=0.8)
    for k, m in enumerate(means):
        ax.text(k, 0.52, f"mean {m:.1%}", ha="center", color="white", fontweight="bold")
    ax.set_xticks([0, 1], ["transfer: frozen features\n+ new head",
                           "scratch: the same\nLeNet-5, fresh"])
    ax.set_ylim(0.5, 1.0)
    ax.set_ylabel("accuracy on the test digits 5-9")
    ax.set_title(f"{shots} training examples per class of 5-9 (lines: one draw each)",
                 fontsize=10)
    ax.grid(True, axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv=None) -> dict:
    p = parser(__doc__.splitlines()[0], epochs=100)
    p.add_argument("--shots", type=int, default=3, help="training examples per class of 5-9")
    p.add_argument("--draws", type=int, default=5, help="random draws of those examples")
    p.add_argument("--pretrain-epochs", type=int, default=10, help="epochs on the digits 0-4")
    p.add_argument("--lr", type=float, default=1e-3, help="Adam learning rate")
    p.add_argument("--fast", action="store_true",
                   help="three draws, 5 epochs on 0-4 (what the tests use)")
    args = p.parse_args(argv)
    if args.fast:
        args.draws, args.pretrain_epochs = 3, 5
    out = setup(args)

    X, y = nn.datasets.load_digits()
    X = T.Resize(32)(X)                                   # LeNet-5 takes 32x32 images
    X_tr, y_tr, X_te, y_te = nn.datasets.train_test_split(X, y, test_size=0.2, seed=args.seed,
                                                          stratify=True)
    a_tr, a_te, b_te = y_tr < 5, y_te < 5, y_te >= 5

    with Timer() as timer:
        pretrained = nn.models.LeNet5(num_classes=5)
        fit(pretrained, X_tr[a_tr], y_tr[a_tr], args.pretrain_epochs, args.lr, args.seed)
    acc_a = evaluate(pretrained, X_te[a_te], y_te[a_te])
    print(f"Task A, digits 0-4: LeNet-5 trained on {int(a_tr.sum())} images, "
          f"{args.pretrain_epochs} epochs: test accuracy {acc_a:.1%} ({timer.seconds:.1f} s)")

    rng = np.random.default_rng(args.seed)
    results = {"transfer": [], "scratch": []}
    params = {}
    print(f"Task B, digits 5-9: {args.shots} training examples per class, {args.epochs} epochs, "
          f"tested on {int(b_te.sum())} images")
    with Timer() as timer:
        for draw in range(args.draws):
            few = np.concatenate([rng.choice(np.flatnonzero(y_tr == c), args.shots,
                                             replace=False) for c in range(5, 10)])
            X_b, y_b = X_tr[few], y_tr[few] - 5
            ag.manual_seed(args.seed + 1 + draw)
            transfer = nn.models.LeNet5(num_classes=5)
            transfer.load_state_dict(pretrained.state_dict())
            transfer.features.requires_grad_(False)     # keep what task A taught
            new_head(transfer, 5)
            scratch = nn.models.LeNet5(num_classes=5)
            for name, model in (("transfer", transfer), ("scratch", scratch)):
                fit(model, X_b, y_b, args.epochs, args.lr, args.seed + draw)
                results[name].append(evaluate(model, X_te[b_te], y_te[b_te] - 5))
                params[name] = trainable(model)
            print(f"  draw {draw + 1}: transfer {results['transfer'][-1]:.1%}, "
                  f"scratch {results['scratch'][-1]:.1%}")
    mean = {name: float(np.mean(accs)) for name, accs in results.items()}
    print(f"Mean test accuracy on 5-9 over {args.draws} draws ({timer.seconds:.1f} s):")
    for name in results:
        print(f"  {name:<9} {mean[name]:.1%}   ({params[name]:,} weights trained on the "
              f"{5 * args.shots} examples)")

    plot(results, args.shots, out / "transfer_learning.png")
    print(f"picture: {out / 'transfer_learning.png'}")
    summary = {"shots": args.shots, "draws": args.draws, "epochs": args.epochs,
               "pretrain_epochs": args.pretrain_epochs, "task_a_accuracy": acc_a,
               "accuracy": results, "mean_accuracy": mean, "trained_parameters": params}
    write_json(out / "transfer_learning.json", summary)
    return summary


if __name__ == "__main__":
    main()
