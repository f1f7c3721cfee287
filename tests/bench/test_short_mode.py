"""Every bench script has a short mode, which .ci/run runs: a new script without one fails here."""

import ast
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
CI_RUN = BENCH.parent / ".ci" / "run"


def scripts_with_main():
    for path in sorted(BENCH.glob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        if any(isinstance(node, ast.FunctionDef) and node.name == "main" for node in tree.body):
            yield path, tree


def option_strings(tree):
    """The option names of every ``add_argument(...)`` call in the module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "add_argument":
            for argument in node.args:
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    yield argument.value


SCRIPTS = list(scripts_with_main())


def test_the_bench_folder_has_scripts():
    assert {"two_servers.py", "load.py", "big_event.py"} <= {path.name for path, _ in SCRIPTS}


@pytest.mark.parametrize(("path", "tree"), SCRIPTS, ids=[path.name for path, _ in SCRIPTS])
def test_script_accepts_short(path, tree):
    assert "--short" in set(option_strings(tree))


@pytest.mark.parametrize(("path", "tree"), SCRIPTS, ids=[path.name for path, _ in SCRIPTS])
def test_ci_runs_script(path, tree):
    loop = next(line for line in CI_RUN.read_text().splitlines() if line.startswith("for bench in"))
    assert path.stem in loop.removeprefix("for bench in").removesuffix("; do").split()
