"""The guards: why a site that was built should not replace the one readers see now (it would
shrink sharply, or too many rows were rejected: in all, in one file, or in one period's
performance data, so that a file that failed whole cannot hide among the others)."""
from __future__ import annotations

from generator.archive.manifest import InputEntry, Manifest
from generator.config.patterns import names_period_file
from generator.config.site import PublishSection
from generator.errors import EXIT_PUBLISH_REFUSED, BuildError


def guard_problems(new: Manifest, published: dict | None, guards: PublishSection,
                   performance_file: str = "") -> list[str]:
    """Why this build should not replace the published site (empty: publish)."""
    problems = []
    if published and published.get("files"):
        drop = 1 - new["files"] / published["files"]
        if drop > guards.max_page_drop:
            problems.append(f"the site would shrink from {published['files']} to {new['files']} files "
                            f"({drop:.0%} fewer; publish.max_page_drop is {guards.max_page_drop:.0%}). "
                            "Fix: check that every period's extracts are in place (or build all periods, "
                            "not only some with --period); if the drop is intended, rerun with --force.")
    return problems + reject_problems(new["inputs"], guards, performance_file)


def reject_problems(inputs: list[InputEntry], guards: PublishSection, performance_file: str = "") -> list[str]:
    """The reject-rate guard, on all rows read and on each file (a period's performance file
    is named as that period's performance data)."""
    limit = guards.max_reject_rate
    rows_read = sum(item["rows"] for item in inputs)
    rejected = sum(item["rejected"] for item in inputs)
    problems = []
    if rows_read and rejected / rows_read > limit:
        problems.append(f"{rejected} of {rows_read} rows were rejected ({rejected / rows_read:.1%}; "
                        f"publish.max_reject_rate is {limit:.1%}). Fix: correct the extracts "
                        "(see the data-quality messages above); to publish anyway, rerun with --force.")
    for item in sorted(inputs, key=lambda i: (i["period"] or "", i["file"])):
        if item["rows"] and item["rejected"] / item["rows"] > limit:
            problems.append(_file_problem(item, limit, performance_file))
    return problems


def _file_problem(item: InputEntry, limit: float, performance_file: str) -> str:
    share = item["rejected"] / item["rows"]
    # the performance file may be a pattern (one file per branch: 业绩_*.csv) or carry its period
    performance = item["period"] and names_period_file(item["file"], performance_file)
    what = f"period {item['period']}'s performance data ({item['file']})" if performance else item["file"]
    return (f"{what}: {item['rejected']} of its {item['rows']} rows were rejected ({share:.1%}; "
            f"publish.max_reject_rate, applied to each file and each period on its own, is {limit:.1%}). "
            f"Fix: correct or re-export {item['file']} (its rejected rows are on the data-quality page "
            "and in the messages above); to publish anyway, rerun with --force.")


class PublishRefused(BuildError):
    """The new site was built but looks broken: the published one stays."""

    exit_code = EXIT_PUBLISH_REFUSED
