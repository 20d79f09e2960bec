"""The narrative pages (reader's guide, data contract, scoring rules), built by mkdocs.

Everything that touches mkdocs lives in this module, so the engine can be swapped. mkdocs
renders the few Markdown pages into our own base.html; the tens of thousands of data pages
never go through it (see design notes: Markdown parsing and full navigation cost O(n²)).
"""
from __future__ import annotations

import io
import logging
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import yaml
from jinja2 import ChoiceLoader, Environment, FileSystemLoader
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.plugins import BasePlugin

from generator.errors import ConfigError
from generator.resources import DOCS, TEMPLATES

GUIDE_FOLDER = "guide"
# The reader's guide in the site language comes first; the two reference documents follow.
REFERENCE_PAGES = ("data-contract.md", "assessment.md")


def guide_source(language: str) -> Path:
    folder = DOCS / "guide" / language
    return folder if folder.is_dir() else DOCS / "guide" / "en"


def build_guide(out: Path, shell: dict) -> int:
    """Build the narrative pages into `out/guide/`; returns the number of pages written.
    `shell` holds what base.html needs besides the page (lang, t, bank, title, search_target)."""
    with tempfile.TemporaryDirectory(prefix="guide-") as scratch:
        docs_dir, site_dir = Path(scratch) / "docs", Path(scratch) / "site"
        _gather_sources(docs_dir, shell["lang"])
        _run_mkdocs(docs_dir, site_dir, shell)
        pages = sorted(site_dir.glob("*.html"))  # mkdocs' sitemap carries the build date: left out
        target = out / GUIDE_FOLDER
        target.mkdir(parents=True, exist_ok=True)
        for page in pages:
            shutil.copyfile(page, target / page.name)
    return len(pages)


def _gather_sources(docs_dir: Path, language: str) -> None:
    docs_dir.mkdir(parents=True)
    shutil.copyfile(guide_source(language) / "index.md", docs_dir / "index.md")
    for name in REFERENCE_PAGES:
        shutil.copyfile(DOCS / name, docs_dir / name)


class _SiteShell(BasePlugin):
    """Lets the theme extend our templates and escapes every variable, like the data pages."""

    def on_env(self, env: Environment, config, files) -> Environment:
        assert env.loader is not None, "mkdocs gives its environment the theme's loader"
        env.loader = ChoiceLoader([env.loader, FileSystemLoader(TEMPLATES)])
        env.autoescape = True
        env.trim_blocks = env.lstrip_blocks = True  # as in site.environment()
        return env


def _run_mkdocs(docs_dir: Path, site_dir: Path, shell: dict) -> None:
    settings = {
        "site_name": shell["title"], "docs_dir": str(docs_dir), "site_dir": str(site_dir),
        "use_directory_urls": False, "strict": True, "plugins": [],
        "theme": {"name": None, "custom_dir": str(TEMPLATES / "mkdocs"), "locale": "en"},
        "nav": ["index.md", *REFERENCE_PAGES],
        "markdown_extensions": ["tables", "fenced_code", "toc"],
        # Links out of the guide (../methodology.html) look broken to mkdocs: the site link check covers them.
        "validation": {"links": {"not_found": "info", "unrecognized_links": "info", "absolute_links": "warn"}},
    }
    config = load_config(io.BytesIO(yaml.safe_dump(settings, allow_unicode=True).encode("utf-8")),
                         config_file_path=str(docs_dir.parent / "mkdocs.yml"))
    config.extra["shell"] = shell
    config.plugins["site-shell"] = _SiteShell()
    with _mkdocs_warnings() as warnings:
        try:
            build(config)
        except MkDocsException as problem:
            warnings.insert(0, f"did not build: {problem}")
    if warnings:
        raise ConfigError([f"the narrative pages in {DOCS}: {message}" for message in warnings])


class _WarningLog(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _mkdocs_warnings():
    """mkdocs' warnings as a list, to report as build errors rather than stray log lines."""
    logger, handler = logging.getLogger("mkdocs"), _WarningLog()
    saved = logger.level, logger.propagate
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
