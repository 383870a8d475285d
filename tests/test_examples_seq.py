"""The sequence-model examples of issue 13 (attention, transformer) run in their fast
modes and their claims hold."""
import json

from example_runner import ROOT, run  # noqa: F401



def test_date_translation_learns_and_draws_its_attention(tmp_path):
    stdout = run("date_translation.py", "--fast", out=tmp_path)
    summary = json.loads((tmp_path / "date_translation.json").read_text())
    assert "held-out exact-match accuracy" in stdout
    # 3 short epochs: far above chance per character (1 in 11; the two '-' alone give 20%),
    # and the loss falls every epoch; the full run's >= 95% exact match is in the README.
    assert summary["char_accuracy"] > 0.6, summary["history"]
    losses = [h["loss"] for h in summary["history"]]
    assert all(b < a for a, b in zip(losses, losses[1:])), losses
    assert summary["attention_rows_sum_to_one"]
    assert (tmp_path / "date_translation_attention.png").read_bytes().startswith(b"\x89PNG")


def test_char_transformer_and_gru_both_learn(tmp_path):
    stdout = run("char_transformer.py", "--fast", out=tmp_path)
    summary = json.loads((tmp_path / "char_transformer.json").read_text())
    assert set(summary["losses"]) == {"transformer", "GRU (char_rnn.py)"}
    for name, first in summary["first_loss"].items():
        # uniform guessing over the text's ~60 characters costs ln(60) = 4.1 nats
        assert summary["last_loss"][name] < first - 0.5, (name, summary["last_loss"])
    assert summary["sample"].startswith("The ") and len(summary["sample"]) == 124
    assert "transformer sample" in stdout
    assert (tmp_path / "char_transformer_loss.png").read_bytes().startswith(b"\x89PNG")
