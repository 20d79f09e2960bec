"""A plain, non-editable install builds the site: the wheel carries the templates and the docs.

The checkout keeps templates/ and docs/ at the top level; the wheel puts them inside the
package (generator/templates, generator/docs: pyproject.toml), where generator/resources.py
looks first. The wheel is installed with `pip install --target` into a folder put on
PYTHONPATH, its dependencies being those of this environment, and its `cm-report` command runs
from a folder that is not the checkout, with the checkout not on sys.path.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from generator.resources import code_version
from tests.conftest import ROOT

CONFIG = ROOT / "site_config.yml"
# the earliest month of the sample: no roll-up of it is complete, so the build renders one period
FIRST_PERIOD = min(path.name for path in (ROOT / "data" / "periods").iterdir() if path.is_dir())

PROBE = """
import json, os, sys
import generator, generator.resources as resources
print(json.dumps({"generator": generator.__file__, "templates": str(resources.TEMPLATES),
                  "docs": str(resources.DOCS), "path": [os.path.realpath(entry) for entry in sys.path]}))
"""


def _checkout_copy(folder: str, names: list[str]) -> set[str]:
    """What `pip wheel` is not given: the checkout's dot-folders (.git, .venv), and its build
    outputs, which an in-tree build would otherwise carry into the wheel (build/lib keeps files
    deleted since). __pycache__ folders are copied: the wheel must leave them out."""
    if Path(folder) != ROOT:
        return {name for name in names if name.endswith(".egg-info")}
    return {name for name in names if name.startswith(".") or name.endswith(".egg-info")
            or name in ("build", "dist", "site")}


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel built from a copy of the checkout, and the folder it is installed into."""
    work = tmp_path_factory.mktemp("packaging")
    source = work / "checkout"
    shutil.copytree(ROOT, source, ignore=_checkout_copy)
    stray = source / "templates" / "__pycache__" / "stray.cpython-311.pyc"  # left by a developer's tool
    stray.parent.mkdir(exist_ok=True)
    stray.write_bytes(b"not a template")

    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    built = _run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
                  "-w", str(work / "wheels"), str(source)], cwd=work, env=env)
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (work / "wheels").glob("*.whl")
    target = work / "installed"
    done = _run([*pip, "install", "--no-deps", "--no-index", "-q", "--target", str(target), str(wheel)],
                cwd=work, env=env)
    assert done.returncode == 0, done.stdout + done.stderr

    runs = work / "elsewhere"  # the current folder of the installed command: not the checkout
    runs.mkdir()
    return {"wheel": wheel, "target": target, "command": target / "bin" / "cm-report", "cwd": runs,
            "env": {**env, "PYTHONPATH": str(target)}}


def test_the_wheel_carries_the_templates_and_docs_and_nothing_else_of_the_checkout(installed):
    with zipfile.ZipFile(installed["wheel"]) as wheel:
        names = set(wheel.namelist())
        entry_points = next(wheel.read(name).decode() for name in names if name.endswith("/entry_points.txt"))
    for folder in ("templates", "docs"):
        files = {f"generator/{folder}/{path.relative_to(ROOT / folder).as_posix()}"
                 for path in (ROOT / folder).rglob("*")
                 if path.is_file() and "__pycache__" not in path.parts and not path.name.startswith(".")}
        assert files and files <= names, sorted(files - names)
    assert "generator/templates/assets/vendor/vega.min.js" in names
    assert "generator/docs/guide/zh-CN/index.md" in names
    # every subpackage of generator/: pyproject.toml lists them, and a new one must be added there
    packages = {path.parent.relative_to(ROOT).as_posix() for path in (ROOT / "generator").rglob("__init__.py")}
    missing = sorted(package.replace("/", ".") for package in packages if f"{package}/__init__.py" not in names)
    assert not missing, f"add {missing} to packages in [tool.setuptools] of pyproject.toml"
    tops = {name.split("/")[0] for name in names}
    assert tops == {"generator", installed["wheel"].name.split("-py3")[0] + ".dist-info"}, tops
    assert not [name for name in names if "__pycache__" in name or name.endswith((".pyc", ".pyo"))]
    assert "cm-report = generator.cli:console" in entry_points


def test_the_installed_command_builds_the_site_outside_the_checkout(installed, tmp_path):
    probe = _run([sys.executable, "-c", PROBE], cwd=installed["cwd"], env=installed["env"])
    assert probe.returncode == 0, probe.stderr
    found = json.loads(probe.stdout)
    package = installed["target"] / "generator"
    assert Path(found["generator"]) == package / "__init__.py", "the checkout's generator was imported"
    assert (Path(found["templates"]), Path(found["docs"])) == (package / "templates", package / "docs")
    assert os.path.realpath(ROOT) not in found["path"]

    out = tmp_path / "site"
    result = _run([str(installed["command"]), "build", "--config", str(CONFIG), "--out", str(out),
                   "--period", FIRST_PERIOD, "--no-cache", "--jobs", "1"], cwd=installed["cwd"],
                  env=installed["env"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"published 1 period(s) to {out}" in result.stdout
    for page in ("index.html", f"{FIRST_PERIOD}/index.html", "guide/index.html", "assets/vendor/vega.min.js"):
        assert (out / page).is_file(), page
    # the same code and templates as the checkout, so the same generator version in the manifest
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["generator"] == code_version()[:16]
    assert not any(installed["cwd"].iterdir())


def test_the_installed_check_validates_and_writes_nothing(installed, tmp_path):
    # with the build cache on (its default folder lies beside --out): a check reads it, never writes it
    result = _run([str(installed["command"]), "check", "--config", str(CONFIG), "--out", str(tmp_path / "site")],
                  cwd=installed["cwd"], env=installed["env"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "check passed" in result.stdout
    assert not any(tmp_path.iterdir()) and not any(installed["cwd"].iterdir())
