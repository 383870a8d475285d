"""The functional API (``import nn.functional as F``), PyTorch's names and arguments.

Layers call these; each is composed from autograd's primitives, except the
fused cross-entropy (see ``nn.loss_functional``).

>>> import numpy as np, autograd as ag, nn.functional as F
>>> F.relu(ag.Tensor([-1.0, 2.0])).data
array([0., 2.], dtype=float32)
"""
from __future__ import annotations

import numpy as np

import autograd as ag
from autograd import Tensor, as_tensor, get_rng, no_grad
from autograd.function import Op


# -- dense -------------------------------------------------------------------
class Linear(Op):
    """``y = x @ W.T + b`` as one node (the MLP benchmark's hot path; the composed
    form is the tests' oracle): ``dx = g @ W``, ``dW = g.T @ x``, ``db = sum(g)``.
    Leading batch dims of ``x`` are flattened for the backward matmuls.
    ``linear`` checks the shapes and calls ``Linear.apply``.

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> x = ag.Tensor(np.ones((2, 3)), requires_grad=True)
    >>> y = F.Linear.apply(x, ag.Tensor(np.ones((4, 3))), ag.Tensor(np.zeros(4)))
    >>> y.shape, y.grad_fn.name
    ((2, 4), 'linear')
    """

    op_name = "linear"

    def forward(ctx, x, w, b=None):
        ctx.save_for_backward(x, w)
        out = x @ w.T
        if b is not None:
            out += b
        return out

    def backward(ctx, g):
        x, w = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad
        g2 = g if g.ndim == 2 else g.reshape(-1, g.shape[-1])
        gx = (g @ w) if need_x else None
        gw = gb = None
        if need_w:
            x2 = x if x.ndim == 2 else x.reshape(-1, x.shape[-1])
            gw = g2.T @ x2
        if need_b:
            gb = g2.sum(axis=0)
        return gx, gw, gb


def linear(input, weight, bias=None) -> Tensor:
    """``input @ weight.T + bias`` (weight ``(out, in)``, as the notes' ``W[l]``).

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> w = ag.Tensor(np.array([[1.0, 2.0]])); b = ag.Tensor(np.array([0.5]))
    >>> F.linear(ag.Tensor(np.array([[3.0, 4.0]])), w, b).data
    array([[11.5]])
    """
    shape, wshape = np.shape(input.data if isinstance(input, Tensor) else input), \
        np.shape(weight.data if isinstance(weight, Tensor) else weight)
    if len(wshape) != 2 or not shape or shape[-1] != wshape[1]:
        raise ValueError(f"linear: input of shape {shape} does not match weight of shape "
                         f"{wshape} (expected input (..., {wshape[-1] if wshape else '?'}))")
    return Linear.apply(input, weight, bias)


# -- activations -------------------------------------------------------------
def relu(input) -> Tensor:
    """``max(x, 0)``.

    >>> import numpy as np, nn.functional as F
    >>> F.relu(np.array([-1.5, 0.0, 2.0])).data
    array([0., 0., 2.])
    """
    return ag.relu(as_tensor(input))


def leaky_relu(input, negative_slope: float = 0.01) -> Tensor:
    """``x`` where positive, ``negative_slope * x`` elsewhere.

    >>> import numpy as np, nn.functional as F
    >>> F.leaky_relu(np.array([-10.0, 0.0, 2.0]), negative_slope=0.2).data
    array([-2.,  0.,  2.])
    """
    return ag.leaky_relu(as_tensor(input), negative_slope)


def sigmoid(input) -> Tensor:
    """``1 / (1 + exp(-x))``.

    >>> import numpy as np, nn.functional as F
    >>> F.sigmoid(np.array([-2.0, 0.0, 2.0])).data.round(4)
    array([0.1192, 0.5   , 0.8808])
    """
    return ag.sigmoid(as_tensor(input))


def tanh(input) -> Tensor:
    """Hyperbolic tangent, ``2 * sigmoid(2x) - 1``, in (-1, 1).

    >>> import numpy as np, nn.functional as F
    >>> F.tanh(np.array([-0.5, 0.0, 3.0])).data.round(4)
    array([-0.4621,  0.    ,  0.9951])
    """
    return ag.tanh(as_tensor(input))


def softmax(input, dim: int = -1) -> Tensor:
    """``exp(x) / sum(exp(x))`` along ``dim``, stable for any input.

    >>> import numpy as np, nn.functional as F
    >>> F.softmax(np.array([[0.0, 1.0], [1000.0, 1000.0]]), dim=1).data.round(4)
    array([[0.2689, 0.7311],
           [0.5   , 0.5   ]])
    """
    return ag.softmax(as_tensor(input), dim)


def log_softmax(input, dim: int = -1) -> Tensor:
    """``x - logsumexp(x)`` along ``dim``.

    >>> import numpy as np, nn.functional as F
    >>> F.log_softmax(np.array([[0.0, 0.0, 0.0, 0.0]]), dim=1).data.round(4)   # log(1/4)
    array([[-1.3863, -1.3863, -1.3863, -1.3863]])
    """
    return ag.log_softmax(as_tensor(input), dim)


# -- regularisation and normalisation ----------------------------------------
def dropout(input, p: float = 0.5, training: bool = True, rng=None) -> Tensor:
    """Inverted dropout (the notes): zero each unit with probability ``p`` and scale
    the kept ones by ``1 / (1 - p)``, so the expected activation is unchanged and
    nothing needs rescaling at test time. Identity when not ``training``.

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> y = F.dropout(ag.Tensor(np.ones(6)), p=0.5, rng=0)
    >>> sorted(set(y.data.tolist()))
    [0.0, 2.0]
    """
    if not 0.0 <= p < 1.0:
        raise ValueError(f"dropout: p must be in [0, 1), got {p}")
    x = as_tensor(input)
    if not training or p == 0.0:
        return x
    keep = get_rng(rng).random(x.shape) >= p
    mask = keep.astype(x.dtype if x.dtype.kind == "f" else np.float32)
    mask *= 1.0 / (1.0 - p)
    return x * mask


def batch_norm(input, running_mean, running_var, weight=None, bias=None,
               training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each channel (dim 1) of ``input`` to zero mean and unit variance, then
    scale by ``weight`` and shift by ``bias`` (the notes' ``gamma``, ``beta``).

    In training the batch statistics are used (biased variance) and the running
    statistics (Tensors, or None) are updated in place with ``momentum``, the
    running variance unbiased as in PyTorch; otherwise the running ones are used.

    >>> import numpy as np, autograd as ag, nn.functional as F
    >>> x = np.array([[1.0, 10.0], [3.0, 30.0]])
    >>> mean, var = ag.Tensor(np.zeros(2)), ag.Tensor(np.ones(2))
    >>> F.batch_norm(x, mean, var, training=True, momentum=0.5).data.round(3)
    array([[-1., -1.],
           [ 1.,  1.]])
    >>> mean.data, var.data            # half-way to the batch mean and unbiased variance
    (array([ 1., 10.]), array([  1.5, 100.5]))
    """
    x = as_tensor(input)
    if x.ndim < 2:
        raise ValueError(f"batch_norm: expected input with a channel dim (N, C, ...), "
                         f"got shape {x.shape}")
    axes = (0,) + tuple(range(2, x.ndim))
    bshape = (1, x.shape[1]) + (1,) * (x.ndim - 2)
    if training or running_mean is None:
        n = x.size // x.shape[1]
        if n <= 1:
            raise ValueError(f"batch_norm: need more than 1 value per channel in training, "
                             f"got input shape {x.shape}")
        mean = x.mean(axis=axes, keepdims=True)
        centered = x - mean
        var = (centered * centered).mean(axis=axes, keepdims=True)
        if training and running_mean is not None:
            _update_running(running_mean, running_var, mean.data, var.data, n, momentum)
        x_hat = centered / ag.sqrt(var + eps)
    else:
        mean = as_tensor(running_mean).data.reshape(bshape)
        inv_std = 1.0 / np.sqrt(as_tensor(running_var).data.reshape(bshape) + eps)
        x_hat = (x - mean.astype(x.dtype)) * inv_std.astype(x.dtype)
    if weight is not None:
        x_hat = x_hat * as_tensor(weight).reshape(bshape)
    if bias is not None:
        x_hat = x_hat + as_tensor(bias).reshape(bshape)
    return x_hat


def _update_running(running_mean, running_var, mean, var, n, momentum):
    with no_grad():
        running_mean.mul_(1 - momentum).add_((momentum * mean).reshape(running_mean.shape))
        unbiased = var.reshape(running_var.shape) * (n / (n - 1))
        running_var.mul_(1 - momentum).add_(momentum * unbiased)


# -- lookup ------------------------------------------------------------------
# embedding (padding_idx, max_norm) lives in embedding_functional.py
from .embedding_functional import embedding  # noqa: E402,F401


# -- more activations (defined in activation_functional.py) --------------------------
from .activation_functional import (celu, elu, gelu, glu, hardsigmoid,  # noqa: E402,F401
                                    hardswish, hardtanh, logsigmoid, mish, prelu, relu6,
                                    selu, silu, softmin, softplus, softsign)
# -- losses (defined in loss_functional.py) ---------------------------------------
from .loss_functional import (binary_cross_entropy,  # noqa: E402,F401
                              binary_cross_entropy_with_logits, cross_entropy, mse_loss)
from .loss_functional_more import (huber_loss, kl_div, l1_loss,  # noqa: E402,F401
                                   nll_loss, smooth_l1_loss)
from .distance import cosine_similarity, normalize, pairwise_distance  # noqa: E402,F401
# -- convolution, pooling, resampling, padding (nn/conv_ops.py, pool_ops.py, ...) ------
from .conv_ops import (conv1d, conv2d, conv_transpose1d,  # noqa: E402,F401
                       conv_transpose2d)
from .pool_ops import avg_pool1d, avg_pool2d, max_pool1d, max_pool2d  # noqa: E402,F401
from .resample import (adaptive_avg_pool1d, adaptive_avg_pool2d,  # noqa: E402,F401
                       adaptive_max_pool1d, adaptive_max_pool2d, interpolate)
from .fold_ops import fold, unfold  # noqa: E402,F401
from .pad_ops import pad  # noqa: E402,F401
# -- normalisation per sample and attention (nn/norm_ops.py, nn/attention.py) ----------
from .norm_ops import group_norm, layer_norm  # noqa: E402,F401
from .attention import scaled_dot_product_attention  # noqa: E402,F401
# -- encodings ------------------------------------------------------------------
from autograd import one_hot  # noqa: E402,F401  (PyTorch's F.one_hot(tensor, num_classes=-1))
