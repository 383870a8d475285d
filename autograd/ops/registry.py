"""One declaration per op: its function, its Tensor method, its ``__all__`` entry and
its row in ``docs/ops.md`` all come from the ``@op`` decorator on the public function.

    @op("elementwise")
    def exp(x):
        '''``e ** x``; backward reuses the output: ``g * exp(x)``.'''
        return Exp.apply1(x)

gives ``autograd.exp`` and ``t.exp()``. ``method="name"`` names the method
differently, a tuple gives several, ``method=False`` none. ``aliases`` are
further names for both (``clamp`` for ``clip``). ``spellings=True`` lets the
function take PyTorch's ``dim``/``keepdim`` beside NumPy's ``axis``/``keepdims``
(giving both is a TypeError, and so is an unknown keyword, naming what is
accepted). The primitive (an ``Op`` subclass) sits beside the function in the
same module; the first line of the function's docstring is its formula in
the generated docs.
"""
from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass

# PyTorch's spelling -> NumPy's
_SPELLINGS = {"dim": "axis", "keepdim": "keepdims", "dim0": "axis1", "dim1": "axis2"}


@dataclass
class Declaration:
    name: str
    fn: object
    family: str
    methods: tuple
    aliases: tuple = ()
    module: str = ""

    @property
    def summary(self) -> str:
        doc = inspect.getdoc(self.fn) or ""
        return " ".join(doc.split("\n\n")[0].split())


DECLARED: dict[str, Declaration] = {}  # name -> declaration, in declaration order
_PUBLIC: dict[str, object] = {}        # every public name (aliases too) -> function
_METHODS: dict[str, object] = {}       # Tensor method name -> function


def op(family: str, method=True, aliases=(), spellings=False):
    """Declare a public op function (see the module's docstring)."""
    def declare(fn):
        name = fn.__name__
        public = _respelled(fn) if spellings else fn
        if method is True:
            methods = (name,) + tuple(aliases)
        elif method:
            methods = (method,) if isinstance(method, str) else tuple(method)
        else:
            methods = ()
        if name in DECLARED:
            raise RuntimeError(f"op {name!r} is declared twice "
                               f"({DECLARED[name].module} and {fn.__module__})")
        DECLARED[name] = Declaration(name, public, family, methods, tuple(aliases),
                                     fn.__module__)
        for n in (name,) + tuple(aliases):
            _PUBLIC[n] = public
        for m in methods:
            if m in _METHODS and _METHODS[m] is not public:
                raise RuntimeError(f"Tensor method {m!r} is declared twice")
            _METHODS[m] = public
        return public
    return declare


def _respelled(fn):
    """``fn`` taking ``dim``/``keepdim`` as well as ``axis``/``keepdims``."""
    params = inspect.signature(fn).parameters
    accepted = [p for p in params if params[p].kind in
                (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)][1:]
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    name = fn.__name__

    @functools.wraps(fn)
    def call(*args, **kwargs):
        if kwargs:
            kwargs = respell(name, kwargs, accepted, takes_any)
        return fn(*args, **kwargs)
    return call


def respell(name: str, kwargs: dict, accepted, takes_any=False) -> dict:
    """PyTorch's keyword spellings turned into NumPy's, with clear errors."""
    out = {}
    for key, value in kwargs.items():
        numpy_key = _SPELLINGS.get(key, key)
        if numpy_key in out or (numpy_key != key and numpy_key in kwargs):
            raise TypeError(f"{name}: got both {numpy_key!r} and {key!r}; pass one of them")
        if numpy_key not in accepted and not takes_any:
            spelled = ", ".join(
                f"{a} (or {k})" if (k := _pytorch_name(a)) else a for a in accepted)
            raise TypeError(f"{name}: unexpected keyword argument {key!r}; "
                            f"it takes {spelled or 'no keyword arguments'}")
        out[numpy_key] = value
    return out


def _pytorch_name(numpy_key):
    for torch_key, np_key in _SPELLINGS.items():
        if np_key == numpy_key:
            return torch_key
    return None


def public_functions() -> dict:
    """Every declared public name (aliases included) -> its function."""
    return dict(_PUBLIC)


def install_methods(cls) -> None:
    """Give ``cls`` (the Tensor) a method per declaration (the function itself: a
    function is a descriptor, so ``t.exp()`` is ``exp(t)`` with no extra call). A
    hand-written method of the same name is a clash and raises."""
    for m, fn in _METHODS.items():
        existing = cls.__dict__.get(m)
        if existing is not None and existing is not fn:
            raise RuntimeError(f"Tensor.{m} is both hand-written and declared as an op")
        setattr(cls, m, fn)
