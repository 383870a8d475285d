"""Vector and matrix norms, composed from abs, sum, amax/amin and a root whose
gradient is 0 where the norm is 0 (PyTorch's subgradient). The spectral and nuclear
norms sum or pick singular values: their backward ``U diag(g) V^T`` is first-order."""
from __future__ import annotations

import numpy as np

from ..function import Op
from .reduce import SqrtZeroAtZero, amax, amin, normalize_axis, sum
from .registry import op
from .xp import data, xp

_INF = float("inf")


class RootZeroAtZero(Op):
    """d s**(1/p) = g s**(1/p) / (p s), and 0 where s = 0"""
    op_name = "root"

    def forward(ctx, s, p):
        ctx.p = p
        out = np.power(s, 1.0 / p, dtype=np.result_type(s))
        ctx.save_for_backward(s, out)
        return out

    def backward(ctx, g):
        s, out = ctx.saved_tensors
        live = data(s) != 0
        return g * out / (ctx.p * xp(g).where(live, s, 1)) * live


class SingularValues(Op):
    """d svdvals(x) = U diag(g) V^T (first order: U and V are not differentiated)"""
    op_name = "svdvals"
    once_differentiable = True
    once_differentiable_hint = "the spectral and nuclear norms' backward is first-order only"

    def forward(ctx, x):
        u, s, vh = np.linalg.svd(x, full_matrices=False)
        ctx.save_for_backward(u, vh)
        return s

    def backward(ctx, g):
        u, vh = ctx.saved_tensors
        return (u * g[..., None, :]) @ vh


def _vector_norm(x, ord, axes, keepdims):
    """(sum |x|**ord)**(1/ord) over ``axes`` (a tuple), and its limits 0, inf, -inf."""
    if ord == _INF:
        return amax(abs(x), axes, keepdims)
    if ord == -_INF:
        return amin(abs(x), axes, keepdims)
    if ord == 0:  # how many are not zero: piecewise constant, so no gradient
        a = data(x)
        return sum((a != 0).astype(a.dtype if a.dtype.kind == "f" else np.float64), axes,
                   keepdims)
    if ord == 1:
        return sum(abs(x), axes, keepdims)
    if ord == 2:
        return SqrtZeroAtZero.apply1(sum(x * x, axes, keepdims))
    return RootZeroAtZero.apply(sum(abs(x) ** ord, axes, keepdims), p=ord)


def _matrix_norm(x, ord, axes, keepdims):
    """Matrix norms over ``axes = (rows, cols)``: 'fro', 'nuc', +-1, +-2, +-inf."""
    r, c = axes
    if ord == "fro":
        return _vector_norm(x, 2, axes, keepdims)
    if ord in (1, -1, _INF, -_INF):
        inner, outer = (r, c) if abs(ord) == 1 else (c, r)
        pick = amax if ord > 0 else amin
        out = pick(sum(abs(x), inner, keepdims=True), outer, keepdims=True)
    elif ord in ("nuc", 2, -2):
        rest = [i for i in range(x.ndim) if i not in axes]
        s = SingularValues.apply1(x.transpose(rest + [r, c]))
        s = {"nuc": sum, 2: amax, -2: amin}[ord](s, -1)
        out = s.reshape(tuple(1 if i in axes else n for i, n in enumerate(x.shape)))
    else:
        raise ValueError(f"norm: invalid matrix norm order {ord!r}; use 'fro', 'nuc', "
                         "1, -1, 2, -2, inf or -inf")
    return out if keepdims else out.reshape(tuple(n for i, n in enumerate(x.shape)
                                                  if i not in axes))


def _check_ord(ord):
    if isinstance(ord, str) or ord is None:
        return ord
    if isinstance(ord, bool) or not isinstance(ord, (int, float, np.integer, np.floating)):
        raise TypeError(f"norm: ord (or p) must be a number, 'fro' or 'nuc', got {ord!r}")
    return float(ord)


@op("reduce", spellings=True)
def norm(x, ord=None, axis=None, keepdims=False, *, p=None):
    """Vector or matrix norm, as ``numpy.linalg.norm`` / ``torch.linalg.norm`` (``ord``)
    or ``torch.norm`` (``p``: always a vector norm over ``axis``, 'fro' too).

    ``ord`` for vectors: 2 (default), 1, inf, -inf, 0 (count), any p; for matrices (a
    2-d input with ``axis=None``, or two axes): 'fro' (default), 'nuc', 1, -1, 2, -2,
    inf, -inf. Without ``ord`` and ``axis`` the 2-norm of all elements. Where the
    norm is 0 its gradient is 0 (PyTorch's subgradient).

    >>> import numpy as np, autograd as ag
    >>> x = ag.Tensor([[3.0, -4.0], [0.0, 0.0]], requires_grad=True)
    >>> ag.norm(x).item(), ag.norm(x, 1).item(), ag.norm(x, np.inf).item()
    (5.0, 4.0, 7.0)
    >>> n = ag.norm(x, dim=1); n
    Tensor([5., 0.], grad_fn=<sqrt>)
    >>> n.sum().backward(); x.grad
    Tensor([[ 0.6, -0.8],
            [ 0. ,  0. ]])
    """
    if p is not None and ord is not None:
        raise TypeError("norm: got both ord and p; pass one of them")
    ndim = np.ndim(data(x))
    axes = None if axis is None else normalize_axis(axis, ndim, "norm")
    if isinstance(axis, (tuple, list)) and len(axes) != len(axis):
        raise ValueError(f"norm: repeated axis in {axis}")
    if p is not None:  # torch.norm: a vector norm over axis (all axes by default)
        p = _check_ord(p)
        if p == "nuc":
            return norm(x, "nuc", axis if axis is not None else (-2, -1), keepdims)
        axes = axes if axes is not None else tuple(range(ndim))
        return _vector_norm(x, 2 if p == "fro" else p, axes, keepdims)
    ord = _check_ord(ord)
    if axis is None:
        if ord is None:
            return _vector_norm(x, 2, tuple(range(ndim)), keepdims)
        if ndim not in (1, 2):
            raise ValueError(f"norm: with ord={ord!r} and no axis the input must be 1-d or "
                             f"2-d, got shape {np.shape(data(x))}")
        axes = tuple(range(ndim))
    else:
        axes = tuple(int(a) % ndim for a in ((axis,) if np.ndim(axis) == 0 else axis)) \
            if ndim else ()
    if len(axes) == 2:
        return _matrix_norm(x, "fro" if ord is None else ord, axes, keepdims)
    if len(axes) > 2:
        raise ValueError(f"norm: axis {axis} names {len(axes)} axes; a vector norm takes "
                         "one, a matrix norm two")
    if isinstance(ord, str):
        raise ValueError(f"norm: ord={ord!r} is a matrix norm; it needs two axes")
    return _vector_norm(x, 2 if ord is None else ord, axes, keepdims)
