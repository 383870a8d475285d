"""The elementwise and logic vocabulary of issue 11 beyond what the op table checks:
the pow gradients at 0 (regressions), matmul's 0-d error, bitwise operators on integer
tensors (a regression: & and | were logical), clamp's tensor bounds at ties and crossed
bounds, and the values PyTorch gives at the edges."""
import numpy as np
import pytest

import autograd as ag
from autograd import Tensor


def _leaf(values):
    return Tensor(np.array(values, dtype=np.float64), requires_grad=True)


def _grads(fn, *values):
    xs = [_leaf(v) for v in values]
    fn(*xs).sum().backward()
    return [x.grad.data for x in xs]


# -- pow at 0 (issue 11, item 5) ----------------------------------------------------

def test_x_to_the_0_has_gradient_0_at_0():
    (gx,) = _grads(lambda x: x ** 0, [0.0, 2.0, -1.5])
    np.testing.assert_array_equal(gx, [0.0, 0.0, 0.0])  # was NaN at 0
    (gx,) = _grads(lambda x: x ** np.array([0.0, 2.0, 0.0]), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(gx, [0.0, 0.0, 0.0])
    x = _leaf([0.0])
    (g,) = ag.grad((x ** 0).sum(), [x], create_graph=True)
    assert g.item() == 0.0


def test_x_to_the_y_at_x_equal_y_equal_0():
    gx, gy = _grads(lambda x, y: x ** y, [0.0], [0.0])
    assert gx.item() == 0.0 and gy.item() == 0.0  # PyTorch: 0 and 0 (was NaN)


@pytest.mark.filterwarnings("ignore:divide by zero encountered in power")  # NumPy's forward
def test_0_to_a_negative_power_gives_pytorchs_infinite_gradients():
    for zero in (0.0, np.float64(0.0), Tensor(np.zeros(3))):
        (gy,) = _grads(lambda y: zero ** y, [-1.0, -0.5, 2.0])
        np.testing.assert_array_equal(gy, [-np.inf, -np.inf, 0.0])  # was NaN
    gx, gy = _grads(lambda x, y: x ** y, [0.0, 0.0], [-1.0, 0.5])
    np.testing.assert_array_equal(gx, [-np.inf, np.inf])
    np.testing.assert_array_equal(gy, [-np.inf, 0.0])


@pytest.mark.filterwarnings("ignore:divide by zero encountered in power")
def test_pow_at_0_matches_pytorch_on_a_grid():
    torch = pytest.importorskip("torch")
    xs, ys = np.meshgrid([0.0, 0.5, 2.0], [-1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0])
    xs, ys = xs.ravel(), ys.ravel()
    w = np.linspace(-1.0, 1.5, xs.size)  # signed incoming gradients: -inf and +inf
    x, y = _leaf(xs), _leaf(ys)
    (x ** y * Tensor(w)).sum().backward()
    tx, ty = (torch.tensor(a, requires_grad=True) for a in (xs, ys))
    (tx ** ty * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-14, atol=0)
    np.testing.assert_allclose(y.grad.data, ty.grad.numpy(), rtol=1e-14, atol=0)


def test_pow_keeps_its_negative_base_convention():
    """For x < 0 the exponent's gradient stays 0 (log x is undefined; PyTorch gives NaN)."""
    gx, gy = _grads(lambda x, y: x ** y, [-2.0], [2.0])
    assert gx.item() == -4.0 and gy.item() == 0.0


# -- matmul with a 0-d operand -------------------------------------------------------

@pytest.mark.parametrize("a,b,dims", [((), (3,), "0-D and 1-D"), ((2, 3), (), "2-D and 0-D")])
def test_matmul_with_a_0d_operand_is_pytorchs_clear_error(a, b, dims):
    x, y = Tensor(np.ones(a), requires_grad=True), Tensor(np.ones(b))
    with pytest.raises(ValueError, match=f"matmul: both arguments need to be at least 1-D, "
                                         f"but they are {dims}"):
        x @ y
    with pytest.raises(ValueError, match="use \\* to multiply by a scalar"):
        ag.matmul(x, 2.0)


# -- bitwise operators ---------------------------------------------------------------

def test_and_or_on_integer_tensors_are_bitwise():
    x = Tensor(np.array([12, 10, -1]))
    assert (x & 6).tolist() == [4, 2, 6]  # was logical: [True, True, True]
    assert (x | 1).tolist() == [13, 11, -1]
    assert (x ^ Tensor(np.array([12, 0, 1]))).tolist() == [0, 10, -2]
    assert (3 & x).tolist() == [0, 2, 3] and (1 | x).tolist() == [13, 11, -1]
    assert (~x).tolist() == [-13, -11, 0]
    assert (x << 2).tolist() == [48, 40, -4] and (x >> 2).tolist() == [3, 2, -1]
    assert (1 << Tensor(np.array([0, 3]))).tolist() == [1, 8]
    assert (x & 6).dtype == np.int64 and not (x & 6).requires_grad
    small = Tensor(np.array([1, 2], dtype=np.uint8))
    assert (small | np.uint8(4)).dtype == np.uint8


def test_and_or_xor_not_on_bool_tensors_are_logical():
    a, b = Tensor(np.array([True, True, False])), Tensor(np.array([True, False, False]))
    assert (a & b).tolist() == [True, False, False] and (a & b).dtype == bool
    assert (a | b).tolist() == [True, True, False]
    assert (a ^ b).tolist() == [False, True, False]
    assert (~a).tolist() == [False, False, True]
    x = Tensor([-1.0, 0.5, 2.0])
    assert ((x > 0) & (x < 1)).tolist() == [False, True, False]


def test_bitwise_ops_on_float_tensors_are_a_clear_error():
    x = Tensor([1.0, 2.0])
    for expr, name in [(lambda: x & x, "bitwise_and"), (lambda: 1 | x, "bitwise_or"),
                       (lambda: x ^ 1, "bitwise_xor"), (lambda: ~x, "bitwise_not"),
                       (lambda: x << 1, "bitwise_left_shift"),
                       (lambda: Tensor(np.array([4])) >> 1.0, "bitwise_right_shift")]:
        with pytest.raises(TypeError, match=f"{name}: only integer and bool tensors"):
            expr()


# -- clamp with tensor bounds ----------------------------------------------------------

def test_clamp_tensor_bounds_gradients_match_pytorch_at_ties_and_crossed_bounds():
    torch = pytest.importorskip("torch")
    x = [0.0, 1.0, 2.0, 3.0, 1.0, 0.5, 1.5, 1.0]
    lo = [1.0, 1.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0]
    hi = [2.0, 2.0, 2.0, 2.0, 0.0, 0.5, 1.0, 1.0]  # ties, lo > hi, lo == hi
    ours = _grads(lambda a, b, c: ag.clamp(a, b, c) * Tensor(np.arange(1.0, 9.0)), x, lo, hi)
    ts = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (x, lo, hi)]
    (torch.clamp(*ts) * torch.arange(1.0, 9.0, dtype=torch.float64)).sum().backward()
    for g, t in zip(ours, ts):
        np.testing.assert_array_equal(g, t.grad.numpy())
    for kw, tkw in [({"min": 1.0}, {"min": 1.0}), ({"max": 1.0}, {"max": 1.0})]:
        bound = Tensor(np.array(1.0), requires_grad=True)
        a = _leaf(x)
        key = next(iter(kw))
        ag.clamp(a, **{key: bound}).sum().backward()
        ta = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        tb = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
        torch.clamp(ta, **{key: tb}).sum().backward()
        np.testing.assert_array_equal(a.grad.data, ta.grad.numpy())
        assert bound.grad.item() == tb.grad.item()


def test_clamp_bounds_broadcast_and_keywords():
    x = Tensor(np.array([[-3.0, 0.0, 3.0]]))
    lo = Tensor(np.array([[-1.0], [0.5]]))
    out = x.clamp(min=lo, max=2.0)
    np.testing.assert_array_equal(out.data, [[-1.0, 0.0, 2.0], [0.5, 0.5, 2.0]])
    np.testing.assert_array_equal(ag.clip(x, None, 1.0).data, [[-3.0, 0.0, 1.0]])
    with pytest.raises(TypeError, match="clip: got both lo and min"):
        ag.clamp(x, 0.0, min=1.0)
    with pytest.raises(TypeError, match="clip: got both hi and max"):
        x.clip(None, 0.0, max=1.0)
    assert x.clamp(min=0.0).dtype == np.float64
    assert Tensor([1.0]).clamp(min=Tensor(np.array([0.0], np.float32))).dtype == np.float32


# -- edges, with PyTorch's values ------------------------------------------------------

def test_piecewise_constant_ops_have_zero_gradient_and_a_graph():
    for fn in (ag.floor, ag.ceil, ag.trunc, ag.round, ag.sign,
               lambda x: ag.round(x, decimals=1), lambda x: x // 0.7):
        x = _leaf([-1.7, 0.2, 2.5])
        y = fn(x)
        assert y.requires_grad and y.grad_fn is not None
        y.sum().backward()
        np.testing.assert_array_equal(x.grad.data, [0.0, 0.0, 0.0])


def test_rounding_values_and_integer_dtypes_follow_numpy():
    x = Tensor([-2.5, -0.5, 0.5, 1.5, 2.5])
    np.testing.assert_array_equal(ag.round(x).data, [-2.0, -0.0, 0.0, 2.0, 2.0])
    np.testing.assert_array_equal(ag.round(Tensor([1234.5678]), decimals=-2).data, [1200.0])
    with pytest.raises(TypeError, match="round: decimals must be an integer"):
        ag.round(x, decimals=0.5)
    i = Tensor(np.array([-3, 0, 4]))
    for fn, npfn in [(ag.floor, np.floor), (ag.sign, np.sign), (ag.round, np.round),
                     (ag.square, np.square)]:
        assert fn(i).dtype == npfn(i.data).dtype
    np.testing.assert_array_equal(ag.frac(Tensor([-1.25, 3.75])).data, [-0.25, 0.75])


def test_remainder_and_floor_divide_have_pythons_signs():
    x = Tensor([-5.0, 5.0, -5.0, 5.0])
    y = Tensor([3.0, 3.0, -3.0, -3.0])
    assert (x % y).tolist() == [1.0, 2.0, -2.0, -1.0]  # the divisor's sign, as -5 % 3
    assert (x // y).tolist() == [-2.0, 1.0, 1.0, -2.0]
    assert ag.fmod(x, y).tolist() == [-2.0, 2.0, -2.0, 2.0]  # the dividend's sign
    assert (7 % Tensor(np.array([4, -4]))).tolist() == [3, -1]
    assert (7 // Tensor(np.array([4, -4]))).tolist() == [1, -2]
    gx, gy = _grads(lambda a, b: a % b, [-5.0, 5.0], [3.0, -3.0])
    np.testing.assert_array_equal(gx, [1.0, 1.0])
    np.testing.assert_array_equal(gy, [2.0, 2.0])  # -floor(x / y)
    gx, gy = _grads(ag.fmod, [-5.0, 5.0], [3.0, -3.0])
    np.testing.assert_array_equal(gy, [1.0, 1.0])  # -trunc(x / y)


def test_copysign_atan2_hypot_lerp_logaddexp_edges():
    gx, gy = _grads(ag.copysign, [3.5, -3.5, 0.0, 0.0], [2.0, 2.0, -1.0, 1.0])
    np.testing.assert_array_equal(gx, [1.0, -1.0, 0.0, 0.0])  # PyTorch's values
    np.testing.assert_array_equal(gy, [0.0, 0.0, 0.0, 0.0])
    gy, gx = _grads(ag.atan2, [0.0, 3.0], [0.0, 4.0])
    np.testing.assert_allclose(gy, [0.0, 0.16]) and np.testing.assert_allclose(gx, [0.0, -0.12])
    assert ag.hypot(Tensor(np.array([1e300])), 1e300).item() == pytest.approx(np.sqrt(2) * 1e300)
    a, b = Tensor(np.array([0.1, -7.3])), Tensor(np.array([0.7, 2.9]))
    assert ag.lerp(a, b, 1.0).tolist() == b.tolist()  # exact at the ends
    assert ag.lerp(a, b, 0.0).tolist() == a.tolist()
    assert ag.logaddexp(Tensor(np.array([1000.0])), 1000.0).item() == 1000.0 + np.log(2)
    gx, gy = _grads(ag.logaddexp, [0.0, 1000.0], [np.log(3.0), -1000.0])
    np.testing.assert_allclose(gx, [0.25, 1.0]) and np.testing.assert_allclose(gy, [0.75, 0.0])


def test_nan_to_num_passes_gradient_only_where_finite():
    (g,) = _grads(lambda x: ag.nan_to_num(x, nan=1.0, posinf=2.0, neginf=-2.0) * 3,
                  [0.5, np.nan, np.inf, -np.inf])
    np.testing.assert_array_equal(g, [3.0, 0.0, 0.0, 0.0])
    x32 = Tensor(np.array([np.inf], np.float32))
    assert ag.nan_to_num(x32).item() == np.finfo(np.float32).max
    assert ag.nan_to_num(Tensor(np.array([3, -1]))).tolist() == [3, -1]


def test_comparisons_and_tests_never_require_grad():
    x = _leaf([1.0, np.nan, np.inf])
    for out in (ag.eq(x, 1.0), x.ne(x), x.lt(2.0), ag.isnan(x), x.isinf(), x.isfinite(),
                ag.isclose(x, x, equal_nan=True), x.logical_not(), ag.logical_xor(x, 0.0)):
        assert out.dtype == bool and not out.requires_grad and out.grad_fn is None
    assert ag.isclose(x, x, equal_nan=True).tolist() == [True, True, True]
    assert ag.isclose(x, x).tolist() == [True, False, True]


def test_new_ops_are_methods_and_functions_with_pytorchs_names():
    names = """square rsqrt reciprocal log1p expm1 log2 log10 exp2 tan asin acos atan atan2
        sinh cosh asinh acosh atanh erf erfc floor ceil round trunc sign frac fmod remainder
        floor_divide logaddexp lerp hypot copysign nan_to_num clamp clip eq ne lt le gt ge
        isnan isinf isfinite isclose logical_and logical_or logical_not logical_xor
        bitwise_and bitwise_or bitwise_xor bitwise_not bitwise_left_shift
        bitwise_right_shift arcsin arccos arctan arctan2 arcsinh arccosh arctanh""".split()
    for name in names:
        assert callable(getattr(ag, name)), name
        assert name in ag.__all__, name
        assert getattr(Tensor, name) is getattr(ag, name), name
