"""A convolutional network on the bundled 8x8 digits, following the notes' CNN chapter.

1. Convolution as edge detection: the notes' 6x6 image and vertical-edge
   filter through ``F.conv2d`` give their 4x4 result.
2. A small LeNet-style network (conv, ReLU, average pooling as LeNet-5 did,
   conv, ReLU, flatten, two dense layers), with each layer's output size
   next to the notes' formula ``floor((n + 2p - f) / s) + 1``.
3. Training with momentum SGD on mini-batches, then the test accuracy.
4. A picture of the six learned 3x3 filters of the first layer and what
   they make of one test digit.

Run: python examples/cnn_digits.py [--epochs 20] [--out examples-output]
Writes: cnn_digits_filters.png, cnn_digits.json
"""
from __future__ import annotations

import numpy as np

import autograd as ag
import nn
import nn.functional as F
import optim
from _util import accuracy, parser, setup, train_epoch, write_json

EDGE_IMAGE = [[3, 0, 1, 2, 7, 4], [1, 5, 8, 9, 3, 1], [2, 7, 2, 5, 1, 3],
              [0, 1, 3, 1, 7, 8], [4, 2, 1, 6, 2, 8], [2, 4, 5, 2, 3, 9]]
VERTICAL_EDGE = [[1, 0, -1]] * 3


def edge_detection() -> list:
    """The notes' example: a 6x6 image convolved with a vertical-edge filter."""
    image = ag.Tensor(np.array(EDGE_IMAGE, np.float32).reshape(1, 1, 6, 6))
    kernel = ag.Tensor(np.array(VERTICAL_EDGE, np.float32).reshape(1, 1, 3, 3))
    result = F.conv2d(image, kernel).data[0, 0].astype(int)
    print("The notes' 6x6 image * vertical-edge filter (valid, stride 1) =")
    print(result, "\n")
    return result.tolist()


class LeNetDigits(nn.Module):
    """LeNet-5's pattern at 8x8: conv-pool, conv, then dense layers."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 3, padding="same")   # 8x8 -> 8x8
        self.pool = nn.AvgPool2d(2)                       # 8x8 -> 4x4
        self.conv2 = nn.Conv2d(6, 16, 3)                  # 4x4 -> 2x2 (valid)
        self.fc1 = nn.Linear(16 * 2 * 2, 32)
        self.fc2 = nn.Linear(32, 10)

    def features(self, x):
        """Each stage's output, in order, for the size table."""
        a1 = F.relu(self.conv1(x))
        p1 = self.pool(a1)
        a2 = F.relu(self.conv2(p1))
        return [("conv1 (f=3, p=1, s=1)", a1), ("pool (f=2, s=2)", p1),
                ("conv2 (f=3, p=0, s=1)", a2)]

    def forward(self, x):
        a2 = self.features(x)[-1][1]
        return self.fc2(F.relu(self.fc1(a2.reshape(a2.shape[0], -1))))


def size_table(model: LeNetDigits, x) -> None:
    """Each layer's output next to ``floor((n + 2p - f) / s) + 1``."""
    print(f"{'layer':<24} {'output (N, C, H, W)':<22} formula")
    n = x.shape[-1]
    for (name, out), (f, p, s) in zip(model.features(x), [(3, 1, 1), (2, 0, 2), (3, 0, 1)]):
        expected = (n + 2 * p - f) // s + 1
        print(f"{name:<24} {str(out.shape):<22} floor(({n} + 2*{p} - {f}) / {s}) + 1 = "
              f"{expected}")
        assert out.shape[-1] == expected
        n = expected
    print()


def plot_filters(model: LeNetDigits, image: np.ndarray, path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with ag.no_grad():
        maps = F.relu(model.conv1(ag.Tensor(image[None]))).data[0]
    filters = model.conv1.weight.data[:, 0]
    scale = np.abs(filters).max()   # symmetric colours: red negative, blue positive
    fig, axes = plt.subplots(2, 7, figsize=(10, 3.2))
    axes[0, 0].imshow(image[0], cmap="gray_r")
    axes[0, 0].set_title("input", fontsize=8)
    axes[1, 0].axis("off")
    for k in range(6):
        axes[0, k + 1].imshow(filters[k], cmap="RdBu", vmin=-scale, vmax=scale)
        axes[0, k + 1].set_title(f"filter {k}", fontsize=8)
        axes[1, k + 1].imshow(maps[k], cmap="viridis")
        axes[1, k + 1].set_title(f"ReLU(conv) {k}", fontsize=8)
    for ax in axes.ravel():
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv=None) -> dict:
    p = parser(__doc__.splitlines()[0], epochs=20)
    p.add_argument("--lr", type=float, default=0.02, help="SGD learning rate")
    args = p.parse_args(argv)
    out = setup(args)
    edges = edge_detection()

    X, y = nn.datasets.load_digits()
    X_tr, y_tr, X_te, y_te = nn.datasets.train_test_split(X, y, test_size=0.2, seed=args.seed,
                                                          stratify=True)
    model = LeNetDigits()
    size_table(model, ag.Tensor(X_tr[:2]))
    opt = optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    loader = nn.data.DataLoader(X_tr, y_tr, batch_size=32, seed=args.seed)
    for epoch in range(1, args.epochs + 1):
        loss = train_epoch(model, loader, opt)
        model.eval()
        with ag.no_grad():
            test_acc = accuracy(model(ag.Tensor(X_te)), y_te)
        print(f"epoch {epoch:2d}  mean loss {loss:.4f}  test accuracy {test_acc:.3f}")

    plot_filters(model, X_te[0], out / "cnn_digits_filters.png")
    print(f"filters and feature maps: {out / 'cnn_digits_filters.png'}")
    summary = {"epochs": args.epochs, "lr": args.lr, "test_accuracy": test_acc,
               "edge_detection": edges,
               "parameters": int(sum(p.size for p in model.parameters()))}
    write_json(out / "cnn_digits.json", summary)
    return summary


if __name__ == "__main__":
    main()
