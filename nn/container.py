"""The containers: Sequential (modules called in turn) and ModuleList (a list of
modules whose parameters the parent sees). Children are named '0', '1', ..."""
from __future__ import annotations

from collections import OrderedDict
from typing import Iterator

from .module import Module


class Sequential(Module):
    """Modules called one after the other; children are named '0', '1', ...

    >>> import nn
    >>> net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 1))
    >>> len(net), [n for n, _ in net.named_parameters()][:2]
    (3, ['0.weight', '0.bias'])
    """

    def __init__(self, *modules):
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            for name, m in modules[0].items():
                self.add_module(name, m)
        else:
            for m in modules:
                self.append(m)

    def append(self, module: Module) -> Sequential:
        if not isinstance(module, Module):
            raise TypeError(f"{type(self).__name__}: expected an nn.Module, "
                            f"got {type(module).__name__}")
        self.add_module(str(len(self._modules)), module)
        return self

    def __getitem__(self, idx):
        items = list(self._modules.items())
        if isinstance(idx, slice):
            return _adopt(type(self)(), items[idx])
        return items[_check_index(self, idx, len(items))][1]

    def __setitem__(self, idx: int, module: Module) -> None:
        """Replace the module at ``idx`` (it keeps the name there), e.g. a new head.

        >>> import nn
        >>> net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 10))
        >>> net[-1] = nn.Linear(3, 2); net[2]
        Linear(in_features=3, out_features=2, bias=True)
        """
        if isinstance(idx, slice):
            raise TypeError(f"{type(self).__name__}: assign one module at an int index, "
                            "not a slice")
        if not isinstance(module, Module):
            raise TypeError(f"{type(self).__name__}: expected an nn.Module, "
                            f"got {type(module).__name__}")
        keys = list(self._modules)
        setattr(self, keys[_check_index(self, idx, len(keys))], module)

    def __delitem__(self, idx) -> None:
        """Remove a module (or a slice of them); the rest are renumbered '0', '1', ...
        as PyTorch does, so the state dict's keys follow.

        >>> import nn
        >>> net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 10))
        >>> del net[1]; [n for n, _ in net.named_parameters()]
        ['0.weight', '0.bias', '1.weight', '1.bias']
        """
        keys = list(self._modules)
        doomed = keys[idx] if isinstance(idx, slice) else [keys[_check_index(self, idx,
                                                                             len(keys))]]
        for key in doomed:
            delattr(self, key)
        rest = list(self._modules.values())
        for key in list(self._modules):
            delattr(self, key)
        for i, m in enumerate(rest):
            self.add_module(str(i), m)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def forward(self, x):
        for m in self._modules.values():
            x = m(x)
        return x


def _adopt(container: Module, items) -> Module:
    """Fill a new container with (name, module) pairs without renaming the modules'
    scope frames: a slice is a view for the caller, the modules stay where they are."""
    for name, m in items:
        container._modules[name] = m
        container.__dict__[name] = m
    return container


def _check_index(container, idx, n) -> int:
    idx = int(idx)
    if not -n <= idx < n:
        raise IndexError(f"{type(container).__name__}: index {idx} out of range "
                         f"for {n} modules")
    return idx % n


class ModuleList(Module):
    """A list of modules whose parameters the parent module sees.

    >>> import nn
    >>> layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    >>> len(layers), [n for n, _ in layers.named_parameters()][-1]
    (3, '2.bias')
    """

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def append(self, module: Module) -> ModuleList:
        if not isinstance(module, Module):
            raise TypeError(f"ModuleList: expected an nn.Module, got {type(module).__name__}")
        self.add_module(str(len(self._modules)), module)
        return self

    def extend(self, modules) -> ModuleList:
        for m in modules:
            self.append(m)
        return self

    def __getitem__(self, idx):
        values = list(self._modules.values())
        if isinstance(idx, slice):
            return _adopt(ModuleList(), [(str(i), m) for i, m in enumerate(values[idx])])
        return values[_check_index(self, idx, len(values))]

    def __setitem__(self, idx, module: Module) -> None:
        idx = _check_index(self, idx, len(self._modules))
        if not isinstance(module, Module):
            raise TypeError(f"ModuleList: expected an nn.Module, got {type(module).__name__}")
        setattr(self, str(idx), module)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())
