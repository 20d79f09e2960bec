"""Where one extract is: the file spec every reference and periodic file shares (a CSV, or an
Excel workbook with its sheet and header row)."""
from __future__ import annotations

from pydantic import Field, model_validator

from generator.config.base import Strict


class ExtractSpec(Strict):
    """Where one extract is: its file (a .csv, or an .xlsx workbook) and, for a workbook, which
    sheet and which row holds the header."""

    file: str = Field(description="The file, relative to its folder: .csv, or .xlsx for an Excel workbook. A period "
                                  "file may carry the period in its name, e.g. performance_{year}{month:02d}.csv.")
    sheet: str | None = Field(None, min_length=1, description="Excel only: the sheet to read (default the first).")
    header_row: int | None = Field(
        None, ge=1, description="Excel only: the row number of the header (rows above it are titles); by default "
                                "the first row that holds one of the configured headers.")

    @model_validator(mode="after")
    def _sheet_options_need_a_workbook(self) -> ExtractSpec:
        given = [key for key in ("sheet", "header_row") if getattr(self, key) is not None]
        if given and not self.file.lower().endswith(".xlsx"):
            raise ValueError(f"{' and '.join(given)} apply to an Excel workbook only, and {self.file!r} is not "
                             "an .xlsx file. Fix: remove them, or name the .xlsx file")
        return self
