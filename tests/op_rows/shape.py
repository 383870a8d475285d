"""Rows for the shape ops of issue 11 (autograd/ops/shape_more.py, pieces.py, matrix.py,
einsum.py): view, ravel, permute, t, mT, flip, roll, repeat, tile, repeat_interleave,
tril, triu, diagonal, diag, unflatten, movedim, chunk, unbind, narrow, cat, hstack,
vstack, meshgrid, einsum, tensordot, outer, dot, bmm; against NumPy and PyTorch (see
tests/op_table.py)."""
import numpy as np

import autograd as ag
from op_info import OpInfo, S

A = np.array


def _chunk_ref(x, chunks, dim=0):
    n = x.shape[dim]
    step = -(-n // chunks)
    if step == 0:
        return tuple(np.take(x, [], axis=dim) for _ in range(chunks))
    return tuple(np.take(x, range(a, min(a + step, n)), axis=dim) for a in range(0, n, step))


def _narrow_ref(x, dim, start, length):
    start = start % x.shape[dim] if start < 0 else start
    return np.take(x, range(start, start + length), axis=dim)


def _tri_torch(name):
    def fn(torch, x, diagonal=0, k=None):
        return getattr(torch, name)(x, diagonal if k is None else k)
    return fn


def _tri_ref(name):
    def ref(x, diagonal=0, k=None):
        return getattr(np, name)(x, diagonal if k is None else k)
    return ref


def _flip_torch(torch, x, dims=None, axis=None):
    dims = dims if axis is None else axis
    dims = tuple(range(x.ndim)) if dims is None else (dims,) if isinstance(dims, int) else dims
    return torch.flip(x, dims)


EINSUM = [S((2, 3), (3, 4), subscripts="ij,jk->ik"), S((3, 3), subscripts="ii->i"),
          S((3, 3), subscripts="ii"), S((2, 3), subscripts="ij->"),
          S((2, 1, 2, 3), (4, 3, 2), subscripts="...ij,...jk->...ik"),
          S((1,), (3,), subscripts="i,i->i"), S((2, 3), (4, 2), subscripts="ba,Ab"),
          S((2, 2, 3), (2, 3, 2), subscripts="bij,bjk"),
          S((2,), (3,), (2,), subscripts="i,j,k->ijk"), S((2, 2, 3), subscripts="iij->ij"),
          S((2, 3), (3,), subscripts="ij,j"), S((), (3,), subscripts=",i->i"),
          S((0,), subscripts="i->"), S((2, 3, 4), subscripts="ijk->kij"),
          S((3, 2), (3, 2), (2, 4), subscripts="ij,ij,jk->ik")]

ROWS = [
    OpInfo("view", lambda x, shape: x.view(*shape), lambda x, shape: x.reshape(shape),
           [S((2, 3, 4), shape=(6, -1)), S((), shape=(1, 1)), S((6,), shape=(3, 2)),
            S((0, 3), shape=(3, 0))], int_samples=[S((6,), shape=(3, 2))],
           torch=lambda torch, x, shape: x.view(*shape)),
    OpInfo("ravel", lambda x: x.ravel(), np.ravel, [S((2, 3)), S(()), S((1,)), S((2, 0))],
           int_samples=[S((2, 3))], torch=lambda torch, x: x.ravel()),
    OpInfo("permute", lambda x, dims: x.permute(*dims), lambda x, dims: np.transpose(x, dims),
           [S((2, 3, 4), dims=(2, 0, 1)), S((2, 3), dims=(1, 0)), S((), dims=()),
            S((2, 3, 4), dims=(-1, 0, 1)), S((0, 2), dims=(1, 0))],
           int_samples=[S((2, 3), dims=(1, 0))], torch=lambda torch, x, dims: torch.permute(x, dims)),
    OpInfo("t", lambda x: x.t(), lambda x: x.T, [S((2, 3)), S((3,)), S(()), S((1, 1))],
           torch=lambda torch, x: x.t()),
    OpInfo("mT", lambda x: x.mT, lambda x: np.swapaxes(x, -1, -2),
           [S((2, 3)), S((2, 3, 4)), S((1, 1)), S((0, 2, 3))], torch=lambda torch, x: x.mT,
           checks="a property, as PyTorch's"),
    OpInfo("flip", lambda x, **kw: x.flip(**kw), lambda x, dims=None, axis=None:
           np.flip(x, dims if axis is None else axis),
           [S((2, 3), dims=(0,)), S((2, 3, 4), dims=(0, 2)), S((2, 3), dims=None),
            S((), dims=()), S((4,), axis=-1), S((0, 3), dims=(1,))],
           int_samples=[S((2, 3), dims=(0,))], torch=_flip_torch, checks="a view"),
    OpInfo("roll", lambda x, **kw: x.roll(**kw), lambda x, shifts, dims=None: np.roll(x, shifts, dims),
           [S((5,), shifts=2), S((2, 3), shifts=1, dims=1), S((2, 3), shifts=(1, -1), dims=(0, 1)),
            S((2, 3), shifts=4), S((), shifts=1), S((0, 3), shifts=1, dims=1)],
           int_samples=[S((2, 3), shifts=(1, -1), dims=(0, 1))],
           torch=lambda torch, x, shifts, dims=None: torch.roll(x, shifts, dims)),
    OpInfo("repeat", lambda x, sizes: x.repeat(*sizes), lambda x, sizes: np.tile(x, sizes),
           [S((2, 3), sizes=(2, 1)), S((3,), sizes=(2, 2)), S((), sizes=(3,)),
            S((2, 1), sizes=(1, 3, 2)), S((2, 3), sizes=(0, 1))],
           int_samples=[S((3,), sizes=(2, 2))], torch=lambda torch, x, sizes: x.repeat(*sizes),
           checks="PyTorch's Tensor.repeat (NumPy's tile)"),
    OpInfo("tile", lambda x, reps: ag.tile(x, reps), lambda x, reps: np.tile(x, reps),
           [S((2, 3), reps=2), S((2, 3), reps=(2, 1, 2)), S((3,), reps=(2, 2)), S((), reps=(2,))],
           torch=lambda torch, x, reps: torch.tile(x, (reps,) if isinstance(reps, int) else reps)),
    OpInfo("repeat_interleave", lambda x, **kw: x.repeat_interleave(**kw),
           lambda x, repeats, dim=None: np.repeat(x, repeats, dim),
           [S((3,), repeats=2), S((2, 3), repeats=A([1, 0, 2]), dim=1), S((2, 3), repeats=2),
            S((2, 3), repeats=A([2, 1]), dim=0), S((), repeats=3), S((0, 2), repeats=2, dim=0)],
           int_samples=[S((2, 3), repeats=A([1, 0, 2]), dim=1)],
           torch=lambda torch, x, repeats, dim=None: torch.repeat_interleave(x, repeats, dim=dim),
           checks="NumPy's repeat; repeats summed in backward"),
    OpInfo("tril", lambda x, **kw: x.tril(**kw), _tri_ref("tril"),
           [S((3, 4)), S((3, 4), diagonal=1), S((2, 3, 3), diagonal=-1), S((4, 3), k=2),
            S((1, 1)), S((0, 3))], int_samples=[S((3, 4))], torch=_tri_torch("tril")),
    OpInfo("triu", lambda x, **kw: x.triu(**kw), _tri_ref("triu"),
           [S((3, 4)), S((3, 4), diagonal=1), S((2, 3, 3), diagonal=-1), S((4, 3), k=-2),
            S((1, 1)), S((0, 3))], int_samples=[S((3, 4))], torch=_tri_torch("triu")),
    OpInfo("diagonal", lambda x, **kw: x.diagonal(**kw),
           lambda x, offset=0, dim1=0, dim2=1: np.diagonal(x, offset, dim1, dim2),
           [S((3, 4)), S((3, 4), offset=1), S((3, 4), offset=-2),
            S((2, 3, 4), dim1=1, dim2=2), S((2, 3, 4), offset=1, dim1=2, dim2=0),
            S((2, 5), offset=7), S((1, 1))], int_samples=[S((3, 4), offset=1)],
           torch=lambda torch, x, **kw: torch.diagonal(x, **kw), checks="a read-only view"),
    OpInfo("diagonal_axes", lambda x, **kw: ag.diagonal(x, **kw), np.diagonal,
           [S((2, 3, 4), offset=-1, axis1=-1, axis2=1)], covers=("diagonal",),
           checks="NumPy's axis1/axis2"),
    OpInfo("diag", lambda x, **kw: x.diag(**kw), lambda x, diagonal=0: np.diag(x, diagonal),
           [S((3,)), S((3,), diagonal=1), S((3,), diagonal=-2), S((3, 4)), S((3, 4), diagonal=-1),
            S((1,)), S((0,))], int_samples=[S((3,)), S((3, 4))],
           torch=lambda torch, x, diagonal=0: torch.diag(x, diagonal),
           checks="1-D to a matrix and back"),
    OpInfo("unflatten", lambda x, **kw: x.unflatten(**kw),
           lambda x, dim, sizes: x.reshape(x.shape[:dim % x.ndim] + sizes + x.shape[dim % x.ndim + 1:]),
           [S((2, 12), dim=1, sizes=(3, 4)), S((6,), dim=0, sizes=(2, 3)),
            S((2, 3, 4), dim=-1, sizes=(2, 1, 2)), S((2, 0), dim=1, sizes=(0, 3))],
           torch=lambda torch, x, dim, sizes: x.unflatten(dim, sizes)),
    OpInfo("unflatten_minus_one", lambda x: x.unflatten(0, (2, -1)),
           lambda x: x.reshape((2, -1) + x.shape[1:]), [S((6,)), S((4, 3))], covers=("unflatten",),
           torch=lambda torch, x: x.unflatten(0, (2, -1))),
    OpInfo("movedim", lambda x, **kw: x.movedim(**kw),
           lambda x, source, destination: np.moveaxis(x, source, destination),
           [S((2, 3, 4), source=0, destination=-1), S((2, 3, 4), source=(0, 1), destination=(2, 0)),
            S((2, 3), source=1, destination=0), S((), source=(), destination=())],
           torch=lambda torch, x, source, destination: torch.movedim(x, source, destination)),
    OpInfo("moveaxis", lambda x, **kw: ag.moveaxis(x, **kw), np.moveaxis,
           [S((2, 3, 4), source=-1, destination=0)], covers=("movedim",),
           torch=lambda torch, x, source, destination: torch.moveaxis(x, source, destination)),
    OpInfo("chunk", lambda x, **kw: x.chunk(**kw), _chunk_ref,
           [S((5,), chunks=3), S((6, 2), chunks=4, dim=0), S((2, 7), chunks=2, dim=1),
            S((3,), chunks=5), S((0,), chunks=2)], int_samples=[S((5,), chunks=3)],
           torch=lambda torch, x, chunks, dim=0: torch.chunk(x, chunks, dim),
           checks="views; fewer chunks when the size runs out, as PyTorch"),
    OpInfo("unbind", lambda x, **kw: x.unbind(**kw),
           lambda x, dim=0: tuple(np.moveaxis(x, dim, 0)),
           [S((3, 2)), S((2, 3, 4), dim=1), S((1,)), S((2, 0), dim=0)],
           torch=lambda torch, x, dim=0: torch.unbind(x, dim)),
    OpInfo("narrow", lambda x, **kw: x.narrow(**kw), _narrow_ref,
           [S((5,), dim=0, start=1, length=3), S((2, 6), dim=1, start=-4, length=2),
            S((4, 3), dim=0, start=4, length=0)],
           torch=lambda torch, x, dim, start, length: torch.narrow(x, dim, start, length)),
    OpInfo("cat", lambda *xs, **kw: ag.cat(list(xs), **kw),
           lambda *xs, dim=0: np.concatenate(xs, dim),
           [S((2, 3), (1, 3)), S((2, 3), (2, 1), dim=1), S((2, 0), (2, 3), dim=1), S((1,), (2,))],
           torch=lambda torch, *xs, dim=0: torch.cat(xs, dim), covers=("concatenate",),
           checks="PyTorch's name for concatenate"),
    OpInfo("hstack", lambda *xs: ag.hstack(xs), lambda *xs: np.hstack(xs),
           [S((2,), (3,)), S((2, 3), (2, 1)), S((), ()), S((2, 1, 3), (2, 2, 3))],
           torch=lambda torch, *xs: torch.hstack(xs)),
    OpInfo("vstack", lambda *xs: ag.vstack(xs), lambda *xs: np.vstack(xs),
           [S((2,), (2,)), S((1, 3), (2, 3)), S((), ()), S((3,), (2, 3))],
           torch=lambda torch, *xs: torch.vstack(xs)),
    OpInfo("meshgrid", lambda *xs, **kw: ag.meshgrid(*xs, **kw),
           lambda *xs, indexing="ij": tuple(np.meshgrid(*xs, indexing=indexing)),
           [S((2,), (3,)), S((2,), (3,), indexing="xy"), S((2,), (3,), (4,)),
            S((2,), (3,), (2,), indexing="xy"), S((3,)), S((), (2,))],
           torch=lambda torch, *xs, indexing="ij": torch.meshgrid(*xs, indexing=indexing),
           checks="read-only broadcast views; indexing='ij' by default, as PyTorch"),
    OpInfo("einsum", lambda *xs, subscripts: ag.einsum(subscripts, *xs),
           lambda *xs, subscripts: np.einsum(subscripts, *xs), EINSUM,
           torch=lambda torch, *xs, subscripts: torch.einsum(subscripts, *xs),
           checks="'...', implicit output, traces and diagonals, size-1 broadcasting"),
    OpInfo("tensordot", lambda x, y, **kw: ag.tensordot(x, y, **kw), np.tensordot,
           [S((2, 3, 4), (3, 4, 5)), S((2, 3, 4), (4, 3, 5), axes=1),
            S((2, 3, 4), (3, 2), axes=([1, 0], [0, 1])), S((3,), (3,), axes=1),
            S((2, 3), (4,), axes=0)],
           torch=lambda torch, x, y, axes=2: torch.tensordot(x, y, dims=axes)),
    OpInfo("outer", lambda x, y: x.outer(y), np.outer, [S((3,), (2,)), S((1,), (4,)), S((0,), (3,))],
           torch=lambda torch, x, y: torch.outer(x, y)),
    OpInfo("dot", lambda x, y: x.dot(y), np.dot, [S((3,), (3,)), S((1,), (1,)), S((0,), (0,))],
           torch=lambda torch, x, y: torch.dot(x, y), checks="1-D: PyTorch's dot"),
    OpInfo("dot_numpy", lambda x, y: ag.dot(x, y), np.dot,
           [S((2, 3), (3, 4)), S((2, 3), (3,)), S((), (3,)), S((2, 3, 4), (4,)),
            S((2, 3, 4), (5, 4, 2)), S((3,), (3, 2))], covers=("dot",),
           checks="NumPy's dot beyond 1-D"),
    OpInfo("bmm", lambda x, y: x.bmm(y), np.matmul,
           [S((2, 3, 4), (2, 4, 5)), S((1, 1, 1), (1, 1, 1)), S((0, 2, 3), (0, 3, 1))],
           torch=lambda torch, x, y: torch.bmm(x, y)),
]
