"""The build manifest (manifest.json at the site root): what a published site was made
from, for provenance pages and for the guards that protect the published site.

Nothing in it comes from the clock: the build time is SOURCE_DATE_EPOCH when set, else
the end of the latest period in the data, so the same inputs give the same bytes.
"""
from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from generator.config.site import PublishSection
from generator.errors import EXIT_PUBLISH_REFUSED, BuildError
from generator.extract.dataset import Dataset
from generator.resources import code_version

MANIFEST = "manifest.json"


def build_time(dataset: Dataset) -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{dataset.periods[-1].end.isoformat()}T00:00:00Z"


def provenance(dataset: Dataset) -> dict:
    return {"config_sha256": dataset.config.sha256, "generator": code_version()[:16],
            "build_time": build_time(dataset)}


def write_manifest(site: Path, dataset: Dataset, periods: list[str], pages: int, snapshots: dict,
                   audience: str | None = None) -> dict:
    manifest = {
        "format": 1, **provenance(dataset), "periods": sorted(periods), "files": pages, "snapshots": snapshots,
        "audience": audience,
        "rows_read": sum(item.rows for item in dataset.inputs), "rejected": dataset.count("reject"),
        "inputs": [{"file": item.label, "period": item.period, "sha256": item.sha256, "encoding": item.encoding,
                    "rows": item.rows} for item in sorted(dataset.inputs, key=lambda i: (i.period or "", i.label))],
    }
    (site / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                 encoding="utf-8", newline="\n")
    return manifest


def read_manifest(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # no site yet, or one from before manifests


def guard_problems(new: dict, published: dict | None, guards: PublishSection) -> list[str]:
    """Why this build should not replace the published site (empty: publish)."""
    problems = []
    if published and published.get("files"):
        drop = 1 - new["files"] / published["files"]
        if drop > guards.max_page_drop:
            problems.append(f"the site would shrink from {published['files']} to {new['files']} files "
                            f"({drop:.0%} fewer; publish.max_page_drop is {guards.max_page_drop:.0%}). "
                            "Fix: check that every period's extracts are in place (or build all periods, "
                            "not only some with --period); if the drop is intended, rerun with --force.")
    rate = new["rejected"] / new["rows_read"] if new["rows_read"] else 0.0
    if rate > guards.max_reject_rate:
        problems.append(f"{new['rejected']} of {new['rows_read']} rows were rejected ({rate:.1%}; "
                        f"publish.max_reject_rate is {guards.max_reject_rate:.1%}). Fix: correct the extracts "
                        "(see the data-quality messages above); to publish anyway, rerun with --force.")
    return problems


class PublishRefused(BuildError):
    """The new site was built but looks broken: the published one stays."""

    exit_code = EXIT_PUBLISH_REFUSED
