"""Cell parsers for extract columns, vectorized over a column of raw strings.

Each parser returns the parsed values and, for every cell it could not accept, the
rule it broke. Empty cells are reported separately (`missing`), because whether a
blank is acceptable depends on the column, not on the parser.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

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
_CONTROL = re.compile(CONTROL_CHARACTERS)
_PLAIN = re.compile(PLAIN_NUMBER)
_GROUPED = re.compile(GROUPED_NUMBER)


def normalize_text(column: pd.Series) -> pd.Series:
    """Trim, drop control characters (export debris that no page, CSV or XLSX can hold) and
    fold full-width digits, letters and punctuation (common in Chinese exports). One pass in
    Python per cell: a chain of pandas string methods made a loop over the column each."""
    return pd.Series([_normal_text(value) for value in column.tolist()], index=column.index, dtype="str")


def _normal_text(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    text = value if isinstance(value, str) else str(value)
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    text = text.strip()
    return text if text.isascii() else unicodedata.normalize("NFKC", text).strip()


def foreign_digits(value: object) -> bool:
    """Whether a cell holds a digit other than 0-9 and full-width ０-９. NFKC would fold a
    superscript ² or a circled ① into 2 or 1 and a reader would see a figure that is not there;
    another script's digits (٣, ३) are no digits a bank export uses. Full-width digits are a
    common and unambiguous convention of Chinese exports, and are read."""
    return isinstance(value, str) and not value.isascii() and any(
        character.isnumeric() and not ("0" <= character <= "9" or "０" <= character <= "９") for character in value)


def parse_numbers(column: pd.Series, *, percent_allowed: bool) -> Parsed:
    text = normalize_text(column)
    cells = text.tolist()
    parsed = [(math.nan, "non_ascii_digits") if foreign_digits(raw) else _number(cell, percent_allowed)
              for raw, cell in zip(column.tolist(), cells)]
    numbers = pd.Series([number for number, _ in parsed], index=text.index, dtype=float)
    broken = [position for position, (_, rule) in enumerate(parsed) if rule]
    rules = pd.Series([parsed[position][1] for position in broken], index=text.index[broken], dtype=object)
    return Parsed(numbers, rules, pd.Series([not cell for cell in cells], index=text.index, dtype=bool))


def _number(text: str, percent_allowed: bool) -> tuple[float, str]:
    """The value of one normalized cell and the rule it broke ("" when none; an empty cell
    breaks none here: whether it may be empty is the column's business)."""
    if not text:
        return math.nan, ""
    if text.endswith("%"):
        if not percent_allowed:
            return math.nan, "percent_not_allowed"
        text = text[:-1].strip()
    if _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    if not _PLAIN.fullmatch(text):
        return math.nan, "not_a_number"
    # float() rather than pd.to_numeric: it reads any length of digits (to_numeric turns
    # a 5,000-digit cell into NaN without a word) and overflows to inf, caught here.
    number = float(text)
    if math.isinf(number) or abs(number) > HUGE:
        return math.nan, "out_of_range"
    return number, ""


def parse_dates(column: pd.Series) -> Parsed:
    text = normalize_text(column)
    missing = text.eq("")
    unified = (
        text.str.replace(r"[年月/.]", "-", regex=True)
        .str.replace("日", "", regex=False)
        .str.replace(r"^(\d{4})(\d{2})(\d{2})$", r"\1-\2-\3", regex=True)
        .str.replace(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$", r"\1-\2-\3", regex=True)
    )
    foreign = pd.Series([foreign_digits(value) for value in column.tolist()], index=text.index, dtype=bool)
    dates = pd.to_datetime(unified.where(~missing & ~foreign), format="%Y-%m-%d", errors="coerce")
    bad = ~missing & dates.isna()
    rules = pd.Series("not_a_date", index=text.index[bad], dtype=object)
    rules[foreign[bad]] = "non_ascii_digits"
    return Parsed(dates, rules, missing)


def parse_flags(column: pd.Series) -> Parsed:
    text = normalize_text(column).str.lower()
    flags = text.isin(TRUE_WORDS)
    bad = ~flags & ~text.isin(FALSE_WORDS)
    return Parsed(flags, pd.Series("not_yes_or_no", index=text.index[bad], dtype=object), text.eq(""))
