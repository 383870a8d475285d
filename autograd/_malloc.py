"""Keep freed array memory in the process instead of handing it back to the OS.

A training step allocates the same large temporaries (activations, their
gradients, im2col columns: megabytes each) every time, and frees them at the
end of the step. glibc's malloc serves blocks of that size with fresh ``mmap``
pages, or trims them off the heap when they are freed, so every step starts
again from untouched pages: the first write to each 4 KiB page is a page fault,
and on the benchmarks that cost as much as the arithmetic (an LSTM step took
3,300 page faults, 10 ms instead of 6; see benchmarks/).

``tune()`` raises two of glibc's thresholds with ``mallopt``: blocks below
32 MiB come from the heap, and up to 64 MiB of freed memory stays in the
process for the next step. It runs once when ``autograd`` is imported, on
Linux with glibc only; anywhere else, or with ``AUTOGRAD_MALLOC_TUNING=0`` in
the environment, it does nothing. The settings are glibc's own knobs (the same
as ``MALLOC_MMAP_THRESHOLD_`` and ``MALLOC_TRIM_THRESHOLD_`` in the
environment) and change no result, only where memory comes from.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

M_TRIM_THRESHOLD = -1  # from glibc's malloc.h
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 << 20  # glibc's own ceiling for its adaptive threshold
TRIM_THRESHOLD = 64 << 20

applied = False  # whether tune() changed the settings in this process


def tune(environ=os.environ) -> bool:
    """Apply the settings once; True when they are in effect."""
    global applied
    if applied:
        return True
    if environ.get("AUTOGRAD_MALLOC_TUNING", "1") == "0" or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
        libc.gnu_get_libc_version  # glibc only: musl has no such function  # noqa: B018
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    applied = bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and \
        bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
    return applied
