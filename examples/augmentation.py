"""Data augmentation: a CNN trained on a tenth of the digits, with and without it.

The notes' remedy for too little data: make more of it, by flipping, cropping,
rotating and distorting the images there are. Here a small CNN learns the
digits from 10% of the training images (about 14 per class), twice from the
same start: once on the images as they are, once on images that
``nn.data.transforms`` turns, shifts and zooms a little afresh every epoch
(``DataLoader(..., transform=...)``). No flips: a mirrored 2 is not a 2.

Both are tested on the test digits as they are and on the same digits moved,
turned and zoomed a little (one fixed draw), as other people's handwriting
would be. Augmentation helps on both, most on the moved digits, which the few
training images never show.

Run: python examples/augmentation.py [--epochs 80] [--runs 3] [--fast] [--out examples-output]
Writes: augmentation_samples.png, augmentation.png, augmentation.json
"""
from __future__ import annotations

import numpy as np

import autograd as ag
import nn
import optim
from _util import Timer, accuracy, parser, setup, train_epoch, write_json
from nn.data import transforms as T

SIZE = 16   # the 8x8 digits resized, so that a turn of 10 degrees moves whole pixels


def augmentation() -> T.Compose:
    return T.Compose([T.RandomAffine(degrees=10, translate=(0.1, 0.1), scale=(0.9, 1.1))])


def small_cnn() -> nn.Sequential:
    """conv 3x3 (8) -> max pool -> conv 3x3 (16) -> max pool -> 64 -> 10, for 16x16 digits."""
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding="same"), nn.ReLU(), nn.MaxPool2d(2),      # 8 x 8 x 8
        nn.Conv2d(8, 16, 3, padding="same"), nn.ReLU(), nn.MaxPool2d(2),     # 16 x 4 x 4
        nn.Flatten(), nn.Linear(16 * 4 * 4, 64), nn.ReLU(), nn.Linear(64, 10))


def evaluate(model, X, y) -> float:
    model.eval()
    with ag.no_grad():
        return accuracy(model(ag.Tensor(X)), y)


def train(X, y, tests: dict, transform, epochs: int, lr: float, seed: int,
          every: int) -> dict:
    """Train a fresh CNN (weights from ``seed``); test accuracies every ``every`` epochs."""
    ag.manual_seed(seed)
    model = small_cnn()
    opt = optim.Adam(model.parameters(), lr=lr)
    loader = nn.data.DataLoader(X, y, batch_size=32, seed=seed, transform=transform)
    curves = {name: [] for name in tests}
    for epoch in range(1, epochs + 1):
        train_epoch(model, loader, opt)
        if epoch % every == 0 or epoch == epochs:
            for name, (Xt, yt) in tests.items():
                curves[name].append(evaluate(model, Xt, yt))
    return curves


def plot_samples(X, path) -> None:
    """Each row: a training digit, then what the augmentation makes of it eight times."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    aug = augmentation()
    fig, axes = plt.subplots(len(X), 9, figsize=(9, len(X) * 1.05))
    for r, image in enumerate(X):
        views = [image] + [aug(image) for _ in range(8)]
        for c, view in enumerate(views):
            axes[r, c].imshow(view[0], cmap="gray_r", vmin=0, vmax=1)
            axes[r, c].set_xticks([])
            axes[r, c].set_yticks([])
    axes[0, 0].set_title("original", fontsize=9)
    for c in range(1, 9):
        axes[0, c].set_title(f"augmented {c}", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def plot_results(epochs_axis, curves: dict, path) -> None:
    """Test accuracy per epoch (mean over runs) for both test sets, with and without."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
    for ax, test in zip(axes, ("test", "moved test")):
        for variant, style in (("without augmentation", "--"), ("with augmentation", "-")):
            mean = np.mean(curves[variant][test], axis=0)
            ax.plot(epochs_axis, mean, style, marker="o", markersize=3,
                    label=f"{variant} (final {mean[-1]:.1%})")
        ax.set_title(f"accuracy on the {test} digits")
        ax.set_xlabel("epoch")
        ax.grid(True, alpha=0.3)
        ax.legend(loc="lower right")
    axes[0].set_ylabel("accuracy")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv=None) -> dict:
    p = parser(__doc__.splitlines()[0], epochs=80)
    p.add_argument("--runs", type=int, default=3,
                   help="training subsets (and weight initialisations) to average over")
    p.add_argument("--fraction", type=float, default=0.1, help="share of the training images")
    p.add_argument("--lr", type=float, default=5e-3, help="Adam learning rate")
    p.add_argument("--fast", action="store_true", help="one run (what the tests use)")
    args = p.parse_args(argv)
    if args.fast:
        args.runs = 1
    out = setup(args)

    X, y = nn.datasets.load_digits()
    X = T.Resize(SIZE)(X)                       # bilinear, (1797, 1, 16, 16)
    X_tr, y_tr, X_te, y_te = nn.datasets.train_test_split(X, y, test_size=0.2, seed=args.seed,
                                                          stratify=True)
    ag.manual_seed(args.seed + 1000)
    X_moved = augmentation()(X_te)              # the test digits, moved a little, once
    tests = {"test": (X_te, y_te), "moved test": (X_moved, y_te)}
    print(f"augmentation: {augmentation()}")
    every = max(1, args.epochs // 16)
    curves = {"without augmentation": {t: [] for t in tests},
              "with augmentation": {t: [] for t in tests}}
    with Timer() as timer:
        for run in range(args.runs):
            seed = args.seed + run
            X_few, y_few, _, _ = nn.datasets.train_test_split(
                X_tr, y_tr, test_size=1 - args.fraction, seed=seed, stratify=True)
            for variant, transform in (("without augmentation", None),
                                       ("with augmentation", augmentation())):
                got = train(X_few, y_few, tests, transform, args.epochs, args.lr, seed, every)
                for t in tests:
                    curves[variant][t].append(got[t])
            print(f"run {run + 1}/{args.runs}: {len(X_few)} training images; test accuracy "
                  + ", ".join(f"{v.split()[0]} {curves[v]['test'][-1][-1]:.1%}"
                              for v in curves))

    final = {v: {t: float(np.mean([c[-1] for c in curves[v][t]])) for t in tests}
             for v in curves}
    print(f"\nMean test accuracy over {args.runs} run(s), {args.epochs} epochs, "
          f"{len(X_te)} test digits:")
    print(f"{'':<22} {'test digits':>12} {'moved test digits':>18}")
    for v in curves:
        print(f"{v:<22} {final[v]['test']:>12.1%} {final[v]['moved test']:>18.1%}")
    gain = {t: final["with augmentation"][t] - final["without augmentation"][t] for t in tests}
    print(f"{'augmentation adds':<22} {gain['test']:>+12.1%} {gain['moved test']:>+18.1%}")
    print(f"({timer.seconds:.1f} s)")

    plot_samples(X_tr[[np.flatnonzero(y_tr == d)[0] for d in (2, 4, 5, 7)]],
                 out / "augmentation_samples.png")
    epochs_axis = [e for e in range(1, args.epochs + 1) if e % every == 0 or e == args.epochs]
    plot_results(epochs_axis, curves, out / "augmentation.png")
    print(f"pictures: {out / 'augmentation_samples.png'}, {out / 'augmentation.png'}")
    summary = {"epochs": args.epochs, "runs": args.runs, "fraction": args.fraction,
               "training_images": int(len(X_few)), "test_images": int(len(X_te)),
               "accuracy": final, "gain": gain, "seconds": timer.seconds}
    write_json(out / "augmentation.json", summary)
    return summary


if __name__ == "__main__":
    main()
