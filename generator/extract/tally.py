"""Issues counted without holding them all: a file of two million bad rows must not become two
million Issue objects (a 200 MB extract of unknown managers once took 8.7 GB). The first
LISTED_PER_RULE issues of each rule in a file are kept whole, for the messages, the
data-quality page and the quarantine file; the rest are counted, and the managers their
rejected rows name are kept (no result may rest on a rejected row, listed or not)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from generator.errors import Issue
from generator.extract.rules import RULES

LISTED_PER_RULE = 100


@dataclass
class IssueTally:
    listed: list[Issue] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)  # rule -> issues found, listed or not
    unlisted_managers: set[str] = field(default_factory=set)  # managers of rejected rows not listed

    def add(self, rule: str, make: Callable[[], Issue], manager_id: str | None = None) -> None:
        """Count an issue of `rule`; `make` builds it only while the rule has room in the list."""
        self.counts[rule] += 1
        if self.counts[rule] <= LISTED_PER_RULE:
            self.listed.append(make())
        elif manager_id and RULES[rule].severity == "reject":
            self.unlisted_managers.add(manager_id)

    def unlisted(self) -> tuple[tuple[str, int], ...]:
        """(rule, issues not listed), by rule."""
        return tuple(sorted((rule, count - LISTED_PER_RULE) for rule, count in self.counts.items()
                            if count > LISTED_PER_RULE))

    def in_period(self, period: str | None) -> None:
        self.listed[:] = [replace(issue, period=period) for issue in self.listed]
