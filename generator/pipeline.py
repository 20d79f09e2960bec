"""The build, stage by stage: config → dataset → plan → assessments → audience cut → render →
guards → publish. Each stage is one call with a typed result; what the build prints goes
through a Reporter (generator.cli), so the stages stay silent."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from generator.archive.guards import PublishRefused, guard_problems, reject_problems
from generator.archive.manifest import MANIFEST, Manifest, input_entries, read_manifest
from generator.archive.paths import refuse_unsafe_paths
from generator.archive.publish import Publication, only_build, restore_interrupted_swap, site_path
from generator.archive.snapshots import Plan, SnapshotPlan, plan_snapshots, record_snapshots
from generator.assessment.engine import Assessor
from generator.assessment.held import RejectsRefused, fail_on_reject_problems
from generator.assessment.site import KeptResults, ResultStore, SiteAssessments, assess_site
from generator.audience import AudienceSite, cut_to_audience
from generator.cache.assessments import CachedAssessments
from generator.cache.extracts import CachedReads
from generator.cache.shelf import ResultShelf
from generator.cache.store import BuildCache, default_folder
from generator.config.loading import LoadedConfig, load_config
from generator.errors import BuildError
from generator.extract.dataset import Dataset
from generator.extract.loader import FreshReads, load_dataset
from generator.extract.periods import closed_through_warnings, select_periods
from generator.pages.provenance import source_date_epoch
from generator.render.revision import render_revision
from generator.render.site import render_site


@dataclass(frozen=True)
class BuildOptions:
    """What `python build.py` was asked to do (see generator.cli for each option's meaning)."""

    config: Path
    data: Path | None = None
    out: Path = Path("site")
    periods: tuple[str, ...] = ()
    check: bool = False
    strict: bool = False
    audience: str | None = None
    rewrite_closed: bool = False
    force: bool = False
    published_manifest: Path | None = None
    cache: Path | None = None
    no_cache: bool = False
    jobs: int = 1
    wait: float = 0  # seconds to wait for another build publishing to `out`


class Reporter(Protocol):
    """What a build tells the person running it, stage by stage."""

    def config_warnings(self, warnings: list[str]) -> None: ...

    def dataset(self, dataset: Dataset) -> None: ...

    def checked(self, dataset: Dataset) -> None: ...

    def progress(self, total: int) -> Callable[[str], None]: ...

    def plan(self, plan: Plan) -> None: ...

    def forced(self, problems: list[str]) -> None: ...

    def warning(self, message: str) -> None: ...
    def waiting(self, message: str) -> None: ...


class StrictRefusal(BuildError):
    """--strict and the data have rejected rows or warnings: nothing is published."""


@dataclass(frozen=True)
class Built:
    """A published build."""

    manifest: Manifest  # as written to the site's manifest.json
    periods: list[str]  # the site's periods
    seconds: float  # from the plan to the swap
    cache_summary: str


def build(options: BuildOptions, report: Reporter) -> Built | None:
    """Validate the extracts and, unless only checking, publish the site; None after --check.
    Nothing is written before the paths are found safe and, to publish, the lock is held."""
    source_date_epoch()  # a bad one is refused before any work: the pages and mkdocs read it
    config = load_config(options.config, options.data)
    out = site_path(options.out)
    cache_folder = None if options.no_cache else options.cache or default_folder(out)
    refuse_unsafe_paths(out, cache_folder, config.data_dir, config.path, default_cache=options.cache is None)
    if options.check:
        return publish_site(options, config, out, cache_folder, report)
    with only_build(out, options.wait, report.waiting):
        restore_interrupted_swap(out)  # first, so even a failing build leaves a site in place
        return publish_site(options, config, out, cache_folder, report)


def publish_site(options: BuildOptions, config: LoadedConfig, out: Path, cache_folder: Path | None,
                 report: Reporter) -> Built | None:
    """The build once its paths are safe and it holds the lock; None after --check."""
    # config and dataset
    cache = BuildCache(cache_folder, read_only=options.check, warn=report.warning)
    dataset = load_dataset(config, CachedReads(cache, FreshReads(stop_early=not options.force)))
    config_warnings = [*config.warnings, *closed_through_warnings(config, dataset.periods)]
    periods = chosen_periods(dataset, options.periods)  # an unknown --period is refused by --check too
    report.config_warnings(config_warnings)
    report.dataset(dataset)
    refuse_held_rejects(dataset, options)
    if options.strict and (dataset.count("reject") or dataset.count("warning")):
        raise StrictRefusal(["--strict: rejected rows or warnings found; nothing published."])
    if options.strict and config_warnings:
        raise StrictRefusal(["--strict: the config has warnings (above); nothing published."])
    if options.check:
        check_guards(dataset, options)
        report.checked(dataset)
        return None
    # plan: what to render, carry over or revise, against the published manifest
    started = time.monotonic()
    on_disk = read_manifest(out / MANIFEST)
    snapshots = plan_snapshots(dataset, periods, out, on_disk, options.rewrite_closed, options.audience)
    # assessments, on the whole bank even for one branch's site (bank-wide ranks stay true)
    assessments = assess(dataset, periods, snapshots, cache)
    site = cut_to_audience(dataset, assessments, options.audience)
    with Publication(out) as publication:
        # render
        rendered = render_site(site, publication.staging, periods, snapshots.plan.render, max(1, options.jobs),
                               report.progress(len(snapshots.plan.render)), revision_links=snapshots.revision_links)
        revised = render_revisions(site, publication.staging, snapshots)
        # the manifest states what the build read: the whole bank's inputs and rejects, for one branch's site too
        recorded = record_snapshots(snapshots, rendered.snapshots, rendered.files + revised, publication.staging,
                                    out, dataset, options.audience)
        report.plan(snapshots.plan)
        # guards, then publish
        published = read_manifest(options.published_manifest) if options.published_manifest else on_disk
        try:
            guard(recorded.manifest, published, dataset, options, report)
        except PublishRefused:
            cache.discard_made()  # made of data judged suspect: see BuildCache.discard_made
            raise
        publication.swap(recorded.carried)
    cache.prune()
    return Built(recorded.manifest, periods, time.monotonic() - started, cache.summary())


def chosen_periods(dataset: Dataset, wanted: tuple[str, ...]) -> list[str]:
    """The periods --period names (comma-separated or repeated), else every period."""
    names = [part for value in wanted for part in value.split(",") if part.strip()]
    chosen = select_periods(dataset.periods, names, dataset.config.settings.periods.frequency) if names \
        else dataset.periods
    return [period.id for period in chosen]


def assess(dataset: Dataset, periods: list[str], snapshots: SnapshotPlan, cache: BuildCache) -> SiteAssessments:
    """The site's assessments, the cache answering for every period whose data are unchanged."""
    if dataset.config.settings.assessment is None:
        return assess_site(dataset, periods, snapshots.plan.render, None, KeptResults())
    memo = CachedAssessments(cache, snapshots.prints, dataset.config.sha256) if cache.enabled else None
    store: ResultStore = ResultShelf(memo) if memo is not None else KeptResults()
    return assess_site(dataset, periods, snapshots.plan.render, Assessor(dataset, memo), store,
                       revise=set(snapshots.plan.revise))


def render_revisions(site: AudienceSite, staging: Path, snapshots: SnapshotPlan) -> int:
    """Each new revision of a closed period rendered into its folder; returns the files written."""
    written = 0
    for period, entry in snapshots.new_revisions:
        entry["files"] = render_revision(site, staging, snapshots.periods, period, entry["number"], entry["folder"])
        written += len(entry["files"])
    return written


def guard(manifest: Manifest, published: dict | None, dataset: Dataset, options: BuildOptions,
          report: Reporter) -> None:
    """Refuse to replace the published site with one that shrank sharply or rests on too many
    rejected rows, unless --force."""
    settings = dataset.config.settings
    problems = guard_problems(manifest, published, settings.publish, settings.periods.files.performance.file)
    if problems and not options.force:
        raise PublishRefused([f"not published, the site in {options.out} is unchanged: {p}" for p in problems])
    if problems:
        report.forced(problems)


NOT_JUDGED_BY_CHECK = ("--check judges only the reject guards (publish.max_reject_rate, on all rows, each file and "
                       "each period); the page-drop guard (publish.max_page_drop) needs the rendered site and the "
                       "published manifest, so only a build judges it.")


def refuse_held_rejects(dataset: Dataset, options: BuildOptions) -> None:
    """data.fail_on_reject: rejected rows of the listed roles fail the build and --check (exit 4)."""
    problems = fail_on_reject_problems(dataset)
    if problems:
        verb = "check failed: the build would not publish" if options.check else "not published"
        raise RejectsRefused([f"{verb}: {problem}" for problem in problems])


def check_guards(dataset: Dataset, options: BuildOptions) -> None:
    """--check: the verdict of the reject guards, as the build would give it (exit 4 when they refuse)."""
    settings = dataset.config.settings
    problems = reject_problems(input_entries(dataset), settings.publish, settings.periods.files.performance.file)
    if problems and not options.force:
        raise PublishRefused([f"check failed: the build would not publish: {p}" for p in problems]
                             + [NOT_JUDGED_BY_CHECK])
