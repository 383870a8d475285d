"""einsum, a primitive whose backward is einsum again (so second derivatives come from
the same op), and tensordot, outer, dot, bmm composed from einsum, mul and matmul.

``einsum`` first rewrites its subscripts without ``...`` and without an implicit
output, and squeezes size-1 dims that broadcast, so the primitive sees one letter per
dim and the same size for a letter everywhere. The gradient of operand ``i`` is the
einsum of the output gradient with the other operands, to operand ``i``'s letters;
letters summed in operand ``i`` alone are broadcast back, and a repeated letter
(``'ii->i'``) puts the gradient on that diagonal.
"""
import string

import numpy as np

from ..function import Op
from ..tensor import Tensor
from .linalg import MatMul
from .registry import op
from .shape import BroadcastTo, Reshape, Scatter, scatter_array
from .xp import data


def _contract(spec, *xs):
    if any(isinstance(x, Tensor) for x in xs):
        return Einsum.apply(*xs, spec=spec)
    big = len(xs) > 2 or max(np.size(x) for x in xs) > 4096  # BLAS pays off there
    return np.einsum(spec, *xs, optimize=big)


class Einsum(Op):
    """d einsum(spec, *xs) / d xs[i] = einsum(g, xs[j != i]) to the letters of xs[i]"""

    def forward(ctx, *xs, spec):
        ctx.spec = spec
        ctx.save_for_backward(*xs)
        return _contract(spec, *xs)

    def backward(ctx, g):
        xs = ctx.saved_tensors
        lhs, out = ctx.spec.split("->")
        terms = lhs.split(",")
        return tuple(_operand_grad(i, g, xs, terms, out) if need else None
                     for i, need in enumerate(ctx.needs_input_grad))


def _operand_grad(i, g, xs, terms, out):
    term, shape = terms[i], np.shape(xs[i])
    sizes = dict(zip(term, shape))
    others = [j for j in range(len(xs)) if j != i]
    seen = set(out).union(*(terms[j] for j in others))
    letters = "".join(dict.fromkeys(term))  # each once, in order
    kept = "".join(c for c in letters if c in seen)
    r = _contract(",".join([out] + [terms[j] for j in others]) + "->" + kept,
                  g, *(xs[j] for j in others))
    tensor = isinstance(r, Tensor)
    if kept != letters:  # summed in this operand alone: broadcast back
        spread = tuple(sizes[c] if c in kept else 1 for c in letters)
        full = tuple(sizes[c] for c in letters)
        r = BroadcastTo.apply(Reshape.apply(r, shape=spread), shape=full) if tensor else \
            np.broadcast_to(np.reshape(r, spread), full)
    if letters != term:  # a repeated letter: only that diagonal gets a gradient
        index = tuple(np.arange(sizes[c]).reshape(
            [-1 if k == letters.index(c) else 1 for k in range(len(letters))]) for c in term)
        r = Scatter.apply(r, shape=shape, index=index) if tensor else \
            scatter_array(r, shape, index)
    return r


def _parse(subscripts, shapes):
    """``(terms, out, squeeze)``: one explicit term per operand and the output, with
    ``...`` spelled out in unused letters; ``squeeze[i]``: dims of operand i of size 1
    that broadcast against a larger size of their letter (dropped from its term)."""
    spec = subscripts.replace(" ", "")
    if any(not (c in string.ascii_letters or c in ",->.") for c in spec):
        raise ValueError(f"einsum: subscripts {subscripts!r} may hold letters, ',', '->' "
                         "and '...' only")
    lhs, arrow, out = spec.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(shapes):
        raise ValueError(f"einsum: {len(terms)} operand subscripts in {subscripts!r} for "
                         f"{len(shapes)} operands")
    free = [c for c in string.ascii_letters if c not in spec]
    spans = []
    for i, (term, shape) in enumerate(zip(terms, shapes)):
        named = len(term.replace("...", ""))
        extra = len(shape) - named
        if ("..." in term and extra < 0) or ("..." not in term and extra != 0) or \
                term.replace("...", "").count(".") or term.count("...") > 1:
            raise ValueError(f"einsum: subscripts {term!r} do not fit operand {i} of "
                             f"shape {shape}")
        spans.append(extra if "..." in term else 0)
    ell = "".join(free[:max(spans, default=0)])
    terms = [t.replace("...", ell[len(ell) - k:]) for t, k in zip(terms, spans)]
    if not arrow:
        once = sorted(c for c in set("".join(terms)) if c not in ell and lhs.count(c) == 1)
        out = ell + "".join(once)
    else:
        if "..." not in out and ell and any(spans):
            raise ValueError(f"einsum: {subscripts!r} has '...' in its operands but not in "
                             "its output")
        out = out.replace("...", ell)
        if len(set(out)) != len(out) or set(out) - set("".join(terms)):
            raise ValueError(f"einsum: output subscripts {out!r} repeat a letter or name one "
                             "that no operand has")
    sizes = {}
    for term, shape in zip(terms, shapes):
        for c, n in zip(term, shape):
            if sizes.get(c, 1) not in (1, n) and n != 1:
                raise ValueError(f"einsum: letter {c!r} has sizes {sizes[c]} and {n} in "
                                 f"{subscripts!r} (shapes {list(shapes)})")
            sizes[c] = max(sizes.get(c, 1), n)
    squeeze = [[k for k, (c, n) in enumerate(zip(term, shape))
                if n == 1 and sizes[c] > 1 and term.count(c) == 1]
               for term, shape in zip(terms, shapes)]
    terms = ["".join(c for k, c in enumerate(t) if k not in sq) for t, sq in zip(terms, squeeze)]
    return terms, out, squeeze


@op("shape", method=False)
def einsum(subscripts, *operands):
    """Einstein summation as NumPy's and PyTorch's: ``einsum('ij,jk->ik', a, b)``, with
    ``...`` and the implicit output; operands may also come as one list.

    >>> import numpy as np, autograd as ag
    >>> a = ag.Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    >>> ag.einsum("ij,ij->i", a, a).tolist()
    [5.0, 50.0]
    >>> ag.einsum("ii", ag.Tensor(np.eye(3))).item()
    3.0
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not isinstance(subscripts, str):
        raise TypeError("einsum: the first argument is the subscripts string "
                        "(the interleaved operand/sublist form is not supported)")
    shapes = [np.shape(data(x)) for x in operands]
    terms, out, squeeze = _parse(subscripts, shapes)
    xs = [Reshape.apply(x, shape=tuple(n for k, n in enumerate(s) if k not in sq))
          if sq else x for x, s, sq in zip(operands, shapes, squeeze)]
    return Einsum.apply(*xs, spec=",".join(terms) + "->" + out)


@op("shape", method=False)
def tensordot(a, b, axes=2, *, dims=None):
    """NumPy's tensordot (PyTorch's ``dims``): sum over the last ``axes`` dims of ``a`` and
    the first of ``b``, or over the pairs ``axes=([a dims], [b dims])``.

    >>> import numpy as np, autograd as ag
    >>> ag.tensordot(ag.Tensor(np.ones((2, 3, 4))), ag.Tensor(np.ones((3, 4, 5)))).shape
    (2, 5)
    """
    if dims is not None:
        axes = dims
    na, nb = len(np.shape(data(a))), len(np.shape(data(b)))
    if isinstance(axes, (int, np.integer)):
        if not 0 <= axes <= min(na, nb):
            raise ValueError(f"tensordot: cannot sum over {axes} dims of tensors with {na} "
                             f"and {nb} dims")
        pairs = (list(range(na - axes, na)), list(range(axes)))
    else:
        pairs = [[int(d) for d in np.atleast_1d(p)] for p in axes]
        if len(pairs) != 2 or len(pairs[0]) != len(pairs[1]):
            raise ValueError(f"tensordot: axes must be an int or two lists of equal length, "
                             f"got {axes}")
    ta = list(string.ascii_letters[:na])
    tb = list(string.ascii_letters[na:na + nb])
    for da, db in zip(*pairs):
        if not (-na <= da < na and -nb <= db < nb):
            raise ValueError(f"tensordot: axes {axes} out of range for {na} and {nb} dims")
        tb[db % nb] = ta[da % na]
    shared = set(ta) & set(tb)
    out = [c for c in ta + tb if c not in shared]
    return einsum("".join(ta) + "," + "".join(tb) + "->" + "".join(out), a, b)


@op("shape")
def outer(x, y):
    """Outer product ``out[i, j] = x[i] * y[j]`` (inputs flattened, as NumPy's outer).

    >>> import autograd as ag
    >>> ag.outer(ag.Tensor([1.0, 2.0]), ag.Tensor([1.0, 10.0, 100.0])).shape
    (2, 3)
    """
    return Reshape.apply(x, shape=(-1, 1)) * Reshape.apply(y, shape=(1, -1))


@op("shape")
def dot(x, y):
    """NumPy's dot: products of 0-d tensors, the inner product of 1-D ones (PyTorch's
    dot), matmul for 2-D, and the sum over the last dim of ``x`` and the second-to-last
    of ``y`` beyond.

    >>> import autograd as ag
    >>> ag.dot(ag.Tensor([1.0, 2.0]), ag.Tensor([3.0, 4.0])).item()
    11.0
    """
    nx, ny = len(np.shape(data(x))), len(np.shape(data(y)))
    if nx == 0 or ny == 0:
        return x * y
    if nx <= 2 and ny <= 2:
        return MatMul.apply2(x, y)
    return tensordot(x, y, axes=([-1], [-1 if ny == 1 else -2]))


@op("shape")
def bmm(x, y):
    """Batched matrix product of ``(b, n, m)`` and ``(b, m, p)`` tensors (no broadcasting,
    as PyTorch's bmm; ``matmul`` broadcasts).

    >>> import numpy as np, autograd as ag
    >>> ag.bmm(ag.Tensor(np.ones((4, 2, 3))), ag.Tensor(np.ones((4, 3, 5)))).shape
    (4, 2, 5)
    """
    sx, sy = np.shape(data(x)), np.shape(data(y))
    if len(sx) != 3 or len(sy) != 3 or sx[0] != sy[0] or sx[2] != sy[1]:
        raise ValueError(f"bmm: expects (b, n, m) and (b, m, p) tensors, got shapes {sx} "
                         f"and {sy}")
    return MatMul.apply2(x, y)
