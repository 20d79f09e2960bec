"""What a snapshot was made from, as its pages state it: the build time (never the clock), the
config's hash and the generator's version."""
from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import TypedDict

from generator.extract.dataset import Dataset
from generator.resources import code_version


def build_time(dataset: Dataset) -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{dataset.periods[-1].end.isoformat()}T00:00:00Z"


class Provenance(TypedDict):
    config_sha256: str
    generator: str  # the first 16 hex digits of resources.code_version()
    build_time: str


def provenance(dataset: Dataset) -> Provenance:
    return {"config_sha256": dataset.config.sha256, "generator": code_version()[:16],
            "build_time": build_time(dataset)}
