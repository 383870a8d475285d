"""The factories of issue 11 (arange with float steps, linspace, empty, empty_like,
full_like, randint, randperm, normal): values, dtypes, shapes, seeding and errors."""
import numpy as np
import pytest

import autograd as ag
from autograd import Tensor

F32 = np.float32


# -- arange and linspace ------------------------------------------------------------

@pytest.mark.parametrize("args,kw", [((5,), {}), ((2, 7), {}), ((7, 2, -2), {}),
                                     ((0, 1, 0.1), {}), ((1.0, 0.0, -0.25), {}),
                                     ((0.5,), {}), ((-1, 1, 0.3), {}), ((3, 3), {}),
                                     ((0,), dict(stop=2.5, step=0.5))])
def test_arange_follows_numpy_with_float32_for_float_arguments(args, kw):
    got = ag.arange(*args, **kw)
    want = np.arange(*args, **kw)
    np.testing.assert_allclose(got.data, want, rtol=1e-7)
    assert got.dtype == (F32 if want.dtype == np.float64 else want.dtype)


def test_arange_float_steps_length_and_pytorch():
    assert ag.arange(0, 1, 0.1).shape == (10,)
    assert ag.arange(0.0, 1.0 + 1e-9, 0.25).data[-1] == 1.0
    np.testing.assert_array_equal(ag.arange(5, step=2).data, [0, 2, 4])  # step is kept
    np.testing.assert_array_equal(ag.arange(0, end=3).data, [0, 1, 2])
    assert ag.arange(0, 1, 0.5, dtype=np.float64).dtype == np.float64
    assert ag.arange(4, dtype=F32).dtype == F32
    assert ag.arange(Tensor(3.0)).shape == (3,)
    torch = pytest.importorskip("torch")
    for args in [(0, 1, 0.1), (-2.5, 3.0, 0.7), (10, 0, -1.5)]:
        np.testing.assert_allclose(ag.arange(*args).data, torch.arange(*args).numpy(),
                                   rtol=1e-6)


def test_arange_errors():
    with pytest.raises(ValueError, match="arange: step must not be zero"):
        ag.arange(0, 1, 0)
    with pytest.raises(ValueError, match="arange: start, stop and step must be finite"):
        ag.arange(0, np.inf)
    with pytest.raises(TypeError, match="arange: stop must be a real number"):
        ag.arange(0, "3")
    with pytest.raises(TypeError, match="got both 'stop' and 'end'"):
        ag.arange(0, 3, end=4)
    with pytest.raises(ValueError, match="arange: stop must be a scalar"):
        ag.arange(Tensor([1.0, 2.0]))


def test_linspace_values_dtypes_and_spellings():
    np.testing.assert_allclose(ag.linspace(0, 1, 5).data, [0, 0.25, 0.5, 0.75, 1])
    assert ag.linspace(0, 1, 5).dtype == F32
    assert ag.linspace(-1, 1).shape == (50,)  # NumPy's default count
    np.testing.assert_allclose(ag.linspace(2, 3, num=4, endpoint=False).data,
                               np.linspace(2, 3, 4, endpoint=False), rtol=1e-7)
    np.testing.assert_array_equal(ag.linspace(start=0, stop=1, steps=3).data, [0, 0.5, 1])
    assert ag.linspace(0, 1, 3, dtype=np.float64).dtype == np.float64
    np.testing.assert_array_equal(ag.linspace(0, 10, 4, dtype=np.int64).data, [0, 3, 6, 10])
    assert ag.linspace(0, 1, 0).shape == (0,) and ag.linspace(3, 5, 1).data.tolist() == [3]
    t = ag.linspace(0, 1, 3, requires_grad=True)
    assert t.requires_grad and t.is_leaf
    torch = pytest.importorskip("torch")
    np.testing.assert_allclose(ag.linspace(-3, 7, 11).data, torch.linspace(-3, 7, 11).numpy())


def test_linspace_errors():
    with pytest.raises(ValueError, match="linspace: steps must be >= 0"):
        ag.linspace(0, 1, -1)
    with pytest.raises(TypeError, match="linspace: steps must be an int"):
        ag.linspace(0, 1, 2.5)
    with pytest.raises(TypeError, match="got both 'steps' and 'num'"):
        ag.linspace(0, 1, steps=3, num=3)
    with pytest.raises(TypeError, match="linspace: missing the end value"):
        ag.linspace(0)


# -- empty, empty_like, full_like -------------------------------------------------------

def test_empty_and_like_factories_shapes_and_dtypes():
    assert ag.empty(2, 3).shape == (2, 3) and ag.empty(2, 3).dtype == F32
    assert ag.empty((4,), dtype=np.int64).dtype == np.int64
    assert ag.empty([0, 2]).shape == (0, 2) and ag.empty().shape == ()
    base = Tensor(np.zeros((2, 2), np.float64))
    e = ag.empty_like(base)
    assert e.shape == (2, 2) and e.dtype == np.float64 and e.data is not base.data
    assert ag.empty_like(base, dtype=F32).dtype == F32
    f = ag.full_like(base, 2.5)
    np.testing.assert_array_equal(f.data, np.full((2, 2), 2.5))
    assert f.dtype == np.float64
    i = ag.full_like(Tensor(np.zeros(3, np.int64)), 2.7)  # NumPy and PyTorch truncate
    assert i.dtype == np.int64 and i.data.tolist() == [2, 2, 2]
    assert ag.full_like(np.zeros(2, F32), 1, dtype=np.float64).dtype == np.float64
    assert ag.full_like(base, 1.0, requires_grad=True).requires_grad


def test_empty_and_full_like_errors():
    with pytest.raises(ValueError, match="empty: a shape cannot have negative sizes"):
        ag.empty(2, -1)
    with pytest.raises(TypeError, match="empty: a shape takes ints"):
        ag.empty(2.0)
    with pytest.raises(TypeError, match="full_like: fill_value must be a real number"):
        ag.full_like(ag.zeros(2), "x")


# -- random factories: the seeded generator ---------------------------------------------

@pytest.mark.parametrize("make", [lambda **kw: ag.randint(0, 100, (3, 4), **kw),
                                  lambda **kw: ag.randperm(20, **kw),
                                  lambda **kw: ag.normal(0.0, 1.0, (5,), **kw)])
def test_random_factories_follow_manual_seed_and_rng(make):
    ag.manual_seed(7)
    a = make()
    ag.manual_seed(7)
    b = make()
    np.testing.assert_array_equal(a.data, b.data)
    np.testing.assert_array_equal(make(rng=3).data, make(rng=3).data)
    gen = np.random.default_rng(11)
    c = make(rng=gen)
    assert not np.array_equal(c.data, make(rng=gen).data)  # the generator advances
    assert not np.array_equal(make(rng=1).data, make(rng=2).data)


def test_randint_values_forms_and_errors():
    t = ag.randint(3, 10, (200,), rng=0)
    assert t.dtype == np.int64 and t.data.min() >= 3 and t.data.max() <= 9
    assert set(t.data.tolist()) == set(range(3, 10))
    assert ag.randint(5, (2, 3), rng=0).shape == (2, 3)   # PyTorch's randint(high, size)
    assert ag.randint(5, size=4, rng=0).data.max() < 5     # NumPy's integers(high, size=)
    assert ag.randint(2, rng=0).shape == ()
    assert ag.randint(0, 2, (3,), dtype=F32, rng=0).dtype == F32
    with pytest.raises(ValueError, match=r"randint: low \(5\) must be less than high \(5\)"):
        ag.randint(5, 5, (2,))
    with pytest.raises(TypeError, match="randint: low and high must be integers"):
        ag.randint(0.5, 3, (2,))
    with pytest.raises(ValueError, match="randint: a shape cannot have negative sizes"):
        ag.randint(0, 3, (-2,))


def test_randperm_is_a_permutation():
    p = ag.randperm(50, rng=0)
    assert p.dtype == np.int64 and sorted(p.data.tolist()) == list(range(50))
    assert ag.randperm(0).shape == (0,)
    assert ag.randperm(4, dtype=np.int32, rng=0).dtype == np.int32
    with pytest.raises(ValueError, match="randperm: n must be >= 0"):
        ag.randperm(-1)
    with pytest.raises(TypeError, match="randperm: n must be an int"):
        ag.randperm(3.0)


def test_normal_moments_shapes_and_dtypes():
    t = ag.normal(2.0, 0.5, (20000,), rng=0)
    assert t.dtype == F32 and abs(t.data.mean() - 2.0) < 0.02 and abs(t.data.std() - 0.5) < 0.02
    assert ag.normal(size=(2, 3), rng=0).shape == (2, 3)
    m = ag.normal(Tensor(np.array([0.0, 100.0])), 1e-3, rng=0)  # a mean tensor broadcasts
    assert m.shape == (2,) and m.dtype == np.float64 and abs(m.data[1] - 100) < 0.1
    assert ag.normal(np.zeros((2, 1)), np.ones(3), rng=0).shape == (2, 3)
    assert ag.normal(Tensor(np.zeros(2, F32)), 1.0, rng=0).dtype == F32
    assert ag.normal(0.0, 0.0, (3,), rng=0).data.tolist() == [0.0, 0.0, 0.0]
    assert ag.normal(0.0, 1.0, (2,), dtype=np.float64, requires_grad=True).requires_grad


def test_normal_errors():
    with pytest.raises(ValueError, match="normal: std must be >= 0"):
        ag.normal(0.0, -1.0, (2,))
    with pytest.raises(ValueError, match=r"do not broadcast to size \(2,\)"):
        ag.normal(np.zeros(3), 1.0, (2,))
    with pytest.raises(TypeError, match="normal: mean must be real numbers"):
        ag.normal("a", 1.0)
