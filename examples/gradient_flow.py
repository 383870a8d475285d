"""Vanishing gradients, seen through hooks: a deep sigmoid network against the same
network with ReLU and He initialisation (the notes' lesson), on the bundled digits.

``nn.utils.GradientRecorder`` records, at every backward, the norm of each layer's
weight gradient. With sigmoid (whose slope is at most 1/4) and PyTorch's default
initialisation, the gradient shrinks by a roughly constant factor per layer on its
way back, so the first layers barely learn; with ReLU and He initialisation
(variance 2 / fan_in) it keeps its size. The example asserts both, on the median
over the recorded steps: ReLU+He keeps the first layer's norm within a factor of
``RELU_WITHIN`` of the last layer's, sigmoid's first layer gets less than
1/``SIGMOID_SHRINK`` of it.

Run: python examples/gradient_flow.py [--depth 10] [--steps 60] [--fast] [--out examples-output]
Writes: gradient_flow.png (gradient norm per layer over steps, both networks)
"""
from __future__ import annotations

import numpy as np

import nn
import nn.functional as F
import optim
import viz
from _util import Timer, parser, setup

RELU_WITHIN = 10      # ReLU + He: first layer's gradient norm / last layer's within 10x
SIGMOID_SHRINK = 100  # sigmoid: first layer's at least 100x smaller than the last's


def deep_net(depth: int, width: int, activation: str) -> nn.Sequential:
    """``depth`` Linear layers (64 -> width -> ... -> 10) with the activation between."""
    sizes = [64] + [width] * (depth - 1) + [10]
    layers = []
    for i in range(depth):
        lin = nn.Linear(sizes[i], sizes[i + 1])
        if activation == "relu":
            nn.init.he_normal_(lin.weight)
            nn.init.zeros_(lin.bias)
        layers.append(lin)
        if i < depth - 1:
            layers.append(nn.ReLU() if activation == "relu" else nn.Sigmoid())
    return nn.Sequential(*layers)


def train(net, X, y, steps: int, batch: int, lr: float, rng) -> nn.utils.GradientRecorder:
    opt = optim.SGD(net.parameters(), lr=lr, momentum=0.9)
    with nn.utils.GradientRecorder(net, activations=False) as rec:
        for _ in range(steps):
            idx = rng.choice(len(X), batch, replace=False)
            opt.zero_grad()
            F.cross_entropy(net(X[idx]), y[idx]).backward()
            opt.step()
    return rec


def first_over_last(rec) -> float:
    """Median over steps of the first layer's weight-gradient norm over the last's."""
    norms = list(rec.layer_norms("weight").values())
    return float(np.median(norms[0] / norms[-1]))


def main(argv=None):
    p = parser(__doc__.split("\n")[0])
    p.add_argument("--depth", type=int, default=10, help="Linear layers")
    p.add_argument("--width", type=int, default=32, help="units per hidden layer")
    p.add_argument("--steps", type=int, default=60, help="SGD steps per network")
    p.add_argument("--fast", action="store_true", help="a few steps (the tests' mode)")
    args = p.parse_args(argv)
    out = setup(args)
    steps = 8 if args.fast else args.steps
    X, y = nn.datasets.load_digits(flatten=True)
    X = X.astype(np.float32)
    recs, ratios = {}, {}
    with Timer() as t:
        for act in ("sigmoid", "relu"):
            net = deep_net(args.depth, args.width, act)
            recs[act] = train(net, X, y, steps, 64, 0.05, np.random.default_rng(args.seed))
            ratios[act] = first_over_last(recs[act])
    for act, label in (("sigmoid", "sigmoid, default init"), ("relu", "ReLU, He init")):
        norms = [float(np.median(v)) for v in recs[act].layer_norms("weight").values()]
        print(f"{label:22s} median |dW| per layer (first -> last): "
              + " ".join(f"{v:.1e}" for v in norms))
        print(f"{'':22s} first layer / last layer = {ratios[act]:.2e}")
    print(f"{steps} steps per network in {t.seconds:.1f} s")

    from matplotlib.figure import Figure
    fig = Figure(figsize=(12, 4.2), layout="tight")
    for i, (act, label) in enumerate((("sigmoid", "sigmoid, default init"),
                                      ("relu", "ReLU, He init"))):
        viz.plot_gradient_flow(recs[act], out / "gradient_flow.png",
                               title=f"{label}: |dW| per layer",
                               ax=fig.add_subplot(1, 2, i + 1))
    fig.savefig(out / "gradient_flow.png", dpi=110)
    print(f"wrote {out / 'gradient_flow.png'}")

    assert 1 / RELU_WITHIN <= ratios["relu"] <= RELU_WITHIN, ratios
    assert ratios["sigmoid"] < 1 / SIGMOID_SHRINK, ratios
    print(f"checked: ReLU+He first/last within {RELU_WITHIN}x; sigmoid's shrinks by more "
          f"than {SIGMOID_SHRINK}x")
    return ratios


if __name__ == "__main__":
    main()
