"""Recurrent layers: RNN, GRU, LSTM and their cells, with PyTorch's names and shapes.

Parameters are named and shaped as PyTorch's (``weight_ih_l0`` ``(gates * H,
input)``, ``weight_hh_l0_reverse``, ... ; gate order LSTM i, f, g, o and GRU
r, z, n), so a PyTorch state dict loads one to one and gives the same
outputs and gradients. Every parameter starts as ``U(-1/sqrt(H), 1/sqrt(H))``.

The layers run each direction of each layer as one fused recurrence (see
``nn.rnn_cells``); set ``fused = False`` on a layer or cell to run the
composed, step-by-step version instead (it supports ``create_graph=True``).
"""
from __future__ import annotations

import math

import numpy as np

import autograd as ag
from autograd import Tensor

from . import functional as F
from . import init
from . import rnn_cells as R
from . import rnn_ops
from .module import Module, Parameter

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "GRU": 3, "LSTM": 4}


def _reset_uniform(module: Module, hidden_size: int, rng) -> None:
    gen = ag.get_rng(rng)  # one generator for all, so an int seed gives distinct weights
    bound = 1.0 / math.sqrt(hidden_size)
    for p in module.parameters():
        init.uniform_(p, -bound, bound, rng=gen)


def _run_direction(mode, fused, x, h0, c0, params, reverse):
    """One direction of one layer: (output (T, B, H), h_n, c_n or None)."""
    w_ih, w_hh, b_ih, b_hh = params
    if mode == "LSTM":
        fn = rnn_ops.lstm_layer if fused else R.lstm_layer_composed
        out, (h, c) = fn(x, h0, c0, w_ih, w_hh, b_ih, b_hh, reverse=reverse)
        return out, h, c
    if mode == "GRU":
        fn = rnn_ops.gru_layer if fused else R.gru_layer_composed
        out, h = fn(x, h0, w_ih, w_hh, b_ih, b_hh, reverse=reverse)
        return out, h, None
    fn = rnn_ops.rnn_layer if fused else R.rnn_layer_composed
    nonlinearity = "tanh" if mode == "RNN_TANH" else "relu"
    out, h = fn(x, h0, w_ih, w_hh, b_ih, b_hh, nonlinearity=nonlinearity, reverse=reverse)
    return out, h, None


class RNNBase(Module):
    """The shared machinery of ``RNN``, ``GRU`` and ``LSTM`` (stacking, directions,
    batch_first, initial states, dropout between layers, input checks)."""

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, dtype=np.float32, rng=None):
        super().__init__()
        name = type(self).__name__
        if input_size <= 0 or hidden_size <= 0 or num_layers <= 0:
            raise ValueError(f"{name}: input_size, hidden_size and num_layers must be "
                             f"positive, got {input_size}, {hidden_size}, {num_layers}")
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"{name}: dropout must be in [0, 1), got {dropout}")
        self.mode, self.input_size, self.hidden_size = mode, int(input_size), int(hidden_size)
        self.num_layers, self.bias, self.batch_first = int(num_layers), bool(bias), batch_first
        self.dropout, self.bidirectional = float(dropout), bool(bidirectional)
        self.fused = True
        gates = _GATES[mode] * hidden_size
        for layer in range(num_layers):
            width = input_size if layer == 0 else hidden_size * self.num_directions
            for sfx in self._suffixes(layer):
                setattr(self, "weight_ih" + sfx, Parameter(np.empty((gates, width), dtype)))
                setattr(self, "weight_hh" + sfx, Parameter(np.empty((gates, hidden_size), dtype)))
                if bias:
                    setattr(self, "bias_ih" + sfx, Parameter(np.empty(gates, dtype)))
                    setattr(self, "bias_hh" + sfx, Parameter(np.empty(gates, dtype)))
        self.reset_parameters(rng)

    @property
    def num_directions(self) -> int:
        return 2 if self.bidirectional else 1

    def _suffixes(self, layer: int):
        return [f"_l{layer}", f"_l{layer}_reverse"][:self.num_directions]

    def _params(self, sfx: str):
        get = self._parameters.get
        return (get("weight_ih" + sfx), get("weight_hh" + sfx), get("bias_ih" + sfx),
                get("bias_hh" + sfx))

    def reset_parameters(self, rng=None) -> None:
        """Redraw every weight and bias from ``U(-1/sqrt(hidden), 1/sqrt(hidden))``."""
        _reset_uniform(self, self.hidden_size, rng)

    # -- input checks ---------------------------------------------------------
    def _check_input(self, x: Tensor) -> bool:
        """Validate ``x``; returns whether it is batched (3-D)."""
        if x.ndim not in (2, 3):
            raise ValueError(f"{self!r}: expected a 3-D (batched) or 2-D (unbatched) input, "
                             f"got shape {x.shape}")
        if x.shape[-1] != self.input_size:
            raise ValueError(f"{self!r}: expected input_size {self.input_size} as the last "
                             f"dim, got input of shape {x.shape}")
        if x.shape[1 if self.batch_first and x.ndim == 3 else 0] == 0:
            raise ValueError(f"{self!r}: the sequence is empty (input shape {x.shape})")
        return x.ndim == 3

    def _check_state(self, h, what: str, batch: int, batched: bool) -> Tensor:
        h = ag.as_tensor(h)
        want = (self.num_layers * self.num_directions, self.hidden_size)
        want = want[:1] + (batch,) + want[1:] if batched else want
        if h.shape != want:
            kind = f"a batched input (batch {batch})" if batched else "an unbatched input"
            raise ValueError(f"{self!r}: expected {what} of shape {want} for {kind}, "
                             f"got {h.shape}")
        return h if batched else h.unsqueeze(1)

    def _initial_states(self, hx, batch: int, batched: bool, dtype):
        """(h0, c0) per layer-direction as lists of (B, H) Tensors (c0 None unless LSTM)."""
        n = self.num_layers * self.num_directions
        if hx is None:
            zeros = [Tensor(np.zeros((batch, self.hidden_size), dtype)) for _ in range(n)]
            return zeros, (list(zeros) if self.mode == "LSTM" else None)
        if self.mode == "LSTM":
            if not isinstance(hx, (tuple, list)) or len(hx) != 2:
                raise ValueError(f"{self!r}: hx must be a tuple (h_0, c_0), got "
                                 f"{type(hx).__name__}")
            h0 = self._check_state(hx[0], "h_0", batch, batched)
            c0 = self._check_state(hx[1], "c_0", batch, batched)
            return [h0[k] for k in range(n)], [c0[k] for k in range(n)]
        h0 = self._check_state(hx, "hx", batch, batched)
        return [h0[k] for k in range(n)], None

    # -- forward --------------------------------------------------------------
    def forward(self, input, hx=None):
        x = ag.as_tensor(input)
        batched = self._check_input(x)
        if not batched:
            x = x.unsqueeze(1)
        elif self.batch_first:
            x = x.swapaxes(0, 1)
        h0s, c0s = self._initial_states(hx, x.shape[1], batched,
                                        np.result_type(x.dtype, self.weight_ih_l0.dtype))
        hs, cs, k = [], [], 0
        for layer in range(self.num_layers):
            if layer > 0 and self.dropout > 0 and self.training:
                x = F.dropout(x, self.dropout, training=True)
            outs = []
            for d, sfx in enumerate(self._suffixes(layer)):
                out, h, c = _run_direction(self.mode, self.fused, x, h0s[k],
                                           c0s[k] if c0s else None, self._params(sfx),
                                           reverse=d == 1)
                outs.append(out)
                hs.append(h)
                cs.append(c)
                k += 1
            x = outs[0] if len(outs) == 1 else ag.concatenate(outs, axis=2)
        return self._finish(x, hs, cs, batched)

    def _finish(self, out, hs, cs, batched):
        h_n = ag.stack(hs, axis=0)
        c_n = ag.stack(cs, axis=0) if self.mode == "LSTM" else None
        if not batched:
            out, h_n = out.squeeze(1), h_n.squeeze(1)
            c_n = c_n.squeeze(1) if c_n is not None else None
        elif self.batch_first:
            out = out.swapaxes(0, 1)
        return (out, (h_n, c_n)) if self.mode == "LSTM" else (out, h_n)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.mode == "RNN_RELU":
            s += ", nonlinearity='relu'"
        for name, default in (("num_layers", 1), ("bias", True), ("batch_first", False),
                              ("dropout", 0.0), ("bidirectional", False)):
            if getattr(self, name) != default:
                s += f", {name}={getattr(self, name)}"
        return s


class RNN(RNNBase):
    """Elman RNN, the notes' ``a<t> = g(W_ax x<t> + b_ax + W_aa a<t-1> + b_aa)``.

    Input ``(T, B, input_size)`` (``(B, T, ...)`` with ``batch_first``) or
    unbatched ``(T, input_size)``; returns ``(output, h_n)`` with output
    ``(T, B, D * hidden_size)`` and h_n ``(D * num_layers, B, hidden_size)``.

    >>> import numpy as np, nn
    >>> rnn = nn.RNN(3, 5, num_layers=2, bidirectional=True, rng=0)
    >>> out, h_n = rnn(np.zeros((7, 4, 3), dtype=np.float32))
    >>> out.shape, h_n.shape
    ((7, 4, 10), (4, 4, 5))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 nonlinearity: str = "tanh", bias: bool = True, batch_first: bool = False,
                 dropout: float = 0.0, bidirectional: bool = False, dtype=np.float32,
                 rng=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNN: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        super().__init__("RNN_" + nonlinearity.upper(), input_size, hidden_size, num_layers,
                         bias, batch_first, dropout, bidirectional, dtype, rng)
        self.nonlinearity = nonlinearity


class GRU(RNNBase):
    """Gated recurrent unit: gates r (reset, the notes' relevance), z (update), n (new).

    >>> import numpy as np, nn
    >>> gru = nn.GRU(3, 5, batch_first=True, rng=0)
    >>> out, h_n = gru(np.zeros((4, 7, 3), dtype=np.float32))
    >>> out.shape, h_n.shape
    ((4, 7, 5), (1, 4, 5))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, dtype=np.float32, rng=None):
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, dtype, rng)


class LSTM(RNNBase):
    """Long short-term memory: gates i, f, g, o; ``c' = f c + i g``, ``h' = o tanh(c')``.

    ``forward(x, (h_0, c_0)=None)`` returns ``(output, (h_n, c_n))``.

    >>> import numpy as np, nn
    >>> lstm = nn.LSTM(8, 16, rng=0)
    >>> out, (h_n, c_n) = lstm(np.zeros((8, 2, 8), dtype=np.float32))
    >>> out.shape, h_n.shape, c_n.shape
    ((8, 2, 16), (1, 2, 16), (1, 2, 16))
    >>> [name for name, _ in lstm.named_parameters()]
    ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, dtype=np.float32, rng=None):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, dtype, rng)


class RNNCellBase(Module):
    """One time step of an RNN, GRU or LSTM: parameters ``weight_ih`` ``(gates * H,
    input)``, ``weight_hh``, ``bias_ih``, ``bias_hh``; input ``(B, input_size)`` or
    unbatched ``(input_size,)``; the state defaults to zeros."""

    def __init__(self, mode: str, input_size: int, hidden_size: int, bias: bool = True,
                 dtype=np.float32, rng=None):
        super().__init__()
        if input_size <= 0 or hidden_size <= 0:
            raise ValueError(f"{type(self).__name__}: input_size and hidden_size must be "
                             f"positive, got {input_size}, {hidden_size}")
        self.mode, self.input_size, self.hidden_size = mode, int(input_size), int(hidden_size)
        self.bias, self.fused = bool(bias), True
        gates = _GATES[mode] * hidden_size
        self.weight_ih = Parameter(np.empty((gates, input_size), dtype))
        self.weight_hh = Parameter(np.empty((gates, hidden_size), dtype))
        self.bias_ih = Parameter(np.empty(gates, dtype)) if bias else None
        self.bias_hh = Parameter(np.empty(gates, dtype)) if bias else None
        self.reset_parameters(rng)

    def reset_parameters(self, rng=None) -> None:
        """Redraw every weight and bias from ``U(-1/sqrt(hidden), 1/sqrt(hidden))``."""
        _reset_uniform(self, self.hidden_size, rng)

    def _state(self, h, what: str, x: Tensor, batched: bool) -> Tensor:
        if h is None:
            dtype = np.result_type(x.dtype, self.weight_ih.dtype)
            return Tensor(np.zeros((x.shape[0], self.hidden_size), dtype))
        h = ag.as_tensor(h)
        want = (x.shape[0], self.hidden_size) if batched else (self.hidden_size,)
        if h.shape != want:
            raise ValueError(f"{self!r}: expected {what} of shape {want} for input of shape "
                             f"{x.shape if batched else x.shape[1:]}, got {h.shape}")
        return h if batched else h.unsqueeze(0)

    def _step(self, input, h0, c0=None):
        x = ag.as_tensor(input)
        if x.ndim not in (1, 2) or x.shape[-1] != self.input_size:
            raise ValueError(f"{self!r}: expected input of shape (batch, {self.input_size}) "
                             f"or ({self.input_size},), got {x.shape}")
        batched = x.ndim == 2
        if not batched:
            x = x.unsqueeze(0)
        h0 = self._state(h0, "hx" if self.mode != "LSTM" else "h_0", x, batched)
        if self.mode == "LSTM":
            c0 = self._state(c0, "c_0", x, batched)
        params = (self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        _, h, c = _run_direction(self.mode, self.fused, x.unsqueeze(0), h0, c0, params, False)
        if not batched:
            h, c = h.squeeze(0), (c.squeeze(0) if c is not None else None)
        return h, c

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.mode == "RNN_RELU":
            s += ", nonlinearity='relu'"
        return s + ("" if self.bias else ", bias=False")


class RNNCell(RNNCellBase):
    """``h' = g(W_ih x + b_ih + W_hh h + b_hh)`` with g = tanh or relu; returns ``h'``.

    >>> import numpy as np, nn
    >>> cell = nn.RNNCell(3, 4, nonlinearity="relu", rng=0)
    >>> cell(np.ones((2, 3), dtype=np.float32)).shape
    (2, 4)
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 nonlinearity: str = "tanh", dtype=np.float32, rng=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNNCell: nonlinearity must be 'tanh' or 'relu', "
                             f"got {nonlinearity!r}")
        super().__init__("RNN_" + nonlinearity.upper(), input_size, hidden_size, bias, dtype,
                         rng)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None) -> Tensor:
        return self._step(input, hx)[0]


class GRUCell(RNNCellBase):
    """One GRU step; returns ``h'``.

    >>> import numpy as np, nn
    >>> nn.GRUCell(3, 4, rng=0)(np.ones(3, dtype=np.float32)).shape
    (4,)
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 dtype=np.float32, rng=None):
        super().__init__("GRU", input_size, hidden_size, bias, dtype, rng)

    def forward(self, input, hx=None) -> Tensor:
        return self._step(input, hx)[0]


class LSTMCell(RNNCellBase):
    """One LSTM step; ``forward(x, (h, c)=None)`` returns ``(h', c')``.

    >>> import numpy as np, nn
    >>> h, c = nn.LSTMCell(3, 4, rng=0)(np.ones((2, 3), dtype=np.float32))
    >>> h.shape, c.shape
    ((2, 4), (2, 4))
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 dtype=np.float32, rng=None):
        super().__init__("LSTM", input_size, hidden_size, bias, dtype, rng)

    def forward(self, input, hx=None) -> tuple[Tensor, Tensor]:
        if hx is not None and (not isinstance(hx, (tuple, list)) or len(hx) != 2):
            raise ValueError(f"{self!r}: hx must be a tuple (h, c), got {type(hx).__name__}")
        return self._step(input, *(hx if hx is not None else (None, None)))
