"""nn.models: shapes per stage, torchvision's parameter names, the printed tree, errors,
and (where PyTorch is installed) forward and backward against the same networks
written with torch.nn, sharing one state dict, in float64, in train and eval mode."""
import numpy as np
import pytest

import autograd as ag
import nn
from nn.models import (BasicBlock, BasicConv2d, Bottleneck, InceptionBlock, LeNet5, ResNet,
                       VGGBlock, plain_net)


def x_of(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


# -- shapes and names ------------------------------------------------------------------
def test_lenet5_shapes_per_stage_are_the_notes():
    net = LeNet5()
    x = ag.Tensor(x_of(3, 1, 32, 32))
    shapes = []
    for layer in net.features:
        x = layer(x)
        shapes.append(x.shape[1:])
    assert shapes == [(6, 28, 28), (6, 28, 28), (6, 14, 14), (16, 10, 10), (16, 10, 10),
                           (16, 5, 5)]
    assert net(x_of(3, 1, 32, 32)).shape == (3, 10)
    assert LeNet5(num_classes=5, in_channels=3)(x_of(2, 3, 32, 32)).shape == (2, 5)
    names = [n for n, _ in net.named_parameters()]
    assert names == ["features.0.weight", "features.0.bias", "features.3.weight",
                     "features.3.bias", "classifier.0.weight", "classifier.0.bias",
                     "classifier.2.weight", "classifier.2.bias", "classifier.4.weight",
                     "classifier.4.bias"]
    assert net.features[3].weight.shape == (16, 6, 5, 5)
    assert net.classifier[0].weight.shape == (120, 400)


def test_lenet5_names_the_expected_input():
    with pytest.raises(ValueError, match=r"LeNet5: expected input of shape \(N, 1, 32, 32\), "
                                         r"got \(2, 1, 28, 28\)"):
        LeNet5()(x_of(2, 1, 28, 28))


def test_vgg_block_halves_the_size_and_numbers_its_children():
    block = VGGBlock(3, 8, 3)
    assert block(x_of(2, 3, 12, 10)).shape == (2, 8, 6, 5)
    assert [type(m).__name__ for m in block] == ["Conv2d", "ReLU"] * 3 + ["MaxPool2d"]
    bn = VGGBlock(3, 8, 2, batch_norm=True)
    assert [n for n, _ in bn.named_parameters()] == [
        "0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias", "4.weight",
        "4.bias"]
    head = block[:2]
    assert type(head) is nn.Sequential and len(head) == 2 and head[0] is block[0]
    with pytest.raises(ValueError, match="VGGBlock: n_convs must be a positive int, got 0"):
        VGGBlock(3, 8, 0)


def test_basic_block_and_bottleneck_names_and_shapes():
    block = BasicBlock(4, 4)
    assert block.downsample is None and block.expansion == 1
    assert block(x_of(2, 4, 6, 6)).shape == (2, 4, 6, 6)
    names = [n for n, _ in BasicBlock(4, 8, stride=2).named_parameters()]
    assert names == ["conv1.weight", "bn1.weight", "bn1.bias", "conv2.weight", "bn2.weight",
                     "bn2.bias", "downsample.0.weight", "downsample.1.weight",
                     "downsample.1.bias"]
    b = Bottleneck(8, 4, stride=2)
    assert b.expansion == 4 and b(x_of(2, 8, 6, 6)).shape == (2, 16, 3, 3)
    assert [n for n, _ in b.named_parameters()][:7] == [
        "conv1.weight", "bn1.weight", "bn1.bias", "conv2.weight", "bn2.weight", "bn2.bias",
        "conv3.weight"]
    assert b.conv1.kernel_size == (1, 1) and b.conv2.stride == (2, 2)
    assert Bottleneck(16, 4).downsample is None
    with pytest.raises(ValueError, match="BasicBlock: a downsample projection is only used"):
        BasicBlock(4, 8, 2, downsample=nn.Identity(), skip=False)


def test_resnet_stages_and_names():
    net = ResNet(BasicBlock, [2, 1, 1], num_classes=7, in_channels=1, width=4)
    stages = net.stages(ag.Tensor(x_of(2, 1, 8, 8)))
    assert [(name, out.shape) for name, out in stages] == [
        ("stem", (2, 4, 8, 8)), ("layer1", (2, 4, 8, 8)), ("layer2", (2, 8, 4, 4)),
        ("layer3", (2, 16, 2, 2)), ("avgpool", (2, 16)), ("fc", (2, 7))]
    keys = list(net.state_dict())
    assert keys[:7] == ["conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean",
                        "bn1.running_var", "bn1.num_batches_tracked", "layer1.0.conv1.weight"]
    assert "layer2.0.downsample.0.weight" in keys and "layer1.0.downsample.0.weight" not in keys
    assert keys[-2:] == ["fc.weight", "fc.bias"]
    wide = ResNet(Bottleneck, [1, 1], in_channels=3, width=4)
    assert wide.fc.in_features == 32 and wide(x_of(2, 3, 8, 8)).shape == (2, 10)


def test_resnet_without_batch_norm():
    net = ResNet(BasicBlock, [1, 1], in_channels=1, width=4, norm_layer=nn.Identity)
    assert not any("bn" in n or "running" in n for n in net.state_dict())
    assert net(x_of(2, 1, 8, 8)).shape == (2, 10)
    with pytest.raises(TypeError, match="ResNet: norm_layer must be a callable"):
        ResNet(BasicBlock, [1], norm_layer="batch")


def test_resnet_checks_its_arguments():
    with pytest.raises(ValueError, match=r"ResNet: layers must be a non-empty list of "
                                         r"positive ints \(blocks per stage\), got \[2, 0\]"):
        ResNet(BasicBlock, [2, 0])
    with pytest.raises(TypeError, match="ResNet: block must be BasicBlock or Bottleneck"):
        ResNet(nn.Linear, [1])


def test_plain_net_is_the_resnet_without_skips():
    plain = plain_net(20, in_channels=1, width=4)
    res = ResNet(BasicBlock, [3, 3, 3], in_channels=1, width=4)
    assert all(not b.skip for s in (plain.layer1, plain.layer2, plain.layer3) for b in s)
    result = plain.load_state_dict(res.state_dict(), strict=False)
    assert result.missing_keys == []
    assert result.unexpected_keys and all("downsample" in k for k in result.unexpected_keys)
    weighted = [m for m in plain.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    assert len(weighted) == 20   # depth counts the stem, two convs per block and fc
    with pytest.raises(ValueError, match=r"plain_net: depth must be 2 \* n \* num_stages \+ 2 "
                                         r"for some n >= 1 \(8, 14, ... with 3 stages\), "
                                         r"got 21"):
        plain_net(21)


def test_inception_block_concatenates_the_branches_on_channels():
    block = InceptionBlock(6, 2, 3, 4, 1, 5, 3)
    x = ag.Tensor(x_of(2, 6, 7, 7))
    out = block(x)
    assert out.shape == (2, 2 + 4 + 5 + 3, 7, 7) and block.out_channels == 14
    parts = [block.branch1(x), block.branch2(x), block.branch3(x), block.branch4(x)]
    np.testing.assert_array_equal(out.data, np.concatenate([p.data for p in parts], axis=1))
    assert block.branch3[1].conv.kernel_size == (5, 5)
    names = [n for n, _ in block.named_parameters()]
    assert names[:3] == ["branch1.conv.weight", "branch1.bn.weight", "branch1.bn.bias"]
    assert "branch2.1.conv.weight" in names and "branch4.1.conv.weight" in names
    assert len(names) == 6 * 3


def test_repr_is_pytorchs_tree():
    text = repr(ResNet(BasicBlock, [1], in_channels=1, width=2, num_classes=3))
    assert text.splitlines()[:3] == [
        "ResNet(",
        "  (conv1): Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), "
        "bias=False)",
        "  (bn1): BatchNorm2d(2, eps=1e-05, momentum=0.1, affine=True, "
        "track_running_stats=True)"]
    assert "  (layer1): Sequential(\n    (0): BasicBlock(\n      (conv1): Conv2d(" in text
    assert text.endswith("  (fc): Linear(in_features=2, out_features=3, bias=True)\n)")
    plain = repr(plain_net(8, in_channels=1, width=2))
    assert "(0): BasicBlock(\n      skip=False\n      (conv1)" in plain
    lenet = repr(LeNet5())
    assert "  (features): Sequential(\n    (0): Conv2d(1, 6, kernel_size=(5, 5)" in lenet
    assert "    (2): AvgPool2d(kernel_size=2, stride=2, padding=0" in lenet
    inc = repr(InceptionBlock(4, 1, 1, 1, 1, 1, 1))
    assert "  (branch4): Sequential(\n    (0): MaxPool2d(kernel_size=3, stride=1, padding=1" \
        in inc


# -- against PyTorch -----------------------------------------------------------------------
def torch_models(torch):
    """The same architectures, written with torch.nn (no torchvision)."""
    tnn = torch.nn

    class TBasicBlock(tnn.Module):
        expansion = 1

        def __init__(self, inplanes, planes, stride=1, skip=True, norm=tnn.BatchNorm2d):
            super().__init__()
            self.skip = skip
            self.conv1 = tnn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
            self.bn1 = norm(planes)
            self.relu = tnn.ReLU()
            self.conv2 = tnn.Conv2d(planes, planes, 3, 1, 1, bias=False)
            self.bn2 = norm(planes)
            self.downsample = None
            if skip and (stride != 1 or inplanes != planes):
                self.downsample = tnn.Sequential(
                    tnn.Conv2d(inplanes, planes, 1, stride, bias=False), norm(planes))

        def forward(self, x):
            out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
            if self.skip:
                out = out + (x if self.downsample is None else self.downsample(x))
            return self.relu(out)

    class TBottleneck(tnn.Module):
        expansion = 4

        def __init__(self, inplanes, planes, stride=1, skip=True, norm=tnn.BatchNorm2d):
            super().__init__()
            out = planes * 4
            self.conv1 = tnn.Conv2d(inplanes, planes, 1, bias=False)
            self.bn1 = norm(planes)
            self.conv2 = tnn.Conv2d(planes, planes, 3, stride, 1, bias=False)
            self.bn2 = norm(planes)
            self.conv3 = tnn.Conv2d(planes, out, 1, bias=False)
            self.bn3 = norm(out)
            self.relu = tnn.ReLU()
            self.downsample = None
            if stride != 1 or inplanes != out:
                self.downsample = tnn.Sequential(
                    tnn.Conv2d(inplanes, out, 1, stride, bias=False), norm(out))

        def forward(self, x):
            out = self.relu(self.bn1(self.conv1(x)))
            out = self.relu(self.bn2(self.conv2(out)))
            out = self.bn3(self.conv3(out))
            return self.relu(out + (x if self.downsample is None else self.downsample(x)))

    class TResNet(tnn.Module):
        def __init__(self, block, layers, num_classes, in_channels, width, skip=True,
                     norm=tnn.BatchNorm2d):
            super().__init__()
            self.conv1 = tnn.Conv2d(in_channels, width, 3, 1, 1, bias=False)
            self.bn1 = norm(width)
            self.relu = tnn.ReLU()
            inplanes, self.n = width, len(layers)
            for i, n in enumerate(layers):
                blocks = []
                for j in range(n):
                    kw = {"skip": skip} if block is TBasicBlock else {}
                    blocks.append(block(inplanes, width * 2 ** i, 2 if i and not j else 1,
                                        norm=norm, **kw))
                    inplanes = width * 2 ** i * block.expansion
                setattr(self, f"layer{i + 1}", tnn.Sequential(*blocks))
            self.avgpool = tnn.AdaptiveAvgPool2d(1)
            self.fc = tnn.Linear(inplanes, num_classes)

        def forward(self, x):
            x = self.relu(self.bn1(self.conv1(x)))
            for i in range(self.n):
                x = getattr(self, f"layer{i + 1}")(x)
            return self.fc(torch.flatten(self.avgpool(x), 1))

    class TBasicConv2d(tnn.Module):
        def __init__(self, cin, cout, k):
            super().__init__()
            self.conv = tnn.Conv2d(cin, cout, k, padding=k // 2, bias=False)
            self.bn = tnn.BatchNorm2d(cout, eps=0.001)

        def forward(self, x):
            return torch.relu(self.bn(self.conv(x)))

    class TInception(tnn.Module):
        def __init__(self, cin, c1, c3r, c3, c5r, c5, pp):
            super().__init__()
            self.branch1 = TBasicConv2d(cin, c1, 1)
            self.branch2 = tnn.Sequential(TBasicConv2d(cin, c3r, 1), TBasicConv2d(c3r, c3, 3))
            self.branch3 = tnn.Sequential(TBasicConv2d(cin, c5r, 1), TBasicConv2d(c5r, c5, 5))
            self.branch4 = tnn.Sequential(tnn.MaxPool2d(3, 1, 1), TBasicConv2d(cin, pp, 1))

        def forward(self, x):
            return torch.cat([self.branch1(x), self.branch2(x), self.branch3(x),
                              self.branch4(x)], 1)

    class TLeNet5(tnn.Module):
        def __init__(self, num_classes, in_channels):
            super().__init__()
            self.features = tnn.Sequential(
                tnn.Conv2d(in_channels, 6, 5), tnn.ReLU(), tnn.AvgPool2d(2),
                tnn.Conv2d(6, 16, 5), tnn.ReLU(), tnn.AvgPool2d(2))
            self.classifier = tnn.Sequential(
                tnn.Linear(400, 120), tnn.ReLU(), tnn.Linear(120, 84), tnn.ReLU(),
                tnn.Linear(84, num_classes))

        def forward(self, x):
            return self.classifier(torch.flatten(self.features(x), 1))

    def vgg_block(cin, cout, n, bn=False):
        layers = []
        for i in range(n):
            layers.append(tnn.Conv2d(cin if i == 0 else cout, cout, 3, padding=1))
            layers += [tnn.BatchNorm2d(cout)] if bn else []
            layers.append(tnn.ReLU())
        return tnn.Sequential(*layers, tnn.MaxPool2d(2))

    return dict(BasicBlock=TBasicBlock, Bottleneck=TBottleneck, ResNet=TResNet,
                BasicConv2d=TBasicConv2d, Inception=TInception, LeNet5=TLeNet5,
                vgg_block=vgg_block, no_norm=lambda channels: tnn.Identity())


def pair_cases(T):
    """(name, our model, the torch model, input shape)."""
    return [
        ("LeNet5", LeNet5(4, 2), T["LeNet5"](4, 2), (3, 2, 32, 32)),
        ("VGGBlock", VGGBlock(3, 5, 2), T["vgg_block"](3, 5, 2), (2, 3, 6, 6)),
        ("VGGBlock-bn", VGGBlock(3, 5, 2, True), T["vgg_block"](3, 5, 2, True), (4, 3, 6, 6)),
        ("BasicBlock", BasicBlock(3, 6, 2), T["BasicBlock"](3, 6, 2), (4, 3, 6, 6)),
        ("BasicBlock-plain", BasicBlock(3, 6, 2, skip=False),
         T["BasicBlock"](3, 6, 2, skip=False), (4, 3, 6, 6)),
        ("Bottleneck", Bottleneck(6, 2, 2), T["Bottleneck"](6, 2, 2), (4, 6, 6, 6)),
        ("ResNet", ResNet(BasicBlock, [2, 1, 1], 5, 2, 3), T["ResNet"](
            T["BasicBlock"], [2, 1, 1], 5, 2, 3), (4, 2, 8, 8)),
        ("ResNet-bottleneck", ResNet(Bottleneck, [1, 2], 3, 1, 2), T["ResNet"](
            T["Bottleneck"], [1, 2], 3, 1, 2), (4, 1, 6, 6)),
        ("ResNet-no-bn", ResNet(BasicBlock, [1, 1], 5, 1, 3, norm_layer=nn.Identity),
         T["ResNet"](T["BasicBlock"], [1, 1], 5, 1, 3, norm=T["no_norm"]), (3, 1, 6, 6)),
        ("plain_net", plain_net(8, 5, 1, 3), T["ResNet"](
            T["BasicBlock"], [1, 1, 1], 5, 1, 3, skip=False), (4, 1, 8, 8)),
        ("BasicConv2d", BasicConv2d(3, 4, 3), T["BasicConv2d"](3, 4, 3), (3, 3, 5, 5)),
        ("InceptionBlock", InceptionBlock(5, 2, 3, 4, 2, 3, 2),
         T["Inception"](5, 2, 3, 4, 2, 3, 2), (3, 5, 6, 6)),
    ]


def _random_state(model, rng):
    """A state dict of random values (positive running variances), so eval mode is tested
    away from batch norm's starting statistics."""
    out = {}
    for k, v in model.state_dict().items():
        if k.endswith("num_batches_tracked"):
            out[k] = v
        elif k.endswith("running_var"):
            out[k] = rng.uniform(0.5, 2.0, v.shape)
        else:
            out[k] = rng.standard_normal(v.shape) * 0.5
    return out


@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
def test_models_match_pytorch(training):
    torch = pytest.importorskip("torch")
    T = torch_models(torch)
    for seed, (name, ours, theirs, shape) in enumerate(pair_cases(T)):
        rng = np.random.default_rng(seed)
        ours.double().train(training)
        theirs.double().train(training)
        assert list(ours.state_dict()) == list(theirs.state_dict()), name
        state = _random_state(ours, rng)
        ours.load_state_dict(state)
        theirs.load_state_dict({k: torch.tensor(v) for k, v in state.items()})
        x = rng.standard_normal(shape)
        xa, xt = ag.Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        out, ref = ours(xa), theirs(xt)
        np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-9, atol=1e-9,
                                   err_msg=name)
        g = rng.standard_normal(out.shape)
        out.backward(g)
        ref.backward(torch.tensor(g))
        np.testing.assert_allclose(xa.grad.data, xt.grad.numpy(), rtol=1e-9, atol=1e-9,
                                   err_msg=name)
        theirs_params = dict(theirs.named_parameters())
        for pname, p in ours.named_parameters():
            np.testing.assert_allclose(p.grad.data, theirs_params[pname].grad.numpy(),
                                       rtol=1e-9, atol=1e-9, err_msg=f"{name} {pname}")
        # The running statistics moved the same way (train) or not at all (eval).
        back = {k: v.numpy() for k, v in theirs.state_dict().items()}
        for k, v in ours.state_dict().items():
            np.testing.assert_allclose(v, back[k], rtol=1e-12, atol=1e-12,
                                       err_msg=f"{name} {k}")


def test_pytorch_weights_load_into_ours():
    torch = pytest.importorskip("torch")
    T = torch_models(torch)
    torch.manual_seed(0)
    theirs = T["ResNet"](T["Bottleneck"], [1, 1], 4, 3, 2).double().eval()
    ours = ResNet(Bottleneck, [1, 1], 4, 3, 2).double().eval()
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    x = np.random.default_rng(1).standard_normal((2, 3, 8, 8))
    with torch.no_grad():
        ref = theirs(torch.tensor(x)).numpy()
    with ag.no_grad():
        np.testing.assert_allclose(ours(x).data, ref, rtol=1e-10, atol=1e-10)
