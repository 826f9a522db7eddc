"""Project hygiene: environment files agree, code is formatted, notebooks stripped."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower()


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    wanted |= {_name(r) for r in project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda, pip = set(), set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip |= {_name(r) for r in dep["pip"] if not r.startswith("-e")}
        else:
            conda.add(_name(dep))
    listed = (conda | pip) - {"python", "pip"}
    assert listed == wanted, (
        f"only in environment.yml: {sorted(listed - wanted)}; "
        f"only in pyproject.toml: {sorted(wanted - listed)}"
    )


def test_constraints_pin_every_dependency():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    pinned = {
        _name(line)
        for line in (REPO / "constraints.txt").read_text().splitlines()
        if line and not line.startswith("#")
    }
    assert wanted <= pinned, sorted(wanted - pinned)


def _tool(name: str) -> str:
    found = Path(sys.executable).parent / name
    if found.exists():
        return str(found)
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed; run 'make setup'.")
    return path


def test_ruff_check_passes():
    run = subprocess.run(
        [_tool("ruff"), "check", "pingan", "tests", "benchmarks", "notebooks"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_ruff_format_is_clean():
    run = subprocess.run(
        [
            _tool("ruff"),
            "format",
            "--check",
            "pingan",
            "tests",
            "benchmarks",
            "notebooks",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_notebook_outputs_stripped():
    notebooks = sorted(str(p) for p in (REPO / "notebooks").glob("*.ipynb"))
    assert notebooks
    run = subprocess.run(
        [_tool("nbstripout"), "--verify", *notebooks],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_notebook_parameters_cells_hold_only_literals():
    import ast

    import nbformat

    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, path.name
        for node in ast.parse(tagged[0].source).body:
            assert isinstance(node, ast.AnnAssign | ast.Assign), path.name
            ast.literal_eval(node.value)
        for cell in nb.cells:
            if cell.cell_type == "code":
                tree = ast.parse(cell.source)
                defs = [
                    n
                    for n in ast.walk(tree)
                    if isinstance(
                        n, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef
                    )
                ]
                assert not defs, f"{path.name} defines {defs[0].name}"
