"""Learning-rate schedules, with ``torch.optim.lr_scheduler``'s ``step()`` protocol.

A scheduler sets every group's ``lr`` from its ``initial_lr`` and the epoch
count ``last_epoch``: construction sets epoch 0; call ``scheduler.step()``
once per epoch, after ``optimizer.step()``. Each rule is written in closed
form, a function of the epoch alone, so ``step(epoch)`` can jump too.
"""
from __future__ import annotations

import math
import numbers

from .optimizer import Optimizer
from .optimizer import _is_number
from .optimizer import check_nonnegative as _check_nonnegative  # a helper, not this module's API


class LRScheduler:
    """Base class: subclasses give ``lr_at(base_lr, epoch)``.

    >>> import autograd as ag, optim
    >>> w = ag.Tensor([1.0], requires_grad=True)
    >>> opt = optim.SGD([w], lr=1.0)
    >>> sched = optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    >>> lrs = []
    >>> for epoch in range(5):
    ...     lrs.append(sched.get_last_lr()[0])
    ...     opt.step()
    ...     sched.step()
    >>> lrs
    [1.0, 1.0, 0.5, 0.5, 0.25]
    """

    # How load_state_dict checks each setting of the schedule (its constructor's checks).
    _field_checks: dict = {}

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1):
        who = type(self).__name__
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{who}: expected an optim.Optimizer, got "
                            f"{type(optimizer).__name__}")
        if not isinstance(last_epoch, int) or last_epoch < -1:
            raise ValueError(f"{who}: invalid last_epoch {last_epoch!r}: expected an int >= -1")
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            missing = [i for i, g in enumerate(optimizer.param_groups) if "initial_lr" not in g]
            if missing:
                raise ValueError(f"{who}: resuming at last_epoch={last_epoch} needs "
                                 f"'initial_lr' in param groups {missing}")
        self.optimizer = optimizer
        self.base_lrs = [g["initial_lr"] for g in optimizer.param_groups]
        self.last_epoch = last_epoch
        self.step()

    def lr_at(self, base_lr: float, epoch: int) -> float:
        raise NotImplementedError

    def get_lr(self) -> list[float]:
        """The learning rates for ``last_epoch``."""
        return [self.lr_at(base, self.last_epoch) for base in self.base_lrs]

    def get_last_lr(self) -> list[float]:
        """The learning rates the last ``step()`` set, one per param group."""
        return list(self._last_lr)

    def step(self, epoch: int | None = None) -> None:
        """Advance to the next epoch (or to ``epoch``) and set each group's lr."""
        self.last_epoch = self.last_epoch + 1 if epoch is None else int(epoch)
        self._last_lr = self.get_lr()
        for group, lr in zip(self.optimizer.param_groups, self._last_lr):
            group["lr"] = lr

    def state_dict(self) -> dict:
        """Everything but the optimizer (which has its own ``state_dict``)."""
        return {k: (list(v) if isinstance(v, list) else v)
                for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict) -> None:
        """Resume from ``state_dict()``'s output (a part of it updates just those fields).

        Every value is checked first: the epoch an int >= 0, one learning rate
        per param group, each a finite number >= 0, the schedule's settings as
        its constructor wants them, and the learning rates they give finite and
        >= 0. On any error it raises ValueError and changes nothing.

        >>> import autograd as ag, optim
        >>> opt = optim.SGD([ag.Tensor([1.0], requires_grad=True)], lr=0.1)
        >>> sched = optim.lr_scheduler.StepLR(opt, step_size=2)
        >>> sched.load_state_dict({"base_lrs": [-1.0]})
        Traceback (most recent call last):
        ValueError: StepLR.load_state_dict: invalid base_lrs[0] -1.0: expected a finite number >= 0
        >>> sched.base_lrs
        [0.1]
        """
        who = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state_dict, dict):
            raise ValueError(f"{who}: expected a dict from state_dict(), got "
                             f"{type(state_dict).__name__}")
        unknown = [k for k in state_dict if k == "optimizer" or k not in self.__dict__]
        if unknown:
            raise ValueError(f"{who}: unknown keys {unknown}")
        fields = {k: self._checked(who, k, v) for k, v in state_dict.items()}
        trial = object.__new__(type(self))   # the schedule as it would be, to try it
        trial.__dict__.update({**self.__dict__, **fields})
        try:
            lrs = trial.get_lr()
        except (OverflowError, ZeroDivisionError) as err:
            raise ValueError(f"{who}: these settings give no learning rate at epoch "
                             f"{trial.last_epoch} ({err})") from None
        for i, lr in enumerate(lrs):
            if not lr >= 0 or math.isinf(lr):
                raise ValueError(f"{who}: these settings give param group {i} the learning "
                                 f"rate {lr!r} at epoch {trial.last_epoch}; expected a finite "
                                 "number >= 0")
        self.__dict__.update(fields)

    def _checked(self, who: str, key: str, value):
        """``value`` for field ``key``, copied, or ValueError saying what is wrong."""
        if key == "last_epoch":
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
                raise ValueError(f"{who}: invalid last_epoch {value!r}: expected an int >= 0")
            return int(value)
        if key in ("base_lrs", "_last_lr"):
            n = len(self.optimizer.param_groups)
            if not isinstance(value, (list, tuple)) or len(value) != n:
                raise ValueError(f"{who}: {key} must be a list of {n} learning rates (one per "
                                 f"param group), got {value!r}")
            for i, lr in enumerate(value):
                _check_nonnegative(who, f"{key}[{i}]", lr)
            return list(value)
        check = self._field_checks.get(key)
        if check is not None:
            check(who, key, value)
        elif isinstance(getattr(self, key), numbers.Real) and not _is_number(value):
            raise ValueError(f"{who}: invalid {key} {value!r}: expected a number")
        return list(value) if isinstance(value, list) else value


def _check_positive_int(who, name, value):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{who}: invalid {name} {value!r}: expected an int > 0")



class StepLR(LRScheduler):
    """``lr = lr0 * gamma ** (epoch // step_size)``: decay by ``gamma`` every ``step_size``.

    >>> import autograd as ag, optim
    >>> opt = optim.SGD([ag.Tensor([1.0], requires_grad=True)], lr=0.1)
    >>> sched = optim.lr_scheduler.StepLR(opt, step_size=10)
    >>> sched.step(25); sched.get_last_lr()
    [0.001]
    """

    _field_checks = {"step_size": _check_positive_int, "gamma": _check_nonnegative}

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1,
                 last_epoch: int = -1):
        _check_positive_int(type(self).__name__, "step_size", step_size)
        _check_nonnegative(type(self).__name__, "gamma", gamma)
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, epoch):
        return base_lr * self.gamma ** (epoch // self.step_size)


class ExponentialLR(LRScheduler):
    """The notes' exponential decay ``lr = gamma ** epoch * lr0`` (e.g. ``gamma=0.95``).

    >>> import autograd as ag, optim
    >>> opt = optim.SGD([ag.Tensor([1.0], requires_grad=True)], lr=0.2)
    >>> sched = optim.lr_scheduler.ExponentialLR(opt, gamma=0.95)
    >>> sched.step(); sched.get_last_lr()
    [0.19]
    """

    _field_checks = {"gamma": _check_nonnegative}

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1):
        _check_nonnegative(type(self).__name__, "gamma", gamma)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, epoch):
        return base_lr * self.gamma ** epoch


class InverseTimeDecay(LRScheduler):
    """The notes' ``alpha = alpha0 / (1 + decay_rate * epoch)``.

    >>> import autograd as ag, optim
    >>> opt = optim.SGD([ag.Tensor([1.0], requires_grad=True)], lr=0.2)
    >>> sched = optim.lr_scheduler.InverseTimeDecay(opt, decay_rate=1.0)
    >>> sched.step(); sched.get_last_lr()
    [0.1]
    """

    _field_checks = {"decay_rate": _check_nonnegative}

    def __init__(self, optimizer: Optimizer, decay_rate: float, last_epoch: int = -1):
        _check_nonnegative(type(self).__name__, "decay_rate", decay_rate)
        self.decay_rate = decay_rate
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, epoch):
        return base_lr / (1 + self.decay_rate * epoch)


class CosineAnnealingLR(LRScheduler):
    """``lr = eta_min + (lr0 - eta_min) (1 + cos(pi epoch / T_max)) / 2``.

    As PyTorch's, it keeps cycling past ``T_max``: back up to ``lr0`` at
    ``2 T_max``, down again at ``3 T_max``, and so on.

    >>> import autograd as ag, optim
    >>> opt = optim.SGD([ag.Tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10, eta_min=0.0)
    >>> [round(sched.lr_at(1.0, e), 6) for e in (0, 5, 10, 15, 20)]
    [1.0, 0.5, 0.0, 0.5, 1.0]
    """

    _field_checks = {"T_max": _check_positive_int, "eta_min": _check_nonnegative}

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0,
                 last_epoch: int = -1):
        _check_positive_int(type(self).__name__, "T_max", T_max)
        _check_nonnegative(type(self).__name__, "eta_min", eta_min)
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, epoch):
        cos = math.cos(math.pi * epoch / self.T_max)
        return self.eta_min + (base_lr - self.eta_min) * (1 + cos) / 2
