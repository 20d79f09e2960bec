"""The assessed periods and roll-ups a build renders, kept in the build cache between uses.

A cold build of a three-year province archive renders some sixty assessed periods and
roll-ups of 20,000 managers each; held together they would take several gigabytes. Each is
already pickled in the build cache as it is assessed (generator.cache.assessments), so the
shelf keeps only its key and loads it again when its pages are rendered, holding the few
most recently used. Without a cache (--no-cache) the site stage keeps them in memory
(generator.assessment.site.KeptResults).
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator

from generator.assessment.engine import AssessedResult
from generator.assessment.site import ResultStore
from generator.cache.assessments import CachedAssessments

RECENT = 3  # the period being rendered, the one before it (movements) and the latest (home page)
Transform = Callable[[AssessedResult], AssessedResult]


class ResultShelf(ResultStore):
    """Period or roll-up id -> its assessment, with `transform` applied (e.g. the cut to one
    branch of an --audience build)."""

    def __init__(self, memo: CachedAssessments, transform: Transform | None = None,
                 placed: dict[str, AssessedResult | str] | None = None):
        self.memo, self.transform = memo, transform
        self.placed: dict[str, AssessedResult | str] = {} if placed is None else placed  # the result or its key
        self.recent: OrderedDict[str, AssessedResult] = OrderedDict()

    def put(self, result: AssessedResult) -> None:
        self.placed[result.id] = self.memo.kept(result) or result  # in memory when the cache could not keep it

    def restricted(self, transform: Transform) -> ResultShelf:
        return ResultShelf(self.memo, transform, self.placed)

    def __getitem__(self, period_id: str) -> AssessedResult:
        if period_id in self.recent:
            self.recent.move_to_end(period_id)
            return self.recent[period_id]
        placed = self.placed[period_id]
        result = self.memo.whole(placed) if isinstance(placed, str) else placed
        if self.transform is not None:
            result = self.transform(result)
        self.recent[period_id] = result
        if len(self.recent) > RECENT:
            self.recent.popitem(last=False)
        return result

    def __iter__(self) -> Iterator[str]:
        return iter(self.placed)

    def __len__(self) -> int:
        return len(self.placed)

