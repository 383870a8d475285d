"""The demo and the examples run end to end (tiny settings) and write what they promise."""
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import nn

from example_runner import ROOT, run  # noqa: F401



def svg(path: Path) -> ET.Element:
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg"), f"{path} is not an SVG document"
    return root


@pytest.mark.parametrize("model", ["cnn", "mlp", "rnn"])
def test_demo_writes_its_four_files(model, tmp_path):
    stdout = run("demo.py", "--model", model, "--epochs", "1", out=tmp_path)
    assert "Gradient check" in stdout and "Test accuracy" in stdout
    summary = json.loads((tmp_path / "summary.json").read_text())
    for key in ("test_accuracy", "gradcheck_max_rel_diff", "epochs", "seconds", "model",
                "parameters"):
        assert key in summary
    assert summary["model"] == model and summary["epochs"] == 1
    assert summary["graph"] == "graph.svg"
    assert 0.3 < summary["test_accuracy"] <= 1.0   # one epoch is far above chance (0.1)
    assert summary["gradcheck_max_rel_diff"] < 1e-5 and summary["gradcheck_passed"]
    text = (tmp_path / "graph.svg").read_text()
    svg(tmp_path / "graph.svg")
    assert "weight" in text and "cross_entropy" in text   # parameter names, the loss node
    svg(tmp_path / "training.svg")
    weights = nn.load(tmp_path / "model.npz")
    assert sum(w.size for w in weights.values()) == summary["parameters"]


def test_demo_without_tqdm_prints_one_line_per_epoch(tmp_path, monkeypatch, capsys):
    monkeypatch.syspath_prepend(str(ROOT / "examples"))
    import demo
    monkeypatch.setattr(demo, "tqdm", None)
    summary = demo.main(["--model", "mlp", "--epochs", "2", "--out", str(tmp_path)])
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("epoch")]
    assert [ln[:12] for ln in lines] == ["epoch  1/2: ", "epoch  2/2: "]
    assert "test acc" in lines[-1] and "img/s" in lines[-1]
    assert summary["epochs"] == 2 and (tmp_path / "summary.json").exists()


def test_demo_without_a_graphviz_renderer_writes_dot(tmp_path, monkeypatch):
    monkeypatch.setenv("VIZ_RENDERER", "none")   # as on Python 3.10 without `dot`
    run("demo.py", "--model", "mlp", "--epochs", "1", out=tmp_path)
    assert (tmp_path / "graph.dot").read_text().startswith("digraph")
    assert not (tmp_path / "graph.svg").exists()
    assert json.loads((tmp_path / "summary.json").read_text())["graph"] == "graph.dot"


def test_demo_help_lists_the_choices_and_the_real_defaults():
    proc = subprocess.run([sys.executable, str(ROOT / "examples" / "demo.py"), "--help"],
                          cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="200"))
    assert proc.returncode == 0
    for option in ("--model", "--epochs", "--out", "--seed", "cnn,mlp,rnn"):
        assert option in proc.stdout
    assert "None" not in proc.stdout
    (epochs,) = [ln for ln in proc.stdout.splitlines() if ln.strip().startswith("--epochs")]
    assert epochs.count("default") == 1 and "(default: 20)" in epochs
    assert "learning rate (default: 0.003 for cnn and mlp, 0.01 for rnn)" in proc.stdout


def test_demo_output_to_a_pipe_is_one_tidy_line_per_epoch(tmp_path):
    stdout = run("demo.py", "--model", "mlp", "--epochs", "3", out=tmp_path)
    assert "\r" not in stdout and "\x1b" not in stdout     # no redrawn bar in a log
    lines = [ln for ln in stdout.splitlines() if ln.startswith("epoch")]
    assert [ln[:12] for ln in lines] == ["epoch  1/3: ", "epoch  2/3: ", "epoch  3/3: "]
    assert all("test acc" in ln for ln in lines)


BLAS_THREADS = """
import sys
sys.path.insert(0, {examples!r})
import _util
from threadpoolctl import threadpool_info
print(sorted({{pool["num_threads"] for pool in threadpool_info()
              if pool["user_api"] == "blas"}}))
"""


@pytest.mark.parametrize("env, expected", [({}, "[1]"), ({"OPENBLAS_NUM_THREADS": "2"}, None)])
def test_examples_run_blas_on_one_thread_unless_told_otherwise(env, expected):
    # Two OpenBLAS threads spin against each other on the examples' small matrices:
    # beside another busy process lstm_digits.py took 219 s instead of 13 s.
    pytest.importorskip("threadpoolctl")
    base = {k: v for k, v in os.environ.items() if k not in _util_thread_vars()}
    proc = subprocess.run([sys.executable, "-c", BLAS_THREADS.format(
        examples=str(ROOT / "examples"))], capture_output=True, text=True, cwd=ROOT,
        env=dict(base, PYTHONPATH=str(ROOT), **env), check=True)
    if expected is None:   # the user's setting stands
        assert proc.stdout.strip() == f"[{min(2, os.cpu_count())}]"
    else:
        assert proc.stdout.strip() == expected


def _util_thread_vars():
    return ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def test_logistic_regression(tmp_path):
    run("logistic_regression.py", "--epochs", "5", out=tmp_path)
    summary = json.loads((tmp_path / "logistic_regression.json").read_text())
    assert summary["formula_max_abs_diff"] < 1e-5      # autograd == the notes' dw, db
    assert len(summary["costs"]) == 5 and summary["costs"][-1] < summary["costs"][0]
    assert abs(summary["costs"][0] - np.log(2)) < 1e-6   # zero weights: a = 0.5 everywhere
    text = (tmp_path / "logistic_regression_graph.svg").read_text()
    svg(tmp_path / "logistic_regression_graph.svg")
    assert "sigmoid" in text


def test_gradient_checking_finds_the_wrong_parameter(tmp_path):
    stdout = run("gradient_checking.py", out=tmp_path)
    summary = json.loads((tmp_path / "gradient_checking.json").read_text())
    assert summary["wrong_parameters"] == ["2.weight"]
    assert summary["correct_max_rel_diff"] < 1e-7
    assert "wrong" in stdout and "great" in stdout
    assert "ag.gradcheck raises: gradcheck: the gradient of 2.weight does not match" in stdout


def test_planar_shallow_net(tmp_path):
    run("planar_shallow_net.py", "--epochs", "30", "--hidden", "3", out=tmp_path)
    summary = json.loads((tmp_path / "planar_shallow_net.json").read_text())
    assert set(summary["models"]) == {"logistic regression", "3 hidden tanh units"}
    png = (tmp_path / "planar_shallow_net.png").read_bytes()
    assert png.startswith(b"\x89PNG")


def test_deep_net_init_dropout(tmp_path):
    stdout = run("deep_net_init_dropout.py", "--epochs", "20", out=tmp_path)
    summary = json.loads((tmp_path / "deep_net_init_dropout.json").read_text())
    zeros = summary["initialisation"]["zeros"]
    # Zero weights never break the symmetry: only the output bias learns (the class
    # shares), so the cost stays near ln 2 and the accuracy at the majority's share.
    assert abs(zeros["final_cost"] - np.log(2)) < 1e-3 and zeros["train_accuracy"] < 0.6
    assert summary["initialisation"]["random * 10"]["first_cost"] > 10
    assert len(summary["regularisation"]) == 3
    assert "Initialisation" in stdout and "Regularisation" in stdout


def test_cnn_digits(tmp_path):
    run("cnn_digits.py", "--epochs", "1", out=tmp_path)
    summary = json.loads((tmp_path / "cnn_digits.json").read_text())
    assert summary["edge_detection"] == [[-5, -4, 0, 8], [-10, -2, 2, 3], [0, -2, -4, -7],
                                         [-3, -2, -3, -16]]
    assert (tmp_path / "cnn_digits_filters.png").read_bytes().startswith(b"\x89PNG")


def test_readme_lists_every_example():
    readme = (ROOT / "README.md").read_text()
    scripts = sorted(p.name for p in (ROOT / "examples").glob("*.py")
                     if not p.name.startswith("_"))
    assert scripts, "no examples found"
    missing = [name for name in scripts if f"python examples/{name}" not in readme]
    assert not missing, f"README.md's examples table lacks {missing}"
