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
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.cache.store import BuildCache
from generator.archive.fingerprints import fingerprints
from generator.archive.manifest import build_time, write_manifest
from generator.resources import code_version
from generator.extract.dataset import Dataset
from generator.render.site import render_site


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
    files = set()
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


def write_archive(dataset: Dataset, staging: Path, periods: list[str], published_dir: Path, published: dict | None,
                  rewrite_closed: bool, progress_for, audience: str | None = None,
                  cache: BuildCache | None = None, jobs: int = 1) -> tuple[dict, Plan]:
    """Render what changed, copy what did not, add revisions of changed closed periods; write
    the manifest. `progress_for(n)` makes the progress reporter for n rendered periods."""
    prints = fingerprints(dataset, [period.id for period in dataset.periods])  # all: the assessment cache's keys
    made_by = {"config_sha256": dataset.config.sha256, "generator": code_version()}
    if (published or {}).get("audience") != audience:
        published = None  # another audience's site: nothing in it can be reused
    closed_through = dataset.config.settings.periods.closed_through
    plan = plan_build(periods, prints, made_by, published, published_dir, closed_through, rewrite_closed)
    before = (published or {}).get("snapshots", {})
    revisions = {period: list(before.get(period, {}).get("revisions", [])) for period in periods}
    for period, number in plan.revise.items():
        revisions[period].append({"number": number, "folder": revision_folder(period, number),
                                  "fingerprint": prints[period], "built": build_time(dataset), "files": []})
    links = {period: [r["folder"] for r in entries] for period, entries in revisions.items() if entries}
    copied = [file for period in periods if period not in plan.render for file in before[period]["files"]]
    copied += [file for period in periods for entry in revisions[period] if entry["files"] for file in entry["files"]]
    rendered = render_site(dataset, staging, periods, progress=progress_for(len(plan.render)), render=plan.render,
                           revision_links=links, audience=audience, cache=cache, fingerprints=prints, jobs=jobs)
    snapshots, revised = {}, 0
    for period in periods:
        if period in plan.render:
            snapshots[period] = {"fingerprint": prints[period], "built": build_time(dataset), **made_by,
                                 "files": sorted(rendered.snapshots.get(period, []))}
        else:  # carried over from the published site
            snapshots[period] = {key: value for key, value in before[period].items() if key != "revisions"}
        for entry in revisions[period]:
            if not entry["files"]:  # a new revision (published ones are carried over as they were)
                entry["files"] = _render_revision(dataset, staging, periods, period, entry["number"], audience)
                revised += len(entry["files"])
        if revisions[period]:
            snapshots[period]["revisions"] = revisions[period]
    carried = carry_over(published_dir, staging, copied)
    files = rendered.files + len(copied) + revised + 1  # and the manifest
    return write_manifest(staging, dataset, periods, files, snapshots, audience), plan, carried


def _render_revision(dataset: Dataset, staging: Path, periods: list[str], period: str, number: int,
                     audience: str | None) -> list[str]:
    """The period rendered from today's inputs into <period>.r<n>/, beside the untouched original.
    Relative links keep working: the revision folder sits at the same depth as the original."""
    folder = revision_folder(period, number)
    with tempfile.TemporaryDirectory(prefix="revision-") as scratch:
        rendered = render_site(dataset, Path(scratch), periods, render={period}, audience=audience,
                               revision={"number": number, "original": f"../{period}/index.html"})
        moved = []
        for relative in rendered.snapshots.get(period, []):
            if relative.startswith(f"{period}/"):
                target = staging / folder / relative.removeprefix(f"{period}/")
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(Path(scratch) / relative, target)
                moved.append(f"{folder}/{relative.removeprefix(f'{period}/')}")
    return sorted(moved)
