"""The page writer: every file of the site is written through it, so it knows which snapshot
each file belongs to; its tasks run on the workers (generator.render.workers)."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from jinja2 import Environment

from generator.errors import located
from generator.pages.context import PageContext, Shell
from generator.pages.paths import search_page
from generator.render.static_charts import StaticCharts
from generator.render.workers import Running, start_tasks
from generator.resources import TEMPLATES
from generator.text import bidi_shown, bidi_shown_bytes


class Writer:
    """Writes pages, texts and assets under `out`, counting them per snapshot."""

    def __init__(self, out: Path, env: Environment, shell: Shell, periods: list[str], static_charts: StaticCharts,
                 jobs: int = 1):
        self.out, self.env, self.shell, self.count, self.jobs = out, env, shell, 0, jobs
        self.latest_search = search_page(max(periods))  # what pages of no period search
        self.periods = set(periods)
        self.static_charts = static_charts  # build-time SVG for the charts that must print
        self.owners = {period: period for period in periods}  # top folder -> the period whose snapshot it is
        self.snapshots: dict[str, list[str]] = {}  # period -> the files of its snapshot
        self.folders: set[Path] = set()  # made already: a period writes tens of thousands of files into a few
        if jobs > 1:
            # compiled here once, shared by every task process, rather than once in each of them
            for name in env.list_templates(extensions=["html"]):
                if "/" not in name:  # (templates/mkdocs/ is mkdocs' theme, not a page of ours)
                    env.get_template(name)

    def parallel(self, tasks: list[Callable[[], None]]) -> None:
        """Run page-writing tasks on `jobs` workers and account for the files they wrote."""
        self.finish(self.start(tasks))

    def start(self, tasks: list[Callable[[], None]]) -> Running:
        """Hand page-writing tasks to `jobs` workers, which write while this process goes on."""
        return start_tasks([partial(self._recorded, task) for task in tasks], self.jobs)

    def finish(self, running: Running) -> None:
        """Wait for started tasks and account for the files they wrote."""
        for snapshots, count in running.results():
            self.count += count
            for owner, files in snapshots.items():
                self.snapshots.setdefault(owner, []).extend(files)

    def _recorded(self, task: Callable[[], None]) -> tuple[dict[str, list[str]], int]:
        """What one task wrote, apart from what was written before it (a worker starts with a copy)."""
        before, self.snapshots, self.count = (self.snapshots, self.count), {}, 0
        try:
            with located(self.out):  # the downloads and quarantine files a task writes itself
                task()
            return self.snapshots, self.count
        finally:
            self.snapshots, self.count = before

    def written(self, relative: str) -> None:
        self.count += 1
        owner = self._owner(relative)
        if owner:
            self.snapshots.setdefault(owner, []).append(relative)

    def page(self, context: PageContext) -> None:
        html = self.env.get_template(context.template).render(**self._variables(context))
        self.text(context.path, html)

    def _owner(self, relative: str) -> str | None:
        top, _, rest = relative.partition("/")
        return self.owners.get(rest.split(".", 1)[0] if top == "quality" else top)

    @property
    def common(self) -> dict[str, object]:
        """The shell's variables, for pages made outside the writer (the mkdocs guide)."""
        return {**self.shell.variables(), "search_target": self.latest_search}

    def _variables(self, context: PageContext) -> dict[str, object]:
        """The header searches the period of the page being read (a snapshot never points at a
        later period); pages of no period search the latest."""
        owner = self._owner(context.path)
        return {"search_target": search_page(owner) if owner else self.latest_search, **context.variables()}

    def streamed_page(self, context: PageContext) -> None:
        """As page(), written as the template renders it: a ranking page of a province is
        megabytes of rows (see pages.rankings.RowBlocks), never held whole."""
        target = self._target(context.path)
        with located(target), open(target, "wb") as file:
            for piece in self.env.get_template(context.template).generate(**self._variables(context)):
                file.write(bidi_shown(piece).encode("utf-8"))
        self.written(context.path)

    def text(self, relative: str, content: str) -> None:
        """UTF-8 with the newlines as given, written as bytes (no text layer per file). A bidi
        control that reached the text (the loader removes them from the data, the config refuses
        them in labels) is written as [U+202E]: it never reorders the page's own text."""
        target = self._target(relative)
        with located(target), open(target, "wb") as file:
            file.write(bidi_shown_bytes(content.encode("utf-8")))
        self.written(relative)

    def _target(self, relative: str) -> Path:
        path = self.out / relative
        if path.parent not in self.folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(path.parent)
        return path

    def copy_asset(self, name: str) -> None:
        target = self.out / "assets" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((TEMPLATES / "assets" / name).read_bytes())
        self.count += 1
