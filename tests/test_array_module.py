"""Issue 11 item 6: ops allocate through the array module of their inputs.

``array_module`` picks NumPy for NumPy's arrays, scalars and Python numbers, and an
object's ``__array_namespace__()`` otherwise; ops route their allocations through it
(shown with a tiny fake namespace that records calls); and the op modules hold no bare
``np.zeros/ones/empty/full`` call outside the allow-list below."""
import ast
import pathlib
from types import SimpleNamespace

import numpy as np
import pytest

import autograd as ag
from autograd.ops import rounding, scan, shape
from autograd.ops.xp import array_module, dtype_of

OPS = pathlib.Path(ag.__file__).parent / "ops"
CONVERTED = ("elementwise unary activation activation_smooth reduce scan sort norm trig "
             "special rounding logic index shape shape_more pieces matrix einsum "
             "linalg").split()
ALLOCATORS = {"zeros", "ones", "empty", "full",
              "zeros_like", "ones_like", "empty_like", "full_like"}
# (module, enclosing function, np.<name>) -> why NumPy stays there
ALLOWED = {
    ("activation", "_zeros_for", "zeros"):
        "a cached block of zeros for NumPy 2's slow maximum-against-a-scalar loop; "
        "taken only when type(x) is np.ndarray, other arrays get the scalar 0",
}


class FakeArray:
    """An array of another library: just enough for the ops' allocation paths."""

    def __init__(self, namespace, shape=(2,), dtype=np.float32):
        self.namespace, self.shape, self.dtype = namespace, shape, dtype

    def __array_namespace__(self, api_version=None):
        return self.namespace

    def __setitem__(self, index, value):
        self.written = (index, value)


def fake_namespace(name="fakelib"):
    """A namespace whose allocators record their calls and return FakeArrays."""
    calls = []

    def make(kind):
        def alloc(*args, **kwargs):
            calls.append((kind, args, kwargs))
            shape_ = args[0].shape if kind.endswith("_like") else args[0]
            return FakeArray(ns, tuple(np.atleast_1d(shape_)), kwargs.get("dtype"))
        return alloc

    ns = SimpleNamespace(__name__=name, calls=calls,
                         **{kind: make(kind) for kind in ALLOCATORS})
    return ns


@pytest.mark.parametrize("arrays", [
    (np.ones(3),), (np.float32(2.0),), (2,), (2.5,), (True,), (ag.Tensor([1.0]),),
    (np.ones(2), 3.0, None), ([1.0, 2.0],), (),
])
def test_numpy_for_numpy_arrays_scalars_and_numbers(arrays):
    assert array_module(*arrays) is np


def test_another_librarys_namespace_from_array_namespace():
    ns = fake_namespace()
    a = FakeArray(ns)
    assert array_module(a) is ns
    assert array_module(np.ones(2), a, 1.0) is ns  # NumPy and numbers do not outvote it
    assert array_module(ag.Tensor(np.ones(2)), None, a) is ns


def test_two_other_libraries_are_a_clear_error():
    with pytest.raises(TypeError, match="array_module.*'liba'.*'libb'"):
        array_module(FakeArray(fake_namespace("liba")), FakeArray(fake_namespace("libb")))


def test_dtype_of():
    assert dtype_of(np.ones(2, np.float32)) == np.float32
    assert dtype_of(np.int16(3)) == np.int16
    assert dtype_of(1.5) == np.float64


def test_ops_allocate_with_the_inputs_module():
    ns = fake_namespace()
    g = FakeArray(ns, (2, 3), np.float32)
    zeros = rounding._zeros(g)  # the zero gradient of floor, ceil, round, ...
    assert isinstance(zeros, FakeArray) and ns.calls[-1][0] == "zeros_like"
    ones = scan.others_product(g, ())  # prod over no axes: ones shaped like x
    assert isinstance(ones, FakeArray) and ns.calls[-1] == ("ones", ((2, 3),),
                                                            {"dtype": np.float32})
    # getitem's gradient: zeros from g's module, g written in (a basic index; the
    # advanced one uses np.add.at, NumPy-only)
    out = shape.scatter_array(g, (4, 3), slice(0, 2))
    assert isinstance(out, FakeArray) and out.written == (slice(0, 2), g)
    assert ns.calls[-1] == ("zeros", ((4, 3),), {"dtype": np.float32})


def _bare_allocations(module, folder=OPS):
    """(enclosing function, np.<name>, line) of every np.<allocator>(...) call."""
    tree = ast.parse((folder / f"{module}.py").read_text())
    found = []

    def visit(node, where):
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, (ast.FunctionDef, ast.ClassDef)) \
                else where
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute) \
                    and isinstance(child.func.value, ast.Name) \
                    and child.func.value.id == "np" and child.func.attr in ALLOCATORS:
                found.append((where, child.func.attr, child.lineno))
            visit(child, inner)

    visit(tree, "<module>")
    return found


@pytest.mark.parametrize("module", CONVERTED)
def test_op_modules_allocate_through_array_module(module):
    bare = [(where, name, line) for where, name, line in _bare_allocations(module)
            if (module, where, name) not in ALLOWED]
    assert not bare, (f"autograd/ops/{module}.py allocates with NumPy directly at "
                      f"{bare}: use array_module(x).{bare[0][1]}(...) or add it to ALLOWED "
                      "with a reason")


def test_the_allow_list_is_still_needed():
    used = {(m, where, name) for m in CONVERTED for where, name, _ in _bare_allocations(m)}
    assert set(ALLOWED) <= used, f"stale ALLOWED entries: {set(ALLOWED) - used}"


def test_the_grep_sees_a_bare_allocation(tmp_path):
    (tmp_path / "probe.py").write_text(
        '"""ag.Tensor(np.zeros(3)) in a docstring is not a call."""\n'
        "def f(x):\n    return np.ones(x.shape)\n")
    assert _bare_allocations("probe", tmp_path) == [("f", "ones", 3)]
