"""The notes' computation-graph example, end to end."""
import autograd as ag
from autograd import Tensor


def test_notes_example():
    a = Tensor(5.0, requires_grad=True, name="a")
    b = Tensor(3.0, requires_grad=True, name="b")
    c = Tensor(2.0, requires_grad=True, name="c")
    u = b * c
    v = a + u
    J = 3 * v
    assert J == 33 and J.dtype == "float32" and J.shape == ()
    J.backward()
    assert (a.grad, b.grad, c.grad) == (3, 6, 9)
    assert ag.is_grad_enabled()
