"""Adam (momentum and RMSprop together, bias-corrected) and AdamW."""
from __future__ import annotations

import math
from typing import Iterable

import numpy as np

from .optimizer import (Optimizer, check_flag, check_nonnegative, check_unit_interval,
                        effective_grad)


class Adam(Optimizer):
    r"""Adam, step for step as ``torch.optim.Adam``.

    In the notes' notation, with ``alpha`` the learning rate ``lr``,
    ``(beta1, beta2)`` the ``betas``, ``epsilon`` the ``eps`` and ``t`` the
    step count, starting from ``V_dW = S_dW = 0``::

        V_dW = beta1 V_dW + (1 - beta1) dW
        S_dW = beta2 S_dW + (1 - beta2) dW^2
        V_hat = V_dW / (1 - beta1^t),   S_hat = S_dW / (1 - beta2^t)
        W    = W - alpha V_hat / (sqrt(S_hat) + epsilon)

    As PyTorch, ``epsilon`` is added outside the square root and after the
    bias correction. ``weight_decay=lambda`` adds ``lambda W`` to ``dW``
    first (an L2 penalty that then goes through the averages; see ``AdamW``
    for the decoupled form). ``amsgrad=True`` divides by the running maximum
    of ``S_dW`` instead of ``S_dW`` itself; ``maximize=True`` ascends.

    >>> import autograd as ag, optim
    >>> w = ag.Tensor([1.0, -2.0], requires_grad=True)
    >>> opt = optim.Adam([w], lr=0.1)
    >>> (w * w).sum().backward()          # the first step is alpha * sign(dW)
    >>> opt.step()
    >>> w.tolist()
    [0.9, -1.9]
    """

    #: AdamW's weight decay shrinks W directly instead of adding to dW.
    decoupled_weight_decay = False

    def __init__(self, params: Iterable, lr: float = 1e-3, betas: tuple = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, amsgrad: bool = False,
                 maximize: bool = False):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      amsgrad=amsgrad, maximize=maximize))

    def _check_hyper(self, group: dict) -> None:
        who = type(self).__name__
        for name in ("lr", "eps", "weight_decay"):
            check_nonnegative(who, name, group.get(name))
        betas = group.get("betas")
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"{who}: invalid betas {betas!r}: expected a pair (beta1, beta2)")
        check_unit_interval(who, "betas[0] (beta1)", betas[0])
        check_unit_interval(who, "betas[1] (beta2)", betas[1])
        check_flag(who, "amsgrad", group.get("amsgrad"))
        check_flag(who, "maximize", group.get("maximize"))

    def _state_keys(self, group: dict) -> set[str]:
        keys = {"step", "exp_avg", "exp_avg_sq"}
        return keys | {"max_exp_avg_sq"} if group["amsgrad"] else keys

    def _init_state(self, w, group):
        return {k: 0 if k == "step" else np.zeros_like(w) for k in self._state_keys(group)}

    def _update(self, w, g, state, bufs, group):
        lr, wd = group["lr"], group["weight_decay"]
        if self.decoupled_weight_decay:
            if wd:
                w *= 1 - lr * wd
            wd = 0
        d = effective_grad(w, g, bufs[0], wd, group["maximize"])
        beta1, beta2 = group["betas"]
        state["step"] = t = state["step"] + 1
        b, m, v = bufs[1], state["exp_avg"], state["exp_avg_sq"]
        m += np.multiply(np.subtract(d, m, out=b), 1 - beta1, out=b)   # PyTorch's lerp
        v *= beta2
        v += np.multiply(np.multiply(d, 1 - beta2, out=b), d, out=b)
        if group["amsgrad"]:
            v = np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
        # alpha/bc1 * m / (sqrt(v)/sqrt(bc2) + eps), with sqrt(bc2) moved into the
        # numerator: one array op fewer per parameter, same value up to rounding.
        bc2_sqrt = math.sqrt(1 - beta2 ** t)
        np.sqrt(v, out=b)
        b += group["eps"] * bc2_sqrt
        np.divide(m, b, out=b)
        b *= lr * bc2_sqrt / (1 - beta1 ** t)
        w -= b


class AdamW(Adam):
    r"""Adam with decoupled weight decay, step for step as ``torch.optim.AdamW``.

    Before the Adam step (see ``Adam``) the weights shrink directly,
    ``W = W - alpha lambda W``, instead of ``lambda W`` being added to
    ``dW``; so the decay is not rescaled by ``sqrt(S_hat)``.
    ``weight_decay`` (``lambda``) defaults to 0.01, as PyTorch.

    >>> import autograd as ag, optim
    >>> w = ag.Tensor([1.0], requires_grad=True)
    >>> opt = optim.AdamW([w], lr=0.1, weight_decay=0.5)
    >>> w.grad = ag.Tensor([0.0])         # no gradient step: only the decay acts
    >>> opt.step()
    >>> w
    Tensor([0.95], requires_grad=True)
    """

    decoupled_weight_decay = True

    def __init__(self, params: Iterable, lr: float = 1e-3, betas: tuple = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2, amsgrad: bool = False,
                 maximize: bool = False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         amsgrad=amsgrad, maximize=maximize)
