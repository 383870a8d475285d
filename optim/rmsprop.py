"""RMSprop: divide each step by a running root mean square of the gradient."""
from __future__ import annotations

from typing import Iterable

import numpy as np

from .optimizer import (Optimizer, check_flag, check_nonnegative, check_unit_interval,
                        effective_grad)


class RMSprop(Optimizer):
    r"""RMSprop, step for step as ``torch.optim.RMSprop``.

    In the notes' notation, with ``beta`` the averaging factor (PyTorch's
    ``alpha`` argument), ``alpha`` the learning rate ``lr`` and ``epsilon``
    the ``eps``, starting from ``S_dW = 0``::

        S_dW = beta S_dW + (1 - beta) dW^2
        W    = W - alpha dW / (sqrt(S_dW) + epsilon)

    Where it differs from the notes: ``epsilon`` is added outside the square
    root, as PyTorch does (the notes write ``sqrt(S_dW + epsilon)``).
    Options, as PyTorch: ``weight_decay`` adds ``lambda W`` to ``dW`` first;
    ``centered=True`` also averages ``V_dW`` (the mean gradient) and divides by
    ``sqrt(S_dW - V_dW^2) + epsilon``, an estimate of the variance;
    ``momentum=m > 0`` keeps ``B = m B + dW / (sqrt(S_dW) + epsilon)`` and steps
    ``W = W - alpha B``; ``maximize=True`` ascends.

    >>> import autograd as ag, optim
    >>> w = ag.Tensor([1.0, -2.0], requires_grad=True)
    >>> opt = optim.RMSprop([w], lr=0.01, alpha=0.99)
    >>> (w * w).sum().backward()          # S_dW = 0.01 dW^2: the step is 10 alpha
    >>> opt.step()
    >>> w.tolist()
    [0.9, -1.9]
    """

    def __init__(self, params: Iterable, lr: float = 0.01, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0, momentum: float = 0,
                 centered: bool = False, maximize: bool = False):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered,
                                      maximize=maximize))

    def _check_hyper(self, group: dict) -> None:
        who = type(self).__name__
        for name in ("lr", "eps", "weight_decay", "momentum"):
            check_nonnegative(who, name, group.get(name))
        check_unit_interval(who, "alpha", group.get("alpha"))
        check_flag(who, "centered", group.get("centered"))
        check_flag(who, "maximize", group.get("maximize"))

    def _state_keys(self, group: dict) -> set[str]:
        keys = {"step", "square_avg"}
        if group["momentum"] > 0:
            keys.add("momentum_buffer")
        if group["centered"]:
            keys.add("grad_avg")
        return keys

    def _init_state(self, w, group):
        return {k: 0 if k == "step" else np.zeros_like(w) for k in self._state_keys(group)}

    def _update(self, w, g, state, bufs, group):
        d = effective_grad(w, g, bufs[0], group["weight_decay"], group["maximize"])
        alpha, b = group["alpha"], bufs[1]
        state["step"] += 1
        sq = state["square_avg"]
        sq *= alpha
        sq += np.multiply(np.multiply(d, 1 - alpha, out=b), d, out=b)
        if group["centered"]:
            avg = state["grad_avg"]
            avg += np.multiply(np.subtract(d, avg, out=b), 1 - alpha, out=b)
            np.sqrt(np.subtract(sq, np.multiply(avg, avg, out=b), out=b), out=b)
        else:
            np.sqrt(sq, out=b)
        b += group["eps"]
        np.divide(d, b, out=b)
        if group["momentum"] > 0:
            buf = state["momentum_buffer"]
            buf *= group["momentum"]
            buf += b
            np.multiply(buf, group["lr"], out=b)
        else:
            b *= group["lr"]
        w -= b
