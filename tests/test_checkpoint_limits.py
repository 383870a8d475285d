"""nn.load's limits: a file whose .npy headers declare more than max_bytes is refused
before anything is allocated, and a damaged or hostile nested checkpoint is refused
with a clear error (issue 14)."""
import io
import json
import zipfile

import numpy as np
import pytest

import nn
from nn.serialization import FORMAT_KEY, TREE_KEY
from test_serialization import _assert_refused


# -- size limits: refused from the .npy headers, before anything is allocated --------------
def _npy_header(shape, dtype="<f8"):
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": dtype, "fortran_order": False,
                                               "shape": shape})
    return buf.getvalue()   # the magic string, then the header


def _zip(path, members, compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def _marker(version=1):
    buf = io.BytesIO()
    np.save(buf, np.array(version, dtype=np.int64))
    return buf.getvalue()


def test_a_header_declaring_terabytes_is_refused_before_allocating(tmp_path, monkeypatch):
    path = tmp_path / "huge.npz"
    _zip(path, {"weight.npy": _npy_header((1 << 40,)) + b"\0" * 64,
                FORMAT_KEY + ".npy": _marker()})

    def no_reading(*args, **kwargs):
        raise AssertionError("an array was read")
    monkeypatch.setattr(np.lib.format, "read_array", no_reading)
    with pytest.raises(ValueError) as info:
        nn.load(path)
    msg = str(info.value)
    assert "entry 'weight'" in msg and "(1099511627776,)" in msg
    assert "8,796,093,022,208 bytes" in msg and "max_bytes" in msg


def test_a_compressed_bomb_is_refused_under_max_bytes(tmp_path, monkeypatch):
    path = tmp_path / "bomb.npz"
    zeros = io.BytesIO()
    np.save(zeros, np.zeros(8 << 20))                      # 64 MiB of zeros
    _zip(path, {"w.npy": zeros.getvalue(), FORMAT_KEY + ".npy": _marker()},
         compression=zipfile.ZIP_DEFLATED)
    assert path.stat().st_size < 200_000
    with pytest.raises(ValueError, match=r"entry 'w' declares an array of shape "
                                         r"\(8388608,\) float64 \(67,108,864 bytes\)"):
        nn.load(path, max_bytes=64 << 20)
    assert nn.load(path, max_bytes=(64 << 20) + 8)["w"].shape == (8 << 20,)


def test_the_limit_counts_every_entry_and_scales_with_the_file(tmp_path, monkeypatch):
    path = tmp_path / "many.npz"
    nn.save({f"w{i}": np.ones(1000) for i in range(10)}, path)      # 80,000 bytes of arrays
    with pytest.raises(ValueError, match="80,008 bytes in all"):    # the marker's 8 too
        nn.load(path, max_bytes=80_000)
    assert len(nn.load(path, max_bytes=80_008)) == 10
    import nn.serialization as ser
    monkeypatch.setattr(ser, "DEFAULT_MAX_BYTES", 1000)              # 100x the file's size
    assert len(nn.load(path)) == 10
    monkeypatch.setattr(ser, "DEFAULT_MAX_BYTES", 1000)
    small = tmp_path / "small.npz"
    _zip(small, {"w.npy": _npy_header((1 << 20,)), FORMAT_KEY + ".npy": _marker()})
    with pytest.raises(ValueError, match="entry 'w'"):
        nn.load(small)


@pytest.mark.parametrize("max_bytes,error", [(-1, ValueError), (float("nan"), ValueError),
                                             ("1GB", TypeError), (True, TypeError)])
def test_max_bytes_must_be_a_number_of_bytes(tmp_path, max_bytes, error):
    nn.save({"w": np.ones(2)}, tmp_path / "w.npz")
    with pytest.raises(error, match="max_bytes"):
        nn.load(tmp_path / "w.npz", max_bytes=max_bytes)


# -- damaged nested files are refused --------------------------------------------------------
def _tree_file(path, tree, arrays=(), version=2):
    members = {FORMAT_KEY + ".npy": _marker(version)}
    buf = io.BytesIO()
    np.save(buf, np.frombuffer(json.dumps(tree).encode(), dtype=np.uint8))
    members[TREE_KEY + ".npy"] = buf.getvalue()
    for name in arrays:
        buf = io.BytesIO()
        np.save(buf, np.ones(2))
        members[name + ".npy"] = buf.getvalue()
    _zip(path, members)


def test_the_marker_helper_writes_what_it_says(tmp_path):
    path = tmp_path / "m.npz"
    _tree_file(path, {"version": 2, "tree": {"list": [1, {"array": "a"}]}}, ["a"])
    out = nn.load(path)
    assert out[0] == 1 and out[1].tolist() == [1.0, 1.0]


@pytest.mark.parametrize("doc,arrays,words", [
    ({"version": 2, "tree": {"set": [1]}}, [], "an unknown node at the top level"),
    ({"version": 2, "tree": {"list": [{"array": "b"}]}}, ["a"], "missing or reused entry 'b'"),
    ({"version": 2, "tree": {"list": [{"array": "a"}, {"array": "a"}]}}, ["a"], "reused"),
    ({"version": 2, "tree": {"list": []}}, ["a"], "entries ['a'] are not in the structure"),
    ({"version": 2, "tree": {"dict": [["k", 1], ["k", 2]]}}, [], "repeated key"),
    ({"version": 2, "tree": {"dict": [[["k"], 1]]}}, [], "bad or repeated key"),
    ({"version": 3, "tree": 1}, [], "no tree of format 2"),
    ({"version": 2, "tree": {"list": [{"list": [{"list": []}]}] * 2}}, [], None),
])
def test_damaged_structures_are_refused(tmp_path, doc, arrays, words):
    path = tmp_path / "d.npz"
    _tree_file(path, doc, arrays)
    if words is None:            # the control: a well-formed tree loads
        assert nn.load(path) == [[[]], [[]]]
        return
    _assert_refused(path, "the structure is damaged", words)


def test_deeply_nested_or_non_json_trees_are_refused(tmp_path):
    path = tmp_path / "deep.npz"
    deep = 1
    for _ in range(100):
        deep = {"list": [deep]}
    _tree_file(path, {"version": 2, "tree": deep})
    _assert_refused(path, "nested more than 64 levels")
    members = {FORMAT_KEY + ".npy": _marker(2)}
    buf = io.BytesIO()
    np.save(buf, np.frombuffer(b"[" * 100_000, dtype=np.uint8))
    members[TREE_KEY + ".npy"] = buf.getvalue()
    _zip(path, members)
    _assert_refused(path, "the structure is damaged")
    with pytest.raises(ValueError, match="nested more than 64 levels"):
        nn.save(deep, tmp_path / "x.npz")


def test_members_that_are_not_arrays_and_unknown_markers_are_refused(tmp_path):
    path = tmp_path / "odd.npz"
    _zip(path, {"readme.txt": b"hello", FORMAT_KEY + ".npy": _marker()})
    _assert_refused(path, "entry 'readme.txt' is not a .npy array")
    _tree_file(path, {"version": 2, "tree": 1}, version=7)
    _assert_refused(path, "unknown format marker")
