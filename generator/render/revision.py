"""A corrected revision of a closed period: the period rendered from today's inputs into its
revision folder (<period>.r<n>/), beside the original, which stays untouched."""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from generator.audience import AudienceSite
from generator.render.site import render_site


def render_revision(site: AudienceSite, staging: Path, periods: list[str], period: str, number: int,
                    folder: str) -> list[str]:
    """The revision's files, written into `staging`/`folder`. Relative links keep working: the
    revision folder sits at the same depth as the original."""
    revised = replace(site, assessments=site.assessments.rendering({period}))
    with tempfile.TemporaryDirectory(prefix="revision-") as scratch:
        rendered = render_site(revised, Path(scratch), periods, {period},
                               revision={"number": number, "original": f"../{period}/index.html"})
        moved = []
        for relative in rendered.snapshots.get(period, []):
            if relative.startswith(f"{period}/"):
                inside = relative.removeprefix(f"{period}/")
                target = staging / folder / inside
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(Path(scratch) / relative, target)
                moved.append(f"{folder}/{inside}")
    return sorted(moved)
