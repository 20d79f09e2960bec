"""One catalogue per language: both hold the same entries, each filled in from the same fields."""
from __future__ import annotations

import string

from generator.i18n import CATALOGUES, catalogue, in_each_language, pick, section


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_catalogues_have_exactly_the_same_keys():
    zh, en = CATALOGUES["zh"], CATALOGUES["en"]
    assert sorted(set(zh) - set(en)) == [] and sorted(set(en) - set(zh)) == []


def test_each_entry_takes_the_same_fields_in_both_languages():
    zh, en = CATALOGUES["zh"], CATALOGUES["en"]
    assert [key for key in zh if fields(zh[key]) != fields(en[key])] == []


def test_every_zh_variant_reads_chinese_and_any_other_language_english():
    assert [pick(language) for language in ("zh-CN", "zh", "zh-TW", "en", "en-GB")] == ["zh", "zh", "zh", "en", "en"]
    assert catalogue("zh-CN")["home"] == "首页" and catalogue("en")["home"] == "Home"


def test_a_section_is_its_entries_without_the_prefix_in_catalogue_order():
    methods = section(catalogue("en"), "method")
    assert list(methods)[:2] == ["target_completion", "lower_is_better"]
    assert methods["qualitative"] == "qualitative score"


def test_a_field_worded_per_language_fills_each_language_with_its_own_words():
    named = {"zh": "部门评价", "en": "Department evaluation"}
    said = in_each_language("issue.out_of_range.score", what=named, max=100.0)
    assert said == {"zh": "部门评价应在 0 到 100 之间", "en": "Department evaluation must lie between 0 and 100"}
