"""GradientRecorder: what each layer's gradients and activations look like, step by step,
recorded through hooks (the notes' vanishing and exploding gradients, measured)."""
from __future__ import annotations

import math

import numpy as np

from autograd import Tensor


class GradientRecorder:
    """Record, at every backward, the L2 norm of each parameter's gradient
    (``grad_norms[name]``, one value per backward pass, NaN for a pass that did not
    reach it), and at every forward, the mean and standard deviation of each
    module's output (``activation_mean[name]``, ``activation_std[name]``).
    ``remove()`` (or leaving a ``with`` block) takes the hooks away.

    A new step starts when a parameter's gradient arrives a second time; so a
    step is one backward pass as long as each pass reaches the same parameters.

    >>> import numpy as np, nn
    >>> net = nn.Sequential(nn.Linear(3, 4), nn.Sigmoid(), nn.Linear(4, 1))
    >>> with nn.utils.GradientRecorder(net) as rec:
    ...     for _ in range(2):
    ...         net(np.ones((5, 3), np.float32)).sum().backward()
    >>> rec.steps, sorted(rec.grad_norms)
    (2, ['0.bias', '0.weight', '2.bias', '2.weight'])
    >>> len(rec.activation_mean["1"]), rec.activation_std["1"][0] >= 0
    (2, True)
    """

    def __init__(self, model, activations: bool = True):
        self.grad_norms: dict[str, list[float]] = {}
        self.activation_mean: dict[str, list[float]] = {}
        self.activation_std: dict[str, list[float]] = {}
        self.steps = 0
        self._seen: set[str] = set()
        self._handles = []
        for name, p in model.named_parameters():
            if p.requires_grad:
                self.grad_norms[name] = []
                self._handles.append(p.register_hook(self._grad_hook(name)))
        if activations:
            for name, m in model.named_modules():
                key = name or type(m).__name__
                self.activation_mean[key], self.activation_std[key] = [], []
                self._handles.append(m.register_forward_hook(self._forward_hook(key)))

    def _grad_hook(self, name):
        def hook(grad):
            if name in self._seen or self.steps == 0:
                self.steps += 1
                self._seen.clear()
                for values in self.grad_norms.values():
                    values.extend([math.nan] * (self.steps - len(values)))
            self._seen.add(name)
            g = np.asarray(grad.data, dtype=np.float64)
            self.grad_norms[name][self.steps - 1] = float(np.sqrt(np.vdot(g, g).real))
        return hook

    def _forward_hook(self, key):
        def hook(module, args, output):
            out = output[0] if isinstance(output, (tuple, list)) and output else output
            if isinstance(out, Tensor) and out.data.dtype.kind == "f" and out.data.size:
                a = out.data.astype(np.float64)
                self.activation_mean[key].append(float(a.mean()))
                self.activation_std[key].append(float(a.std()))
        return hook

    def layer_norms(self, kind: str = "weight") -> dict[str, np.ndarray]:
        """``{name: norms per step}`` for the parameters whose name ends in ``kind``
        (``'weight'``, ``'bias'``, or ``''`` for all), in the model's order."""
        return {n: np.array(v) for n, v in self.grad_norms.items() if n.endswith(kind)}

    def remove(self) -> None:
        """Take every hook away; what was recorded stays."""
        for h in self._handles:
            h.remove()
        self._handles = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()

    def __repr__(self):
        return (f"GradientRecorder({len(self.grad_norms)} parameters, "
                f"{len(self.activation_mean)} modules, {self.steps} steps)")
