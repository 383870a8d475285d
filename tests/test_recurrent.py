"""RNN, GRU, LSTM and their cells: PyTorch parity with fixed weights, gradient checks,
the fused recurrences against the composed oracle, shapes, states, errors, long sequences."""
import importlib
import importlib.util
import os

import numpy as np
import pytest

import autograd as ag
import nn
from autograd import Tensor
from nn import rnn_cells as R
from nn import rnn_ops

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "make_rnn_reference", os.path.join(HERE, "data", "make_rnn_reference.py"))
ref_script = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ref_script)
CASES = ref_script.CASES
I, H = ref_script.I, ref_script.H


@pytest.fixture(scope="module")
def reference():
    with np.load(os.path.join(HERE, "data", "rnn_reference.npz")) as f:
        return dict(f)


def rand(rng, *shape, scale=0.5):
    return Tensor(rng.standard_normal(shape) * scale, requires_grad=True)


# -- PyTorch parity -------------------------------------------------------------
def run_case(case, ref, fused=True):
    """Our module on the reference's weights and inputs: (outputs, grads) by name."""
    cls, kw = CASES[case]
    module = getattr(nn, cls)(I, H, dtype=np.float64, **kw)
    module.fused = fused
    module.load_state_dict({name: ref[f"{case}.{name}"] for name, _ in
                            module.named_parameters()})
    inputs = {k: Tensor(ref[f"{case}.{k}"], requires_grad=True)
              for k in ("x", "h0", "c0") if f"{case}.{k}" in ref}
    state = inputs["h0"] if "c0" not in inputs else (inputs["h0"], inputs["c0"])
    res = module(inputs["x"], state)
    if cls.endswith("Cell"):
        outputs = dict(zip(("h", "c"), res if isinstance(res, tuple) else (res,)))
    elif cls == "LSTM":
        outputs = {"output": res[0], "h_n": res[1][0], "c_n": res[1][1]}
    else:
        outputs = {"output": res[0], "h_n": res[1]}
    loss = sum((t * ref[f"{case}.r_{name}"]).sum() for name, t in outputs.items())
    loss.backward()
    grads = {name: p.grad.data for name, p in module.named_parameters()}
    grads.update({k: t.grad.data for k, t in inputs.items()})
    return {k: t.data for k, t in outputs.items()}, grads


def assert_matches(case, ref, outputs, grads, tol=1e-10):
    for name, value in outputs.items():
        np.testing.assert_allclose(value, ref[f"{case}.{name}"], atol=tol, err_msg=name)
    assert set(grads) == {k[len(case) + 6:] for k in ref if k.startswith(case + ".grad.")}
    for name, value in grads.items():
        np.testing.assert_allclose(value, ref[f"{case}.grad.{name}"], atol=tol,
                                   err_msg=f"grad of {name}")


@pytest.mark.parametrize("fused", [True, False], ids=["fused", "composed"])
@pytest.mark.parametrize("case", list(CASES))
def test_matches_pytorch_reference_file(reference, case, fused):
    outputs, grads = run_case(case, reference, fused)
    assert_matches(case, reference, outputs, grads)


@pytest.mark.parametrize("case", list(CASES))
def test_matches_live_pytorch(case):
    torch = pytest.importorskip("torch")
    ref = ref_script.build(torch, seed=7)
    outputs, grads = run_case(case, ref)
    assert_matches(case, ref, outputs, grads)


def test_state_dict_names_shapes_and_init_match_pytorch_layout():
    lstm = nn.LSTM(3, 5, num_layers=2, bidirectional=True, rng=0)
    sd = lstm.state_dict()
    assert list(sd)[:5] == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                            "weight_ih_l0_reverse"]
    assert len(sd) == 16
    assert sd["weight_ih_l1_reverse"].shape == (20, 10)
    assert sd["weight_hh_l1"].shape == (20, 5)
    bound = 1 / np.sqrt(5)
    values = np.concatenate([v.ravel() for v in sd.values()])
    assert values.dtype == np.float32
    assert np.abs(values).max() <= bound and np.abs(values).max() > 0.9 * bound
    assert not np.allclose(sd["weight_ih_l0"][:3, :3], sd["weight_ih_l0_reverse"][:3, :3])
    gru = nn.GRU(3, 5, bias=False)
    assert [n for n, _ in gru.named_parameters()] == ["weight_ih_l0", "weight_hh_l0"]
    assert nn.GRUCell(3, 5).weight_hh.shape == (15, 5)


def test_init_is_seedable():
    a = nn.LSTM(3, 4, rng=1).state_dict()
    b = nn.LSTM(3, 4, rng=1).state_dict()
    ag.manual_seed(3)
    c = nn.LSTM(3, 4).state_dict()
    ag.manual_seed(3)
    d = nn.LSTM(3, 4).state_dict()
    for k in a:
        assert np.array_equal(a[k], b[k]) and np.array_equal(c[k], d[k])


# -- gradient checks in float64 ---------------------------------------------------
CELLS = [("RNNCell", dict(nonlinearity="tanh")), ("RNNCell", dict(nonlinearity="relu")),
         ("GRUCell", {}), ("LSTMCell", {})]


def _scalar(out):
    """A loss with distinct weights per element of every output."""
    outs = out if isinstance(out, tuple) else (out,)
    total = 0
    for o in outs:
        if isinstance(o, tuple):
            o = o[0] * 1.3 + o[1] * 0.7
        w = np.linspace(-1, 1, o.size).reshape(o.shape)
        total = total + (o * w).sum()
    return total


@pytest.mark.parametrize("fused", [True, False], ids=["fused", "composed"])
@pytest.mark.parametrize("cls,kw", CELLS, ids=["rnn_tanh", "rnn_relu", "gru", "lstm"])
def test_cell_gradcheck(cls, kw, fused):
    rng = np.random.default_rng(0)
    cell = getattr(nn, cls)(3, 4, dtype=np.float64, rng=1, **kw)
    cell.fused = fused
    x, h = rand(rng, 2, 3), rand(rng, 2, 4)
    state = (h, rand(rng, 2, 4)) if cls == "LSTMCell" else h
    leaves = [x, *(state if isinstance(state, tuple) else (state,)), *cell.parameters()]
    assert ag.gradcheck(lambda *_: _scalar(cell(x, state)), leaves)


@pytest.mark.parametrize("cls,kw", [("RNN", dict(nonlinearity="tanh")),
                                    ("RNN", dict(nonlinearity="relu")), ("GRU", {}),
                                    ("LSTM", {})], ids=["rnn_tanh", "rnn_relu", "gru", "lstm"])
def test_two_layer_bidirectional_gradcheck(cls, kw):
    rng = np.random.default_rng(1)
    layer = getattr(nn, cls)(3, 3, num_layers=2, bidirectional=True, dtype=np.float64,
                             rng=2, **kw)
    x = rand(rng, 4, 2, 3)
    h0 = rand(rng, 4, 2, 3)
    state = (h0, rand(rng, 4, 2, 3)) if cls == "LSTM" else h0
    leaves = [x, *(state if isinstance(state, tuple) else (state,)), *layer.parameters()]
    assert ag.gradcheck(lambda *_: _scalar(layer(x, state)), leaves)


# -- the fused recurrences against the composed oracle -----------------------------
LAYER_FNS = {
    "lstm": (rnn_ops.lstm_layer, R.lstm_layer_composed, 4),
    "gru": (rnn_ops.gru_layer, R.gru_layer_composed, 3),
    "rnn_tanh": (rnn_ops.rnn_layer, R.rnn_layer_composed, 1),
    "rnn_relu": (rnn_ops.rnn_layer, R.rnn_layer_composed, 1),
}


def _layer_loss(kind, fn, x, states, params, reverse, bias):
    w_ih, w_hh, b_ih, b_hh = params if bias else (*params[:2], None, None)
    kw = {"nonlinearity": kind[4:]} if kind.startswith("rnn") else {}
    if kind == "lstm":
        out, (h, c) = fn(x, *states, w_ih, w_hh, b_ih, b_hh, reverse=reverse)
        return _scalar(out) + 2 * _scalar(h) + 3 * _scalar(c)
    out, h = fn(x, *states, w_ih, w_hh, b_ih, b_hh, reverse=reverse, **kw)
    return _scalar(out) + 2 * _scalar(h)


@pytest.mark.parametrize("sizes", [(6, 3, 4, 5), (3, 1, 1, 1)], ids=["T6B3I4H5", "T3B1I1H1"])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("kind", list(LAYER_FNS))
def test_fused_layer_matches_composed_in_float64(kind, reverse, bias, sizes):
    fused, composed, gates = LAYER_FNS[kind]
    rng = np.random.default_rng(3)
    T, B, In, Hd = sizes
    x = rand(rng, T, B, In)
    states = [rand(rng, B, Hd) for _ in range(2 if kind == "lstm" else 1)]
    params = [rand(rng, gates * Hd, In), rand(rng, gates * Hd, Hd), rand(rng, gates * Hd),
              rand(rng, gates * Hd)]
    leaves = [x, *states, *(params if bias else params[:2])]
    results = []
    for fn in (fused, composed):
        loss = _layer_loss(kind, fn, x, states, params, reverse, bias)
        results.append((loss.item(), ag.grad(loss, leaves)))
    assert results[0][0] == pytest.approx(results[1][0], rel=1e-12)
    for g_fused, g_composed in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(g_fused.data, g_composed.data, rtol=1e-10, atol=1e-12)
    assert ag.gradcheck(
        lambda *_: _layer_loss(kind, fused, x, states, params, reverse, bias), leaves)


def test_fused_op_is_one_graph_node_per_direction():
    lstm = nn.LSTM(3, 4, bidirectional=True, rng=0)
    out, _ = lstm(np.ones((50, 2, 3), dtype=np.float32))
    seen, stack = set(), [out.grad_fn]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        stack.extend(x.grad_fn for x in node.inputs
                     if isinstance(x, Tensor) and x.grad_fn is not None)
    names = [n.name for n in seen]
    assert names.count("lstm_sequence") == 2
    assert len(seen) < 30  # no per-step nodes


def test_fused_backward_refuses_create_graph_and_composed_gives_second_order():
    rng = np.random.default_rng(4)
    cell = nn.GRUCell(2, 3, dtype=np.float64, rng=0)
    x = rand(rng, 2, 2)
    with pytest.raises(RuntimeError, match="fused=False"):
        ag.grad((cell(x) ** 2).sum(), x, create_graph=True)
    cell.fused = False
    assert ag.gradgradcheck(lambda x: (cell(x) ** 2).sum(), [x])


# -- shapes, batch_first, unbatched input, initial states --------------------------
@pytest.mark.parametrize("cls", ["RNN", "GRU", "LSTM"])
def test_batch_first_both_ways(cls):
    rng = np.random.default_rng(5)
    a = getattr(nn, cls)(3, 4, num_layers=2, bidirectional=True, rng=0)
    b = getattr(nn, cls)(3, 4, num_layers=2, bidirectional=True, batch_first=True, rng=0)
    x = rng.standard_normal((6, 2, 3)).astype(np.float32)
    out_a, state_a = a(x)
    out_b, state_b = b(np.ascontiguousarray(x.swapaxes(0, 1)))
    assert out_a.shape == (6, 2, 8) and out_b.shape == (2, 6, 8)
    np.testing.assert_allclose(out_b.data, out_a.data.swapaxes(0, 1), rtol=1e-6)
    h_a = state_a[0] if cls == "LSTM" else state_a
    h_b = state_b[0] if cls == "LSTM" else state_b
    assert h_a.shape == h_b.shape == (4, 2, 4)  # h_n is never batch-first (PyTorch)
    np.testing.assert_allclose(h_a.data, h_b.data, rtol=1e-6)


@pytest.mark.parametrize("cls", ["RNN", "GRU", "LSTM"])
def test_output_and_h_n_agree_and_dtype_is_float32(cls):
    layer = getattr(nn, cls)(3, 4, num_layers=2, bidirectional=True, rng=0)
    out, state = layer(np.ones((5, 2, 3), dtype=np.float32))
    h_n = state[0] if cls == "LSTM" else state
    assert out.dtype == h_n.dtype == np.float32
    np.testing.assert_array_equal(h_n.data[2], out.data[-1, :, :4])  # last layer, forward
    np.testing.assert_array_equal(h_n.data[3], out.data[0, :, 4:])   # last layer, reverse


@pytest.mark.parametrize("cls", ["RNN", "GRU", "LSTM"])
def test_float64_input_promotes_a_float32_layer(cls):
    layer = getattr(nn, cls)(3, 4, rng=0)
    x = Tensor(np.ones((5, 2, 3)), requires_grad=True)
    out, _ = layer(x)
    assert out.dtype == np.float64
    out.sum().backward()
    assert x.grad.dtype == np.float64 and layer.weight_hh_l0.grad.dtype == np.float32


@pytest.mark.parametrize("cls", ["RNN", "GRU", "LSTM"])
def test_unbatched_input_equals_batch_of_one(cls):
    rng = np.random.default_rng(6)
    layer = getattr(nn, cls)(3, 4, num_layers=2, rng=0)
    x = rng.standard_normal((5, 3)).astype(np.float32)
    h0 = rng.standard_normal((2, 4)).astype(np.float32)
    state = (h0, h0 * 0.5) if cls == "LSTM" else h0
    batched_state = tuple(s[:, None] for s in state) if cls == "LSTM" else h0[:, None]
    out, s1 = layer(x, state)
    out_b, s2 = layer(x[:, None], batched_state)
    assert out.shape == (5, 4)
    np.testing.assert_allclose(out.data, out_b.data[:, 0], rtol=1e-6)
    h1, h2 = (s1[1], s2[1]) if cls == "LSTM" else (s1, s2)
    assert h1.shape == (2, 4)
    np.testing.assert_allclose(h1.data, h2.data[:, 0], rtol=1e-6)


def test_cells_unbatched_and_default_state():
    rng = np.random.default_rng(7)
    x = rng.standard_normal(3)
    for cell in (nn.RNNCell(3, 4, rng=0), nn.GRUCell(3, 4, rng=0), nn.LSTMCell(3, 4, rng=0)):
        res = cell(x)
        h = res[0] if isinstance(res, tuple) else res
        assert h.shape == (4,)
        zero = np.zeros(4)
        res0 = cell(x, (zero, zero) if isinstance(res, tuple) else zero)
        np.testing.assert_array_equal(h.data, (res0[0] if isinstance(res0, tuple) else res0).data)


def test_initial_state_is_used_and_gets_gradients():
    rng = np.random.default_rng(8)
    lstm = nn.LSTM(3, 4, rng=0)
    x = rng.standard_normal((4, 2, 3)).astype(np.float32)
    h0 = Tensor(rng.standard_normal((1, 2, 4)).astype(np.float32), requires_grad=True)
    c0 = Tensor(rng.standard_normal((1, 2, 4)).astype(np.float32), requires_grad=True)
    out_zero, _ = lstm(x)
    out, (h_n, c_n) = lstm(x, (h0, c0))
    assert not np.allclose(out.data[0], out_zero.data[0])
    (out.sum() + c_n.sum()).backward()
    assert h0.grad.shape == (1, 2, 4) and np.abs(c0.grad.data).sum() > 0
    # carrying the state across two halves equals one pass over the whole sequence
    first, state = lstm(x[:2])
    second, _ = lstm(x[2:], state)
    whole, _ = lstm(x)
    np.testing.assert_allclose(np.concatenate([first.data, second.data]), whole.data,
                               rtol=1e-5, atol=1e-6)


# -- dropout between layers -------------------------------------------------------
def test_dropout_between_layers_only_in_training():
    x = np.random.default_rng(9).standard_normal((5, 3, 4)).astype(np.float32)
    layer = nn.GRU(4, 6, num_layers=3, dropout=0.5, rng=0)
    plain = nn.GRU(4, 6, num_layers=3, rng=0)
    ag.manual_seed(0)
    train_a, _ = layer(x)
    train_b, _ = layer(x)
    assert not np.allclose(train_a.data, train_b.data)
    layer.eval()
    eval_a, _ = layer(x)
    eval_b, _ = layer(x)
    np.testing.assert_array_equal(eval_a.data, eval_b.data)
    np.testing.assert_array_equal(eval_a.data, plain(x)[0].data)
    # one layer: nothing sits between layers, so dropout changes nothing
    single = nn.LSTM(4, 6, dropout=0.5, rng=0)
    np.testing.assert_array_equal(single(x)[0].data, single.eval()(x)[0].data)


# -- long sequences -------------------------------------------------------------
@pytest.mark.parametrize("fused", [True, False], ids=["fused", "composed"])
def test_long_sequence_forward_and_backward(fused):
    T = 2000
    lstm = nn.LSTM(2, 3, rng=0)
    lstm.fused = fused
    x = Tensor(np.random.default_rng(10).standard_normal((T, 1, 2)).astype(np.float32),
               requires_grad=True)
    out, (h_n, _) = lstm(x)
    (out.sum() + h_n.sum()).backward()
    assert x.grad.shape == (T, 1, 2) and np.isfinite(x.grad.data).all()
    assert np.abs(x.grad.data[0]).sum() > 0  # gradient reached the first step
    assert np.isfinite(lstm.weight_hh_l0.grad.data).all()


def test_fused_memory_is_linear_in_length():
    lstm = nn.LSTM(2, 3, rng=0)
    sizes = []
    for T in (100, 400):
        out, _ = lstm(np.zeros((T, 2, 2), dtype=np.float32))
        node = out.grad_fn
        assert node.name == "lstm_sequence"
        sizes.append(sum(a.nbytes for a in node.saved if isinstance(a, np.ndarray)))
    assert 3.9 < sizes[1] / sizes[0] < 4.1


# -- bad input ------------------------------------------------------------------
@pytest.mark.parametrize("call,match", [
    (lambda m: m(np.zeros((5, 2, 4), np.float32)), r"LSTM\(3, 4.*input_size 3.*\(5, 2, 4\)"),
    (lambda m: m(np.zeros((2, 5, 2, 3), np.float32)), r"LSTM.*3-D.*\(2, 5, 2, 3\)"),
    (lambda m: m(np.zeros(3, np.float32)), r"LSTM.*2-D.*\(3,\)"),
    (lambda m: m(np.zeros((5, 2, 3), np.float32), (np.zeros((2, 2, 4)), np.zeros((2, 2, 4)))),
     r"LSTM.*h_0 of shape \(1, 2, 4\).*\(2, 2, 4\)"),
    (lambda m: m(np.zeros((5, 2, 3), np.float32), (np.zeros((1, 2, 4)), np.zeros((1, 3, 4)))),
     r"c_0 of shape \(1, 2, 4\).*\(1, 3, 4\)"),
    (lambda m: m(np.zeros((5, 3), np.float32), (np.zeros((1, 2, 4)), np.zeros((1, 2, 4)))),
     r"h_0 of shape \(1, 4\) for an unbatched input"),
    (lambda m: m(np.zeros((5, 2, 3), np.float32), np.zeros((1, 2, 4))), r"tuple \(h_0, c_0\)"),
    (lambda m: m(np.zeros((0, 2, 3), np.float32)), r"empty"),
])
def test_bad_input_raises_value_error_naming_layer_and_shapes(call, match):
    lstm = nn.LSTM(3, 4, rng=0)
    before = {k: v.copy() for k, v in lstm.state_dict().items()}
    with pytest.raises(ValueError, match=match):
        call(lstm)
    assert all(np.array_equal(before[k], v) for k, v in lstm.state_dict().items())


def test_bad_cell_input_and_arguments():
    with pytest.raises(ValueError, match=r"GRUCell\(3, 4\).*\(2, 5\)"):
        nn.GRUCell(3, 4)(np.zeros((2, 5)))
    with pytest.raises(ValueError, match=r"RNNCell.*hx of shape \(2, 4\).*\(4,\)"):
        nn.RNNCell(3, 4)(np.zeros((2, 3)), np.zeros(4))
    with pytest.raises(ValueError, match=r"GRU.*hx of shape \(2, 2, 4\)"):
        nn.GRU(3, 4, num_layers=2)(np.zeros((5, 2, 3)), np.zeros((1, 2, 4)))
    with pytest.raises(ValueError, match=r"GRU\(3, 4, batch_first=True\).*empty.*\(2, 0, 3\)"):
        nn.GRU(3, 4, batch_first=True)(np.zeros((2, 0, 3)))
    with pytest.raises(ValueError, match="nonlinearity"):
        nn.RNN(3, 4, nonlinearity="sigmoid")
    with pytest.raises(ValueError, match="dropout"):
        nn.LSTM(3, 4, dropout=1.0)
    with pytest.raises(ValueError, match="positive"):
        nn.GRU(0, 4)


def test_repr():
    assert repr(nn.LSTM(8, 16, num_layers=2, batch_first=True)) == \
        "LSTM(8, 16, num_layers=2, batch_first=True)"
    assert repr(nn.RNN(3, 4, nonlinearity="relu")) == "RNN(3, 4, nonlinearity='relu')"
    assert repr(nn.LSTMCell(3, 4, bias=False)) == "LSTMCell(3, 4, bias=False)"


# -- the examples, shortened -------------------------------------------------------
def _example(name, monkeypatch):
    import sys
    monkeypatch.syspath_prepend(os.path.join(os.path.dirname(HERE), "examples"))
    sys.modules.pop(name, None)
    return importlib.import_module(name)


def test_lstm_digits_example_learns(tmp_path, monkeypatch):
    example = _example("lstm_digits", monkeypatch)
    summary = example.main(["--epochs", "2", "--out", str(tmp_path)])
    assert summary["history"][-1]["loss"] < summary["history"][0]["loss"]
    assert summary["test_accuracy"] > 0.5  # ten classes: chance is 0.1
    assert (tmp_path / "lstm_digits.json").exists()


def test_char_rnn_example_learns_and_samples(tmp_path, monkeypatch):
    example = _example("char_rnn", monkeypatch)
    summary = example.main(["--epochs", "3", "--hidden", "32", "--cell", "lstm",
                            "--out", str(tmp_path)])
    losses = [h["loss"] for h in summary["history"]]
    assert losses[-1] < losses[0] < np.log(40)  # below a uniform guess over the characters
    assert all(s.startswith("The ") and len(s) == 164 for s in summary["samples"].values())
