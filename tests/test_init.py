"""nn.init: the notes' variances, fans as PyTorch, in place, seedable."""
import numpy as np
import pytest

import autograd as ag
import nn
from nn import init


def param(*shape, dtype=np.float64):
    return nn.Parameter(np.zeros(shape, dtype=dtype))


@pytest.mark.parametrize("shape,fans", [((30, 20), (20, 30)), ((8, 3, 5, 5), (75, 200)),
                                        ((4, 6, 7), (42, 28))])
def test_fans_follow_pytorch(shape, fans):
    assert init._fans(param(*shape)) == fans


def test_fans_need_two_dims():
    with pytest.raises(ValueError, match="at least 2 dims"):
        init.he_normal_(param(5))


# (initialiser, expected variance from (fan_in, fan_out))
VARIANCES = [
    (init.he_normal_, lambda i, o: 2 / i),
    (init.he_uniform_, lambda i, o: 2 / i),
    (init.lecun_normal_, lambda i, o: 1 / i),
    (init.xavier_normal_, lambda i, o: 2 / (i + o)),
    (init.xavier_uniform_, lambda i, o: 2 / (i + o)),
]


@pytest.mark.parametrize("fn,variance", VARIANCES, ids=lambda v: getattr(v, "__name__", ""))
@pytest.mark.parametrize("shape", [(300, 200), (64, 16, 3, 3)])
def test_variances_are_the_notes_formulas(fn, variance, shape):
    t = param(*shape)
    out = fn(t, rng=0)
    assert out is t
    fan_in, fan_out = init._fans(t)
    assert abs(t.data.mean()) < 0.05 * np.sqrt(variance(fan_in, fan_out))
    np.testing.assert_allclose(t.data.var(), variance(fan_in, fan_out), rtol=0.05)


def test_uniform_bounds_and_gain():
    t = init.xavier_uniform_(param(50, 30), gain=2.0, rng=1)
    bound = 2.0 * np.sqrt(6 / 80)
    assert np.abs(t.data).max() <= bound and np.abs(t.data).max() > 0.95 * bound
    t = init.he_uniform_(param(40, 25), a=np.sqrt(5), rng=1)  # PyTorch's Linear default
    assert np.abs(t.data).max() <= 1 / np.sqrt(25)
    t = init.uniform_(param(1000), -2, 3, rng=0)
    assert t.data.min() >= -2 and t.data.max() < 3 and abs(t.data.mean() - 0.5) < 0.1
    with pytest.raises(ValueError):
        init.uniform_(param(3), 1, 0)


def test_normal_zeros_ones_constant():
    t = init.normal_(param(400, 50), mean=3.0, std=0.5, rng=2)
    assert abs(t.data.mean() - 3.0) < 0.01 and abs(t.data.std() - 0.5) < 0.01
    assert (init.zeros_(t).data == 0).all() and (init.ones_(t).data == 1).all()
    assert (init.constant_(t, 0.25).data == 0.25).all()
    with pytest.raises(ValueError):
        init.normal_(t, std=-1)
    with pytest.raises(TypeError):
        init.zeros_(np.zeros(3))


def test_in_place_keeps_array_dtype_and_needs_no_graph():
    t = param(20, 10, dtype=np.float32)
    arr, version = t.data, t._version
    init.he_normal_(t, rng=0)
    assert t.data is arr and t.dtype == np.float32 and t._version > version
    assert t.grad_fn is None and t.requires_grad


def test_default_generator_makes_runs_reproducible():
    ag.manual_seed(11)
    a = init.xavier_normal_(param(5, 4)).data.copy()
    b = init.xavier_normal_(param(5, 4)).data.copy()
    ag.manual_seed(11)
    assert np.array_equal(init.xavier_normal_(param(5, 4)).data, a)
    assert not np.array_equal(a, b)
    assert np.array_equal(init.normal_(param(3), rng=5).data, init.normal_(param(3), rng=5).data)


def test_kaiming_aliases():
    assert init.kaiming_normal_ is init.he_normal_
    assert init.kaiming_uniform_ is init.he_uniform_
