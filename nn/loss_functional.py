"""Loss functions (re-exported by ``nn.functional``), numerically stable.

``cross_entropy`` and ``binary_cross_entropy`` are fused primitives:
cross-entropy because it is every classifier's hot path (one exp, and the
notes' gradient ``dZ = A - Y`` in one step), binary cross-entropy because
PyTorch's clamping of the log at -100 has no finite composed gradient at
``p = 0`` or ``1``. Their composed forms are the tests' oracles.
"""
from __future__ import annotations

import numpy as np

import autograd as ag
from autograd import Tensor, as_tensor
from autograd.function import Op

REDUCTIONS = ("mean", "sum", "none")


def _check_reduction(who: str, reduction: str) -> None:
    if reduction not in REDUCTIONS:
        raise ValueError(f"{who}: reduction must be one of {REDUCTIONS}, got {reduction!r}")


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


def _data(x):
    return x.data if isinstance(x, Tensor) else np.asarray(x)


def _like(value, ref: Tensor):
    """A constant (array or Tensor that needs no grad) in ``ref``'s dtype, so that a
    float64 target or weight does not turn a float32 loss into float64."""
    if isinstance(value, Tensor) and value.requires_grad:
        return value
    return _data(value).astype(ref.dtype, copy=False)


# -- cross-entropy ---------------------------------------------------------------
class CrossEntropy(Op):
    """Fused log-softmax and negative log-likelihood over the rows of ``x`` (M, C).

    With ``wy[i, c]`` the (class-weighted) target of row ``i``:
    ``loss_i = -sum_c wy[i, c] log p[i, c]`` and
    ``d loss_i / dx[i] = p[i] * sum_c wy[i, c] - wy[i]`` (``p - y``: the notes' ``dZ = A - Y``).
    """

    op_name = "cross_entropy"

    def forward(ctx, x, target, weight=None, reduction="mean", denom=None):
        shifted = x - x.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        s = e.sum(axis=1, keepdims=True)
        log_s = np.log(s)
        rows = np.arange(x.shape[0])
        soft = target.dtype.kind == "f"
        if soft:
            wy = target if weight is None else target * weight
            loss = -(wy * (shifted - log_s)).sum(axis=1)
            ctx.denom = x.shape[0] if denom is None else denom
        else:
            wt = None if weight is None else weight[target]
            loss = log_s[:, 0] - shifted[rows, target]
            if wt is not None:
                loss = loss * wt
            ctx.denom = x.shape[0] if wt is None else wt.sum()
            wy = None
        ctx.soft, ctx.weight, ctx.reduction = soft, weight, reduction
        e /= s  # now the softmax p, kept for backward
        ctx.save_for_backward(x, e, target)
        if reduction == "none":
            return loss.astype(x.dtype, copy=False)
        total = loss.sum()
        if reduction != "mean":
            return np.asarray(total, dtype=x.dtype)
        if not ctx.denom:   # every target ignored: NaN, as PyTorch (errstate is slow)
            with np.errstate(invalid="ignore", divide="ignore"):
                return np.asarray(total / ctx.denom, dtype=x.dtype)
        return np.asarray(total / ctx.denom, dtype=x.dtype)

    def _row_scale(ctx, g):
        """The incoming gradient as a per-row factor (M, 1)."""
        if ctx.reduction == "none":
            return g.reshape(-1, 1)
        if ctx.reduction != "mean":
            return g
        if not ctx.denom:
            with np.errstate(invalid="ignore", divide="ignore"):
                return g / ctx.denom
        return g / ctx.denom

    def _weighted_target(ctx, target, n_classes, dtype):
        if ctx.soft:
            return target if ctx.weight is None else target * ctx.weight
        wy = np.zeros((target.shape[0], n_classes), dtype=dtype)
        wy[np.arange(target.shape[0]), target] = 1 if ctx.weight is None else \
            ctx.weight[target]
        return wy

    def backward(ctx, g):
        x, p, target = ctx.saved_tensors
        if isinstance(g, Tensor):  # create_graph: recompute p from x so it is differentiable
            return _cross_entropy_tensor_backward(ctx, g, x, target)
        scale = ctx._row_scale(g)
        gx = gt = None
        if ctx.needs_input_grad[0]:
            if not ctx.soft and ctx.weight is None:
                gx = p.copy()
                gx[np.arange(x.shape[0]), target] -= 1
            else:
                wy = ctx._weighted_target(target, x.shape[1], x.dtype)
                gx = p * wy.sum(axis=1, keepdims=True) - wy
            gx *= scale
        if ctx.needs_input_grad[1]:
            logp = x - x.max(axis=1, keepdims=True)
            logp -= np.log(np.exp(logp).sum(axis=1, keepdims=True))
            w = 1 if ctx.weight is None else ctx.weight
            gt = -(w * logp) * scale
        return gx, gt


def _cross_entropy_tensor_backward(ctx, g, x, target):
    t = target.data if isinstance(target, Tensor) else target
    scale = ctx._row_scale(g)
    gx = gt = None
    if ctx.needs_input_grad[0]:
        wy = target if ctx.soft else Tensor(ctx._weighted_target(t, x.shape[1], x.dtype))
        if ctx.soft and ctx.weight is not None:
            wy = wy * ctx.weight
        gx = (ag.softmax(x, axis=1) * wy.sum(axis=1, keepdims=True) - wy) * scale
    if ctx.needs_input_grad[1]:
        w = 1 if ctx.weight is None else ctx.weight
        gt = -(ag.log_softmax(x, axis=1) * w) * scale
    return gx, gt


def _check_targets(input_shape, target, n_classes, ignore_index=-100):
    if target.dtype.kind in "iu":
        if target.shape != (input_shape[0],) + input_shape[2:]:
            raise ValueError(f"cross_entropy: class-index target of shape {target.shape} does "
                             f"not match input of shape {input_shape} (expected "
                             f"{(input_shape[0],) + input_shape[2:]})")
        if target.size and (target.min() < 0 or target.max() >= n_classes):
            bad = (target < 0) | (target >= n_classes)
            bad &= target != ignore_index
            if not bad.any():
                return
            raise ValueError(f"cross_entropy: target {int(target[bad].flat[0])} is out of "
                             f"range [0, {n_classes}) for C = {n_classes} classes")
    elif target.dtype.kind == "f":
        if target.shape != input_shape:
            raise ValueError(f"cross_entropy: probability target of shape {target.shape} "
                             f"does not match input of shape {input_shape}")
    else:
        raise TypeError(f"cross_entropy: target must hold class indices (int) or "
                        f"probabilities (float), got dtype {target.dtype}")


def cross_entropy(input, target, weight=None, ignore_index: int = -100,
                  reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    """Softmax cross-entropy of logits ``input`` (N, C) or (N, C, d1, ...), with
    class-index targets (ints, shape (N, d1, ...)) or class probabilities (floats,
    the input's shape). ``weight`` (C,) rescales each class; the weighted mean
    divides by the targets' total weight, as PyTorch. Class indices equal to
    ``ignore_index`` add nothing (nor to the mean's divisor); ``label_smoothing``
    ``e`` mixes the target with the uniform distribution: ``(1 - e) y + e / C``.

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> z = ag.Tensor(np.array([[2.0, 0.0, -1e4]]), requires_grad=True)
    >>> loss = F.cross_entropy(z, np.array([0]))
    >>> loss.backward()
    >>> round(loss.item(), 4), np.round(z.grad.data, 4).tolist()   # grad = softmax - y
    (0.1269, [[-0.1192, 0.1192, 0.0]])
    >>> F.cross_entropy(np.zeros((2, 4)), np.array([1, -100]), label_smoothing=0.1).item()
    1.386...
    """
    _check_reduction("cross_entropy", reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be in [0, 1], "
                         f"got {label_smoothing}")
    x = as_tensor(input)
    tgt = target if isinstance(target, Tensor) else np.asarray(target)
    t_arr = _data(tgt)
    if x.ndim == 1:  # one unbatched sample
        out = cross_entropy(x.reshape(1, -1), tgt.reshape(1, *t_arr.shape), weight,
                            ignore_index, reduction, label_smoothing)
        return out.reshape(()) if reduction == "none" else out
    if x.ndim < 1 or x.dtype.kind != "f":
        raise ValueError(f"cross_entropy: expected float logits (N, C, ...), got shape "
                         f"{x.shape} dtype {x.dtype}")
    _check_targets(x.shape, t_arr, x.shape[1], ignore_index)
    n_classes = x.shape[1]
    if weight is not None:
        weight = _data(weight).astype(x.dtype)
        if weight.shape != (n_classes,):
            raise ValueError(f"cross_entropy: weight of shape {weight.shape} for "
                             f"C = {n_classes} classes (expected ({n_classes},))")
    soft = t_arr.dtype.kind == "f"
    if soft and not isinstance(tgt, Tensor):
        tgt = t_arr.astype(x.dtype, copy=False)
    if soft and label_smoothing:
        tgt = tgt * (1 - label_smoothing) + label_smoothing / n_classes
    spatial = x.shape[2:]
    if spatial:  # classes last, then one row per position
        axes = (0,) + tuple(range(2, x.ndim)) + (1,)
        x = x.transpose(*axes).reshape(-1, n_classes)
        tgt = (tgt.transpose(*axes) if soft else tgt).reshape(
            (-1, n_classes) if soft else (-1,))
    denom = None
    if not soft and (label_smoothing or (t_arr == ignore_index).any()):
        tgt, weight, denom = _dense_targets(_data(tgt), n_classes, weight, ignore_index,
                                            label_smoothing, x.dtype)
    out = CrossEntropy.apply(x, tgt, weight=weight, reduction=reduction, denom=denom)
    if reduction == "none" and spatial:
        out = out.reshape((-1,) + spatial)
    return out


def _dense_targets(t, n_classes, weight, ignore_index, smoothing, dtype):
    """Class indices as the weighted target rows ``wy`` of the fused op (0 for ignored
    rows) and the mean's divisor (the kept targets' total weight), as PyTorch:
    ``wy = (1 - e) w[t] onehot(t) + e w / C``."""
    keep = t != ignore_index
    safe = np.where(keep, t, 0)
    w = np.ones(n_classes, dtype) if weight is None else weight
    wy = np.zeros((t.shape[0], n_classes), dtype)
    wy[np.arange(t.shape[0]), safe] = (1 - smoothing) * w[safe]
    if smoothing:
        wy += (smoothing / n_classes) * w
    wy *= keep[:, None]
    return wy, None, (w[safe] * keep).sum()


# -- binary cross-entropy -------------------------------------------------------------
class BinaryCrossEntropy(Op):
    """``-(y log p + (1 - y) log(1 - p))``, each log clamped at -100 (as PyTorch);
    ``d/dp = (p - y) / max(p (1 - p), 1e-12)``, ``d/dy = log(1 - p) - log p``."""

    op_name = "binary_cross_entropy"

    def forward(ctx, p, y):
        with np.errstate(divide="ignore"):
            log_p = np.maximum(np.log(p), -100.0)
            log_1p = np.maximum(np.log1p(-p), -100.0)
        ctx.save_for_backward(p, y)
        return -(y * log_p + (1 - y) * log_1p)

    def backward(ctx, g):
        p, y = ctx.saved_tensors
        gp = gy = None
        if ctx.needs_input_grad[0]:
            denom = (p * (1 - p))
            denom = ag.maximum(denom, 1e-12) if isinstance(denom, Tensor) else \
                np.maximum(denom, 1e-12)
            gp = g * (p - y) / denom
        if ctx.needs_input_grad[1]:
            with np.errstate(divide="ignore"):
                if isinstance(p, Tensor):  # differentiable, for second derivatives in p
                    d = ag.maximum(ag.log(1 - p), -100.0) - ag.maximum(ag.log(p), -100.0)
                else:
                    d = np.maximum(np.log1p(-p), -100.0) - np.maximum(np.log(p), -100.0)
            gy = g * d
        return gp, gy


def _check_same_shape(who, input, target):
    if np.shape(_data(input)) != np.shape(_data(target)):
        raise ValueError(f"{who}: input of shape {np.shape(_data(input))} and target of "
                         f"shape {np.shape(_data(target))} differ")


def binary_cross_entropy(input, target, weight=None, reduction: str = "mean") -> Tensor:
    """Binary cross-entropy of probabilities ``input`` in [0, 1] (after a sigmoid).
    Prefer ``binary_cross_entropy_with_logits``, which is stable for any logit.

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> F.binary_cross_entropy(ag.Tensor(np.array([0.0, 1.0])), np.array([1.0, 1.0])).item()
    50.0
    """
    _check_reduction("binary_cross_entropy", reduction)
    _check_same_shape("binary_cross_entropy", input, target)
    p = as_tensor(input)
    if p.size and (np.isnan(p.data).any() or p.data.min() < 0 or p.data.max() > 1):
        raise ValueError(f"binary_cross_entropy: input must hold probabilities in [0, 1], "
                         f"got values in [{np.nanmin(p.data)}, {np.nanmax(p.data)}] "
                         f"(pass logits to binary_cross_entropy_with_logits instead)")
    loss = BinaryCrossEntropy.apply(p, _like(target, p))
    if weight is not None:
        loss = loss * _like(weight, p)
    return _reduce(loss, reduction)


class BinaryCrossEntropyWithLogits(Op):
    """``(1 - y) x + w softplus(-x)`` with ``w = 1 + (pos_weight - 1) y`` (1 without
    ``pos_weight``); ``d/dx = (1 - y) - w sigmoid(-x)`` (``sigmoid(x) - y`` when
    ``w = 1``), ``d/dy = -x``, ``d/dw = softplus(-x)``. A primitive because the
    composed ``relu(x) + log(1 + exp(-|x|))`` takes its kinks' one-sided slopes at
    ``x = 0``, where the true gradient is ``1/2 - y``, not ``-y``."""

    op_name = "binary_cross_entropy_with_logits"

    def forward(ctx, x, y, w):
        # no None among the saved values: a differentiable backward would not see it as None
        ctx.save_for_backward(*((x, y) if w is None else (x, y, w)))
        w = 1 if w is None else w
        # softplus(-x) = max(-x, 0) + log(1 + exp(-|x|)), which never overflows; the
        # large terms first, so that (1 - y) x + max(-x, 0) cancels exactly for y = 0 or 1
        out = (1 - y) * x + w * np.maximum(-x, 0) + w * np.log1p(np.exp(-np.abs(x)))
        return out.astype(x.dtype, copy=False)

    def backward(ctx, g):
        x, y, *w = ctx.saved_tensors
        w = w[0] if w else 1
        gx = gy = gw = None
        if isinstance(g, Tensor):  # create_graph: the same formulas in Tensor ops
            if ctx.needs_input_grad[0]:
                gx = g * ((1 - y) - w * ag.sigmoid(-x))
            if ctx.needs_input_grad[2]:   # (|x| - x) / 2 has the slope -1/2 at 0 as well
                gw = g * ((ag.abs(x) - x) / 2 + ag.log(1 + ag.exp(-ag.abs(x))))
        else:
            if ctx.needs_input_grad[0]:
                gx = g * ((1 - y) - w * np.exp(-np.logaddexp(0, x)))   # sigmoid(-x)
            if ctx.needs_input_grad[2]:
                gw = g * (np.maximum(-x, 0) + np.log1p(np.exp(-np.abs(x))))
        if ctx.needs_input_grad[1]:
            gy = -(g * x)
        return gx, gy, gw


def binary_cross_entropy_with_logits(input, target, weight=None, reduction: str = "mean",
                                     pos_weight=None) -> Tensor:
    """``-(y log sigmoid(x) + (1 - y) log(1 - sigmoid(x)))`` computed stably as
    ``(1 - y) x + log(1 + exp(-x))``; its gradient is ``sigmoid(x) - y``, also at
    ``x = 0``. ``pos_weight`` multiplies the positive term (PyTorch's formula).

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> F.binary_cross_entropy_with_logits(ag.Tensor(np.array([1e4, -1e4])),
    ...                                    np.array([1.0, 0.0])).item()
    0.0
    >>> x = ag.Tensor(np.zeros(2), requires_grad=True)   # zero weights: every logit is 0
    >>> F.binary_cross_entropy_with_logits(x, np.array([0.0, 1.0])).backward()
    >>> x.grad.data.tolist()                             # (sigmoid(0) - y) / n
    [0.25, -0.25]
    """
    who = "binary_cross_entropy_with_logits"
    _check_reduction(who, reduction)
    _check_same_shape(who, input, target)
    x = as_tensor(input)
    y = _like(target, x)
    w = None
    if pos_weight is not None:
        pw_shape = np.shape(_data(pos_weight))
        try:
            fits = np.broadcast_shapes(pw_shape, x.shape) == x.shape
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(f"{who}: pos_weight of shape {pw_shape} does not broadcast to "
                             f"the input's shape {x.shape}")
        w = 1 + (_like(pos_weight, x) - 1) * y
    loss = BinaryCrossEntropyWithLogits.apply(x, y, w)
    if weight is not None:
        loss = loss * _like(weight, x)
    return _reduce(loss, reduction)


def mse_loss(input, target, reduction: str = "mean") -> Tensor:
    """Mean squared error ``(x - y)^2``.

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> F.mse_loss(ag.Tensor(np.array([1.0, 3.0])), np.array([0.0, 0.0])).item()
    5.0
    """
    _check_reduction("mse_loss", reduction)
    _check_same_shape("mse_loss", input, target)
    x = as_tensor(input)
    d = x - _like(target, x)
    return _reduce(d * d, reduction)
