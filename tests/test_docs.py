"""docs/ops.md and the index of docs/api.md are generated (docs/make_docs.py): they
must match what the code and the op table say now."""
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _make_docs():
    spec = importlib.util.spec_from_file_location("make_docs", ROOT / "docs" / "make_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ops_md_is_fresh():
    make = _make_docs()
    assert make.OPS_MD.read_text() == make.ops_md(), \
        "docs/ops.md is stale: run `python docs/make_docs.py`"


def test_api_md_index_is_fresh_and_lists_every_public_name():
    make = _make_docs()
    text = make.API_MD.read_text()
    assert text == make.api_md(), "docs/api.md's index is stale: run `python docs/make_docs.py`"
    import autograd as ag
    for name in ag.__all__:
        assert f"| `{name}` |" in text, name


def test_every_declared_op_appears_in_ops_md():
    from autograd.ops.registry import DECLARED
    text = (ROOT / "docs" / "ops.md").read_text()
    for name in DECLARED:
        assert f"`{name}`" in text, name
    assert "**none**" not in text, "a declared op has no row in the op table"
