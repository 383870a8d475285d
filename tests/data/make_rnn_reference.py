"""Regenerate ``rnn_reference.npz``: PyTorch's outputs and gradients for fixed weights.

Run once with PyTorch installed (``python tests/data/make_rnn_reference.py``);
the tests read the file and never need PyTorch (the optional live test calls
``build`` with another seed). For each case the file holds the weights
(PyTorch's state-dict names), the inputs, the outputs and the gradients of
``loss = sum(out * r_out) + sum(h_n * r_h_n) [+ sum(c_n * r_c_n)]`` (fixed
random ``r_*``, so every output element has its own weight), all float64.
Keys are ``"<case>.<name>"``; gradients are ``"<case>.grad.<name>"``.
"""
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
T, B, I, H = 5, 2, 3, 4
# case -> (torch.nn class, extra arguments); layers are two-layer bidirectional
CASES = {
    "lstm": ("LSTM", dict(num_layers=2, bidirectional=True)),
    "gru": ("GRU", dict(num_layers=2, bidirectional=True)),
    "rnn_tanh": ("RNN", dict(num_layers=2, bidirectional=True)),
    "rnn_relu": ("RNN", dict(num_layers=2, bidirectional=True, nonlinearity="relu")),
    "lstm_cell": ("LSTMCell", {}),
    "gru_cell": ("GRUCell", {}),
    "rnn_cell": ("RNNCell", {}),
}


def _record(torch, out, case, module, inputs, outputs, gen):
    loss = 0
    for name, t in outputs.items():
        r = torch.randn(*t.shape, generator=gen, dtype=torch.float64)
        out[f"{case}.r_{name}"] = r.numpy()
        out[f"{case}.{name}"] = t.detach().numpy()
        loss = loss + (t * r).sum()
    loss.backward()
    for name, p in module.named_parameters():
        out[f"{case}.{name}"] = p.detach().numpy()
        out[f"{case}.grad.{name}"] = p.grad.numpy()
    for name, t in inputs.items():
        out[f"{case}.{name}"] = t.detach().numpy()
        out[f"{case}.grad.{name}"] = t.grad.numpy()


def build(torch, seed=0):
    """Every case's arrays as one dict (what the .npz file holds)."""
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)

    def leaf(*shape):
        return torch.randn(*shape, generator=gen, dtype=torch.float64, requires_grad=True)
    out = {}
    for case, (cls, kw) in CASES.items():
        module = getattr(torch.nn, cls)(I, H, **kw).double()
        cell = cls.endswith("Cell")
        x = leaf(B, I) if cell else leaf(T, B, I)
        h0 = leaf(B, H) if cell else leaf(4, B, H)
        inputs = {"x": x, "h0": h0}
        if cls.startswith("LSTM"):
            inputs["c0"] = c0 = leaf(*h0.shape)
            res = module(x, (h0, c0))
        else:
            res = module(x, h0)
        if cell:
            outputs = dict(zip(("h", "c"), res if isinstance(res, tuple) else (res,)))
        elif cls == "LSTM":
            outputs = {"output": res[0], "h_n": res[1][0], "c_n": res[1][1]}
        else:
            outputs = {"output": res[0], "h_n": res[1]}
        _record(torch, out, case, module, inputs, outputs, gen)
    return out


def main():
    import torch
    out = build(torch)
    path = os.path.join(HERE, "rnn_reference.npz")
    np.savez_compressed(path, **out)
    print(f"wrote {path}: {len(out)} arrays, torch {torch.__version__}")


if __name__ == "__main__":
    main()
