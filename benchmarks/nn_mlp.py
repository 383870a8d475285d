"""One training step of a 784-256-256-10 ReLU MLP: ours vs hand-written NumPy vs PyTorch.

Batch 128, float32. A step is the forward pass, softmax cross-entropy, the
backward pass (gradients of every weight and bias, not of the input) and a
plain SGD update. Ours runs through ``nn.Sequential``, ``F.cross_entropy`` and
``optim.SGD``; the NumPy reference writes the same math by hand. The target is
at most 1.15x the NumPy step. A third row runs our model with ``Linear``
composed of matmul, transpose and add, to show what the fused op buys.

    python benchmarks/nn_mlp.py [--rounds 30]
"""
import argparse

import _common  # noqa: F401  (threads, sys.path)
from _common import best_in_turns, print_ratios, try_torch

import numpy as np  # noqa: E402

import autograd as ag  # noqa: E402
import nn  # noqa: E402
import nn.functional as F  # noqa: E402

SIZES = (784, 256, 256, 10)
BATCH = 128
LR = 0.01
TARGET = 1.15


def make_data(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((BATCH, SIZES[0])).astype(np.float32)
    y = rng.integers(0, SIZES[-1], BATCH)
    return x, y


class ComposedLinear(nn.Linear):
    """Linear as three engine ops (matmul, transpose, add) instead of the fused one."""

    def forward(self, x):
        return ag.matmul(x, self.weight.T) + self.bias


def make_model(linear=nn.Linear):
    layers = []
    for i, (n_in, n_out) in enumerate(zip(SIZES, SIZES[1:])):
        layers.append(linear(n_in, n_out, rng=i))
        if i < len(SIZES) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def ours_step_fn(model, x, y):
    try:
        import optim
        opt = optim.SGD(model.parameters(), lr=LR)
        update = opt.step
    except ImportError:  # optim not there: the same update written inline
        params = list(model.parameters())

        def update():
            with ag.no_grad():
                for p in params:
                    p.data -= LR * p.grad.data
    xt = ag.Tensor(x)

    def step():
        model.zero_grad()
        loss = F.cross_entropy(model(xt), y)
        loss.backward()
        update()
        return loss
    return step


def numpy_step_fn(weights, x, y):
    """The same step written by hand: forward, softmax - y, backward, update."""
    rows = np.arange(len(y))

    def step():
        acts, pre = [x], []
        for i, (w, b) in enumerate(weights):
            z = acts[-1] @ w.T + b
            pre.append(z)
            acts.append(np.maximum(z, 0) if i < len(weights) - 1 else z)
        z = acts[-1]
        shifted = z - z.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        s = e.sum(axis=1, keepdims=True)
        loss = (np.log(s[:, 0]) - shifted[rows, y]).mean()
        dz = e / s
        dz[rows, y] -= 1
        dz /= len(y)
        for i in range(len(weights) - 1, -1, -1):
            w, b = weights[i]
            dw = dz.T @ acts[i]
            db = dz.sum(axis=0)
            if i:
                dz = (dz @ w) * (pre[i - 1] > 0)
            w -= LR * dw
            b -= LR * db
        return loss
    return step


def torch_step_fn(torch, model, x, y):
    layers = []
    for m in model:
        if isinstance(m, nn.Linear):
            lin = torch.nn.Linear(m.in_features, m.out_features)
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(m.weight.data))
                lin.bias.copy_(torch.from_numpy(m.bias.data))
            layers.append(lin)
        else:
            layers.append(torch.nn.ReLU())
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(net.parameters(), lr=LR)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)

    def step():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(net(xt), yt)
        loss.backward()
        opt.step()
        return loss
    return step


def check_same_math(x, y):
    """Ours and the NumPy reference give the same losses for three steps."""
    a, b = make_model(), make_model()
    weights = [(m.weight.data, m.bias.data) for m in b if isinstance(m, nn.Linear)]
    ours, ref = ours_step_fn(a, x, y), numpy_step_fn(weights, x, y)
    for _ in range(3):
        la, lb = ours().item(), float(ref())
        if not np.isclose(la, lb, rtol=1e-4):
            raise AssertionError(f"ours and NumPy disagree: loss {la} vs {lb}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args(argv)
    x, y = make_data()
    check_same_math(x, y)
    model = make_model()
    weights = [(m.weight.data.copy(), m.bias.data.copy()) for m in model
               if isinstance(m, nn.Linear)]
    fns = {"ours (nn + F.cross_entropy + SGD)": ours_step_fn(model, x, y),
           "numpy (hand-written)": numpy_step_fn(weights, x, y),
           "ours, Linear composed of 3 ops": ours_step_fn(make_model(ComposedLinear), x, y)}
    torch = try_torch()
    torch_fns = {"pytorch": torch_step_fn(torch, make_model(), x, y)} if torch else {}
    best = best_in_turns(fns, torch_fns, rounds=args.rounds)
    print_ratios(f"MLP {'-'.join(map(str, SIZES))} training step, batch {BATCH}, float32, "
                 f"best of {args.rounds}", best, "numpy (hand-written)")
    base = best["numpy (hand-written)"]
    ratio = best["ours (nn + F.cross_entropy + SGD)"] / base
    print(f"ours / numpy = {ratio:.2f} (target <= {TARGET})")
    return ratio


if __name__ == "__main__":
    main()
