"""optim: each optimizer against its update rule in NumPy (and torch.optim when present),
the step's contract (no graph, None grads skipped, leaves kept), and the notes' logistic
regression trained with each."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import optim
from autograd import Tensor
from optim_rules import (CASES, IDS, STEPS, adam_rule, adamw_rule, grad_at, rmsprop_rule, run,
                         sgd_rule, start_values)


@pytest.mark.parametrize("name, kw, rule", CASES, ids=IDS)
def test_update_matches_numpy_rule(name, kw, rule):
    p = Tensor(start_values(), requires_grad=True)
    opt = getattr(optim, name)([p], **kw)
    w, step = start_values(), rule(**kw)
    for got in run(opt, p, STEPS):
        w = step(w, grad_at(w))
        np.testing.assert_allclose(got, w, rtol=1e-12, atol=1e-14)
    assert p.is_leaf and p.grad_fn is None and p.requires_grad


@pytest.mark.parametrize("name, kw, rule", [c for c in CASES if c[0] != "Momentum"],
                         ids=[i for i, c in zip(IDS, CASES) if c[0] != "Momentum"])
def test_update_matches_torch(name, kw, rule):
    torch = pytest.importorskip("torch")
    p = Tensor(start_values(), requires_grad=True)
    tp = torch.tensor(start_values(), dtype=torch.float64, requires_grad=True)
    ours = run(getattr(optim, name)([p], **kw), p, STEPS)
    theirs = getattr(torch.optim, name)([tp], foreach=False, **kw)
    for got in ours:
        tp.grad = torch.from_numpy(grad_at(tp.detach().numpy()))
        theirs.step()
        np.testing.assert_allclose(got, tp.detach().numpy(), rtol=1e-12, atol=1e-14)


unit = st.floats(0.0, 0.95)
positive = st.floats(1e-4, 0.3)


@st.composite
def settings(draw):
    """A random optimizer with random (sensible) hyperparameters, and its NumPy rule."""
    name = draw(st.sampled_from(["SGD", "RMSprop", "Adam", "AdamW"]))
    kw = dict(lr=draw(positive), weight_decay=draw(st.sampled_from([0.0, 0.1])))
    if name == "SGD":
        kw.update(momentum=draw(unit), nesterov=draw(st.booleans()))
        kw["nesterov"] = kw["nesterov"] and kw["momentum"] > 0
        kw["dampening"] = 0.0 if kw["nesterov"] else draw(unit)
        return name, kw, sgd_rule
    if name == "RMSprop":
        kw.update(alpha=draw(st.floats(0.5, 0.999)), eps=draw(positive), momentum=draw(unit),
                  centered=draw(st.booleans()))
        return name, kw, rmsprop_rule
    kw.update(betas=(draw(unit), draw(st.floats(0.5, 0.999))), eps=draw(positive),
              amsgrad=draw(st.booleans()), maximize=draw(st.booleans()))
    return name, kw, adam_rule if name == "Adam" else adamw_rule


@given(settings(), st.integers(0, 2 ** 16))
def test_random_hyperparameters_follow_the_rule(setting, seed):
    name, kw, rule = setting
    p = Tensor(start_values((4,), seed), requires_grad=True)
    w, step = start_values((4,), seed), rule(**kw)
    for got in run(getattr(optim, name)([p], **kw), p, 8):
        w = step(w, grad_at(w))
        np.testing.assert_allclose(got, w, rtol=1e-10, atol=1e-12)


def test_momentum_is_notes_ewa_and_sgd_momentum_differs():
    """The notes' V_dW averages dW; PyTorch's momentum buffer sums it (no 1 - beta)."""
    p, q = (Tensor(np.zeros(1), requires_grad=True) for _ in range(2))
    notes, torch_like = optim.Momentum([p], lr=1.0, beta=0.9), optim.SGD([q], lr=1.0,
                                                                           momentum=0.9)
    for _ in range(200):
        p.grad = q.grad = Tensor(np.ones(1))
        notes.step()
        torch_like.step()
    v_notes = notes.state[p]["velocity"]
    np.testing.assert_allclose(v_notes, 1.0, rtol=1e-8)         # average of ones
    np.testing.assert_allclose(torch_like.state[q]["momentum_buffer"], 10.0, rtol=1e-8)


def test_param_groups_use_their_own_hyperparameters():
    a, b = Tensor(np.ones(2), requires_grad=True), Tensor(np.ones(2), requires_grad=True)
    opt = optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5, "momentum": 0.9}], lr=0.1)
    assert opt.param_groups[0]["momentum"] == 0 and opt.param_groups[1]["momentum"] == 0.9
    a.grad, b.grad = Tensor(np.ones(2)), Tensor(np.ones(2))
    opt.step()
    np.testing.assert_allclose(a.data, 0.9)
    np.testing.assert_allclose(b.data, 0.5)
    c = Tensor(np.ones(2), requires_grad=True)
    opt.add_param_group({"params": [c], "lr": 0.25})
    assert opt.param_groups[2]["momentum"] == 0 and opt.param_groups[2]["nesterov"] is False
    c.grad = Tensor(np.ones(2))
    opt.step()
    np.testing.assert_allclose(c.data, 0.75)
    with pytest.raises(ValueError, match="duplicated"):
        opt.add_param_group({"params": [a]})
    assert len(opt.param_groups) == 3


@pytest.mark.parametrize("name", ["SGD", "Momentum", "RMSprop", "Adam", "AdamW"])
def test_step_skips_none_grads_builds_no_graph_and_keeps_dtype(name):
    p = Tensor(np.ones((2, 2), dtype=np.float32), requires_grad=True)
    frozen = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    opt = getattr(optim, name)([p, frozen], lr=0.1)
    y = (p * p).sum()
    y.backward()
    opt.step()
    assert frozen.grad is None and np.all(frozen.data == 1) and frozen not in opt.state
    assert not np.all(p.data == 1) and p.dtype == np.float32
    assert p.is_leaf and p.grad_fn is None and p.requires_grad and ag.is_grad_enabled()


def test_step_runs_under_no_grad_and_invalidates_saved_graphs():
    p = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    opt = optim.SGD([p], lr=0.1)
    seen = []

    class Spy(optim.SGD):
        def _update(self, *args):
            seen.append(ag.is_grad_enabled())
            super()._update(*args)

    spy = Spy([p], lr=0.1)
    y = (p * p).sum()          # mul saves p's array for backward
    p.grad = Tensor(np.ones(2))
    spy.step()
    assert seen == [False] and ag.is_grad_enabled()
    with pytest.raises(RuntimeError, match="in-place"):
        y.backward()
    before = p._version
    opt.step()
    assert p._version == before + 1


def test_gradient_of_the_wrong_shape_raises_before_anything_moves():
    p, q = Tensor(np.ones(2), requires_grad=True), Tensor(np.ones(3), requires_grad=True)
    opt = optim.Adam([p, q], lr=0.1)
    p.grad, q.grad = Tensor(np.ones(2)), Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"parameter 1 of param group 0 has shape \(3,\) "
                                         r"but its .grad has shape \(2, 3\)"):
        opt.step()
    assert np.all(p.data == 1) and not opt.state_dict()["state"]


def test_state_of_an_unstepped_parameter_is_empty_and_not_saved():
    p = Tensor(np.ones(2), requires_grad=True)
    opt = optim.Adam([p])
    assert opt.state[p] == {} and opt.state_dict()["state"] == {}
    p.grad = Tensor(np.ones(2))
    opt.step()                              # the empty entry is filled on the first step
    assert opt.state[p]["step"] == 1 and set(opt.state_dict()["state"][0]) == {
        "step", "exp_avg", "exp_avg_sq"}


def test_closure_is_evaluated_with_grad_and_its_loss_returned():
    p = Tensor(np.array([2.0]), requires_grad=True)
    opt = optim.SGD([p], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    with ag.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 4.0 and p.item() == 1.0


def test_zero_grad_sets_none_or_zeros():
    p = Tensor(np.ones(2), requires_grad=True)
    opt = optim.Adam([p])
    p.grad = Tensor(np.ones(2))
    opt.zero_grad(set_to_none=False)
    assert p.grad is not None and np.all(p.grad.data == 0)
    opt.zero_grad()
    assert p.grad is None


# -- the notes' first model: logistic regression ---------------------------------------
def separable_data(m=200, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random(m) < 0.5).astype(np.float64)
    X = rng.normal(size=(m, 2)) + np.where(y[:, None] == 1, 2.0, -2.0)
    return X, y[:, None]


@pytest.mark.parametrize("name, kw", [
    ("SGD", dict(lr=0.5)), ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("Momentum", dict(lr=0.5, beta=0.9)), ("RMSprop", dict(lr=0.05)),
    ("Adam", dict(lr=0.1)), ("AdamW", dict(lr=0.1, weight_decay=0.01)),
])
def test_logistic_regression_converges(name, kw):
    X, Y = separable_data()
    X, Y = Tensor(X), Tensor(Y)
    w = Tensor(np.zeros((2, 1)), requires_grad=True)
    b = Tensor(np.zeros(1), requires_grad=True)
    opt = getattr(optim, name)([w, b], **kw)
    for _ in range(100):
        opt.zero_grad()
        A = (X @ w + b).sigmoid()                       # y_hat = sigmoid(w^T x + b)
        J = -(Y * A.log() + (1 - Y) * (1 - A).log()).mean()
        J.backward()
        opt.step()
    accuracy = ((A.data > 0.5) == (Y.data > 0.5)).mean()
    assert J.item() < 0.1 and accuracy > 0.97


def test_example_trains_all_four_and_plots(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    import pathlib
    import sys
    monkeypatch.syspath_prepend(str(pathlib.Path(__file__).parents[1] / "examples"))
    sys.modules.pop("optimizers", None)
    import optimizers
    final = optimizers.main(["--epochs", "3", "--out", str(tmp_path / "curves.svg")])
    assert set(final) == {"SGD", "Momentum", "RMSprop", "Adam"}
    assert all(0 < cost < 0.7 for cost in final.values())
    assert (tmp_path / "curves.svg").read_text().lstrip().startswith("<?xml")
