"""Skip connections against vanishing gradients: a deep plain network and the same network
with skips (a ResNet), on the bundled digits.

1. Both networks are ``nn.models``' small-image ResNet of ``--depth`` layers with
   weights (stem conv, ``(depth - 2) / 2`` blocks of two 3x3 convs, ``fc``);
   the plain one is ``nn.models.plain_net``, the same layers without the
   skips. The plain net is loaded with the ResNet's starting weights, so the
   skips are the only difference. No batch norm (``norm_layer=nn.Identity``):
   the setting of the notes' argument.
2. At the start of training, on one batch: the gradient that reaches each
   block's output (``dA``, root mean square) and the gradient norm of every
   conv layer's weights (``dW``). In the plain net ``dA`` shrinks layer after
   layer on its way back to the first layers; with the skips
   ``a[l+2] = g(z[l+2] + a[l])`` it has a path around every block and does
   not. The example asserts both, with the numbers printed.
3. Training both with Adam: the loss curves. Without batch norm the ResNet's
   signal grows block by block at the start (its first loss is high); Adam
   soon brings it down, while the plain net hardly moves.
4. With batch norm (torchvision's default) the picture is different: the
   plain net's gradients do not vanish at the start (they grow towards the
   first layers); the ratio is printed for comparison. He et al. (2016)
   made the same observation, and still found the plain nets harder to train.

Run: python examples/resnet_vs_plain.py [--depth 32] [--epochs 3] [--out examples-output]
Writes: resnet_vs_plain.png (loss curves, dA per block, dW per layer), resnet_vs_plain.json
"""
from __future__ import annotations

import numpy as np

import autograd as ag
import nn
import nn.functional as F
import optim
from _util import Timer, accuracy, parser, setup, write_json

# The claims the example checks: the share of the last block's gradient (root mean
# square) that reaches the first layer's output.
PLAIN_AT_MOST = 0.1     # plain net: vanishing
RESNET_AT_LEAST = 0.5   # with skips: not vanishing


def block_outputs(net: nn.models.ResNet, x) -> tuple[list, ag.Tensor]:
    """The stem's output and every block's, in order, and the logits."""
    a = net.relu(net.bn1(net.conv1(x)))
    outs = [a]
    for i in range(1, net.num_stages + 1):
        for block in getattr(net, f"layer{i}"):
            a = block(a)
            outs.append(a)
    return outs, net.fc(a.mean(axis=(2, 3)))


def conv_weights(net: nn.Module) -> list:
    """(name, weight) of every conv on the main path, input side first."""
    return [(name, p) for name, p in net.named_parameters()
            if p.ndim == 4 and "downsample" not in name]


def gradients_at_start(net, xb, yb) -> dict:
    """RMS of dA at each block's output and ||dW|| of each conv, on one batch."""
    outs, logits = block_outputs(net, xb)
    loss = F.cross_entropy(logits, yb)
    convs = conv_weights(net)
    grads = ag.grad(loss, outs + [p for _, p in convs])
    dA = [float(np.sqrt(np.mean(g.data.astype(np.float64) ** 2))) for g in grads[:len(outs)]]
    dW = [float(np.linalg.norm(g.data.astype(np.float64))) for g in grads[len(outs):]]
    return {"loss": loss.item(), "dA_rms": dA, "dW_norm": dW,
            "layers": [name for name, _ in convs], "first_over_last": dA[0] / dA[-1]}


def pair(depth: int, width: int, norm_layer) -> dict:
    """The ResNet and the plain net of that depth, with the same starting weights."""
    n = (depth - 2) // 6
    resnet = nn.models.ResNet(nn.models.BasicBlock, [n] * 3, in_channels=1, width=width,
                              norm_layer=norm_layer)
    plain = nn.models.plain_net(depth, in_channels=1, width=width, norm_layer=norm_layer)
    skipped = plain.load_state_dict(resnet.state_dict(), strict=False)
    assert not skipped.missing_keys   # only the skips' projections are left out
    return {"plain": plain, "resnet": resnet}


def train(net, X_tr, y_tr, X_te, y_te, epochs: int, lr: float, seed: int) -> dict:
    opt = optim.Adam(net.parameters(), lr=lr)
    loader = nn.data.DataLoader(X_tr, y_tr, batch_size=64, seed=seed)
    losses, accs = [], []
    for _ in range(epochs):
        net.train()
        for xb, yb in loader:
            opt.zero_grad()
            loss = F.cross_entropy(net(xb), yb)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        net.eval()
        with ag.no_grad():
            accs.append(accuracy(net(ag.Tensor(X_te)), y_te))
    return {"losses": losses, "test_accuracy": accs}


def plot(grads: dict, runs: dict, depth: int, path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    colors = {"plain": "tab:red", "resnet": "tab:blue"}
    labels = {"plain": f"plain-{depth}", "resnet": f"ResNet-{depth}"}
    for name, run in runs.items():
        axes[0].plot(run["losses"], color=colors[name], label=labels[name], lw=1)
    axes[0].set(xlabel="step (batches of 64)", ylabel="cross-entropy", title="training loss")
    for name, g in grads.items():
        axes[1].semilogy(g["dA_rms"], "o-", ms=3, color=colors[name], label=labels[name])
        axes[2].semilogy(g["dW_norm"], "o-", ms=3, color=colors[name], label=labels[name])
    axes[1].set(xlabel="block (0 = stem, input side)", ylabel="RMS of dA",
                title="gradient reaching each block, at the start")
    axes[2].set(xlabel="conv layer (input side first)", ylabel="||dW||",
                title="gradient of every layer's weights, at the start")
    axes[1].xaxis.set_major_locator(MaxNLocator(integer=True))
    for ax in axes:
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def report(grads: dict) -> None:
    print(f"{'block':>5} {'plain RMS dA':>13} {'ResNet RMS dA':>14}")
    for i, (a, b) in enumerate(zip(grads["plain"]["dA_rms"], grads["resnet"]["dA_rms"])):
        print(f"{i:>5} {a:>13.3e} {b:>14.3e}")
    print(f"\n{'conv layer':<22} {'plain ||dW||':>13} {'ResNet ||dW||':>14}")
    rows = zip(grads["plain"]["layers"], grads["plain"]["dW_norm"], grads["resnet"]["dW_norm"])
    for name, a, b in rows:
        print(f"{name:<22} {a:>13.3e} {b:>14.3e}")
    print()


def main(argv=None) -> dict:
    p = parser(__doc__.splitlines()[0], epochs=3)
    p.add_argument("--depth", type=int, default=32, help="layers with weights: 6n + 2")
    p.add_argument("--width", type=int, default=8, help="channels of the first stage")
    p.add_argument("--lr", type=float, default=1e-3, help="Adam's learning rate")
    args = p.parse_args(argv)
    out = setup(args)
    if args.depth < 8 or (args.depth - 2) % 6:
        raise SystemExit(f"--depth must be 6n + 2 (8, 14, 20, 26, 32, ...), got {args.depth}")
    X, y = nn.datasets.load_digits()
    X_tr, y_tr, X_te, y_te = nn.datasets.train_test_split(X, y, test_size=0.2, seed=args.seed,
                                                          stratify=True)
    xb, yb = ag.Tensor(X_tr[:256]), ag.Tensor(y_tr[:256])

    nets = pair(args.depth, args.width, nn.Identity)
    grads = {name: gradients_at_start(net, xb, yb) for name, net in nets.items()}
    report(grads)
    plain_ratio = grads["plain"]["first_over_last"]
    res_ratio = grads["resnet"]["first_over_last"]
    print(f"Share of the last block's gradient that reaches the first layer (RMS of dA):\n"
          f"  plain-{args.depth}:  {plain_ratio:.2e}  (vanishing: at most {PLAIN_AT_MOST})\n"
          f"  ResNet-{args.depth}: {res_ratio:.2e}  (not vanishing: at least "
          f"{RESNET_AT_LEAST})")
    assert plain_ratio <= PLAIN_AT_MOST, f"the plain net's gradient did not vanish: {plain_ratio}"
    assert res_ratio >= RESNET_AT_LEAST, f"the ResNet's gradient vanished: {res_ratio}"

    ag.manual_seed(args.seed)
    bn = {name: gradients_at_start(net, xb, yb)["first_over_last"]
          for name, net in pair(args.depth, args.width, None).items()}
    print(f"With batch norm instead: plain {bn['plain']:.2e}, ResNet {bn['resnet']:.2e} "
          "(batch norm keeps the plain net's gradient from vanishing at the start: it "
          "grows towards the input instead)\n")

    runs = {}
    for name, net in nets.items():
        with Timer() as t:
            runs[name] = train(net, X_tr, y_tr, X_te, y_te, args.epochs, args.lr, args.seed)
        print(f"{name:<7} final training loss (mean of the last 10 steps) "
              f"{np.mean(runs[name]['losses'][-10:]):.3f}, test accuracy "
              f"{runs[name]['test_accuracy'][-1]:.3f}  ({t.seconds:.1f} s)")
    path = out / "resnet_vs_plain.png"
    plot(grads, runs, args.depth, path)
    print(f"figure: {path}")
    summary = {"depth": args.depth, "width": args.width, "epochs": args.epochs,
               "first_over_last": {"plain": plain_ratio, "resnet": res_ratio},
               "first_over_last_batch_norm": bn,
               "gradients": grads, "runs": runs}
    write_json(out / "resnet_vs_plain.json", summary)
    return summary


if __name__ == "__main__":
    main()
