"""nn.data.transforms: shapes, seeding, exact pixels of flips, crops and quarter turns,
bilinear resampling against PyTorch, and DataLoader(transform=...)."""
import numpy as np
import pytest

import autograd as ag
from nn.data import DataLoader
from nn.data import transforms as T

RNG = np.random.default_rng(0)
IMAGE = RNG.random((3, 5, 5)).astype(np.float32)          # channels differ, no symmetry
BATCH = RNG.random((6, 2, 7, 9)).astype(np.float32)

ALL = [T.RandomHorizontalFlip(), T.RandomVerticalFlip(), T.RandomCrop(5, padding=2),
       T.RandomRotation(30), T.RandomAffine(20, translate=(0.2, 0.1), scale=(0.8, 1.2)),
       T.Normalize([0.5], [0.25]), T.Resize((5, 5))]


@pytest.mark.parametrize("t", ALL, ids=lambda t: type(t).__name__)
def test_shapes_dtypes_and_kinds(t):
    assert t(IMAGE).shape == (3, 5, 5) and t(IMAGE).dtype == np.float32
    out = t(BATCH)
    expected = (6, 2, 5, 5) if isinstance(t, (T.RandomCrop, T.Resize)) else BATCH.shape
    assert out.shape == expected and out.dtype == np.float32
    assert t(BATCH.astype(np.float64)).dtype == np.float64
    tensor_out = t(ag.Tensor(IMAGE))
    assert isinstance(tensor_out, ag.Tensor) and tensor_out.shape == (3, 5, 5)
    with pytest.raises(ValueError, match=type(t).__name__ + r".*\(C, H, W\).*\(5, 5\)"):
        t(np.zeros((5, 5)))


@pytest.mark.parametrize("t", ALL[:5], ids=lambda t: type(t).__name__)
def test_manual_seed_repeats_and_each_image_draws_its_own(t):
    ag.manual_seed(3)
    a = t(BATCH)
    ag.manual_seed(3)
    b = t(BATCH)
    np.testing.assert_array_equal(a, b)
    same = np.repeat(IMAGE[None], 16, axis=0)
    out = t(same)
    assert len({o.tobytes() for o in out}) > 1, "all images got the same draw"


def test_flips_move_pixels_exactly():
    img = np.arange(12).reshape(1, 3, 4)
    np.testing.assert_array_equal(T.RandomHorizontalFlip(p=1)(img), img[:, :, ::-1])
    np.testing.assert_array_equal(T.RandomVerticalFlip(p=1)(img), img[:, ::-1, :])
    np.testing.assert_array_equal(T.RandomHorizontalFlip(p=0)(img), img)
    assert T.RandomHorizontalFlip(p=1)(img).dtype == img.dtype
    out = T.RandomHorizontalFlip(p=0.5)(np.repeat(img[None], 200, axis=0))
    flipped = np.array([np.array_equal(o, img[:, :, ::-1]) for o in out])
    kept = np.array([np.array_equal(o, img) for o in out])
    assert (flipped | kept).all() and 60 < flipped.sum() < 140   # about half of 200


def test_crop_takes_a_window_of_the_padded_image():
    img = np.arange(1, 17, dtype=np.float32).reshape(1, 4, 4)
    # a crop as large as the padded image is the padded image itself
    full = T.RandomCrop(6, padding=1)(img)
    np.testing.assert_array_equal(full, np.pad(img, ((0, 0), (1, 1), (1, 1))))
    for mode in ("edge", "reflect", "symmetric"):
        np.testing.assert_array_equal(T.RandomCrop(6, padding=1, padding_mode=mode)(img),
                                      np.pad(img, ((0, 0), (1, 1), (1, 1)), mode=mode))
    np.testing.assert_array_equal(T.RandomCrop((4, 6), padding=(1, 0))(img)[0, :, 0], 0)
    # a smaller crop is one of the windows; over many draws every offset turns up
    padded = np.pad(img, ((0, 0), (1, 1), (1, 1)))
    windows = {(i, j): padded[:, i:i + 4, j:j + 4] for i in range(3) for j in range(3)}
    ag.manual_seed(0)
    seen = set()
    for out in T.RandomCrop(4, padding=1)(np.repeat(img[None], 100, axis=0)):
        match = [k for k, w in windows.items() if np.array_equal(out, w)]
        assert len(match) == 1
        seen.add(match[0])
    assert seen == set(windows)
    with pytest.raises(ValueError, match=r"crop size \(7, 7\) is larger than the padded"):
        T.RandomCrop(7, padding=1)(img)
    assert T.RandomCrop(7, pad_if_needed=True)(img).shape == (1, 7, 7)


@pytest.mark.parametrize("shape", [(3, 5, 5), (2, 4, 4)])
def test_quarter_turns_are_exact(shape):
    img = RNG.random(shape).astype(np.float32)
    for angle, k in [(90, 1), (-90, -1), (180, 2), (270, 3), (0, 0)]:
        out = T.RandomRotation((angle, angle))(img)
        np.testing.assert_array_equal(out, np.rot90(img, k, axes=(1, 2)), err_msg=str(angle))
    wide = RNG.random((1, 3, 6)).astype(np.float32)          # a half turn of a non-square
    np.testing.assert_array_equal(T.RandomRotation((180, 180))(wide), wide[:, ::-1, ::-1])


def test_affine_conventions():
    img = RNG.random((1, 6, 6))
    # torchvision: positive affine angles turn clockwise, positive rotation angles the other way
    np.testing.assert_allclose(T.RandomAffine((30, 30))(img), T.RandomRotation((-30, -30))(img))
    np.testing.assert_array_equal(T.RandomAffine(0, scale=(1, 1))(img), img)
    # zoom by 2 about the centre: the top-left output pixel samples (0.25, 0.25)
    a, b, c, d = 1.0, 2.0, 3.0, 4.0
    out = T.RandomAffine(0, scale=(2, 2))(np.array([[[a, b], [c, d]]]))
    assert out[0, 0, 0] == pytest.approx(0.5625 * a + 0.1875 * (b + c) + 0.0625 * d)
    # translation by whole pixels moves the image, zeros come in
    dot = np.zeros((1, 5, 5)); dot[0, 2, 2] = 1
    ag.manual_seed(0)
    outs = T.RandomAffine(0, translate=(0.4, 0.4))(np.repeat(dot[None], 50, axis=0))
    where = {tuple(np.argwhere(o[0] == 1)[0]) for o in outs}
    assert all(o.sum() == 1 for o in outs) and len(where) > 5
    assert all(abs(i - 2) <= 2 and abs(j - 2) <= 2 for i, j in where)
    # fill: pixels from outside the image
    assert T.RandomRotation((45, 45), fill=1.0)(np.zeros((1, 9, 9)))[0, 0, 0] == 1.0


def test_rotation_resamples_as_torch_grid_sample():
    torch = pytest.importorskip("torch")
    x = RNG.random((3, 2, 7, 10))
    for angle in (17.0, -63.0, 135.0):
        ours = T.RandomRotation((angle, angle))(x)
        # each output pixel samples the input at its offset from the centre turned back
        n, c, h, w = x.shape
        th = np.radians(angle)
        dy, dx = np.meshgrid(np.arange(h) - (h - 1) / 2, np.arange(w) - (w - 1) / 2,
                             indexing="ij")
        sx = np.cos(th) * dx - np.sin(th) * dy + (w - 1) / 2
        sy = np.sin(th) * dx + np.cos(th) * dy + (h - 1) / 2
        grid = np.stack([(2 * sx + 1) / w - 1, (2 * sy + 1) / h - 1], axis=-1)
        grid = torch.tensor(np.broadcast_to(grid, (n, h, w, 2)).copy())
        ref = torch.nn.functional.grid_sample(torch.tensor(x), grid, mode="bilinear",
                                              padding_mode="zeros", align_corners=False)
        np.testing.assert_allclose(ours, ref.numpy(), atol=1e-12)


@pytest.mark.parametrize("size", [(16, 16), (3, 5), (8, 8), (13, 4), 12])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_resize_equals_torch_interpolate(size, dtype):
    torch = pytest.importorskip("torch")
    x = RNG.random((2, 3, 8, 6)).astype(dtype)
    out = T.Resize(size)(x)
    target = size if isinstance(size, tuple) else (16, 12)    # shorter side 6 -> 12
    ref = torch.nn.functional.interpolate(torch.tensor(x), size=target, mode="bilinear",
                                          align_corners=False)
    assert out.shape == tuple(ref.shape) and out.dtype == dtype
    np.testing.assert_allclose(out, ref.numpy(), rtol=1e-5, atol=1e-6)


def test_normalize_per_channel():
    x = np.stack([np.full((2, 2), 1.0), np.full((2, 2), 3.0)])
    np.testing.assert_allclose(T.Normalize([1, 1], [1, 2])(x), [[[0, 0]] * 2, [[1, 1]] * 2])
    with pytest.raises(ValueError, match="Normalize: 3 means for images with 2 channels"):
        T.Normalize([0, 0, 0], [1, 1, 1])(x)
    with pytest.raises(ValueError, match="non-zero std"):
        T.Normalize([0], [0])


def test_argument_errors():
    with pytest.raises(ValueError, match="p must be in"):
        T.RandomHorizontalFlip(p=1.5)
    with pytest.raises(ValueError, match="padding_mode"):
        T.RandomCrop(4, padding_mode="wrap")
    with pytest.raises(ValueError, match="degrees"):
        T.RandomRotation(-5)
    with pytest.raises(ValueError, match="scale"):
        T.RandomAffine(0, scale=(0, 1))
    with pytest.raises(ValueError, match="translate"):
        T.RandomAffine(0, translate=(2, 0))
    with pytest.raises(ValueError, match="size"):
        T.Resize((0, 3))
    with pytest.raises(TypeError, match="transform 1"):
        T.Compose([T.RandomVerticalFlip(), 3])


def test_compose_applies_in_order_and_prints():
    t = T.Compose([T.Normalize([0.5], [0.5]), T.RandomCrop(3, padding=1)])
    assert repr(t) == ("Compose(\n    Normalize(mean=[0.5], std=[0.5])\n"
                       "    RandomCrop(size=(3, 3), padding=1)\n)")
    assert t(np.zeros((1, 3, 3)))[0, 1, 1] == -1.0


def test_dataloader_transforms_every_batch_inputs_only():
    X = np.repeat(IMAGE[None, :1], 10, axis=0)
    y = np.arange(10)
    loader = DataLoader(X, y, batch_size=4, shuffle=False,
                        transform=T.RandomHorizontalFlip(p=1.0))
    for xb, yb in loader:
        np.testing.assert_array_equal(xb.data, X[:len(yb.data), :, :, ::-1])
    assert np.concatenate([yb.data for _, yb in loader]).tolist() == y.tolist()
    loader = DataLoader(X, y, batch_size=4, seed=0, transform=T.RandomRotation(40))
    ag.manual_seed(5)
    first = [xb.data for xb, _ in loader]
    ag.manual_seed(5)
    again = [xb.data for xb, _ in loader]
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert "transform=RandomRotation(degrees=[-40, 40]" in repr(loader)
    with pytest.raises(TypeError, match="transform must be callable"):
        DataLoader(X, y, transform="flip")
    with pytest.raises(ValueError, match="one row per sample"):
        list(DataLoader(X, y, batch_size=4, transform=lambda b: b[:1]))
