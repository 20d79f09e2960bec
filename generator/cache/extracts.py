"""The loader wrapped by the build cache: the roster (each period's, when given per period)
while its file and the config are as before (a province's roster took a second of every
nightly build to parse and check), and a period while its files, the config, its unit table
and the roster entries of the managers its files name are as before."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from generator.cache.store import BuildCache, file_digest, folder_digest
from generator.config.loading import LoadedConfig
from generator.extract.loader import FreshReads, PeriodRead, Reference, RosterRead
from generator.extract.periods import PeriodFolder
from generator.extract.roles import period_file_names


@dataclass
class _CachedPeriod:
    read: PeriodRead
    roster_view: str  # hash of what the roster says about its managers (extract.loader.RosterView)


class CachedReads:
    """The loader's ExtractReads, answered from the cache where the inputs are unchanged."""

    def __init__(self, cache: BuildCache, fresh: FreshReads | None = None):
        self.cache, self.fresh = cache, fresh or FreshReads()

    def roster(self, config: LoadedConfig, file: str | None = None, period: str | None = None) -> RosterRead:
        """The roster, or one period's own (reference.managers.per_period), keyed by its bytes: a
        change to one month's roster re-reads that file only."""
        relative = file or config.settings.reference.managers.file
        path = config.data_dir / relative
        if not self.cache.enabled or not path.is_file():  # a missing file is the loader's error to report
            return self.fresh.roster(config, file, period)
        key = self.cache.key("roster", config.sha256, relative, period or "",
                             hashlib.sha256(path.read_bytes()).hexdigest())
        entry = self.cache.load("rosters", key, lambda entry: isinstance(entry, RosterRead))
        if isinstance(entry, RosterRead):
            return entry
        read = self.fresh.roster(config, file, period)
        self.cache.store("rosters", key, read)
        return read

    def period(self, config: LoadedConfig, folder: PeriodFolder, reference: Reference) -> PeriodRead:
        if not self.cache.enabled:
            return self.fresh.period(config, folder, reference)
        relative = folder.path.relative_to(config.data_dir).as_posix()
        key = self.cache.key("period", config.sha256, reference.units_input.sha256, folder.period.id, relative,
                             folder_digest(folder.path), _matched_digest(config, folder))
        # a new hire elsewhere in the roster must not cost a re-parse of three years of extracts
        entry = self.cache.load("periods", key, lambda entry: isinstance(entry, _CachedPeriod)
                                and entry.roster_view == reference.roster.of(entry.read.manager_ids))
        if isinstance(entry, _CachedPeriod):
            return entry.read
        read = self.fresh.period(config, folder, reference)
        self.cache.store("periods", key, _CachedPeriod(read, reference.roster.of(read.manager_ids)))
        return read


def _matched_digest(config: LoadedConfig, folder: PeriodFolder) -> str:
    """The files the period's roles read below its folder's top level (a pattern such as branches/*.csv),
    which the folder's own digest does not see; a file not there yet is the loader's error to report."""
    digest = hashlib.sha256()
    for name in period_file_names(config, folder):
        path = config.data_dir / name
        if path.parent != folder.path and path.is_file():
            digest.update(f"{name}\0{file_digest(path)}\0".encode())
    return digest.hexdigest()
