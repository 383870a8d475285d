"""LeNet-5 on the bundled digits, resized to 32x32, evaluated with one number per class.

1. The digits (8x8) are resized to LeNet-5's 32x32 input by bilinear
   interpolation (``nn.data.transforms.Resize``).
2. ``nn.models.LeNet5``: conv 5x5 (6 filters), average pool 2x2, conv 5x5 (16),
   average pool 2x2, then dense layers of 120, 84 and 10 units. Every layer's
   output is printed in the notes' ``height x width x channels`` form beside
   ``floor((n + 2p - f) / s) + 1``, with its parameter count: height and width
   shrink, the channels grow.
3. Training with Adam on mini-batches, then on the test set: the accuracy, the
   confusion matrix (rows are the true digits) drawn to a picture, and
   precision, recall and F1 per digit (``nn.metrics``), the notes' single
   number to compare models by.

Run: python examples/lenet5_digits.py [--epochs 10] [--out examples-output]
Writes: lenet5_confusion.png, lenet5_digits.json
"""
from __future__ import annotations

import numpy as np

import autograd as ag
import nn
import optim
import viz
from nn import metrics
from nn.data.transforms import Resize
from _util import Timer, parser, setup, train_epoch, write_json


def layer_geometry(layer) -> tuple[int, int, int] | None:
    """(f, s, p) of a conv or pool layer, None for the others."""
    if isinstance(layer, nn.Conv2d):
        return layer.kernel_size[0], layer.stride[0], layer.padding[0]
    if isinstance(layer, (nn.AvgPool2d, nn.MaxPool2d)):
        as_int = (lambda v: v if isinstance(v, int) else v[0])
        return as_int(layer.kernel_size), as_int(layer.stride), as_int(layer.padding)
    return None


def hwc(shape) -> str:
    """The notes' ``height x width x channels`` for an NCHW shape, or the units."""
    return f"{shape[2]}x{shape[3]}x{shape[1]}" if len(shape) == 4 else f"{shape[1]}"


def shape_table(model: nn.models.LeNet5, x: ag.Tensor) -> list:
    """Run one batch through the layers in turn, printing what each one makes of it."""
    print(f"{'layer':<16} {'kind':<10} {'output':<10} {'parameters':>10}  formula")
    print(f"{'input':<16} {'':<10} {hwc(x.shape):<10} {'':>10}")
    rows = [("input", hwc(x.shape))]
    stages = [(f"features.{i}", m) for i, m in enumerate(model.features)]
    stages += [("flatten", None)]
    stages += [(f"classifier.{i}", m) for i, m in enumerate(model.classifier)]
    for name, layer in stages:
        n = x.shape[-1]
        x = x.flatten(1) if layer is None else layer(x)
        if isinstance(layer, nn.ReLU):
            continue   # same shape as the layer before
        params = 0 if layer is None else sum(p.size for p in layer.parameters())
        geometry = layer_geometry(layer)
        formula = ""
        if geometry is not None:
            f, s, p = geometry
            formula = f"floor(({n} + 2*{p} - {f}) / {s}) + 1 = {(n + 2 * p - f) // s + 1}"
            assert x.shape[-1] == (n + 2 * p - f) // s + 1
        kind = "flatten" if layer is None else type(layer).__name__
        print(f"{name:<16} {kind:<10} {hwc(x.shape):<10} {params:>10,}  {formula}")
        rows.append((name, hwc(x.shape)))
    total = sum(p.size for p in model.parameters())
    print(f"{'total':<16} {'':<10} {'':<10} {total:>10,}\n")
    return rows


def main(argv=None) -> dict:
    p = parser(__doc__.splitlines()[0], epochs=10)
    p.add_argument("--lr", type=float, default=2e-3, help="Adam's learning rate")
    args = p.parse_args(argv)
    out = setup(args)

    X, y = nn.datasets.load_digits()
    X = Resize((32, 32))(X)                      # (1797, 1, 8, 8) -> (1797, 1, 32, 32)
    X_tr, y_tr, X_te, y_te = nn.datasets.train_test_split(X, y, test_size=0.2, seed=args.seed,
                                                          stratify=True)
    print(f"digits resized to {X.shape[2]}x{X.shape[3]}: {len(X_tr)} for training, "
          f"{len(X_te)} for testing\n")
    model = nn.models.LeNet5(num_classes=10, in_channels=1)
    shapes = shape_table(model, ag.Tensor(X_tr[:2]))

    opt = optim.Adam(model.parameters(), lr=args.lr)
    loader = nn.data.DataLoader(X_tr, y_tr, batch_size=64, seed=args.seed)
    with Timer() as t:
        for epoch in range(1, args.epochs + 1):
            loss = train_epoch(model, loader, opt)
            print(f"epoch {epoch:2d}  mean loss {loss:.4f}")
    model.eval()
    with ag.no_grad():
        y_pred = model(ag.Tensor(X_te)).data.argmax(axis=1)
    acc = metrics.accuracy_score(y_te, y_pred)
    print(f"\ntrained in {t.seconds:.1f} s; test accuracy {acc:.3f} ({len(y_te)} digits)\n")

    cm = metrics.confusion_matrix(y_te, y_pred, labels=list(range(10)))
    names = [str(d) for d in range(10)]
    print(metrics.classification_report(y_te, y_pred, labels=list(range(10)),
                                        target_names=names, digits=3, zero_division=0))
    precision, recall, f1, support = metrics.precision_recall_fscore_support(
        y_te, y_pred, labels=list(range(10)), zero_division=0)
    macro_f1 = metrics.f1_score(y_te, y_pred, average="macro", zero_division=0)
    path = out / "lenet5_confusion.png"
    viz.plot_confusion_matrix(cm, class_names=names, path=path,
                              title=f"LeNet-5 on the test digits (accuracy {acc:.3f})")
    print(f"confusion matrix (rows: true digit, columns: predicted): {path}")

    summary = {"epochs": args.epochs, "lr": args.lr, "test_accuracy": float(acc),
               "shapes": shapes, "parameters": int(sum(q.size for q in model.parameters())),
               "confusion_matrix": cm.tolist(), "precision": precision.tolist(),
               "recall": recall.tolist(), "f1": f1.tolist(), "support": support.tolist(),
               "macro_f1": float(macro_f1)}
    write_json(out / "lenet5_digits.json", summary)
    return summary


if __name__ == "__main__":
    main()
