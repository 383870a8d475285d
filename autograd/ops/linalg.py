"""Matrix product, with NumPy's rules for 1-D and batched operands."""
import numpy as np

from ..function import Op
from .registry import op
from .xp import data, sum_to


def _f_ordered(a):
    flags = data(a).flags
    return flags.f_contiguous and not flags.c_contiguous


class MatMul(Op):
    """d(x @ y) = (g @ y^T, x^T @ g), batch dims summed back to each operand"""

    def forward(ctx, x, y):
        if np.ndim(x) == 0 or np.ndim(y) == 0:
            raise ValueError(f"matmul: both arguments need to be at least 1-D, but they are "
                             f"{np.ndim(x)}-D and {np.ndim(y)}-D (use * to multiply by a scalar)")
        ctx.save_for_backward(x, y)
        try:
            return np.matmul(x, y)
        except ValueError:
            raise ValueError(f"matmul: shapes {np.shape(x)} and {np.shape(y)} do not match: "
                             f"{np.shape(x)[-1]} (last dim of the first) != "
                             f"{np.shape(y)[-2 if np.ndim(y) > 1 else 0]} "
                             "(second to last dim of the second)") from None

    def backward(ctx, g):
        x, y = ctx.saved_tensors
        nx, ny = ctx.needs_input_grad
        if x.ndim == 2 and y.ndim == 2:  # the common case, without reshapes
            # Each gradient in its operand's memory order: for x @ W.T, W's
            # gradient then comes out C-ordered, like W, and the update is fast.
            gx = gy = None
            if nx:
                gx = (y @ g.T).T if _f_ordered(x) else g @ y.T
            if ny:
                gy = (g.T @ x).T if _f_ordered(y) else x.T @ g
            return gx, gy
        # Give 1-D operands their matrix shape, as NumPy does, then drop it again.
        x2 = x.reshape((1,) + x.shape) if x.ndim == 1 else x
        y2 = y.reshape(y.shape + (1,)) if y.ndim == 1 else y
        g2 = g
        if x.ndim == 1:
            g2 = g2.reshape(g2.shape[:-1] + (1,) + g2.shape[-1:]) if y.ndim > 1 else \
                g2.reshape(g2.shape + (1,))
        if y.ndim == 1:
            g2 = g2.reshape(g2.shape + (1,))
        gx = gy = None
        if nx:
            gx = sum_to(g2 @ y2.swapaxes(-1, -2), x2.shape).reshape(x.shape)
        if ny:
            gy = sum_to(x2.swapaxes(-1, -2) @ g2, y2.shape).reshape(y.shape)
        return gx, gy


@op("linalg")
def matmul(x, y):
    """NumPy's matmul: 1-D, 2-D and batched operands (batch dims broadcast).

    >>> import numpy as np, autograd as ag
    >>> ag.matmul(ag.Tensor(np.ones((5, 2, 3))), ag.Tensor(np.ones((3, 4)))).shape
    (5, 2, 4)
    >>> ag.matmul(ag.Tensor([1.0, 2.0]), ag.Tensor([3.0, 4.0])).item()
    11.0
    """
    return MatMul.apply2(x, y)
