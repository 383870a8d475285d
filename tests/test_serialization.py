"""nn.save / nn.load: round trips with buffers, atomic writes, and refusing every
file that is not a checkpoint (pickles above all) without running its code."""
import io
import os
import pathlib
import pickle
import zipfile

import numpy as np
import pytest

import nn
from nn.serialization import FORMAT_KEY


def model():
    return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))


def test_round_trip_keeps_parameters_buffers_order_and_dtypes(tmp_path):
    a = model()
    a(np.random.default_rng(0).normal(size=(8, 3)).astype(np.float32))  # moves running stats
    path = tmp_path / "ckpt.npz"
    nn.save(a.state_dict(), path)
    loaded = nn.load(path)
    assert list(loaded) == list(a.state_dict())
    assert loaded["1.num_batches_tracked"].dtype == np.int64
    b = model()
    b.load_state_dict(loaded)
    for k, v in a.state_dict().items():
        np.testing.assert_array_equal(b.state_dict()[k], v)
        assert b.state_dict()[k].dtype == v.dtype
    x = np.ones((2, 3), dtype=np.float32)
    np.testing.assert_array_equal(a.eval()(x).data, b.eval()(x).data)


def test_save_accepts_tensors_and_str_paths(tmp_path):
    fc = nn.Linear(2, 2)
    nn.save({"w": fc.weight}, str(tmp_path / "t.npz"))
    np.testing.assert_array_equal(nn.load(str(tmp_path / "t.npz"))["w"], fc.weight.data)


def test_save_is_atomic_and_leaves_no_temporary_files(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    nn.save({"w": np.ones(3)}, path)
    with pytest.raises(TypeError, match="'bad'"):
        nn.save({"w": np.zeros(3), "bad": np.array([object()])}, path)

    def broken_savez(f, **arrays):
        f.write(b"PK\x03\x04 half a zip")
        raise OSError("disk full")
    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(OSError, match="disk full"):
        nn.save({"w": np.zeros(3)}, path)
    monkeypatch.undo()
    np.testing.assert_array_equal(nn.load(path)["w"], np.ones(3))  # old file intact
    assert sorted(os.listdir(tmp_path)) == ["model.npz"]


def test_save_rejects_the_marker_key_and_non_string_keys(tmp_path):
    with pytest.raises(ValueError):
        nn.save({FORMAT_KEY: np.ones(1)}, tmp_path / "x.npz")
    with pytest.raises(ValueError):
        nn.save({3: np.ones(1)}, tmp_path / "x.npz")


class _TouchOnUnpickle:
    """Unpickling this creates a file: the side effect nn.load must never cause."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (pathlib.Path.touch, (pathlib.Path(self.path),))


def _npz_with(path, **arrays):
    """Write an .npz by hand (np.savez refuses nothing, but be explicit about pickles)."""
    with zipfile.ZipFile(path, "w") as zf:
        for name, arr in arrays.items():
            buf = io.BytesIO()
            np.save(buf, arr, allow_pickle=True)
            zf.writestr(name + ".npy", buf.getvalue())


def _assert_refused(path, *words):
    with pytest.raises(ValueError) as info:
        nn.load(path)
    msg = str(info.value)
    assert "is not a checkpoint saved by nn.save" in msg and str(path) in msg
    assert "pickled data" not in msg and "allow_pickle" not in msg
    for w in words:
        assert w in msg
    return msg


def test_malicious_object_array_is_refused_without_running_code(tmp_path):
    marker = tmp_path / "pwned"
    evil = np.empty(1, dtype=object)
    evil[0] = _TouchOnUnpickle(marker)
    path = tmp_path / "evil.npz"
    _npz_with(path, **{FORMAT_KEY: np.array(1), "weight": evil})
    assert pickle.loads(pickle.dumps(evil[0])) is None and marker.exists()  # the payload works
    marker.unlink()
    _assert_refused(path, "'weight'", "object array")
    assert not marker.exists()


def test_plain_pickle_file_is_refused_without_running_code(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "model.npz"
    path.write_bytes(pickle.dumps({"weight": _TouchOnUnpickle(marker)}))
    _assert_refused(path, "a pickle")
    assert not marker.exists()


def test_truncated_checkpoint_is_refused(tmp_path):
    path = tmp_path / "model.npz"
    nn.save(model().state_dict(), path)
    data = path.read_bytes()
    for cut in (len(data) // 2, 40):
        path.write_bytes(data[:cut])
        _assert_refused(path)


def test_other_files_are_refused(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not an array")
    _assert_refused(text)
    npy = tmp_path / "one.npy"
    np.save(npy, np.ones(3))
    _assert_refused(npy, ".npy")
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, weight=np.ones(2))
    _assert_refused(foreign, "format marker")
    empty = tmp_path / "empty.npz"
    empty.write_bytes(b"")
    _assert_refused(empty)
    with pytest.raises(FileNotFoundError):
        nn.load(tmp_path / "missing.npz")


def test_saved_file_has_a_normal_mode_under_the_umask(tmp_path):
    import os
    import stat
    old = os.umask(0o022)
    try:
        path = tmp_path / "m.npz"
        nn.save({"w": np.ones(2)}, path)
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o644
    finally:
        os.umask(old)
