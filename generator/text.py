"""Characters a reader cannot see or that rearrange what he sees, and Excel's cell limit:
the one place that says which they are, for the loader (rejecting and warning), the config
(refusing labels), the page writer and the downloads (making them harmless and visible).
Imports nothing of the generator."""
from __future__ import annotations

import re
import unicodedata

# The bidirectional formatting characters: embeddings and overrides (U+202A-202E), isolates
# (U+2066-2069) and the marks (LRM, RLM, ALM). Any of them in a name reorders the text after it
# on the page: "张伟\u202e123" shows as "张伟321" and can turn a figure or a sentence around it.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
BIDI = re.compile(f"[{BIDI_CONTROLS}]")
# UTF-8 lead bytes of those characters: a page without any of them (almost every page) is
# passed after a few substring scans, without a regular expression over its text.
_BIDI_LEADS = (b"\xe2\x80", b"\xe2\x81", b"\xd8\x9c")
_BIDI_BYTES = re.compile(b"\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xd8\x9c")

# Excel holds at most 32,767 characters in a cell (counted in UTF-16 code units, as it counts).
# Longer text is cut in every download with a visible mark, never silently.
EXCEL_CELL_LIMIT = 32_767


def mark(character: str) -> str:
    """A character as a reader can see it in a message or a download: [U+202E]."""
    return f"[U+{ord(character):04X}]"


def is_invisible(character: str) -> bool:
    """Format characters (zero-width space and joiners, BOM, bidi controls: category Cf) and
    spaces other than the ASCII space (NBSP, ideographic space ...: Zs): nothing a reader of an
    ID can see or tell from another."""
    return character != " " and unicodedata.category(character) in ("Cf", "Zs")


def invisible_characters(text: str) -> list[str]:
    """The invisible characters of `text`, each once, in order of appearance."""
    if text.isascii():
        return []
    return list(dict.fromkeys(character for character in text if is_invisible(character)))


def without_invisible(text: str) -> str:
    return text if text.isascii() else "".join(ch for ch in text if not is_invisible(ch))


def shown(text: str) -> str:
    """`text` with every invisible character (bidi controls included) written as [U+XXXX], for
    quoting a value in a message: what the reader sees is what the cell holds."""
    if text.isascii():
        return text
    return "".join(mark(ch) if is_invisible(ch) else ch for ch in text)


def has_bidi(text: str) -> bool:
    return not text.isascii() and BIDI.search(text) is not None


def bidi_shown(text: str) -> str:
    """Bidi controls written as [U+XXXX] (other text unchanged): for downloads and pages."""
    return BIDI.sub(lambda found: mark(found.group()), text) if has_bidi(text) else text


def bidi_shown_bytes(data: bytes) -> bytes:
    """As bidi_shown, on UTF-8 bytes (a written page): fast when there are none."""
    if not any(lead in data for lead in _BIDI_LEADS):
        return data
    return _BIDI_BYTES.sub(lambda found: mark(found.group().decode("utf-8")).encode("ascii"), data)


def excel_length(text: str) -> int:
    """The length Excel counts: UTF-16 code units (a character beyond U+FFFF counts two)."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def cut_for_excel(text: str, cut_mark: str) -> str:
    """`text` as a cell Excel can hold: unchanged when it fits, else its beginning followed by
    `cut_mark` (with {count}: how many characters were cut), EXCEL_CELL_LIMIT units in all."""
    if len(text) <= EXCEL_CELL_LIMIT // 2 or excel_length(text) <= EXCEL_CELL_LIMIT:
        return text
    # room for the mark with the longest count it can show (the whole length): the count written
    # is at most as long, so beginning and mark never exceed the limit
    widest = cut_mark.format(count=f"{len(text):,}")
    kept = _fit(text, EXCEL_CELL_LIMIT - excel_length(widest))
    return kept + cut_mark.format(count=f"{len(text) - len(kept):,}")


def _fit(text: str, units: int) -> str:
    """The longest beginning of `text` of at most `units` UTF-16 units, not splitting a pair."""
    if text.isascii():
        return text[:units]
    encoded = text.encode("utf-16-le")[:2 * units]
    if encoded and 0xD8 <= encoded[-1] <= 0xDB:  # a pair's first half: leave the character out whole
        encoded = encoded[:-2]
    return encoded.decode("utf-16-le")
