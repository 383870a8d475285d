"""nn.data.DataLoader and nn.datasets: shapes, classes, seeding, epochs, errors."""
import numpy as np
import pytest
from hypothesis import given, strategies as st

import autograd as ag
from autograd import Tensor
from nn import datasets
from nn.data import DataLoader


def _epoch_labels(loader):
    return np.concatenate([yb.data for _, yb in loader])


# -- DataLoader ---------------------------------------------------------------------------

@given(n=st.integers(1, 40), batch_size=st.integers(1, 12), drop_last=st.booleans(),
       shuffle=st.booleans())
def test_every_sample_once_per_epoch(n, batch_size, drop_last, shuffle):
    X, y = np.arange(n * 2, dtype=np.float32).reshape(n, 2), np.arange(n)
    loader = DataLoader(X, y, batch_size, shuffle=shuffle, drop_last=drop_last, seed=3)
    batches = list(loader)
    assert len(batches) == len(loader)
    assert all(len(yb.data) == batch_size for _, yb in batches[:-1] if batches)
    seen = np.concatenate([yb.data for _, yb in batches]) if batches else np.zeros(0, int)
    if drop_last:
        assert len(seen) == (n // batch_size) * batch_size
        assert len(set(seen.tolist())) == len(seen)
    else:
        assert sorted(seen.tolist()) == list(range(n))
    for xb, yb in batches:   # features travel with their labels
        np.testing.assert_array_equal(xb.data[:, 0], 2 * yb.data)


def test_len_counts_batches():
    X = np.zeros((10, 1))
    assert len(DataLoader(X, np.zeros(10), 3)) == 4
    assert len(DataLoader(X, np.zeros(10), 3, drop_last=True)) == 3
    assert len(DataLoader(X, np.zeros(10), 5, drop_last=True)) == 2
    assert len(DataLoader(X, np.zeros(10), 20, drop_last=True)) == 0


def test_drop_last_drops_only_the_short_batch():
    X, y = np.zeros((7, 2)), np.arange(7)
    sizes = [len(yb.data) for _, yb in DataLoader(X, y, 3, drop_last=True, seed=0)]
    assert sizes == [3, 3]


def test_no_shuffle_keeps_the_order():
    y = np.arange(9)
    assert _epoch_labels(DataLoader(np.zeros((9, 1)), y, 4, shuffle=False)).tolist() == \
        list(range(9))


def test_seed_makes_epochs_reproducible_and_reshuffled():
    X, y = np.zeros((50, 1)), np.arange(50)
    a, b = DataLoader(X, y, 8, seed=7), DataLoader(X, y, 8, seed=7)
    first_a, second_a = _epoch_labels(a), _epoch_labels(a)
    first_b, second_b = _epoch_labels(b), _epoch_labels(b)
    np.testing.assert_array_equal(first_a, first_b)
    np.testing.assert_array_equal(second_a, second_b)
    assert not np.array_equal(first_a, second_a), "each epoch draws a new order"
    assert not np.array_equal(first_a, _epoch_labels(DataLoader(X, y, 8, seed=8)))


def test_unseeded_loader_follows_manual_seed():
    X, y = np.zeros((30, 1)), np.arange(30)
    ag.manual_seed(123)
    first = _epoch_labels(DataLoader(X, y, 4))
    ag.manual_seed(123)
    again = _epoch_labels(DataLoader(X, y, 4))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, np.arange(30))


def test_batches_are_tensors_keeping_dtypes():
    X = np.random.default_rng(0).standard_normal((6, 3)).astype(np.float64)
    y = np.array([0, 1, 2, 0, 1, 2], dtype=np.int64)
    xb, yb = next(iter(DataLoader(X, y, 4, shuffle=False)))
    assert isinstance(xb, Tensor) and isinstance(yb, Tensor)
    assert xb.dtype == np.float64 and yb.dtype == np.int64
    assert not xb.requires_grad and not yb.requires_grad
    np.testing.assert_array_equal(xb.data, X[:4])


def test_accepts_tensors_and_lists_and_x_alone():
    X = Tensor(np.arange(12, dtype=np.float32).reshape(6, 2))
    y = Tensor(np.array([1, 0, 1, 0, 1, 0]))
    got = _epoch_labels(DataLoader(X, y, 4, shuffle=False))
    assert got.tolist() == [1, 0, 1, 0, 1, 0]
    lists = DataLoader([[1.0], [2.0], [3.0]], [0, 1, 0], 2, shuffle=False)
    assert [yb.data.tolist() for _, yb in lists] == [[0, 1], [0]]
    alone = [xb.data.ravel().tolist() for xb in DataLoader(X, None, 4, shuffle=False)]
    assert alone == [[0, 1, 2, 3, 4, 5, 6, 7], [8, 9, 10, 11]]


def test_loader_does_not_touch_the_data():
    X, y = np.arange(8.0).reshape(4, 2), np.arange(4)
    X0, y0 = X.copy(), y.copy()
    for xb, _ in DataLoader(X, y, 3, seed=1):
        xb.data[...] = -1
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


def test_length_mismatch_names_both_sizes():
    with pytest.raises(ValueError, match=r"DataLoader.*X of shape \(5, 2\).*5 samples.*"
                                         r"y of shape \(4,\).*4 samples"):
        DataLoader(np.zeros((5, 2)), np.zeros(4), 2)


@pytest.mark.parametrize("bad", [0, -3, 2.5, True, None])
def test_bad_batch_size(bad):
    with pytest.raises(ValueError, match=r"DataLoader: batch_size must be a positive integer, "
                                         rf"got {bad!r}"):
        DataLoader(np.zeros((5, 2)), np.zeros(5), bad)


def test_scalar_data_is_rejected():
    with pytest.raises(ValueError, match="DataLoader: X must have a sample axis"):
        DataLoader(np.float32(3.0), None, 1)


# -- datasets ----------------------------------------------------------------------------

def test_digits_shapes_values_and_classes():
    X, y = datasets.load_digits()
    assert X.shape == (1797, 1, 8, 8) and X.dtype == np.float32
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    counts = np.bincount(y)
    assert len(counts) == 10 and counts.min() >= 174 and counts.sum() == 1797
    raw, _ = datasets.load_digits(flatten=True, scale=False)
    assert raw.shape == (1797, 64)
    np.testing.assert_array_equal(raw, np.round(raw))
    assert raw.max() == 16.0
    np.testing.assert_array_equal(raw.reshape(-1, 1, 8, 8) / 16, X)


def test_digits_first_image_is_a_zero():
    # The first row of the UCI file: a zero, an empty middle column.
    X, y = datasets.load_digits(scale=False)
    assert y[0] == 0
    assert X[0, 0, 0].tolist() == [0, 0, 5, 13, 9, 1, 0, 0]
    assert X[0, 0, 3:5, 3:5].sum() == 0


def test_digits_are_returned_as_fresh_copies():
    X, _ = datasets.load_digits()
    X[...] = 5
    assert datasets.load_digits()[0].max() == 1.0


@pytest.mark.parametrize("make, classes", [
    (lambda seed: datasets.make_flower(101, seed=seed), 2),
    (lambda seed: datasets.make_spirals(101, classes=4, seed=seed), 4),
    (lambda seed: datasets.make_moons(101, seed=seed), 2),
])
def test_generators_shapes_balance_and_seeds(make, classes):
    X, y = make(0)
    assert X.shape == (101, 2) and X.dtype == np.float32
    assert y.shape == (101,) and y.dtype == np.int64
    counts = np.bincount(y)
    assert len(counts) == classes and counts.max() - counts.min() <= 1
    X2, y2 = make(0)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(X, make(1)[0])
    assert np.isfinite(X).all()


def test_flower_is_not_linearly_separable_but_has_structure():
    X, y = datasets.load_planar()
    assert X.shape == (400, 2)
    # Least-squares linear classifier: the notes' point is that it does poorly.
    A = np.c_[X, np.ones(len(X))]
    w = np.linalg.lstsq(A, 2.0 * y - 1, rcond=None)[0]
    linear_acc = ((A @ w > 0) == y).mean()
    assert linear_acc < 0.7
    # Petals: points reach radius ~4, and the class sits on sign(sin 4t)-shaped sectors.
    assert 3.0 < np.hypot(X[:, 0], X[:, 1]).max() < 6.0


def test_generators_without_seed_follow_manual_seed():
    ag.manual_seed(5)
    a = datasets.make_moons(20)
    ag.manual_seed(5)
    b = datasets.make_moons(20)
    np.testing.assert_array_equal(a[0], b[0])


def test_zero_noise_moons_lie_on_the_circles():
    X, y = datasets.make_moons(50, noise=0.0, seed=0)
    upper = X[y == 0]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, rtol=1e-6)


@pytest.mark.parametrize("call, message", [
    (lambda: datasets.make_flower(1), "make_flower: n must be an integer of at least 2"),
    (lambda: datasets.make_moons(10, noise=-1), "make_moons: noise must be >= 0"),
    (lambda: datasets.make_spirals(10, classes=1), "make_spirals: classes must be"),
    (lambda: datasets.make_spirals(2, classes=3), "make_spirals: n must be an integer of "
                                                  "at least 3"),
])
def test_generator_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_split_partitions_the_samples():
    X, y = np.arange(40.0).reshape(20, 2), np.arange(20) % 2
    X_tr, y_tr, X_te, y_te = datasets.train_test_split(X, y, test_size=0.25, seed=0)
    assert len(X_te) == 5 and len(X_tr) == 15
    rows = sorted(X_tr[:, 0].tolist() + X_te[:, 0].tolist())
    assert rows == X[:, 0].tolist()
    np.testing.assert_array_equal(X_tr[:, 0] / 2 % 2, y_tr)   # rows keep their labels
    again = datasets.train_test_split(X, y, test_size=0.25, seed=0)
    np.testing.assert_array_equal(again[2], X_te)
    assert len(datasets.train_test_split(X, y, test_size=3, seed=0)[2]) == 3


def test_stratified_digit_split_keeps_class_shares():
    X, y = datasets.load_digits(flatten=True)
    _, y_tr, _, y_te = datasets.train_test_split(X, y, test_size=0.2, seed=0, stratify=True)
    share = np.bincount(y_te, minlength=10) / np.bincount(y, minlength=10)
    np.testing.assert_allclose(share, 0.2, atol=0.01)
    assert len(y_tr) + len(y_te) == 1797


@pytest.mark.parametrize("size", [0, 0.0, 1.0, 20, -1, "a"])
def test_split_rejects_bad_test_size(size):
    with pytest.raises(ValueError, match=r"train_test_split: test_size must be .* for 20 "
                                         rf"samples, got {size!r}"):
        datasets.train_test_split(np.zeros((20, 1)), np.zeros(20), test_size=size)


def test_split_rejects_length_mismatch():
    with pytest.raises(ValueError, match=r"X of shape \(4, 1\) and y of shape \(3,\)"):
        datasets.train_test_split(np.zeros((4, 1)), np.zeros(3))
