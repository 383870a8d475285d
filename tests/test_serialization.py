"""nn.save / nn.load: round trips with buffers, atomic writes, refusing every file that
is not a checkpoint (pickles above all) without running its code, and whole training
runs in one file, resumed bit for bit (size limits: test_checkpoint_limits.py)."""
import io
import os
import pathlib
import pickle
import zipfile
from collections import OrderedDict

import numpy as np
import pytest

import autograd as ag
import nn
import optim
from nn.serialization import FORMAT_KEY, TREE_KEY


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

    def broken_write(f, arr, **kwargs):
        f.write(b"\x93NUMPY half an array")
        raise OSError("disk full")
    monkeypatch.setattr(np.lib.format, "write_array", broken_write)
    with pytest.raises(OSError, match="disk full"):
        nn.save({"w": np.zeros(3)}, path)
    monkeypatch.undo()
    np.testing.assert_array_equal(nn.load(path)["w"], np.ones(3))  # old file intact
    assert sorted(os.listdir(tmp_path)) == ["model.npz"]


def test_the_marker_key_int_keys_and_savez_argument_names_round_trip(tmp_path):
    path = tmp_path / "x.npz"
    for state in ({FORMAT_KEY: np.ones(1)}, {3: np.ones(1)},
                  {"file": np.ones(2), "allow_pickle": np.zeros(3), "arr_0": np.ones(1)}):
        nn.save(state, path)
        loaded = nn.load(path)
        assert list(loaded) == list(state)
        for k in state:
            np.testing.assert_array_equal(loaded[k], state[k])


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


# -- a whole training run in one file (issue 14) --------------------------------------------


def same(a, b, path="x"):
    """Equal values of exactly the same types, all the way down (NaN equal to NaN)."""
    assert type(a) is type(b), f"{path}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, dict):
        assert list(a) == list(b), path
        for k in a:
            same(a[k], b[k], f"{path}[{k!r}]")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{path}[{i}]")
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape, path
        np.testing.assert_array_equal(a, b)
    elif isinstance(a, float) and np.isnan(a):
        assert np.isnan(b), path
    else:
        assert a == b, path


def test_nested_structure_round_trips_with_its_types(tmp_path):
    run = {
        "model": model().state_dict(), "epoch": 3, "done": False, "note": "résumé ✓",
        "best": None, "lr": 1e-3, "big": 2**100, "nan": float("nan"), "inf": -float("inf"),
        "metrics": {"loss": [0.9, 0.5], "acc": (0.25, 0.75)}, 0: "int key", 1.5: [True],
        "rng": np.random.default_rng(3).bit_generator.state,
        "arrays": [np.arange(6, dtype=np.int32).reshape(2, 3), np.array(True), np.zeros(0)],
        "empty": {}, "nested": [[[]], ()],
    }
    path = tmp_path / "run.npz"
    nn.save(run, path)
    loaded = nn.load(path)
    expected = {**run, "model": dict(run["model"])}
    same(expected, loaded)
    gen = np.random.default_rng()
    gen.bit_generator.state = loaded["rng"]
    assert gen.random() == np.random.default_rng(3).random()


def test_tensors_and_numpy_scalars_are_saved_as_arrays_and_numbers(tmp_path):
    w = ag.Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    nn.save({"w": [w], "n": np.int64(7), "x": np.float32(0.5), "b": np.bool_(True)},
            tmp_path / "t.npz")
    loaded = nn.load(tmp_path / "t.npz")
    same(loaded, {"w": [w.data], "n": 7, "x": 0.5, "b": True})


def test_optimizer_and_scheduler_state_dicts_round_trip(tmp_path):
    fc = nn.Linear(3, 2)
    opt = optim.Adam(fc.parameters(), lr=0.1, amsgrad=True)
    sched = optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    for _ in range(3):
        opt.zero_grad()
        (fc(np.ones((4, 3), dtype=np.float32)) ** 2).sum().backward()
        opt.step()
        sched.step()
    nn.save({"optimizer": opt.state_dict(), "scheduler": sched.state_dict()},
            tmp_path / "o.npz")
    loaded = nn.load(tmp_path / "o.npz")
    same(loaded["optimizer"], opt.state_dict())
    same(loaded["scheduler"], sched.state_dict())
    fc2 = nn.Linear(3, 2)   # PyTorch's order: build both, then load both
    opt2 = optim.Adam(fc2.parameters(), lr=0.1, amsgrad=True)
    sched2 = optim.lr_scheduler.StepLR(opt2, step_size=2, gamma=0.5)
    opt2.load_state_dict(loaded["optimizer"])
    sched2.load_state_dict(loaded["scheduler"])
    same(opt2.state_dict(), opt.state_dict())
    assert sched2.get_last_lr() == sched.get_last_lr()


def test_saving_a_module_or_an_optimizer_says_to_save_its_state_dict(tmp_path):
    fc = nn.Linear(2, 2)
    with pytest.raises(TypeError, match=r"got a Linear object at the top level; save its "
                                        r"state dict instead: nn.save\(module.state_dict\(\)"):
        nn.save(fc, tmp_path / "m.npz")
    with pytest.raises(TypeError, match=r"got a SGD object at \['opt'\].*state_dict\(\)"):
        nn.save({"opt": optim.SGD(fc.parameters(), lr=0.1)}, tmp_path / "m.npz")
    assert not (tmp_path / "m.npz").exists() and os.listdir(tmp_path) == []


@pytest.mark.parametrize("value,match", [
    ({"when": {1, 2}}, r"\['when'\] is a set; checkpoints hold dicts, lists"),
    ({"a": [object()]}, r"\['a'\]\[0\] is a object"),
    ({"c": 1j}, r"\['c'\] is a complex"),
    ({"z": np.ones(2, dtype=complex)}, r"entry 'z' has dtype complex128"),
    ({"z": [np.ones(2, dtype=complex)]}, r"the array at \['z'\]\[0\] has dtype complex128"),
    ({"s": np.array(["a"])}, r"has dtype <U1"),
    ({(1, 2): np.ones(1)}, r"the key \(1, 2\) at the top level is a tuple"),
])
def test_unsupported_values_are_refused_with_their_place(tmp_path, value, match):
    with pytest.raises(TypeError, match=match):
        nn.save(value, tmp_path / "bad.npz")
    assert os.listdir(tmp_path) == []


def test_a_structure_that_contains_itself_is_refused(tmp_path):
    loop = {"a": []}
    loop["a"].append(loop)
    with pytest.raises(ValueError, match=r"contains itself at \['a'\]\[0\]"):
        nn.save(loop, tmp_path / "loop.npz")
    shared = np.ones(2)
    nn.save({"a": shared, "b": [shared, shared]}, tmp_path / "ok.npz")   # sharing is fine
    loaded = nn.load(tmp_path / "ok.npz")
    assert len(loaded["b"]) == 2 and loaded["b"][0] is not loaded["b"][1]


def test_a_flat_state_dict_keeps_the_first_format_byte_for_byte(tmp_path):
    state = model().state_dict()
    path = tmp_path / "flat.npz"
    nn.save(state, path)
    reference = tmp_path / "savez.npz"      # what the first version wrote: np.savez
    np.savez(reference, **state, **{FORMAT_KEY: np.array(1, dtype=np.int64)})
    with zipfile.ZipFile(path) as a, zipfile.ZipFile(reference) as b:
        assert a.namelist() == b.namelist() == [k + ".npy" for k in [*state, FORMAT_KEY]]
        for name in a.namelist():
            assert a.read(name) == b.read(name), name
    loaded = nn.load(reference)               # and such files load as before
    assert type(loaded) is OrderedDict and list(loaded) == list(state)


def test_the_entries_of_a_nested_file_are_named_by_their_place(tmp_path):
    fc = nn.Linear(2, 2)
    opt = optim.Adam(fc.parameters())
    (fc(np.ones((1, 2), dtype=np.float32)).sum()).backward()
    opt.step()
    path = tmp_path / "run.npz"
    nn.save({"model": fc.state_dict(), "optimizer": opt.state_dict(), "w": [np.ones(1)]}, path)
    names = np.load(path).files
    assert names[:2] == ["model/weight", "model/bias"]
    assert "optimizer/state/0/exp_avg" in names and "w/0" in names
    assert names[-2:] == [TREE_KEY, FORMAT_KEY]



# -- resuming a training run gives the uninterrupted run's weights, bit for bit -------------
def _training_run(epochs, seed=0):
    ag.manual_seed(seed)
    net = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 3))
    opt = optim.Adam(net.parameters(), lr=0.01)
    sched = optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    return net, opt, sched


def _train(net, opt, sched, loader, epochs, losses):
    import nn.functional as F
    for _ in epochs:
        net.train()
        for xb, yb in loader:          # shuffled by, and dropout from, autograd's generator
            opt.zero_grad()
            loss = F.cross_entropy(net(xb), yb)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        sched.step()


def test_a_resumed_run_matches_the_uninterrupted_one_bit_for_bit(tmp_path):
    data = np.random.default_rng(7)
    X, y = data.normal(size=(40, 6)).astype(np.float32), data.integers(0, 3, 40)
    loader = nn.data.DataLoader(X, y, batch_size=8, shuffle=True)

    net, opt, sched = _training_run(5)                  # uninterrupted: epochs 0-4
    full = []
    _train(net, opt, sched, loader, range(5), full)
    final = net.state_dict()

    net, opt, sched = _training_run(5)                  # interrupted after epoch 2
    losses = []
    _train(net, opt, sched, loader, range(2), losses)
    nn.save({"model": net.state_dict(), "optimizer": opt.state_dict(),
             "scheduler": sched.state_dict(), "epoch": 2, "losses": losses,
             "rng": ag.default_generator().bit_generator.state}, tmp_path / "run.npz")
    del net, opt, sched

    net, opt, sched = _training_run(5, seed=99)          # as a new process: other weights
    ckpt = nn.load(tmp_path / "run.npz")
    net.load_state_dict(ckpt["model"])
    opt.load_state_dict(ckpt["optimizer"])
    sched.load_state_dict(ckpt["scheduler"])
    ag.default_generator().bit_generator.state = ckpt["rng"]
    losses = ckpt["losses"]
    _train(net, opt, sched, loader, range(ckpt["epoch"], 5), losses)

    assert losses == full
    assert sched.get_last_lr() == [0.01 * 0.5 ** 2] and opt.param_groups[0]["lr"] == 0.0025
    for name, weights in final.items():
        assert np.array_equal(net.state_dict()[name], weights), name
        assert net.state_dict()[name].dtype == weights.dtype
