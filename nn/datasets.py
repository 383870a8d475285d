"""Small data sets that ship with the project or are generated on the spot (no downloads).

- ``load_digits``: the UCI handwritten digits, 1797 8x8 images of the digits
  0-9 with pixel values 0..16 (bundled in ``nn/data/digits.npz``; source and
  licence in ``nn/data/README.md``).
- ``make_flower`` / ``load_planar``: the notes' planar "flower" data, two
  classes of 2-D points that no straight line separates.
- ``make_spirals``, ``make_moons``: two more 2-D classification toys.
- ``train_test_split``: a seeded (optionally stratified) split.

Every generator takes ``seed``: an int (or a NumPy Generator) makes the data
reproducible; None draws from autograd's default generator, which
``ag.manual_seed`` seeds. Features are float32, labels int64 class indices.

>>> from nn import datasets
>>> X, y = datasets.load_digits()
>>> X.shape, y.shape, int(y.max()) + 1
((1797, 1, 8, 8), (1797,), 10)
>>> X_tr, y_tr, X_te, y_te = datasets.train_test_split(X, y, test_size=0.2, seed=0,
...                                                    stratify=True)
>>> len(X_tr), len(X_te)
(1438, 359)
"""
from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from autograd import Tensor, get_rng

DATA_DIR = Path(__file__).resolve().parent / "data"
_F32 = np.float32


@functools.lru_cache(maxsize=1)
def _digits_arrays() -> tuple[np.ndarray, np.ndarray]:
    path = DATA_DIR / "digits.npz"
    if not path.exists():
        raise FileNotFoundError(f"load_digits: the bundled data file {path} is missing; "
                                "reinstall the package (its package data includes nn/data/*)")
    with np.load(path, allow_pickle=False) as f:
        return f["images"], f["target"]


def load_digits(flatten: bool = False, scale: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The UCI handwritten digits: ``(X, y)`` with 1797 samples of 10 classes.

    ``X`` is float32 of shape ``(1797, 1, 8, 8)`` (NCHW, one channel), or
    ``(1797, 64)`` with ``flatten=True``; pixel values 0..16 are divided by 16
    (into [0, 1]) unless ``scale=False``. ``y`` holds the digits as int64.

    >>> X, y = load_digits(flatten=True, scale=False)
    >>> X.shape, X.dtype, float(X.min()), float(X.max()), y[:5].tolist()
    ((1797, 64), dtype('float32'), 0.0, 16.0, [0, 1, 2, 3, 4])
    """
    images, target = _digits_arrays()
    X = images.astype(_F32)
    if scale:
        X /= 16.0
    X = X.reshape(len(X), 64) if flatten else X.reshape(len(X), 1, 8, 8)
    return X, target.astype(np.int64)


def _class_sizes(n: int, classes: int, who: str) -> list[int]:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < classes:
        raise ValueError(f"{who}: n must be an integer of at least {classes} (one sample per "
                         f"class), got {n!r}")
    base, rest = divmod(int(n), classes)
    return [base + (1 if k < rest else 0) for k in range(classes)]


def _check_noise(noise: float, who: str) -> None:
    if not noise >= 0:
        raise ValueError(f"{who}: noise must be >= 0, got {noise!r}")


def _finish(parts: list[np.ndarray], sizes: list[int], rng) -> tuple[np.ndarray, np.ndarray]:
    """Stack the classes' points, label them 0, 1, ..., and shuffle the samples."""
    X = np.concatenate(parts).astype(_F32)
    y = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    order = rng.permutation(len(y))
    return X[order], y[order]


def make_flower(n: int = 400, noise: float = 0.2, seed=None) -> tuple[np.ndarray, np.ndarray]:
    """The notes' planar "flower": two interleaved classes of petals in the plane.

    Each class runs along its own half of the angle range; the radius
    ``4 sin(4 t)`` draws the petals, and Gaussian ``noise`` blurs angle and
    radius, so the classes overlap a little. Returns ``X`` of shape ``(n, 2)``
    and ``y`` of shape ``(n,)`` with labels 0 and 1.

    >>> X, y = make_flower(400, seed=1)
    >>> X.shape, X.dtype, [int((y == k).sum()) for k in (0, 1)]
    ((400, 2), dtype('float32'), [200, 200])
    """
    sizes = _class_sizes(n, 2, "make_flower")
    _check_noise(noise, "make_flower")
    rng = get_rng(seed)
    parts = []
    for k, m in enumerate(sizes):
        t = np.linspace(k * 3.12, (k + 1) * 3.12, m) + noise * rng.standard_normal(m)
        r = 4.0 * np.sin(4.0 * t) + noise * rng.standard_normal(m)
        parts.append(np.stack([r * np.sin(t), r * np.cos(t)], axis=1))
    return _finish(parts, sizes, rng)


def load_planar(seed=1) -> tuple[np.ndarray, np.ndarray]:
    """The notes' flower data set as the course draws it: 400 points, noise 0.2, seed 1.

    >>> X, y = load_planar()
    >>> X.shape, y.shape, float(abs(X).max()) < 5
    ((400, 2), (400,), True)
    """
    return make_flower(400, noise=0.2, seed=seed)


def make_spirals(n: int = 300, classes: int = 3, noise: float = 0.2,
                 seed=None) -> tuple[np.ndarray, np.ndarray]:
    """``classes`` spiral arms winding out of the origin, one class per arm.

    >>> X, y = make_spirals(300, classes=3, seed=0)
    >>> X.shape, sorted(set(y.tolist()))
    ((300, 2), [0, 1, 2])
    """
    if isinstance(classes, bool) or not isinstance(classes, (int, np.integer)) or classes < 2:
        raise ValueError(f"make_spirals: classes must be an integer >= 2, got {classes!r}")
    sizes = _class_sizes(n, classes, "make_spirals")
    _check_noise(noise, "make_spirals")
    rng = get_rng(seed)
    parts = []
    for k, m in enumerate(sizes):
        r = np.linspace(0.0, 1.0, m)
        t = np.linspace(k * 4.0, (k + 1) * 4.0, m) + noise * rng.standard_normal(m)
        parts.append(np.stack([r * np.sin(t), r * np.cos(t)], axis=1))
    return _finish(parts, sizes, rng)


def make_moons(n: int = 200, noise: float = 0.1, seed=None) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles: class 0 the upper one, class 1 the lower.

    >>> X, y = make_moons(200, seed=0)
    >>> X.shape, [int((y == k).sum()) for k in (0, 1)]
    ((200, 2), [100, 100])
    """
    sizes = _class_sizes(n, 2, "make_moons")
    _check_noise(noise, "make_moons")
    rng = get_rng(seed)
    t0 = np.linspace(0.0, np.pi, sizes[0])
    t1 = np.linspace(0.0, np.pi, sizes[1])
    upper = np.stack([np.cos(t0), np.sin(t0)], axis=1)
    lower = np.stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)], axis=1)
    parts = [p + noise * rng.standard_normal(p.shape) for p in (upper, lower)]
    return _finish(parts, sizes, rng)


def _n_test(test_size, n: int) -> int:
    if isinstance(test_size, float) and 0.0 < test_size < 1.0:
        return int(round(test_size * n))
    if isinstance(test_size, (int, np.integer)) and not isinstance(test_size, bool) \
            and 0 < test_size < n:
        return int(test_size)
    raise ValueError(f"train_test_split: test_size must be a fraction in (0, 1) or a count "
                     f"in [1, {n - 1}] for {n} samples, got {test_size!r}")


def train_test_split(X, y, test_size: float | int = 0.25, seed=None,
                     stratify: bool = False) -> tuple[np.ndarray, ...]:
    """Split ``(X, y)`` at random into ``(X_train, y_train, X_test, y_test)``.

    ``test_size`` is a fraction of the samples or a count. With
    ``stratify=True`` each class is split in that proportion on its own, so
    the test set has the classes' shares of the whole. ``seed`` as in the
    generators above. Tensors are accepted; ndarrays are returned.

    >>> import numpy as np
    >>> X, y = np.arange(20.0).reshape(10, 2), np.array([0] * 5 + [1] * 5)
    >>> X_tr, y_tr, X_te, y_te = train_test_split(X, y, test_size=0.4, seed=0, stratify=True)
    >>> X_tr.shape, X_te.shape, sorted(y_te.tolist())
    ((6, 2), (4, 2), [0, 0, 1, 1])
    """
    X = X.data if isinstance(X, Tensor) else np.asarray(X)
    y = y.data if isinstance(y, Tensor) else np.asarray(y)
    if X.ndim == 0 or y.ndim == 0 or len(X) != len(y):
        raise ValueError(f"train_test_split: X and y must hold the same number of samples, "
                         f"got X of shape {X.shape} and y of shape {y.shape}")
    n = len(X)
    n_test = _n_test(test_size, n)
    rng = get_rng(seed)
    if stratify:
        frac = n_test / n
        test = []
        for c in np.unique(y):
            members = rng.permutation(np.flatnonzero(y == c))
            test.append(members[:int(round(frac * len(members)))])
        test = np.concatenate(test)
    else:
        test = rng.permutation(n)[:n_test]
    is_test = np.zeros(n, dtype=bool)
    is_test[test] = True
    train = rng.permutation(np.flatnonzero(~is_test))
    test = rng.permutation(test)
    return X[train], y[train], X[test], y[test]
