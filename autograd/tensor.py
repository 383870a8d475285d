"""The Tensor: one NumPy array, plus the graph node that made it.

It holds no derivative formulas: its operators are one-line calls to the op
functions in ``autograd.ops``.
"""
from __future__ import annotations

import weakref

import numpy as np

from .mode import _state

_new = object.__new__
_FLOAT_DEFAULT = np.float32
# The in-place clock: each in-place op stamps its tensor's _version with a new
# tick. A node that saved arrays records the clock; if it has not moved by
# backward time, nothing it saved can have changed (one int comparison).
inplace_clock = [0]
# The last tick at which memory was changed in place, by root array (the .base of all
# its views): views and detach() share memory, so a node that saved one of them sees
# a change made through another. Entries go when their array is freed.
_changed = {}


def _root(a):
    while isinstance(a.base, np.ndarray):
        a = a.base
    return a


def _note_change(arr, tick):
    root = _root(arr)
    key = id(root)
    entry = _changed.get(key)
    ref = entry[1] if entry is not None and entry[1]() is root else \
        weakref.ref(root, lambda _, key=key: _changed.pop(key, None))
    _changed[key] = (tick, ref)


def changed_since(arr, tick) -> bool:
    """True if the memory under ndarray ``arr`` was changed in place after clock ``tick``."""
    if not isinstance(arr, np.ndarray):
        return False
    root = _root(arr)
    entry = _changed.get(id(root))
    return entry is not None and entry[0] > tick and entry[1]() is root


def _to_array(data, dtype=None) -> np.ndarray:
    """Python floats (and lists of them) become float32; NumPy data keeps its dtype."""
    if isinstance(data, Tensor):
        data = data.data
    if isinstance(data, (np.ndarray, np.generic)):
        arr = np.asarray(data, dtype=dtype)
    else:
        arr = np.asarray(data)
        if arr.dtype == np.float64 and dtype is None:
            arr = arr.astype(_FLOAT_DEFAULT)
        elif dtype is not None:
            arr = arr.astype(dtype)
        if arr.dtype == object:
            raise TypeError(f"Tensor: cannot make a tensor from {type(data).__name__} data")
    return arr


def _check_can_require_grad(arr, who="Tensor"):
    if arr.dtype.kind not in "fc":
        raise TypeError(
            f"{who}: only floating-point tensors can require grad, got dtype {arr.dtype} "
            "(write 5.0 rather than 5, or pass dtype=np.float32)")


def _wrap(data, grad_fn, requires_grad, oi=0):
    """Make a Tensor around an op's output without the checks of __init__."""
    t = _new(Tensor)
    t.data = data
    t.grad = None
    t.grad_fn = grad_fn
    t.requires_grad = requires_grad
    t.name = None
    t._version = 0
    t._oi = oi
    return t


class Tensor:
    """An n-dimensional array that records the ops made from it, for backprop.

    ``Tensor(data, requires_grad=False, dtype=None, name=None)``: Python
    floats and lists of them give float32; NumPy arrays keep their dtype and
    are not copied.

    >>> from autograd import Tensor
    >>> a = Tensor(5.0, requires_grad=True, name="a")
    >>> b = Tensor(3.0, requires_grad=True, name="b")
    >>> c = Tensor(2.0, requires_grad=True, name="c")
    >>> J = 3 * (a + b * c)
    >>> J.item()
    33.0
    >>> J.backward()
    >>> a.grad.item(), b.grad.item(), c.grad.item()
    (3.0, 6.0, 9.0)
    """

    __slots__ = ("data", "grad", "grad_fn", "requires_grad", "name", "_version", "_oi",
                 "__weakref__")
    # NumPy defers to our reflected operators (np.float64(2) * t calls t.__rmul__).
    __array_ufunc__ = None

    def __init__(self, data, requires_grad: bool = False, dtype=None, name: str | None = None):
        arr = _to_array(data, dtype)
        if requires_grad:
            _check_can_require_grad(arr)
        self.data = arr
        self.grad = None
        self.grad_fn = None
        self.requires_grad = bool(requires_grad)
        self.name = name
        self._version = 0
        self._oi = 0

    # -- properties -------------------------------------------------------
    @property
    def shape(self) -> tuple:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def dtype(self):
        return self.data.dtype

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def T(self) -> "Tensor":
        return _ops.transpose(self)

    @property
    def mT(self) -> "Tensor":
        """The last two dims swapped (PyTorch's batched matrix transpose)."""
        if self.data.ndim < 2:
            raise ValueError(f"mT: needs a tensor of at least 2 dims, got shape {self.shape}")
        return _ops.swapaxes(self, -2, -1)

    # -- conversion -------------------------------------------------------
    def numpy(self) -> np.ndarray:
        """The underlying ndarray (no copy)."""
        return self.data

    def __array__(self, dtype=None, copy=None):
        return self.data if dtype is None else self.data.astype(dtype, copy=False)

    def item(self):
        return self.data.item()

    def tolist(self):
        return self.data.tolist()

    def __float__(self):
        return float(self.data)

    def __int__(self):
        return int(self.data)

    def __index__(self):
        return self.data.__index__()

    def __bool__(self):
        return bool(self.data)

    def __len__(self):
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __iter__(self):
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self.data)))

    __hash__ = object.__hash__

    def __repr__(self):
        body = np.array2string(self.data, separator=", ", prefix="Tensor(")
        extra = ""
        if self.data.dtype != _FLOAT_DEFAULT:
            extra += f", dtype={self.data.dtype}"
        if self.grad_fn is not None:
            extra += f", grad_fn=<{self.grad_fn.name}>"
        elif self.requires_grad:
            extra += ", requires_grad=True"
        if self.name:
            extra += f", name={self.name!r}"
        return f"Tensor({body}{extra})"

    # -- graph ------------------------------------------------------------
    def backward(self, grad=None, retain_graph: bool = False, create_graph: bool = False):
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad``."""
        _engine.backward(self, grad, retain_graph=retain_graph, create_graph=create_graph)

    def detach(self) -> "Tensor":
        """A new leaf sharing this data, cut from the graph."""
        return _wrap(self.data, None, False)

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        if self.grad_fn is not None and not requires_grad:
            raise RuntimeError(
                "requires_grad_: only leaves can stop requiring grad; use .detach() on a "
                f"result of op '{self.grad_fn.name}'")
        if requires_grad:
            _check_can_require_grad(self.data, "requires_grad_")
        self.requires_grad = bool(requires_grad)
        return self

    # astype, clone and every other op method come from the op declarations
    # (autograd/ops/registry.py); these are PyTorch's conversions and sizes.
    def double(self) -> "Tensor":
        return _ops.astype(self, np.float64)

    def float(self) -> "Tensor":
        return _ops.astype(self, np.float32)

    def long(self) -> "Tensor":
        return _ops.astype(self, np.int64)

    def numel(self) -> int:
        """The number of elements (PyTorch's name; ``.size`` stays NumPy's count)."""
        return self.data.size

    def dim(self) -> int:
        """The number of dimensions (PyTorch's name for ``.ndim``)."""
        return self.data.ndim

    # -- arithmetic -------------------------------------------------------
    def __add__(self, other): return _add(self, other)
    def __radd__(self, other): return _add(other, self)
    def __sub__(self, other): return _sub(self, other)
    def __rsub__(self, other): return _sub(other, self)
    def __mul__(self, other): return _mul(self, other)
    def __rmul__(self, other): return _mul(other, self)
    def __truediv__(self, other): return _div(self, other)
    def __rtruediv__(self, other): return _div(other, self)
    def __pow__(self, other): return _pow(self, other)
    def __rpow__(self, other): return _pow(other, self)
    def __matmul__(self, other): return _matmul(self, other)
    def __rmatmul__(self, other): return _matmul(other, self)
    def __neg__(self): return _neg(self)
    def __pos__(self): return self
    def __abs__(self): return _abs(self)
    def __getitem__(self, index): return _ops.getitem(self, index)

    # Comparisons give bool tensors that never require grad.
    def __lt__(self, other): return _compare(np.less, self, other)
    def __le__(self, other): return _compare(np.less_equal, self, other)
    def __gt__(self, other): return _compare(np.greater, self, other)
    def __ge__(self, other): return _compare(np.greater_equal, self, other)
    def __eq__(self, other): return _compare(np.equal, self, other)
    def __ne__(self, other): return _compare(np.not_equal, self, other)
    # Bitwise on integer tensors, logical on bool ones (NumPy's and PyTorch's rule).
    def __invert__(self): return _ops.bitwise_not(self)
    def __and__(self, other): return _ops.bitwise_and(self, other)
    def __rand__(self, other): return _ops.bitwise_and(other, self)
    def __or__(self, other): return _ops.bitwise_or(self, other)
    def __ror__(self, other): return _ops.bitwise_or(other, self)
    def __xor__(self, other): return _ops.bitwise_xor(self, other)
    def __rxor__(self, other): return _ops.bitwise_xor(other, self)
    def __lshift__(self, other): return _ops.bitwise_left_shift(self, other)
    def __rlshift__(self, other): return _ops.bitwise_left_shift(other, self)
    def __rshift__(self, other): return _ops.bitwise_right_shift(self, other)
    def __rrshift__(self, other): return _ops.bitwise_right_shift(other, self)
    # Python's % and // (the remainder has the divisor's sign, as in NumPy and PyTorch)
    def __mod__(self, other): return _ops.remainder(self, other)
    def __rmod__(self, other): return _ops.remainder(other, self)
    def __floordiv__(self, other): return _ops.floor_divide(self, other)
    def __rfloordiv__(self, other): return _ops.floor_divide(other, self)

    # -- in place ---------------------------------------------------------
    # Under no_grad, or when nothing involved requires grad, the array changes in place
    # (how optimizers update). Otherwise the op is recorded in the graph (``graph``: the
    # out-of-place form, see autograd/inplace.py); on a leaf that requires grad it is
    # an error.
    def _inplace(self, op_name, fn, other=None, graph=None, fits=True):
        recorded = _state.grad_enabled and (self.requires_grad or
                                            getattr(other, "requires_grad", False))
        if recorded and self.requires_grad and self.grad_fn is None:
            raise _inplace_ops.leaf_error(op_name)
        arr = other.data if isinstance(other, Tensor) else other
        if arr is not None and fits:
            shape = getattr(arr, "shape", None)
            if shape is None:
                shape = np.shape(arr)
            # the same shape (an optimizer's update) or a scalar: nothing to work out
            ok = shape == self.data.shape or shape == ()
            if not ok:
                try:
                    ok = np.broadcast_shapes(self.data.shape, shape) == self.data.shape
                except ValueError:  # NumPy's message would not name the op
                    pass
            if not ok:
                raise ValueError(f"{op_name}: cannot broadcast shape {np.shape(arr)} "
                                 f"into the tensor's shape {self.data.shape}")
        if recorded:
            return _inplace_ops.record(self, op_name, graph, other)
        if not self.data.flags.writeable:
            raise ValueError(f"{op_name}: the tensor (shape {self.data.shape}) is a read-only "
                             "view (e.g. of broadcast_to, diagonal or meshgrid); clone() it first")
        fn(arr)
        inplace_clock[0] += 1
        self._version = inplace_clock[0]
        _note_change(self.data, self._version)
        if self.grad_fn is not None:  # its node may have saved this output (exp, tanh, ...)
            self.grad_fn.__dict__["_outputs_modified"] = True
        return self

    def add_(self, other, alpha=1):
        return self._inplace("add_", lambda o: np.add(
            self.data, o if alpha == 1 else np.multiply(o, alpha), out=self.data,
            casting="same_kind"), other, lambda x, o: x + (o if alpha == 1 else o * alpha))

    def sub_(self, other, alpha=1):
        return self._inplace("sub_", lambda o: np.subtract(
            self.data, o if alpha == 1 else np.multiply(o, alpha), out=self.data,
            casting="same_kind"), other, lambda x, o: x - (o if alpha == 1 else o * alpha))

    def mul_(self, other):
        return self._inplace("mul_", lambda o: np.multiply(self.data, o, out=self.data,
                                                           casting="same_kind"), other,
                             lambda x, o: x * o)

    def div_(self, other):
        return self._inplace("div_", lambda o: np.divide(self.data, o, out=self.data,
                                                         casting="same_kind"), other,
                             lambda x, o: x / o)

    def copy_(self, other):
        return self._inplace("copy_", lambda o: np.copyto(self.data, o, casting="same_kind"),
                             other, _fill_graph)

    def fill_(self, value):
        return self._inplace("fill_", lambda o: self.data.fill(o), value, _fill_graph)

    def zero_(self):
        return self._inplace("zero_", lambda o: self.data.fill(0), None,
                             lambda x, o: _fill_graph(x, 0))

    def clamp_(self, lo=None, hi=None):
        return self._inplace("clamp_", lambda o: np.clip(self.data, lo, hi, out=self.data),
                             None, lambda x, o: _ops.clip(x, lo, hi))

    def __setitem__(self, index, value):
        index = _ops.normalize_index(index)
        self._inplace("__setitem__", lambda o: self.data.__setitem__(index, o), value,
                      lambda x, v: _ops.index.setitem(x, index, v), fits=False)

    def __iadd__(self, other): return self.add_(other)
    def __isub__(self, other): return self.sub_(other)
    def __imul__(self, other): return self.mul_(other)
    def __itruediv__(self, other): return self.div_(other)


def _fill_graph(x, value):
    return _ops.index.setitem(x, Ellipsis, value)


def _compare(ufunc, x, y):
    x = x.data if isinstance(x, Tensor) else x
    y = y.data if isinstance(y, Tensor) else y
    return _wrap(np.asarray(ufunc(x, y)), None, False)


from . import engine as _engine  # noqa: E402  (these import Tensor from here)
from . import ops as _ops  # noqa: E402
from . import inplace as _inplace_ops  # noqa: E402
# Operators call the primitives directly: the hottest path in the engine.
from .ops.elementwise import Abs, Add, Div, Mul, Neg, Pow, Sub  # noqa: E402
from .ops.linalg import MatMul  # noqa: E402

# the fast paths, bound once (Add.apply2 would bind the classmethod on every call)
_add, _sub, _mul, _div, _pow, _matmul = (
    Add.apply2, Sub.apply2, Mul.apply2, Div.apply2, Pow.apply2, MatMul.apply2)
_abs, _neg = Abs.apply1, Neg.apply1
_ops.install_methods(Tensor)
from . import hooks as _hooks  # noqa: E402
Tensor.register_hook, Tensor.retain_grad = _hooks.register_hook, _hooks.retain_grad
Tensor.retains_grad = property(_hooks.retains_grad)
