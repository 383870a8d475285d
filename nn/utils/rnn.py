"""Batches of sequences of different lengths: ``pad_sequence`` and its masks.

A transformer or attention layer takes the padded batch with a
``key_padding_mask`` (True where a position is padding, PyTorch's convention).
"""
from __future__ import annotations

import numpy as np

import autograd as ag
from autograd import Tensor


def pad_sequence(sequences, batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    """Stack tensors of shapes ``(L_i, *)`` into one of shape ``(L_max, B, *)`` (or
    ``(B, L_max, *)`` with ``batch_first``), filling with ``padding_value`` on the
    ``padding_side`` ('right' or 'left'); the gradient flows back to each sequence.

    >>> import autograd as ag
    >>> from nn.utils.rnn import pad_sequence
    >>> a, b = ag.Tensor([1.0, 2.0, 3.0]), ag.Tensor([4.0])
    >>> pad_sequence([a, b], batch_first=True).tolist()
    [[1.0, 2.0, 3.0], [4.0, 0.0, 0.0]]
    >>> pad_sequence([a, b], padding_value=-1.0, padding_side="left").shape
    (3, 2)
    """
    if padding_side not in ("right", "left"):
        raise ValueError(f"pad_sequence: padding_side must be 'right' or 'left', got "
                         f"{padding_side!r}")
    seqs = [s if isinstance(s, Tensor) else ag.Tensor(np.asarray(s)) for s in sequences]
    if not seqs:
        raise ValueError("pad_sequence: got no sequences")
    trailing = seqs[0].shape[1:]
    for i, s in enumerate(seqs):
        if s.ndim == 0 or s.shape[1:] != trailing:
            raise ValueError(f"pad_sequence: sequence {i} has shape {s.shape}; every sequence "
                             f"must have shape (L, *{trailing}) like sequence 0")
    longest = max(len(s) for s in seqs)
    padded = []
    for s in seqs:
        extra = longest - len(s)
        width = ((0, extra) if padding_side == "right" else (extra, 0),) + \
            ((0, 0),) * len(trailing)
        padded.append(ag.pad(s, width, constant_values=padding_value) if extra else s)
    return ag.stack(padded, axis=0 if batch_first else 1)


def key_padding_mask(lengths, max_len: int | None = None,
                     padding_side: str = "right") -> np.ndarray:
    """A bool array of shape ``(B, max_len)``, True at the padded positions of each
    sequence (PyTorch's ``key_padding_mask`` convention); ``max_len`` defaults to
    the longest length.

    >>> from nn.utils.rnn import key_padding_mask
    >>> key_padding_mask([3, 1]).tolist()
    [[False, False, False], [False, True, True]]
    """
    lengths = np.asarray(lengths.data if isinstance(lengths, Tensor) else lengths)
    if lengths.ndim != 1 or lengths.dtype.kind not in "iu" or (lengths < 0).any():
        raise ValueError(f"key_padding_mask: lengths must be a 1-d array of non-negative "
                         f"integers, got {lengths!r}")
    longest = int(lengths.max(initial=0))
    max_len = longest if max_len is None else int(max_len)
    if max_len < longest:
        raise ValueError(f"key_padding_mask: max_len {max_len} is shorter than the "
                         f"longest length {longest}")
    pos = np.arange(max_len)
    if padding_side == "left":
        return pos[None, :] < (max_len - lengths)[:, None]
    if padding_side != "right":
        raise ValueError(f"key_padding_mask: padding_side must be 'right' or 'left', got "
                         f"{padding_side!r}")
    return pos[None, :] >= lengths[:, None]


def sequence_mask(lengths, max_len: int | None = None,
                  padding_side: str = "right") -> np.ndarray:
    """The complement of ``key_padding_mask``: True at the real positions.

    >>> from nn.utils.rnn import sequence_mask
    >>> sequence_mask([1, 2], max_len=3).astype(int).tolist()
    [[1, 0, 0], [1, 1, 0]]
    """
    return ~key_padding_mask(lengths, max_len, padding_side)


__all__ = ["pad_sequence", "key_padding_mask", "sequence_mask"]
