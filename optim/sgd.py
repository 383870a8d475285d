"""Gradient descent: PyTorch's ``SGD`` (with its momentum) and the notes' ``Momentum``."""
from __future__ import annotations

from typing import Iterable

import numpy as np

from .optimizer import (Optimizer, check_finite, check_flag, check_nonnegative, check_unit_interval,
                        effective_grad)


class SGD(Optimizer):
    r"""Stochastic gradient descent, step for step as ``torch.optim.SGD``.

    With ``dW`` the gradient, ``alpha`` the learning rate ``lr``, ``beta`` the
    ``momentum``, ``lambda`` the ``weight_decay`` and ``tau`` the
    ``dampening``::

        dW   = dW + lambda W                      (L2 penalty, if weight_decay)
        V_dW = dW                                 (first step)
        V_dW = beta V_dW + (1 - tau) dW           (later steps)
        W    = W - alpha V_dW                     (or W - alpha (dW + beta V_dW), nesterov)

    Without momentum it is the notes' ``W := W - alpha dW``. Where it differs
    from the notes' momentum: PyTorch's velocity has no ``(1 - beta)`` factor
    on ``dW`` (so its step is ``1 / (1 - beta)`` times larger for the same
    ``alpha``) and starts at ``dW`` rather than 0; ``Momentum`` is the notes'
    form. ``maximize=True`` ascends instead.

    >>> import autograd as ag, optim
    >>> w = ag.Tensor([1.0, -2.0], requires_grad=True)
    >>> opt = optim.SGD([w], lr=0.1)
    >>> (w * w).sum().backward()          # dW = 2 W
    >>> opt.step()
    >>> w.tolist()
    [0.8, -1.6]
    """

    def __init__(self, params: Iterable, lr: float, momentum: float = 0, dampening: float = 0,
                 nesterov: bool = False, weight_decay: float = 0, maximize: bool = False):
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      nesterov=nesterov, weight_decay=weight_decay,
                                      maximize=maximize))

    def _check_hyper(self, group: dict) -> None:
        who = type(self).__name__
        for name in ("lr", "momentum", "weight_decay"):
            check_nonnegative(who, name, group.get(name))
        check_finite(who, "dampening", group.get("dampening"))
        check_flag(who, "nesterov", group.get("nesterov"))
        check_flag(who, "maximize", group.get("maximize"))
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(f"{who}: nesterov=True needs momentum > 0 and dampening = 0, "
                             f"got momentum={group['momentum']!r}, "
                             f"dampening={group['dampening']!r}")

    def _state_keys(self, group: dict) -> set[str]:
        return {"momentum_buffer"} if group["momentum"] else set()

    def _update(self, w, g, state, bufs, group):
        d = effective_grad(w, g, bufs[0], group["weight_decay"], group["maximize"])
        momentum = group["momentum"]
        if momentum:
            v = state.get("momentum_buffer")
            if v is None:
                v = state["momentum_buffer"] = d.copy()
            else:
                v *= momentum
                if group["dampening"]:
                    d_scaled = np.multiply(d, 1 - group["dampening"], out=bufs[1])
                    v += d_scaled
                else:
                    v += d
            if group["nesterov"]:
                d = np.add(d, np.multiply(v, momentum, out=bufs[1]), out=bufs[1])
            else:
                d = v
        w -= np.multiply(d, group["lr"], out=bufs[1])


class Momentum(Optimizer):
    r"""The notes' gradient descent with momentum (an exponentially weighted average).

    With ``t`` the step count, ``beta`` the averaging factor and ``alpha`` the
    learning rate ``lr``, starting from ``V_dW = 0``::

        V_dW = beta V_dW + (1 - beta) dW
        W    = W - alpha V_dW                     (bias_correction=False)
        W    = W - alpha V_dW / (1 - beta^t)      (bias_correction=True)

    Unlike ``SGD(momentum=beta)`` the new gradient is weighted by
    ``(1 - beta)``, so ``V_dW`` is an average of recent gradients, the same
    scale as ``dW``. ``weight_decay`` adds ``lambda W`` to ``dW`` first.

    >>> import autograd as ag, optim
    >>> w = ag.Tensor([1.0], requires_grad=True)
    >>> opt = optim.Momentum([w], lr=0.1, beta=0.9, bias_correction=True)
    >>> (w * w).sum().backward()          # dW = 2, V_dW = 0.2, corrected 2
    >>> opt.step()
    >>> w
    Tensor([0.8], requires_grad=True)
    """

    def __init__(self, params: Iterable, lr: float = 0.01, beta: float = 0.9,
                 bias_correction: bool = False, weight_decay: float = 0):
        super().__init__(params, dict(lr=lr, beta=beta, bias_correction=bias_correction,
                                      weight_decay=weight_decay))

    def _check_hyper(self, group: dict) -> None:
        who = type(self).__name__
        check_nonnegative(who, "lr", group.get("lr"))
        check_unit_interval(who, "beta", group.get("beta"))
        check_flag(who, "bias_correction", group.get("bias_correction"))
        check_nonnegative(who, "weight_decay", group.get("weight_decay"))

    def _init_state(self, w, group):
        return {"step": 0, "velocity": np.zeros_like(w)}

    def _state_keys(self, group: dict) -> set[str]:
        return {"step", "velocity"}

    def _update(self, w, g, state, bufs, group):
        d = effective_grad(w, g, bufs[0], group["weight_decay"], False)
        beta = group["beta"]
        state["step"] = t = state["step"] + 1
        v = state["velocity"]
        v *= beta
        v += np.multiply(d, 1 - beta, out=bufs[1])
        lr = group["lr"]
        if group["bias_correction"]:
            lr = lr / (1 - beta ** t)
        w -= np.multiply(v, lr, out=bufs[1])
