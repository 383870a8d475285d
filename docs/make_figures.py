"""Render the figures the README shows: ``python docs/make_figures.py``.

docs/notes_graph.svg: the notes' example J = 3(a + bc), with the value and
the gradient of every node (a=5, b=3, c=2, u=6, v=11, J=33; dJ/da=3,
dJ/db=6, dJ/dc=9). Uses the Graphviz ``dot`` program, or the WebAssembly
fallback when ``dot`` is missing.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))   # run from a checkout without installing

import viz  # noqa: E402
from autograd import Tensor  # noqa: E402


def notes_graph(path):
    a = Tensor(5.0, requires_grad=True, name="a")
    b = Tensor(3.0, requires_grad=True, name="b")
    c = Tensor(2.0, requires_grad=True, name="c")
    u = b * c
    v = a + u
    J = 3 * v
    u.name, v.name, J.name = "u", "v", "J"     # the names drawn under the ops
    J.backward()    # each op keeps the gradient of its output: viz shows u's and v's too
    return viz.render(J, path, show_values=True, show_grads=True, rankdir="LR")


if __name__ == "__main__":
    print(notes_graph(os.path.join(HERE, "notes_graph.svg")))
