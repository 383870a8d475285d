"""Refuse to run from a folder shared with the PyPI package ``autograd`` (HIPS autograd).

Both projects install a top-level package named ``autograd``. Installed into
one environment, pip writes the second into the folder of the first: their
files mix, and each breaks the other in ways that show up far away (missing
names, AttributeErrors). Importing this module (``autograd/__init__.py`` does,
first) turns that into one ImportError that says what to do. (Where the two sit
in different folders, whichever comes first on ``sys.path`` is imported and the
other is hidden; the README says to keep them in separate environments.)

>>> check(HERE) is None                      # this folder holds only this project
True
"""
from __future__ import annotations

import os

HERE = os.path.dirname(os.path.abspath(__file__))
# Files that HIPS autograd installs into its package and this project never has.
FOREIGN_FILES = ("tracer.py", "wrap_util.py", "differential_operators.py",
                 os.path.join("numpy", "numpy_vjps.py"))

ADVICE = ("Both projects install a package named `autograd`; they cannot share an "
          "environment. Remove both (pip uninstall -y autograd autograd-numpy-engine), "
          "reinstall this one (pip install . in its checkout, or make test), and keep "
          "HIPS autograd in another virtual environment (python -m venv).")


class AutogradClashError(ImportError):
    """This project's ``autograd`` folder also holds HIPS autograd's files."""


def check(folder: str = HERE) -> None:
    """Raise AutogradClashError if ``folder`` holds files of HIPS autograd."""
    found = [name for name in FOREIGN_FILES if os.path.exists(os.path.join(folder, name))]
    if found:
        raise AutogradClashError(
            f"autograd: the folder {folder} mixes this project (autograd-numpy-engine) with "
            f"the PyPI package `autograd` (HIPS autograd: {', '.join(found)}). {ADVICE}")


check()
