"""Checkpoints as NumPy ``.npz`` files: arrays and plain values, never pickle.

``nn.save`` takes a state dict (name -> array) or a whole training run: a
nested structure of dicts, lists, tuples, arrays, Tensors, str, int, float,
bool and None (the model's, the optimizer's and the scheduler's state dicts,
the epoch, the metrics, the random generator's state).

The file is a zip of ``.npy`` arrays, as ``np.savez`` writes it, with a format
marker so that a stray ``.npz`` is not mistaken for a checkpoint:

- a flat state dict (string keys, array or Tensor values) is one entry per key
  and the marker 1 (the first format, unchanged);
- anything else is one entry per array, named by where it sits
  (``model/fc.weight``, ``optimizer/state/0/exp_avg``), the marker 2, and the
  structure as JSON text (an array of bytes) in which each array is a
  reference to its entry. Tuples, int keys and NaN come back as they went in.

Files are written atomically (a temporary file in the same folder, then a
rename). ``nn.load`` reads every entry's ``.npy`` header first and refuses, before
allocating anything, a file whose arrays would take more than ``max_bytes``;
it reads with ``allow_pickle=False``, so loading never runs code from the file.
"""
from __future__ import annotations

import json
import math
import numbers
import os
import secrets
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Mapping

import numpy as np

from autograd import Tensor

FORMAT_KEY = "__nn_checkpoint_format__"
TREE_KEY = "__nn_checkpoint_tree__"
FLAT_FORMAT, TREE_FORMAT = 1, 2
FORMAT_VERSION = FLAT_FORMAT  # the format of a flat state dict
DEFAULT_MAX_BYTES = 4 << 30   # or 100 times the file's size, whichever is larger
MAX_DEPTH = 64                # nesting; a training run's state is a few levels deep
_KINDS = "biuf"               # bool, int, unsigned, float arrays
_SCALARS = (str, bool, int, float, type(None))
_SUPPORTED = "dicts, lists, tuples, arrays, Tensors, str, int, float, bool and None"


# -- writing -----------------------------------------------------------------------------
def _numeric(where: str, arr: np.ndarray) -> np.ndarray:
    if arr.dtype.kind not in _KINDS:
        raise TypeError(f"nn.save: {where} has dtype {arr.dtype}; only numeric arrays can "
                        "be saved")
    return arr


def _is_flat_state_dict(obj) -> bool:
    return isinstance(obj, Mapping) and all(
        isinstance(k, str) and k not in (FORMAT_KEY, TREE_KEY)
        and isinstance(v, (np.ndarray, Tensor)) for k, v in obj.items())


def _where(path) -> str:
    return "".join(f"[{p!r}]" for p in path) or "the top level"


class _Encoder:
    """Turns a nested structure into JSON-ready nodes, collecting its arrays."""

    def __init__(self):
        self.arrays = OrderedDict()
        self.active = set()   # ids of the containers on the current path (cycles)

    def entry_name(self, path) -> str:
        base = "/".join(str(p) for p in path) or "array"
        name, n = base, 1
        while name in self.arrays or name in (FORMAT_KEY, TREE_KEY):
            n += 1
            name = f"{base}~{n}"
        return name

    def encode(self, obj, path=()):
        if len(path) > MAX_DEPTH:
            raise ValueError(f"nn.save: the structure is nested more than {MAX_DEPTH} levels "
                             f"deep at {_where(path[:3])}...")
        if isinstance(obj, (Tensor, np.ndarray)):
            arr = _numeric(f"the array at {_where(path)}",
                           obj.data if isinstance(obj, Tensor) else obj)
            name = self.entry_name(path)
            self.arrays[name] = arr
            return {"array": name}
        if isinstance(obj, np.generic) and obj.dtype.kind in _KINDS:
            obj = obj.item()   # NumPy scalars are saved as Python numbers
        if isinstance(obj, _SCALARS):
            return float(obj) if isinstance(obj, float) else obj
        if isinstance(obj, (Mapping, list, tuple)):
            if id(obj) in self.active:
                raise ValueError(f"nn.save: the structure contains itself at {_where(path)}")
            self.active.add(id(obj))
            try:
                if isinstance(obj, Mapping):
                    return {"dict": [[self.key(k, path), self.encode(v, path + (k,))]
                                     for k, v in obj.items()]}
                items = [self.encode(v, path + (i,)) for i, v in enumerate(obj)]
                return {"tuple" if isinstance(obj, tuple) else "list": items}
            finally:
                self.active.discard(id(obj))
        if callable(getattr(obj, "state_dict", None)):
            what = "module" if _is_module(obj) else "obj"
            raise TypeError(f"nn.save: got a {type(obj).__name__} object at {_where(path)}; "
                            f"save its state dict instead: nn.save({what}.state_dict(), path)"
                            " (a checkpoint holds arrays and plain values, never objects)")
        raise TypeError(f"nn.save: {_where(path)} is a {type(obj).__name__}; checkpoints hold "
                        f"{_SUPPORTED}")

    @staticmethod
    def key(k, path):
        if isinstance(k, np.generic) and k.dtype.kind in _KINDS:
            k = k.item()
        if not isinstance(k, _SCALARS):
            raise TypeError(f"nn.save: the key {k!r} at {_where(path)} is a "
                            f"{type(k).__name__}; keys are str, int, float, bool or None")
        return k


def _is_module(obj) -> bool:
    from .module import Module
    return isinstance(obj, Module)


def _write_npz(f, arrays) -> None:
    """What ``np.savez(f, **arrays)`` writes, for any key (savez takes ``file`` and
    ``allow_pickle`` for its own arguments)."""
    with zipfile.ZipFile(f, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        for key, arr in arrays.items():
            with zf.open(key + ".npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asanyarray(arr), allow_pickle=False)


def save(obj, path) -> None:
    """Write a state dict, or a nested structure of them, to ``path`` (``.npz``).

    ``obj`` holds dicts, lists, tuples, arrays, Tensors (saved as their
    arrays), str, int, float, bool and None; ``nn.load`` gives it back.
    The file is replaced atomically: readers see the old one or the new one.

    >>> import os, tempfile, nn, optim
    >>> path = os.path.join(tempfile.mkdtemp(), "model.npz")
    >>> nn.save(nn.Linear(3, 2).state_dict(), path)
    >>> sorted(nn.load(path))
    ['bias', 'weight']
    >>> model = nn.Linear(3, 2)
    >>> opt = optim.Adam(model.parameters(), lr=1e-3)
    >>> nn.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
    ...          "epoch": 3, "metrics": {"loss": [0.9, 0.5]}}, path)
    >>> run = nn.load(path)
    >>> run["epoch"], run["metrics"], run["optimizer"]["param_groups"][0]["betas"]
    (3, {'loss': [0.9, 0.5]}, (0.9, 0.999))
    """
    if _is_flat_state_dict(obj):   # the first format, byte for byte
        arrays = OrderedDict((k, _numeric(f"entry {k!r}", v.data if isinstance(v, Tensor)
                                          else v)) for k, v in obj.items())
        arrays[FORMAT_KEY] = np.array(FLAT_FORMAT, dtype=np.int64)
    else:
        encoder = _Encoder()
        tree = encoder.encode(obj)
        arrays = encoder.arrays
        text = json.dumps({"version": TREE_FORMAT, "tree": tree}, allow_nan=True)
        arrays[TREE_KEY] = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
        arrays[FORMAT_KEY] = np.array(TREE_FORMAT, dtype=np.int64)
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    # "x": created here, exclusively, with the mode the umask gives (mkstemp's is 0600)
    tmp = os.path.join(folder, f".tmp-{secrets.token_hex(8)}.npz")
    try:
        with open(tmp, "xb") as f:
            _write_npz(f, arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)  # readers see the old file or the new one, never half of one
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


# -- reading -----------------------------------------------------------------------------
def _not_a_checkpoint(path, why: str) -> ValueError:
    return ValueError(f"{os.fspath(path)} is not a checkpoint saved by nn.save: {why}")


# What NumPy and zipfile raise on damaged or foreign files.
_READ_ERRORS = (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error, KeyError)


def _limit(path, max_bytes) -> int:
    if max_bytes is None:
        return max(DEFAULT_MAX_BYTES, 100 * os.path.getsize(path))
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, numbers.Real):
        raise TypeError(f"nn.load: max_bytes must be a number of bytes or None, got "
                        f"{type(max_bytes).__name__}")
    if not max_bytes >= 0:
        raise ValueError(f"nn.load: max_bytes must be >= 0, got {max_bytes!r}")
    return max_bytes


def _declared(path, archive) -> OrderedDict:
    """Entry name -> (shape, dtype), from each ``.npy`` header alone."""
    out = OrderedDict()
    members = set(archive.zip.namelist())
    for name in archive.files:
        member = name + ".npy"
        if member not in members:
            raise _not_a_checkpoint(path, f"entry {name!r} is not a .npy array")
        try:
            with archive.zip.open(member) as f:
                version = np.lib.format.read_magic(f)
                if version == (1, 0):
                    shape, _, dtype = np.lib.format.read_array_header_1_0(f)
                elif version == (2, 0):
                    shape, _, dtype = np.lib.format.read_array_header_2_0(f)
                else:
                    raise ValueError(f".npy format version {version} is not read here")
        except _READ_ERRORS as err:
            raise _not_a_checkpoint(path, f"entry {name!r}: {_describe(err)}") from None
        if dtype.hasobject:
            raise _not_a_checkpoint(path, f"entry {name!r}: it holds an object array (pickled "
                                    "Python objects), which is never loaded")
        if dtype.kind not in _KINDS:
            raise _not_a_checkpoint(path, f"entry {name!r} has dtype {dtype}, not a number")
        out[name] = (shape, dtype)
    return out


def _check_size(path, declared, limit) -> None:
    sizes = {name: math.prod(shape) * dtype.itemsize for name, (shape, dtype) in
             declared.items()}
    total = sum(sizes.values())
    if total > limit:
        name = max(sizes, key=sizes.get)
        shape, dtype = declared[name]
        raise ValueError(
            f"nn.load: {os.fspath(path)}: entry {name!r} declares an array of shape {shape} "
            f"{dtype} ({sizes[name]:,} bytes), and the file's arrays {total:,} bytes in all, "
            f"over the limit of {limit:,} bytes; nothing was allocated. If you trust the "
            f"file, pass a larger max_bytes (the default is the larger of "
            f"{DEFAULT_MAX_BYTES:,} bytes and 100 times the file's size)")


def load(path, max_bytes: int | None = None):
    """Read a checkpoint written by ``save``.

    A flat state dict comes back as an ordered dict name -> ndarray; a nested
    structure as it was saved (Tensors as ndarrays, NumPy scalars as Python
    numbers). Object arrays, pickles, truncated files and other ``.npz`` files
    are refused with a ``ValueError``; nothing in the file is ever executed.
    So is, before anything is allocated, a file whose arrays would take more
    than ``max_bytes`` (default: the larger of 4 GiB and 100 times the file's
    size), read from the ``.npy`` headers.

    >>> import os, tempfile, numpy as np, nn
    >>> path = os.path.join(tempfile.mkdtemp(), "state.npz")
    >>> nn.save({"w": np.arange(3.0)}, path)
    >>> nn.load(path)
    OrderedDict([('w', array([0., 1., 2.]))])
    >>> nn.load(path, max_bytes=16)   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: nn.load: ...: entry 'w' declares an array of shape (3,) float64 (24 bytes)...
    """
    if not os.path.isfile(path):
        raise FileNotFoundError(f"nn.load: no such file: {os.fspath(path)}")
    limit = _limit(path, max_bytes)
    try:
        archive = np.load(path, allow_pickle=False)
    except _READ_ERRORS as err:
        raise _not_a_checkpoint(path, _describe(err)) from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise _not_a_checkpoint(path, "it is a single .npy array, not an .npz archive")
    with archive:
        declared = _declared(path, archive)
        if FORMAT_KEY not in declared:
            raise _not_a_checkpoint(path, f"the format marker {FORMAT_KEY!r} is missing")
        _check_size(path, declared, limit)
        arrays = OrderedDict()
        for key in declared:
            try:
                arrays[key] = archive[key]
            except _READ_ERRORS as err:
                raise _not_a_checkpoint(path, f"entry {key!r}: {_describe(err)}") from None
    marker = arrays.pop(FORMAT_KEY)
    version = int(marker) if marker.shape == () and marker.dtype.kind in "iu" else None
    if version == FLAT_FORMAT and TREE_KEY not in arrays:
        return arrays
    if version != TREE_FORMAT or TREE_KEY not in arrays:
        raise _not_a_checkpoint(path, f"unknown format marker {marker!r}")
    return _Decoder(path, arrays).run()


class _Decoder:
    """Rebuilds the saved structure from the JSON tree and the arrays it refers to."""

    def __init__(self, path, arrays):
        self.path, self.arrays, self.used = path, arrays, set()

    def bad(self, why):
        return _not_a_checkpoint(self.path, f"the structure is damaged: {why}")

    def run(self):
        raw = self.arrays.pop(TREE_KEY)
        if raw.dtype != np.uint8 or raw.ndim != 1:
            raise self.bad(f"{TREE_KEY!r} is not text")
        try:
            doc = json.loads(raw.tobytes().decode("utf-8"))
        except (ValueError, RecursionError) as err:
            raise self.bad(f"{type(err).__name__}: {err}") from None
        if not isinstance(doc, dict) or doc.get("version") != TREE_FORMAT or "tree" not in doc:
            raise self.bad("no tree of format 2")
        out = self.node(doc["tree"], ())
        unused = [k for k in self.arrays if k not in self.used]
        if unused:
            raise self.bad(f"entries {unused} are not in the structure")
        return out

    def node(self, node, path):
        if len(path) > MAX_DEPTH:
            raise self.bad(f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, _SCALARS):
            return node
        if isinstance(node, dict) and len(node) == 1:
            (tag, body), = node.items()
            if tag == "array" and isinstance(body, str):
                if body not in self.arrays or body in self.used:
                    raise self.bad(f"{_where(path)} refers to a missing or reused entry "
                                   f"{body!r}")
                self.used.add(body)
                return self.arrays[body]
            if tag in ("list", "tuple") and isinstance(body, list):
                items = [self.node(v, path + (i,)) for i, v in enumerate(body)]
                return tuple(items) if tag == "tuple" else items
            if tag == "dict" and isinstance(body, list):
                out = {}
                for pair in body:
                    if not (isinstance(pair, list) and len(pair) == 2
                            and isinstance(pair[0], _SCALARS)) or pair[0] in out:
                        raise self.bad(f"a bad or repeated key at {_where(path)}")
                    out[pair[0]] = self.node(pair[1], path + (pair[0],))
                return out
        raise self.bad(f"an unknown node at {_where(path)}")


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
