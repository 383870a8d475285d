"""The op table against PyTorch: forward values and every input's gradient, in
float64, for the rows that give their PyTorch form (``OpInfo.torch``). Skipped
where PyTorch is not installed (it is an optional test dependency)."""
import zlib

import numpy as np
import pytest

from autograd import Tensor

from op_table import OPS

torch = pytest.importorskip("torch")

WITH_TORCH = [op for op in OPS if op.torch is not None]
CASES = [pytest.param(op, s, id=f"{op.name}-{i}-{s!r}")
         for op in WITH_TORCH for i, s in enumerate(op.samples)]
GRAD_CASES = [pytest.param(op, s, id=f"{op.name}-{i}-{s!r}")
              for op in WITH_TORCH if op.differentiable for i, s in enumerate(op.samples)]


def _outs(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


def _both(op, sample):
    rng = np.random.default_rng(zlib.crc32(f"torch{op.name}{sample!r}".encode()))
    arrays = op.make_inputs(sample, rng, np.float64)
    ours = [Tensor(a.copy(), requires_grad=op.differentiable) for a in arrays]
    theirs = [torch.tensor(a.copy(), requires_grad=op.differentiable) for a in arrays]
    kwargs = {k: (torch.as_tensor(v) if isinstance(v, np.ndarray) else v)
              for k, v in sample.kwargs.items()}
    return rng, ours, theirs, _outs(op.fn(*ours, **sample.kwargs)), \
        _outs(op.torch(torch, *theirs, **kwargs))


def _np(t):
    return t.detach().numpy() if hasattr(t, "detach") else np.asarray(t)


@pytest.mark.parametrize("op,sample", CASES)
def test_forward_matches_pytorch(op, sample):
    _, _, _, got, want = _both(op, sample)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        w = _np(w)
        assert g.shape == w.shape, f"{op.name}: shape {g.shape}, PyTorch gives {w.shape}"
        np.testing.assert_allclose(g.data, w, rtol=op.rtol * 10, atol=op.atol * 10)


@pytest.mark.parametrize("op,sample", GRAD_CASES)
def test_gradients_match_pytorch(op, sample):
    rng, ours, theirs, got, want = _both(op, sample)
    float_outs = [i for i, w in enumerate(want) if w.is_floating_point() and w.requires_grad]
    vs = [rng.standard_normal(tuple(want[i].shape)) for i in float_outs]
    sum((got[i] * Tensor(v)).sum() for i, v in zip(float_outs, vs)).backward()
    sum((want[i] * torch.tensor(v)).sum() for i, v in zip(float_outs, vs)).backward()
    for k, (a, b) in enumerate(zip(ours, theirs)):
        ga = None if a.grad is None else a.grad.data
        gb = None if b.grad is None else b.grad.numpy()
        if gb is None:
            assert ga is None or not np.any(ga), f"{op.name}: input {k} gets a gradient here only"
            continue
        assert ga is not None, f"{op.name}: input {k} gets no gradient, PyTorch gives one"
        np.testing.assert_allclose(ga, gb, rtol=1e-6, atol=1e-9,
                                   err_msg=f"{op.name}: gradient of input {k}")
