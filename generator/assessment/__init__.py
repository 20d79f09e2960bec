"""Stage: the assessment, pure: scores, grades, rankings, roll-ups, awards and their
explanations, from a Dataset and the config alone. Nothing here reads or writes a file.

    from generator.assessment import assess, explain
    assessment = assess(dataset)
    assessment["2026-10"].table          # one row per manager
    explain(assessment, "000101", "2026-09", "2026-10")

The rules are described in docs/assessment.md.

May import: extract (the dataset and periods), config, errors, i18n. Never the cache.
"""
from __future__ import annotations

from generator.assessment.engine import Assessment, PeriodAssessment, assess
from generator.assessment.explanation import Explanation, explain

__all__ = ["Assessment", "Explanation", "PeriodAssessment", "assess", "explain"]
