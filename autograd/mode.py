"""Thread-local modes: grad mode, anomaly detection, and the module scope stack.

Every thread starts with gradients enabled, anomaly detection off and an
empty scope, whatever the thread that started it was doing.
"""
from __future__ import annotations

import functools
import os
import sys
import threading


class _State(threading.local):
    def __init__(self):
        self.grad_enabled = True
        self.anomaly = False
        # Inside backward(create_graph=True) saved values come back as Tensors.
        self.tensor_backward = False
        # Tuple of (name, kind) frames, e.g. (("encoder", "Sequential"), ("0", "Linear")).
        self.scope = ()


_state = _State()


def is_grad_enabled() -> bool:
    """True when new ops are recorded in the graph (the default).

    >>> import autograd as ag
    >>> with ag.no_grad():
    ...     ag.is_grad_enabled()
    False
    """
    return _state.grad_enabled


class _GradMode:
    """Sets grad mode for a ``with`` block, or for every call of a decorated function."""

    enabled = True

    def __init__(self):
        self._prev = []

    def __enter__(self):
        self._prev.append(_state.grad_enabled)
        _state.grad_enabled = self.enabled
        return self

    def __exit__(self, *exc):
        _state.grad_enabled = self._prev.pop()
        return False

    def __call__(self, fn):
        mode = type(self)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with mode():
                return fn(*args, **kwargs)

        return wrapper


class no_grad(_GradMode):
    """Context manager and decorator: ops inside record no graph.

    >>> import autograd as ag
    >>> w = ag.Tensor([1.0, 2.0], requires_grad=True)
    >>> with ag.no_grad():
    ...     y = w * 2
    >>> y.requires_grad, y.grad_fn is None
    (False, True)
    """

    enabled = False


class enable_grad(_GradMode):
    """Context manager and decorator: record the graph again, even inside ``no_grad``.

    >>> import autograd as ag
    >>> with ag.no_grad():
    ...     with ag.enable_grad():
    ...         ag.is_grad_enabled()
    True
    """

    enabled = True


class set_grad_enabled(_GradMode):
    """``with set_grad_enabled(flag):`` records the graph when ``flag`` is true.

    >>> import autograd as ag
    >>> w = ag.Tensor([1.0], requires_grad=True)
    >>> with ag.set_grad_enabled(False):
    ...     y = w * 3
    >>> y.requires_grad
    False
    """

    def __init__(self, mode: bool):
        super().__init__()
        self.enabled = bool(mode)

    def __call__(self, fn):
        flag = self.enabled

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(flag):
                return fn(*args, **kwargs)

        return wrapper


class AnomalyError(RuntimeError):
    """Raised in anomaly mode by the first op whose forward or backward gives NaN or Inf.

    >>> import autograd as ag
    >>> issubclass(ag.AnomalyError, RuntimeError)
    True
    """


class detect_anomaly:
    """Context manager: find the op that first produces NaN or Inf.

    Inside it every op checks its outputs (forward) and the gradients it
    returns (backward); the first non-finite value raises ``AnomalyError``
    naming the op, which output or gradient, and the file and line of the
    user's code that created the op.

    >>> import numpy as np, autograd as ag
    >>> x = ag.Tensor(np.array([1.0, 0.0]), requires_grad=True)
    >>> with ag.detect_anomaly():
    ...     y = x.log()                               # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    AnomalyError: op 'log' produced -Inf in its output 0 ...
    """

    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self._prev = []

    def __enter__(self):
        self._prev.append(_state.anomaly)
        _state.anomaly = self.enabled
        return self

    def __exit__(self, *exc):
        _state.anomaly = self._prev.pop()
        return False


def is_anomaly_enabled() -> bool:
    """True inside ``detect_anomaly()`` (off by default).

    >>> import autograd as ag
    >>> with ag.detect_anomaly():
    ...     ag.is_anomaly_enabled()
    True
    """
    return _state.anomaly


class scope:
    """Push a named frame onto this thread's scope stack for a ``with`` block.

    Every op made inside records the stack (``node.scope``); ``nn.Module``
    pushes its attribute path and class name, and ``viz`` clusters by it.

    >>> import autograd as ag
    >>> x = ag.Tensor([1.0, 2.0], requires_grad=True)
    >>> with ag.scope("enc", "Linear"):
    ...     y = x * 2
    >>> y.grad_fn.scope
    (('enc', 'Linear'),)
    """

    def __init__(self, name: str, kind: str | None = None):
        self.frame = (str(name), kind)
        self._prev = []

    def __enter__(self):
        self._prev.append(_state.scope)
        _state.scope = _state.scope + (self.frame,)
        return self

    def __exit__(self, *exc):
        _state.scope = self._prev.pop()
        return False


def current_scope() -> tuple:
    return _state.scope


# Frames from these folders are the library's own; anomaly reports skip them.
_LIBRARY_DIRS = tuple(
    os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), pkg) + os.sep
    for pkg in ("autograd", "nn", "optim", "viz")
)


def user_frame() -> str:
    """'file:line' of the innermost caller outside this library (for anomaly reports)."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = os.path.abspath(frame.f_code.co_filename)
        if not filename.startswith(_LIBRARY_DIRS):
            return f"{filename}:{frame.f_lineno}"
        frame = frame.f_back
    return "<unknown>"
