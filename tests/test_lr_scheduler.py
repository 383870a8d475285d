"""optim.lr_scheduler: each schedule against its closed form and against torch's."""
import math

import numpy as np
import pytest

import optim
from autograd import Tensor
from optim import lr_scheduler as S

EPOCHS = 40


def make_opt(lrs=(0.1, 0.03)):
    groups = [{"params": [Tensor(np.ones(2), requires_grad=True)], "lr": lr} for lr in lrs]
    return optim.SGD(groups, lr=lrs[0])


# (scheduler class, keyword arguments, closed form lr(lr0, epoch))
CASES = [
    (S.StepLR, dict(step_size=3, gamma=0.5), lambda lr0, e: lr0 * 0.5 ** (e // 3)),
    (S.StepLR, dict(step_size=10), lambda lr0, e: lr0 * 0.1 ** (e // 10)),
    (S.ExponentialLR, dict(gamma=0.95), lambda lr0, e: 0.95 ** e * lr0),
    (S.InverseTimeDecay, dict(decay_rate=1.0), lambda lr0, e: lr0 / (1 + e)),
    (S.InverseTimeDecay, dict(decay_rate=0.3), lambda lr0, e: lr0 / (1 + 0.3 * e)),
    (S.CosineAnnealingLR, dict(T_max=10),
     lambda lr0, e: lr0 * (1 + math.cos(math.pi * e / 10)) / 2),
    (S.CosineAnnealingLR, dict(T_max=7, eta_min=0.01),
     lambda lr0, e: 0.01 + (lr0 - 0.01) * (1 + math.cos(math.pi * e / 7)) / 2),
]
IDS = [f"{cls.__name__}-{kw}" for cls, kw, _ in CASES]


def trace(sched, epochs=EPOCHS):
    out = []
    for _ in range(epochs):
        out.append(sched.get_last_lr())
        sched.optimizer.step()
        sched.step()
    return out


@pytest.mark.parametrize("cls, kw, form", CASES, ids=IDS)
def test_schedule_matches_closed_form_in_every_group(cls, kw, form):
    opt = make_opt()
    sched = cls(opt, **kw)
    assert sched.last_epoch == 0 and sched.base_lrs == [0.1, 0.03]
    for epoch, lrs in enumerate(trace(sched)):
        np.testing.assert_allclose(lrs, [form(0.1, epoch), form(0.03, epoch)], rtol=1e-12)
    assert sched.last_epoch == EPOCHS
    assert [g["lr"] for g in opt.param_groups] == sched.get_last_lr()


@pytest.mark.parametrize("cls, kw, form", CASES, ids=IDS)
def test_schedule_matches_torch(cls, kw, form):
    torch = pytest.importorskip("torch")
    ours = trace(cls(make_opt(), **kw))
    p = torch.zeros(2, requires_grad=True)
    q = torch.zeros(2, requires_grad=True)
    topt = torch.optim.SGD([{"params": [p], "lr": 0.1}, {"params": [q], "lr": 0.03}])
    if cls is S.InverseTimeDecay:          # no torch class: the same rule as a LambdaLR
        rate = kw["decay_rate"]
        theirs = torch.optim.lr_scheduler.LambdaLR(topt, lambda e: 1 / (1 + rate * e))
    else:
        theirs = getattr(torch.optim.lr_scheduler, cls.__name__)(topt, **kw)
    for lrs in ours:
        np.testing.assert_allclose(lrs, theirs.get_last_lr(), rtol=1e-9, atol=1e-15)
        topt.step()
        theirs.step()


def test_cosine_keeps_cycling_past_t_max():
    sched = S.CosineAnnealingLR(make_opt((1.0,)), T_max=5, eta_min=0.0)
    lrs = [lr for (lr,) in trace(sched, 21)]
    assert lrs[5] == pytest.approx(0.0, abs=1e-15) and lrs[10] == pytest.approx(1.0)
    assert lrs[15] == pytest.approx(0.0, abs=1e-15) and lrs[20] == pytest.approx(1.0)
    assert lrs[7] == pytest.approx(lrs[3]) and lrs[12] == pytest.approx(lrs[2])


def test_scheduled_lr_drives_the_optimizer():
    p = Tensor(np.zeros(1), requires_grad=True)
    opt = optim.SGD([p], lr=1.0)
    sched = S.StepLR(opt, step_size=1, gamma=0.5)
    for _ in range(4):
        p.grad = Tensor(np.full(1, -1.0))
        opt.step()
        sched.step()
    assert p.item() == 1.0 + 0.5 + 0.25 + 0.125


def test_step_with_an_epoch_jumps_there():
    sched = S.ExponentialLR(make_opt((1.0,)), gamma=0.5)
    sched.step(3)
    assert sched.last_epoch == 3 and sched.get_last_lr() == [0.125]


def test_state_dict_resumes_the_schedule():
    opt = make_opt()
    sched = S.CosineAnnealingLR(opt, T_max=8, eta_min=0.001)
    trace(sched, 5)
    sd_opt, sd_sched = opt.state_dict(), sched.state_dict()
    assert "optimizer" not in sd_sched and sd_sched["last_epoch"] == 5
    opt2 = make_opt((0.5, 0.5))
    opt2.load_state_dict(sd_opt)
    sched2 = S.CosineAnnealingLR(opt2, T_max=8, last_epoch=4)   # initial_lr came along
    sched2.load_state_dict(sd_sched)
    assert trace(sched2, 10) == trace(sched, 10)
    with pytest.raises(ValueError, match="unknown keys"):
        sched2.load_state_dict({"not_a_field": 1})


def test_get_last_lr_returns_a_copy():
    sched = S.StepLR(make_opt(), step_size=2)
    sched.get_last_lr().append(99)
    assert sched.get_last_lr() == [0.1, 0.03]


def test_resuming_needs_initial_lr():
    with pytest.raises(ValueError, match="initial_lr"):
        S.StepLR(make_opt(), step_size=2, last_epoch=3)


@pytest.mark.parametrize("make, match", [
    (lambda o: S.StepLR(o, step_size=0), "step_size 0"),
    (lambda o: S.StepLR(o, step_size=2.5), "step_size 2.5"),
    (lambda o: S.StepLR(o, step_size=2, gamma=-0.1), "gamma -0.1"),
    (lambda o: S.ExponentialLR(o, gamma=float("nan")), "gamma nan"),
    (lambda o: S.InverseTimeDecay(o, decay_rate=-1.0), "decay_rate -1.0"),
    (lambda o: S.CosineAnnealingLR(o, T_max=0), "T_max 0"),
    (lambda o: S.CosineAnnealingLR(o, T_max=5, eta_min=-1.0), "eta_min -1.0"),
    (lambda o: S.StepLR(o, step_size=2, last_epoch=-2), "last_epoch -2"),
])
def test_bad_arguments_raise_naming_them_and_leave_the_optimizer_alone(make, match):
    opt = make_opt()
    with pytest.raises(ValueError, match=match):
        make(opt)
    assert all("initial_lr" not in g for g in opt.param_groups)


def test_scheduler_needs_an_optimizer():
    with pytest.raises(TypeError, match="Optimizer"):
        S.StepLR([0.1], step_size=2)


# -- load_state_dict checks everything first and changes nothing on error (issue 14) -------
def test_a_negative_base_lr_is_refused_and_sgd_never_walks_uphill():
    w = Tensor(np.array([1.0]), requires_grad=True)
    opt = optim.SGD([w], lr=0.1)
    sched = S.StepLR(opt, step_size=2)
    with pytest.raises(ValueError, match=r"invalid base_lrs\[0\] -1.0: expected a finite "
                                         r"number >= 0"):
        sched.load_state_dict({"base_lrs": [-1.0]})
    sched.step()
    assert sched.base_lrs == [0.1] and opt.param_groups[0]["lr"] == 0.1
    (w * w).sum().backward()
    opt.step()
    assert w.data[0] < 1.0          # downhill


BAD_STATES = [
    ({"base_lrs": [float("nan"), 0.1]}, r"base_lrs\[0\] nan"),
    ({"base_lrs": [0.1, float("inf")]}, r"base_lrs\[1\] inf"),
    ({"base_lrs": [0.1]}, r"base_lrs must be a list of 2 learning rates"),
    ({"base_lrs": 0.1}, r"base_lrs must be a list of 2"),
    ({"base_lrs": [0.1, "0.1"]}, r"base_lrs\[1\] '0.1'"),
    ({"_last_lr": [0.1, -0.5]}, r"_last_lr\[1\] -0.5"),
    ({"last_epoch": -3}, r"last_epoch -3: expected an int >= 0"),
    ({"last_epoch": 2.5}, r"last_epoch 2.5"),
    ({"last_epoch": True}, r"last_epoch True"),
    ({"step_size": 0}, r"step_size 0"),
    ({"step_size": "3"}, r"step_size '3'"),
    ({"gamma": -0.5}, r"gamma -0.5"),
    ({"gamma": float("nan")}, r"gamma nan"),
    ({"gamma": 1e300, "last_epoch": 30}, r"no learning rate at epoch 30|learning rate inf"),
    ({"gamma": 0.5, "step_size": 2, "not_a_field": 1}, r"unknown keys \['not_a_field'\]"),
    ({"optimizer": None}, r"unknown keys \['optimizer'\]"),
    ([("gamma", 0.5)], r"expected a dict from state_dict\(\), got list"),
]


@pytest.mark.parametrize("state, match", BAD_STATES, ids=[m for _, m in BAD_STATES])
def test_bad_state_dicts_are_refused_and_change_nothing(state, match):
    opt = make_opt()
    sched = S.StepLR(opt, step_size=3, gamma=0.5)
    trace(sched, 4)
    before, lrs = sched.state_dict(), [g["lr"] for g in opt.param_groups]
    with pytest.raises(ValueError, match=match):
        sched.load_state_dict(state)
    assert sched.state_dict() == before and [g["lr"] for g in opt.param_groups] == lrs
    assert trace(sched, 3) == trace(_replay(before), 3)


def _replay(state):
    sched = S.StepLR(make_opt(), step_size=3, gamma=0.5)
    sched.load_state_dict(state)
    return sched


@pytest.mark.parametrize("cls, kw, bad, match", [
    (S.ExponentialLR, dict(gamma=0.9), {"gamma": -1.0}, "gamma -1.0"),
    (S.InverseTimeDecay, dict(decay_rate=0.5), {"decay_rate": float("inf")}, "decay_rate inf"),
    (S.InverseTimeDecay, dict(decay_rate=0.5), {"decay_rate": 0.0, "base_lrs": [0.1, -2.0]},
     r"base_lrs\[1\] -2.0"),
    (S.CosineAnnealingLR, dict(T_max=5), {"T_max": 2.5}, "T_max 2.5"),
    (S.CosineAnnealingLR, dict(T_max=5), {"eta_min": -0.1}, "eta_min -0.1"),
])
def test_every_schedule_checks_its_own_settings(cls, kw, bad, match):
    sched = cls(make_opt(), **kw)
    before = sched.state_dict()
    with pytest.raises(ValueError, match=match):
        sched.load_state_dict(bad)
    assert sched.state_dict() == before


def test_a_partial_or_numpy_state_dict_loads():
    sched = S.StepLR(make_opt(), step_size=3, gamma=0.5)
    sched.load_state_dict({"last_epoch": np.int64(6), "base_lrs": (0.2, np.float64(0.05))})
    assert sched.last_epoch == 6 and type(sched.last_epoch) is int
    assert sched.base_lrs == [0.2, 0.05] and sched.get_lr() == [0.05, 0.0125]
