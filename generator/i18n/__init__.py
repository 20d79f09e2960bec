"""Every word the generated site shows, one catalogue per language, and the one way to choose.

A site's `language` (site.language in the config: zh-CN or en) is turned into a catalogue
language by `pick`, and every module reads its words from `catalogue(language)`; no module
keeps a table of its own. The catalogues (zh.py, en.py) are flat dicts with the same keys:
the page words the templates read as `t.<key>` have bare keys, every other entry a dotted
one naming what it belongs to ("method.target_completion", "rule.duplicate_row.fix"), so a
family of entries is read with `section`.

Words that come from the bank (indicator labels, grade names …) stay in site_config.yml as
Bilingual texts; Bilingual.text uses `pick` too. Imports nothing of the generator.
"""
from __future__ import annotations

from typing import Literal

from generator.i18n import en, zh

Language = Literal["zh", "en"]
Catalogue = dict[str, str]

LANGUAGES: tuple[Language, ...] = ("zh", "en")
CATALOGUES: dict[Language, Catalogue] = {"zh": zh.CATALOGUE, "en": en.CATALOGUE}


def pick(language: str) -> Language:
    """The catalogue a site language reads: zh-CN (and any other zh variant) Chinese, anything else English."""
    return "zh" if language.startswith("zh") else "en"


def catalogue(language: str) -> Catalogue:
    """The words of the site language. Shared, not copied: read it, never change it."""
    return CATALOGUES[pick(language)]


def section(words: Catalogue, name: str) -> dict[str, str]:
    """The entries `name.<rest>` of a catalogue keyed by <rest>, in catalogue order."""
    prefix = f"{name}."
    return {key[len(prefix):]: text for key, text in words.items() if key.startswith(prefix)}


def in_each_language(key: str, **fields: object) -> dict[Language, str]:
    """The entry `key` in every language, filled with `fields` when given. For records that carry
    both at once, such as an Issue: the CLI log says it in English, the site in its own language.
    A field that is itself worded per language (a dict like the one returned here, e.g. a field
    name from the catalogues) fills each language with its own words."""
    return {language: _filled(CATALOGUES[language][key], language, fields) for language in LANGUAGES}


def _filled(text: str, language: Language, fields: dict[str, object]) -> str:
    if not fields:  # not formatted: an entry that takes no fields is shown verbatim, braces and all
        return text
    return text.format(**{name: value[language] if isinstance(value, dict) else value
                          for name, value in fields.items()})
