"""Reference update rules in NumPy and the optimizer settings the optim tests run."""
import numpy as np

from autograd import Tensor

STEPS = 20


# -- reference update rules, written out in NumPy ---------------------------------
def sgd_rule(lr, momentum=0, dampening=0, nesterov=False, weight_decay=0, maximize=False):
    buf = None

    def step(w, g):
        nonlocal buf
        g = (-g if maximize else g) + weight_decay * w
        if momentum:
            buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        return w - lr * g
    return step


def momentum_rule(lr=0.01, beta=0.9, bias_correction=False, weight_decay=0):
    v, t = 0.0, 0

    def step(w, g):
        nonlocal v, t
        t += 1
        v = beta * v + (1 - beta) * (g + weight_decay * w)
        return w - lr * (v / (1 - beta ** t) if bias_correction else v)
    return step


def rmsprop_rule(lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                 maximize=False):
    s = v = buf = 0.0

    def step(w, g):
        nonlocal s, v, buf
        g = (-g if maximize else g) + weight_decay * w
        s = alpha * s + (1 - alpha) * g ** 2
        v = alpha * v + (1 - alpha) * g
        denom = np.sqrt(s - v ** 2 if centered else s) + eps
        if momentum:
            buf = momentum * buf + g / denom
            return w - lr * buf
        return w - lr * g / denom
    return step


def adam_rule(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False,
              maximize=False, decoupled=False):
    (b1, b2), state = betas, dict(v=0.0, s=0.0, s_max=0.0, t=0)

    def step(w, g):
        g = -g if maximize else g
        if decoupled:
            w = w * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * w
        state["t"] += 1
        t = state["t"]
        state["v"] = v = b1 * state["v"] + (1 - b1) * g
        state["s"] = s = b2 * state["s"] + (1 - b2) * g ** 2
        state["s_max"] = s_max = np.maximum(state["s_max"], s)
        v_hat = v / (1 - b1 ** t)
        s_hat = (s_max if amsgrad else s) / (1 - b2 ** t)
        return w - lr * v_hat / (np.sqrt(s_hat) + eps)
    return step


def adamw_rule(weight_decay=0.01, **kw):
    return adam_rule(weight_decay=weight_decay, decoupled=True, **kw)


# (optimizer name, keyword arguments, reference rule); torch has the same names but Momentum
CASES = [
    ("SGD", dict(lr=0.1), sgd_rule),
    ("SGD", dict(lr=0.1, weight_decay=0.1), sgd_rule),
    ("SGD", dict(lr=0.05, momentum=0.9), sgd_rule),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.01), sgd_rule),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True), sgd_rule),
    ("SGD", dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.1, maximize=True),
     sgd_rule),
    ("Momentum", dict(lr=0.1, beta=0.9), momentum_rule),
    ("Momentum", dict(lr=0.1, beta=0.8, bias_correction=True, weight_decay=0.05),
     momentum_rule),
    ("RMSprop", dict(lr=0.01), rmsprop_rule),
    ("RMSprop", dict(lr=0.01, alpha=0.9, weight_decay=0.1), rmsprop_rule),
    ("RMSprop", dict(lr=0.01, momentum=0.9, centered=True), rmsprop_rule),
    ("RMSprop", dict(lr=0.01, momentum=0.5, eps=1e-3, maximize=True), rmsprop_rule),
    ("Adam", dict(lr=0.01), adam_rule),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.1), adam_rule),
    ("Adam", dict(lr=0.01, amsgrad=True, eps=1e-4), adam_rule),
    ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.05, maximize=True), adam_rule),
    ("AdamW", dict(lr=0.01), adamw_rule),
    ("AdamW", dict(lr=0.01, weight_decay=0.3, amsgrad=True), adamw_rule),
]
IDS = [f"{name}-{'-'.join(f'{k}={v}' for k, v in kw.items())}" for name, kw, _ in CASES]


def grad_at(w):
    """A gradient that depends on w nonlinearly, so trajectories diverge if a rule is off."""
    return np.sin(3 * w) + 0.5 * w - 0.2


def start_values(shape=(3, 2), seed=0):
    return np.random.default_rng(seed).normal(size=shape)


def run(opt, p, steps):
    trace = []
    for _ in range(steps):
        p.grad = Tensor(grad_at(p.data))
        opt.step()
        trace.append(p.data.copy())
    return trace
