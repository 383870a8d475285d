"""Fused recurrence primitives (a whole sequence in one graph node) and the layer
functions that run them (``rnn_layer``, ``gru_layer``, ``lstm_layer``).

Each op takes one direction of one layer whole: the input sequence, the
initial state and the weights. It computes the input projection of every
step at once (one big matmul, hoisted out of the loop), runs the recurrence
in a NumPy loop that writes into preallocated arrays, and keeps the gate
activations for a backward through time that is also a NumPy loop. The
weights' gradients are one matmul each over all steps at the end
(``dW_hh = sum_t dG_t^T h_{t-1}``, ``dW_ih = sum_t dG_t^T x_t``), rather
than T small ones. The benchmark showed the per-op overhead of a graph with
a dozen nodes per step dominating; here a layer is a single node.

Sigmoids are computed as ``0.5 * tanh(0.5 x) + 0.5``: exact, never overflows,
and lets the four LSTM gates go through a single ``tanh`` call.

The backward is first order only; ``create_graph=True`` needs the composed
layers in ``nn.rnn_cells`` (the modules' ``fused=False``). The math is
checked against those composed layers in float64 in ``tests/test_recurrent.py``.
"""
from __future__ import annotations

import numpy as np

from autograd import Tensor
from autograd.function import Op


def _order(T: int, reverse: bool):
    return range(T - 1, -1, -1) if reverse else range(T)


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


def _check_sequence(name, x):
    if x.ndim != 3 or x.shape[0] == 0:
        raise ValueError(f"{name}: expected a non-empty (T, B, input) sequence, "
                         f"got shape {x.shape}")


def _project(x, w_ih, bias, dt):
    """``x @ w_ih.T + bias`` for every step in one matmul: (T, B, I) -> new (T, B, G)."""
    T, B, I = x.shape
    out = np.matmul(x.reshape(T * B, I).astype(dt, copy=False), w_ih.astype(dt, copy=False).T)
    if bias is not None:
        out += bias
    return out.reshape(T, B, -1)


def _input_grads(dxp, x, w_ih, need_x, need_w):
    """Gradients of ``x`` and ``w_ih`` from the projection's gradient ``dxp`` (T, B, G)."""
    T, B, I = x.shape
    d2 = dxp.reshape(T * B, -1)
    dx = (d2 @ w_ih.astype(d2.dtype, copy=False)).reshape(x.shape) if need_x else None
    dw = d2.T @ x.reshape(T * B, I) if need_w else None
    return dx, dw


def _bias_grads(db, needs):
    """The same gradient for both biases, as two arrays (the engine may keep each one)."""
    return (db if needs[0] else None), (db.copy() if needs[1] else None)


def _sum_bias(b_ih, b_hh):
    if b_ih is None or b_hh is None:
        return b_ih if b_hh is None else b_hh
    return b_ih + b_hh


def _gate_order(H):
    """PyTorch's gate rows (i, f, g, o) -> ours (i, f, o, g): the three sigmoids in one block."""
    return np.r_[0:2 * H, 3 * H:4 * H, 2 * H:3 * H]


class LSTMSequence(Op):
    """(x (T, B, I), h0, c0, w_ih (4H, I), w_hh (4H, H), b_ih, b_hh) -> (out (T, B, H), c_n),
    gates i, f, g, o; the biases may be None.

    Inside, each step works on transposed, contiguous blocks: gates ``(4H, B)``
    and states ``(H, B)``, so the per-step matmuls are ``W_hh @ h`` and
    ``W_hh^T @ dG`` (the large dimension first, which BLAS splits across
    threads well), and every gate is a contiguous row block. The bias rides in
    the input projection as a column of ``W_ih`` against a row of ones, so its
    gradient comes out of the ``dW_ih`` matmul too.
    """
    once_differentiable = True
    once_differentiable_hint = "for second derivatives set the layer's fused=False (the composed cells)"
    op_name = "lstm_sequence"

    def forward(ctx, x, h0, c0, w_ih, w_hh, b_ih, b_hh, reverse=False):
        _check_sequence("lstm_sequence", x)
        T, B, I = x.shape
        H = w_hh.shape[1]
        dt = np.result_type(x, h0, c0, w_ih, w_hh)
        perm = _gate_order(H)
        scale = np.ones((4 * H, 1), dt)
        scale[:3 * H] = 0.5  # sigmoid(x) = 0.5 tanh(0.5 x) + 0.5: one tanh for all gates
        w_hh_s = (w_hh[perm] * scale).astype(dt, copy=False)
        bias = _sum_bias(b_ih, b_hh)
        xs = np.empty((T, I + (bias is not None), B), dt)  # columns, with a row of ones
        xs[:, :I] = x.transpose(0, 2, 1)
        w = w_ih[perm].astype(dt, copy=False)
        if bias is not None:
            xs[:, I] = 1
            w = np.concatenate([w, bias[perm].astype(dt)[:, None]], axis=1)
        A = np.matmul(w * scale, xs)  # (T, 4H, B): every step's gate inputs, bias included
        C, TC, HT = (np.empty((T, H, B), dt) for _ in range(3))
        tmp, ig = np.empty((4 * H, B), dt), np.empty((H, B), dt)
        h, c = h0.T, c0.T
        for t in _order(T, reverse):
            a = A[t]
            np.matmul(w_hh_s, h, out=tmp)
            a += tmp
            np.tanh(a, out=a)
            sig = a[:3 * H]
            sig *= 0.5
            sig += 0.5
            np.multiply(a[H:2 * H], c, out=C[t])
            np.multiply(a[:H], a[3 * H:], out=ig)
            C[t] += ig
            np.tanh(C[t], out=TC[t])
            np.multiply(a[2 * H:3 * H], TC[t], out=HT[t])
            h, c = HT[t], C[t]
        out = np.ascontiguousarray(HT.transpose(0, 2, 1))
        ctx.save_for_backward(xs, A, C, TC, HT, out, h0, c0, w_ih, w_hh)
        ctx.reverse = reverse
        return out, np.ascontiguousarray(c.T)

    def backward(ctx, g_out, g_cn):
        xs, A, C, TC, HT, out, h0, c0, w_ih, w_hh = ctx.saved_tensors
        T, G, B = A.shape
        H, reverse, dt = G // 4, ctx.reverse, A.dtype
        # The factors that do not depend on the recurrence, every step at once. A holds
        # i, f, o, g; P is in PyTorch's order i, f, g, o, where the three gates driven
        # by dc form one block: dG_i = dc g i(1-i), dG_f = dc c_prev f(1-f),
        # dG_g = dc i (1-g^2), dG_o = dh tanh(c) o(1-o); and dc += dh o (1 - tanh(c)^2).
        i, f, o, g = A[:, :H], A[:, H:2 * H], A[:, 2 * H:3 * H], A[:, 3 * H:]
        P = np.empty_like(A)
        blk = P[:, :H]
        np.subtract(1, i, out=blk)
        blk *= i
        blk *= g
        blk = P[:, H:2 * H]
        np.subtract(1, f, out=blk)
        blk *= f
        if reverse:
            blk[:-1] *= C[1:]
            blk[-1] *= c0.T
        else:
            blk[1:] *= C[:-1]
            blk[0] *= c0.T
        blk = P[:, 2 * H:3 * H]
        np.multiply(g, g, out=blk)
        np.subtract(1, blk, out=blk)
        blk *= i
        blk = P[:, 3 * H:]
        np.subtract(1, o, out=blk)
        blk *= HT  # o(1-o) tanh(c) = (1-o) h
        E = TC * HT  # o (1 - tanh(c)^2) = o - h tanh(c)
        np.subtract(o, E, out=E)
        g_out_t = g_out.transpose(0, 2, 1)
        dG = np.empty_like(A)
        w_t = w_hh.astype(dt, copy=False).T
        dh = np.zeros((H, B), dt)
        dc = np.array(g_cn.T, dtype=dt, order="C")
        tmp = np.empty((H, B), dt)
        dc3 = dc[None]
        for t in reversed(_order(T, reverse)):
            d, p = dG[t], P[t]
            dh += g_out_t[t]
            np.multiply(dh, p[3 * H:], out=d[3 * H:])
            np.multiply(dh, E[t], out=tmp)
            dc += tmp
            np.multiply(dc3, p[:3 * H].reshape(3, H, B), out=d[:3 * H].reshape(3, H, B))
            dc *= f[t]
            dh = w_t @ d
        dh, dc = np.ascontiguousarray(dh.T), np.ascontiguousarray(dc.T)
        return _lstm_weight_grads(ctx, dG, dh, dc, xs, out, h0, w_ih)


def _lstm_weight_grads(ctx, dG, dh, dc, xs, out, h0, w_ih):
    """The gradients that are sums over all steps, each one matmul (dG is in PyTorch's
    gate order; the bias gradient comes with dW_ih, from the row of ones in xs)."""
    T, G, B = dG.shape
    I = w_ih.shape[1]
    dG2 = np.ascontiguousarray(dG.transpose(1, 0, 2)).reshape(G, T * B)  # (4H, T B)
    needs = ctx.needs_input_grad
    dx = dw_ih = dw_hh = db = None
    if needs[0]:
        dx = (dG2.T @ w_ih.astype(dG.dtype, copy=False)).reshape(T, B, I)
    if needs[3] or needs[5] or needs[6]:
        dw = dG2 @ xs.transpose(0, 2, 1).reshape(T * B, -1)
        dw_ih = np.ascontiguousarray(dw[:, :I]) if needs[3] else None
        db = dw[:, I].copy() if dw.shape[1] > I else None
    if needs[4]:
        dw_hh = dG2 @ _previous(out, h0, ctx.reverse).reshape(T * B, -1)
    return (dx, dh, dc, dw_ih, dw_hh) + _bias_grads(db, needs[5:])


class GRUSequence(Op):
    """(x (T, B, I), h0, w_ih (3H, I), w_hh (3H, H), b_ih, b_hh) -> out (T, B, H), gates
    r, z, n with ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))``; biases may be None."""
    once_differentiable = True
    once_differentiable_hint = "for second derivatives set the layer's fused=False (the composed cells)"
    op_name = "gru_sequence"

    def forward(ctx, x, h0, w_ih, w_hh, b_ih, b_hh, reverse=False):
        _check_sequence("gru_sequence", x)
        T, B, _ = x.shape
        H = w_hh.shape[1]
        dt = np.result_type(x, h0, w_ih, w_hh)
        xp = _project(x, w_ih, b_ih, dt)
        RZ = np.empty((T, B, 2 * H), dt)
        N, GHN, out = (np.empty((T, B, H), dt) for _ in range(3))
        w_t = w_hh.astype(dt, copy=False).T
        h = h0
        for t in _order(T, reverse):
            gh = h @ w_t
            if b_hh is not None:
                gh += b_hh
            rz, n, xt = RZ[t], N[t], xp[t]
            np.add(xt[:, :2 * H], gh[:, :2 * H], out=rz)
            rz *= 0.5
            np.tanh(rz, out=rz)
            rz *= 0.5
            rz += 0.5
            GHN[t] = gh[:, 2 * H:]
            np.multiply(rz[:, :H], gh[:, 2 * H:], out=n)
            n += xt[:, 2 * H:]
            np.tanh(n, out=n)
            np.subtract(h, n, out=out[t])  # h' = n + z (h - n)
            out[t] *= rz[:, H:]
            out[t] += n
            h = out[t]
        ctx.save_for_backward(x, RZ, N, GHN, out, h0, w_ih, w_hh)
        ctx.reverse = reverse
        return out

    def backward(ctx, g_out):
        x, RZ, N, GHN, out, h0, w_ih, w_hh = ctx.saved_tensors
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
        dx, dw_ih = _input_grads(dGI, x, w_ih, needs[0], needs[2])
        dw_hh = _recurrent_weight_grad(dGH, out, h0, reverse) if needs[3] else None
        db_ih = dGI.sum(axis=(0, 1)) if needs[4] else None
        db_hh = dGH.sum(axis=(0, 1)) if needs[5] else None
        return dx, dh, dw_ih, dw_hh, db_ih, db_hh


class RNNSequence(Op):
    """(x (T, B, I), h0, w_ih (H, I), w_hh (H, H), b_ih, b_hh) -> out (T, B, H) with
    ``h' = g(W_ih x + b_ih + W_hh h + b_hh)``, g = tanh or relu; biases may be None."""
    once_differentiable = True
    once_differentiable_hint = "for second derivatives set the layer's fused=False (the composed cells)"
    op_name = "rnn_sequence"

    def forward(ctx, x, h0, w_ih, w_hh, b_ih, b_hh, nonlinearity="tanh", reverse=False):
        _check_sequence("rnn_sequence", x)
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"rnn_sequence: nonlinearity must be 'tanh' or 'relu', "
                             f"got {nonlinearity!r}")
        T, B, _ = x.shape
        dt = np.result_type(x, h0, w_ih, w_hh)
        out = _project(x, w_ih, _sum_bias(b_ih, b_hh), dt)
        w_t = w_hh.astype(dt, copy=False).T
        h = h0
        for t in _order(T, reverse):
            ht = out[t]
            ht += h @ w_t
            if nonlinearity == "tanh":
                np.tanh(ht, out=ht)
            else:
                np.maximum(ht, 0, out=ht)
            h = ht
        ctx.save_for_backward(x, out, h0, w_ih, w_hh)
        ctx.reverse, ctx.tanh = reverse, nonlinearity == "tanh"
        return out

    def backward(ctx, g_out):
        x, out, h0, w_ih, w_hh = ctx.saved_tensors
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
        dx, dw_ih = _input_grads(dP, x, w_ih, needs[0], needs[2])
        dw_hh = _recurrent_weight_grad(dP, out, h0, ctx.reverse) if needs[3] else None
        db = dP.sum(axis=(0, 1)) if needs[4] or needs[5] else None
        return (dx, dh, dw_ih, dw_hh) + _bias_grads(db, needs[4:])


# -- the layer functions---------------------------------------------------------
def _last(out: Tensor, reverse: bool) -> Tensor:
    return out[0] if reverse else out[-1]


def rnn_layer(x: Tensor, h0: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih=None, b_hh=None,
              nonlinearity: str = "tanh", reverse: bool = False) -> tuple[Tensor, Tensor]:
    """One direction of one RNN layer over ``x`` (T, B, I): returns (output (T, B, H), h_n).
    With ``reverse`` the sequence is read from the end (outputs stay in time order)."""
    out = RNNSequence.apply(x, h0, w_ih, w_hh, b_ih, b_hh, nonlinearity=nonlinearity,
                            reverse=reverse)
    return out, _last(out, reverse)


def gru_layer(x: Tensor, h0: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih=None, b_hh=None,
              reverse: bool = False) -> tuple[Tensor, Tensor]:
    """One direction of one GRU layer: returns (output (T, B, H), h_n)."""
    out = GRUSequence.apply(x, h0, w_ih, w_hh, b_ih, b_hh, reverse=reverse)
    return out, _last(out, reverse)


def lstm_layer(x: Tensor, h0: Tensor, c0: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih=None,
               b_hh=None, reverse: bool = False) -> tuple[Tensor, tuple[Tensor, Tensor]]:
    """One direction of one LSTM layer: returns (output (T, B, H), (h_n, c_n))."""
    out, c_n = LSTMSequence.apply(x, h0, c0, w_ih, w_hh, b_ih, b_hh, reverse=reverse)
    return out, (_last(out, reverse), c_n)
