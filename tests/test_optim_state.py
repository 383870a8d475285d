"""optim: checkpoints (state_dict / load_state_dict) and hyperparameter validation."""
import copy

import numpy as np
import pytest

import optim
from autograd import Tensor
from optim_rules import CASES, IDS, grad_at, start_values


# -- checkpoints ------------------------------------------------------------------
def two_groups(name, kw, seed=0):
    a = Tensor(start_values((3, 2), seed), requires_grad=True)
    b = Tensor(start_values((4,), seed + 1), requires_grad=True)
    opt = getattr(optim, name)([{"params": [a]}, {"params": [b], "lr": kw["lr"] / 2}], **kw)
    return opt, a, b


def step_pair(opt, a, b):
    a.grad, b.grad = Tensor(grad_at(a.data)), Tensor(grad_at(b.data))
    opt.step()


@pytest.mark.parametrize("name, kw, rule", CASES, ids=IDS)
def test_resume_takes_identical_steps_and_shares_no_arrays(name, kw, rule):
    opt, a, b = two_groups(name, kw)
    for _ in range(5):
        step_pair(opt, a, b)
    sd = opt.state_dict()
    saved = {i: {k: np.copy(v) for k, v in s.items()} for i, s in sd["state"].items()}
    opt2, a2, b2 = two_groups(name, kw, seed=7)
    a2.data[...], b2.data[...] = a.data, b.data
    opt2.load_state_dict(sd)
    assert opt2.param_groups[1]["lr"] == kw["lr"] / 2
    for _ in range(5):
        step_pair(opt, a, b)
        step_pair(opt2, a2, b2)
        assert np.array_equal(a.data, a2.data) and np.array_equal(b.data, b2.data)
    arrays = [v for st in (opt.state, opt2.state) for s in st.values() for v in s.values()
              if isinstance(v, np.ndarray)]
    arrays += [v for s in sd["state"].values() for v in s.values() if isinstance(v, np.ndarray)]
    for i, x in enumerate(arrays):
        assert not any(np.shares_memory(x, y) for y in arrays[i + 1:])
    for i, s in saved.items():             # the snapshot did not move with the optimizer
        for k, v in s.items():
            assert np.array_equal(sd["state"][i][k], v)


def mismatches(sd):
    """Ways to break a state dict of a two-group Adam over params of shapes (3, 2), (4,)."""
    out = []
    for edit in (lambda d: d["param_groups"].pop(),
                 lambda d: d["param_groups"][1]["params"].append(5),
                 lambda d: d["state"][0].__setitem__("exp_avg", np.zeros((2, 3))),
                 lambda d: d["state"][0].pop("exp_avg_sq"),
                 lambda d: d["state"][0].__setitem__("step", -1),
                 lambda d: d["state"].__setitem__(9, dict(d["state"][0])),
                 lambda d: d["param_groups"][0].__setitem__("betas", (0.9, 1.5)),
                 lambda d: d["param_groups"][0].pop("eps"),
                 lambda d: d.pop("state")):
        d = copy.deepcopy(sd)
        edit(d)
        out.append(d)
    return out


@pytest.mark.parametrize("case", range(9))
def test_mismatched_state_dict_raises_and_changes_nothing(case):
    opt, a, b = two_groups("Adam", dict(lr=0.01))
    step_pair(opt, a, b)
    bad = mismatches(opt.state_dict())[case]
    before = opt.state_dict()
    with pytest.raises(ValueError, match="load_state_dict"):
        opt.load_state_dict(bad)
    after = opt.state_dict()
    assert after["param_groups"] == before["param_groups"]
    for i, s in before["state"].items():
        assert all(np.array_equal(after["state"][i][k], v) for k, v in s.items())


def test_state_of_another_optimizer_is_rejected():
    p = Tensor(np.ones(2), requires_grad=True)
    sgd = optim.SGD([p], lr=0.1, momentum=0.9)
    p.grad = Tensor(np.ones(2))
    sgd.step()
    with pytest.raises(ValueError, match="lacks hyperparameters"):
        optim.Adam([p]).load_state_dict(sgd.state_dict())


# -- validation -------------------------------------------------------------------
def leaf():
    return Tensor(np.ones(2), requires_grad=True)


BAD = [
    (lambda: optim.SGD([leaf()], lr=-0.1), "lr -0.1"),
    (lambda: optim.SGD([leaf()], lr=float("nan")), "lr nan"),
    (lambda: optim.Adam([leaf()], lr=float("nan")), "lr nan"),
    (lambda: optim.SGD([leaf()], lr=0.1, momentum=-0.5), "momentum -0.5"),
    (lambda: optim.SGD([leaf()], lr=0.1, weight_decay=-1), "weight_decay -1"),
    (lambda: optim.SGD([leaf()], lr=0.1, nesterov=True), "nesterov"),
    (lambda: optim.SGD([leaf()], lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
     "nesterov"),
    (lambda: optim.Momentum([leaf()], beta=1.0), "beta 1.0"),
    (lambda: optim.RMSprop([leaf()], eps=-1e-8), "eps -1e-08"),
    (lambda: optim.RMSprop([leaf()], alpha=1.5), "alpha 1.5"),
    (lambda: optim.RMSprop([leaf()], momentum=-1), "momentum -1"),
    (lambda: optim.Adam([leaf()], betas=(1.0, 0.999)), r"betas\[0\] \(beta1\) 1.0"),
    (lambda: optim.Adam([leaf()], betas=(0.9, -0.1)), r"betas\[1\] \(beta2\) -0.1"),
    (lambda: optim.Adam([leaf()], betas=0.9), "betas 0.9"),
    (lambda: optim.Adam([leaf()], eps=-1.0), "eps -1.0"),
    (lambda: optim.AdamW([leaf()], weight_decay=-0.01), "weight_decay -0.01"),
    (lambda: optim.Adam([]), "empty"),
    (lambda: optim.Adam([{"params": []}]), "empty"),
    (lambda: optim.Adam([{"lr": 0.1}]), "'params'"),
    (lambda: optim.SGD([{"params": [leaf()], "lr": -1.0}], lr=0.1), "lr -1.0"),
    (lambda: optim.Adam([leaf() * 2]), "not a leaf"),
    (lambda: optim.Adam([Tensor(np.arange(3))]), "dtype int64"),
]


@pytest.mark.parametrize("make, match", BAD, ids=[m for _, m in BAD])
def test_bad_hyperparameters_raise_value_error_naming_them(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_duplicated_parameters_raise_also_across_groups():
    p, q = leaf(), leaf()
    with pytest.raises(ValueError, match="duplicated"):
        optim.SGD([p, q, p], lr=0.1)
    with pytest.raises(ValueError, match="duplicated"):
        optim.Adam([{"params": [p]}, {"params": [q, p]}])


def test_params_must_be_an_iterable_of_tensors():
    with pytest.raises(TypeError, match="iterable"):
        optim.Adam(leaf())
    with pytest.raises(TypeError, match="not a Tensor"):
        optim.Adam([np.ones(2)])
