"""Batch normalisation (the notes' ``z_norm = (z - mu) / sqrt(var + eps)``,
``z~ = gamma * z_norm + beta``) over the channel dim 1."""
from __future__ import annotations

import numpy as np

from autograd import Tensor, no_grad

from . import functional as F
from .module import Module, Parameter


class _BatchNorm(Module):
    ndims: tuple = ()
    layout = ""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True, dtype=np.float32):
        super().__init__()
        if num_features <= 0:
            raise ValueError(f"{type(self).__name__}: num_features must be positive, "
                             f"got {num_features}")
        self.num_features = int(num_features)
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        self.weight = Parameter(np.ones(num_features, dtype=dtype)) if affine else None
        self.bias = Parameter(np.zeros(num_features, dtype=dtype)) if affine else None
        if track_running_stats:
            self.register_buffer("running_mean", Tensor(np.zeros(num_features, dtype=dtype)))
            self.register_buffer("running_var", Tensor(np.ones(num_features, dtype=dtype)))
            self.register_buffer("num_batches_tracked", Tensor(np.array(0, dtype=np.int64)))
        else:
            self.running_mean = self.running_var = self.num_batches_tracked = None

    def forward(self, x):
        shape = np.shape(x)
        if len(shape) not in self.ndims or shape[1] != self.num_features:
            raise ValueError(f"{self!r}: expected input of shape {self.layout} with "
                             f"C={self.num_features}, got {shape}")
        use_batch = self.training or not self.track_running_stats
        if use_batch and int(np.prod(shape)) // shape[1] <= 1:
            raise ValueError(f"{self!r}: need more than 1 value per channel to use batch "
                             f"statistics, got input of shape {shape}")
        momentum = self.momentum
        if self.training and self.track_running_stats:
            with no_grad():
                self.num_batches_tracked.add_(1)
            if momentum is None:  # PyTorch: a cumulative moving average
                momentum = 1.0 / float(self.num_batches_tracked.item())
        return F.batch_norm(x, self.running_mean if self.track_running_stats else None,
                            self.running_var if self.track_running_stats else None,
                            self.weight, self.bias, use_batch, momentum, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch norm over ``(N, C)`` or ``(N, C, L)`` inputs, per channel ``C``.

    >>> import numpy as np, nn
    >>> bn = nn.BatchNorm1d(3)
    >>> y = bn(np.random.default_rng(0).normal(5, 2, (64, 3)))
    >>> np.allclose(y.data.mean(0), 0, atol=1e-6), np.allclose(y.data.std(0), 1, atol=1e-3)
    (True, True)
    >>> list(bn.state_dict())
    ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']
    """

    ndims = (2, 3)
    layout = "(N, C) or (N, C, L)"


class BatchNorm2d(_BatchNorm):
    """Batch norm over ``(N, C, H, W)`` images, per channel ``C``.

    >>> import numpy as np, nn
    >>> bn = nn.BatchNorm2d(2)
    >>> y = bn(np.random.default_rng(0).normal(3, 2, (8, 2, 4, 4)))
    >>> y.shape, y.data.mean(axis=(0, 2, 3)).round(6) + 0.0
    ((8, 2, 4, 4), array([0., 0.]))
    >>> bn.running_mean.data.round(1)           # moved 10% of the way to the batch mean
    array([0.3, 0.3], dtype=float32)
    """

    ndims = (4,)
    layout = "(N, C, H, W)"


class LayerNorm(Module):
    """Normalise each sample over its last dims ``normalized_shape`` (the notes' norm,
    per sample instead of per batch), then ``* weight + bias`` learnt per element.

    >>> import numpy as np, nn
    >>> ln = nn.LayerNorm(4)
    >>> y = ln(np.random.default_rng(0).normal(3, 2, (2, 5, 4)))
    >>> y.shape, bool(np.allclose(y.data.mean(-1), 0)), list(ln.state_dict())
    ((2, 5, 4), True, ['weight', 'bias'])
    """

    def __init__(self, normalized_shape, eps: float = 1e-5, elementwise_affine: bool = True,
                 bias: bool = True, dtype=np.float32):
        super().__init__()
        shape = (int(normalized_shape),) if np.ndim(normalized_shape) == 0 else \
            tuple(int(n) for n in normalized_shape)
        if not shape or min(shape) <= 0:
            raise ValueError(f"LayerNorm: normalized_shape must be positive sizes, "
                             f"got {normalized_shape}")
        self.normalized_shape, self.eps = shape, eps
        self.elementwise_affine = elementwise_affine
        self.weight = Parameter(np.ones(shape, dtype=dtype)) if elementwise_affine else None
        self.bias = Parameter(np.zeros(shape, dtype=dtype)) if elementwise_affine and bias \
            else None

    def forward(self, x):
        return F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")


class GroupNorm(Module):
    """Normalise each sample's channels in ``num_groups`` groups (input ``(N, C, *)``),
    then scale and shift per channel.

    >>> import numpy as np, nn
    >>> gn = nn.GroupNorm(2, 4)
    >>> gn(np.random.default_rng(0).normal(size=(3, 4, 5))).shape, gn.weight.shape
    ((3, 4, 5), (4,))
    """

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5,
                 affine: bool = True, dtype=np.float32):
        super().__init__()
        if num_groups <= 0 or num_channels <= 0 or num_channels % num_groups:
            raise ValueError(f"GroupNorm: num_groups ({num_groups}) must divide "
                             f"num_channels ({num_channels})")
        self.num_groups, self.num_channels = int(num_groups), int(num_channels)
        self.eps, self.affine = eps, affine
        self.weight = Parameter(np.ones(num_channels, dtype=dtype)) if affine else None
        self.bias = Parameter(np.zeros(num_channels, dtype=dtype)) if affine else None

    def forward(self, x):
        shape = np.shape(x)
        if len(shape) < 2 or shape[1] != self.num_channels:
            raise ValueError(f"{self!r}: expected input (N, {self.num_channels}, *), "
                             f"got {shape}")
        return F.group_norm(x, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}"
