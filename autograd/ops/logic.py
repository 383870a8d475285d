"""Comparisons, tests, logical and bitwise ops. Their results are bool (or integer)
tensors that never require grad, as in PyTorch; they broadcast as NumPy does and
take Tensors, arrays or Python numbers on either side.

The bitwise ops (``& | ^ ~ << >>`` on tensors) take integer and bool tensors only:
bitwise on integers, logical on bools, with NumPy's result dtypes.
"""
import numpy as np

from ..tensor import Tensor, _wrap
from .registry import op


def _array(x):
    return x.data if isinstance(x, Tensor) else x


def _result(ufunc, *xs, **params):
    return _wrap(np.asarray(ufunc(*(_array(x) for x in xs), **params)), None, False)


def _bitwise(name, ufunc, *xs):
    arrays = [_array(x) for x in xs]
    dtypes = [np.asarray(a).dtype for a in arrays]
    if any(d.kind not in "biu" for d in dtypes):
        raise TypeError(f"{name}: only integer and bool tensors are supported, got dtype "
                        + " and ".join(str(d) for d in dtypes))
    return _wrap(np.asarray(ufunc(*arrays)), None, False)


# -- comparisons -----------------------------------------------------------------


@op("logic")
def eq(x, y):
    """``x == y`` elementwise, broadcasting; a bool tensor.

    >>> import autograd as ag
    >>> ag.eq(ag.Tensor([1.0, 2.0]), 2.0)
    Tensor([False,  True], dtype=bool)
    """
    return _result(np.equal, x, y)


@op("logic", aliases=("not_equal",))
def ne(x, y):
    """``x != y`` elementwise, broadcasting; a bool tensor.

    >>> import autograd as ag
    >>> ag.ne(ag.Tensor([1.0, 2.0]), 2.0)
    Tensor([ True, False], dtype=bool)
    """
    return _result(np.not_equal, x, y)


@op("logic", aliases=("less",))
def lt(x, y):
    """``x < y`` elementwise, broadcasting; a bool tensor.

    >>> import autograd as ag
    >>> ag.lt(ag.Tensor([1.0, 2.0]), 2.0)
    Tensor([ True, False], dtype=bool)
    """
    return _result(np.less, x, y)


@op("logic", aliases=("less_equal",))
def le(x, y):
    """``x <= y`` elementwise, broadcasting; a bool tensor.

    >>> import autograd as ag
    >>> ag.le(ag.Tensor([1.0, 3.0]), 2.0)
    Tensor([ True, False], dtype=bool)
    """
    return _result(np.less_equal, x, y)


@op("logic", aliases=("greater",))
def gt(x, y):
    """``x > y`` elementwise, broadcasting; a bool tensor.

    >>> import autograd as ag
    >>> ag.gt(ag.Tensor([1.0, 3.0]), 2.0)
    Tensor([False,  True], dtype=bool)
    """
    return _result(np.greater, x, y)


@op("logic", aliases=("greater_equal",))
def ge(x, y):
    """``x >= y`` elementwise, broadcasting; a bool tensor.

    >>> import autograd as ag
    >>> ag.ge(ag.Tensor([1.0, 2.0]), 2.0)
    Tensor([False,  True], dtype=bool)
    """
    return _result(np.greater_equal, x, y)


@op("logic")
def isclose(x, y, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False):
    """``|x - y| <= atol + rtol |y|`` elementwise, broadcasting (NumPy's and PyTorch's
    defaults); NaNs are equal only with ``equal_nan=True``.

    >>> import autograd as ag
    >>> ag.isclose(ag.Tensor([1.0, 1.1]), 1.0 + 1e-7)
    Tensor([ True, False], dtype=bool)
    """
    return _result(np.isclose, x, y, rtol=rtol, atol=atol, equal_nan=equal_nan)


# -- tests of values ---------------------------------------------------------------


@op("logic")
def isnan(x):
    """True where ``x`` is NaN.

    >>> import numpy as np, autograd as ag
    >>> ag.isnan(ag.Tensor([1.0, np.nan]))
    Tensor([False,  True], dtype=bool)
    """
    return _result(np.isnan, x)


@op("logic")
def isinf(x):
    """True where ``x`` is +inf or -inf.

    >>> import numpy as np, autograd as ag
    >>> ag.isinf(ag.Tensor([1.0, -np.inf, np.nan]))
    Tensor([False,  True, False], dtype=bool)
    """
    return _result(np.isinf, x)


@op("logic")
def isfinite(x):
    """True where ``x`` is neither infinite nor NaN.

    >>> import numpy as np, autograd as ag
    >>> ag.isfinite(ag.Tensor([1.0, -np.inf, np.nan]))
    Tensor([ True, False, False], dtype=bool)
    """
    return _result(np.isfinite, x)


# -- logical ---------------------------------------------------------------------


@op("logic")
def logical_and(x, y):
    """Elementwise ``x and y`` on truth values (nonzero is true), broadcasting.

    >>> import autograd as ag
    >>> ag.logical_and(ag.Tensor([0.0, 1.0, 2.0]), ag.Tensor([1.0, 1.0, 0.0]))
    Tensor([False,  True, False], dtype=bool)
    """
    return _result(np.logical_and, x, y)


@op("logic")
def logical_or(x, y):
    """Elementwise ``x or y`` on truth values (nonzero is true), broadcasting.

    >>> import autograd as ag
    >>> ag.logical_or(ag.Tensor([0.0, 1.0, 0.0]), ag.Tensor([0.0, 0.0, 2.0]))
    Tensor([False,  True,  True], dtype=bool)
    """
    return _result(np.logical_or, x, y)


@op("logic")
def logical_xor(x, y):
    """Elementwise: exactly one of ``x`` and ``y`` is true (nonzero), broadcasting.

    >>> import autograd as ag
    >>> ag.logical_xor(ag.Tensor([0.0, 1.0, 2.0]), ag.Tensor([1.0, 1.0, 0.0]))
    Tensor([ True, False,  True], dtype=bool)
    """
    return _result(np.logical_xor, x, y)


@op("logic")
def logical_not(x):
    """Elementwise ``not x`` (zero is false).

    >>> import autograd as ag
    >>> ag.logical_not(ag.Tensor([0.0, 3.0]))
    Tensor([ True, False], dtype=bool)
    """
    return _result(np.logical_not, x)


# -- bitwise (the operators & | ^ ~ << >>) ----------------------------------------


@op("logic")
def bitwise_and(x, y):
    """``x & y``: bitwise on integers, logical on bools, broadcasting (NumPy's dtypes).

    >>> import numpy as np, autograd as ag
    >>> ag.bitwise_and(ag.Tensor(np.array([12, 10])), 6)
    Tensor([4, 2], dtype=int64)
    """
    return _bitwise("bitwise_and", np.bitwise_and, x, y)


@op("logic")
def bitwise_or(x, y):
    """``x | y``: bitwise on integers, logical on bools, broadcasting (NumPy's dtypes).

    >>> import numpy as np, autograd as ag
    >>> ag.bitwise_or(ag.Tensor(np.array([12, 10])), 6)
    Tensor([14, 14], dtype=int64)
    """
    return _bitwise("bitwise_or", np.bitwise_or, x, y)


@op("logic")
def bitwise_xor(x, y):
    """``x ^ y``: bitwise on integers, logical on bools, broadcasting (NumPy's dtypes).

    >>> import numpy as np, autograd as ag
    >>> ag.bitwise_xor(ag.Tensor(np.array([12, 10])), 6)
    Tensor([10, 12], dtype=int64)
    """
    return _bitwise("bitwise_xor", np.bitwise_xor, x, y)


@op("logic")
def bitwise_not(x):
    """``~x``: each bit flipped on integers (``-x - 1`` for signed ones), ``not`` on bools.

    >>> import numpy as np, autograd as ag
    >>> ag.bitwise_not(ag.Tensor(np.array([0, 5]))), ag.bitwise_not(ag.Tensor(np.array([True])))
    (Tensor([-1, -6], dtype=int64), Tensor([False], dtype=bool))
    """
    return _bitwise("bitwise_not", np.invert, x)


@op("logic", aliases=("left_shift",), method="bitwise_left_shift")
def bitwise_left_shift(x, y):
    """``x << y`` on integers, broadcasting (NumPy's name ``left_shift`` too).

    >>> import numpy as np, autograd as ag
    >>> ag.bitwise_left_shift(ag.Tensor(np.array([1, 3])), 2)
    Tensor([ 4, 12], dtype=int64)
    """
    return _bitwise("bitwise_left_shift", np.left_shift, x, y)


@op("logic", aliases=("right_shift",), method="bitwise_right_shift")
def bitwise_right_shift(x, y):
    """``x >> y`` on integers (arithmetic: the sign is kept), broadcasting.

    >>> import numpy as np, autograd as ag
    >>> ag.bitwise_right_shift(ag.Tensor(np.array([16, -16])), 2)
    Tensor([ 4, -4], dtype=int64)
    """
    return _bitwise("bitwise_right_shift", np.right_shift, x, y)
