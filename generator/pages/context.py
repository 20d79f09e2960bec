"""What every page's template reads: the site's shell (its language and words, the bank and
site titles) and the page's own place in the site. Each page kind is a dataclass deriving
from PageContext, defined beside the function that builds it (pages/home.py, manager.py ...)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from generator.i18n import Catalogue


@dataclass(frozen=True)
class Shell:
    """What every page of one site shares."""

    lang: str  # the site language, e.g. zh-CN
    t: Catalogue  # the interface words in that language (generator.i18n)
    bank: str  # the bank's name in that language
    title: str  # the site's title in that language
    build_time: str = ""  # as the snapshot states it (pages.provenance.build_time), never the clock
    confidentiality: str = ""  # the footer's line from site.confidentiality, "" for none

    def variables(self) -> dict[str, object]:
        return {"lang": self.lang, "t": self.t, "bank": self.bank, "title": self.title,
                "build_time": self.build_time, "confidentiality": self.confidentiality}


@dataclass(frozen=True, kw_only=True)
class PageContext:
    """A page: the shell, where it lies and, in subclasses, what it shows. `template` names the
    jinja template that renders the page kind."""

    template: ClassVar[str]
    shell: Shell
    path: str  # relative to the site root, e.g. "2026-10/managers/000101.html"

    @property
    def root(self) -> str:
        """The way from the page back to the site root ("" or "../" repeated): every link of
        the site is relative, so it works under any sub-path and from file://."""
        return "../" * self.path.count("/")

    def variables(self) -> dict[str, object]:
        """The template's variables: the shell's, `root` and the page kind's own fields."""
        own = dict(vars(self))
        del own["shell"], own["path"]
        return {**self.shell.variables(), "root": self.root, **own}


@dataclass(frozen=True)
class PageLink:
    label: str
    href: str
