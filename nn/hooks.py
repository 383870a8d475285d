"""Module hooks (PyTorch's): forward pre-hooks, forward hooks and full backward hooks.

``Module`` inherits them from ``HooksMixin``; ``Module.__call__`` takes the slow
path here only when the module has hooks (one class-attribute test otherwise).

A full backward hook sees the gradients with respect to the module's inputs and
outputs. As in PyTorch, the inputs and the outputs pass through identity nodes:
the one on the outputs notes ``grad_output``, the one on the inputs (made before
the module's own ops, so the engine reaches it last) calls the hooks with
``grad_input`` and passes on what they return.
"""
from __future__ import annotations

import numpy as np

import autograd as ag
from autograd import Function, Tensor
from autograd.hooks import HookDict, add_hook
from autograd.mode import _state


class HooksMixin:
    """The hook registrations of ``nn.Module``."""

    _has_hooks = False   # set on the instance by the first registration

    def _hook_table(self, name):
        d = self.__dict__
        d["_has_hooks"] = True
        return d.setdefault(name, HookDict())

    def register_forward_pre_hook(self, hook, *, prepend: bool = False):
        """``hook(module, args)`` runs before ``forward``; returning a value replaces
        the positional arguments (a tuple, or one value for a single argument).

        >>> import numpy as np, nn
        >>> lin = nn.Linear(2, 1, bias=False)
        >>> h = lin.register_forward_pre_hook(lambda m, args: args[0] * 0)
        >>> lin(np.ones((1, 2), np.float32)).tolist()
        [[0.0]]
        >>> h.remove()
        """
        return add_hook(self._hook_table("_forward_pre_hooks"), hook,
                        f"{type(self).__name__}.register_forward_pre_hook", prepend)

    def register_forward_hook(self, hook, *, prepend: bool = False):
        """``hook(module, args, output)`` runs after ``forward``; returning a value
        replaces the output. If a hook raises, the module's buffers (batch norm's
        running statistics) are put back as they were before the call.

        >>> import numpy as np, nn
        >>> seen = []
        >>> net = nn.Sequential(nn.Linear(3, 4), nn.ReLU())
        >>> h = net[0].register_forward_hook(lambda m, args, out: seen.append(out.shape))
        >>> _ = net(np.ones((2, 3), np.float32)); seen
        [(2, 4)]
        """
        return add_hook(self._hook_table("_forward_hooks"), hook,
                        f"{type(self).__name__}.register_forward_hook", prepend)

    def register_full_backward_hook(self, hook, *, prepend: bool = False):
        """``hook(module, grad_input, grad_output)`` runs in backward, once the
        gradients with respect to the module's positional Tensor inputs are known
        (tuples of Tensors, ``None`` for an input that needs no gradient);
        returning a tuple replaces ``grad_input``.

        >>> import numpy as np, autograd as ag, nn
        >>> lin = nn.Linear(2, 1, bias=False)
        >>> seen = []
        >>> h = lin.register_full_backward_hook(
        ...     lambda m, gi, go: seen.append((gi[0].shape, go[0].shape)))
        >>> x = ag.Tensor(np.ones((3, 2), np.float32), requires_grad=True)
        >>> lin(x).sum().backward(); seen
        [((3, 2), (3, 1))]
        """
        return add_hook(self._hook_table("_backward_hooks"), hook,
                        f"{type(self).__name__}.register_full_backward_hook", prepend)


def call_with_hooks(module, args, kwargs):
    """``module(*args, **kwargs)`` with its hooks (the module's scope pushed, as always)."""
    d = module.__dict__
    pre, post, back = (d.get("_forward_pre_hooks"), d.get("_forward_hooks"),
                       d.get("_backward_hooks"))
    for hook in list(pre.values()) if pre else ():
        out = hook(module, args)
        if out is not None:
            args = out if isinstance(out, tuple) else (out,)
    back = list(back.values()) if back and _state.grad_enabled else None
    if back:
        state = _BackwardState(module, back)
        args = state.wrap_inputs(args)
    buffers = _snapshot(module) if post else None
    st = _state
    prev = st.scope
    st.scope = prev + (module._frame,)
    try:
        output = module.forward(*args, **kwargs)
        for hook in list(post.values()) if post else ():
            out = hook(module, args, output)
            if out is not None:
                output = out
    except BaseException:
        if buffers:
            _restore(buffers)
        raise
    finally:
        st.scope = prev
    return state.wrap_outputs(output) if back else output


def _snapshot(module):
    return [(b, b.data, b.data.copy()) for b in module.buffers()]


def _restore(buffers):
    for b, arr, copy in buffers:
        b.data = arr
        arr[...] = copy


class _BackwardState:
    """One call's full backward hooks and the gradients gathered for them."""

    def __init__(self, module, hooks):
        self.module, self.hooks = module, hooks
        self.n_in = 0
        self.in_slots = ()      # positions of the inputs that go through the identity
        self.grad_output = None
        self.fired = False

    def wrap_inputs(self, args):
        tensors = [i for i, a in enumerate(args) if isinstance(a, (Tensor, np.ndarray))]
        self.n_in = len(tensors)
        self.in_pos = tensors
        slots = [i for i in tensors if getattr(args[i], "requires_grad", False)]
        self.in_slots = slots
        if not slots:
            return args
        outs = _Identity.apply(*[args[i] for i in slots], state=self, side="in")
        args = list(args)
        for i, o in zip(slots, outs):
            args[i] = o
        return tuple(args)

    def wrap_outputs(self, output):
        single = isinstance(output, Tensor)
        items = [output] if single else list(output) if isinstance(output, (tuple, list)) \
            else []
        pos = [i for i, o in enumerate(items) if isinstance(o, Tensor) and o.requires_grad]
        self.n_out = sum(isinstance(o, Tensor) for o in items)
        self.out_pos = [i for i, o in enumerate(items) if isinstance(o, Tensor)]
        self.out_slots = pos
        if not pos:
            return output
        outs = _Identity.apply(*[items[i] for i in pos], state=self, side="out")
        for i, o in zip(pos, outs):
            items[i] = o
        return items[0] if single else type(output)(items)

    def on_grad_output(self, grads):
        by_pos = dict(zip(self.out_slots, grads))
        self.grad_output = tuple(_as_tensor(by_pos.get(i)) for i in self.out_pos)
        if not self.in_slots:   # nothing below needs a gradient: the hooks fire now
            self.call_hooks(())
        return grads

    def on_grad_input(self, grads):
        if self.grad_output is None:   # the output got no gradient at all
            self.grad_output = tuple(None for _ in range(self.n_out))
        grads = self.call_hooks(grads)
        self.grad_output = None
        return grads

    def call_hooks(self, grads):
        by_pos = dict(zip(self.in_slots, grads))
        grad_input = tuple(_as_tensor(by_pos.get(i)) for i in self.in_pos)
        name = type(self.module).__name__
        for hook in self.hooks:
            out = hook(self.module, grad_input, self.grad_output)
            if out is None:
                continue
            out = tuple(out) if isinstance(out, (tuple, list)) else (out,)
            if len(out) != len(grad_input):
                raise RuntimeError(f"{name} full backward hook: returned {len(out)} "
                                   f"gradients for {len(grad_input)} inputs")
            for g, new in zip(grad_input, out):
                if g is not None and new is not None and np.shape(new) != g.shape:
                    raise RuntimeError(f"{name} full backward hook: returned a gradient of "
                                       f"shape {np.shape(new)} for an input of shape {g.shape}")
            grad_input = tuple(None if g is None else _as_tensor(new) for g, new in
                               zip(grad_input, out))
        at = dict(zip(self.in_pos, grad_input))
        tensor_mode = _state.tensor_backward
        return tuple(_raw(at[i], g, tensor_mode) for i, g in zip(self.in_slots, grads))


def _as_tensor(g):
    return None if g is None else ag.as_tensor(g)


def _raw(new, old, tensor_mode):
    """A hook's gradient back in the engine's form (an array, or a Tensor under
    create_graph), with the dtype of the one it replaces."""
    if new is None:
        return None
    if tensor_mode:
        return new
    dtype = (old.data if isinstance(old, Tensor) else np.asarray(old)).dtype
    return np.array(new.data, dtype=dtype)


class _Identity(Function):
    """The identity on several tensors, whose backward lets the hooks see the gradients."""

    @staticmethod
    def forward(ctx, *arrays, state=None, side="in"):
        ctx.state, ctx.side = state, side
        return tuple(arrays)

    @staticmethod
    def backward(ctx, *grads):
        if ctx.side == "out":
            return ctx.state.on_grad_output(grads)
        return ctx.state.on_grad_input(grads)
