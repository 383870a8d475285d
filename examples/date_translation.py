"""Attention: translate human-readable dates ("3 May 1979", "Tue 11/07/2023") to ISO 8601.

The notes' attention model: a bidirectional LSTM reads the input characters into
states ``a<t>``; for each output character a small dense network scores
``[s<prev>; a<t>]``, a softmax over ``t`` turns the scores into weights
``alpha<t>``, the context is ``sum_t alpha<t> a<t>``, and a post-attention
LSTM cell turns the context into the next state ``s`` and a character of
``YYYY-MM-DD``. Slash dates are day/month/year. The dates are generated here
with the standard library (seeded), so there is nothing to download.

Run: python examples/date_translation.py [--epochs 4] [--fast]
Writes: date_translation.json, date_translation_attention.png
"""
from __future__ import annotations

import datetime as dt
import random
import time
from pathlib import Path

import numpy as np

import autograd as ag
import nn
import nn.functional as F
import optim
import viz
from _util import Timer, parser, setup, write_json

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
OUT_CHARS = "0123456789-"
TY = 10


def _ordinal(d: int) -> str:
    return f"{d}" + ("th" if 10 <= d % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10,
                                                                                      "th"))


def _cap(word: str, rnd) -> str:
    return rnd.choice([word, word.capitalize(), word.upper()])


FORMATS = [
    lambda d, r: f"{d.day} {_cap(MONTHS[d.month - 1], r)} {d.year}",                # 3 May 1979
    lambda d, r: f"{d.day} {_cap(MONTHS[d.month - 1][:3], r)} {d.year}",
    lambda d, r: f"{_cap(DAYS[d.weekday()][:3], r)} {d.day:02d}/{d.month:02d}/{d.year}",
    lambda d, r: f"{d.day:02d}/{d.month:02d}/{d.year}",
    lambda d, r: f"{d.day}.{d.month}.{d.year}",
    lambda d, r: f"{_cap(MONTHS[d.month - 1], r)} {_ordinal(d.day)}, {d.year}",     # march 3rd
    lambda d, r: f"{_cap(MONTHS[d.month - 1][:3], r)} {d.day}, {d.year}",
    lambda d, r: f"{_cap(DAYS[d.weekday()], r)}, {_cap(MONTHS[d.month - 1], r)} {d.day} "
                 f"{d.year}",
    lambda d, r: f"{_ordinal(d.day)} of {_cap(MONTHS[d.month - 1], r)} {d.year}",
    lambda d, r: f"{d.year}-{d.month}-{d.day}",
]


def make_dates(n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` (human-readable, ISO) pairs of dates between 1950 and 2049."""
    rnd = random.Random(seed)
    start, span = dt.date(1950, 1, 1).toordinal(), 365 * 100
    pairs = []
    for _ in range(n):
        d = dt.date.fromordinal(start + rnd.randrange(span))
        pairs.append((rnd.choice(FORMATS)(d, rnd), d.isoformat()))
    return pairs


def encode(pairs, in_chars: str, tx: int):
    """Input indices ``(N, tx)`` (0 pads, 1 unknown) and output indices ``(N, 10)``."""
    index = {c: i + 2 for i, c in enumerate(in_chars)}
    X = np.zeros((len(pairs), tx), dtype=np.int64)
    for i, (human, _) in enumerate(pairs):
        ids = [index.get(c, 1) for c in human.lower()[:tx]]
        X[i, :len(ids)] = ids
    Y = np.array([[OUT_CHARS.index(c) for c in iso] for _, iso in pairs], dtype=np.int64)
    return X, Y


class DateTranslator(nn.Module):
    """Bidirectional LSTM encoder, the notes' one-step attention, LSTMCell decoder."""

    def __init__(self, vocab: int, embed: int = 16, n_a: int = 32, n_s: int = 64,
                 n_dense: int = 10):
        super().__init__()
        self.embed = nn.Embedding(vocab, embed)
        self.encoder = nn.LSTM(embed, n_a, batch_first=True, bidirectional=True)
        # dense(tanh(W [s_prev; a_t])) with W split as W_s s_prev + W_a a_t, so the a_t
        # part is computed once for all steps (the same numbers as the concatenation).
        self.att_a = nn.Linear(2 * n_a, n_dense)
        self.att_s = nn.Linear(n_s, n_dense, bias=False)
        self.att_v = nn.Linear(n_dense, 1)
        self.decoder = nn.LSTMCell(2 * n_a, n_s)
        self.head = nn.Linear(n_s, len(OUT_CHARS))
        self.n_s = n_s

    def forward(self, idx, ty: int = TY):
        a, _ = self.encoder(self.embed(idx))                         # (N, Tx, 2 n_a)
        pad = np.asarray(idx) == 0
        pre = self.att_a(a)                                          # (N, Tx, n_dense)
        s = c = ag.Tensor(np.zeros((a.shape[0], self.n_s), dtype=a.dtype))
        logits, alphas = [], []
        for _ in range(ty):
            e = self.att_v(ag.tanh(pre + self.att_s(s)[:, None, :]))[..., 0]  # (N, Tx)
            alpha = ag.where(pad, ag.Tensor(np.array(-np.inf, a.dtype)), e).softmax(axis=1)
            context = (alpha[..., None] * a).sum(axis=1)             # sum_t alpha<t> a<t>
            s, c = self.decoder(context, (s, c))
            logits.append(self.head(s))
            alphas.append(alpha)
        return ag.stack(logits, axis=1), ag.stack(alphas, axis=1)   # (N, Ty, 11), (N, Ty, Tx)


def translate(model, X) -> list[str]:
    model.eval()
    with ag.no_grad():
        logits, alphas = model(X)
    model.train()
    ids = logits.data.argmax(-1)
    return ["".join(OUT_CHARS[i] for i in row) for row in ids], alphas.data


def main(argv=None) -> dict:
    p = parser(__doc__.splitlines()[0], epochs=4)
    p.add_argument("--train", type=int, default=8000, help="training dates")
    p.add_argument("--test", type=int, default=1000, help="held-out dates")
    p.add_argument("--batch-size", type=int, default=100)
    p.add_argument("--lr", type=float, default=0.01, help="Adam learning rate")
    p.add_argument("--fast", action="store_true", help="a few seconds: small data, 3 epochs")
    args = p.parse_args(argv)
    if args.fast:
        args.train, args.test, args.epochs = 2000, 200, 3
    setup(args)
    out = Path(args.out)

    train_pairs = make_dates(args.train, args.seed)
    test_pairs = make_dates(args.test, args.seed + 10_000)
    in_chars = "".join(sorted({c for h, _ in train_pairs for c in h.lower()}))
    tx = max(len(h) for h, _ in train_pairs + test_pairs)
    X, Y = encode(train_pairs, in_chars, tx)
    Xt, Yt = encode(test_pairs, in_chars, tx)
    print(f"{len(X)} training and {len(Xt)} held-out dates, {len(in_chars)} input characters,"
          f" inputs padded to {tx}; e.g. {train_pairs[0][0]!r} -> {train_pairs[0][1]}")
    model = DateTranslator(len(in_chars) + 2)
    opt = optim.Adam(model.parameters(), lr=args.lr)
    loader = nn.data.DataLoader(X, Y, batch_size=args.batch_size, shuffle=True, seed=args.seed)
    history = []
    with Timer() as timer:
        for epoch in range(1, args.epochs + 1):
            losses = []
            for xb, yb in loader:
                opt.zero_grad()
                logits, _ = model(xb)
                loss = F.cross_entropy(logits.reshape(-1, len(OUT_CHARS)), yb.reshape(-1))
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), 5.0)
                opt.step()
                losses.append(loss.item())
            pred, _ = translate(model, Xt)
            acc = float(np.mean([a == b for a, (_, b) in zip(pred, test_pairs)]))
            chars = float(np.mean([x == y for a, (_, b) in zip(pred, test_pairs)
                                   for x, y in zip(a, b)]))
            history.append({"epoch": epoch, "loss": float(np.mean(losses)), "accuracy": acc,
                            "char_accuracy": chars})
            print(f"epoch {epoch:2d}  loss {np.mean(losses):.4f}  held-out exact match "
                  f"{acc:.1%}, characters {chars:.1%}  ({time.perf_counter() - timer.start:.0f} s)")
    pred, alphas = translate(model, Xt)
    accuracy = history[-1]["accuracy"]
    for (human, iso), guess in list(zip(test_pairs, pred))[:6]:
        print(f"  {human:32s} -> {guess}  {'ok' if guess == iso else 'expected ' + iso}")
    print(f"held-out exact-match accuracy {accuracy:.1%} on {len(Xt)} dates; trained in "
          f"{timer.seconds:.1f} s")
    k = 0
    human = test_pairs[k][0]
    picture = viz.plot_attention(alphas[k, :, :len(human)], list(human), list(pred[k]),
                                 out / "date_translation_attention.png",
                                 title=f"attention: {human!r} -> {pred[k]}")
    summary = {"accuracy": accuracy, "char_accuracy": history[-1]["char_accuracy"], "epochs": args.epochs, "train": len(X), "test": len(Xt),
               "seconds": timer.seconds, "history": history,
               "examples": [[h, g] for (h, _), g in zip(test_pairs[:6], pred)],
               "attention_rows_sum_to_one": bool(np.allclose(alphas.sum(-1), 1, atol=1e-4)),
               "picture": picture}
    write_json(out / "date_translation.json", summary)
    return summary


if __name__ == "__main__":
    main()
