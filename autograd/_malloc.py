"""Opt-in: keep freed array memory in the process instead of handing it back to the OS.

A training step allocates the same large temporaries (activations, their
gradients, im2col columns: megabytes each) every time, and frees them at the
end of the step. glibc's malloc serves blocks of that size with fresh ``mmap``
pages, or trims them off the heap when they are freed, so every step starts
again from untouched pages: the first write to each 4 KiB page is a page fault,
and on the benchmarks that cost as much as the arithmetic (an LSTM step took
3,300 page faults, 10 ms instead of 6; see benchmarks/).

``autograd.tune_allocator()`` raises two of glibc's thresholds with
``mallopt``: blocks below 32 MiB come from the heap instead of ``mmap``, and
the heap's free top is only trimmed once it exceeds 64 MiB. Importing
``autograd`` does not do it: the settings are process-wide (they apply to every
library in the process, and to every thread's arena), so they are the
program's choice. Call it first thing in a training script, or set
``AUTOGRAD_TUNE_ALLOCATOR=1`` in the environment to have ``import autograd``
call it. The benchmarks and ``examples/demo.py`` call it.

What it costs: heap memory can only go back to the OS from the top of the
heap. Freed blocks below a block that is still in use stay resident, however
much of them there is: the 64 MiB is the most the free top keeps, not a limit
on what the process keeps. A program that holds 40 arrays of 20 MiB, each
followed by a small allocation that outlives it, keeps about 800 MiB after
freeing the arrays with the tuning, and under 50 MiB without (per thread that
does it: four threads, four times that). The settings are glibc's own knobs
(the same as ``MALLOC_MMAP_THRESHOLD_`` and ``MALLOC_TRIM_THRESHOLD_`` in the
environment) and change no result, only where memory comes from. On anything
but Linux with glibc ``tune_allocator()`` does nothing and returns False.
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
ENV_VAR = "AUTOGRAD_TUNE_ALLOCATOR"

applied = False  # whether tune_allocator() changed the settings in this process


def tune_allocator() -> bool:
    """Raise glibc's malloc thresholds for this whole process; True when in effect.

    An explicit opt-in (``import autograd`` changes nothing): blocks below
    32 MiB then come from the heap, and up to 64 MiB of freed memory at the top
    of the heap stays in the process, so that a training loop's large
    temporaries reuse memory instead of faulting in fresh pages. Freed memory
    below live blocks stays too; see ``autograd/_malloc.py`` for the trade-off.
    Calling it again does nothing more. Returns False, changing nothing, where
    malloc is not glibc's.

    >>> from autograd import _malloc   # the settings it applies, in MiB
    >>> _malloc.MMAP_THRESHOLD >> 20, _malloc.TRIM_THRESHOLD >> 20
    (32, 64)
    """
    global applied
    if applied:
        return True
    if not sys.platform.startswith("linux"):
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


def tune_if_asked(environ=os.environ) -> bool:
    """``tune_allocator()`` when ``AUTOGRAD_TUNE_ALLOCATOR=1`` is set; run by ``import
    autograd``, which otherwise leaves malloc alone."""
    return tune_allocator() if environ.get(ENV_VAR, "0") == "1" else False
