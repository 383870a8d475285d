"""Grad mode (no_grad / enable_grad / set_grad_enabled), thread-locality, anomaly
detection and scopes."""
import inspect
import threading

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor


def leaf(data):
    return Tensor(np.asarray(data, dtype=np.float64), requires_grad=True)


def here(offset=1):
    """'this_file:line' of the caller's line plus ``offset``."""
    frame = inspect.currentframe().f_back
    return f"{frame.f_code.co_filename}:{frame.f_lineno + offset}"


def recorded(x):
    return (x * 2).requires_grad


# -- grad mode ---------------------------------------------------------------------

def test_no_grad_and_enable_grad_as_context_managers_nest():
    x = leaf([1.0])
    assert ag.is_grad_enabled() and recorded(x)
    with ag.no_grad():
        assert not ag.is_grad_enabled() and not recorded(x)
        with ag.enable_grad():
            assert ag.is_grad_enabled() and recorded(x)
            with ag.no_grad():
                assert not recorded(x)
            assert recorded(x)
        assert not ag.is_grad_enabled()
    assert ag.is_grad_enabled()


def test_no_grad_and_enable_grad_as_decorators():
    x = leaf([1.0])

    @ag.no_grad()
    def frozen(t):
        """doc kept"""
        return t * 2, ag.is_grad_enabled()

    @ag.enable_grad()
    def live(t):
        return t * 2

    y, enabled = frozen(x)
    assert not enabled and not y.requires_grad and frozen.__doc__ == "doc kept"
    assert ag.is_grad_enabled()
    with ag.no_grad():
        assert live(x).requires_grad
        assert not ag.is_grad_enabled()
    assert frozen.__name__ == "frozen"


def test_mode_restored_after_exception():
    with pytest.raises(KeyError):
        with ag.no_grad():
            raise KeyError("boom")
    assert ag.is_grad_enabled()

    @ag.no_grad()
    def fails():
        raise ValueError("boom")

    with pytest.raises(ValueError):
        fails()
    assert ag.is_grad_enabled()


def test_same_no_grad_object_reentered():
    ctx = ag.no_grad()
    with ctx:
        with ag.enable_grad():
            with ctx:
                assert not ag.is_grad_enabled()
            assert ag.is_grad_enabled()
        assert not ag.is_grad_enabled()
    assert ag.is_grad_enabled()


def test_set_grad_enabled():
    x = leaf([1.0])
    with ag.set_grad_enabled(False):
        assert not recorded(x)
        with ag.set_grad_enabled(True):
            assert recorded(x)
    assert recorded(x)


def test_backward_works_on_graph_built_before_no_grad():
    x = leaf([2.0])
    y = x * x
    with ag.no_grad():
        y.backward()
    assert x.grad.item() == 4.0


def _in_thread(fn):
    out = {}
    th = threading.Thread(target=lambda: out.setdefault("v", fn()))
    th.start()
    th.join()
    return out["v"]


def test_thread_started_inside_no_grad_sees_grad_enabled():
    x = leaf([1.0])
    with ag.no_grad():
        seen = _in_thread(lambda: (ag.is_grad_enabled(), recorded(x)))
        assert not ag.is_grad_enabled()
    assert seen == (True, True)


def test_no_grad_in_a_thread_does_not_leak():
    inside, release = threading.Event(), threading.Event()
    result = {}

    def worker():
        with ag.no_grad():
            result["thread"] = ag.is_grad_enabled()
            inside.set()
            release.wait(5)

    th = threading.Thread(target=worker)
    th.start()
    assert inside.wait(5)
    try:
        assert ag.is_grad_enabled() and recorded(leaf([1.0]))   # while the thread is inside
    finally:
        release.set()
        th.join()
    assert result["thread"] is False


# -- anomaly detection ---------------------------------------------------------------

def test_forward_nan_names_op_output_and_user_line():
    x = leaf([1.0, -1.0])
    with ag.detect_anomaly(), np.errstate(invalid="ignore"):
        assert ag.is_anomaly_enabled()
        with pytest.raises(ag.AnomalyError) as info:
            where = here()
            x.log()
    msg = str(info.value)
    assert "'log'" in msg and "NaN" in msg and "output 0" in msg and where in msg
    assert not ag.is_anomaly_enabled()


def test_forward_zero_over_zero():
    x, y = leaf([0.0, 1.0]), leaf([0.0, 2.0])
    with ag.detect_anomaly(), np.errstate(invalid="ignore"):
        with pytest.raises(ag.AnomalyError) as info:
            where = here()
            x / y
    assert "'div'" in str(info.value) and where in str(info.value)


class TwoOutputs(ag.Function):
    """(x, log(x)): only the second output goes bad for x < 0."""

    @staticmethod
    def forward(ctx, x):
        with np.errstate(invalid="ignore"):
            return x * 1.0, np.log(x)

    @staticmethod
    def backward(ctx, g0, g1):
        return g0


def test_forward_anomaly_names_which_output():
    with ag.detect_anomaly(), pytest.raises(ag.AnomalyError) as info:
        TwoOutputs.apply(leaf([-1.0]))
    assert "'twooutputs'" in str(info.value) and "output 1" in str(info.value)


def test_backward_inf_names_op_input_and_where_it_was_created():
    x = leaf([0.0, 4.0])
    with ag.detect_anomaly(), np.errstate(divide="ignore"):
        where = here()
        y = x.sqrt()
        loss = y.sum()
        with pytest.raises(ag.AnomalyError) as info:
            loss.backward()
    msg = str(info.value)
    assert "'sqrt'" in msg and "Inf" in msg and "input 0" in msg and where in msg
    assert "backward" in msg


class BadSecondGrad(ag.Function):
    @staticmethod
    def forward(ctx, x, y):
        return x + y

    @staticmethod
    def backward(ctx, g):
        return g, np.full_like(g, np.nan)


def test_backward_anomaly_names_which_input():
    a, b = leaf([1.0]), leaf([2.0])
    with ag.detect_anomaly():
        where = here()
        y = BadSecondGrad.apply(a, b)
        with pytest.raises(ag.AnomalyError) as info:
            y.sum().backward()
    msg = str(info.value)
    assert "'badsecondgrad'" in msg and "NaN" in msg and "input 1" in msg and where in msg


def test_outside_detect_anomaly_nothing_raises():
    x = leaf([0.0, -1.0])
    with np.errstate(all="ignore"):
        y = x.log() + x.sqrt()
        y.sum().backward()
    assert np.isnan(y.data).any() and not np.isfinite(x.grad.data).all()
    assert not ag.is_anomaly_enabled()


def test_detect_anomaly_is_thread_local_and_nests():
    with ag.detect_anomaly():
        assert _in_thread(ag.is_anomaly_enabled) is False
        with ag.detect_anomaly(False):
            assert not ag.is_anomaly_enabled()
        assert ag.is_anomaly_enabled()
    assert not ag.is_anomaly_enabled()


def test_node_where_is_recorded_only_in_anomaly_mode():
    x = leaf([1.0])
    assert (x * 2).grad_fn.where is None
    with ag.detect_anomaly():
        where = here()
        y = x * 2
    assert y.grad_fn.where == where


# -- scopes ----------------------------------------------------------------------------

def test_scope_stack_is_recorded_on_nodes():
    x = leaf([1.0])
    with ag.scope("", "Net"):
        with ag.scope("encoder", "Sequential"):
            y = x * 2
        z = y + 1
    w = z * 3
    assert y.grad_fn.scope == (("", "Net"), ("encoder", "Sequential"))
    assert z.grad_fn.scope == (("", "Net"),)
    assert w.grad_fn.scope == ()
