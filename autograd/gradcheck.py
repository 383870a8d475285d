"""Gradient checking: autograd's gradients against central differences, in float64.

Per input it reports the notes' relative difference
``||g - g_num|| / (||g|| + ||g_num||)`` (about 1e-7 is right, 1e-5 is worth a
look, 1e-3 is wrong), the worst element and both values there. A NaN or an
infinity anywhere in either gradient is never averaged away: the relative
difference becomes NaN (or inf), the verdict "wrong (not finite)", the input
fails, and the report names the first such element.

Small inputs are checked element by element (the whole Jacobian); when the
inputs hold more than ``max_elements`` numbers in all, each input is checked
along a few random directions instead (one backward per direction, two
evaluations per input and direction), which keeps a whole model's check to
seconds.
"""
from __future__ import annotations

import contextlib
import warnings
from dataclasses import dataclass

import numpy as np

from ._argcheck import check_callable as _check_fn, count as _count, real as _real
from .engine import grad as _grad
from .mode import enable_grad, no_grad
from .tensor import Tensor


class GradcheckError(RuntimeError):
    """Raised by gradcheck when an analytic gradient disagrees with the numeric one.

    >>> import numpy as np, autograd as ag
    >>> x = ag.Tensor(np.array([1.0, 2.0]), requires_grad=True)
    >>> wrong = lambda x: ag.Tensor(np.sin(x.data)) + x * 0   # hides sin from autograd
    >>> ag.gradcheck(lambda x: wrong(x).sum(), [x])   # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    GradcheckError: gradcheck: the gradient of input 0 does not match the numeric one ...
    """


def verdict(rel: float) -> str:
    """The notes' reading of a relative difference.

    >>> import autograd as ag
    >>> ag.verdict(1e-9), ag.verdict(1e-6), ag.verdict(1e-4), ag.verdict(0.1)
    ('great', 'fine', 'check', 'wrong')
    """
    if not np.isfinite(rel):
        return "wrong (not finite)"
    if rel < 1e-7:
        return "great"
    if rel < 1e-5:
        return "fine"
    if rel < 1e-3:
        return "check"
    return "wrong"


@dataclass
class InputReport:
    name: str
    shape: tuple
    method: str          # "elementwise" or "projection"
    rel_diff: float      # the notes' ||g - g_num|| / (||g|| + ||g_num||)
    max_abs_diff: float
    worst_index: tuple   # element of the input (elementwise) or direction number (projection)
    analytic: float
    numeric: float
    passed: bool

    def __str__(self):
        where = "direction" if self.method == "projection" else "element"
        which = "worst" if np.isfinite(self.rel_diff) else "first non-finite"
        return (f"{self.name:<24} {str(self.shape):<14} rel diff {self.rel_diff:.2e} "
                f"({verdict(self.rel_diff)}); {which} {where} {self.worst_index}: "
                f"analytic {self.analytic:.6g}, numeric {self.numeric:.6g}"
                f"{'' if self.passed else '  <-- MISMATCH'}")


class GradcheckReport(list):
    """A list of InputReport, one per checked input.

    >>> import numpy as np, autograd as ag
    >>> x = ag.Tensor(np.array([1.0, 2.0]), requires_grad=True)
    >>> report = ag.compare_grads(lambda x: (x * x).sum(), [x])
    >>> report.passed, len(report)
    (True, 1)
    """

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self)

    @property
    def max_rel_diff(self) -> float:
        """The largest relative difference; NaN when any input's is NaN."""
        rels = [r.rel_diff for r in self]
        if any(np.isnan(rels)):
            return float("nan")
        return max(rels, default=0.0)

    def __str__(self):
        return "\n".join(str(r) for r in self)


def _named_inputs(inputs, who):
    if isinstance(inputs, Tensor):
        return [None], [inputs]
    if isinstance(inputs, dict):
        return list(inputs.keys()), list(inputs.values())
    if isinstance(inputs, (str, bytes)) or not hasattr(inputs, "__iter__"):
        raise TypeError(f"{who}: inputs must be a Tensor, a sequence of Tensors or arrays, "
                        f"or a dict of them, got {type(inputs).__name__}")
    items = list(inputs)
    return [None] * len(items), items


@contextlib.contextmanager
def _float64_inputs(inputs, who, all_float=False):
    """Give each checked input a private float64 copy of its data for the check,
    and put the original arrays back afterwards, whatever happens."""
    tensors, swapped, checked, warned = [], [], [], False
    for x in inputs:
        if not isinstance(x, Tensor):
            x = Tensor(np.array(x, dtype=np.float64), requires_grad=True)
        elif x.requires_grad or (all_float and x.dtype.kind == "f"):
            if x.dtype != np.float64 and not warned:
                warnings.warn(f"{who}: inputs given in {x.dtype} are checked in float64 "
                              "(float32 differences are too coarse)", stacklevel=4)
                warned = True
            swapped.append((x, x.data))
            x.data = np.array(x.data, dtype=np.float64, copy=True, order="C")
        tensors.append(x)
        checked.append(x.requires_grad or (all_float and x.dtype.kind == "f"))
    try:
        yield tensors, checked
    finally:
        for x, original in swapped:
            x.data = original


def _flat_output(out):
    if isinstance(out, (tuple, list)):
        parts = [o.data.reshape(-1) for o in out if o is not None]
        return np.concatenate(parts) if parts else np.zeros(0)
    return np.asarray(out.data if isinstance(out, Tensor) else out).reshape(-1)


def _evaluate(fn, tensors):
    with no_grad():
        return _flat_output(fn(*tensors)).astype(np.float64)


def _perturbed(fn, tensors, t, flat_index, step, who="gradcheck"):
    """f(x + step at one element) - f(x - step), over 2 * step."""
    flat = t.data.reshape(-1)
    old = flat[flat_index]
    if np.isfinite(old) and (old + step == old or old - step == old):
        raise ValueError(f"{who}: eps={step!r} is too small to move an input element of "
                         f"value {float(old)!r} in float64 (x + eps == x), so the numeric "
                         "gradient would read 0; use a larger eps")
    try:
        flat[flat_index] = old + step
        hi = _evaluate(fn, tensors)
        flat[flat_index] = old - step
        lo = _evaluate(fn, tensors)
    finally:
        flat[flat_index] = old
    return (hi - lo) / (2 * step)


def numerical_grad(fn, inputs, eps: float = 1e-6, grad_output=None):
    """Central-difference gradient of ``sum(fn(*inputs) * grad_output)``, one ndarray per input.

    ``grad_output`` defaults to ones (the gradient of the sum). Float inputs
    are evaluated in float64.

    >>> import numpy as np, autograd as ag
    >>> x = ag.Tensor(np.array([1.0, 2.0]))
    >>> [g] = ag.numerical_grad(lambda x: (x ** 2).sum(), [x])
    >>> np.round(g, 6)
    array([2., 4.])
    """
    who = "numerical_grad"
    _check_fn(who, fn)
    eps = _real(who, "eps", eps, positive=True)
    _, items = _named_inputs(inputs, who)
    with _float64_inputs(items, who, all_float=True) as (tensors, checked):
        base = _evaluate(fn, tensors)
        w = np.ones_like(base) if grad_output is None else \
            np.asarray(grad_output.data if isinstance(grad_output, Tensor) else grad_output,
                       dtype=np.float64).reshape(-1)
        if w.size != base.size:
            raise ValueError(f"{who}: grad_output has {w.size} elements but fn's output has "
                             f"{base.size}")
        result = []
        for t, is_checked in zip(tensors, checked):
            g = np.zeros(t.shape, dtype=np.float64)
            if is_checked:
                gflat = g.reshape(-1)
                for j in range(t.size):
                    gflat[j] = w @ _perturbed(fn, tensors, t, j, eps, who)
            result.append(g)
    return result


def _analytic_rows(fn, tensors, targets, weights):
    """One row of u^T J per weight vector u, for every target input."""
    with enable_grad():
        out = fn(*tensors)
        outs = list(out) if isinstance(out, (tuple, list)) else [out]
        outs = [o for o in outs if o is not None]
        sizes = [o.size for o in outs]
        rows = []
        for u in weights:
            pieces = np.split(u, np.cumsum(sizes)[:-1])
            live = [(o, p.reshape(o.shape)) for o, p in zip(outs, pieces) if o.requires_grad]
            if not live:
                rows.append([np.zeros(t.size) for t in targets])
                continue
            gs = _grad([o for o, _ in live], targets, grad_outputs=[p for _, p in live],
                       retain_graph=True, allow_unused=True)
            rows.append([np.zeros(t.size) if g is None else np.asarray(g.data, np.float64)
                         .reshape(-1) for g, t in zip(gs, targets)])
    return rows


def _first_non_finite(bad):
    """Flat index of the first input element (column) with a True in ``bad``."""
    if bad.ndim == 2:
        col = int(np.argmax(bad.any(axis=0)))
        return int(np.argmax(bad[:, col])) * bad.shape[1] + col
    return int(np.argmax(bad))


def _compare(name, shape, method, a, n, atol, rtol, index_of):
    """Judge analytic ``a`` against numeric ``n``: rows of the Jacobian by the
    input's elements (elementwise), or one number per direction (projection)."""
    shape = tuple(shape)
    if a.size == 0:
        return InputReport(name, shape, method, 0.0, 0.0, (), 0.0, 0.0, True)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(a - n)
    bad = ~(np.isfinite(a) & np.isfinite(n))
    if bad.any():   # a NaN or inf is never averaged away, nor read as agreement
        first = _first_non_finite(bad)
        rel = float("nan") if np.isnan(a).any() or np.isnan(n).any() else float("inf")
        return InputReport(name, shape, method, rel, float(np.max(diff)), index_of(first),
                           float(a.flat[first]), float(n.flat[first]), False)
    scale = max(float(np.max(np.abs(a))), float(np.max(np.abs(n))))
    rel = 0.0
    if scale > 0:   # scaled, so that huge finite gradients do not overflow the norms
        a_s, n_s = a / scale, n / scale
        rel = float(np.linalg.norm(a_s - n_s) / (np.linalg.norm(a_s) + np.linalg.norm(n_s)))
    excess = diff - (atol + rtol * np.abs(n))
    worst = int(np.argmax(excess))
    passed = bool(np.all(excess <= 0))
    return InputReport(name, shape, method, rel, float(np.max(diff)), index_of(worst),
                       float(a.flat[worst]), float(n.flat[worst]), passed)


def compare_grads(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, max_elements=4096,
                  n_directions=4, seed=0) -> GradcheckReport:
    """The per-input report that ``gradcheck`` judges; see the module docstring.

    >>> import numpy as np, autograd as ag
    >>> x = ag.Tensor(np.array([0.5, -1.0]), requires_grad=True)
    >>> report = ag.compare_grads(lambda x: (x.exp() * x).sum(), [x])
    >>> report.max_rel_diff < 1e-7, report[0].method
    (True, 'elementwise')
    """
    who = "gradcheck"
    _check_fn(who, fn)
    eps = _real(who, "eps", eps, positive=True)
    atol, rtol = _real(who, "atol", atol), _real(who, "rtol", rtol)
    max_elements = _count(who, "max_elements", max_elements, minimum=0)
    n_directions = _count(who, "n_directions", n_directions)
    names, items = _named_inputs(inputs, who)
    rng = np.random.default_rng(_count(who, "seed", seed, minimum=0))
    with _float64_inputs(items, "gradcheck") as (tensors, checked):
        targets = [t for t, c in zip(tensors, checked) if c]
        labels = [names[i] or tensors[i].name or f"input {i}"
                  for i, c in enumerate(checked) if c]
        if not targets:
            raise ValueError("gradcheck: no input requires grad, so there is nothing to check")
        n_out = _evaluate(fn, tensors).size
        total = sum(t.size for t in targets)
        report = GradcheckReport()
        if total <= max_elements:
            if n_out <= 16:
                weights = list(np.eye(n_out))
            else:
                weights = list(rng.standard_normal((8, n_out)))
            rows = _analytic_rows(fn, tensors, targets, weights)
            W = np.array(weights).reshape(len(weights), n_out)
            for k, (t, label) in enumerate(zip(targets, labels)):
                a = np.array([r[k] for r in rows]).reshape(len(weights), t.size)
                n = np.zeros_like(a)
                for j in range(t.size):
                    n[:, j] = W @ _perturbed(fn, tensors, t, j, eps)
                shape = t.shape

                def index_of(flat, shape=shape, cols=t.size):
                    return tuple(int(i) for i in np.unravel_index(flat % cols, shape)) \
                        if shape else ()
                report.append(_compare(label, shape, "elementwise", a, n, atol, rtol,
                                       index_of))
        else:
            us = rng.standard_normal((n_directions, n_out))
            rows = _analytic_rows(fn, tensors, targets, list(us))
            for k, (t, label) in enumerate(zip(targets, labels)):
                a, n = np.zeros(n_directions), np.zeros(n_directions)
                flat = t.data.reshape(-1)
                original = flat.copy()
                for d in range(n_directions):
                    v = rng.standard_normal(t.size)
                    v /= np.linalg.norm(v)
                    a[d] = rows[d][k] @ v
                    try:
                        flat[:] = original + eps * v
                        hi = _evaluate(fn, tensors)
                        flat[:] = original - eps * v
                        lo = _evaluate(fn, tensors)
                    finally:
                        flat[:] = original
                    n[d] = us[d] @ ((hi - lo) / (2 * eps))
                report.append(_compare(label, t.shape, "projection", a, n, atol, rtol,
                                       lambda i: (i,)))
    return report


def gradcheck(fn, inputs, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True, max_elements: int = 4096,
              n_directions: int = 4) -> bool:
    """Check ``fn``'s gradients against central differences, in float64.

    ``fn(*inputs)`` may return a Tensor of any shape (or a tuple of them):
    the whole Jacobian is compared. Inputs with ``requires_grad`` (and
    arrays) are checked; float32 ones are promoted to float64 for the check,
    with a warning, and restored afterwards. Returns True, or raises
    ``GradcheckError`` with a per-input report (returns False when
    ``raise_exception=False``).

    >>> import numpy as np, autograd as ag
    >>> x = ag.Tensor(np.array([0.5, -1.0, 2.0]), requires_grad=True)
    >>> ag.gradcheck(lambda x: (x.tanh() * x).sum(), [x])
    True
    """
    report = compare_grads(fn, inputs, eps=eps, atol=atol, rtol=rtol,
                           max_elements=max_elements, n_directions=n_directions)
    if report.passed:
        return True
    if raise_exception:
        bad = ", ".join(r.name for r in report if not r.passed)
        raise GradcheckError(f"gradcheck: the gradient of {bad} does not match the numeric "
                             f"one (atol={atol}, rtol={rtol}):\n{report}")
    return False


def gradgradcheck(fn, inputs, grad_outputs=None, eps: float = 1e-6, atol: float = 1e-5,
                  rtol: float = 1e-3, raise_exception: bool = True, seed: int = 0) -> bool:
    """``gradcheck`` of the first derivatives: checks second derivatives.

    The first derivatives are taken as the vector-Jacobian product with
    ``grad_outputs`` (random, fixed by ``seed``, when not given).

    >>> import numpy as np, autograd as ag
    >>> x = ag.Tensor(np.array([0.3, 1.2]), requires_grad=True)
    >>> ag.gradgradcheck(lambda x: (x.sin() * x ** 2).sum(), [x])
    True
    """
    who = "gradgradcheck"
    _check_fn(who, fn)
    _real(who, "eps", eps, positive=True), _real(who, "atol", atol), _real(who, "rtol", rtol)
    names, items = _named_inputs(inputs, who)
    rng = np.random.default_rng(_count(who, "seed", seed, minimum=0))
    with _float64_inputs(items, who) as (tensors, checked):
        with no_grad():
            out = fn(*tensors)
        outs = list(out) if isinstance(out, (tuple, list)) else [out]
        if grad_outputs is None:
            grad_outputs = [rng.standard_normal(o.shape) for o in outs]
        elif isinstance(grad_outputs, (Tensor, np.ndarray)):
            grad_outputs = [grad_outputs]
        given = [np.shape(g.data if isinstance(g, Tensor) else g) for g in grad_outputs]
        wanted = [tuple(o.shape) for o in outs]
        if given != wanted:
            raise ValueError(f"{who}: grad_outputs must have the shapes of fn's outputs, "
                             f"{wanted}, got {given}")
        targets = [t for t, c in zip(tensors, checked) if c]

        def first_derivatives(*xs):
            with enable_grad():
                res = fn(*xs)
                res = list(res) if isinstance(res, (tuple, list)) else [res]
                gs = _grad(res, targets, grad_outputs=[Tensor(np.asarray(g, np.float64))
                                                       for g in grad_outputs],
                           create_graph=True, allow_unused=True)
            return tuple(g for g in gs if g is not None)

        named = dict(zip([n or t.name or f"input {i}" for i, (n, t) in
                          enumerate(zip(names, tensors))], tensors))
        return gradcheck(first_derivatives, named if len(named) == len(tensors) else tensors,
                         eps=eps, atol=atol, rtol=rtol, raise_exception=raise_exception)
