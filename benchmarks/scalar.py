"""Scalar graphs: microseconds per op, forward + backward, on 0-d tensors.

Two workloads: a small expression (the notes' J = 3(a + bc) and a few more ops),
and a chain of 10,000 multiply/add ops. The reference is PyTorch on the CPU
when installed; micrograd-style pure Python floats are timed too, as the
floor a Python engine can hope for.
"""
import math

import _common  # noqa: F401  (threads, sys.path)
from _common import freeze_imports, interleaved_best, try_torch

import autograd as ag  # noqa: E402

CHAIN = 10_000


def expression(T, make):
    a, b, c = make(5.0), make(3.0), make(2.0)

    def run():
        u = b * c
        v = a + u
        J = 3 * v
        K = (J * a - b) / c + J * J
        K.backward()
    return run, 8  # ops per run: mul add mul mul sub div mul add


def chain(T, make):
    x = make(1.0)

    def run():
        y = x
        for _ in range(CHAIN // 2):
            y = y * 1.0001
            y = y + 0.5
        y.backward()
    return run, CHAIN


class Value:
    """A micrograd-style scalar: the Python floor for per-op cost."""
    __slots__ = ("data", "grad", "_prev", "_back")

    def __init__(self, data, prev=(), back=None):
        self.data, self.grad, self._prev, self._back = data, 0.0, prev, back

    def __add__(self, o):
        o = o if isinstance(o, Value) else Value(o)
        return Value(self.data + o.data, (self, o), lambda g: (g, g))

    __radd__ = __add__

    def __mul__(self, o):
        o = o if isinstance(o, Value) else Value(o)
        return Value(self.data * o.data, (self, o), lambda g, s=self.data, t=o.data: (g * t, g * s))

    __rmul__ = __mul__

    def __sub__(self, o):
        return self + (-1.0) * o

    def __truediv__(self, o):
        o = o if isinstance(o, Value) else Value(o)
        return Value(self.data / o.data, (self, o),
                     lambda g, s=self.data, t=o.data: (g / t, -g * s / (t * t)))

    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            v, done = stack.pop()
            if done:
                order.append(v)
            elif v not in seen:
                seen.add(v)
                stack.append((v, True))
                stack.extend((p, False) for p in v._prev)
        self.grad = 1.0
        for v in reversed(order):
            if v._back:
                for p, g in zip(v._prev, v._back(v.grad)):
                    p.grad += g


def main(rounds=9):
    torch = try_torch()
    makers = {"autograd": lambda v: ag.Tensor(v, requires_grad=True),
              "python floats (micrograd-style)": Value}
    if torch is not None:
        makers["pytorch"] = lambda v: torch.tensor(v, requires_grad=True)
    for label, workload, number in (("expression", expression, 300), ("chain", chain, 1)):
        runs = {name: workload(None, make) for name, make in makers.items()}
        freeze_imports()
        ops = next(iter(runs.values()))[1]
        best = interleaved_best({name: run for name, (run, _) in runs.items()},
                                rounds=rounds, number=number)
        print(f"\nscalar {label} ({ops} ops): microseconds per op, forward + backward")
        ours = best["autograd"] / ops
        for name, seconds in best.items():
            line = f"  {name:<34} {seconds / ops * 1e6:8.2f} us/op"
            if name != "autograd":
                line += f"   ratio autograd / {name.split()[0]} = {ours / (seconds / ops):5.2f}"
            print(line)


if __name__ == "__main__":
    main()
