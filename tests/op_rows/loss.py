"""Rows for nn's losses and distances of issue 11 (nll_loss, cross_entropy's
ignore_index and label_smoothing, kl_div, l1_loss, smooth_l1_loss, huber_loss,
normalize, cosine_similarity, pairwise_distance; see tests/op_table.py), each with
its PyTorch form, and the losses at their kinks and extremes (issue 14, item 2):
ties, +-1e4, targets 0 and 1, a zero vector. Rows named ``*_at_kinks`` are checked on
their forward here and on PyTorch's derivatives in tests/test_activations_losses.py."""
import numpy as np

import nn.functional as F
from op_info import GRID, POSITIVE, REAL, OpInfo, S

from op_rows.activation import FIXED

TF = "torch.nn.functional"


def _tf(name):
    return lambda torch, *xs, **kw: getattr(torch.nn.functional, name)(*xs, **kw)


def _reduce(loss, reduction, denom=None):
    if reduction == "none":
        return loss
    total = loss.sum()
    return total / (loss.size if denom is None else denom) if reduction == "mean" else total


def _log_softmax(x, axis=1):
    m = x.max(axis=axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))


def _nll_ref(x, target, weight=None, ignore_index=-100, reduction="mean"):
    logp = np.moveaxis(x, 1, -1)
    w = np.ones(x.shape[1]) if weight is None else weight
    keep = target != ignore_index
    safe = np.where(keep, target, 0)
    wt = w[safe] * keep
    loss = -np.take_along_axis(logp, safe[..., None], -1)[..., 0] * wt
    return _reduce(loss, reduction, wt.sum()).astype(x.dtype)


def _ce_ref(x, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
    """PyTorch's definition: (1 - e) nll + e / C * sum_c -w_c log p_c, same divisor."""
    logp = _log_softmax(x)
    c = x.shape[1]
    w = np.ones(c) if weight is None else weight
    if target.dtype.kind == "f":
        y = target * (1 - label_smoothing) + label_smoothing / c
        loss = -(np.moveaxis(logp, 1, -1) * np.moveaxis(y, 1, -1) * w).sum(-1)
        return _reduce(loss, reduction, loss.size).astype(x.dtype)
    keep = target != ignore_index
    nll = _nll_ref(logp, target, weight, ignore_index, "none")
    smooth = -(np.moveaxis(logp, 1, -1) * w).sum(-1) * keep
    loss = (1 - label_smoothing) * nll + label_smoothing / c * smooth
    return _reduce(loss, reduction, (w[np.where(keep, target, 0)] * keep).sum()).astype(x.dtype)


def _kl_ref(x, y=None, reduction="mean", log_target=False, target=None):
    y = target if y is None else y
    if log_target:
        loss = np.exp(y) * (y - x)
    else:
        loss = np.where(y > 0, y * np.log(np.where(y > 0, y, 1)), 0) - y * x
    if reduction == "batchmean":
        return (loss.sum() / x.shape[0]).astype(x.dtype)
    return _reduce(loss, reduction).astype(x.dtype)


def _smooth_l1_ref(x, y, reduction="mean", beta=1.0):
    d = np.abs(x - y)
    return _reduce(np.where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta), reduction).astype(
        x.dtype)


def _huber_ref(x, y, reduction="mean", delta=1.0):
    d = np.abs(x - y)
    return _reduce(np.where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta)),
                   reduction).astype(x.dtype)


def _bce_ref(p, y):
    with np.errstate(divide="ignore"):
        return -(y * np.maximum(np.log(p), -100) + (1 - y) * np.maximum(np.log1p(-p), -100))


def _pnorm(v, p, axis, keepdims=False):
    return (np.abs(v) ** p).sum(axis=axis, keepdims=keepdims) ** (1 / p)


def _normalize_ref(x, p=2.0, dim=1, eps=1e-12):
    return (x / np.maximum(_pnorm(x, p, dim, True), eps)).astype(x.dtype)


def _cosine_ref(a, b, dim=1, eps=1e-8):
    na = np.maximum(_pnorm(a, 2, dim, True), eps)
    nb = np.maximum(_pnorm(b, 2, dim, True), eps)
    return ((a / na) * (b / nb)).sum(axis=dim).astype(np.result_type(a, b))


def _pairwise_ref(a, b, p=2.0, eps=1e-6, keepdim=False):
    return _pnorm(a - b + eps, p, -1, keepdim).astype(np.result_type(a, b))


T3 = np.array([0, 3, 1])
W4 = np.array([1.0, 2.0, 0.5, 3.0])
LOSS = dict(float32=True)


def _kinks(name, fn, ref, samples, domain, torch):
    return OpInfo(f"{name}_at_kinks", fn, ref, samples, domain=domain, torch=torch,
                  differentiable=False, checks="exactly at ties/kinks; derivatives vs PyTorch "
                                               "in test_activations_losses.py")


ROWS = [
    OpInfo("nll_loss", lambda x, **kw: F.nll_loss(x, **kw), _nll_ref,
           [S((3, 4), target=T3), S((3, 4), target=np.array([0, -100, 2]), weight=W4),
            S((3, 4), target=np.array([2, 2, 5]), ignore_index=5, reduction="sum"),
            S((2, 3, 2), target=np.array([[0, 2], [1, -100]]), reduction="none"),
            S((2, 3, 2), target=np.array([[0, 2], [1, 1]]), weight=np.array([1.0, 2, 3]))],
           torch=_tf("nll_loss"), checks="weight, ignore_index, (N, C, d) inputs"),
    OpInfo("cross_entropy_smoothing_and_ignore",
           lambda x, *y, **kw: F.cross_entropy(x, y[0] if y else kw.pop("target"), **kw), _ce_ref,
           [S((3, 4), target=np.array([0, -100, 2]), weight=W4),
            S((3, 4), target=T3, label_smoothing=0.2),
            S((3, 4), target=np.array([1, 3, -1]), weight=W4, label_smoothing=0.1,
              ignore_index=-1, reduction="sum"),
            S((2, 3, 2), target=np.array([[0, 2], [-100, 1]]), label_smoothing=0.3,
              reduction="none"),
            S((3, 4), (3, 4), label_smoothing=0.25, weight=W4)],
           domain=(REAL, POSITIVE), torch=_tf("cross_entropy"),
           checks="fused op; ignore_index, label_smoothing with class indices and "
                  "probabilities; oracle: PyTorch's definition"),
    OpInfo("kl_div", lambda x, y, **kw: F.kl_div(x, y, **kw), _kl_ref,
           [S((3, 4), (3, 4)), S((3, 4), (3, 4), reduction="batchmean"),
            S((2, 3), (2, 3), reduction="sum", log_target=True),
            S((4,), (4,), reduction="none")],
           domain=(REAL, POSITIVE), torch=_tf("kl_div"), checks="batchmean, log_target"),
    OpInfo("l1_loss", lambda x, y, **kw: F.l1_loss(x, y, **kw),
           lambda x, y, reduction="mean": _reduce(np.abs(x - y), reduction).astype(x.dtype),
           [S((4,), (4,)), S((2, 3), (2, 3), reduction="sum"), S((), ()),
            S((2, 3), (2, 3), reduction="none")],
           domain=(GRID(0), GRID(1)), torch=_tf("l1_loss"), checks="no ties"),
    OpInfo("smooth_l1_loss", lambda x, y, **kw: F.smooth_l1_loss(x, y, **kw), _smooth_l1_ref,
           [S((6,), (6,)), S((2, 3), (2, 3), beta=0.5, reduction="sum"),
            S((2, 3), (2, 3), beta=0.0, reduction="none")],
           domain=(GRID(0), GRID(1)), torch=_tf("smooth_l1_loss"), checks="beta 0 is L1"),
    OpInfo("huber_loss", lambda x, y, **kw: F.huber_loss(x, y, **kw), _huber_ref,
           [S((6,), (6,)), S((2, 3), (2, 3), delta=0.5, reduction="sum"),
            S((2, 3), (2, 3), delta=2.0, reduction="none")],
           domain=(GRID(0), GRID(1)), torch=_tf("huber_loss")),
    OpInfo("normalize", lambda x, **kw: F.normalize(x, **kw), _normalize_ref,
           [S((3, 4)), S((3, 4), dim=0), S((2, 3, 2), p=1.0, dim=-1), S((5,), dim=0)],
           torch=_tf("normalize")),
    OpInfo("cosine_similarity", lambda a, b, **kw: F.cosine_similarity(a, b, **kw),
           _cosine_ref, [S((3, 4), (3, 4)), S((3, 4), (1, 4)), S((2, 3, 2), (2, 3, 2), dim=-1),
                         S((4,), (4,), dim=0)],
           torch=_tf("cosine_similarity"), checks="broadcasting"),
    OpInfo("pairwise_distance", lambda a, b, **kw: F.pairwise_distance(a, b, **kw),
           _pairwise_ref, [S((3, 4), (3, 4)), S((3, 4), (4,)), S((3, 4), (3, 4), p=1.0),
                           S((2, 5), (2, 5), p=3.0, keepdim=True)],
           torch=_tf("pairwise_distance"), checks="p 1, 2, 3; broadcasting"),
    # extremes where the losses are smooth: full checks, PyTorch's gradients
    OpInfo("bce_with_logits_targets_0_and_1",
           lambda x, **kw: F.binary_cross_entropy_with_logits(x, **kw),
           lambda x, target, reduction="mean": _reduce(
               np.maximum(x, 0) - x * target + np.log1p(np.exp(-np.abs(x))), reduction
           ).astype(x.dtype),
           [S((8,), target=np.array([0.0, 1, 0, 1, 0, 1, 0, 1])),
            S((8,), target=np.array([1.0, 0, 1, 0, 1, 0, 1, 0]), reduction="none")],
           domain=FIXED(0.0, 0.0, -0.0, -0.0, 1e4, 1e4, -1e4, -1e4),
           torch=_tf("binary_cross_entropy_with_logits"),
           checks="logits 0 and +-1e4, targets 0 and 1"),
    OpInfo("cross_entropy_ties_and_extremes",
           lambda x, **kw: F.cross_entropy(x, **kw), _ce_ref,
           [S((3, 3), target=np.array([0, 2, 1])),
            S((3, 3), target=np.array([2, 0, 1]), label_smoothing=0.1, reduction="none")],
           domain=FIXED(0.0, 0.0, 0.0, 1e4, 1e4, -1e4, 1e4, -1e4, 0.0),
           torch=_tf("cross_entropy"), checks="ties, +-1e4"),
    OpInfo("kl_div_targets_0_and_1", lambda x, **kw: F.kl_div(x, **kw), _kl_ref,
           [S((2, 3), target=np.array([[0.0, 1.0, 0.0], [0.5, 0.0, 0.5]]),
              reduction="batchmean")],
           domain=FIXED(-1e4, 0.0, -2.0, -0.5, -1e4, -1.0), torch=_tf("kl_div"),
           checks="targets 0 and 1, input -1e4"),
    # on the kinks
    _kinks("l1_loss", lambda x, **kw: F.l1_loss(x, **kw),
           lambda x, target: np.abs(x - target).mean().astype(x.dtype),
           [S((4,), target=np.array([0.0, 1.0, 1e4, -2.0]))], FIXED(0.0, 1.0, 1e4, -1e4),
           _tf("l1_loss")),
    _kinks("smooth_l1_loss", lambda x, **kw: F.smooth_l1_loss(x, **kw),
           lambda x, target, beta=1.0: _smooth_l1_ref(x, target, beta=beta),
           [S((5,), target=np.array([0.0, 1.0, 0.0, 1e4, 0.0]), beta=0.5)],
           FIXED(0.0, 1.5, -0.5, 1e4, -1e4), _tf("smooth_l1_loss")),
    _kinks("huber_loss", lambda x, **kw: F.huber_loss(x, **kw),
           lambda x, target, delta=1.0: _huber_ref(x, target, delta=delta),
           [S((5,), target=np.array([0.0, 1.0, 0.0, 1e4, 0.0]), delta=2.0)],
           FIXED(0.0, 3.0, -2.0, 1e4, -1e4), _tf("huber_loss")),
    _kinks("binary_cross_entropy", lambda p, **kw: F.binary_cross_entropy(p, **kw),
           lambda p, target: _bce_ref(p, target).mean().astype(p.dtype),
           [S((6,), target=np.array([0.0, 1.0, 0.0, 1.0, 0.0, 1.0]))],
           FIXED(0.0, 0.0, 1.0, 1.0, 0.5, 0.5), _tf("binary_cross_entropy")),
    _kinks("normalize", lambda x, **kw: F.normalize(x, **kw), _normalize_ref,
           [S((2, 3))], FIXED(0.0, 0.0, 0.0, 1e4, -1e4, 0.0), _tf("normalize")),
    _kinks("pairwise_distance", lambda a, b, **kw: F.pairwise_distance(a, b, **kw),
           _pairwise_ref, [S((2, 3), (2, 3), eps=0.0, p=1.0)],
           (FIXED(1.0, 0.0, 2.0, 1e4, 0.0, 0.0), FIXED(1.0, 0.0, 2.0, -1e4, 0.0, 1.0)),
           _tf("pairwise_distance")),
]
