"""Activations and losses of issue 11: the op table's ``*_at_kinks`` rows against
PyTorch's first and second derivatives (a central difference means nothing on a
kink), the modules (arguments, repr, PReLU's parameter and state dict) and errors."""
import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F

from op_table import OPS

KINK_ROWS = [op for op in OPS if op.name.endswith("_at_kinks")]
# second derivatives exactly on a kink where PyTorch's own are no convention to follow
FIRST_ORDER_ONLY = {
    "prelu_at_kinks": "its mixed d2/dx dw and d2/dw dx differ at x = 0",
    "normalize_at_kinks": "NaN at a zero vector (here 0, as the norm's gradient)",
    "binary_cross_entropy_at_kinks": "at p = 0 and 1 it divides by a differently clamped "
                                     "p (1 - p) (1e23 against 1e11 here)",
}


def _inputs(op, sample):
    return op.make_inputs(sample, np.random.default_rng(0), np.float64)


@pytest.mark.parametrize("op", KINK_ROWS, ids=[op.name for op in KINK_ROWS])
def test_gradients_at_kinks_match_pytorch(op):
    torch = pytest.importorskip("torch")
    for sample in op.samples:
        arrays = _inputs(op, sample)
        ours = [ag.Tensor(a.copy(), requires_grad=True) for a in arrays]
        theirs = [torch.tensor(a.copy(), requires_grad=True) for a in arrays]
        kw = {k: (torch.as_tensor(v) if isinstance(v, np.ndarray) else v)
              for k, v in sample.kwargs.items()}
        out, out_t = op.fn(*ours, **sample.kwargs), op.torch(torch, *theirs, **kw)
        np.testing.assert_allclose(out.data, out_t.detach().numpy(), rtol=1e-12, atol=1e-300)
        v = np.linspace(-1.0, 2.0, out.size).reshape(out.shape)
        gs = ag.grad((out * ag.Tensor(v)).sum(), ours, create_graph=True)
        gs_t = torch.autograd.grad((out_t * torch.from_numpy(v)).sum(), theirs,
                                   create_graph=True)
        for k, (g, gt) in enumerate(zip(gs, gs_t)):
            # 1e-7: PyTorch's hardsigmoid multiplies by 1/6 rounded to float32
            np.testing.assert_allclose(g.data, gt.detach().numpy(), rtol=1e-7, atol=1e-300,
                                       err_msg=f"{op.name}: gradient of input {k}")
            assert np.isfinite(g.data).all()
        if op.name in FIRST_ORDER_ONLY:
            continue
        u = [np.linspace(0.5, 1.5, a.size).reshape(a.shape) for a in arrays]
        total = sum((g * ag.Tensor(w)).sum() for g, w in zip(gs, u))
        total_t = sum((g * torch.from_numpy(w)).sum() for g, w in zip(gs_t, u))
        hs = ag.grad(total, ours, allow_unused=True) if total.requires_grad else \
            [None] * len(ours)       # piecewise linear: the second derivative is 0
        hs_t = [None] * len(ours)
        if total_t.requires_grad and op.name != "hardsigmoid_at_kinks":  # PyTorch has none
            hs_t = torch.autograd.grad(total_t, theirs, allow_unused=True)
        for k, (h, ht) in enumerate(zip(hs, hs_t)):
            h = np.zeros(arrays[k].shape) if h is None else h.data
            ht = np.zeros(arrays[k].shape) if ht is None else ht.numpy(force=True)
            np.testing.assert_allclose(h, ht, rtol=1e-10, atol=1e-300,
                                       err_msg=f"{op.name}: second derivative, input {k}")


ACTIVATIONS = [
    (nn.GELU(), "GELU(approximate='none')", lambda t: t.nn.GELU()),
    (nn.GELU("tanh"), "GELU(approximate='tanh')", lambda t: t.nn.GELU("tanh")),
    (nn.SiLU(), "SiLU()", lambda t: t.nn.SiLU()),
    (nn.Mish(), "Mish()", lambda t: t.nn.Mish()),
    (nn.Softplus(2.0, 5.0), "Softplus(beta=2.0, threshold=5.0)",
     lambda t: t.nn.Softplus(2.0, 5.0)),
    (nn.ELU(0.5), "ELU(alpha=0.5)", lambda t: t.nn.ELU(0.5)),
    (nn.SELU(), "SELU()", lambda t: t.nn.SELU()),
    (nn.CELU(2.0), "CELU(alpha=2.0)", lambda t: t.nn.CELU(2.0)),
    (nn.Hardtanh(-2.0, 3.0), "Hardtanh(min_val=-2.0, max_val=3.0)",
     lambda t: t.nn.Hardtanh(-2.0, 3.0)),
    (nn.ReLU6(), "ReLU6()", lambda t: t.nn.ReLU6()),
    (nn.Hardsigmoid(), "Hardsigmoid()", lambda t: t.nn.Hardsigmoid()),
    (nn.Hardswish(), "Hardswish()", lambda t: t.nn.Hardswish()),
    (nn.LogSigmoid(), "LogSigmoid()", lambda t: t.nn.LogSigmoid()),
    (nn.Softsign(), "Softsign()", lambda t: t.nn.Softsign()),
    (nn.Softmin(dim=1), "Softmin(dim=1)", lambda t: t.nn.Softmin(dim=1)),
    (nn.GLU(dim=1), "GLU(dim=1)", lambda t: t.nn.GLU(dim=1)),
]


@pytest.mark.parametrize("module,text,make", ACTIVATIONS, ids=[a[1] for a in ACTIVATIONS])
def test_activation_modules_match_pytorch_and_print_its_repr(module, text, make):
    assert repr(module) == text and not list(module.parameters())
    x = np.random.default_rng(1).uniform(-8, 8, (3, 4, 2))
    x[0, 0] = [0.0, 1e4]
    x[0, 1] = [-1e4, 3.0]
    out = module(ag.Tensor(x))
    torch = pytest.importorskip("torch")
    assert repr(make(torch)) == text
    np.testing.assert_allclose(out.data, make(torch)(torch.from_numpy(x)).numpy(),
                               rtol=1e-12, atol=1e-300)


def test_softmin_without_dim_takes_pytorch_s_implicit_dim():
    torch = pytest.importorskip("torch")
    for shape in [(4,), (2, 3), (2, 3, 2), (2, 2, 2, 2)]:
        x = np.random.default_rng(2).normal(size=shape)
        with pytest.warns(UserWarning):
            want = torch.nn.functional.softmin(torch.from_numpy(x)).numpy()
        np.testing.assert_allclose(F.softmin(x).data, want, rtol=1e-12)


def test_prelu_module_learns_its_slopes_and_saves_them():
    torch = pytest.importorskip("torch")
    act = nn.PReLU(num_parameters=3, init=0.1, dtype=np.float64)
    assert repr(act) == "PReLU(num_parameters=3)" and repr(nn.PReLU()) == "PReLU(num_parameters=1)"
    assert [n for n, _ in act.named_parameters()] == ["weight"]
    assert list(act.state_dict()) == ["weight"] and act.weight.shape == (3,)
    assert nn.PReLU().weight.dtype == np.float32 and nn.PReLU().weight.data.tolist() == [0.25]
    x = np.random.default_rng(3).normal(size=(2, 3, 4))
    x[0, 0, 0] = 0.0
    act(x).sum().backward()
    ref = torch.nn.PReLU(3, 0.1).double()
    ref(torch.from_numpy(x)).sum().backward()
    np.testing.assert_allclose(act.weight.grad.data, ref.weight.grad.numpy(), rtol=1e-12)
    other = nn.PReLU(3, dtype=np.float64)
    other.load_state_dict(act.state_dict())
    assert other.weight.data.tolist() == [0.1, 0.1, 0.1]


def test_activation_errors_name_the_op_and_the_values():
    with pytest.raises(ValueError, match="gelu: approximate must be 'none' or 'tanh'"):
        F.gelu(np.zeros(2), approximate="fast")
    with pytest.raises(ValueError, match="GELU: approximate"):
        nn.GELU("erf")
    with pytest.raises(ValueError, match=r"glu: halving dim -1 needs an even size, got 3 "
                                         r"\(input of shape \(2, 3\)\)"):
        F.glu(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="glu: needs at least one dim"):
        F.glu(np.zeros(()))
    with pytest.raises(ValueError, match=r"prelu: weight of shape \(3,\) does not match input "
                                         r"of shape \(2, 4\)"):
        F.prelu(np.zeros((2, 4)), np.ones(3))
    with pytest.raises(ValueError, match=r"hardtanh: min_val \(2\) must not exceed max_val"):
        F.hardtanh(np.zeros(2), 2, 1)
    with pytest.raises(ValueError, match="celu: alpha must not be 0"):
        F.celu(np.zeros(2), alpha=0.0)
    with pytest.raises(ValueError, match="PReLU: num_parameters must be at least 1"):
        nn.PReLU(0)


def test_activations_keep_float32_and_stay_finite_at_the_extremes():
    x = ag.Tensor(np.array([-1e4, -1e3, 0.0, 1e3, 1e4], dtype=np.float32), requires_grad=True)
    for f in (F.gelu, F.silu, F.mish, F.softplus, F.logsigmoid, F.elu, F.selu, F.celu,
              F.softsign, F.hardswish, lambda t: F.gelu(t, approximate="tanh")):
        x.grad = None
        y = f(x)
        y.sum().backward()
        assert y.dtype == np.float32 and x.grad.dtype == np.float32, f
        assert np.isfinite(y.data).all() and np.isfinite(x.grad.data).all(), f


LOSSES = [
    (nn.NLLLoss(weight=np.ones(3), ignore_index=1), "NLLLoss()",
     lambda t: t.nn.NLLLoss(weight=t.ones(3, dtype=t.float64), ignore_index=1), "index"),
    (nn.CrossEntropyLoss(ignore_index=0, label_smoothing=0.2), "CrossEntropyLoss()",
     lambda t: t.nn.CrossEntropyLoss(ignore_index=0, label_smoothing=0.2), "index"),
    (nn.KLDivLoss(reduction="batchmean"), "KLDivLoss(reduction='batchmean', log_target=False)",
     lambda t: t.nn.KLDivLoss(reduction="batchmean"), "prob"),
    (nn.L1Loss(reduction="sum"), "L1Loss(reduction='sum')",
     lambda t: t.nn.L1Loss(reduction="sum"), "real"),
    (nn.SmoothL1Loss(beta=0.5), "SmoothL1Loss(beta=0.5)", lambda t: t.nn.SmoothL1Loss(beta=0.5),
     "real"),
    (nn.HuberLoss(reduction="none", delta=0.5), "HuberLoss(reduction='none', delta=0.5)",
     lambda t: t.nn.HuberLoss(reduction="none", delta=0.5), "real"),
]


@pytest.mark.parametrize("module,text,make,kind", LOSSES, ids=[c[1] for c in LOSSES])
def test_loss_modules_match_pytorch(module, text, make, kind):
    assert repr(module) == text
    rng = np.random.default_rng(4)
    x = rng.normal(size=(4, 3))
    y = {"index": np.array([0, 1, 2, 1]), "prob": rng.dirichlet(np.ones(3), 4),
         "real": rng.normal(size=(4, 3))}[kind]
    ours = ag.Tensor(x, requires_grad=True)
    out = module(ours, y)
    (out * ag.Tensor(np.linspace(1, 2, out.size).reshape(out.shape))).sum().backward()
    torch = pytest.importorskip("torch")
    xt = torch.tensor(x, requires_grad=True)
    want = make(torch)(xt, torch.from_numpy(y))
    (want * torch.linspace(1, 2, want.numel(), dtype=torch.float64).reshape(want.shape)
     ).sum().backward()
    np.testing.assert_allclose(out.data, want.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(ours.grad.data, xt.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_distance_modules_match_pytorch():
    torch = pytest.importorskip("torch")
    a, b = np.random.default_rng(5).normal(size=(2, 4, 3))
    cos, dist = nn.CosineSimilarity(dim=0, eps=1e-6), nn.PairwiseDistance(p=1.0, keepdim=True)
    assert repr(cos) == "CosineSimilarity(dim=0, eps=1e-06)"
    assert repr(dist) == "PairwiseDistance(p=1.0, eps=1e-06, keepdim=True)"
    np.testing.assert_allclose(cos(a, b).data, torch.nn.CosineSimilarity(0, 1e-6)(
        torch.from_numpy(a), torch.from_numpy(b)).numpy(), rtol=1e-12)
    np.testing.assert_allclose(dist(a, b).data, torch.nn.PairwiseDistance(1.0, keepdim=True)(
        torch.from_numpy(a), torch.from_numpy(b)).numpy(), rtol=1e-12)


def test_every_target_ignored_gives_nan_as_pytorch():
    x = ag.Tensor(np.zeros((2, 3)), requires_grad=True)
    assert np.isnan(F.cross_entropy(x, np.array([-100, -100])).item())
    assert np.isnan(F.nll_loss(x, np.array([-100, -100])).item())
    assert F.cross_entropy(x, np.array([-100, -100]), reduction="sum").item() == 0.0


def test_loss_errors_name_the_loss_and_the_values():
    x = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"cross_entropy: label_smoothing must be in \[0, 1\]"):
        F.cross_entropy(x, np.array([0, 1]), label_smoothing=1.5)
    with pytest.raises(ValueError, match=r"cross_entropy: target 3 is out of range \[0, 3\)"):
        F.cross_entropy(x, np.array([3, -100]))
    with pytest.raises(ValueError, match=r"nll_loss: weight of shape \(2,\) for C = 3"):
        F.nll_loss(x, np.array([0, 1]), weight=np.ones(2))
    with pytest.raises(ValueError, match="kl_div: reduction must be one of"):
        F.kl_div(x, x, reduction="batch")
    with pytest.raises(ValueError, match=r"l1_loss: input of shape \(2, 3\) and target of "
                                         r"shape \(3,\) differ"):
        F.l1_loss(x, np.zeros(3))
    with pytest.raises(ValueError, match="smooth_l1_loss: beta must be >= 0"):
        F.smooth_l1_loss(x, x, beta=-1.0)
    with pytest.raises(ValueError, match="huber_loss: delta must be > 0"):
        F.huber_loss(x, x, delta=0.0)
    with pytest.raises(ValueError, match=r"cosine_similarity: x1 of shape \(2, 3\) and x2 of "
                                         r"shape \(2, 4\) do not broadcast"):
        F.cosine_similarity(x, np.zeros((2, 4)))
