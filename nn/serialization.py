"""Save and load state dicts as NumPy ``.npz`` files: arrays only, never pickle.

A checkpoint holds one array per state-dict entry plus a format marker, so a
stray ``.npz`` is not mistaken for one. Files are written atomically (a
temporary file in the same folder, then a rename) and read with
``allow_pickle=False``, so loading never runs code from the file.
"""
from __future__ import annotations

import os
import secrets
import zipfile
import zlib
from collections import OrderedDict

import numpy as np

from autograd import Tensor

FORMAT_KEY = "__nn_checkpoint_format__"
FORMAT_VERSION = 1


def _as_array(key, value) -> np.ndarray:
    arr = value.data if isinstance(value, Tensor) else np.asarray(value)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"nn.save: entry {key!r} has dtype {arr.dtype}; only numeric "
                        "arrays can be saved")
    return arr


def save(state_dict, path) -> None:
    """Write ``state_dict`` (name -> ndarray or Tensor) to ``path`` as ``.npz``.

    >>> import os, tempfile, nn
    >>> path = os.path.join(tempfile.mkdtemp(), "model.npz")
    >>> nn.save(nn.Linear(3, 2).state_dict(), path)
    >>> sorted(nn.load(path))
    ['bias', 'weight']
    """
    arrays = OrderedDict()
    for key, value in state_dict.items():
        if not isinstance(key, str) or key == FORMAT_KEY:
            raise ValueError(f"nn.save: bad key {key!r} (keys are strings, not {FORMAT_KEY!r})")
        arrays[key] = _as_array(key, value)
    arrays[FORMAT_KEY] = np.array(FORMAT_VERSION, dtype=np.int64)
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    # "x": created here, exclusively, with the mode the umask gives (mkstemp's is 0600)
    tmp = os.path.join(folder, f".tmp-{secrets.token_hex(8)}.npz")
    try:
        with open(tmp, "xb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)  # readers see the old file or the new one, never half of one
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _not_a_checkpoint(path, why: str) -> ValueError:
    return ValueError(f"{os.fspath(path)} is not a checkpoint saved by nn.save: {why}")


# What NumPy and zipfile raise on damaged or foreign files.
_READ_ERRORS = (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error, KeyError)


def load(path) -> OrderedDict:
    """Read a checkpoint written by ``save``: an ordered dict name -> ndarray.

    Object arrays, pickles, truncated files and other ``.npz`` files are
    refused with a ``ValueError``; nothing in the file is ever executed.

    >>> import os, tempfile, numpy as np, nn
    >>> path = os.path.join(tempfile.mkdtemp(), "state.npz")
    >>> nn.save({"w": np.arange(3.0)}, path)
    >>> nn.load(path)
    OrderedDict([('w', array([0., 1., 2.]))])
    """
    if not os.path.isfile(path):
        raise FileNotFoundError(f"nn.load: no such file: {os.fspath(path)}")
    try:
        archive = np.load(path, allow_pickle=False)
    except _READ_ERRORS as err:
        raise _not_a_checkpoint(path, _describe(err)) from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise _not_a_checkpoint(path, "it is a single .npy array, not an .npz archive")
    with archive:
        if FORMAT_KEY not in archive.files:
            raise _not_a_checkpoint(path, f"the format marker {FORMAT_KEY!r} is missing")
        out = OrderedDict()
        for key in archive.files:
            try:
                arr = archive[key]
            except _READ_ERRORS as err:
                raise _not_a_checkpoint(path, f"entry {key!r}: {_describe(err)}") from None
            if key != FORMAT_KEY:
                out[key] = arr
    return out


def _describe(err: Exception) -> str:
    text = str(err)
    if "Object arrays" in text:
        return "it holds an object array (pickled Python objects), which is never loaded"
    if "pickle" in text:
        return ("it is neither an .npz archive nor a .npy array (perhaps a pickle, "
                "which is never loaded)")
    if isinstance(err, (zipfile.BadZipFile, EOFError, zlib.error)):
        return f"the archive is damaged or truncated ({type(err).__name__}: {text})"
    return f"{type(err).__name__}: {text}"
