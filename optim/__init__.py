"""Optimizers and learning-rate schedules (``torch.optim``'s interface and numbers).

Ordered by complexity: ``SGD``, the notes' ``Momentum``, ``RMSprop``,
``Adam`` and ``AdamW``; schedules live in ``optim.lr_scheduler``.

>>> import autograd as ag, optim
>>> w = ag.Tensor([3.0], requires_grad=True)
>>> opt = optim.Adam([w], lr=0.1)
>>> for _ in range(100):
...     opt.zero_grad()
...     loss = ((w - 1.0) ** 2).sum()
...     loss.backward()
...     opt.step()
>>> abs(w.item() - 1.0) < 0.05
True
"""
from .optimizer import Optimizer
from .sgd import SGD, Momentum
from .rmsprop import RMSprop
from .adam import Adam, AdamW
from . import lr_scheduler

__all__ = ["Optimizer", "SGD", "Momentum", "RMSprop", "Adam", "AdamW", "lr_scheduler"]
