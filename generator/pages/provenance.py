"""What a snapshot was made from, as its pages state it: the build time (never the clock), the
config's hash and the generator's version."""
from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from typing import TypedDict

from generator.errors import ConfigError
from generator.extract.dataset import Dataset
from generator.resources import code_version

# Seconds since 1970-01-01 UTC, as the reproducible-builds specification defines it: digits only
# (no sign, fraction or spaces), up to 2106-02-07T06:28:15Z, the last time a gzip header holds
# (mkdocs stamps the guide's sitemap.xml.gz with it).
LATEST_EPOCH = 2**32 - 1


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH as an integer, None when unset; anything else set is refused. The build
    checks it first (pipeline.build): mkdocs and the pages read it, and a nightly job that
    computed it wrong must fail before any work, not after rendering. Empty is refused too: the
    pipelines set it from the newest extract, so empty means that lookup found nothing."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None:
        return None
    if re.fullmatch(r"[0-9]{1,10}", value) and int(value) <= LATEST_EPOCH:
        return int(value)
    raise ConfigError([f"SOURCE_DATE_EPOCH is {value!r}, not a build time: it must be a whole number of seconds "
                       f"since 1970-01-01 UTC, from 0 to {LATEST_EPOCH} (2106-02-07), digits only. Nothing was "
                       "built or changed. Fix: set it to the newest extract's modification time (the deploy "
                       "pipelines do: find … -printf '%T@' | cut -d. -f1) or unset it (then the build time is "
                       "the end of the latest period)."])


def build_time(dataset: Dataset) -> str:
    epoch = source_date_epoch()
    if epoch is not None:
        return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{dataset.periods[-1].end.isoformat()}T00:00:00Z"


class Provenance(TypedDict):
    config_sha256: str
    generator: str  # the first 16 hex digits of resources.code_version()
    build_time: str


def provenance(dataset: Dataset) -> Provenance:
    return {"config_sha256": dataset.config.sha256, "generator": code_version()[:16],
            "build_time": build_time(dataset)}
