"""The hooks examples in their fast modes, and their claims."""
import re

from example_runner import ROOT, run  # noqa: F401



def test_gradient_flow_relu_he_keeps_early_gradients_sigmoid_loses_them(tmp_path):
    stdout = run("gradient_flow.py", "--fast", out=tmp_path)
    ratios = [float(r) for r in re.findall(r"first layer / last layer = (\S+)", stdout)]
    sigmoid, relu = ratios
    assert sigmoid < 1e-2 and 0.1 <= relu <= 10
    assert "checked:" in stdout
    png = tmp_path / "gradient_flow.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
