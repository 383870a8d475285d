"""Inception's 1x1 convolutions: what a bottleneck saves, then an Inception block on the digits.

1. The notes' cost arithmetic. A 5x5 'same' convolution from 28x28x192 to
   28x28x32 does one multiplication per weight it touches, for every output
   value: ``28*28*32 * (5*5*192)``, about 120M. A 1x1 convolution down to 16
   channels first (the bottleneck), then the 5x5 one from 16 channels, costs
   ``28*28*16 * 192 + 28*28*32 * (5*5*16)``, about 12.4M: a tenth, for the same
   output shape. The counts come from the layers' weight shapes and the output
   shapes of a forward pass, and the two forward passes are timed.
2. An Inception block (``nn.models.InceptionBlock``: 1x1, 1x1 -> 3x3, 1x1 -> 5x5
   and pool -> 1x1 branches, stacked on the channel axis) on the 8x8 digits:
   a conv stem, the block, a max pool and a dense layer, trained with Adam.

Run: python examples/inception_1x1.py [--epochs 5] [--out examples-output]
Writes: inception_1x1.png (the two costs; the training curve), inception_1x1.json
"""
from __future__ import annotations

import numpy as np

import autograd as ag
import nn
import optim
from _util import Timer, accuracy, parser, setup, train_epoch, write_json


def conv_multiplications(conv: nn.Conv2d, out_shape) -> int:
    """Multiplications of one forward pass for one image: every output value is a sum
    over one filter, ``in_channels * kh * kw`` products."""
    _, c_out, h, w = out_shape
    assert c_out == conv.out_channels
    return h * w * c_out * int(np.prod(conv.weight.shape[1:]))


def cost(layers: list, x) -> tuple[int, list, ag.Tensor]:
    """Run ``x`` through the convs in turn; total multiplications per image and a line
    per layer."""
    total, lines = 0, []
    for conv in layers:
        x_in = x.shape
        x = conv(x)
        m = conv_multiplications(conv, x.shape)
        total += m
        kh, kw = conv.kernel_size
        lines.append(f"  {kh}x{kw} conv {x_in[1]:>3} -> {conv.out_channels:<3} "
                     f"{x_in[2]}x{x_in[3]}x{x_in[1]} -> {x.shape[2]}x{x.shape[3]}x"
                     f"{x.shape[1]}: {x.shape[2]}*{x.shape[3]}*{x.shape[1]} * "
                     f"({kh}*{kw}*{x_in[1]}) = {m:,}")
    return total, lines, x


def bottleneck_arithmetic(size: int = 28, c_in: int = 192, c_out: int = 32,
                          c_mid: int = 16, batch: int = 4) -> dict:
    """The notes' example, counted from the layers and timed on ``batch`` images."""
    direct = [nn.Conv2d(c_in, c_out, 5, padding=2)]
    reduced = [nn.Conv2d(c_in, c_mid, 1), nn.Conv2d(c_mid, c_out, 5, padding=2)]
    x = ag.Tensor(np.random.default_rng(0).standard_normal((batch, c_in, size, size),
                                                           dtype=np.float32))
    result = {}
    with ag.no_grad():
        for name, layers in (("5x5 directly", direct), ("1x1 bottleneck, then 5x5", reduced)):
            layers[0](x)   # once untimed, so both timings are of a warm run
            with Timer() as t:
                total, lines, y = cost(layers, x)
            params = sum(p.size for conv in layers for p in conv.parameters())
            print(f"{name}: {total:,} multiplications per image ({total / 1e6:.1f}M), "
                  f"{params:,} parameters, output {y.shape[1:]}")
            print("\n".join(lines))
            result[name] = {"multiplications": total, "parameters": params,
                            "seconds": t.seconds, "output": list(y.shape[1:])}
    a, b = (result[k]["multiplications"] for k in result)
    ta, tb = (result[k]["seconds"] for k in result)
    print(f"The bottleneck needs {b / a:.3f} of the multiplications; measured here on "
          f"{batch} images: {ta * 1e3:.0f} ms against {tb * 1e3:.0f} ms.\n")
    return result


class InceptionDigits(nn.Module):
    """Stem conv 3x3 (1 -> 16), an Inception block (16 -> 8 + 16 + 8 + 8 = 40 channels),
    max pool 2x2, then a dense layer: (N, 1, 8, 8) -> (N, 16, 8, 8) -> (N, 40, 8, 8)
    -> (N, 40, 4, 4) -> (N, 10)."""

    def __init__(self):
        super().__init__()
        self.stem = nn.models.BasicConv2d(1, 16, 3)
        self.inception = nn.models.InceptionBlock(16, ch1x1=8, ch3x3red=8, ch3x3=16,
                                                  ch5x5red=4, ch5x5=8, pool_proj=8)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(self.inception.out_channels * 4 * 4, 10)

    def forward(self, x):
        x = self.pool(self.inception(self.stem(x)))
        return self.fc(x.flatten(1))


def plot(arith: dict, history: dict, path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
    names = list(arith)
    mults = [arith[n]["multiplications"] / 1e6 for n in names]
    bars = ax1.bar(["5x5 directly", "1x1 to 16, then 5x5"], mults,
                   color=["tab:red", "tab:green"])
    for bar, m in zip(bars, mults):
        ax1.text(bar.get_x() + bar.get_width() / 2, m, f"{m:.1f}M", ha="center",
                 va="bottom")
    ax1.set(ylabel="multiplications per image (millions)", ylim=(0, max(mults) * 1.15),
            title="28x28x192 -> 28x28x32")
    epochs = np.arange(1, len(history["loss"]) + 1)
    ax2.plot(epochs, history["loss"], "o-", label="training loss")
    ax2.plot(epochs, history["test_accuracy"], "s-", label="test accuracy")
    ax2.set(xlabel="epoch", title="an Inception block on the digits")
    ax2.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax2.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main(argv=None) -> dict:
    p = parser(__doc__.splitlines()[0], epochs=5)
    p.add_argument("--lr", type=float, default=3e-3, help="Adam's learning rate")
    args = p.parse_args(argv)
    out = setup(args)
    arith = bottleneck_arithmetic()

    X, y = nn.datasets.load_digits()
    X_tr, y_tr, X_te, y_te = nn.datasets.train_test_split(X, y, test_size=0.2, seed=args.seed,
                                                          stratify=True)
    model = InceptionDigits()
    print(model.inception)
    x = ag.Tensor(X_tr[:2])
    for name, layer in (("stem", model.stem), ("inception", model.inception),
                        ("pool", model.pool)):
        x = layer(x)
        print(f"{name:<10} -> {x.shape}")
    opt = optim.Adam(model.parameters(), lr=args.lr)
    loader = nn.data.DataLoader(X_tr, y_tr, batch_size=64, seed=args.seed)
    history = {"loss": [], "test_accuracy": []}
    for epoch in range(1, args.epochs + 1):
        loss = train_epoch(model, loader, opt)
        model.eval()
        with ag.no_grad():
            test_acc = accuracy(model(ag.Tensor(X_te)), y_te)
        history["loss"].append(loss)
        history["test_accuracy"].append(test_acc)
        print(f"epoch {epoch:2d}  mean loss {loss:.4f}  test accuracy {test_acc:.3f}")

    path = out / "inception_1x1.png"
    plot(arith, history, path)
    print(f"figure: {path}")
    summary = {"bottleneck": arith, "epochs": args.epochs, "history": history,
               "test_accuracy": history["test_accuracy"][-1],
               "parameters": int(sum(p.size for p in model.parameters()))}
    write_json(out / "inception_1x1.json", summary)
    return summary


if __name__ == "__main__":
    main()
