"""Hypothesis properties of the activations and losses of issue 11: random shapes and
values (including large ones) against the rows' NumPy references, gradients against
central differences (profiles: tests/conftest.py)."""
import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import Tensor

from op_table import OPS_BY_NAME

SEEDS = st.integers(0, 2 ** 32 - 1)
SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)
SMOOTH = ["gelu", "silu", "mish", "softplus", "logsigmoid", "softsign", "elu", "selu", "celu",
          "hardswish", "hardsigmoid", "hardtanh", "relu6"]


def _leaf(a):
    return Tensor(np.asarray(a, dtype=np.float64), requires_grad=True)


@given(name=st.sampled_from(SMOOTH), shape=SHAPES, seed=SEEDS,
       scale=st.sampled_from([1.0, 30.0, 1e4]))
def test_activations_match_numpy_and_numeric_gradients(name, shape, seed, scale):
    op = OPS_BY_NAME[name]
    x = op.domain(np.random.default_rng(seed), shape) * scale
    x = np.where(np.abs(x) < 0.05, 0.5, x)        # off the kinks at 0
    x = np.where(np.abs(np.abs(x) - 3) < 0.05, 4.0, x)    # and at +-3 (hardswish)
    x = np.where(np.abs(np.abs(x) - 1) < 0.05, 2.0, x)    # and at +-1 (hardtanh)
    x = np.where(np.abs(x - 6) < 0.05, 7.0, x)            # and at 6 (relu6)
    out = op.fn(_leaf(x))
    np.testing.assert_allclose(out.data, op.ref(x), rtol=1e-12, atol=1e-300)
    assert np.isfinite(out.data).all()
    w = np.random.default_rng(seed).standard_normal(out.shape)
    t = _leaf(x)
    op.fn(t).backward(w)
    numeric = ag.numerical_grad(lambda v: op.fn(v), [_leaf(x)], grad_output=w)[0]
    np.testing.assert_allclose(t.grad.data, numeric, rtol=1e-5, atol=1e-6)


@given(shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4), seed=SEEDS,
       name=st.sampled_from(["l1_loss", "smooth_l1_loss", "huber_loss"]))
def test_regression_losses_match_numpy(shape, seed, name):
    op = OPS_BY_NAME[name]
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=shape) * 3, rng.normal(size=shape) * 3
    np.testing.assert_allclose(op.fn(_leaf(x), _leaf(y)).data, op.ref(x, y), rtol=1e-12)
