"""Attention and transformer blocks: gradcheck in float64 (always), and outputs and
gradients equal to PyTorch's with the same weights (where PyTorch is installed)."""
import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F

RNG = np.random.default_rng(0)


def t64(*shape, grad=True):
    return ag.Tensor(RNG.normal(size=shape), requires_grad=grad)


# -- without PyTorch ----------------------------------------------------------------

def test_square_subsequent_mask_is_pytorchs():
    m = nn.Transformer.generate_square_subsequent_mask(4)
    assert m.dtype == np.float32 and m.shape == (4, 4)
    assert np.isneginf(m[np.triu_indices(4, 1)]).all() and (m[np.tril_indices(4)] == 0).all()


@pytest.mark.parametrize("kind", ["none", "bool", "float", "causal", "scale"])
def test_sdpa_gradcheck(kind):
    q, k, v = t64(2, 3, 4), t64(2, 5, 4), t64(2, 5, 3)
    kw = {"bool": dict(attn_mask=np.array([[True, False, True, True, False]] * 3)),
          "float": dict(attn_mask=RNG.normal(size=(3, 5))),
          "causal": dict(is_causal=True), "scale": dict(scale=0.3)}.get(kind, {})
    assert ag.gradcheck(lambda q, k, v: F.scaled_dot_product_attention(q, k, v, **kw),
                        [q, k, v])


def test_sdpa_bool_mask_leaves_out_false_keys():
    q, k = t64(1, 2, 3, grad=False), t64(1, 4, 3, grad=False)
    v = ag.Tensor(np.arange(4.0).reshape(1, 4, 1))
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=np.array([True, False, False,
                                                                      False]))
    np.testing.assert_allclose(out.data, 0.0)          # only key 0 (value 0) takes part


def _params(module):
    return [p for p in module.parameters()]


def test_mha_gradcheck_with_masks_and_kdim():
    mha = nn.MultiheadAttention(4, 2, kdim=3, vdim=5, batch_first=True).double()
    q, k, v = t64(2, 3, 4), t64(2, 4, 3), t64(2, 4, 5)
    kpm = np.array([[False, False, True, False], [False, True, False, False]])
    am = RNG.normal(size=(3, 4))

    def f(q, k, v, *params):
        out, w = mha(q, k, v, key_padding_mask=kpm, attn_mask=am)
        return out.sum() + (w * w).sum()
    assert ag.gradcheck(f, [q, k, v, *_params(mha)])


@pytest.mark.parametrize("norm_first", [False, True])
def test_encoder_decoder_layer_gradcheck(norm_first):
    enc = nn.TransformerEncoderLayer(4, 2, 6, dropout=0.0, norm_first=norm_first).double()
    dec = nn.TransformerDecoderLayer(4, 2, 6, dropout=0.0, norm_first=norm_first,
                                     activation="gelu").double()
    src, tgt = t64(3, 2, 4), t64(2, 2, 4)
    mask = nn.Transformer.generate_square_subsequent_mask(2, dtype=np.float64)

    def f(src, tgt, *params):
        mem = enc(src, src_key_padding_mask=np.array([[False, False, True]] * 2))
        return dec(tgt, mem, tgt_mask=mask, tgt_is_causal=True)
    assert ag.gradcheck(f, [src, tgt, *_params(enc), *_params(dec)])


def test_norm_gradcheck_and_double_backward():
    x, w, b = t64(2, 3, 4), t64(3, 4), t64(3, 4)
    assert ag.gradcheck(lambda x, w, b: F.layer_norm(x, (3, 4), w, b), [x, w, b])
    assert ag.gradgradcheck(lambda x: F.layer_norm(x, 4), [x])
    assert ag.gradcheck(lambda x, w, b: F.group_norm(x, 3, w, b), [t64(2, 6, 2), t64(6), t64(6)])


def test_clear_errors():
    with pytest.raises(ValueError, match="MultiheadAttention.*multiple of num_heads"):
        nn.MultiheadAttention(5, 2)
    mha = nn.MultiheadAttention(4, 2)
    x = np.ones((3, 2, 4), np.float32)
    with pytest.raises(ValueError, match=r"key_padding_mask must have shape \(2, 3\)"):
        mha(x, x, x, key_padding_mask=np.zeros((3, 2), bool))
    with pytest.raises(ValueError, match="is_causal=True is a hint"):
        mha(x, x, x, is_causal=True)
    with pytest.raises(ValueError, match=r"attn_mask must have shape \(3, 3\)"):
        mha(x, x, x, attn_mask=np.zeros((2, 3)))
    with pytest.raises(ValueError, match="either attn_mask or is_causal"):
        F.scaled_dot_product_attention(x, x, x, attn_mask=np.ones((2, 2), bool), is_causal=True)
    with pytest.raises(ValueError, match="layer_norm: normalized_shape"):
        F.layer_norm(x, (3,))
    with pytest.raises(ValueError, match="group_norm: num_groups=3 must divide"):
        F.group_norm(np.ones((2, 4, 3)), 3)
    with pytest.raises(ValueError, match="activation must be"):
        nn.TransformerEncoderLayer(4, 2, activation="tanh")


def test_encoder_stack_is_deep_copies():
    layer = nn.TransformerEncoderLayer(4, 2, 8)
    enc = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(4))
    names = list(enc.state_dict())
    assert "layers.1.self_attn.in_proj_weight" in names and "norm.weight" in names
    assert enc.layers[0].linear1.weight is not enc.layers[1].linear1.weight


# -- against PyTorch ------------------------------------------------------------------

def _torch():
    return pytest.importorskip("torch")


def _load(ours, theirs):
    ours.double().load_state_dict({k: v.detach().numpy() for k, v in
                                   theirs.state_dict().items()})
    assert list(ours.state_dict()) == list(theirs.state_dict())


def _compare(torch, ours, theirs, inputs, call, out_index=None):
    """Run both on the same float64 inputs; compare outputs, input and weight gradients."""
    tin = [torch.tensor(a, requires_grad=True) for a in inputs]
    oin = [ag.Tensor(a, requires_grad=True) for a in inputs]
    t_out, o_out = call(theirs, tin, torch), call(ours, oin, None)
    if out_index is not None:
        t_out, o_out = t_out[out_index], o_out[out_index]
    np.testing.assert_allclose(o_out.data, t_out.detach().numpy(), rtol=1e-9, atol=1e-10)
    g = RNG.normal(size=o_out.shape)
    t_out.backward(torch.tensor(g))
    o_out.backward(g)
    theirs_params = dict(theirs.named_parameters())
    pairs = list(zip(oin, tin)) + [(p, theirs_params[name]) for name, p in
                                   ours.named_parameters()]
    for a, b in pairs:
        if b.grad is None:        # e.g. the value's projection does not reach the weights
            assert a.grad is None or not a.grad.data.any()
        else:
            np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-8, atol=1e-10)


SDPA_MASKS = {"none": {}, "bool": dict(attn_mask=RNG.random((3, 5)) > 0.3),
              "bool_broadcast": dict(attn_mask=RNG.random((2, 1, 1, 5)) > 0.2),
              "float": dict(attn_mask=RNG.normal(size=(2, 2, 3, 5))),
              "causal": dict(is_causal=True), "scale": dict(scale=0.7)}


@pytest.mark.parametrize("kind", list(SDPA_MASKS))
def test_sdpa_matches_torch(kind):
    torch = _torch()
    kw = dict(SDPA_MASKS[kind])
    if kw.get("attn_mask") is not None:
        kw["attn_mask"][..., 0] = True if kw["attn_mask"].dtype == bool else 0.0
    q, k, v = RNG.normal(size=(2, 2, 3, 4)), RNG.normal(size=(2, 2, 5, 4)), \
        RNG.normal(size=(2, 2, 5, 6))
    tk = {key: torch.tensor(m) if key == "attn_mask" else m for key, m in kw.items()}
    tin = [torch.tensor(a, requires_grad=True) for a in (q, k, v)]
    oin = [ag.Tensor(a, requires_grad=True) for a in (q, k, v)]
    t = torch.nn.functional.scaled_dot_product_attention(*tin, **tk)
    o = F.scaled_dot_product_attention(*oin, **kw)
    np.testing.assert_allclose(o.data, t.detach().numpy(), rtol=1e-9, atol=1e-12)
    g = RNG.normal(size=o.shape)
    t.backward(torch.tensor(g))
    o.backward(g)
    for a, b in zip(oin, tin):
        np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-8, atol=1e-12)


def _mask(kind, n, h, L, S):
    """MultiheadAttention masks of every kind; no query sees no key at all."""
    keep_first = np.zeros((L, S), bool)
    bool_am = RNG.random((L, S)) > 0.6
    bool_am[:, 0] = False
    kpm = RNG.random((n, S)) > 0.6
    kpm[:, 0] = False
    return {"none": {}, "attn_bool": dict(attn_mask=bool_am),
            "attn_float": dict(attn_mask=RNG.normal(size=(L, S))),
            "attn_3d": dict(attn_mask=np.where(RNG.random((n * h, L, S)) > 0.5, -np.inf,
                                               RNG.normal(size=(n * h, L, S))) + keep_first),
            "kpm_bool": dict(key_padding_mask=kpm),
            "kpm_float": dict(key_padding_mask=RNG.normal(size=(n, S))),
            "both": dict(attn_mask=bool_am, key_padding_mask=kpm)}[kind]


MHA_KINDS = ["none", "attn_bool", "attn_float", "attn_3d", "kpm_bool", "kpm_float", "both"]


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("kind", MHA_KINDS)
@pytest.mark.parametrize("average", [True, False])
def test_mha_matches_torch(batch_first, kind, average):
    torch = _torch()
    n, h, L, S, E = 2, 2, 3, 4, 6
    kw = _mask(kind, n, h, L, S)
    if kind == "attn_3d":
        kw["attn_mask"][..., 0] = 0.0
    theirs = torch.nn.MultiheadAttention(E, h, batch_first=batch_first).double()
    ours = nn.MultiheadAttention(E, h, batch_first=batch_first)
    _load(ours, theirs)
    lay = (lambda s, n_: (n_, s, E)) if batch_first else (lambda s, n_: (s, n_, E))
    inputs = [RNG.normal(size=lay(L, n)), RNG.normal(size=lay(S, n)), RNG.normal(size=lay(S, n))]

    def call(m, xs, torch_):
        masks = {k: (torch_.tensor(v) if torch_ else v) for k, v in kw.items()}
        return m(*xs, average_attn_weights=average, **masks)
    _compare(torch, ours, theirs, inputs, call, out_index=0)
    _compare(torch, ours, theirs, inputs, call, out_index=1)


@pytest.mark.parametrize("case", ["kdim_vdim", "no_bias", "unbatched", "causal_hint"])
def test_mha_variants_match_torch(case):
    torch = _torch()
    E, h = 4, 2
    args = dict(kdim=3, vdim=5) if case == "kdim_vdim" else \
        dict(bias=False) if case == "no_bias" else {}
    theirs = torch.nn.MultiheadAttention(E, h, **args).double()
    ours = nn.MultiheadAttention(E, h, **args)
    _load(ours, theirs)
    kd, vd = args.get("kdim", E), args.get("vdim", E)
    if case == "unbatched":
        inputs = [RNG.normal(size=(3, E)), RNG.normal(size=(4, E)), RNG.normal(size=(4, E))]
    else:
        inputs = [RNG.normal(size=(3, 2, E)), RNG.normal(size=(3, 2, kd)),
                  RNG.normal(size=(3, 2, vd))]
    mask = nn.Transformer.generate_square_subsequent_mask(3, dtype=np.float64)
    kw = dict(attn_mask=mask, is_causal=True, need_weights=False) \
        if case == "causal_hint" else {}

    def call(m, xs, torch_):
        masks = {k: (torch_.tensor(v) if torch_ and isinstance(v, np.ndarray) else v)
                 for k, v in kw.items()}
        return m(*xs, **masks)
    _compare(torch, ours, theirs, inputs, call, out_index=0)


LAYER_MASKS = ["none", "causal", "kpm_bool", "attn_bool", "kpm_float_and_attn_float"]


def _layer_masks(kind, n, L):
    kpm = RNG.random((n, L)) > 0.5
    kpm[:, 0] = False
    am = RNG.random((L, L)) > 0.6
    np.fill_diagonal(am, False)
    return {"none": {}, "causal": dict(mask=nn.Transformer.generate_square_subsequent_mask(
        L, dtype=np.float64), is_causal=True), "kpm_bool": dict(kpm=kpm),
        "attn_bool": dict(mask=am),
        "kpm_float_and_attn_float": dict(kpm=RNG.normal(size=(n, L)),
                                         mask=RNG.normal(size=(L, L)))}[kind]


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("activation", ["relu", "gelu"])
@pytest.mark.parametrize("kind", LAYER_MASKS)
def test_encoder_layer_matches_torch(norm_first, batch_first, activation, kind):
    torch = _torch()
    args = dict(dim_feedforward=10, dropout=0.0, activation=activation,
                batch_first=batch_first, norm_first=norm_first)
    theirs = torch.nn.TransformerEncoderLayer(6, 2, **args).double()
    ours = nn.TransformerEncoderLayer(6, 2, **args)
    _load(ours, theirs)
    n, L = 2, 4
    m = _layer_masks(kind, n, L)
    x = RNG.normal(size=(n, L, 6) if batch_first else (L, n, 6))

    def call(mod, xs, torch_):
        conv = (lambda a: torch_.tensor(a)) if torch_ else (lambda a: a)
        return mod(xs[0], src_mask=None if "mask" not in m else conv(m["mask"]),
                   src_key_padding_mask=None if "kpm" not in m else conv(m["kpm"]),
                   is_causal=m.get("is_causal", False))
    _compare(torch, ours, theirs, [x], call)


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("activation", ["relu", "gelu"])
@pytest.mark.parametrize("kind", LAYER_MASKS)
def test_decoder_layer_matches_torch(norm_first, batch_first, activation, kind):
    torch = _torch()
    args = dict(dim_feedforward=10, dropout=0.0, activation=activation,
                batch_first=batch_first, norm_first=norm_first)
    theirs = torch.nn.TransformerDecoderLayer(6, 2, **args).double()
    ours = nn.TransformerDecoderLayer(6, 2, **args)
    _load(ours, theirs)
    n, L, S = 2, 3, 4
    m = _layer_masks(kind, n, L)
    mem_kpm = RNG.random((n, S)) > 0.5
    mem_kpm[:, 0] = False
    mem_mask = RNG.normal(size=(L, S))
    lay = (lambda s: (n, s, 6)) if batch_first else (lambda s: (s, n, 6))
    inputs = [RNG.normal(size=lay(L)), RNG.normal(size=lay(S))]

    def call(mod, xs, torch_):
        conv = (lambda a: torch_.tensor(a)) if torch_ else (lambda a: a)
        return mod(xs[0], xs[1], tgt_mask=None if "mask" not in m else conv(m["mask"]),
                   tgt_key_padding_mask=None if "kpm" not in m else conv(m["kpm"]),
                   tgt_is_causal=m.get("is_causal", False),
                   memory_mask=conv(mem_mask) if kind != "none" else None,
                   memory_key_padding_mask=conv(mem_kpm) if kind != "none" else None)
    _compare(torch, ours, theirs, inputs, call)


@pytest.mark.parametrize("norm_first", [False, True])
def test_whole_transformer_matches_torch(norm_first):
    torch = _torch()
    args = dict(d_model=4, nhead=2, num_encoder_layers=2, num_decoder_layers=2,
                dim_feedforward=8, dropout=0.0, batch_first=True, norm_first=norm_first)
    theirs = torch.nn.Transformer(**args).double()
    ours = nn.Transformer(**args)
    _load(ours, theirs)
    inputs = [RNG.normal(size=(2, 5, 4)), RNG.normal(size=(2, 3, 4))]
    mask = nn.Transformer.generate_square_subsequent_mask(3, dtype=np.float64)

    def call(mod, xs, torch_):
        return mod(xs[0], xs[1], tgt_mask=torch_.tensor(mask) if torch_ else mask,
                   tgt_is_causal=True)
    _compare(torch, ours, theirs, inputs, call)


@pytest.mark.parametrize("module", ["layer", "group"])
def test_norm_modules_match_torch(module):
    torch = _torch()
    if module == "layer":
        theirs, ours, shape = torch.nn.LayerNorm((3, 4)).double(), nn.LayerNorm((3, 4)), \
            (2, 3, 4)
    else:
        theirs, ours, shape = torch.nn.GroupNorm(2, 4).double(), nn.GroupNorm(2, 4), (3, 4, 5)
    with torch.no_grad():
        for p in theirs.parameters():
            p.copy_(torch.randn(p.shape, dtype=torch.float64))
    _load(ours, theirs)
    _compare(torch, ours, theirs, [RNG.normal(size=shape)], lambda m, xs, t: m(xs[0]))
