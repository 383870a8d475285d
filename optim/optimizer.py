"""The ``Optimizer`` base class: parameter groups, per-parameter state, checkpoints.

Subclasses only say how one parameter's array moves (``_update``), what state it
keeps (``_init_state`` / ``_state_keys``) and which hyperparameters are valid
(``_check_hyper``). The base class owns the loop, the grad-mode switch and the
``state_dict`` format, which is ``torch.optim``'s: parameters are referred to by
their position across all groups.
"""
from __future__ import annotations

import math
import numbers
from collections import defaultdict
from typing import Any, Callable, Iterable

import numpy as np

from autograd import Tensor, enable_grad, no_grad


# -- hyperparameter checks (shared by every optimizer) -------------------------
def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_nonnegative(who: str, name: str, value) -> None:
    """Raise ValueError unless ``value`` is a real number >= 0 (NaN fails too)."""
    if not _is_number(value) or not value >= 0 or math.isinf(value):
        raise ValueError(f"{who}: invalid {name} {value!r}: expected a finite number >= 0")


def check_finite(who: str, name: str, value) -> None:
    if not _is_number(value) or not math.isfinite(value):
        raise ValueError(f"{who}: invalid {name} {value!r}: expected a finite number")


def check_unit_interval(who: str, name: str, value) -> None:
    """Raise ValueError unless ``0 <= value < 1``, as betas and averaging factors must be."""
    if not _is_number(value) or not 0 <= value < 1:
        raise ValueError(f"{who}: invalid {name} {value!r}: expected a number in [0, 1)")


def check_flag(who: str, name: str, value) -> None:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{who}: invalid {name} {value!r}: expected True or False")


# -- parameter lists ------------------------------------------------------------
def _as_group_list(who: str, params) -> list[dict]:
    """Normalise ``params`` (Tensors, or dicts with a 'params' entry) to a list of dicts."""
    if isinstance(params, (Tensor, dict)):
        raise TypeError(f"{who}: params must be an iterable of Tensors or of dicts "
                        f"(param groups), got a single {type(params).__name__}; "
                        "wrap it in a list")
    params = list(params)
    if not params:
        raise ValueError(f"{who}: got an empty parameter list (params=[])")
    if all(isinstance(p, dict) for p in params):
        return [dict(g) for g in params]
    if any(isinstance(p, dict) for p in params):
        raise TypeError(f"{who}: params mixes Tensors and dicts; give either Tensors "
                        "or param-group dicts")
    return [{"params": params}]


def _check_param(who: str, p, where: str) -> None:
    if not isinstance(p, Tensor):
        raise TypeError(f"{who}: {where} is a {type(p).__name__}, not a Tensor")
    if not p.is_leaf:
        raise ValueError(f"{who}: {where} is not a leaf (it was made by op "
                         f"'{p.grad_fn.name}'); optimize the leaf tensors it came from")
    if p.dtype.kind != "f":
        raise ValueError(f"{who}: {where} has dtype {p.dtype}; only floating-point "
                         "tensors can be optimized")


class Optimizer:
    """Base class: holds ``param_groups`` and ``state`` and runs ``step()``.

    ``params`` is an iterable of Tensors, or of dicts (param groups) each with
    a ``'params'`` list and any hyperparameters that override ``defaults``.

    >>> import autograd as ag, optim
    >>> w = ag.Tensor([1.0, 2.0], requires_grad=True)
    >>> b = ag.Tensor([0.5], requires_grad=True)
    >>> opt = optim.SGD([{"params": [w]}, {"params": [b], "lr": 0.5}], lr=0.1)
    >>> [g["lr"] for g in opt.param_groups]
    [0.1, 0.5]
    """

    def __init__(self, params: Iterable, defaults: dict[str, Any]):
        who = type(self).__name__
        self._check_hyper(defaults)
        groups = _as_group_list(who, params)
        seen: set[int] = set()
        built = [self._build_group(g, seen, defaults) for g in groups]
        self.defaults = dict(defaults)
        self.param_groups: list[dict] = built
        # A defaultdict, as torch's: opt.state[p] is {} for a parameter not yet stepped.
        self.state: dict[Tensor, dict] = defaultdict(dict)
        self._scratch: dict[Tensor, tuple] = {}

    # -- groups ---------------------------------------------------------------
    def _build_group(self, group: dict, seen: set[int], defaults: dict | None = None) -> dict:
        """Validate one group, fill in defaults; add its parameters' ids to ``seen``."""
        who = type(self).__name__
        if "params" not in group:
            raise ValueError(f"{who}: a param group needs a 'params' entry, got keys "
                             f"{sorted(group)}")
        params = group["params"]
        params = [params] if isinstance(params, Tensor) else list(params)
        if not params:
            raise ValueError(f"{who}: param group {len(seen)} has an empty 'params' list")
        ids = set()
        for i, p in enumerate(params):
            _check_param(who, p, f"parameter {i} of a param group")
            if id(p) in seen or id(p) in ids:
                raise ValueError(f"{who}: parameter {i} (shape {p.shape}) appears more than "
                                 "once in the parameter list (duplicated parameter)")
            ids.add(id(p))
        full = {**(self.defaults if defaults is None else defaults), **group, "params": params}
        self._check_hyper(full)
        seen.update(ids)
        return full

    def add_param_group(self, param_group: dict) -> None:
        """Add a group (a dict with 'params'), e.g. to train new layers with their own lr."""
        if not isinstance(param_group, dict):
            raise TypeError(f"{type(self).__name__}.add_param_group: expected a dict, "
                            f"got {type(param_group).__name__}")
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        self.param_groups.append(self._build_group(dict(param_group), seen))

    def _check_hyper(self, group: dict) -> None:
        """Raise ValueError for an invalid hyperparameter of ``group`` (subclasses)."""
        check_nonnegative(type(self).__name__, "lr", group.get("lr"))

    # -- the update -------------------------------------------------------------
    def _init_state(self, w: np.ndarray, group: dict) -> dict:
        """Fresh state for a parameter whose array is ``w`` (on its first step)."""
        return {}

    def _state_keys(self, group: dict) -> set[str]:
        """The keys a parameter's state has after a step with ``group``'s settings."""
        return set()

    def _update(self, w: np.ndarray, g: np.ndarray, state: dict, bufs: tuple,
                group: dict) -> None:
        """Move ``w`` in place given its gradient ``g`` (subclasses)."""
        raise NotImplementedError

    def step(self, closure: Callable[[], Any] | None = None):
        """Update every parameter that has a ``.grad``, in place, recording no graph.

        Parameters that require no grad (frozen, e.g. by ``module.requires_grad_(False)``)
        are skipped, even if a ``.grad`` from before they were frozen is still there.
        ``closure`` (optional) re-evaluates the model and returns the loss,
        which ``step`` returns.
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        self._check_grads()
        state, scratch = self.state, self._scratch
        with no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    g = p.grad
                    if g is None or not p.requires_grad:
                        continue
                    w = p.data
                    st = state.get(p)
                    if not st:
                        st = state[p] = self._init_state(w, group)
                    bufs = scratch.get(p)
                    if bufs is None or bufs[0].shape != w.shape or bufs[0].dtype != w.dtype:
                        bufs = scratch[p] = (np.empty_like(w), np.empty_like(w))
                    self._update(w, g.data, st, bufs, group)
                    _mark_changed(p, "optimizer step", _nothing)
        return loss

    def _check_grads(self) -> None:
        """Refuse, before anything moves, a gradient whose shape is not its parameter's."""
        for i, group in enumerate(self.param_groups):
            for j, p in enumerate(group["params"]):
                g = p.grad
                if g is not None and g.data.shape != p.data.shape:
                    raise ValueError(
                        f"{type(self).__name__}.step: parameter {j} of param group {i} has "
                        f"shape {p.shape} but its .grad has shape {g.shape}")

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear gradients: drop them (default, as PyTorch) or fill them with zeros.

        >>> import autograd as ag, optim
        >>> w = ag.Tensor([1.0], requires_grad=True)
        >>> opt = optim.SGD([w], lr=0.1)
        >>> (2 * w).sum().backward(); opt.zero_grad(); w.grad is None
        True
        """
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none:
                    p.grad = None
                elif p.grad is not None:
                    p.grad.data.fill(0)

    # -- checkpoints --------------------------------------------------------------
    def _all_params(self) -> list[Tensor]:
        return [p for g in self.param_groups for p in g["params"]]

    def state_dict(self) -> dict:
        """A snapshot ``{'state': {index: {...}}, 'param_groups': [...]}`` (arrays copied).

        >>> import autograd as ag, optim
        >>> w = ag.Tensor([1.0], requires_grad=True)
        >>> opt = optim.SGD([w], lr=0.1, momentum=0.9)
        >>> sd = opt.state_dict()
        >>> sd["param_groups"][0]["params"], sd["state"]
        ([0], {})
        """
        index = {id(p): i for i, p in enumerate(self._all_params())}
        groups = [{**{k: v for k, v in g.items() if k != "params"},
                   "params": [index[id(p)] for p in g["params"]]} for g in self.param_groups]
        state = {index[id(p)]: {k: _copy(v) for k, v in s.items()}
                 for p, s in self.state.items() if s and id(p) in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        """Resume from ``state_dict()``'s output; copies every array it takes.

        Raises ValueError, changing nothing, when the dict does not fit this
        optimizer's groups, parameters or shapes.

        >>> import numpy as np, autograd as ag, optim
        >>> w = ag.Tensor(np.array([1.0]), requires_grad=True)
        >>> opt = optim.Adam([w], lr=0.1)
        >>> w.grad = ag.Tensor(np.array([0.5])); opt.step()
        >>> resumed = optim.Adam([w], lr=0.1)
        >>> resumed.load_state_dict(opt.state_dict())
        >>> resumed.state[w]["step"], resumed.state[w]["exp_avg"] is opt.state[w]["exp_avg"]
        (1, False)
        """
        who = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state_dict, dict) or set(state_dict) != {"state", "param_groups"}:
            raise ValueError(f"{who}: expected a dict with keys 'state' and 'param_groups'")
        saved = list(state_dict["param_groups"])
        if len(saved) != len(self.param_groups):
            raise ValueError(f"{who}: the state dict has {len(saved)} param groups, "
                             f"this optimizer has {len(self.param_groups)}")
        groups, id_map = [], {}
        for i, (old, new) in enumerate(zip(self.param_groups, saved)):
            groups.append(self._restored_group(who, i, old, new, id_map))
        group_of = {id(p): g for g in groups for p in g["params"]}
        state = defaultdict(dict)
        for key, entry in dict(state_dict["state"]).items():
            if key not in id_map:
                raise ValueError(f"{who}: state for parameter index {key!r}, which no "
                                 "param group lists")
            p = id_map[key]
            state[p] = self._restored_state(who, key, p, entry, group_of[id(p)])
        self.param_groups = groups
        self.state = state

    def _restored_group(self, who, i, old: dict, new: dict, id_map: dict) -> dict:
        indices = list(new.get("params", ()))
        if len(indices) != len(old["params"]):
            raise ValueError(f"{who}: param group {i} has {len(indices)} parameters in the "
                             f"state dict but {len(old['params'])} here")
        missing = sorted(set(self.defaults) - set(new))
        if missing:
            raise ValueError(f"{who}: param group {i} lacks hyperparameters {missing}")
        group = {**{k: v for k, v in new.items() if k != "params"},
                 "params": list(old["params"])}
        try:
            self._check_hyper(group)
        except ValueError as err:
            raise ValueError(f"{who}: param group {i}: {err}") from None
        id_map.update(zip(indices, old["params"]))
        return group

    def _restored_state(self, who, key, p: Tensor, entry, group: dict) -> dict:
        expected = self._state_keys(group)
        if not isinstance(entry, dict) or (entry and set(entry) != expected):
            got = sorted(entry) if isinstance(entry, dict) else type(entry).__name__
            raise ValueError(f"{who}: state of parameter {key} has keys {got}, expected "
                             f"{sorted(expected)} for these hyperparameters")
        out = {}
        for k, v in entry.items():
            if k == "step":
                if not _is_number(v) or v != int(v) or v < 0:
                    raise ValueError(f"{who}: state of parameter {key}: invalid step {v!r}")
                out[k] = int(v)
                continue
            arr = np.asarray(v.data if isinstance(v, Tensor) else v)
            if arr.shape != p.shape:
                raise ValueError(f"{who}: state '{k}' of parameter {key} has shape "
                                 f"{arr.shape}, the parameter has shape {p.shape}")
            out[k] = np.array(arr, dtype=p.dtype, copy=True)
        return out

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, g in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(g.items()) if k != "params"]
        return "\n".join(lines + [")"])


# The array was changed with NumPy ops on ``p.data`` (no temporaries, no checks);
# this records the change the engine's way (a new version), so that a graph that
# saved the old array refuses to backpropagate through it. ``Tensor.sub_`` would do
# the same but checks broadcasting on every call, several times the cost of a step.
_mark_changed = Tensor._inplace


def _nothing(_):
    return None


def _copy(value):
    return value.copy() if isinstance(value, np.ndarray) else value


def effective_grad(w: np.ndarray, g: np.ndarray, out: np.ndarray, weight_decay: float,
                   maximize: bool) -> np.ndarray:
    """PyTorch's ``grad = -g if maximize else g; grad += weight_decay * w`` (L2 penalty).

    Returns ``g`` itself when neither applies, else ``out`` holding the result.
    """
    if weight_decay:
        np.multiply(w, weight_decay, out=out)
        return np.subtract(out, g, out=out) if maximize else np.add(g, out, out=out)
    if maximize:
        return np.negative(g, out=out)
    return g
