"""The CNN chapter's augmentation and transfer-learning examples run in their fast modes,
write what they promise, and their claims hold: augmentation helps, transfer beats scratch."""
import json

from example_runner import ROOT, run  # noqa: F401



def test_augmentation_helps(tmp_path):
    stdout = run("augmentation.py", "--fast", out=tmp_path)
    summary = json.loads((tmp_path / "augmentation.json").read_text())
    assert summary["runs"] == 1 and summary["training_images"] < 0.12 * 1438
    acc, gain = summary["accuracy"], summary["gain"]
    # Measured with these seeds: 85% -> 91-93% on the test digits, 66% -> 85% on the moved
    # ones; the margins leave room for other BLAS builds' rounding.
    assert acc["without augmentation"]["test"] > 0.75      # both learned something
    assert gain["test"] > 0.02, acc
    assert gain["moved test"] > 0.08, acc
    assert "augmentation adds" in stdout
    for name in ("augmentation_samples.png", "augmentation.png"):
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")


def test_transfer_beats_scratch(tmp_path):
    stdout = run("transfer_learning.py", "--fast", out=tmp_path)
    summary = json.loads((tmp_path / "transfer_learning.json").read_text())
    assert summary["draws"] == 3 and summary["task_a_accuracy"] > 0.9
    mean = summary["mean_accuracy"]
    # Measured with these seeds: transfer 82.7%, scratch 76.4% (each draw: transfer ahead).
    assert mean["transfer"] > mean["scratch"] + 0.02, mean
    wins = sum(t > s for t, s in zip(summary["accuracy"]["transfer"],
                                     summary["accuracy"]["scratch"]))
    assert wins >= 2, summary["accuracy"]
    # the frozen convolutions (2,572 weights) were not trained
    params = summary["trained_parameters"]
    assert params["scratch"] - params["transfer"] == 6 * 25 + 6 + 16 * 6 * 25 + 16
    assert "transfer" in stdout and "scratch" in stdout
    assert (tmp_path / "transfer_learning.png").read_bytes().startswith(b"\x89PNG")
