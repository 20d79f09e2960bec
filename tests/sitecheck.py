"""Checking a built site as a reader meets it: links, and a real headless Chromium."""
from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)


def links_of(page: Path) -> list[str]:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.links


def link_problems(site: Path) -> list[str]:
    """Every link that is not relative, or that points at no file of the site."""
    problems = []
    for page in sorted(site.rglob("*.html")):
        for link in links_of(page):
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("/"):
                problems.append(f"{page.relative_to(site)}: not a relative link: {link}")
                continue
            if not parts.path:
                continue  # a fragment on the same page
            target = posixpath.normpath(posixpath.join(page.parent.as_posix(), unquote(parts.path)))
            if not Path(target).is_file() or not Path(target).resolve().is_relative_to(site.resolve()):
                problems.append(f"{page.relative_to(site)}: broken link: {link}")
    return problems


def table_rows(page, table) -> list[list[str]]:
    """The body of a table as a reader sees it in the browser: per row, its cells' visible texts.
    `table` is a playwright locator of the <table>."""
    return page.evaluate("t => Array.from(t.tBodies[0].rows, r => Array.from(r.cells, c => c.innerText.trim()))",
                         table.element_handle())


def unit_board(page, heading: str) -> list[list[str]]:
    """The rows of the unit ranking board under the level heading `heading` (网点, 支行 ...)."""
    return table_rows(page, page.locator(f"h2:text-is('{heading}') + table"))


def line_breaks(page, chart) -> list[int]:
    """Per line drawn by Vega in `chart` (a locator of a drawn .chart), how many separate pieces
    it is made of: a gap in the data (a period held or absent) makes two pieces, not one line across."""
    return page.evaluate("c => Array.from(c.querySelectorAll('.vega-embed .mark-line path'),"
                         " p => (p.getAttribute('d').match(/M/g) || []).length)", chart.element_handle())
def follow_link(opened, text: str):
    """Click the link whose text starts with `text` on an opened page (conftest OpenedPage), as a
    reader would, and return the page it leads to once loaded."""
    page = opened.page
    link = page.locator("a", has_text=text).first
    link.wait_for(state="visible", timeout=5_000)
    with page.expect_navigation(wait_until="load"):
        link.click()
    return page


def selector_rows(page, selector: str) -> list[list[str]]:
    """The cells' texts of each body row of the tables under `selector` in a browser page."""
    return page.eval_on_selector_all(
        f"{selector} tbody tr", "rows => rows.map(r => Array.from(r.cells).map(c => c.innerText.trim()))")
