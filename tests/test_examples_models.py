"""The classic-architecture examples run in their fast modes and their claims hold."""
import json
from pathlib import Path

import numpy as np

from example_runner import ROOT, run  # noqa: F401



def is_png(path: Path) -> bool:
    return path.read_bytes().startswith(b"\x89PNG")


def test_resnet_vs_plain_gradients_vanish_without_skips_only(tmp_path):
    stdout = run("resnet_vs_plain.py", "--epochs", "1", out=tmp_path)
    summary = json.loads((tmp_path / "resnet_vs_plain.json").read_text())
    ratio = summary["first_over_last"]
    assert ratio["plain"] < 0.1 and ratio["resnet"] > 0.5   # the example asserts these too
    assert f"plain-32:  {ratio['plain']:.2e}  (vanishing" in stdout
    assert f"ResNet-32: {ratio['resnet']:.2e}  (not vanishing" in stdout
    plain, res = summary["gradients"]["plain"], summary["gradients"]["resnet"]
    assert len(plain["dA_rms"]) == len(res["dA_rms"]) == 1 + 15        # stem and 15 blocks
    assert len(plain["dW_norm"]) == len(res["dW_norm"]) == 31          # every conv layer
    assert plain["layers"] == res["layers"]
    # The same starting weights: the skips are the only difference, so every plain
    # layer's weight gradient is orders of magnitude below the ResNet's.
    assert max(p / r for p, r in zip(plain["dW_norm"], res["dW_norm"])) < 1e-2
    # dA shrinks along the plain net, block after block, from the output side.
    assert plain["dA_rms"][-1] > 10 * plain["dA_rms"][len(plain["dA_rms"]) // 2]
    # Batch norm changes the picture: the plain net's first layers get more, not less.
    assert summary["first_over_last_batch_norm"]["plain"] > 1
    runs = summary["runs"]
    assert np.mean(runs["resnet"]["losses"][-10:]) < np.mean(runs["plain"]["losses"][-10:])
    assert is_png(tmp_path / "resnet_vs_plain.png")


def test_inception_1x1_counts_the_notes_costs(tmp_path):
    stdout = run("inception_1x1.py", "--epochs", "1", out=tmp_path)
    summary = json.loads((tmp_path / "inception_1x1.json").read_text())
    direct = summary["bottleneck"]["5x5 directly"]
    reduced = summary["bottleneck"]["1x1 bottleneck, then 5x5"]
    assert direct["multiplications"] == 28 * 28 * 32 * 5 * 5 * 192 == 120_422_400
    assert reduced["multiplications"] == 28 * 28 * 16 * 192 + 28 * 28 * 32 * 5 * 5 * 16
    assert reduced["multiplications"] == 12_443_648
    assert direct["output"] == reduced["output"] == [32, 28, 28]
    assert "(120.4M)" in stdout and "(12.4M)" in stdout
    assert "28*28*32 * (5*5*192) = 120,422,400" in stdout
    assert summary["test_accuracy"] > 0.6   # one epoch; chance is 0.1
    assert is_png(tmp_path / "inception_1x1.png")


def test_lenet5_digits_shapes_and_per_class_scores(tmp_path):
    stdout = run("lenet5_digits.py", "--epochs", "1", out=tmp_path)
    summary = json.loads((tmp_path / "lenet5_digits.json").read_text())
    assert [tuple(row) for row in summary["shapes"]] == [
        ("input", "32x32x1"), ("features.0", "28x28x6"), ("features.2", "14x14x6"),
        ("features.3", "10x10x16"), ("features.5", "5x5x16"), ("flatten", "400"),
        ("classifier.0", "120"), ("classifier.2", "84"), ("classifier.4", "10")]
    assert "floor((32 + 2*0 - 5) / 1) + 1 = 28" in stdout
    assert "floor((28 + 2*0 - 2) / 2) + 1 = 14" in stdout
    assert summary["parameters"] == 61_706
    cm = np.array(summary["confusion_matrix"])
    assert cm.shape == (10, 10) and cm.sum() == 359          # the test split
    assert cm.sum(axis=1).tolist() == summary["support"]      # rows are the true digits
    assert summary["test_accuracy"] == np.trace(cm) / cm.sum()
    assert summary["test_accuracy"] > 0.5                     # one epoch; chance is 0.1
    diag = np.diag(cm).astype(float)
    predicted = cm.sum(axis=0)
    precision = np.divide(diag, predicted, out=np.zeros(10), where=predicted > 0)
    recall = diag / cm.sum(axis=1)
    f1 = np.divide(2 * precision * recall, precision + recall, out=np.zeros(10),
                   where=precision + recall > 0)
    np.testing.assert_allclose(summary["precision"], precision)
    np.testing.assert_allclose(summary["recall"], recall)
    np.testing.assert_allclose(summary["f1"], f1)
    np.testing.assert_allclose(summary["macro_f1"], f1.mean())
    assert "precision    recall  f1-score   support" in stdout
    assert is_png(tmp_path / "lenet5_confusion.png")
