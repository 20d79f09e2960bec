"""How manager and unit IDs are written the same in every file (data.ids): a bank whose roster
says A00123 and whose performance extract says a00123, or whose spreadsheet dropped the
leading zeros of 000123, states here what makes two spellings one ID."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from generator.config.base import Strict


class IdRules(Strict):
    """The defaults keep every ID as written, apart from spaces at either end."""

    trim: bool = Field(True, description="Remove spaces and tabs at either end of an ID.")
    case: Literal["keep", "upper", "lower"] = Field(
        "keep", description="keep: a00123 and A00123 are two IDs; upper or lower: letters are made that case, "
                            "so they are one.")
    leading_zeros: Literal["keep", "strip"] = Field(
        "keep", description="keep: 000123 and 123 are two IDs; strip: the zeros before an all-digit ID are "
                            "removed (000123 is published as 123; 0 stays 0).")
    full_width: Literal["reject", "fold"] = Field(
        "reject", description="reject: an ID written with full-width characters (０００１２３, as a Chinese "
                              "input method types them) is rejected, naming the row of the same ID written plainly; "
                              "fold: it is read as 000123 and matched. Other look-alike characters (superscripts, "
                              "circled digits) are always rejected.")
    pad_to: int | None = Field(
        None, ge=1, le=64,
        description="Left-pad all-digit IDs shorter than this with zeros (123 becomes 000123 with 6): for a "
                    "file whose spreadsheet dropped the zeros. Longer IDs are kept as written.")

    @model_validator(mode="after")
    def _zeros_one_way(self) -> IdRules:
        if self.leading_zeros == "strip" and self.pad_to is not None:
            raise ValueError("leading_zeros: strip removes the zeros that pad_to adds. Fix: keep one of them "
                             "(pad_to for IDs of a fixed width such as 000123, strip for IDs without zeros)")
        return self

    def apply_all(self, texts: list[str]) -> list[str]:
        """apply() over a column, a pass per rule in use (the defaults trim only)."""
        if self.trim:
            texts = [text.strip(" \t") for text in texts]
        if self.case != "keep" or self.leading_zeros != "keep" or self.pad_to is not None:
            texts = [self.apply(text) for text in texts]
        return texts

    def apply(self, text: str) -> str:
        """One ID as the rules make it (after the loader's Unicode folding)."""
        if self.trim:
            text = text.strip(" \t")
        if self.case == "upper":
            text = text.upper()
        elif self.case == "lower":
            text = text.lower()
        if text.isdigit() and text.isascii():
            if self.leading_zeros == "strip":
                text = text.lstrip("0") or "0"
            elif self.pad_to is not None:
                text = text.zfill(self.pad_to)
        return text
