"""The word2vec example in its fast mode, its claims, and its generated corpus."""
import re
import subprocess
import sys

from example_runner import ROOT, run  # noqa: F401



def test_word2vec_analogy_and_debiasing(tmp_path):
    stdout = run("word2vec.py", "--fast", out=tmp_path)
    rank = int(re.search(r"\(queen ranks (\d+)\)", stdout).group(1))
    assert 1 <= rank <= 3
    # neutralize: every gender-neutral word had a component along g, and has none after
    neutral = re.findall(r"^\s+(\w+)\s+([+-]\d\.\d+) -> ([+-]\d\.\d+)$", stdout, re.M)
    assert [w for w, _, _ in neutral] == ["doctor", "engineer", "nurse", "receptionist",
                                          "teacher"]
    before = {w: float(b) for w, b, _ in neutral}
    assert before["doctor"] < -0.05 and before["nurse"] > 0.05   # the corpus's skew, learned
    assert all(abs(float(a)) < 1e-4 for _, _, a in neutral)
    # equalize: opposite along g and equally similar to the neutralized 'doctor' after
    row = re.search(r"after\s+actor ([+-]\S+)\s+actress ([+-]\S+)\s+doctor: ([+-]\S+) ([+-]\S+)",
                    stdout)
    actor, actress, d1, d2 = map(float, row.groups())
    assert actor < 0 < actress and abs(actor + actress) < 1e-4 and abs(d1 - d2) < 1e-4
    assert "checked:" in stdout
    png = tmp_path / "word2vec.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_the_shipped_corpus_is_what_its_generator_writes():
    proc = subprocess.run([sys.executable, str(ROOT / "examples" / "data" / "make_corpus.py"),
                           "--check"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_negative_sampling_distribution_and_debiasing_functions(monkeypatch):
    import numpy as np
    monkeypatch.syspath_prepend(str(ROOT / "examples"))
    import word2vec as w2v
    g = np.array([1.0, 0.0, 0.0])
    e = np.array([0.6, 0.8, 0.0])
    assert np.allclose(w2v.neutralize(e, 2 * g), [0.0, 0.8, 0.0])
    e1, e2 = w2v.equalize(w2v.unit(np.array([-0.5, 0.5, 0.2])),
                          w2v.unit(np.array([0.3, 0.6, 0.1])), g)
    assert np.isclose(e1 @ g, -(e2 @ g)) and np.allclose(e1[1:], e2[1:])
    assert np.isclose(np.linalg.norm(e1), 1) and e1[0] < 0 < e2[0]
    pairs = w2v.skipgram_pairs([["a", "b", "c"]], {"a": 0, "b": 1, "c": 2}, window=1)
    assert sorted(map(tuple, pairs)) == [(0, 1), (1, 0), (1, 2), (2, 1)]
