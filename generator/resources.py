"""Where the templates, assets and narrative docs the build reads are.

An installed package carries them inside it (`generator/templates`, `generator/docs`: see
`[tool.setuptools.package-dir]` in pyproject.toml); a checkout keeps them at the top level
beside `generator/`, where the developers edit them. Imports nothing of the generator.
"""
from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
BUNDLED = ("templates", "docs")  # inside an installed package: hashed as the templates folder, or not at all


def _bundled(name: str) -> Path:
    inside = PACKAGE / name
    return inside if inside.is_dir() else PACKAGE.parent / name


TEMPLATES = _bundled("templates")
DOCS = _bundled("docs")


def checkout() -> Path | None:
    """The project checkout the generator runs from (build.py and pyproject.toml beside
    `generator/`, an editable install included), or None once installed as a package."""
    root = PACKAGE.parent
    return root if (root / "build.py").is_file() and (root / "pyproject.toml").is_file() else None


@cache  # the files do not change during a build; every period's provenance asks
def code_version() -> str:
    """sha256 over the generator's code and templates: a change to either is a new version."""
    digest = hashlib.sha256()
    for name, folder in (("generator", PACKAGE), ("templates", TEMPLATES)):
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            if path.is_file() and "__pycache__" not in relative.parts and relative.parts[0] not in BUNDLED:
                digest.update(f"{name}/{relative.as_posix()}".encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
