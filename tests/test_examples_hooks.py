"""The hooks examples in their fast modes, and their claims."""
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(script: str, *args: str, out: Path) -> str:
    """Run ``examples/<script>`` on this checkout's code; return its standard output."""
    env = dict(os.environ, MPLBACKEND="Agg",
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run([sys.executable, str(ROOT / "examples" / script), *args,
                           "--out", str(out)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, f"{script} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


def test_gradient_flow_relu_he_keeps_early_gradients_sigmoid_loses_them(tmp_path):
    stdout = run("gradient_flow.py", "--fast", out=tmp_path)
    ratios = [float(r) for r in re.findall(r"first layer / last layer = (\S+)", stdout)]
    sigmoid, relu = ratios
    assert sigmoid < 1e-2 and 0.1 <= relu <= 10
    assert "checked:" in stdout
    png = tmp_path / "gradient_flow.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
