"""One training step of a 784-256-256-10 ReLU MLP written with raw autograd ops.

Batch 128, float32, softmax cross-entropy (log_softmax and a one-hot mask),
plain SGD. Compared in one run with the same math hand-written in NumPy (the
reference of nn_mlp.py) and with PyTorch on the CPU when it is installed.
Target: at most 1.15x the NumPy step.

    python benchmarks/mlp.py [--rounds 30]
"""
import argparse

import _common  # noqa: F401  (threads, sys.path)
from _common import best_in_turns, print_ratios, try_torch

import numpy as np  # noqa: E402

import autograd as ag  # noqa: E402
from nn_mlp import BATCH, LR, SIZES, make_data, numpy_step_fn  # noqa: E402

TARGET = 1.15


def make_weights(seed=0):
    rng = np.random.default_rng(seed)
    weights = []
    for n_in, n_out in zip(SIZES, SIZES[1:]):
        bound = 1 / np.sqrt(n_in)
        weights.append((rng.uniform(-bound, bound, (n_out, n_in)).astype(np.float32),
                        rng.uniform(-bound, bound, n_out).astype(np.float32)))
    return weights


def forward(params, x):
    """The MLP's logits; the same code runs on our Tensors and on PyTorch's."""
    h = x
    for i in range(0, len(params), 2):
        h = h @ params[i].T + params[i + 1]
        if i + 2 < len(params):
            h = h.relu()
    return h


def ours_step_fn(weights, x, y):
    params = [ag.Tensor(a.copy(), requires_grad=True) for pair in weights for a in pair]
    xt = ag.Tensor(x)
    onehot = np.eye(SIZES[-1], dtype=np.float32)[y]

    def step():
        loss = (forward(params, xt).log_softmax(axis=1) * onehot).sum() * (-1.0 / len(y))
        loss.backward()
        with ag.no_grad():
            for p in params:
                p -= LR * p.grad
                p.grad = None
        return loss
    return step


def torch_step_fn(torch, weights, x, y):
    params = [torch.tensor(a, requires_grad=True) for pair in weights for a in pair]
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)

    def step():
        loss = torch.nn.functional.cross_entropy(forward(params, xt), yt)
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= LR * p.grad
                p.grad = None
        return loss
    return step


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args(argv)
    x, y = make_data()
    ours, ref = ours_step_fn(make_weights(), x, y), numpy_step_fn(make_weights(), x, y)
    for _ in range(3):  # the same math: the same losses, step after step
        la, lb = ours().item(), float(ref())
        assert np.isclose(la, lb, rtol=1e-4), (la, lb)
    fns = {"autograd (raw ops)": ours_step_fn(make_weights(), x, y),
           "numpy (hand-written)": numpy_step_fn(make_weights(), x, y)}
    torch = try_torch()
    torch_fns = {"pytorch": torch_step_fn(torch, make_weights(), x, y)} if torch else {}
    best = best_in_turns(fns, torch_fns, rounds=args.rounds)
    print_ratios(f"MLP {'-'.join(map(str, SIZES))} step with raw ops, batch {BATCH}, "
                 f"float32, best of {args.rounds}", best, "numpy (hand-written)")
    base = best["numpy (hand-written)"]
    ratio = best["autograd (raw ops)"] / base
    print(f"autograd / numpy = {ratio:.2f} (target <= {TARGET})")
    return ratio


if __name__ == "__main__":
    main()
