"""Cell parsers for extract columns, vectorized over a column of raw strings.

Each parser returns the parsed values and, for every cell it could not accept, the
rule it broke. Empty cells are reported separately (`missing`), because whether a
blank is acceptable depends on the column, not on the parser.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

# Larger than any plausible amount in 万元 (a trillion yuan is 1e8 万元); beyond it a
# value is a unit or export mistake, not a figure.
HUGE = 1e12
# ASCII digits only: \d would also accept Arabic-Indic or Devanagari digits, which no
# bank export uses and which the conversion below cannot read.
PLAIN_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
GROUPED_NUMBER = r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?"
TRUE_WORDS = {"是", "y", "yes", "true", "1", "t"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "f", ""}


@dataclass
class Parsed:
    values: pd.Series
    rules: pd.Series  # rule name per rejected cell, indexed like the input
    missing: pd.Series  # boolean: the cell was empty


CONTROL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"


def normalize_text(column: pd.Series) -> pd.Series:
    """Trim, drop control characters (export debris that no page, CSV or XLSX can hold) and
    fold full-width digits, letters and punctuation (common in Chinese exports)."""
    stripped = column.fillna("").astype(str).str.replace(CONTROL_CHARACTERS, "", regex=True).str.strip()
    wide = ~stripped.map(str.isascii)
    if wide.any():
        stripped = stripped.where(~wide, stripped[wide].map(lambda s: unicodedata.normalize("NFKC", s).strip()))
    return stripped


def parse_numbers(column: pd.Series, *, percent_allowed: bool) -> Parsed:
    text = normalize_text(column)
    missing = text.eq("")
    rules = pd.Series("", index=text.index, dtype=object)
    has_percent = text.str.endswith("%")
    if percent_allowed:
        text = text.where(~has_percent, text.str[:-1].str.strip())
    else:
        rules[has_percent] = "percent_not_allowed"
    grouped = text.str.fullmatch(GROUPED_NUMBER)
    text = text.where(~grouped, text.str.replace(",", "", regex=False))
    well_formed = text.str.fullmatch(PLAIN_NUMBER)
    rules[~missing & ~well_formed & rules.eq("")] = "not_a_number"
    # float() rather than pd.to_numeric: it reads any length of digits (to_numeric turns
    # a 5,000-digit cell into NaN without a word) and overflows to inf, caught below.
    readable = well_formed & rules.eq("") & ~missing
    numbers = pd.Series(np.nan, index=text.index, dtype=float)
    numbers[readable] = text[readable].map(float)
    rules[numbers.abs().gt(HUGE) | np.isinf(numbers)] = "out_of_range"
    rules[~missing & rules.eq("") & numbers.isna()] = "not_a_number"  # never lose a cell silently
    numbers[rules.ne("")] = np.nan
    return Parsed(numbers, rules[rules.ne("")], missing)


def parse_dates(column: pd.Series) -> Parsed:
    text = normalize_text(column)
    missing = text.eq("")
    unified = (
        text.str.replace(r"[年月/.]", "-", regex=True)
        .str.replace("日", "", regex=False)
        .str.replace(r"^(\d{4})(\d{2})(\d{2})$", r"\1-\2-\3", regex=True)
        .str.replace(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$", r"\1-\2-\3", regex=True)
    )
    dates = pd.to_datetime(unified.where(~missing), format="%Y-%m-%d", errors="coerce")
    bad = ~missing & dates.isna()
    return Parsed(dates, pd.Series("not_a_date", index=text.index[bad], dtype=object), missing)


def parse_flags(column: pd.Series) -> Parsed:
    text = normalize_text(column).str.lower()
    flags = text.isin(TRUE_WORDS)
    bad = ~flags & ~text.isin(FALSE_WORDS)
    return Parsed(flags, pd.Series("not_yes_or_no", index=text.index[bad], dtype=object), text.eq(""))
