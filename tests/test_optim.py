"""optim: each optimizer against its update rule in NumPy (and torch.optim when present),
checkpoints, validation, and the notes' logistic regression trained with each."""
import numpy as np
import pytest

import autograd as ag
import optim
from autograd import Tensor

STEPS = 20


# -- reference update rules, written out in NumPy ---------------------------------
def sgd_rule(lr, momentum=0, dampening=0, nesterov=False, weight_decay=0, maximize=False):
    buf = None

    def step(w, g):
        nonlocal buf
        g = (-g if maximize else g) + weight_decay * w
        if momentum:
            buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        return w - lr * g
    return step


def momentum_rule(lr=0.01, beta=0.9, bias_correction=False, weight_decay=0):
    v, t = 0.0, 0

    def step(w, g):
        nonlocal v, t
        t += 1
        v = beta * v + (1 - beta) * (g + weight_decay * w)
        return w - lr * (v / (1 - beta ** t) if bias_correction else v)
    return step


def rmsprop_rule(lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                 maximize=False):
    s = v = buf = 0.0

    def step(w, g):
        nonlocal s, v, buf
        g = (-g if maximize else g) + weight_decay * w
        s = alpha * s + (1 - alpha) * g ** 2
        v = alpha * v + (1 - alpha) * g
        denom = np.sqrt(s - v ** 2 if centered else s) + eps
        if momentum:
            buf = momentum * buf + g / denom
            return w - lr * buf
        return w - lr * g / denom
    return step


def adam_rule(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False,
              maximize=False, decoupled=False):
    (b1, b2), state = betas, dict(v=0.0, s=0.0, s_max=0.0, t=0)

    def step(w, g):
        g = -g if maximize else g
        if decoupled:
            w = w * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * w
        state["t"] += 1
        t = state["t"]
        state["v"] = v = b1 * state["v"] + (1 - b1) * g
        state["s"] = s = b2 * state["s"] + (1 - b2) * g ** 2
        state["s_max"] = s_max = np.maximum(state["s_max"], s)
        v_hat = v / (1 - b1 ** t)
        s_hat = (s_max if amsgrad else s) / (1 - b2 ** t)
        return w - lr * v_hat / (np.sqrt(s_hat) + eps)
    return step


def adamw_rule(weight_decay=0.01, **kw):
    return adam_rule(weight_decay=weight_decay, decoupled=True, **kw)


# (optimizer name, keyword arguments, reference rule); torch has the same names but Momentum
CASES = [
    ("SGD", dict(lr=0.1), sgd_rule),
    ("SGD", dict(lr=0.1, weight_decay=0.1), sgd_rule),
    ("SGD", dict(lr=0.05, momentum=0.9), sgd_rule),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.01), sgd_rule),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True), sgd_rule),
    ("SGD", dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.1, maximize=True),
     sgd_rule),
    ("Momentum", dict(lr=0.1, beta=0.9), momentum_rule),
    ("Momentum", dict(lr=0.1, beta=0.8, bias_correction=True, weight_decay=0.05),
     momentum_rule),
    ("RMSprop", dict(lr=0.01), rmsprop_rule),
    ("RMSprop", dict(lr=0.01, alpha=0.9, weight_decay=0.1), rmsprop_rule),
    ("RMSprop", dict(lr=0.01, momentum=0.9, centered=True), rmsprop_rule),
    ("RMSprop", dict(lr=0.01, momentum=0.5, eps=1e-3, maximize=True), rmsprop_rule),
    ("Adam", dict(lr=0.01), adam_rule),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.1), adam_rule),
    ("Adam", dict(lr=0.01, amsgrad=True, eps=1e-4), adam_rule),
    ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.05, maximize=True), adam_rule),
    ("AdamW", dict(lr=0.01), adamw_rule),
    ("AdamW", dict(lr=0.01, weight_decay=0.3, amsgrad=True), adamw_rule),
]
IDS = [f"{name}-{'-'.join(f'{k}={v}' for k, v in kw.items())}" for name, kw, _ in CASES]


def grad_at(w):
    """A gradient that depends on w nonlinearly, so trajectories diverge if a rule is off."""
    return np.sin(3 * w) + 0.5 * w - 0.2


def start_values(shape=(3, 2), seed=0):
    return np.random.default_rng(seed).normal(size=shape)


def run(opt, p, steps):
    trace = []
    for _ in range(steps):
        p.grad = Tensor(grad_at(p.data))
        opt.step()
        trace.append(p.data.copy())
    return trace


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
    import copy
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
