"""Every shell command the README shows works as written, from a fresh copy of the repository.

The commands are those in ```bash, ```sh and ```console blocks and the inline
``.venv/bin/python ...`` commands (the examples table and the prose). Cheap
ones run for real in a copy of the tracked files with this checkout's
``.venv``; the rest are checked without their cost: ``make`` targets with
``make -n``, scripts with ``--help`` (their arguments parsed as written),
``pip install`` by the extras it names. A command of a kind this file does not
know fails the test, so that a new one gets a check.
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
VENV_PY = ".venv/bin/python"
# Run for real: quick, and writing only inside the copy.
RUN = {"docs/make_figures.py", "examples/demo.py --help"}


def shell_commands(text: str) -> list[str]:
    """Commands in the README's shell blocks (comments and prompts dropped) and the
    inline ``.venv/bin/python ...`` ones."""
    commands = []
    for lang, body in re.findall(r"^```(\w*)\n(.*?)^```", text, re.S | re.M):
        if lang not in ("bash", "sh", "console"):
            continue
        for line in body.splitlines():
            line = line.split(" #")[0].strip()
            if lang == "console":
                if not line.startswith("$ "):
                    continue
                line = line[2:]
            if line and not line.startswith("#"):
                commands.append(line)
    commands += re.findall(r"`(\.venv/bin/python [^`]+)`", text)
    return list(dict.fromkeys(commands))


COMMANDS = shell_commands(README)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """The repository's files (tracked, and new ones not ignored) in a new folder, with
    this checkout's .venv (as after make test)."""
    dest = tmp_path_factory.mktemp("clone")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=ROOT, capture_output=True, check=True)
    files = listed.stdout.decode().split("\0")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    venv = ROOT / ".venv"
    if venv.is_dir():
        (dest / ".venv").symlink_to(venv)
    else:   # tests run by another interpreter: stand in for the venv's python
        (dest / ".venv" / "bin").mkdir(parents=True)
        (dest / ".venv" / "bin" / "python").symlink_to(sys.executable)
        (dest / ".venv" / "bin" / "activate").write_text("# stand-in\n")
    return dest


def test_the_readme_shows_commands():
    assert "make demo" in COMMANDS and "make test" in COMMANDS
    assert any(c.startswith(f"{VENV_PY} examples/") for c in COMMANDS)
    assert any(c.startswith("pip install .") for c in COMMANDS)


def test_the_readme_says_how_to_use_it_as_a_library():
    # issue 14: no section said how to install it, with which extras, what needs `dot`,
    # or what to do about the PyPI package of the same name.
    section = README.split("## Use it as a library", 1)[1].split("\n## ", 1)[0]
    for needed in ("pip install .", "[render]", "[plot]", "`dot`", "Python 3.11",
                   "Python 3.10", "HIPS autograd", "pip uninstall -y autograd"):
        assert needed in section, needed


def test_no_command_needs_an_activated_venv_it_does_not_mention():
    # issue 14: `python examples/...` failed with ModuleNotFoundError unless .venv was
    # active, which the README never said; inline `python x.py` counts too.
    bare = re.findall(r"`(python3? (?:examples|docs|benchmarks)/[^`]*|python3? -m "
                      r"benchmarks[^`]*)`", README)
    assert not bare, f"say .venv/bin/python: {bare}"
    assert "activate it first (`. .venv/bin/activate`" in README


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_works_as_written(command, fresh):
    words = shlex.split(command)
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=str(fresh), COLUMNS="120")
    if words[0] == "make":
        target = [w for w in words[1:] if "=" not in w]
        proc = subprocess.run(["make", "-n", *target], cwd=fresh, capture_output=True,
                              text=True, env=env)
        assert proc.returncode == 0, proc.stderr
        assert ".venv" in proc.stdout
    elif words[0] == VENV_PY:
        words = [w.replace("NAME", "nn_mlp") for w in words]   # a placeholder: one of them
        if words[1] != "-m":
            script = words[1]
            assert (fresh / script).exists(), f"{script} is not in the repository"
        else:
            script = None
        run = " ".join(words[1:]) in RUN
        argv = [str(fresh / VENV_PY), *words[1:]] + ([] if run else ["--help"])
        proc = subprocess.run(argv, cwd=fresh, capture_output=True, text=True, env=env,
                              timeout=300)
        assert proc.returncode == 0, f"{command}:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
        if script == "docs/make_figures.py":
            assert (fresh / "docs" / "notes_graph.svg").read_text().startswith("<?xml")
    elif words[:2] == ["pip", "install"]:
        extras = pyproject_extras()
        for spec in words[2:]:
            base, _, rest = spec.partition("[")
            assert base == ".", f"pip install {spec}: install from the checkout"
            for extra in filter(None, rest.rstrip("]").split(",")):
                assert extra in extras, f"no extra [{extra}] in pyproject.toml"
    elif words[:3] == ["python", "-m", "venv"] or words[0] == ".":
        assert words[-1] in (".venv", ".venv/bin/activate")
        if words[0] == ".":
            assert (fresh / words[1]).exists()
    else:
        pytest.fail(f"README command of an unknown kind (add a check here): {command}")


def pyproject_extras() -> set:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return set(tomllib.load(f)["project"]["optional-dependencies"])
