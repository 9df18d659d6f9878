"""The layers run one way (docs/architecture.md), and `make lint` says so with import-linter
(the contract is in pyproject.toml). These tests show that the check holds on the code as it is
and that it fails on a back-import, at module level or hidden inside a function."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = ("compact", "workinggroups", "reporting", "portal", "config")


def _lint(where: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(where)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=where, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the code and its contract, to break without touching the real one."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


def test_the_layers_hold_on_the_code_as_it_is():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout


def test_a_back_import_fails_the_lint(tree: Path):
    _append(tree / "compact" / "core" / "audit.py", "\nfrom reporting.models import Submission  # noqa\n")
    result = _lint(tree)
    assert result.returncode == 1
    assert "compact.core is not allowed to import reporting" in result.stdout
    assert "compact.core.audit -> reporting.models" in result.stdout


def test_a_back_import_hidden_in_a_function_fails_it_too(tree: Path):
    _append(
        tree / "workinggroups" / "services.py",
        "\n\ndef _dodge():\n    from reporting.submissions.services import submission_act  # noqa\n",
    )
    result = _lint(tree)
    assert result.returncode == 1
    assert "workinggroups is not allowed to import reporting" in result.stdout
    assert "workinggroups.services -> reporting.submissions.services" in result.stdout


def test_a_back_import_through_another_module_fails_it_too(tree: Path):
    """The registry reaching the working groups through a helper module of its own."""
    shortcut = tree / "compact" / "registry" / "shortcut.py"
    shortcut.write_text("from workinggroups.models import WorkingGroup  # noqa\n")
    _append(tree / "compact" / "registry" / "services.py", "\nfrom compact.registry import shortcut  # noqa\n")
    result = _lint(tree)
    assert result.returncode == 1
    assert "compact.registry is not allowed to import workinggroups" in result.stdout
