"""One forward and backward of a small conv block, the input's gradient included.

Batch 32, 3 -> 16 channels, 32x32 images, 3x3 kernel, padding 1, ReLU, 2x2
max-pool, flatten, Linear to 10, cross-entropy; float32. Compared in one run:

* ours: nn.Conv2d, nn.MaxPool2d, nn.Linear and F.cross_entropy, x requiring grad;
* numpy im2col: the same block hand-written in NumPy, tuned (im2col as one
  channel-major copy of a sliding-window view, one matmul per product, col2im
  over kernel offsets);
* numpy np.add.at: the classic hand-written version (im2col by fancy
  indexing, col2im by ``np.add.at``);
* PyTorch on the CPU when it is installed.

Targets: ours at most 1.1x PyTorch, and faster than the np.add.at version.

    python benchmarks/conv_block.py [--rounds 100]
"""
import argparse

import _common  # noqa: F401  (threads, sys.path)
from _common import best_in_turns, print_ratios, try_torch

import numpy as np  # noqa: E402
from numpy.lib.stride_tricks import sliding_window_view  # noqa: E402

import autograd as ag  # noqa: E402
import nn  # noqa: E402
import nn.functional as F  # noqa: E402

N, C_IN, C_OUT, SIZE, K, CLASSES = 32, 3, 16, 32, 3, 10
HALF = SIZE // 2
TARGET_TORCH = 1.1


def make_data(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, C_IN, SIZE, SIZE)).astype(np.float32)
    y = rng.integers(0, CLASSES, N)
    b1, b2 = 1 / np.sqrt(C_IN * K * K), 1 / np.sqrt(C_OUT * HALF * HALF)
    weights = [rng.uniform(-b1, b1, (C_OUT, C_IN, K, K)), rng.uniform(-b1, b1, C_OUT),
               rng.uniform(-b2, b2, (CLASSES, C_OUT * HALF * HALF)),
               rng.uniform(-b2, b2, CLASSES)]
    return x, y, [w.astype(np.float32) for w in weights]


# -- ours -------------------------------------------------------------------------
def ours_fn(x, y, weights):
    model = nn.Sequential(nn.Conv2d(C_IN, C_OUT, K, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(C_OUT * HALF * HALF, CLASSES))
    model.load_state_dict(dict(zip(["0.weight", "0.bias", "4.weight", "4.bias"], weights)))
    xt = ag.Tensor(x, requires_grad=True)

    def step():
        xt.grad = None
        model.zero_grad()
        loss = F.cross_entropy(model(xt), y)
        loss.backward()
        return loss.item(), xt.grad.data, model[0].weight.grad.data
    return step


# -- hand-written NumPy: the shared dense and loss parts --------------------------------
def _head(pooled, y, w2, b2):
    """Flatten, Linear, mean cross-entropy: the loss and d loss / d pooled, dW2, db2."""
    flat = pooled.reshape(N, -1)
    logits = flat @ w2.T + b2
    shifted = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(shifted)
    p /= p.sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(N), y]).mean()
    p[np.arange(N), y] -= 1
    p /= N
    return loss, (p @ w2).reshape(pooled.shape), p.T @ flat, p.sum(axis=0)


def _pool_forward(a):
    """2x2 max-pool with the first max's offset (a running maximum over 4 views)."""
    views = [a[:, :, p::2, q::2] for p in range(2) for q in range(2)]
    out, idx = views[0].copy(), np.zeros(views[0].shape, np.uint8)
    for i, v in enumerate(views[1:], 1):
        np.maximum(idx, np.greater(v, out).view(np.uint8) * np.uint8(i), out=idx)
        np.maximum(out, v, out=out)
    return out, idx


def _pool_backward(g, idx, shape):
    ga = np.empty(shape, g.dtype)
    for i, (p, q) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)]):
        np.multiply(g, idx == i, out=ga[:, :, p::2, q::2])
    return ga


# -- hand-written NumPy, tuned im2col ----------------------------------------------------
def numpy_fn(x, y, weights):
    """Channel-major columns (C*K*K, N*H*W): each product is one large matmul."""
    w1, b1, w2, b2 = weights
    w1m = w1.reshape(C_OUT, -1)

    def step():
        xp = np.zeros((N, C_IN, SIZE + 2, SIZE + 2), np.float32)
        xp[:, :, 1:-1, 1:-1] = x
        win = sliding_window_view(xp, (K, K), axis=(2, 3))
        cols = np.ascontiguousarray(win.transpose(1, 4, 5, 0, 2, 3)).reshape(K * K * C_IN, -1)
        z = w1m @ cols
        z += b1[:, None]
        a = np.maximum(z, 0).reshape(C_OUT, N, SIZE, SIZE).transpose(1, 0, 2, 3)
        pooled, idx = _pool_forward(a)
        loss, gpool, _, _ = _head(pooled, y, w2, b2)
        gz = _pool_backward(gpool, idx, a.shape)
        gz *= a > 0
        gz = np.ascontiguousarray(gz.transpose(1, 0, 2, 3)).reshape(C_OUT, -1)
        gw1 = (gz @ cols.T).reshape(w1.shape)
        gb1 = gz.sum(axis=1)  # noqa: F841  (computed, as every contender does)
        dcols = (w1m.T @ gz).reshape(C_IN, K, K, N, SIZE, SIZE)
        gxp = np.zeros((C_IN, N, SIZE + 2, SIZE + 2), np.float32)
        for p in range(K):
            for q in range(K):
                gxp[:, :, p:p + SIZE, q:q + SIZE] += dcols[:, p, q]
        return loss, gxp[:, :, 1:-1, 1:-1].transpose(1, 0, 2, 3), gw1
    return step


# -- hand-written NumPy, np.add.at col2im ---------------------------------------------------
def _im2col_indices():
    """(channel, row, col) index arrays, shape (C*K*K, SIZE*SIZE), into the padded input."""
    i0 = np.tile(np.repeat(np.arange(K), K), C_IN)
    j0 = np.tile(np.arange(K), K * C_IN)
    i1 = np.repeat(np.arange(SIZE), SIZE)
    j1 = np.tile(np.arange(SIZE), SIZE)
    c = np.repeat(np.arange(C_IN), K * K)[:, None]
    return c, i0[:, None] + i1[None, :], j0[:, None] + j1[None, :]


def numpy_add_at_fn(x, y, weights):
    w1, b1, w2, b2 = weights
    w1m = w1.reshape(C_OUT, -1)
    c, i, j = _im2col_indices()

    def step():
        xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
        cols = xp[:, c, i, j]  # (N, C*K*K, SIZE*SIZE)
        z = np.matmul(w1m, cols) + b1[:, None]
        a = np.maximum(z, 0).reshape(N, C_OUT, SIZE, SIZE)
        pooled, idx = _pool_forward(a)
        loss, gpool, _, _ = _head(pooled, y, w2, b2)
        gz = (_pool_backward(gpool, idx, a.shape) * (a > 0)).reshape(N, C_OUT, -1)
        gw1 = np.matmul(gz, cols.transpose(0, 2, 1)).sum(axis=0).reshape(w1.shape)
        gb1 = gz.sum(axis=(0, 2))  # noqa: F841
        dcols = np.matmul(w1m.T, gz)
        gxp = np.zeros_like(xp)
        np.add.at(gxp, (slice(None), c, i, j), dcols)
        return loss, gxp[:, :, 1:-1, 1:-1], gw1
    return step


# -- PyTorch -----------------------------------------------------------------------------
def torch_fn(torch, x, y, weights):
    tnn = torch.nn
    model = tnn.Sequential(tnn.Conv2d(C_IN, C_OUT, K, padding=1), tnn.ReLU(),
                           tnn.MaxPool2d(2), tnn.Flatten(),
                           tnn.Linear(C_OUT * HALF * HALF, CLASSES))
    model.load_state_dict({k: torch.from_numpy(w) for k, w in
                           zip(["0.weight", "0.bias", "4.weight", "4.bias"], weights)})
    xt, yt = torch.tensor(x, requires_grad=True), torch.from_numpy(y)

    def step():
        xt.grad = None
        model.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(xt), yt)
        loss.backward()
        return loss.item(), xt.grad.numpy(), model[0].weight.grad.numpy()
    return step


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args(argv)
    x, y, weights = make_data()
    fns = {"autograd (nn)": ours_fn(x, y, weights),
           "numpy im2col (tuned)": numpy_fn(x, y, weights),
           "numpy np.add.at": numpy_add_at_fn(x, y, weights)}
    torch = try_torch()
    torch_fns = {} if torch is None else {"pytorch": torch_fn(torch, x, y, weights)}
    want = fns["numpy im2col (tuned)"]()
    for name, fn in {**fns, **torch_fns}.items():  # the same block: same loss and grads
        for g, w in zip(fn(), want):
            np.testing.assert_allclose(g, w, rtol=1e-3, atol=1e-5, err_msg=name)
    best = best_in_turns(fns, torch_fns, rounds=args.rounds)
    print_ratios(f"conv block: batch {N}, {C_IN}->{C_OUT} channels, {SIZE}x{SIZE}, {K}x{K} "
                 f"kernel, pad 1, ReLU, 2x2 max-pool, Linear to {CLASSES}, cross-entropy; "
                 f"forward + backward incl. the input's gradient, float32, "
                 f"best of {args.rounds}", best, "numpy im2col (tuned)")
    ours = best["autograd (nn)"]
    print(f"autograd / numpy np.add.at = {ours / best['numpy np.add.at']:.2f} (target < 1)")
    if torch_fns:
        print(f"autograd / pytorch = {ours / best['pytorch']:.2f} (target <= {TARGET_TORCH})")
    return best


if __name__ == "__main__":
    main()
