"""Archived period snapshots and incremental nightly builds.

Each period is a snapshot: its folder, its data-quality page and quarantine file, and the
roll-ups ending in it. The manifest keeps, per snapshot, the fingerprint of its data (every
extract of the period and the periods before it, the unit table, and the roster rows of the
managers who appear up to it, as they stood at its end), the config's hash and the
generator version. An open period is copied from the published site when all three are
unchanged, else rendered. A closed period (periods.closed_through) is never rewritten: a
new generator or config leaves it as published (its provenance names what made it), and
when its data change the original stays and the correction is published beside it as a
revision folder (<period>.r2, .r3, ...).
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from generator.archive.fingerprints import fingerprints
from generator.archive.manifest import Manifest, write_manifest
from generator.extract.dataset import Dataset
from generator.pages.provenance import build_time
from generator.resources import code_version


@dataclass
class Plan:
    render: set[str] = field(default_factory=set)  # rendered now
    fresh: list[str] = field(default_factory=list)  # copied unchanged from the published site
    revise: dict[str, int] = field(default_factory=dict)  # closed period -> number of the new revision
    warnings: list[str] = field(default_factory=list)


def plan_build(periods: list[str], prints: dict[str, str], made_by: dict[str, str], published: dict | None,
               published_dir: Path, closed_through: str | None, rewrite_closed: bool) -> Plan:
    """`made_by`: the config hash and generator version of this build."""
    plan = Plan()
    snapshots = (published or {}).get("snapshots", {})
    on_disk = published_files(published_dir) if snapshots else set()
    for period in periods:
        before = snapshots.get(period)
        kept = before is not None and on_disk.issuperset(before["files"])
        closed = closed_through is not None and period <= closed_through
        same_data = kept and before["fingerprint"] == prints[period]
        if same_data and (closed or all(before.get(key) == value for key, value in made_by.items())):
            plan.fresh.append(period)
        elif not kept or not closed:
            plan.render.add(period)
        elif rewrite_closed:
            plan.render.add(period)
            plan.warnings.append(f"CLOSED PERIOD {period} REWRITTEN IN PLACE (--rewrite-closed): its input changed "
                                 "since it was published; the original publication is replaced.")
        else:
            plan.fresh.append(period)  # the original stays exactly as published
            revisions = before.get("revisions", [])
            if revisions and revisions[-1]["fingerprint"] == prints[period]:
                continue
            plan.revise[period] = len(revisions) + 2
            plan.warnings.append(
                f"CLOSED PERIOD {period} CHANGED: its input differs from what was published (periods.closed_through "
                f"is {closed_through}). The original stays unchanged; the correction is published as revision "
                f"{period}.r{len(revisions) + 2}. Check the extracts; rerun with --rewrite-closed only if the "
                "original must be replaced.")
    return plan


def published_files(site: Path) -> set[str]:
    """Every file of the published site, by directory listing: a stat per file of a province
    archive (most of a million) took seconds."""
    files: set[str] = set()
    for folder, _, names in os.walk(site):
        prefix = Path(folder).relative_to(site).as_posix()
        files.update(names if prefix == "." else (f"{prefix}/{name}" for name in names))
    return files


def carry_over(published_dir: Path, staging: Path, files: list[str]) -> list[str]:
    """The top-level folders holding only unchanged snapshots' files, which the swap moves into
    the new site whole (generator.publish): a province archive is most of a million files.
    Files in folders this build also writes into (quality/) are linked now, or copied where
    the disk allows no links."""
    by_folder: dict[str, list[str]] = {}
    for relative in files:
        top, _, rest = relative.partition("/")
        by_folder.setdefault(top if rest else "", []).append(relative)
    carried = sorted(top for top in by_folder if top and not (staging / top).exists())
    for top in by_folder.keys() - set(carried):
        for relative in by_folder[top]:
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(published_dir / relative, target)
            except OSError:
                shutil.copy2(published_dir / relative, target)
    return carried


def revision_folder(period: str, number: int) -> str:
    return f"{period}.r{number}"


@dataclass
class SnapshotPlan:
    """What this build does with each period of the site, and what it needs to record it."""

    periods: list[str]  # the site's periods
    plan: Plan
    prints: dict[str, str]  # period -> its data fingerprint (every period: the assessment cache's keys)
    made_by: dict[str, str]  # the config hash and generator version of this build
    published: dict[str, dict]  # period -> its snapshot in the published manifest
    revisions: dict[str, list[dict]]  # period -> its revisions, published and new

    copied: list[str]  # the published files this build keeps: unchanged snapshots and published revisions
    new_revisions: list[tuple[str, dict]]  # (period, its new revision's entry, whose files the render fills in)

    @property
    def revision_links(self) -> dict[str, list[str]]:
        return {period: [entry["folder"] for entry in entries] for period, entries in self.revisions.items() if entries}


def plan_snapshots(dataset: Dataset, periods: list[str], published_dir: Path, published: dict | None,
                   rewrite_closed: bool, audience: str | None) -> SnapshotPlan:
    """Which periods to render, copy or revise, against the published manifest."""
    prints = fingerprints(dataset, [period.id for period in dataset.periods])
    made_by = {"config_sha256": dataset.config.sha256, "generator": code_version()}
    if (published or {}).get("audience") != audience:
        published = None  # another audience's site: nothing in it can be reused
    closed_through = dataset.config.settings.periods.closed_through
    plan = plan_build(periods, prints, made_by, published, published_dir, closed_through, rewrite_closed)
    before = (published or {}).get("snapshots", {})
    revisions = {period: list(before.get(period, {}).get("revisions", [])) for period in periods}
    copied = [file for period in periods if period not in plan.render for file in before[period]["files"]]
    copied += [file for period in periods for entry in revisions[period] for file in entry["files"]]
    new_revisions = []
    for period, number in plan.revise.items():
        entry = {"number": number, "folder": revision_folder(period, number), "fingerprint": prints[period],
                 "built": build_time(dataset), "files": []}
        revisions[period].append(entry)
        new_revisions.append((period, entry))
    return SnapshotPlan(periods, plan, prints, made_by, before, revisions, copied, new_revisions)


def record_snapshots(snapshots: SnapshotPlan, rendered: dict[str, list[str]], files_written: int,
                     staging: Path, published_dir: Path, dataset: Dataset, audience: str | None) -> Recorded:
    """The manifest of the new site, written into it, and the published folders the swap carries
    over unchanged. `rendered`: the files of each snapshot rendered now; `files_written`: every
    file written now, new revisions' included (their entries already list them)."""
    entries: dict[str, dict] = {}
    for period in snapshots.periods:
        if period in snapshots.plan.render:
            entries[period] = {"fingerprint": snapshots.prints[period], "built": build_time(dataset),
                               **snapshots.made_by, "files": sorted(rendered.get(period, []))}
        else:  # carried over from the published site
            entries[period] = {key: value for key, value in snapshots.published[period].items() if key != "revisions"}
        if snapshots.revisions[period]:
            entries[period]["revisions"] = snapshots.revisions[period]
    carried = carry_over(published_dir, staging, snapshots.copied)
    files = files_written + len(snapshots.copied) + 1  # and the manifest
    manifest = write_manifest(staging, dataset, snapshots.periods, files, entries, audience)
    return Recorded(manifest, carried)


@dataclass(frozen=True)
class Recorded:
    manifest: Manifest  # as written to manifest.json
    carried: list[str]  # top-level folders of the published site moved into the new one by the swap
