"""Shared fixtures: a copy of the hand-made tiny bank that a test may break one thing in."""
from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny"


@dataclass
class Bank:
    """A writable copy of the tiny bank."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / "site_config.yml"

    def path(self, relative: str) -> Path:
        return self.root / relative

    def lines(self, relative: str) -> list[str]:
        return self.path(relative).read_text(encoding="utf-8").splitlines()

    def write_lines(self, relative: str, lines: list[str], encoding: str = "utf-8") -> None:
        self.path(relative).write_bytes(("\n".join(lines) + "\n").encode(encoding))

    def append(self, relative: str, *lines: str) -> None:
        self.write_lines(relative, self.lines(relative) + list(lines))

    def replace(self, relative: str, old: str, new: str) -> None:
        text = self.path(relative).read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        self.path(relative).write_text(text.replace(old, new, 1), encoding="utf-8")

    def load(self):
        from generator.config import load_config
        from generator.loader import load_dataset
        return load_dataset(load_config(self.config))


@pytest.fixture
def bank(tmp_path: Path) -> Bank:
    shutil.copytree(TINY, tmp_path / "bank")
    return Bank(tmp_path / "bank")


def run_build(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The build as a user runs it: a separate process, its exit code and its words."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)
