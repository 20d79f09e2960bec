"""What a snapshot was made from, as its pages state it: the build time (never the clock), the
config's hash and the generator's version."""
from __future__ import annotations

import os
from datetime import UTC, datetime

from generator.extract.dataset import Dataset
from generator.resources import code_version


def build_time(dataset: Dataset) -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{dataset.periods[-1].end.isoformat()}T00:00:00Z"


def provenance(dataset: Dataset) -> dict:
    return {"config_sha256": dataset.config.sha256, "generator": code_version()[:16],
            "build_time": build_time(dataset)}
