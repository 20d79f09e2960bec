"""The static checks CI runs, each with zero findings: ruff (lint and import order), mypy over
generator/, and the import contracts of pyproject.toml (stages import only downwards, no
import cycles). The configuration of each is in pyproject.toml; this file only runs them,
plus the two temporary lists below."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]

# TEMPORARY, remove with the restructure: files being rewritten, not yet checked by ruff or
# mypy (mypy still reads them for the types the other files use; their own findings are not
# counted). Delete a line once its file passes; delete the list when it is empty.
UNCHECKED_FILES = [
    "generator/archive/publish.py",
    "generator/archive/snapshots.py",
    "generator/assessment/engine.py",
    "generator/audience/__init__.py",
    "generator/cache/shelf.py",
    "generator/cache/store.py",
    "generator/cli.py",
    "generator/extract/loader.py",
    "generator/render/site.py",
]

# TEMPORARY, remove with the restructure: imports that break the stage layering today.
# Anything else that breaks it fails the test. An entry whose import has gone is reported as
# a warning, not a failure: delete it then.
KNOWN_LAYER_VIOLATIONS = [
    ("generator.extract.loader", "generator.cache.store"),  # extract must not know the cache
    ("generator.assessment.engine", "generator.cache.store"),  # nor the assessment
    ("generator.audience", "generator.pages.manager"),  # siblings: audience must not import pages
    ("generator.archive.snapshots", "generator.render.site"),  # siblings: archive and render
    ("generator.render.site", "generator.archive.manifest"),  # ... either way (a cycle today)
]


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *command], cwd=ROOT, capture_output=True, text=True, timeout=600)


def findings_message(tool: str, result: subprocess.CompletedProcess, lines: list[str] | None = None) -> str:
    shown = "\n".join(lines) if lines is not None else result.stdout + result.stderr
    return f"{tool} has findings (exit status {result.returncode}):\n{shown}"


def test_ruff_finds_nothing():
    result = run("-m", "ruff", "check", "--no-cache", "--output-format", "concise",
                 "--extend-exclude", ",".join(UNCHECKED_FILES))
    assert result.returncode == 0, findings_message("ruff", result)


MYPY_LINE = re.compile(r"^(?P<path>[^:\s]+\.pyi?):\d+(?::\d+)?: (?P<kind>error|note|warning): ")


def test_mypy_finds_nothing():
    # the files and every option come from [tool.mypy] in pyproject.toml
    result = run("-m", "mypy", "--no-error-summary", "--no-pretty", "--show-error-codes")
    assert result.returncode in (0, 1), findings_message("mypy", result)  # 2: mypy itself failed
    unchecked = set(UNCHECKED_FILES)
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    counted = [line for line in lines if not ((m := MYPY_LINE.match(line)) and m["path"] in unchecked)]
    assert not counted, findings_message("mypy", result, counted)
    if result.returncode == 1:  # every error it reported is in an unchecked file
        assert any(MYPY_LINE.match(line) for line in lines), findings_message("mypy", result)


def _toml_value(value: object) -> str:
    """A string, bool, int or list of them as TOML (JSON's string escapes are TOML's)."""
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value)


def _contracts_with_known_violations(path: Path) -> Path:
    """pyproject's [tool.importlinter] with KNOWN_LAYER_VIOLATIONS ignored by every contract."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    ignored = [f"{importer} -> {imported}" for importer, imported in KNOWN_LAYER_VIOLATIONS]
    lines = ["[tool.importlinter]"]
    lines += [f"{key} = {_toml_value(value)}" for key, value in config.items() if key != "contracts"]
    for contract in config["contracts"]:
        contract = {**contract, "ignore_imports": contract.get("ignore_imports", []) + ignored,
                    "unmatched_ignore_imports_alerting": "warn"}
        lines += ["", "[[tool.importlinter.contracts]]"]
        lines += [f"{key} = {_toml_value(value)}" for key, value in contract.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_imports_keep_the_contracts(tmp_path):
    config = _contracts_with_known_violations(tmp_path / "importlinter.toml")
    result = run("-c", "from importlinter.cli import lint_imports_command; lint_imports_command()",
                 "--no-cache", "--no-logo", str(config))
    assert result.returncode == 0, findings_message("import-linter", result)


def test_no_module_imports_itself_through_others():
    """No cycle between any two modules, also where the contracts do not look: between a
    package's __init__ and its own modules."""
    graph = grimp.build_graph("generator", include_external_packages=False)
    for importer, imported in KNOWN_LAYER_VIOLATIONS:
        if graph.direct_import_exists(importer=importer, imported=imported):
            graph.remove_import(importer=importer, imported=imported)
    cycles = sorted((module, imported) for module in graph.modules
                    for imported in graph.find_modules_directly_imported_by(module)
                    if graph.chain_exists(importer=imported, imported=module))
    assert not cycles, "imports that are part of a cycle:\n" + "\n".join(f"{a} -> {b}" for a, b in cycles)

