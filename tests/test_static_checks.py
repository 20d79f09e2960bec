"""The static checks CI runs, each with zero findings: ruff (lint and import order), mypy over
generator/, and the import contracts of pyproject.toml (stages import only downwards, no
import cycles). The configuration of each is in pyproject.toml; this file only runs them."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *command], cwd=ROOT, capture_output=True, text=True, timeout=600)


def findings_message(tool: str, result: subprocess.CompletedProcess) -> str:
    return f"{tool} has findings (exit status {result.returncode}):\n{result.stdout}{result.stderr}"


def test_ruff_finds_nothing():
    result = run("-m", "ruff", "check", "--no-cache", "--output-format", "concise")
    assert result.returncode == 0, findings_message("ruff", result)


def test_mypy_finds_nothing():
    # the files and every option come from [tool.mypy] in pyproject.toml
    result = run("-m", "mypy", "--no-error-summary", "--no-pretty", "--show-error-codes")
    assert result.returncode == 0 and not result.stdout.strip(), findings_message("mypy", result)


def test_imports_keep_the_contracts():
    result = run("-c", "from importlinter.cli import lint_imports_command; lint_imports_command()",
                 "--no-cache", "--no-logo")
    assert result.returncode == 0, findings_message("import-linter", result)


def test_no_module_imports_itself_through_others():
    """No cycle between any two modules, also where the contracts do not look: between a
    package's __init__ and its own modules."""
    graph = grimp.build_graph("generator", include_external_packages=False)
    cycles = sorted((module, imported) for module in graph.modules
                    for imported in graph.find_modules_directly_imported_by(module)
                    if graph.chain_exists(importer=imported, imported=module))
    assert not cycles, "imports that are part of a cycle:\n" + "\n".join(f"{a} -> {b}" for a, b in cycles)
