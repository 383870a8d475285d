"""The op declarations (autograd/ops/registry.py) make the functions, the Tensor
methods and ``autograd.__all__``; PyTorch's keyword spellings are accepted."""
import inspect

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor
from autograd.ops.registry import DECLARED, respell


def test_every_declared_op_is_public_with_its_aliases():
    for name, decl in DECLARED.items():
        for n in (name,) + decl.aliases:
            assert getattr(ag, n) is decl.fn, n
            assert n in ag.__all__, n


def test_every_declared_method_is_the_declared_function():
    for decl in DECLARED.values():
        for m in decl.methods:
            assert Tensor.__dict__[m] is decl.fn, m


def test_every_declared_op_has_a_docstring_with_an_example():
    for name, decl in DECLARED.items():
        doc = inspect.getdoc(decl.fn) or ""
        assert decl.summary, f"{name} has no docstring"
        assert ">>>" in doc, f"{name}'s docstring has no example"


def test_all_has_no_duplicates_and_only_real_names():
    assert len(ag.__all__) == len(set(ag.__all__))
    for n in ag.__all__:
        assert hasattr(ag, n), n


def test_dim_and_keepdim_spell_axis_and_keepdims():
    x = Tensor(np.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal(x.sum(dim=1, keepdim=True).data, x.sum(axis=1, keepdims=True).data)
    np.testing.assert_array_equal(ag.mean(x, dim=0).data, x.data.mean(axis=0))
    assert x.unsqueeze(dim=0).shape == (1, 2, 3)
    assert ag.concatenate([x, x], dim=1).shape == (2, 6)
    assert x.swapaxes(dim0=0, dim1=1).shape == (3, 2)


def test_both_spellings_at_once_is_a_clear_error():
    x = Tensor(np.ones((2, 3)))
    with pytest.raises(TypeError, match="sum: got both 'axis' and 'dim'"):
        x.sum(axis=0, dim=0)


def test_an_unknown_keyword_names_the_accepted_spellings():
    with pytest.raises(TypeError, match=r"mean: unexpected keyword argument 'dims'.*axis \(or dim\)"):
        ag.mean(Tensor(np.ones(3)), dims=0)
    with pytest.raises(TypeError, match="no keyword arguments"):
        respell("f", {"x": 1}, [])


def test_declaring_a_name_twice_raises():
    from autograd.ops.registry import op
    with pytest.raises(RuntimeError, match="declared twice"):
        @op("elementwise")
        def exp(x):  # noqa: F811
            return x
