"""Word embeddings learned from context: skip-gram with negative sampling, an analogy,
and the notes' debiasing (neutralize, equalize), on the project's generated corpus.

Skip-gram: each word (the context c) predicts the words within ``--window`` of it (the
targets t). Instead of a softmax over the whole vocabulary, negative sampling turns
each (c, t) pair into k + 1 binary problems: is t a real neighbour (label 1), and are
k words drawn at random from ``P(w) ~ f(w)^(3/4)`` (f the word's frequency) not
(label 0); the loss is ``-log sigmoid(e_c . theta_t) - sum_k log sigmoid(-e_c . theta_k)``.
``e`` (the embeddings kept at the end) and ``theta`` are two ``nn.Embedding`` tables.

Debiasing: the bias direction g is the mean of e(female) - e(male) over gendered
pairs. Neutralize removes a gender-neutral word's component along g:
``e - (e . g / ||g||^2) g``. Equalize moves a pair (e.g. actor/actress) to the same
point off the g axis, mu_orth (their mean without its g part), and to opposite points
along g, so any neutralized word is then equally far from both.

The corpus is ``examples/data/corpus.txt`` (written by ``examples/data/make_corpus.py``).
Run: python examples/word2vec.py [--epochs 3] [--dim 32] [--fast] [--out examples-output]
Writes: word2vec.png (groups of words on their first two principal axes; the
gender-neutral words' cosine with g before and after neutralize)
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

import autograd as ag
import nn
import nn.functional as F
import optim
from _util import Timer, parser, setup

CORPUS = Path(__file__).resolve().parent / "data" / "corpus.txt"
PAIRS = [("man", "woman"), ("king", "queen"), ("boy", "girl"), ("father", "mother"),
         ("he", "she"), ("his", "her"), ("son", "daughter"), ("prince", "princess")]
NEUTRAL = ["doctor", "engineer", "nurse", "receptionist", "teacher"]
EQUALIZE = ("actor", "actress")
NEIGHBOURS = ["king", "paris", "dog", "doctor", "red"]


def load_corpus(path: Path = CORPUS) -> list[list[str]]:
    lines = path.read_text().splitlines()
    return [ln.split() for ln in lines if ln.strip() and not ln.startswith("#")]


def skipgram_pairs(sentences, index, window: int) -> np.ndarray:
    """Every (context, target) pair of word ids within ``window`` of each other."""
    pairs = []
    for words in sentences:
        ids = [index[w] for w in words]
        for i, c in enumerate(ids):
            for j in range(max(0, i - window), min(len(ids), i + window + 1)):
                if j != i:
                    pairs.append((c, ids[j]))
    return np.array(pairs, dtype=np.int64)


class SkipGram(nn.Module):
    """Two tables: ``e`` for the context word, ``theta`` for the target words."""

    def __init__(self, vocab: int, dim: int):
        super().__init__()
        self.e = nn.Embedding(vocab, dim)
        self.theta = nn.Embedding(vocab, dim)
        nn.init.uniform_(self.e.weight, -0.5 / dim, 0.5 / dim)
        nn.init.zeros_(self.theta.weight)

    def forward(self, context, targets):
        """Logits ``e_c . theta_t`` for each row of ``targets`` (shape (batch, 1 + k))."""
        return (self.theta(targets) * self.e(context).unsqueeze(1)).sum(axis=-1)


def train(pairs, noise, vocab: int, dim: int, epochs: int, k: int, batch: int, lr: float,
          rng) -> tuple[np.ndarray, list[float]]:
    model = SkipGram(vocab, dim)
    opt = optim.Adam(model.parameters(), lr=lr)
    labels = np.zeros((batch, 1 + k), dtype=np.float32)
    labels[:, 0] = 1
    losses = []
    for _ in range(epochs):
        order = rng.permutation(len(pairs))
        total = 0.0
        for start in range(0, len(order) - batch + 1, batch):
            c, t = pairs[order[start:start + batch]].T
            negatives = rng.choice(vocab, size=(batch, k), p=noise)
            logits = model(c, np.concatenate([t[:, None], negatives], axis=1))
            loss = F.binary_cross_entropy_with_logits(logits, ag.tensor(labels)) * (1 + k)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
        losses.append(total / (len(order) // batch))
    return model.e.weight.data.astype(np.float64), losses


def unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def nearest(E, words, query, n: int = 4, exclude=()) -> list[tuple[str, float]]:
    """The ``n`` words whose unit vectors have the largest cosine with ``query``."""
    sims = unit(E) @ unit(query)
    ranked = [i for i in np.argsort(-sims) if words[i] not in exclude]
    return [(words[i], float(sims[i])) for i in ranked[:n]]


def neutralize(e: np.ndarray, g: np.ndarray) -> np.ndarray:
    """The notes' neutralize: ``e`` without its component along ``g``."""
    return e - (e @ g) / (g @ g) * g


def equalize(e1: np.ndarray, e2: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The notes' equalize on unit vectors: both at mu_orth, at +-s along g (unit norm)."""
    mu = (e1 + e2) / 2
    mu_orth = neutralize(mu, g)
    s = np.sqrt(max(1 - mu_orth @ mu_orth, 0.0))
    g_hat = g / np.linalg.norm(g)
    sign = np.sign((e1 - e2) @ g_hat)
    return mu_orth + sign * s * g_hat, mu_orth - sign * s * g_hat


def cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(unit(a) @ unit(b))


GROUPS = {"people": [w for pair in PAIRS[:4] + PAIRS[6:] + [EQUALIZE] for w in pair],
          "jobs": NEUTRAL, "capitals": ["paris", "rome", "berlin", "tokyo", "cairo"],
          "countries": ["france", "italy", "germany", "japan", "egypt"],
          "animals": ["dog", "cat", "horse", "cow", "bird"],
          "colours": ["red", "green", "blue", "yellow"]}


def plot(e: dict, g: np.ndarray, neutral: dict, path: Path) -> Path:
    """Left: a few groups of words on their first two principal axes (PCA by NumPy's
    SVD). Right: each gender-neutral word's cosine with g before and after neutralize."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [w for ws in GROUPS.values() for w in ws]
    X = unit(np.stack([e[w] for w in names]))
    X = X - X.mean(axis=0)
    _, _, Vt = np.linalg.svd(X, full_matrices=False)
    P = dict(zip(names, X @ Vt[:2].T))
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.6), width_ratios=[1.6, 1])
    for group, ws in GROUPS.items():
        pts = np.stack([P[w] for w in ws])
        ax.scatter(pts[:, 0], pts[:, 1], s=14, label=group)
        for w, (x, y) in zip(ws, pts):
            ax.annotate(w, (x, y), fontsize=8, xytext=(3, 2), textcoords="offset points")
    ax.set(title="skip-gram vectors, first two principal axes", xlabel="PC 1", ylabel="PC 2")
    ax.legend(fontsize=8, loc="best")
    ws = list(neutral)
    y = np.arange(len(ws))
    bx.barh(y, [cos(unit(e[w]), g) for w in ws], 0.5, label="before")
    bx.scatter([cos(neutral[w], g) for w in ws], y, color="tab:orange", zorder=3,
               label="after neutralize (0)")
    bx.set_yticks(y, ws)
    bx.axvline(0, color="black", lw=0.8)
    bx.set(title="cosine with g (female - male)", xlabel="cosine")
    bx.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


def main(argv=None):
    p = parser(__doc__.split("\n")[0], epochs=3)
    p.add_argument("--dim", type=int, default=32, help="embedding size")
    p.add_argument("--window", type=int, default=3, help="words either side")
    p.add_argument("--negatives", type=int, default=5, help="negative samples per pair")
    p.add_argument("--fast", action="store_true", help="fewer epochs (the tests' mode)")
    args = p.parse_args(argv)
    out = setup(args)
    rng = np.random.default_rng(args.seed)
    sentences = load_corpus()
    freq = Counter(w for s in sentences for w in s)
    words = sorted(freq)
    index = {w: i for i, w in enumerate(words)}
    pairs = skipgram_pairs(sentences, index, args.window)
    noise = np.array([freq[w] for w in words], dtype=np.float64) ** 0.75
    noise /= noise.sum()
    epochs = 1 if args.fast else args.epochs
    print(f"corpus: {len(sentences)} sentences, {sum(freq.values())} words, vocabulary "
          f"{len(words)}, {len(pairs)} skip-gram pairs (window {args.window})")
    with Timer() as t:
        E, losses = train(pairs, noise, len(words), args.dim, epochs, args.negatives,
                          512, 0.02, rng)
    print(f"trained {epochs} epochs in {t.seconds:.1f} s; loss per epoch: "
          + " ".join(f"{x:.3f}" for x in losses))

    print("\nNearest neighbours (cosine similarity):")
    for w in NEIGHBOURS:
        near = nearest(E, words, E[index[w]], exclude={w})
        print(f"  {w:<8} " + ", ".join(f"{v} {s:.2f}" for v, s in near))

    e = {w: E[index[w]] for w in words}
    query = e["king"] - e["man"] + e["woman"]
    ranked = nearest(E, words, query, n=5, exclude={"king", "man", "woman"})
    rank = [v for v, _ in ranked].index("queen") + 1 if "queen" in dict(ranked) else None
    print("\nAnalogy king - man + woman ~ ? : "
          + ", ".join(f"{v} {s:.2f}" for v, s in ranked) + f"  (queen ranks {rank})")
    assert rank is not None and rank <= 3, f"queen not in the top 3: {ranked}"

    u = {w: unit(v) for w, v in e.items()}
    g = np.mean([u[f] - u[m] for m, f in PAIRS], axis=0)
    print("\nBias direction g = mean of e(female) - e(male) over "
          + ", ".join(f"{m}/{f}" for m, f in PAIRS))
    print("Neutralize: cosine with g before -> after")
    after = {}
    for w in NEUTRAL:
        after[w] = neutralize(u[w], g)
        print(f"  {w:<13} {cos(u[w], g):+.4f} -> {cos(after[w], g):+.4f}")
    assert all(abs(cos(v, g)) < 1e-8 for v in after.values())

    a, b = EQUALIZE
    ea, eb = equalize(u[a], u[b], g)
    probe = after["doctor"]
    print(f"Equalize {a}/{b}: cosine with g, and with the neutralized 'doctor'")
    print(f"  before  {a} {cos(u[a], g):+.4f}  {b} {cos(u[b], g):+.4f}   "
          f"doctor: {cos(u[a], probe):+.4f} {cos(u[b], probe):+.4f}")
    print(f"  after   {a} {cos(ea, g):+.4f}  {b} {cos(eb, g):+.4f}   "
          f"doctor: {cos(ea, probe):+.4f} {cos(eb, probe):+.4f}")
    assert abs(cos(ea, g) + cos(eb, g)) < 1e-8 and abs(cos(ea, probe) - cos(eb, probe)) < 1e-8
    print("checked: queen in the top 3, neutralized words orthogonal to g, "
          "the equalized pair symmetric about the neutral axis")
    print(f"wrote {plot(e, g, after, out / 'word2vec.png')}")
    return {"queen_rank": rank, "losses": losses}


if __name__ == "__main__":
    main()
