"""Many-to-many: a character-level language model (GRU or LSTM) on a small bundled text.

The notes' sequence chapter: at every time step the network reads one
character and predicts the next (``y_hat<t>`` is a softmax over the
characters, the loss is summed over the steps), trained by backprop through
time, with gradient clipping against exploding gradients. Every few epochs
it writes a sample, one character at a time, each fed back as the next
input; the samples go from noise to words to the text's own phrases.

The text (examples/data/lighthouse.txt) was written for this project and is
public domain.

Run: python examples/char_rnn.py [--epochs 12] [--cell gru|lstm] [--seed 0]
(12 epochs reach words and phrases in about 15 s; --epochs 30 writes better text)
Writes: char_rnn.json
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

import autograd as ag
import nn
import nn.functional as F
import optim
from _util import Timer, parser, setup, write_json

TEXT = Path(__file__).resolve().parent / "data" / "lighthouse.txt"


def load_text(path: Path = TEXT) -> str:
    """The text without its '#' header lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.startswith("#")).strip() + "\n"


class CharModel(nn.Module):
    """Characters -> embedding -> GRU/LSTM -> a score for every character, at every step."""

    def __init__(self, vocab: int, hidden: int, embed: int = 32, layers: int = 1,
                 cell: str = "gru"):
        super().__init__()
        self.embed = nn.Embedding(vocab, embed)
        rnn = {"gru": nn.GRU, "lstm": nn.LSTM}[cell]
        self.rnn = rnn(embed, hidden, num_layers=layers, batch_first=True)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, idx, state=None):
        out, state = self.rnn(self.embed(idx), state)
        return self.head(out), state


def windows(ids: np.ndarray, seq_len: int, stride: int):
    """Inputs and their next-character targets: (N, seq_len) each."""
    starts = np.arange(0, len(ids) - seq_len - 1, stride)
    X = np.stack([ids[s:s + seq_len] for s in starts])
    return X, np.stack([ids[s + 1:s + seq_len + 1] for s in starts])


def sample(model, chars: str, prime: str, length: int, temperature: float, rng) -> str:
    """Generate ``length`` characters after ``prime``, feeding each one back in."""
    index = {c: i for i, c in enumerate(chars)}
    model.eval()
    out = list(prime)
    with ag.no_grad():
        logits, state = model(np.array([[index[c] for c in prime]]))
        for _ in range(length):
            z = logits.data[0, -1].astype(np.float64) / temperature
            p = np.exp(z - z.max())
            nxt = int(rng.choice(len(chars), p=p / p.sum()))
            out.append(chars[nxt])
            logits, state = model(np.array([[nxt]]), state)
    model.train()
    return "".join(out)


def main(argv=None) -> dict:
    p = parser(__doc__.splitlines()[0], epochs=12)
    p.add_argument("--cell", choices=["gru", "lstm"], default="gru")
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--seq-len", type=int, default=48, help="steps of backprop through time")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=0.005, help="Adam learning rate")
    p.add_argument("--clip", type=float, default=1.0, help="max gradient norm")
    p.add_argument("--sample-every", type=int, default=5, help="epochs between samples")
    p.add_argument("--temperature", type=float, default=0.6)
    args = p.parse_args(argv)
    setup(args)
    out = Path(args.out)

    text = load_text()
    chars = "".join(sorted(set(text)))
    ids = np.array([chars.index(c) for c in text], dtype=np.int64)
    X, Y = windows(ids, args.seq_len, stride=args.seq_len // 4)
    print(f"text: {len(text)} characters, {len(chars)} distinct; {len(X)} windows of "
          f"{args.seq_len} steps per epoch")
    model = CharModel(len(chars), args.hidden, cell=args.cell)
    opt = optim.Adam(model.parameters(), lr=args.lr)
    loader = nn.data.DataLoader(X, Y, batch_size=args.batch_size, seed=args.seed)
    rng = np.random.default_rng(args.seed)
    history, samples = [], {}
    with Timer() as timer:
        for epoch in range(1, args.epochs + 1):
            losses, norms = [], []
            for xb, yb in loader:
                opt.zero_grad()
                logits, _ = model(xb)
                loss = F.cross_entropy(logits.reshape(-1, len(chars)), yb.reshape(-1))
                loss.backward()
                norms.append(nn.utils.clip_grad_norm_(model.parameters(), args.clip))
                opt.step()
                losses.append(loss.item())
            history.append({"epoch": epoch, "loss": float(np.mean(losses)),
                            "grad_norm": float(np.mean(norms))})
            print(f"epoch {epoch:3d}  loss {np.mean(losses):.3f}  (perplexity "
                  f"{np.exp(np.mean(losses)):5.2f}, mean grad norm before clipping "
                  f"{np.mean(norms):.2f})")
            if epoch == 1 or epoch % args.sample_every == 0 or epoch == args.epochs:
                samples[epoch] = sample(model, chars, "The ", 160, args.temperature, rng)
                print("  sample: " + samples[epoch].replace("\n", "\n          "))
    print(f"trained {args.epochs} epochs in {timer.seconds:.1f} s")
    summary = {"cell": args.cell, "epochs": args.epochs, "hidden": args.hidden,
               "final_loss": history[-1]["loss"], "seconds": timer.seconds,
               "history": history, "samples": {str(k): v for k, v in samples.items()}}
    write_json(out / "char_rnn.json", summary)
    return summary


if __name__ == "__main__":
    main()
