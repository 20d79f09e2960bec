"""The build manifest (manifest.json at the site root): what a published site was made
from, for provenance pages and for the guards that protect the published site.

Nothing in it comes from the clock: the build time is SOURCE_DATE_EPOCH when set, else
the end of the latest period in the data, so the same inputs give the same bytes.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import TypedDict

from generator.extract.dataset import Dataset
from generator.pages.provenance import Provenance, provenance

MANIFEST = "manifest.json"


class InputEntry(TypedDict):
    """One file read, in the manifest: what the reject guards judge (each file on its own)."""

    file: str
    period: str | None
    sha256: str
    encoding: str
    rows: int
    rejected: int  # its rows rejected (quarantined)


class Manifest(Provenance):
    """manifest.json: what a published site was made from and of."""

    format: int
    periods: list[str]
    files: int  # every file of the site, the manifest included
    snapshots: dict[str, dict]  # period -> fingerprint, built, config and generator, files, revisions
    audience: str | None  # the branch of an --audience site
    rows_read: int  # every row read, of the whole bank
    rejected: int  # the rows rejected (quarantined)
    inputs: list[InputEntry]


def write_manifest(site: Path, dataset: Dataset, periods: list[str], pages: int, snapshots: dict[str, dict],
                   audience: str | None = None) -> Manifest:
    manifest: Manifest = {
        "format": 1, **provenance(dataset), "periods": sorted(periods), "files": pages, "snapshots": snapshots,
        "audience": audience,
        "rows_read": sum(item.rows for item in dataset.inputs), "rejected": dataset.rejected_rows(),
        "inputs": input_entries(dataset),
    }
    (site / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                 encoding="utf-8", newline="\n")
    return manifest


def input_entries(dataset: Dataset) -> list[InputEntry]:
    """Every file read, in a fixed order (the manifest's bytes depend only on the inputs)."""
    return [{"file": item.label, "period": item.period, "sha256": item.sha256, "encoding": item.encoding,
             "rows": item.rows, "rejected": item.rejected}
            for item in sorted(dataset.inputs, key=lambda i: (i.period or "", i.label))]


def read_manifest(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # no site yet, or one from before manifests
