"""Loss modules: thin wrappers over the functional losses, PyTorch's names.

>>> import numpy as np, autograd as ag, nn
>>> loss_fn = nn.CrossEntropyLoss()
>>> logits = ag.Tensor(np.zeros((4, 3)), requires_grad=True)
>>> round(loss_fn(logits, np.array([0, 1, 2, 0])).item(), 4)       # log(3)
1.0986
"""
from __future__ import annotations

from autograd import Tensor

from . import loss_functional as L
from . import loss_functional_more as M
from .module import Module


class _Loss(Module):
    def __init__(self, reduction: str = "mean", **weights):
        super().__init__()
        L._check_reduction(type(self).__name__, reduction)
        self.reduction = reduction
        # Class or element weights are buffers, as in PyTorch: in state_dict() when set.
        for name, value in weights.items():
            self.register_buffer(name, None if value is None else Tensor(value))

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}" if self.reduction != "mean" else ""


class MSELoss(_Loss):
    """Mean squared error ``(x - y)^2``, reduced by ``reduction``.

    >>> import numpy as np, nn
    >>> x, y = np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 0.0])
    >>> nn.MSELoss()(x, y).item(), nn.MSELoss(reduction="sum")(x, y).item()
    (4.333..., 13.0)
    """

    def forward(self, input, target):
        return L.mse_loss(input, target, self.reduction)


class BCELoss(_Loss):
    """Binary cross-entropy of probabilities in [0, 1] (log clamped at -100).

    >>> import numpy as np, nn
    >>> p, y = np.array([0.9, 0.2]), np.array([1.0, 0.0])
    >>> round(nn.BCELoss()(p, y).item(), 4)       # -(log 0.9 + log 0.8) / 2
    0.1643
    """

    def __init__(self, weight=None, reduction: str = "mean"):
        super().__init__(reduction, weight=weight)

    def forward(self, input, target):
        return L.binary_cross_entropy(input, target, self.weight, self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Sigmoid and binary cross-entropy in one stable formula (takes logits).

    >>> import numpy as np, nn
    >>> logits, y = np.array([0.0, 200.0]), np.array([1.0, 0.0])
    >>> nn.BCEWithLogitsLoss(reduction="none")(logits, y).data.round(4)  # log 2, 200
    array([  0.6931, 200.    ])
    """

    def __init__(self, weight=None, reduction: str = "mean", pos_weight=None):
        super().__init__(reduction, weight=weight, pos_weight=pos_weight)

    def forward(self, input, target):
        return L.binary_cross_entropy_with_logits(input, target, self.weight,
                                                  self.reduction, self.pos_weight)


class CrossEntropyLoss(_Loss):
    """Softmax cross-entropy of logits with class-index or probability targets
    (fused: its gradient is the notes' ``softmax - y``).

    >>> import numpy as np, autograd as ag, nn
    >>> logits = ag.Tensor(np.array([[2.0, 0.0, 0.0]]), requires_grad=True)
    >>> loss = nn.CrossEntropyLoss()(logits, np.array([0]))
    >>> loss.backward()
    >>> round(loss.item(), 4), logits.grad.data.round(4)        # softmax - y
    (0.2395, array([[-0.213 ,  0.1065,  0.1065]]))
    """

    def __init__(self, weight=None, ignore_index: int = -100, reduction: str = "mean",
                 label_smoothing: float = 0.0):
        super().__init__(reduction, weight=weight)
        self.ignore_index, self.label_smoothing = ignore_index, label_smoothing

    def forward(self, input, target):
        return L.cross_entropy(input, target, self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)


class NLLLoss(_Loss):
    """Negative log-likelihood of log-probabilities (after ``log_softmax``), with class
    ``weight`` and ``ignore_index`` as PyTorch.

    >>> import numpy as np, autograd as ag, nn
    >>> logp = ag.log_softmax(ag.Tensor(np.zeros((2, 4))), axis=1)
    >>> nn.NLLLoss(ignore_index=0)(logp, np.array([0, 3])).item()       # log 4
    1.386...
    """

    def __init__(self, weight=None, ignore_index: int = -100, reduction: str = "mean"):
        super().__init__(reduction, weight=weight)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return M.nll_loss(input, target, self.weight, self.ignore_index, self.reduction)


class KLDivLoss(Module):
    """Kullback-Leibler divergence of log-probabilities ``input`` from ``target``
    (``reduction='batchmean'`` for the true divergence; ``log_target`` for log targets).

    >>> import numpy as np, nn
    >>> nn.KLDivLoss(reduction="batchmean", log_target=True)
    KLDivLoss(reduction='batchmean', log_target=True)
    """

    def __init__(self, reduction: str = "mean", log_target: bool = False):
        super().__init__()
        if reduction not in ("mean", "sum", "none", "batchmean"):
            raise ValueError(f"KLDivLoss: reduction must be one of ('mean', 'sum', 'none', "
                             f"'batchmean'), got {reduction!r}")
        self.reduction, self.log_target = reduction, log_target

    def forward(self, input, target):
        return M.kl_div(input, target, self.reduction, self.log_target)

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}, log_target={self.log_target}"


class L1Loss(_Loss):
    """Mean absolute error ``|x - y|``.

    >>> import numpy as np, nn
    >>> nn.L1Loss()(np.array([1.0, -3.0]), np.zeros(2)).item()
    2.0
    """

    def forward(self, input, target):
        return M.l1_loss(input, target, self.reduction)


class SmoothL1Loss(_Loss):
    """Quadratic below ``beta``, linear above (see ``nn.functional.smooth_l1_loss``).

    >>> import numpy as np, nn
    >>> nn.SmoothL1Loss(beta=0.5), nn.SmoothL1Loss()(np.array([0.5, 3.0]), np.zeros(2)).item()
    (SmoothL1Loss(beta=0.5), 1.3125)
    """

    def __init__(self, reduction: str = "mean", beta: float = 1.0):
        super().__init__(reduction)
        self.beta = beta

    def forward(self, input, target):
        return M.smooth_l1_loss(input, target, self.reduction, self.beta)

    def extra_repr(self) -> str:
        return ", ".join(filter(None, [super().extra_repr(), f"beta={self.beta}"]))


class HuberLoss(_Loss):
    """Quadratic below ``delta``, ``delta``-sloped linear above.

    >>> import numpy as np, nn
    >>> nn.HuberLoss(delta=2.0), nn.HuberLoss(delta=2.0)(np.array([3.0]), np.zeros(1)).item()
    (HuberLoss(delta=2.0), 4.0)
    """

    def __init__(self, reduction: str = "mean", delta: float = 1.0):
        super().__init__(reduction)
        self.delta = delta

    def forward(self, input, target):
        return M.huber_loss(input, target, self.reduction, self.delta)

    def extra_repr(self) -> str:
        return ", ".join(filter(None, [super().extra_repr(), f"delta={self.delta}"]))
