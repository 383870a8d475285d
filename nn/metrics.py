"""Evaluation metrics for classifiers, with scikit-learn's names, arguments and values.

The notes' "one number to evaluate": precision (of the samples predicted as a
class, the share that belong to it), recall (of the samples of a class, the
share found) and their harmonic mean F1 = 2 P R / (P + R). Labels are given as
lists, ndarrays or Tensors of class indices (or strings); ``confusion_matrix``
has one row per true class and one column per predicted class.

>>> from nn import metrics
>>> y_true, y_pred = [0, 1, 2, 2, 2], [0, 0, 2, 2, 1]
>>> metrics.accuracy_score(y_true, y_pred)
0.6
>>> metrics.confusion_matrix(y_true, y_pred)
array([[1, 0, 0],
       [1, 0, 0],
       [0, 1, 2]])
>>> round(metrics.f1_score(y_true, y_pred, average="macro"), 4)
0.4889
"""
from __future__ import annotations

import math
import warnings

import numpy as np

from autograd import Tensor

__all__ = ["accuracy_score", "confusion_matrix", "precision_recall_fscore_support",
           "precision_score", "recall_score", "f1_score", "fbeta_score",
           "classification_report", "UndefinedMetricWarning"]

_AVERAGES = (None, "binary", "micro", "macro", "weighted")


class UndefinedMetricWarning(UserWarning):
    """A score divided by zero (no predicted or no true samples of a class) and was set
    by ``zero_division``; scikit-learn warns with a class of the same name."""


# -- checking the inputs -----------------------------------------------------------------
def _column(y, who: str, name: str) -> np.ndarray:
    arr = y.data if isinstance(y, Tensor) else np.asarray(y)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(f"{who}: {name} must be a 1-d sequence of class labels, got shape "
                         f"{arr.shape} (for scores or logits pass their argmax(axis=1))")
    if arr.dtype.kind == "f" and not np.all(np.isfinite(arr) & (arr == np.round(arr))):
        raise ValueError(f"{who}: {name} holds non-integer numbers (continuous values); "
                         "classification metrics need class labels")
    if arr.dtype.kind not in "biufUSO":
        raise TypeError(f"{who}: {name} has dtype {arr.dtype}; expected class labels "
                        "(integers, bools or strings)")
    return arr


def _is_text(arr: np.ndarray) -> bool:
    return arr.dtype.kind in "USO"


def _check_targets(who: str, y_true, y_pred, sample_weight=None):
    """``(type, present labels, y_true, y_pred, weights)``; type is 'binary' or 'multiclass'."""
    t, p = _column(y_true, who, "y_true"), _column(y_pred, who, "y_pred")
    if len(t) != len(p):
        raise ValueError(f"{who}: y_true and y_pred must hold the same number of samples, "
                         f"got {len(t)} and {len(p)}")
    if len(t) == 0:
        raise ValueError(f"{who}: y_true and y_pred are empty; there is nothing to score")
    if _is_text(t) != _is_text(p):
        raise TypeError(f"{who}: mix of label types: y_true has dtype {t.dtype}, y_pred "
                        f"{p.dtype} (strings and numbers)")
    w = None
    if sample_weight is not None:
        w = np.asarray(sample_weight.data if isinstance(sample_weight, Tensor)
                       else sample_weight)
        if w.shape != t.shape:
            raise ValueError(f"{who}: sample_weight must have shape {t.shape} (one weight "
                             f"per sample), got {w.shape}")
    present = np.unique(np.concatenate([t, p]))
    return ("binary" if len(present) <= 2 else "multiclass"), present, t, p, w


def _as_labels(who: str, labels, y: np.ndarray) -> np.ndarray:
    labels = np.asarray(labels.data if isinstance(labels, Tensor) else labels)
    if labels.ndim != 1 or labels.size == 0:
        raise ValueError(f"{who}: labels must be a non-empty 1-d list of class labels, "
                         f"got shape {labels.shape}")
    if _is_text(labels) != _is_text(y):
        raise TypeError(f"{who}: labels have dtype {labels.dtype} but y has {y.dtype} "
                        "(strings and numbers)")
    return labels


def _index_of(values: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The position of each value in ``labels``, or -1 where it is not one of them."""
    order = np.argsort(labels, kind="stable")
    ordered = labels[order]
    pos = np.clip(np.searchsorted(ordered, values), 0, len(labels) - 1)
    return np.where(ordered[pos] == values, order[pos], -1)


def _count(idx: np.ndarray, w, n: int) -> np.ndarray:
    keep = idx >= 0
    if w is None:
        return np.bincount(idx[keep], minlength=n)
    return np.bincount(idx[keep], weights=w[keep].astype(np.float64), minlength=n)


def _check_zero_division(who: str, zero_division) -> float:
    if isinstance(zero_division, str) and zero_division == "warn":
        return 0.0
    if isinstance(zero_division, (int, float, np.number)) and not isinstance(
            zero_division, bool) and (zero_division in (0, 1) or math.isnan(zero_division)):
        return float(zero_division)
    raise ValueError(f"{who}: zero_division must be 'warn', 0, 1 or np.nan, "
                     f"got {zero_division!r}")


# -- the metrics ---------------------------------------------------------------------------
def accuracy_score(y_true, y_pred, *, normalize: bool = True, sample_weight=None) -> float:
    """The share of samples whose predicted label is the true one (the count with
    ``normalize=False``).

    >>> accuracy_score([0, 1, 2, 3], [0, 2, 1, 3]), accuracy_score([0, 1], [0, 1],
    ...                                                           normalize=False)
    (0.5, 2.0)
    """
    _, _, t, p, w = _check_targets("accuracy_score", y_true, y_pred, sample_weight)
    hits = (t == p).astype(np.float64)
    if not normalize:
        return float(hits.sum() if w is None else (hits * w).sum())
    return float(np.average(hits, weights=w))


def confusion_matrix(y_true, y_pred, *, labels=None, sample_weight=None,
                     normalize: str | None = None) -> np.ndarray:
    """``C[i, j]``: how many samples of true class ``labels[i]`` were predicted as
    ``labels[j]`` (rows are true classes, columns predictions; labels sorted unless
    given). ``normalize='true'`` divides each row by its sum, ``'pred'`` each column,
    ``'all'`` the whole matrix; samples whose labels are not in ``labels`` are left out.

    >>> confusion_matrix(["cat", "dog", "dog"], ["cat", "cat", "dog"], normalize="true")
    array([[1. , 0. ],
           [0.5, 0.5]])
    """
    who = "confusion_matrix"
    if normalize not in (None, "true", "pred", "all"):
        raise ValueError(f"{who}: normalize must be 'true', 'pred', 'all' or None, "
                         f"got {normalize!r}")
    _, present, t, p, w = _check_targets(who, y_true, y_pred, sample_weight)
    if labels is None:
        labels = present
    else:
        labels = _as_labels(who, labels, t)
        if not np.isin(t, labels).any():
            raise ValueError(f"{who}: none of labels {labels.tolist()} occurs in y_true")
    n = len(labels)
    ti, pi = _index_of(t, labels), _index_of(p, labels)
    keep = (ti >= 0) & (pi >= 0)
    cells = ti[keep] * n + pi[keep]
    if w is None or w.dtype.kind in "biu":
        weights = None if w is None else w[keep]
        cm = np.bincount(cells, weights=weights, minlength=n * n).astype(np.int64)
    else:
        cm = np.bincount(cells, weights=w[keep].astype(np.float64), minlength=n * n)
    cm = cm.reshape(n, n)
    if normalize is None:
        return cm
    with np.errstate(all="ignore"):
        if normalize == "true":
            cm = cm / cm.sum(axis=1, keepdims=True)
        elif normalize == "pred":
            cm = cm / cm.sum(axis=0, keepdims=True)
        else:
            cm = cm / cm.sum()
    return np.nan_to_num(cm)


def _divide(who, num, den, metric, zero_division, warn_for, why) -> np.ndarray:
    """``num / den``, with ``zero_division``'s value (and a warning) where ``den == 0``."""
    num, den = np.asarray(num, np.float64), np.asarray(den, np.float64)
    zero = den == 0
    out = num / np.where(zero, 1.0, den)
    if zero.any():
        out[zero] = _check_zero_division(who, zero_division)
        if isinstance(zero_division, str) and metric in warn_for:
            warnings.warn(f"{who}: {metric} is ill-defined and set to 0.0 for "
                          f"{int(zero.sum())} label(s) with no {why} samples; pass "
                          "zero_division to choose the value and silence this warning",
                          UndefinedMetricWarning, stacklevel=4)
    return out


def _average(values: np.ndarray, weights) -> float:
    """scikit-learn's average: NaNs left out; all-zero weights count as equal weights."""
    keep = ~np.isnan(values)
    if not keep.any():
        return float("nan")
    if weights is None or np.sum(weights[keep]) == 0:
        return float(values[keep].mean())
    return float(np.average(values[keep], weights=weights[keep]))


def precision_recall_fscore_support(y_true, y_pred, *, beta: float = 1.0, labels=None,
                                    pos_label=1, average: str | None = None,
                                    warn_for=("precision", "recall", "f-score"),
                                    sample_weight=None, zero_division="warn"):
    """Precision, recall, F-beta and support (the number of true samples) per class,
    or averaged (then support is None).

    ``average``: None (per class, in the order of ``labels``), ``'binary'`` (only
    ``pos_label``'s scores; binary targets only), ``'micro'`` (from the counts
    summed over classes), ``'macro'`` (the plain mean over classes) or
    ``'weighted'`` (the mean weighted by each class's support). A score whose
    denominator is 0 takes ``zero_division`` (0 with a warning for ``'warn'``).

    >>> p, r, f, s = precision_recall_fscore_support([0, 1, 1, 2], [0, 1, 2, 2])
    >>> p.tolist(), r.tolist(), s.tolist()
    ([1.0, 1.0, 0.5], [1.0, 0.5, 1.0], [1, 2, 1])
    """
    who = "precision_recall_fscore_support"
    if average not in _AVERAGES:
        raise ValueError(f"{who}: average must be one of {list(_AVERAGES)}, got {average!r}")
    if not beta >= 0:
        raise ValueError(f"{who}: beta must be >= 0, got {beta!r}")
    _check_zero_division(who, zero_division)
    y_type, present, t, p, w = _check_targets(who, y_true, y_pred, sample_weight)
    if average == "binary":
        if y_type != "binary":
            raise ValueError(f"{who}: the target is multiclass ({len(present)} labels) but "
                             "average='binary'; choose one of None, 'micro', 'macro', "
                             "'weighted'")
        if pos_label not in present.tolist() and len(present) >= 2:
            raise ValueError(f"{who}: pos_label={pos_label!r} is not one of the labels "
                             f"{present.tolist()}")
        labels = np.asarray([pos_label])
    elif labels is None:
        labels = present
    else:
        labels = _as_labels(who, labels, t)
    n = len(labels)
    ti, pi = _index_of(t, labels), _index_of(p, labels)
    tp_sum = _count(np.where(ti == pi, ti, -1), w, n)
    pred_sum, true_sum = _count(pi, w, n), _count(ti, w, n)
    if average == "micro":
        tp_sum, pred_sum, true_sum = (np.array([s.sum()]) for s in (tp_sum, pred_sum, true_sum))
    args = (zero_division, warn_for)
    precision = _divide(who, tp_sum, pred_sum, "precision", *args, "predicted")
    recall = _divide(who, tp_sum, true_sum, "recall", *args, "true")
    if math.isinf(beta):
        f_score = recall
    elif beta == 0:
        f_score = precision
    else:
        b2 = beta * beta
        f_score = _divide(who, (1 + b2) * tp_sum.astype(np.float64),
                          b2 * true_sum.astype(np.float64) + pred_sum, "f-score", *args,
                          "true nor predicted")
    if average is None:
        return precision, recall, f_score, true_sum
    weights = true_sum if average == "weighted" else None
    return (_average(precision, weights), _average(recall, weights),
            _average(f_score, weights), None)


def precision_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary",
                    sample_weight=None, zero_division="warn"):
    """``tp / (tp + fp)``: of the samples predicted as a class, the share that are.

    >>> precision_score([0, 1, 1, 0], [1, 1, 0, 0])
    0.5
    """
    return precision_recall_fscore_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        warn_for=("precision",), sample_weight=sample_weight, zero_division=zero_division)[0]


def recall_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary",
                 sample_weight=None, zero_division="warn"):
    """``tp / (tp + fn)``: of the samples of a class, the share predicted as it.

    >>> recall_score([0, 1, 1, 1], [1, 1, 0, 1])
    0.6666666666666666
    """
    return precision_recall_fscore_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        warn_for=("recall",), sample_weight=sample_weight, zero_division=zero_division)[1]


def fbeta_score(y_true, y_pred, *, beta: float, labels=None, pos_label=1, average="binary",
                sample_weight=None, zero_division="warn"):
    """``(1 + beta^2) tp / ((1 + beta^2) tp + beta^2 fn + fp)``: recall counts beta
    times as much as precision.

    >>> round(fbeta_score([0, 1, 1, 1], [1, 1, 0, 1], beta=2.0), 4)
    0.6667
    """
    return precision_recall_fscore_support(
        y_true, y_pred, beta=beta, labels=labels, pos_label=pos_label, average=average,
        warn_for=("f-score",), sample_weight=sample_weight, zero_division=zero_division)[2]


def f1_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary",
             sample_weight=None, zero_division="warn"):
    """The harmonic mean of precision and recall, ``2 P R / (P + R) = 2 tp / (2 tp + fp + fn)``.

    >>> f1_score([0, 1, 1, 1], [1, 1, 0, 1])
    0.6666666666666666
    >>> f1_score([0, 1, 2, 2], [0, 2, 2, 2], average=None).tolist()
    [1.0, 0.0, 0.8]
    """
    return fbeta_score(y_true, y_pred, beta=1.0, labels=labels, pos_label=pos_label,
                       average=average, sample_weight=sample_weight,
                       zero_division=zero_division)


def classification_report(y_true, y_pred, *, labels=None, target_names=None,
                          sample_weight=None, digits: int = 2, output_dict: bool = False,
                          zero_division="warn"):
    """Precision, recall, F1 and support per class, then accuracy and the macro and
    weighted averages: scikit-learn's text table (or a dict with ``output_dict``).

    >>> print(classification_report([0, 1, 2, 2, 2], [0, 0, 2, 2, 1]))
                  precision    recall  f1-score   support
    <BLANKLINE>
               0       0.50      1.00      0.67         1
               1       0.00      0.00      0.00         1
               2       1.00      0.67      0.80         3
    <BLANKLINE>
        accuracy                           0.60         5
       macro avg       0.50      0.56      0.49         5
    weighted avg       0.70      0.60      0.61         5
    <BLANKLINE>
    """
    who = "classification_report"
    _, present, t, p, w = _check_targets(who, y_true, y_pred, sample_weight)
    labels_given = labels is not None
    labels = _as_labels(who, labels, t) if labels_given else present
    # "micro avg" over every label present is the accuracy, and is named so.
    micro_is_accuracy = not labels_given or set(present.tolist()) <= set(labels.tolist())
    if target_names is None:
        target_names = [f"{label}" for label in labels]
    elif len(target_names) != len(labels):
        if not labels_given:
            raise ValueError(f"{who}: {len(labels)} classes but {len(target_names)} "
                             "target_names; pass labels= to say which classes they name")
        warnings.warn(f"{who}: labels has {len(labels)} entries but target_names "
                      f"{len(target_names)}", UserWarning, stacklevel=2)
    kw = dict(labels=labels, sample_weight=w, zero_division=zero_division)
    headers = ["precision", "recall", "f1-score", "support"]
    per_class = precision_recall_fscore_support(t, p, average=None, **kw)
    rows = [(name, *scores) for name, *scores in zip(target_names, *per_class)]
    total = np.sum(per_class[3])
    averages = {}
    for average in ("micro", "macro", "weighted"):
        heading = "accuracy" if average == "micro" and micro_is_accuracy else f"{average} avg"
        averages[heading] = precision_recall_fscore_support(t, p, average=average, **kw)[:3]
    if output_dict:
        out = {name: dict(zip(headers, map(float, scores))) for name, *scores in rows}
        for heading, scores in averages.items():
            out[heading] = (float(scores[0]) if heading == "accuracy"
                            else dict(zip(headers, map(float, (*scores, total)))))
        return out
    width = max(max(len(name) for name in target_names), len("weighted avg"), digits)
    row_fmt = "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
    text = "{:>{width}s} ".format("", width=width) + "".join(f" {h:>9}" for h in headers)
    text += "\n\n" + "".join(row_fmt.format(*row, width=width, digits=digits)
                             for row in rows) + "\n"
    for heading, scores in averages.items():
        if heading == "accuracy":
            text += "{:>{width}s} ".format(heading, width=width) + " " * 20
            text += " {:>9.{digits}f} {:>9}\n".format(scores[2], total, digits=digits)
        else:
            text += row_fmt.format(heading, *scores, total, width=width, digits=digits)
    return text
