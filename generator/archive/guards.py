"""The guards: why a site that was built should not replace the one readers see now (it would
shrink sharply, or too many rows were rejected)."""
from __future__ import annotations

from generator.archive.manifest import Manifest
from generator.config.site import PublishSection
from generator.errors import EXIT_PUBLISH_REFUSED, BuildError


def guard_problems(new: Manifest, published: dict | None, guards: PublishSection) -> list[str]:
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
