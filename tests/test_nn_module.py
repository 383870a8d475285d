"""nn.Module, Parameter, Sequential, ModuleList: registration, names, modes,
state dicts, dtype conversion, repr and scopes."""
from collections import OrderedDict

import numpy as np
import pytest

import autograd as ag
import nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 4)
        self.bn = nn.BatchNorm1d(4)
        self.drop = nn.Dropout(0.5)

    def forward(self, x):
        return self.drop(self.bn(self.fc(x)).relu())


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block()
        self.heads = nn.ModuleList([nn.Linear(4, 2), nn.Linear(4, 1)])
        self.scale = nn.Parameter(np.ones(1, dtype=np.float32))

    def forward(self, x):
        h = self.block(x)
        return [head(h) * self.scale for head in self.heads]


def test_parameter_is_a_leaf_tensor_that_requires_grad():
    p = nn.Parameter(np.zeros(3))
    assert isinstance(p, ag.Tensor) and p.requires_grad and p.is_leaf
    assert nn.Parameter(ag.Tensor([1.0])).data.dtype == np.float32
    assert not nn.Parameter(np.zeros(2), requires_grad=False).requires_grad
    assert "Parameter containing" in repr(p)


def test_named_parameters_use_pytorch_dotted_names_in_order():
    names = [n for n, _ in Net().named_parameters()]
    assert names == ["scale", "block.fc.weight", "block.fc.bias", "block.bn.weight",
                     "block.bn.bias", "heads.0.weight", "heads.0.bias", "heads.1.weight",
                     "heads.1.bias"]
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    assert [n for n, _ in seq.named_parameters()] == ["0.weight", "0.bias", "2.weight",
                                                       "2.bias"]
    assert len(list(seq.parameters())) == 4


def test_buffers_are_in_state_dict_but_not_in_parameters():
    net = Net()
    params = {n for n, _ in net.named_parameters()}
    buffers = [n for n, _ in net.named_buffers()]
    assert buffers == ["block.bn.running_mean", "block.bn.running_var",
                       "block.bn.num_batches_tracked"]
    assert not params & set(buffers)
    assert set(net.state_dict()) == params | set(buffers)


def test_shared_parameters_are_listed_once():
    fc = nn.Linear(2, 2)
    seq = nn.Sequential(fc, fc)
    assert len(list(seq.parameters())) == 2


def test_plain_list_of_modules_is_refused_with_a_hint():
    class Bad(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = [nn.Linear(2, 2)]
    with pytest.raises(TypeError, match="ModuleList"):
        Bad()


def test_forgetting_super_init_gives_a_clear_error():
    class Bad(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(2, 2)
    with pytest.raises(AttributeError, match="super\\(\\).__init__"):
        Bad()


def test_reassigning_and_deleting_attributes_updates_registration():
    m = nn.Linear(2, 2)
    m.weight = nn.Parameter(np.zeros((2, 2), dtype=np.float32))
    assert [n for n, _ in m.named_parameters()] == ["weight", "bias"]  # order kept
    m.bias = None
    assert [n for n, _ in m.named_parameters()] == ["weight"]
    with pytest.raises(TypeError, match="parameter"):
        m.weight = np.zeros((2, 2))
    del m.weight
    assert list(m.named_parameters()) == []


def test_children_modules_and_named_modules():
    net = Net()
    assert [n for n, _ in net.named_children()] == ["block", "heads"]
    assert [n for n, _ in net.named_modules()] == [
        "", "block", "block.fc", "block.bn", "block.drop", "heads", "heads.0", "heads.1"]
    assert len(list(net.modules())) == 8 and len(list(net.children())) == 2


def test_train_and_eval_reach_every_submodule_and_return_self():
    net = Net()
    assert net.eval() is net
    assert all(not m.training for m in net.modules())
    assert net.train() is net and all(m.training for m in net.modules())
    with pytest.raises(TypeError):
        net.train("no")


def test_zero_grad_sets_grads_to_none():
    net = Net()
    out = net(np.ones((5, 3), dtype=np.float32))
    (out[0].sum() + out[1].sum()).backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad(set_to_none=False)
    assert all((p.grad.data == 0).all() for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_state_dict_is_an_ordered_copy():
    m = nn.Linear(3, 2)
    sd = m.state_dict()
    assert isinstance(sd, OrderedDict) and list(sd) == ["weight", "bias"]
    sd["weight"][...] = 7
    assert not (m.weight.data == 7).any()


def test_load_state_dict_round_trip_casts_and_accepts_tensors():
    a, b = Net(), Net()
    a.block.bn.running_mean.data[...] = 3.0
    sd = a.state_dict()
    sd["block.fc.weight"] = ag.Tensor(sd["block.fc.weight"].astype(np.float64))
    weight_array = b.block.fc.weight.data
    b.load_state_dict(sd)
    assert b.block.fc.weight.data is weight_array  # copied in place
    assert b.block.fc.weight.dtype == np.float32
    for k, v in a.state_dict().items():
        np.testing.assert_array_equal(b.state_dict()[k], v)


def test_failed_load_reports_everything_and_changes_nothing():
    m = Net()
    before = m.state_dict()
    sd = m.state_dict()
    sd["block.fc.weight"] = np.zeros((5, 3))
    sd["heads.1.bias"] = np.zeros(7)
    del sd["scale"]
    sd["extra.weight"] = np.zeros(1)
    sd["block.fc.bias"] = np.full(4, 9.0)  # valid, must still not be loaded
    with pytest.raises(ValueError) as info:
        m.load_state_dict(sd)
    msg = str(info.value)
    for part in ["'scale'", "'extra.weight'", "'block.fc.weight'", "(5, 3)", "(4, 3)",
                 "'heads.1.bias'", "(7,)", "(1,)"]:
        assert part in msg
    for k, v in m.state_dict().items():
        np.testing.assert_array_equal(v, before[k])


def test_load_non_strict_returns_missing_and_unexpected():
    m = nn.Linear(2, 2)
    missing, unexpected = m.load_state_dict({"weight": np.ones((2, 2)), "zzz": 1},
                                            strict=False)
    assert missing == ["bias"] and unexpected == ["zzz"]
    assert (m.weight.data == 1).all()
    with pytest.raises(ValueError, match="shape"):
        m.load_state_dict({"weight": np.ones((3, 2))}, strict=False)


def test_to_double_and_float_convert_params_and_float_buffers_in_place():
    net = Net()
    p = net.block.fc.weight
    net(np.ones((4, 3), dtype=np.float32))[0].sum().backward()
    assert net.double() is net
    assert p is net.block.fc.weight and p.dtype == np.float64 and p.grad is None
    assert net.block.bn.running_var.dtype == np.float64
    assert net.block.bn.num_batches_tracked.dtype == np.int64
    assert net(np.ones((4, 3)))[0].dtype == np.float64
    net.float()
    assert all(t.dtype == np.float32 for t in net.parameters())
    with pytest.raises(TypeError):
        net.to(np.int32)
    assert net.to("cpu") is net and net.block.fc.weight.dtype == np.float32


def test_repr_is_nested_like_pytorch():
    seq = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Dropout(0.25))
    assert repr(seq) == ("Sequential(\n"
                         "  (0): Linear(in_features=3, out_features=2, bias=True)\n"
                         "  (1): ReLU()\n"
                         "  (2): Dropout(p=0.25)\n"
                         ")")
    assert "(heads): ModuleList(\n    (0): Linear" in repr(Net())


def test_sequential_indexing_len_iteration_append_and_slicing():
    seq = nn.Sequential(nn.Linear(3, 3), nn.ReLU())
    seq.append(nn.Linear(3, 1))
    assert len(seq) == 3 and isinstance(seq[-1], nn.Linear) and isinstance(seq[1], nn.ReLU)
    assert [type(m).__name__ for m in seq] == ["Linear", "ReLU", "Linear"]
    assert isinstance(seq[:2], nn.Sequential) and len(seq[:2]) == 2
    assert [n for n, _ in seq[1:].named_parameters()] == ["2.weight", "2.bias"]
    assert seq[2]._name == "2"
    with pytest.raises(IndexError):
        seq[3]
    with pytest.raises(TypeError):
        seq.append("relu")
    x = np.ones((2, 3), dtype=np.float32)
    expected = seq[2](seq[1](seq[0](x)))
    np.testing.assert_allclose(seq(x).data, expected.data)


def test_sequential_from_ordered_dict_keeps_names():
    seq = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 2)), ("act", nn.Tanh())]))
    assert [n for n, _ in seq.named_parameters()] == ["fc.weight", "fc.bias"]


def test_module_list_append_extend_index_setitem():
    ml = nn.ModuleList()
    ml.append(nn.Linear(1, 1)).extend([nn.Linear(1, 2), nn.Linear(2, 3)])
    assert len(ml) == 3 and ml[-1].out_features == 3
    ml[0] = nn.Linear(1, 5)
    assert ml[0].out_features == 5
    assert [n for n, _ in ml.named_parameters()][:2] == ["0.weight", "0.bias"]
    assert len(ml[1:]) == 2
    assert ml[1:][0] is ml[1] and ml[1]._name == "1"  # slicing renames nothing
    with pytest.raises(TypeError):
        ml.append(3)
    with pytest.raises(NotImplementedError):
        ml(1)


def test_register_buffer_and_non_persistent():
    m = nn.Module()
    m.register_buffer("a", np.zeros(2))
    m.register_buffer("b", ag.Tensor(np.ones(1)), persistent=False)
    assert [n for n, _ in m.named_buffers()] == ["a", "b"]
    assert list(m.state_dict()) == ["a"]
    m.a = np.ones(2)  # assigning to a buffer keeps it a buffer
    assert isinstance(m.a, ag.Tensor) and (m.state_dict()["a"] == 1).all()
    with pytest.raises(KeyError):
        m.register_buffer("x.y", np.zeros(1))


def test_calls_push_the_attribute_names_as_scopes():
    net = Net()
    out = net(np.ones((5, 3), dtype=np.float32))[0]
    mul_node = out.grad_fn
    assert mul_node.scope == (("", "Net"),)
    linear_node = mul_node.inputs[0].grad_fn
    # the ModuleList is iterated, not called, so it pushes no frame of its own
    assert linear_node.scope == (("", "Net"), ("0", "Linear"))
    fc_node = net.block.fc(np.ones((2, 3), dtype=np.float32)).grad_fn
    assert fc_node.scope == (("fc", "Linear"),)
    seq = nn.Sequential(nn.Linear(2, 2), nn.Tanh())
    assert seq(np.ones((1, 2), dtype=np.float32)).grad_fn.scope == (
        ("", "Sequential"), ("1", "Tanh"))
    assert ag.mode.current_scope() == ()
    assert net._name == "" and net.block.fc._name == "fc" and net.heads[1]._name == "1"


def test_scope_is_restored_when_forward_raises():
    seq = nn.Sequential(nn.Linear(2, 2))
    with pytest.raises(ValueError):
        seq(np.ones((1, 3), dtype=np.float32))
    assert ag.mode.current_scope() == ()


def test_apply_and_requires_grad_():
    net = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2))
    seen = []
    net.apply(lambda m: seen.append(type(m).__name__))
    assert seen == ["Linear", "Linear", "Sequential"]
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())


def test_whole_model_gradcheck_in_float64():
    ag.manual_seed(0)
    net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).double()
    x = np.random.default_rng(0).normal(size=(5, 3))
    y = np.array([0, 1, 1, 0, 1])
    import nn.functional as F
    assert ag.gradcheck(lambda *p: F.cross_entropy(net(x), y), list(net.parameters()))
