"""The ops, one module per family. Each public function is declared once, beside
its primitive, with ``@op`` (see ``registry.py``); importing the families here
registers them, and ``autograd`` takes its functions, ``__all__`` and the Tensor
methods from that registry."""
from . import xp as _xp
from .registry import DECLARED, install_methods, public_functions
# the families: importing one declares its ops
from . import elementwise, unary, activation, reduce, linalg, shape  # noqa: F401
from . import sort, scan, norm  # noqa: F401  (sorting; cumulative ops and prod; norms)
from . import trig, special, rounding, logic  # noqa: F401  (elementwise math, comparisons)
from . import activation_smooth  # noqa: F401  (gelu, silu, softplus, elu, ...)
from . import index, shape_more, pieces, matrix, einsum  # noqa: F401  (index; shape)
from .shape import Scatter, normalize_index, scatter_array

globals().update(public_functions())


def _scatter_tensor(g, shape, index):
    return Scatter.apply(g, shape=shape, index=index)


_xp.numpy_ns.scatter = scatter_array
_xp.tensor_ns.__dict__.update(
    exp=unary.exp, log=unary.log, sin=unary.sin, cos=unary.cos, sqrt=unary.sqrt,
    where=elementwise.where, broadcast_to=shape.broadcast_to, scatter=_scatter_tensor)
