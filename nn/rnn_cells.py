"""Recurrent networks composed from the engine's primitives, one time step at a time:
the readable definition of each cell, and the oracle the fused layers
(``nn.rnn_ops``) are tested against.

PyTorch's gate order (LSTM: i, f, g, o; GRU: r, z, n) and weight layouts
(``w_ih`` is ``(gates * hidden, input)``). ``rnn_cell``, ``gru_cell`` and
``lstm_cell`` take one step; ``*_layer_composed`` run a whole sequence with
them. They support ``create_graph=True`` (the modules' ``fused=False``).

>>> import numpy as np, autograd as ag
>>> from nn.rnn_ops import lstm_layer
>>> rng = np.random.default_rng(0)
>>> T, B, I, H = 5, 2, 3, 4
>>> x = ag.Tensor(rng.standard_normal((T, B, I)))
>>> w_ih, w_hh = ag.Tensor(rng.standard_normal((4 * H, I))), ag.Tensor(rng.standard_normal((4 * H, H)))
>>> h0 = c0 = ag.Tensor(np.zeros((B, H)))
>>> out, (h, c) = lstm_layer(x, h0, c0, w_ih, w_hh)
>>> h_ref, c_ref = h0, c0
>>> for t in range(T):
...     h_ref, c_ref = lstm_cell(x[t], h_ref, c_ref, w_ih, w_hh)
>>> bool(np.allclose(h.data, h_ref.data) and np.allclose(c.data, c_ref.data))
True
"""
from __future__ import annotations

import autograd as ag
from autograd import Tensor


# -- composed cell steps (the oracle) -----------------------------------------
def _affine(x, w, b):
    y = x @ w.T
    return y if b is None else y + b


def rnn_cell(x: Tensor, h: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih=None, b_hh=None,
             nonlinearity: str = "tanh") -> Tensor:
    """The notes' RNN unit ``a<t> = g(W_ax x<t> + W_aa a<t-1> + b_a)``, g = tanh or relu."""
    pre = _affine(x, w_ih, b_ih) + _affine(h, w_hh, b_hh)
    return pre.tanh() if nonlinearity == "tanh" else pre.relu()


def gru_cell(x: Tensor, h: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih=None, b_hh=None) -> Tensor:
    """One GRU step: ``r, z = sigmoid(...)``, ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))``,
    ``h' = (1 - z) * n + z * h``."""
    gi = _affine(x, w_ih, b_ih)
    gh = _affine(h, w_hh, b_hh)
    i_r, i_z, i_n = ag.split(gi, 3, axis=-1)
    h_r, h_z, h_n = ag.split(gh, 3, axis=-1)
    r = (i_r + h_r).sigmoid()
    z = (i_z + h_z).sigmoid()
    n = (i_n + r * h_n).tanh()
    return (1 - z) * n + z * h


def lstm_cell(x: Tensor, h: Tensor, c: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih=None,
              b_hh=None) -> tuple[Tensor, Tensor]:
    """One LSTM step, one matmul per input for all four gates:
    ``c' = f * c + i * g`` (the notes' ``Gamma_f * c + Gamma_u * c_tilde``), ``h' = o * tanh(c')``."""
    gates = _affine(x, w_ih, b_ih) + _affine(h, w_hh, b_hh)
    i, f, g, o = ag.split(gates, 4, axis=-1)
    c_new = f.sigmoid() * c + i.sigmoid() * g.tanh()
    return o.sigmoid() * c_new.tanh(), c_new


# -- composed layers (the same contract, one engine op at a time) ------------
def _steps(T: int, reverse: bool):
    return range(T - 1, -1, -1) if reverse else range(T)


def _stack_in_time(outs: dict, T: int) -> Tensor:
    return ag.stack([outs[t] for t in range(T)], axis=0)


def rnn_layer_composed(x, h0, w_ih, w_hh, b_ih=None, b_hh=None, nonlinearity="tanh",
                       reverse=False):
    """``rnn_layer`` built from ``rnn_cell`` (differentiable twice; the oracle)."""
    h, outs = h0, {}
    for t in _steps(x.shape[0], reverse):
        h = outs[t] = rnn_cell(x[t], h, w_ih, w_hh, b_ih, b_hh, nonlinearity)
    return _stack_in_time(outs, x.shape[0]), h


def gru_layer_composed(x, h0, w_ih, w_hh, b_ih=None, b_hh=None, reverse=False):
    """``gru_layer`` built from ``gru_cell``."""
    h, outs = h0, {}
    for t in _steps(x.shape[0], reverse):
        h = outs[t] = gru_cell(x[t], h, w_ih, w_hh, b_ih, b_hh)
    return _stack_in_time(outs, x.shape[0]), h


def lstm_layer_composed(x, h0, c0, w_ih, w_hh, b_ih=None, b_hh=None, reverse=False):
    """``lstm_layer`` built from ``lstm_cell``."""
    h, c, outs = h0, c0, {}
    for t in _steps(x.shape[0], reverse):
        h, c = lstm_cell(x[t], h, c, w_ih, w_hh, b_ih, b_hh)
        outs[t] = h
    return _stack_in_time(outs, x.shape[0]), (h, c)
