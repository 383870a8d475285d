"""LSTM forward + backward through time: ours vs hand-written NumPy vs PyTorch.

T=35 steps, batch 32, input 64, hidden 128, one layer, float32; the loss is
the sum of the final hidden state squared. Each contender does the forward
and the full backward (gradients for the input, both weights and biases) in
every repeat; the best of several repeats is reported, with the ratios.

    python benchmarks/lstm.py [--rounds 30]    or    python -m benchmarks lstm

Where the time goes (ours): one graph node per layer direction
(``nn.rnn_ops.LSTMSequence``), so engine overhead is a few ops. What is
left is NumPy: about 660 MFLOP of matmuls (the projection of every step at
once, 35 small recurrent matmuls each way, and dx, dW_ih, dW_hh as one
matmul each), which run near the peak of the BLAS kernels OpenBLAS picks
(about 210 GFLOP/s with its AVX2 kernels: over 3 ms), plus 15 small
elementwise calls per step and a few passes over all steps. PyTorch runs
the whole layer as one oneDNN kernel (``mkldnn_rnn_layer``).
"""
import argparse

from _common import best_in_turns, try_torch  # first: pins two threads before NumPy loads

import numpy as np  # noqa: E402

import autograd as ag  # noqa: E402
import nn  # noqa: E402

T, B, I, H = 35, 32, 64, 128


def numpy_lstm(x, w_ih, w_hh, b):
    """The hand-written reference: forward storing the gates, backward through time,
    with the input projection hoisted and every weight gradient one matmul.
    Returns the loss and the gradients (dx, dw_ih, dw_hh, db)."""
    T, B, _ = x.shape
    H = w_hh.shape[1]
    xp = (x.reshape(T * B, -1) @ w_ih.T + b).reshape(T, B, 4 * H)
    hs = np.zeros((T + 1, B, H), x.dtype)
    cs = np.zeros((T + 1, B, H), x.dtype)
    acts = np.empty((T, B, 4 * H), x.dtype)
    tcs = np.empty((T, B, H), x.dtype)
    w_hh_t = w_hh.T
    for t in range(T):
        a = acts[t]
        np.matmul(hs[t], w_hh_t, out=a)
        a += xp[t]
        a[:, 2 * H:3 * H] = np.tanh(a[:, 2 * H:3 * H])
        for sl in (slice(0, 2 * H), slice(3 * H, 4 * H)):  # sigmoid via tanh: no overflow
            a[:, sl] = 0.5 * np.tanh(0.5 * a[:, sl]) + 0.5
        i, f, g, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
        np.multiply(f, cs[t], out=cs[t + 1])
        cs[t + 1] += i * g
        np.tanh(cs[t + 1], out=tcs[t])
        np.multiply(o, tcs[t], out=hs[t + 1])
    loss = float((hs[T] ** 2).sum())
    dgates = np.empty_like(acts)
    dh = 2 * hs[T]
    dc = np.zeros((B, H), x.dtype)
    for t in range(T - 1, -1, -1):
        a, tc = acts[t], tcs[t]
        i, f, g, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
        dc += dh * o * (1 - tc * tc)
        d = dgates[t]
        d[:, :H] = dc * g * i * (1 - i)
        d[:, H:2 * H] = dc * cs[t] * f * (1 - f)
        d[:, 2 * H:3 * H] = dc * i * (1 - g * g)
        d[:, 3 * H:] = dh * tc * o * (1 - o)
        dc *= f
        dh = d @ w_hh
    d2 = dgates.reshape(T * B, 4 * H)
    dw_hh = d2.T @ hs[:T].reshape(T * B, H)
    dw_ih = d2.T @ x.reshape(T * B, -1)
    db = d2.sum(axis=0)
    dx = (d2 @ w_ih).reshape(x.shape)
    return loss, (dx, dw_ih, dw_hh, db)


def make_ours(x_np, state):
    lstm = nn.LSTM(I, H)
    lstm.load_state_dict({k: ag.Tensor(v) for k, v in state.items()})
    x = ag.Tensor(x_np, requires_grad=True)

    def step():
        lstm.zero_grad()
        x.grad = None
        _, (h_n, _) = lstm(x)
        (h_n ** 2).sum().backward()
    return lstm, x, step


def make_torch(torch, x_np, state):
    lstm = torch.nn.LSTM(I, H)
    lstm.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()})
    x = torch.from_numpy(x_np).requires_grad_()

    def step():
        lstm.zero_grad()
        x.grad = None
        _, (h_n, _) = lstm(x)
        (h_n ** 2).sum().backward()
    return step


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    k = 1 / np.sqrt(H)
    state = {name: rng.uniform(-k, k, shape).astype(np.float32) for name, shape in (
        ("weight_ih_l0", (4 * H, I)), ("weight_hh_l0", (4 * H, H)),
        ("bias_ih_l0", (4 * H,)), ("bias_hh_l0", (4 * H,)))}
    x_np = rng.standard_normal((T, B, I)).astype(np.float32)
    b = state["bias_ih_l0"] + state["bias_hh_l0"]

    lstm, x, ours = make_ours(x_np, state)
    ours()
    _, ref = numpy_lstm(x_np, state["weight_ih_l0"], state["weight_hh_l0"], b)
    err = max(float(np.abs(x.grad.data - ref[0]).max()),
              float(np.abs(lstm.weight_hh_l0.grad.data - ref[2]).max()))
    print(f"LSTM T={T} batch={B} input={I} hidden={H}, float32, forward + backward through "
          f"time (max |grad ours - numpy| = {err:.1e})")
    fns = {"ours (nn.LSTM)": ours,
           "numpy by hand": lambda: numpy_lstm(x_np, state["weight_ih_l0"],
                                               state["weight_hh_l0"], b)}
    torch = try_torch()
    torch_fns = {} if torch is None else {"pytorch nn.LSTM": make_torch(torch, x_np, state)}
    best = best_in_turns(fns, torch_fns, rounds=args.rounds)
    for name, seconds in best.items():
        print(f"  {name:<16} {seconds * 1e3:7.2f} ms")
    print(f"  ours / numpy   = {best['ours (nn.LSTM)'] / best['numpy by hand']:.2f}x")
    if torch is None:
        print("  pytorch: not installed")
    else:
        print(f"  ours / pytorch = {best['ours (nn.LSTM)'] / best['pytorch nn.LSTM']:.2f}x "
              "(target <= 1.3x)")


if __name__ == "__main__":
    main()
