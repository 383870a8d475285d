"""Module and Parameter (the containers Sequential and ModuleList are in container.py).

A module finds its parameters from its attributes: assigning a ``Parameter``,
a buffer or another ``Module`` to ``self.x`` registers it under the name
``x``, so ``named_parameters()`` gives PyTorch's dotted names
(``fc.weight``, ``0.bias``) and a state dict maps one to one onto the same
PyTorch model.
"""
from __future__ import annotations

from collections import OrderedDict, namedtuple
from typing import Iterator

import numpy as np

from autograd import Tensor, no_grad
from autograd.mode import _state

from .hooks import HooksMixin, call_with_hooks


class Parameter(Tensor):
    """A Tensor that is a module's learnable weight: it requires grad by default.

    >>> import numpy as np, nn
    >>> p = nn.Parameter(np.zeros(3, dtype=np.float32))
    >>> p.requires_grad, p.is_leaf
    (True, True)
    """

    __slots__ = ()

    def __init__(self, data, requires_grad: bool = True):
        if isinstance(data, Tensor):
            data = data.data
        super().__init__(data, requires_grad=requires_grad)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()


IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])
IncompatibleKeys.__doc__ = """What ``load_state_dict(..., strict=False)`` skipped: keys the
model has but the state dict lacks, and keys the state dict has but the model lacks.

>>> import numpy as np, nn
>>> state = {"weight": np.zeros((2, 3)), "scale": np.ones(1)}
>>> nn.Linear(3, 2).load_state_dict(state, strict=False)
IncompatibleKeys(missing_keys=['bias'], unexpected_keys=['scale'])
"""


def _modules_in_list(value) -> bool:
    return (isinstance(value, (list, tuple)) and len(value) > 0
            and all(isinstance(v, Module) for v in value))


class Module(HooksMixin):
    """Base class of every layer and model: subclass it, assign layers and
    parameters as attributes in ``__init__``, and define ``forward``.

    >>> import nn
    >>> class Net(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.fc = nn.Linear(3, 2)
    ...     def forward(self, x):
    ...         return self.fc(x).relu()
    >>> net = Net()
    >>> [name for name, _ in net.named_parameters()]
    ['fc.weight', 'fc.bias']
    >>> net
    Net(
      (fc): Linear(in_features=3, out_features=2, bias=True)
    )
    """

    def __init__(self):
        d = self.__dict__
        d["_parameters"] = OrderedDict()
        d["_buffers"] = OrderedDict()
        d["_non_persistent"] = set()
        d["_modules"] = OrderedDict()
        d["training"] = True
        # The frame this module pushes on the scope stack when called: its attribute
        # name in the parent ('' for a root) and its class name (viz clusters by it).
        d["_frame"] = ("", type(self).__name__)

    @property
    def _name(self) -> str:
        """The attribute name the parent registered this module under ('' for a root)."""
        return self._frame[0]

    # -- calling ------------------------------------------------------------
    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} has no forward() method")

    def __call__(self, *args, **kwargs):
        # Same effect as ``with ag.scope(name, kind)``, without making a context object
        # per call: this runs once per layer per step.
        if self._has_hooks:
            return call_with_hooks(self, args, kwargs)
        st = _state
        prev = st.scope
        st.scope = prev + (self._frame,)
        try:
            return self.forward(*args, **kwargs)
        finally:
            st.scope = prev

    # -- registration -------------------------------------------------------
    def __setattr__(self, name: str, value) -> None:
        d = self.__dict__
        if "_parameters" not in d:
            raise AttributeError(
                f"{type(self).__name__}: call super().__init__() before assigning attributes")
        params, buffers, modules = d["_parameters"], d["_buffers"], d["_modules"]
        if isinstance(value, Parameter):
            self._forget(name, keep=params)
            params[name] = value
        elif isinstance(value, Module):
            self._forget(name, keep=modules)
            modules[name] = value
            value.__dict__["_frame"] = (name, type(value).__name__)
        elif name in params:
            if value is not None:
                raise TypeError(f"{type(self).__name__}.{name} is a parameter: assign an "
                                f"nn.Parameter or None, not {type(value).__name__}")
            params[name] = None
        elif name in buffers:
            buffers[name] = self._as_buffer(name, value)
            value = buffers[name]
        elif name in modules:
            if value is not None:
                raise TypeError(f"{type(self).__name__}.{name} is a submodule: assign an "
                                f"nn.Module or None, not {type(value).__name__}")
            modules[name] = None
        elif _modules_in_list(value):
            raise TypeError(
                f"{type(self).__name__}.{name}: a plain {type(value).__name__} of modules "
                "hides their parameters; wrap it in nn.ModuleList(...) or nn.Sequential(...)")
        # Also kept in __dict__ so that reading self.weight in forward is a plain lookup.
        d[name] = value

    def __delattr__(self, name: str) -> None:
        self._forget(name)
        object.__delattr__(self, name)

    def _forget(self, name: str, keep=None) -> None:
        """Unregister ``name`` (except from ``keep``, where a reassignment replaces the
        entry in place, so the order of parameters does not change)."""
        for registry in (self._parameters, self._buffers, self._modules):
            if registry is not keep:
                registry.pop(name, None)
        self._non_persistent.discard(name)

    def _as_buffer(self, name, value):
        if value is None or isinstance(value, Tensor):
            return value
        if isinstance(value, np.ndarray):
            return Tensor(value)
        raise TypeError(f"{type(self).__name__}: buffer '{name}' must be a Tensor, an "
                        f"ndarray or None, not {type(value).__name__}")

    def register_buffer(self, name: str, tensor, persistent: bool = True) -> None:
        """Register state that is saved in ``state_dict()`` but is not learned
        (batch norm's running statistics). It is not in ``parameters()``."""
        if "." in name or not name:
            raise KeyError(f"register_buffer: bad buffer name {name!r}")
        if name in self.__dict__ and name not in self._buffers:
            raise KeyError(f"register_buffer: attribute {name!r} already exists")
        self._forget(name)
        self._buffers[name] = self._as_buffer(name, tensor)
        if not persistent:
            self._non_persistent.add(name)
        self.__dict__[name] = self._buffers[name]

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"register_parameter: {name!r} must be an nn.Parameter or None")
        self._forget(name)
        self._parameters[name] = param
        self.__dict__[name] = param

    def add_module(self, name: str, module: Module | None) -> None:
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"add_module: {name!r} must be an nn.Module, "
                            f"not {type(module).__name__}")
        if module is None:
            self._forget(name)
            self._modules[name] = None
            self.__dict__[name] = None
        else:
            setattr(self, name, module)

    # -- traversal ----------------------------------------------------------
    def named_modules(self, memo: set | None = None, prefix: str = "",
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Module]]:
        """This module and every submodule, depth first, with dotted names ('' for self)."""
        memo = set() if memo is None else memo
        if remove_duplicate:
            if id(self) in memo:
                return
            memo.add(id(self))
        yield prefix, self
        for name, child in self._modules.items():
            if child is None:
                continue
            sub = f"{prefix}.{name}" if prefix else name
            yield from child.named_modules(memo, sub, remove_duplicate)

    def modules(self) -> Iterator[Module]:
        return iter(self._walk())

    def _walk(self) -> list:
        """Every distinct module, self first, depth first (named_modules' order), with
        an explicit stack: zero_grad and train run this every step."""
        out, seen, stack = [], set(), [self]
        while stack:
            m = stack.pop()
            if id(m) in seen:
                continue
            seen.add(id(m))
            out.append(m)
            stack.extend(c for c in reversed(m._modules.values()) if c is not None)
        return out

    def named_children(self) -> Iterator[tuple[str, Module]]:
        seen = set()
        for name, child in self._modules.items():
            if child is not None and id(child) not in seen:
                seen.add(id(child))
                yield name, child

    def children(self) -> Iterator[Module]:
        for _, child in self.named_children():
            yield child

    def _named_members(self, registry: str, prefix: str, recurse: bool):
        seen = set()
        mods = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for mod_prefix, mod in mods:
            for name, value in getattr(mod, registry).items():
                if value is None or id(value) in seen:
                    continue
                seen.add(id(value))
                yield (f"{mod_prefix}.{name}" if mod_prefix else name), value

    def named_parameters(self, prefix: str = "", recurse: bool = True
                         ) -> Iterator[tuple[str, Parameter]]:
        """(dotted name, Parameter) pairs, each shared parameter once, as PyTorch."""
        return self._named_members("_parameters", prefix, recurse)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix: str = "", recurse: bool = True
                      ) -> Iterator[tuple[str, Tensor]]:
        return self._named_members("_buffers", prefix, recurse)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def apply(self, fn) -> Module:
        """Call ``fn(module)`` on every submodule (children first) and on self."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    # -- modes and gradients ------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        """Set training mode (dropout active, batch norm uses batch statistics) on
        this module and every submodule; ``eval()`` is ``train(False)``."""
        if not isinstance(mode, bool):
            raise TypeError(f"train(mode): mode must be a bool, got {type(mode).__name__}")
        for m in self.modules():
            m.__dict__["training"] = mode
        return self

    def eval(self) -> Module:
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Freeze (``False``) or unfreeze every parameter; returns the module.

        >>> import nn
        >>> net = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
        >>> _ = net[0].requires_grad_(False)
        >>> [p.requires_grad for p in net.parameters()]
        [False, False, True, True]
        """
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget every parameter's gradient (``.grad = None``, PyTorch's default)."""
        for m in self._walk():
            for p in m._parameters.values():
                if p is None or p.grad is None:
                    continue
                p.grad = None if set_to_none else Tensor(np.zeros_like(p.grad.data))

    # -- dtype --------------------------------------------------------------
    def to(self, dtype) -> Module:
        """Convert parameters and floating-point buffers to ``dtype`` in place
        (the same Parameter objects get new arrays; gradients are dropped).
        ``to("cpu")`` is accepted and changes nothing: NumPy has one device."""
        if isinstance(dtype, str) and dtype == "cpu":
            return self
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"{type(self).__name__}.to: expected a floating dtype, got {dtype}")
        for p in self.parameters():
            p.data = p.data.astype(dtype)
            p.grad = None
        for b in self.buffers():
            if b.data.dtype.kind == "f":
                b.data = b.data.astype(dtype)
        return self

    def double(self) -> Module:
        return self.to(np.float64)

    def float(self) -> Module:
        return self.to(np.float32)

    # -- state dict ---------------------------------------------------------
    def _state_tensors(self) -> OrderedDict:
        """name -> the live Tensor, in PyTorch's order (each module's parameters, then
        its buffers, then its children's)."""
        out = OrderedDict()
        for prefix, mod in self.named_modules(remove_duplicate=False):
            dot = f"{prefix}." if prefix else ""
            for name, p in mod._parameters.items():
                if p is not None:
                    out[dot + name] = p
            for name, b in mod._buffers.items():
                if b is not None and name not in mod._non_persistent:
                    out[dot + name] = b
        return out

    def state_dict(self) -> OrderedDict:
        """Ordered name -> ndarray copy of every parameter and persistent buffer.

        >>> import nn
        >>> sd = nn.Sequential(nn.Linear(3, 2)).state_dict()
        >>> [(k, v.shape) for k, v in sd.items()]
        [('0.weight', (2, 3)), ('0.bias', (2,))]
        """
        return OrderedDict((k, t.data.copy()) for k, t in self._state_tensors().items())

    def load_state_dict(self, state_dict, strict: bool = True) -> IncompatibleKeys:
        """Copy arrays (or Tensors) into the parameters and buffers, cast to each
        one's dtype. Everything is checked first: missing and unexpected keys
        (when ``strict``) and every shape mismatch are reported in one error, and
        a failed load changes nothing. Returns ``(missing_keys, unexpected_keys)``.
        """
        targets = self._state_tensors()
        missing = [k for k in targets if k not in state_dict]
        unexpected = [k for k in state_dict if k not in targets]
        problems, values = [], {}
        for key, target in targets.items():
            if key not in state_dict:
                continue
            value = state_dict[key]
            arr = value.data if isinstance(value, Tensor) else np.asarray(value)
            if arr.dtype.kind not in "biuf":
                problems.append(f"'{key}': expected numbers, got dtype {arr.dtype}")
            elif arr.shape != target.data.shape:
                problems.append(f"'{key}': shape {arr.shape} in the state dict, "
                                f"{target.data.shape} in the model")
            else:
                values[key] = arr.astype(target.data.dtype, copy=False)
        if strict:
            if unexpected:
                problems.insert(0, "unexpected keys: " + ", ".join(map(repr, unexpected)))
            if missing:
                problems.insert(0, "missing keys: " + ", ".join(map(repr, missing)))
        if problems:
            raise ValueError(f"{type(self).__name__}.load_state_dict: nothing was loaded; "
                             + "; ".join(problems))
        with no_grad():
            for key, arr in values.items():
                targets[key].copy_(arr)
        return IncompatibleKeys(missing, unexpected)

    # -- printing -----------------------------------------------------------
    def extra_repr(self) -> str:
        """The text inside this module's parentheses (layers override it)."""
        return ""

    def __repr__(self):
        lines = []
        for name, child in self._modules.items():
            body = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name}): {body}")
        extra = self.extra_repr()
        if not lines:
            return f"{type(self).__name__}({extra})"
        head = f"{type(self).__name__}(" + (f"\n  {extra}" if extra else "")
        return head + "\n" + "\n".join(lines) + "\n)"


# The containers live in container.py; importing them here keeps
# ``from nn.module import Sequential`` working.
from .container import ModuleList, Sequential  # noqa: E402,F401
