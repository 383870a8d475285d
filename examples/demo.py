"""The demo behind `make demo`: check, train and draw a small network on the bundled digits.

1. builds a small CNN (or an MLP, or an LSTM reading the image row by row)
   for the 8x8 UCI handwritten digits that ship with the project;
2. checks its gradients against numeric ones, in float64, on a small batch,
   and prints the notes' relative difference per parameter (below 1e-7
   great, around 1e-5 worth a look, 1e-3 wrong);
3. trains it with Adam on mini-batches, one progress bar per epoch (one
   line per epoch when the output is not a terminal);
4. reports the test accuracy and writes to the output folder:
   graph.svg     the computation graph of one forward pass and its loss,
                 with parameter names, one box per module, coloured by
                 gradient size;
   training.svg  loss and accuracy per epoch;
   model.npz     the trained weights (load with nn.load + load_state_dict);
   summary.json  accuracy, gradient-check result, epochs, seconds, ...

Run: make demo [ARGS="--model mlp --epochs 5 --out my-folder"]
 or: python examples/demo.py --help
"""
from __future__ import annotations

import time

STARTED = time.perf_counter()   # "seconds" in the summary includes the imports

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

import autograd as ag  # noqa: E402
import nn  # noqa: E402
import nn.functional as F  # noqa: E402
import optim  # noqa: E402
import viz  # noqa: E402
from _util import render_graph  # noqa: E402

try:
    from tqdm import tqdm
except ImportError:  # tqdm comes with `make demo`; without it, one line per epoch
    tqdm = None


class DigitsCNN(nn.Module):
    """conv 3x3 (16) - ReLU - max-pool 2 - conv 3x3 (32) - ReLU - max-pool 2 - linear."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)     # 1x8x8  -> 16x8x8
        self.pool1 = nn.MaxPool2d(2)                    #        -> 16x4x4
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)    #        -> 32x4x4
        self.pool2 = nn.MaxPool2d(2)                    #        -> 32x2x2
        self.fc = nn.Linear(32 * 2 * 2, 10)

    def forward(self, x):
        x = self.pool1(F.relu(self.conv1(x)))
        x = self.pool2(F.relu(self.conv2(x)))
        return self.fc(x.reshape(x.shape[0], -1))


class DigitsMLP(nn.Module):
    """64 pixels - 64 ReLU units - 10 logits."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(64, 64)
        self.out = nn.Linear(64, 10)

    def forward(self, x):
        return self.out(F.relu(self.hidden(x.reshape(x.shape[0], 64))))


class DigitsLSTM(nn.Module):
    """An LSTM reads the image's 8 rows as a sequence; its last state is classified."""

    def __init__(self, hidden: int = 48):
        super().__init__()
        self.lstm = nn.LSTM(8, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, 10)

    def forward(self, x):
        out, _ = self.lstm(x.reshape(x.shape[0], 8, 8))
        return self.fc(out[:, -1])


MODELS = {"cnn": DigitsCNN, "mlp": DigitsMLP, "rnn": DigitsLSTM}
# Learning rate and default epochs per model, chosen to pass 95% quickly.
SETTINGS = {"cnn": (3e-3, 20), "mlp": (3e-3, 20), "rnn": (1e-2, 20)}


def _per_model(i: int) -> str:
    """SETTINGS[model][i] for each model: '20', or '0.003 for cnn and mlp, 0.01 for rnn'."""
    by_value = {}
    for model in sorted(SETTINGS):
        by_value.setdefault(SETTINGS[model][i], []).append(model)
    if len(by_value) == 1:
        return f"{next(iter(by_value))}"
    return ", ".join(f"{value} for {' and '.join(models)}" for value, models in by_value.items())


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--model", choices=sorted(MODELS), default="cnn", help="which network")
    # SUPPRESS: these defaults depend on --model, so the help states them itself
    p.add_argument("--epochs", type=int, default=argparse.SUPPRESS,
                   help="training epochs (default: " + _per_model(1) + ")")
    p.add_argument("--batch-size", type=int, default=32, help="mini-batch size")
    p.add_argument("--lr", type=float, default=argparse.SUPPRESS,
                   help="Adam's learning rate (default: " + _per_model(0) + ")")
    p.add_argument("--out", default="demo-output", help="output folder")
    p.add_argument("--seed", type=int, default=0, help="seed for split, weights and shuffling")
    args = p.parse_args(argv)
    lr, epochs = SETTINGS[args.model]
    args.lr = getattr(args, "lr", lr)
    args.epochs = getattr(args, "epochs", epochs)
    if args.epochs < 1 or args.batch_size < 1:
        p.error("--epochs and --batch-size must be at least 1")
    return args


def count_parameters(model: nn.Module) -> int:
    return int(sum(p.size for p in model.parameters()))


def gradient_check(model: nn.Module, X: np.ndarray, y: np.ndarray):
    """The notes' gradient check on a float64 copy of the model; prints the table."""
    checked = type(model)()
    checked.load_state_dict(model.state_dict())
    checked.double()
    Xt, yt = ag.Tensor(X.astype(np.float64)), ag.Tensor(y)
    report = ag.compare_grads(lambda *_: F.cross_entropy(checked(Xt), yt),
                              dict(checked.named_parameters()))
    print(f"Gradient check (float64, {len(X)} samples, central differences):")
    print(f"  {'parameter':<22} {'shape':<16} {'rel. difference':>15}  verdict")
    for r in report:
        print(f"  {r.name:<22} {str(r.shape):<16} {r.rel_diff:>15.2e}  {ag.verdict(r.rel_diff)}")
    print("  (the notes: below 1e-7 great, around 1e-5 worth a look, 1e-3 or more wrong)")
    return report


def evaluate(model: nn.Module, X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Mean cross-entropy and accuracy, in eval mode and without a graph."""
    model.eval()
    with ag.no_grad():
        logits = model(ag.Tensor(X))
        loss = F.cross_entropy(logits, ag.Tensor(y)).item()
    return loss, float((logits.data.argmax(axis=1) == y).mean())


def progress(n_batches: int, epoch: int, epochs: int):
    """A tqdm bar for one epoch; None (one line per epoch) without tqdm or when the
    output is not a terminal, where a bar's redrawn lines would pile up in a log."""
    if tqdm is None or not sys.stdout.isatty():
        return None
    return tqdm(total=n_batches, desc=f"epoch {epoch:>2}/{epochs}", unit="batch",
                file=sys.stdout)


def train_epoch(model, loader, opt, bar=None) -> tuple[float, float, float]:
    """One pass over the loader: mean training loss, accuracy and samples per second."""
    model.train()
    total_loss, correct, seen, start = 0.0, 0, 0, time.perf_counter()
    for xb, yb in loader:
        opt.zero_grad()
        logits = model(xb)
        loss = F.cross_entropy(logits, yb)
        loss.backward()
        opt.step()
        n = len(yb.data)
        total_loss += loss.item() * n
        correct += int((logits.data.argmax(axis=1) == yb.data).sum())
        seen += n
        if bar is not None:
            bar.update(1)
            bar.set_postfix_str(f"loss {total_loss / seen:.3f}, acc {correct / seen:.3f}",
                                refresh=False)
    return total_loss / seen, correct / seen, seen / (time.perf_counter() - start)


def draw_graph(model: nn.Module, X: np.ndarray, y: np.ndarray, path: Path) -> Path:
    """One forward pass and its loss on a few samples, backward, then the picture
    (``graph.dot`` instead when no Graphviz renderer is installed)."""
    model.eval()
    model.zero_grad()
    loss = F.cross_entropy(model(ag.Tensor(X)), ag.Tensor(y))
    loss.backward()   # each op keeps its output's gradient (norm) for the picture
    path = render_graph(loss, path, params=model, color_by="grad_norm")
    model.zero_grad()
    return path


def main(argv=None) -> dict:
    args = parse_args(argv)
    start = STARTED if __name__ == "__main__" else time.perf_counter()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    ag.manual_seed(args.seed)
    X, y = nn.datasets.load_digits()
    X_tr, y_tr, X_te, y_te = nn.datasets.train_test_split(X, y, test_size=0.2, seed=args.seed,
                                                          stratify=True)
    model = MODELS[args.model]()
    print(f"Model ({count_parameters(model)} parameters), {len(X_tr)} training and "
          f"{len(X_te)} test images of 8x8 digits:\n{model}\n")

    report = gradient_check(model, X_tr[:8], y_tr[:8])
    if not report.passed:
        print("  WARNING: a gradient does not match its numeric estimate", file=sys.stderr)

    loader = nn.data.DataLoader(X_tr, y_tr, batch_size=args.batch_size, seed=args.seed)
    opt = optim.Adam(model.parameters(), lr=args.lr)
    history = {"train_loss": [], "test_loss": [], "train_accuracy": [], "test_accuracy": []}
    print(f"\nTraining with Adam (lr {args.lr}), mini-batches of {args.batch_size}:")
    train_start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        bar = progress(len(loader), epoch, args.epochs)
        train_loss, train_acc, speed = train_epoch(model, loader, opt, bar)
        test_loss, test_acc = evaluate(model, X_te, y_te)
        line = f"loss {train_loss:.3f} acc {train_acc:.3f} test acc {test_acc:.3f} " \
               f"{speed:,.0f} img/s"
        if bar is None:
            print(f"epoch {epoch:>2}/{args.epochs}: {line}")
        else:
            bar.set_postfix_str(line)
            bar.close()
        for key, value in zip(history, (train_loss, test_loss, train_acc, test_acc)):
            history[key].append(value)
    train_seconds = time.perf_counter() - train_start
    test_loss, test_acc = evaluate(model, X_te, y_te)
    print(f"\nTest accuracy: {test_acc:.2%} ({len(X_te)} images), test loss {test_loss:.4f}")

    nn.save(model.state_dict(), out / "model.npz")
    reloaded = MODELS[args.model]()
    reloaded.load_state_dict(nn.load(out / "model.npz"))
    assert evaluate(reloaded, X_te, y_te)[1] == test_acc, "the saved weights must reload"
    viz.plot_history(history, out / "training.svg")
    graph = draw_graph(model, X_te[:4], y_te[:4], out / "graph.svg")

    summary = {
        "model": args.model, "parameters": count_parameters(model), "epochs": args.epochs,
        "batch_size": args.batch_size, "lr": args.lr, "seed": args.seed,
        "train_size": len(X_tr), "test_size": len(X_te),
        "test_accuracy": test_acc, "test_loss": test_loss,
        "train_accuracy": history["train_accuracy"][-1],
        "gradcheck_max_rel_diff": report.max_rel_diff, "gradcheck_passed": report.passed,
        "gradcheck": {r.name: r.rel_diff for r in report},
        "train_seconds": round(train_seconds, 2), "graph": graph.name,
        "history": history,
        "seconds": round(time.perf_counter() - start, 2),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"Wrote {out}/: {graph.name}, training.svg, model.npz, summary.json "
          f"({summary['seconds']:.1f} s in all)")
    return summary


if __name__ == "__main__":
    ag.tune_allocator()  # a training script's choice, process-wide: see autograd/_malloc.py
    main()
