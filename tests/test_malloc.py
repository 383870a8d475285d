"""autograd._malloc: freed array memory stays in the process (glibc only)."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROBE = """
import resource, numpy as np, autograd
def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for size in (1 << 20, 3 << 19):  # warm both sizes up
    a = np.ones(size); del a
before = faults()
for i in range(40):
    a = np.ones((1 << 20) if i % 2 else (3 << 19))  # 8 and 12 MiB, written, freed
    del a
print(autograd._malloc.applied, faults() - before)
"""


def probe(**env):
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, check=True,
                         capture_output=True, text=True, env={**os.environ, **env})
    applied, faults = out.stdout.split()
    return applied == "True", int(faults)


def glibc():
    try:
        return bool(os.confstr("CS_GNU_LIBC_VERSION"))
    except (ValueError, OSError):
        return False


@pytest.mark.skipif(not (sys.platform.startswith("linux") and glibc()),
                    reason="the tuning applies to glibc's malloc only")
def test_freed_blocks_are_reused_without_page_faults():
    applied, faults = probe(AUTOGRAD_MALLOC_TUNING="1")
    assert applied
    assert faults < 100  # 40 arrays of 8-12 MiB would be 100,000 faults on fresh pages


def test_tuning_can_be_switched_off():
    applied, _ = probe(AUTOGRAD_MALLOC_TUNING="0")
    assert not applied
