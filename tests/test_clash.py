"""The PyPI package `autograd` (HIPS) merged into this project's folder: one clear error."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def import_from(folder: Path) -> subprocess.CompletedProcess:
    code = "import autograd; print(autograd.Tensor(2.0) * 3)"
    return subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True,
                          text=True, env=dict(os.environ, PYTHONPATH=str(folder)))


@pytest.mark.parametrize("foreign", ["tracer.py", "wrap_util.py", "numpy/numpy_vjps.py"])
def test_a_folder_merged_with_hips_autograd_fails_with_what_to_do(tmp_path, foreign):
    pkg = tmp_path / "autograd"
    shutil.copytree(ROOT / "autograd", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    assert "Tensor(6" in import_from(tmp_path).stdout          # the copy works alone
    (pkg / foreign).parent.mkdir(exist_ok=True)
    (pkg / foreign).write_text("# from HIPS autograd\n")
    proc = import_from(tmp_path)
    assert proc.returncode != 0 and "AttributeError" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("autograd._clash.AutogradClashError: autograd: the folder")
    assert "HIPS autograd" in last and "pip uninstall -y autograd autograd-numpy-engine" in last
    assert "another virtual environment" in last
