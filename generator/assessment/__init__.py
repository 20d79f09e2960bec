"""The assessment engine: scores, grades, rankings, roll-ups, awards and their explanations.

    from generator.assessment import assess, explain
    assessment = assess(dataset)
    assessment["2026-10"].table          # one row per manager
    explain(assessment, "000101", "2026-09", "2026-10")

The rules are described in docs/assessment.md.
"""
from __future__ import annotations

import importlib

# generator.config imports this package's config module part-way through its own body
# (SiteConfig has an `assessment` field). Loading generator.config first, and the rest
# of the package only on use, keeps that order whichever module a caller imports first.
import generator.config  # noqa: F401

_EXPORTS = {
    "Assessment": "engine", "PeriodAssessment": "engine", "assess": "engine", "iter_assessments": "engine",
    "Explanation": "explanation", "explain": "explanation",
    "write_csv": "export", "write_xlsx": "export",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
