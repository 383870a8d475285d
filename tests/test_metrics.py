"""nn.metrics: hand-computed values, errors, and scikit-learn's values on random and edge inputs."""
import warnings

import numpy as np
import pytest

import autograd as ag
from nn import metrics
from nn.metrics import (UndefinedMetricWarning, accuracy_score, classification_report,
                        confusion_matrix, f1_score, fbeta_score, precision_recall_fscore_support,
                        precision_score, recall_score)

# -- hand-computed ---------------------------------------------------------------------------
# y_true 0 0 1 1 1 2 ; y_pred 0 1 1 1 2 2:
# class 0: tp 1, predicted 1, true 2 -> P 1, R 1/2, F 2/3
# class 1: tp 2, predicted 3, true 3 -> P 2/3, R 2/3, F 2/3
# class 2: tp 1, predicted 2, true 1 -> P 1/2, R 1, F 2/3
Y_TRUE, Y_PRED = [0, 0, 1, 1, 1, 2], [0, 1, 1, 1, 2, 2]


def test_hand_computed_per_class_and_averages():
    p, r, f, s = precision_recall_fscore_support(Y_TRUE, Y_PRED)
    np.testing.assert_allclose(p, [1, 2 / 3, 1 / 2])
    np.testing.assert_allclose(r, [1 / 2, 2 / 3, 1])
    np.testing.assert_allclose(f, [2 / 3, 2 / 3, 2 / 3])
    assert s.tolist() == [2, 3, 1] and s.dtype.kind == "i"
    assert precision_score(Y_TRUE, Y_PRED, average="macro") == pytest.approx((1 + 2 / 3 + .5) / 3)
    assert recall_score(Y_TRUE, Y_PRED, average="weighted") == pytest.approx(4 / 6)
    assert precision_score(Y_TRUE, Y_PRED, average="weighted") == \
        pytest.approx((2 * 1 + 3 * 2 / 3 + 1 * .5) / 6)
    for fn in (precision_score, recall_score, f1_score):   # micro over all classes = accuracy
        assert fn(Y_TRUE, Y_PRED, average="micro") == pytest.approx(4 / 6)
    assert accuracy_score(Y_TRUE, Y_PRED) == pytest.approx(4 / 6)
    assert accuracy_score(Y_TRUE, Y_PRED, normalize=False) == 4.0


def test_hand_computed_binary():
    # tp 2 (indices 1, 3), fp 1 (index 0), fn 1 (index 2): P 2/3, R 2/3
    y_true, y_pred = [0, 1, 1, 1, 0], [1, 1, 0, 1, 0]
    assert precision_score(y_true, y_pred) == pytest.approx(2 / 3)
    assert recall_score(y_true, y_pred) == pytest.approx(2 / 3)
    assert f1_score(y_true, y_pred) == pytest.approx(2 / 3)
    # class 0 as the positive one: tp 1, predicted 2, true 2
    assert precision_score(y_true, y_pred, pos_label=0) == pytest.approx(1 / 2)
    # F2 = 5 tp / (5 tp + 4 fn + fp) = 10 / 15
    assert fbeta_score(y_true, y_pred, beta=2) == pytest.approx(10 / 15)


def test_confusion_matrix_rows_are_true_classes():
    cm = confusion_matrix(Y_TRUE, Y_PRED)
    assert cm.tolist() == [[1, 1, 0], [0, 2, 1], [0, 0, 1]] and cm.dtype == np.int64
    np.testing.assert_allclose(confusion_matrix(Y_TRUE, Y_PRED, normalize="true"),
                               [[.5, .5, 0], [0, 2 / 3, 1 / 3], [0, 0, 1]])
    np.testing.assert_allclose(confusion_matrix(Y_TRUE, Y_PRED, normalize="pred"),
                               [[1, 1 / 3, 0], [0, 2 / 3, .5], [0, 0, .5]])
    np.testing.assert_allclose(confusion_matrix(Y_TRUE, Y_PRED, normalize="all"),
                               np.array([[1, 1, 0], [0, 2, 1], [0, 0, 1]]) / 6)
    # labels choose and order the rows; samples with other labels are left out
    assert confusion_matrix(Y_TRUE, Y_PRED, labels=[2, 0]).tolist() == [[1, 0], [0, 1]]
    # a class that never occurs gets a zero row and column (and normalises to 0, not NaN)
    cm = confusion_matrix([0, 1], [0, 1], labels=[0, 1, 2], normalize="true")
    assert cm.tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 0]]


def test_inputs_may_be_tensors_arrays_lists_or_strings():
    t, p = ag.Tensor(np.array(Y_TRUE)), np.array(Y_PRED)
    assert accuracy_score(t, p) == accuracy_score(Y_TRUE, Y_PRED)
    assert confusion_matrix(t, ag.Tensor(p)).tolist() == confusion_matrix(Y_TRUE, Y_PRED).tolist()
    names = np.array(["cat", "dog", "emu"])
    assert f1_score(names[Y_TRUE], names[Y_PRED], average=None).tolist() == \
        f1_score(Y_TRUE, Y_PRED, average=None).tolist()
    assert precision_score(["a", "b", "b"], ["b", "b", "b"], pos_label="b") == pytest.approx(2 / 3)
    assert accuracy_score(np.array([[1], [2]]), [1, 3]) == 0.5   # a column is a 1-d list


def test_zero_division_sets_the_value_and_warns_only_for_warn():
    # class 2 is never predicted (precision 0/0), class 3 never true (recall 0/0)
    y_true, y_pred = [0, 1, 2], [0, 1, 3]
    with pytest.warns(UndefinedMetricWarning, match="precision is ill-defined"):
        p = precision_score(y_true, y_pred, average=None)
    assert p.tolist() == [1, 1, 0, 0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert precision_score(y_true, y_pred, average=None, zero_division=1).tolist() == \
            [1, 1, 1, 0]
        assert recall_score(y_true, y_pred, average=None, zero_division=1).tolist() == \
            [1, 1, 0, 1]
        r = recall_score(y_true, y_pred, average=None, zero_division=np.nan)
        assert np.isnan(r[3]) and r[:3].tolist() == [1, 1, 0]
        # NaNs are left out of the averages
        assert recall_score(y_true, y_pred, average="macro", zero_division=np.nan) == \
            pytest.approx(2 / 3)
        # F1 is 0/0 only where a class is neither true nor predicted
        assert f1_score([0, 1], [0, 1], labels=[0, 1, 5], average=None,
                        zero_division=1).tolist() == [1, 1, 1]


def test_errors_name_the_function_and_the_problem():
    with pytest.raises(ValueError, match=r"accuracy_score: .*same number of samples.* 3 and 2"):
        accuracy_score([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="f1_score|empty"):
        f1_score([], [])
    with pytest.raises(ValueError, match="confusion_matrix: .*empty"):
        confusion_matrix(np.zeros(0, int), np.zeros(0, int))
    with pytest.raises(ValueError, match="multiclass .*average='binary'"):
        precision_score([0, 1, 2], [0, 1, 2])
    with pytest.raises(ValueError, match="pos_label=2 is not one of the labels"):
        recall_score([0, 1], [1, 0], pos_label=2)
    with pytest.raises(ValueError, match="average must be one of"):
        f1_score([0, 1], [0, 1], average="mean")
    with pytest.raises(ValueError, match="zero_division"):
        f1_score([0, 1], [0, 1], zero_division=2)
    with pytest.raises(ValueError, match="non-integer"):
        accuracy_score([0.5, 1.0], [0, 1])
    with pytest.raises(ValueError, match=r"1-d .* shape \(2, 3\).*argmax"):
        accuracy_score(np.zeros((2, 3)), [0, 1])
    with pytest.raises(TypeError, match="strings and numbers"):
        accuracy_score(["a", "b"], [0, 1])
    with pytest.raises(ValueError, match="none of labels"):
        confusion_matrix([0, 1], [0, 1], labels=[7])
    with pytest.raises(ValueError, match="normalize"):
        confusion_matrix([0, 1], [0, 1], normalize="rows")
    with pytest.raises(ValueError, match="3 classes but 2 target_names"):
        classification_report([0, 1, 2], [0, 1, 2], target_names=["a", "b"])


def test_classification_report_text_and_dict():
    text = classification_report(Y_TRUE, Y_PRED, target_names=["zero", "one", "two"], digits=3)
    lines = text.splitlines()
    assert lines[0].split() == ["precision", "recall", "f1-score", "support"]
    assert lines[2].split() == ["zero", "1.000", "0.500", "0.667", "2"]
    assert lines[6].split() == ["accuracy", "0.667", "6"]
    d = classification_report(Y_TRUE, Y_PRED, output_dict=True)
    assert d["accuracy"] == pytest.approx(4 / 6)
    assert d["1"] == pytest.approx({"precision": 2 / 3, "recall": 2 / 3, "f1-score": 2 / 3,
                                    "support": 3})
    # labels leaving a present class out: the micro average is no longer the accuracy
    assert "micro avg" in classification_report(Y_TRUE, Y_PRED, labels=[0, 1])


def test_public_names():
    for name in metrics.__all__:
        assert getattr(metrics, name).__doc__


# -- against scikit-learn --------------------------------------------------------------------
def _cases():
    """(y_true, y_pred) pairs: random multiclass and binary, and edge cases."""
    rng = np.random.default_rng(0)
    cases = []
    for n, k in [(50, 2), (40, 3), (100, 5), (7, 10), (30, 4)]:
        cases.append((rng.integers(0, k, n), rng.integers(0, k, n)))
    t = rng.integers(0, 4, 60)
    cases.append((t, np.where(rng.random(60) < .8, t, rng.integers(0, 4, 60))))  # mostly right
    cases += [
        (np.array([0, 0, 0]), np.array([0, 0, 0])),     # one class only
        (np.array([1, 1, 1]), np.array([0, 0, 0])),     # binary, never right
        (np.array([0, 0, 0]), np.array([1, 1, 1])),     # positive class never true
        (np.array([0, 1, 2, 3]), np.array([4, 4, 4, 4])),  # a predicted class never true
        (np.array([0, 1, 2, 2]), np.array([0, 1, 1, 1])),  # a true class never predicted
        (np.array([3, 7, 7, 9]), np.array([3, 3, 7, 9])),  # labels not 0..k-1
        (np.array([True, False, True]), np.array([True, True, False])),
        (np.array(["b", "a", "c", "a"]), np.array(["a", "a", "c", "b"])),
    ]
    return cases


CASES = _cases()
ZERO_DIVISIONS = ["warn", 0, 1, np.nan]


def _labels_options(t, p):
    present = np.unique(np.concatenate([t, p]))
    opts = [None, present[::-1]]
    if len(present) > 1:
        opts.append(present[:1])
    if present.dtype.kind in "iu":
        opts.append(np.concatenate([present, [present.max() + 1]]))   # a class absent
    return opts


def _quiet(fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kw)


@pytest.mark.parametrize("case", range(len(CASES)))
def test_scores_equal_sklearn(case):
    skm = pytest.importorskip("sklearn.metrics")
    t, p = CASES[case]
    binary = len(np.unique(np.concatenate([t, p]))) <= 2
    averages = [None, "micro", "macro", "weighted"] + (["binary"] if binary else [])
    assert accuracy_score(t, p) == pytest.approx(skm.accuracy_score(t, p))
    for average in averages:
        labels_opts = [None] if average == "binary" else _labels_options(t, p)
        for labels in labels_opts:
            for zd in ZERO_DIVISIONS:
                kw = dict(average=average, labels=labels, zero_division=zd)
                if average == "binary" and t.dtype.kind == "b":
                    kw["pos_label"] = True
                ours = _quiet(precision_recall_fscore_support, t, p, **kw)
                ref = _quiet(skm.precision_recall_fscore_support, t, p, **kw)
                for a, b in zip(ours, ref):
                    if b is None:
                        assert a is None
                    else:
                        np.testing.assert_allclose(a, b, equal_nan=True, err_msg=str(kw))
                # the single-score functions return the same numbers
                for i, fn in enumerate((precision_score, recall_score, f1_score)):
                    np.testing.assert_allclose(_quiet(fn, t, p, **kw), ours[i], equal_nan=True)
    if binary:
        kw = {"pos_label": True} if t.dtype.kind == "b" else {}
        assert _quiet(f1_score, t, p, **kw) == pytest.approx(_quiet(skm.f1_score, t, p, **kw))


@pytest.mark.parametrize("case", range(len(CASES)))
def test_confusion_matrix_and_report_equal_sklearn(case):
    skm = pytest.importorskip("sklearn.metrics")
    t, p = CASES[case]
    for labels in _labels_options(t, p):
        if labels is not None and not np.isin(t, labels).any():
            continue
        for normalize in (None, "true", "pred", "all"):
            ours = confusion_matrix(t, p, labels=labels, normalize=normalize)
            ref = _quiet(skm.confusion_matrix, t, p, labels=labels, normalize=normalize)
            np.testing.assert_allclose(ours, ref)
            assert ours.dtype == ref.dtype
        for zd in ZERO_DIVISIONS[:3]:
            for digits in (2, 4):
                kw = dict(labels=labels, zero_division=zd, digits=digits)
                if not (t == p).any():
                    continue   # sklearn then prints the supports as floats ("7.0"), we as ints
                assert _quiet(classification_report, t, p, **kw) == \
                    _quiet(skm.classification_report, t, p, **kw)
            ours = _quiet(classification_report, t, p, labels=labels, output_dict=True)
            ref = _quiet(skm.classification_report, t, p, labels=labels, output_dict=True)
            assert ours.keys() == ref.keys()
            for key in ref:
                if isinstance(ref[key], dict):
                    assert ours[key] == pytest.approx(ref[key])
                else:
                    assert ours[key] == pytest.approx(ref[key])


def test_sample_weight_equals_sklearn():
    skm = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(1)
    t, p, w = rng.integers(0, 3, 40), rng.integers(0, 3, 40), rng.random(40)
    assert accuracy_score(t, p, sample_weight=w) == pytest.approx(
        skm.accuracy_score(t, p, sample_weight=w))
    np.testing.assert_allclose(confusion_matrix(t, p, sample_weight=w),
                               skm.confusion_matrix(t, p, sample_weight=w))
    for average in (None, "micro", "macro", "weighted"):
        np.testing.assert_allclose(f1_score(t, p, average=average, sample_weight=w),
                                   skm.f1_score(t, p, average=average, sample_weight=w))
    assert classification_report(t, p, sample_weight=w) == \
        skm.classification_report(t, p, sample_weight=w)


def test_warnings_as_sklearn():
    skm = pytest.importorskip("sklearn.metrics")
    from sklearn.exceptions import UndefinedMetricWarning as SkWarning
    t, p = [0, 1, 2], [0, 1, 1]
    for name in ("precision_score", "recall_score", "f1_score"):
        for average in (None, "macro"):
            with warnings.catch_warnings(record=True) as ours:
                warnings.simplefilter("always")
                getattr(metrics, name)(t, p, average=average)
            with warnings.catch_warnings(record=True) as ref:
                warnings.simplefilter("always")
                getattr(skm, name)(t, p, average=average)
            assert [w.category is UndefinedMetricWarning for w in ours] == \
                [w.category is SkWarning for w in ref], (name, average)


# -- viz.plot_confusion_matrix ---------------------------------------------------------------
def test_plot_confusion_matrix_writes_counts_in_the_cells(tmp_path):
    pytest.importorskip("matplotlib")
    import viz
    cm = confusion_matrix(Y_TRUE, Y_PRED)
    fig = viz.plot_confusion_matrix(cm, class_names=["zero", "one", "two"])
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == [str(v) for v in cm.ravel()]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["zero", "one", "two"]
    assert ax.get_ylabel() == "true class" and ax.get_xlabel() == "predicted class"
    normed = viz.plot_confusion_matrix(confusion_matrix(Y_TRUE, Y_PRED, normalize="true"))
    assert normed.axes[0].texts[1].get_text() == "0.50"
    path = viz.plot_confusion_matrix(ag.Tensor(cm), path=tmp_path / "cm.svg")
    assert path == str(tmp_path / "cm.svg") and "<svg" in (tmp_path / "cm.svg").read_text()
    with pytest.raises(ValueError, match="square"):
        viz.plot_confusion_matrix(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="2 class_names for a 3x3"):
        viz.plot_confusion_matrix(cm, class_names=["a", "b"])
