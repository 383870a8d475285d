"""Fused recurrence primitives: a whole sequence in one graph node.

Each op takes the input projection of every step already computed (``xp``,
one big matmul done by the engine, so its gradient flows through ordinary
ops), runs the recurrence in a NumPy loop that writes into preallocated
arrays, and keeps the gate activations for a backward through time that
is also a NumPy loop. The recurrent weight's gradient is one matmul over all
steps at the end, ``dW_hh = sum_t dG_t^T h_{t-1}``, rather than T small ones.

Sigmoids are computed as ``0.5 * tanh(0.5 x) + 0.5``: exact, never overflows,
and lets the four LSTM gates go through a single ``tanh`` call.

The backward is first order only; ``create_graph=True`` needs the composed
layers in ``nn.rnn_functional`` (the modules' ``fused=False``). The math is
checked against those composed layers in float64 in ``tests/test_recurrent.py``.
"""
from __future__ import annotations

import numpy as np

from autograd.function import Op


def _order(T: int, reverse: bool):
    return range(T - 1, -1, -1) if reverse else range(T)


def _first_order(g, name):
    if not isinstance(g, np.ndarray):
        raise RuntimeError(
            f"{name}: the fused recurrence has a first-order backward only; for "
            "create_graph=True set the layer's fused=False (the composed version)")


def _previous(out, h0, reverse):
    """The state each step started from, in time order: h_{t-1} (or h_{t+1} reversed)."""
    prev = np.empty_like(out)
    if reverse:
        prev[:-1] = out[1:]
        prev[-1] = h0
    else:
        prev[1:] = out[:-1]
        prev[0] = h0
    return prev


def _recurrent_weight_grad(dG, out, h0, reverse):
    G, H = dG.shape[-1], out.shape[-1]
    return dG.reshape(-1, G).T @ _previous(out, h0, reverse).reshape(-1, H)


def _check_sequence(name, xp):
    if xp.ndim != 3 or xp.shape[0] == 0:
        raise ValueError(f"{name}: expected a non-empty (T, B, gates) projection, "
                         f"got shape {xp.shape}")


class LSTMRecurrence(Op):
    """(xp (T, B, 4H), h0, c0, w_hh (4H, H)) -> (out (T, B, H), c_n), gates i, f, g, o;
    ``xp`` holds ``x W_ih^T + b_ih + b_hh`` for every step."""
    op_name = "lstm_recurrence"

    def forward(ctx, xp, h0, c0, w_hh, reverse=False):
        _check_sequence("lstm_recurrence", xp)
        T, B, G = xp.shape
        H = G // 4
        dt = np.result_type(xp, h0, c0, w_hh)
        scale = np.full(G, 0.5, dt)  # sigmoid(x) = 0.5 tanh(0.5 x) + 0.5; g is a plain tanh
        scale[2 * H:3 * H] = 1
        shift = np.where(scale == 1, 0, 0.5).astype(dt)
        A = np.multiply(xp, scale, dtype=dt)
        w_t = (w_hh * scale[:, None]).astype(dt, copy=False).T
        out, C = np.empty((T, B, H), dt), np.empty((T, B, H), dt)
        TC = np.empty_like(C)
        h, c = h0, c0
        for t in _order(T, reverse):
            a = A[t]
            a += h @ w_t
            np.tanh(a, out=a)
            a *= scale
            a += shift
            np.multiply(a[:, H:2 * H], c, out=C[t])
            C[t] += a[:, :H] * a[:, 2 * H:3 * H]
            np.tanh(C[t], out=TC[t])
            np.multiply(a[:, 3 * H:], TC[t], out=out[t])
            h, c = out[t], C[t]
        ctx.save_for_backward(A, C, TC, out, h0, c0, w_hh)
        ctx.reverse = reverse
        return out, c.copy()

    def backward(ctx, g_out, g_cn):
        _first_order(g_out, "lstm_recurrence")
        A, C, TC, out, h0, c0, w_hh = ctx.saved_tensors
        T, B, G = A.shape
        H, reverse = G // 4, ctx.reverse
        dt = A.dtype
        D = 1 - A  # d activation / d pre-activation, every step at once
        D *= A
        dg = D[..., 2 * H:3 * H]
        np.multiply(A[..., 2 * H:3 * H], A[..., 2 * H:3 * H], out=dg)
        np.subtract(1, dg, out=dg)
        dG = np.empty_like(A)
        w = w_hh.astype(dt, copy=False)
        dh = np.zeros((B, H), dt)
        dc = np.array(g_cn, dtype=dt)
        order = _order(T, reverse)
        first = order[0]
        for t in reversed(order):
            a, tc, d = A[t], TC[t], dG[t]
            c_prev = c0 if t == first else C[t + 1 if reverse else t - 1]
            dh += g_out[t]
            np.multiply(dh, tc, out=d[:, 3 * H:])
            tmp = tc * tc
            np.subtract(1, tmp, out=tmp)
            tmp *= a[:, 3 * H:]
            tmp *= dh
            dc += tmp
            np.multiply(dc, a[:, 2 * H:3 * H], out=d[:, :H])
            np.multiply(dc, c_prev, out=d[:, H:2 * H])
            np.multiply(dc, a[:, :H], out=d[:, 2 * H:3 * H])
            d *= D[t]
            dc *= a[:, H:2 * H]
            dh = d @ w
        needs = ctx.needs_input_grad
        dw = _recurrent_weight_grad(dG, out, h0, reverse) if needs[3] else None
        return dG, dh, dc, dw


class GRURecurrence(Op):
    """(xp (T, B, 3H), h0, w_hh (3H, H), b_hh (3H,)) -> out (T, B, H), gates r, z, n;
    ``xp`` holds ``x W_ih^T + b_ih``; ``n = tanh(xp_n + r * (W_hn h + b_hn))``."""
    op_name = "gru_recurrence"

    def forward(ctx, xp, h0, w_hh, b_hh, reverse=False):
        _check_sequence("gru_recurrence", xp)
        T, B, G = xp.shape
        H = G // 3
        dt = np.result_type(xp, h0, w_hh, b_hh)
        RZ = np.empty((T, B, 2 * H), dt)
        N, GHN, out = (np.empty((T, B, H), dt) for _ in range(3))
        w_t = w_hh.astype(dt, copy=False).T
        h = h0
        for t in _order(T, reverse):
            gh = h @ w_t
            gh += b_hh
            rz, n, x = RZ[t], N[t], xp[t]
            np.add(x[:, :2 * H], gh[:, :2 * H], out=rz)
            rz *= 0.5
            np.tanh(rz, out=rz)
            rz *= 0.5
            rz += 0.5
            GHN[t] = gh[:, 2 * H:]
            np.multiply(rz[:, :H], gh[:, 2 * H:], out=n)
            n += x[:, 2 * H:]
            np.tanh(n, out=n)
            np.subtract(h, n, out=out[t])  # h' = n + z (h - n)
            out[t] *= rz[:, H:]
            out[t] += n
            h = out[t]
        ctx.save_for_backward(RZ, N, GHN, out, h0, w_hh)
        ctx.reverse = reverse
        return out

    def backward(ctx, g_out):
        _first_order(g_out, "gru_recurrence")
        RZ, N, GHN, out, h0, w_hh = ctx.saved_tensors
        T, B, H = out.shape
        reverse, dt = ctx.reverse, out.dtype
        dGI, dGH = np.empty((T, B, 3 * H), dt), np.empty((T, B, 3 * H), dt)
        w = w_hh.astype(dt, copy=False)
        dh = np.zeros((B, H), dt)
        order = _order(T, reverse)
        first = order[0]
        for t in reversed(order):
            r, z, n = RZ[t, :, :H], RZ[t, :, H:], N[t]
            h_prev = h0 if t == first else out[t + 1 if reverse else t - 1]
            dgi, dgh = dGI[t], dGH[t]
            dh += g_out[t]
            one_minus_z = 1 - z
            dn = dgi[:, 2 * H:]  # through n = tanh(.): dh (1 - z) (1 - n^2)
            np.multiply(n, n, out=dn)
            np.subtract(1, dn, out=dn)
            dn *= dh
            dn *= one_minus_z
            dz = dgi[:, H:2 * H]  # through z = sigmoid(.): dh (h - n) z (1 - z)
            np.subtract(h_prev, n, out=dz)
            dz *= dh
            dz *= z
            dz *= one_minus_z
            dr = dgi[:, :H]  # through r = sigmoid(.): dn_pre (W_hn h + b_hn) r (1 - r)
            np.multiply(dn, GHN[t], out=dr)
            dr *= r
            dr *= 1 - r
            dgh[:, :2 * H] = dgi[:, :2 * H]
            np.multiply(dn, r, out=dgh[:, 2 * H:])
            dh *= z
            dh += dgh @ w
        needs = ctx.needs_input_grad
        dw = _recurrent_weight_grad(dGH, out, h0, reverse) if needs[2] else None
        db = dGH.sum(axis=(0, 1)) if needs[3] else None
        return dGI, dh, dw, db


class RNNRecurrence(Op):
    """(xp (T, B, H), h0, w_hh (H, H)) -> out (T, B, H) with ``h' = g(xp_t + W_hh h)``,
    g = tanh or relu; ``xp`` holds ``x W_ih^T + b_ih + b_hh``."""
    op_name = "rnn_recurrence"

    def forward(ctx, xp, h0, w_hh, nonlinearity="tanh", reverse=False):
        _check_sequence("rnn_recurrence", xp)
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"rnn_recurrence: nonlinearity must be 'tanh' or 'relu', "
                             f"got {nonlinearity!r}")
        T, B, H = xp.shape
        dt = np.result_type(xp, h0, w_hh)
        out = np.empty((T, B, H), dt)
        w_t = w_hh.astype(dt, copy=False).T
        h = h0
        for t in _order(T, reverse):
            ht = out[t]
            np.matmul(h, w_t, out=ht)
            ht += xp[t]
            if nonlinearity == "tanh":
                np.tanh(ht, out=ht)
            else:
                np.maximum(ht, 0, out=ht)
            h = ht
        ctx.save_for_backward(out, h0, w_hh)
        ctx.reverse, ctx.tanh = reverse, nonlinearity == "tanh"
        return out

    def backward(ctx, g_out):
        _first_order(g_out, "rnn_recurrence")
        out, h0, w_hh = ctx.saved_tensors
        T, B, H = out.shape
        D = 1 - out * out if ctx.tanh else (out > 0).astype(out.dtype)
        dP = np.empty_like(out)
        w = w_hh.astype(out.dtype, copy=False)
        dh = np.zeros((B, H), out.dtype)
        for t in reversed(_order(T, ctx.reverse)):
            dh += g_out[t]
            np.multiply(dh, D[t], out=dP[t])
            dh = dP[t] @ w
        needs = ctx.needs_input_grad
        dw = _recurrent_weight_grad(dP, out, h0, ctx.reverse) if needs[2] else None
        return dP, dh, dw
