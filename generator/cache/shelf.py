"""The assessed periods and roll-ups a build renders, kept in the build cache between uses.

A cold build of a three-year province archive renders some sixty assessed periods and
roll-ups of 20,000 managers each; held together they would take several gigabytes. Each is
already pickled in the build cache (generator.buildcache) as it is assessed, so the shelf
keeps only its key and loads it again when its pages are rendered, holding the few most
recently used. Without a cache (--no-cache) the results stay in memory.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping

from generator.cache.store import BuildCache

RECENT = 3  # the period being rendered, the one before it (movements) and the latest (home page)


class ResultShelf(Mapping):
    """Period or roll-up id -> its PeriodAssessment, with `transform` applied (e.g. the cut
    to one branch of an --audience build)."""

    def __init__(self, cache: BuildCache, transform: Callable | None = None,
                 placed: dict[str, object] | None = None):
        self.cache, self.transform = cache, transform
        self.placed: dict[str, object] = {} if placed is None else placed  # the result, or its cache key
        self.recent: OrderedDict[str, object] = OrderedDict()

    def put(self, period_id: str, result, key: str | None) -> None:
        self.placed[period_id] = _Shelved(key) if key and self.cache.enabled else result

    def restricted(self, transform: Callable) -> "ResultShelf":
        return ResultShelf(self.cache, transform, self.placed)

    def __getitem__(self, period_id: str):
        if period_id in self.recent:
            self.recent.move_to_end(period_id)
            return self.recent[period_id]
        placed = self.placed[period_id]
        result = self.cache.reload("assessments", placed.key).result if isinstance(placed, _Shelved) else placed
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


class _Shelved:
    def __init__(self, key: str):
        self.key = key
