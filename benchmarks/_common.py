"""Shared by the benchmarks: pin two threads, tune malloc (``autograd.tune_allocator``),
time the best of several runs."""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "2")

import gc  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

# Let `python benchmarks/NAME.py` find the packages when they are not installed.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import autograd  # noqa: E402

# A training loop's large temporaries reuse freed memory instead of faulting in
# fresh pages (autograd/_malloc.py); AUTOGRAD_TUNE_ALLOCATOR=0 measures without.
if os.environ.get("AUTOGRAD_TUNE_ALLOCATOR", "1") != "0":
    autograd.tune_allocator()


def freeze_imports():
    """Move every object alive now (all imported modules, PyTorch's included) out of
    the cyclic GC's reach, so that collections triggered by the code under test
    do not rescan them: each contender pays for its own objects only."""
    gc.collect()
    gc.freeze()


def interleaved_best(fns, rounds=7, number=1):
    """Best seconds per call of each function in ``fns`` (a dict), timed round by
    round in turn, so that load from other processes hits all of them alike.

    In each round every function first runs once untimed: what is timed is the
    steady state of a training loop, where the step follows itself, for every
    contender alike (not the first call after another contender's work, which
    finds the caches full of that work's data and BLAS's threads asleep)."""
    best = {name: float("inf") for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            fn()
            t0 = time.perf_counter()
            for _ in range(number):
                fn()
            best[name] = min(best[name], (time.perf_counter() - t0) / number)
    return best


def try_torch():
    """torch with two threads, or None when it is not installed (it is optional)."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(2)
    return torch


def best_in_turns(fns, torch_fns, rounds, number=1, blocks=4):
    """``interleaved_best`` of ``fns``, and of ``torch_fns`` on their own (PyTorch's
    worker threads keep spinning for a while after each call and would slow
    whatever ran right after them). The two groups take turns in ``blocks``
    blocks of rounds, so that a slow or fast spell of the machine (they last
    seconds here) falls on both alike."""
    best = {}
    per_block = max(1, rounds // blocks)
    for _ in range(blocks):
        for group in (fns, torch_fns):
            if group:
                for name, t in interleaved_best(group, rounds=per_block, number=number).items():
                    best[name] = min(best.get(name, float("inf")), t)
    return best


def print_ratios(title, best, reference, unit=1e3, unit_name="ms"):
    """One line per implementation: its time and its ratio to ``reference``."""
    print(title)
    base = best[reference]
    for name, seconds in best.items():
        print(f"  {name:<36} {seconds * unit:8.3f} {unit_name}   "
              f"{seconds / base:5.2f}x {reference.split()[0]}")
