"""A small causal transformer as a character-level language model, beside the char-RNN.

Both read the same windows of the project's text (examples/data/lighthouse.txt,
public domain, written for the project) and predict the next character at every
position, with the same optimiser, batches and number of steps. The transformer
is an embedding plus a learnt position embedding, ``nn.TransformerEncoderLayer``
blocks (pre-norm, GELU) under a causal mask (``nn.Transformer.
generate_square_subsequent_mask``: position ``t`` sees ``0..t`` only), and a
linear head; the RNN is char_rnn.py's GRU model. One picture holds the loss per
step of both; a sample is generated from the transformer, one character at a time.

Run: python examples/char_transformer.py [--steps 100] [--fast]
Writes: char_transformer.json, char_transformer_loss.png
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

import autograd as ag
import nn
import nn.functional as F
import optim
from _util import Timer, parser, setup, write_json
from char_rnn import CharModel, load_text, windows


class CharTransformer(nn.Module):
    """Characters -> embedding + position embedding -> causal encoder blocks -> scores."""

    def __init__(self, vocab: int, d_model: int = 64, nhead: int = 4, layers: int = 2,
                 context: int = 64):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.pos = nn.Embedding(context, d_model)
        block = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=2 * d_model,
                                           dropout=0.0, activation="gelu", batch_first=True,
                                           norm_first=True)
        self.blocks = nn.TransformerEncoder(block, layers, norm=nn.LayerNorm(d_model))
        self.head = nn.Linear(d_model, vocab)
        self.context = context

    def forward(self, idx):
        idx = np.asarray(idx)
        n = idx.shape[1]
        if n > self.context:
            raise ValueError(f"CharTransformer: {n} characters exceed the context of "
                             f"{self.context}")
        x = self.embed(idx) + self.pos(np.arange(n))
        mask = nn.Transformer.generate_square_subsequent_mask(n)
        return self.head(self.blocks(x, mask=mask, is_causal=True))


def sample(model, chars: str, prime: str, length: int, temperature: float, rng) -> str:
    """Generate ``length`` characters after ``prime``, each from the last ``context``."""
    index = {c: i for i, c in enumerate(chars)}
    ids = [index[c] for c in prime]
    model.eval()
    with ag.no_grad():
        for _ in range(length):
            z = model(np.array([ids[-model.context:]])).data[0, -1].astype(np.float64)
            p = np.exp((z - z.max()) / temperature)
            ids.append(int(rng.choice(len(chars), p=p / p.sum())))
    model.train()
    return "".join(chars[i] for i in ids)


def plot_losses(curves: dict, path: Path) -> str:
    from matplotlib.figure import Figure
    fig = Figure(figsize=(6.5, 3.8), layout="tight")
    ax = fig.add_subplot(1, 1, 1)
    for name, losses in curves.items():
        ax.plot(np.arange(1, len(losses) + 1), losses, label=name, lw=1)
    ax.set_xlabel("training step (same batches for both)")
    ax.set_ylabel("cross-entropy per character")
    ax.set_title("next-character loss: causal transformer vs GRU")
    ax.legend()
    fig.savefig(path)
    return str(path)


def main(argv=None) -> dict:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=100, help="training steps for each model")
    p.add_argument("--seq-len", type=int, default=48)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=0.003, help="Adam learning rate (both)")
    p.add_argument("--temperature", type=float, default=0.6)
    p.add_argument("--fast", action="store_true", help="a few seconds: 25 steps, shorter text")
    args = p.parse_args(argv)
    if args.fast:
        args.steps, args.seq_len = 25, 32
    setup(args)
    out = Path(args.out)

    text = load_text()
    chars = "".join(sorted(set(text)))
    ids = np.array([chars.index(c) for c in text], dtype=np.int64)
    X, Y = windows(ids, args.seq_len, stride=args.seq_len // 4)
    rng = np.random.default_rng(args.seed)
    batches = [rng.integers(0, len(X), args.batch_size) for _ in range(args.steps)]
    models = {"transformer": CharTransformer(len(chars), context=max(64, args.seq_len)),
              "GRU (char_rnn.py)": CharModel(len(chars), 128)}
    curves, seconds = {}, {}
    for name, model in models.items():
        n_params = sum(p.size for p in model.parameters())
        opt = optim.Adam(model.parameters(), lr=args.lr)
        losses = []
        with Timer() as timer:
            for b in batches:
                opt.zero_grad()
                logits = model(X[b])
                logits = logits[0] if isinstance(logits, tuple) else logits
                loss = F.cross_entropy(logits.reshape(-1, len(chars)), Y[b].reshape(-1))
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                losses.append(loss.item())
        curves[name], seconds[name] = losses, timer.seconds
        print(f"{name}: {n_params} parameters, loss {np.mean(losses[:5]):.3f} (first 5 steps)"
              f" -> {np.mean(losses[-5:]):.3f} (last 5) in {timer.seconds:.1f} s")
    text_out = sample(models["transformer"], chars, "The ", 120, args.temperature, rng)
    print("transformer sample: " + text_out.replace("\n", "\n                    "))
    picture = plot_losses(curves, out / "char_transformer_loss.png")
    summary = {"steps": args.steps, "seq_len": args.seq_len, "seconds": seconds,
               "losses": curves, "sample": text_out, "picture": picture,
               "first_loss": {k: float(np.mean(v[:5])) for k, v in curves.items()},
               "last_loss": {k: float(np.mean(v[-5:])) for k, v in curves.items()}}
    write_json(out / "char_transformer.json", summary)
    return summary


if __name__ == "__main__":
    main()
