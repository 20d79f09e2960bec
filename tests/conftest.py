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
        from generator.config.loading import load_config
        from generator.extract.loader import load_dataset
        return load_dataset(load_config(self.config))


@pytest.fixture
def bank(tmp_path: Path) -> Bank:
    shutil.copytree(TINY, tmp_path / "bank")
    return Bank(tmp_path / "bank")


def run_build(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The build as a user runs it: a separate process, its exit code and its words."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, driven by playwright; every request must stay on file://."""
    from playwright.sync_api import sync_playwright

    from tests.sitecheck import CHROMIUM, CHROMIUM_ARGS
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class OpenedPage:
    """A page with what went wrong while it loaded: console errors, page errors, non-file requests,
    and every dialog (alert, confirm, prompt) it opened, recorded from before the navigation."""

    def __init__(self, browser, url: str):
        self.page = browser.new_page()
        self.errors: list[str] = []
        self.external: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request",
                     lambda r: None if r.url.startswith(("file://", "data:")) else self.external.append(r.url))
        self.page.goto(url, wait_until="load")


@pytest.fixture
def open_page(browser):
    opened: list[OpenedPage] = []

    def opener(path: Path) -> OpenedPage:
        page = OpenedPage(browser, path.resolve().as_uri())
        opened.append(page)
        return page
    yield opener
    for page in opened:
        page.page.close()


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/ from the current build instead of comparing with it")


@pytest.fixture(scope="session")
def tiny_site(tmp_path_factory) -> Path:
    """The tiny bank built once for the session, for tests that only read the site."""
    out = tmp_path_factory.mktemp("tiny-site") / "site"
    result = run_build("--config", str(TINY / "site_config.yml"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out
