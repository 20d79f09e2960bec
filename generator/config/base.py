"""The building blocks every section of site_config.yml is made of: strict models, bilingual
texts, identifiers and header lists."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from generator.i18n import pick
from generator.text import BIDI, mark

IDENTIFIER = r"^[a-z][a-z0-9_]*$"
PERIOD_FIELDS = {"monthly": {"year", "month"}, "quarterly": {"year", "quarter"}}


def _as_header_list(value: object) -> object:
    """A column may be given as one header or a list of accepted headers."""
    return [value] if isinstance(value, str) else value


Headers = Annotated[
    list[Annotated[str, Field(min_length=1)]],
    BeforeValidator(_as_header_list),
    Field(min_length=1, description="Accepted CSV headers for this field (any one of them)."),
]


class Strict(BaseModel):
    # allow_inf_nan=False: YAML's .nan, .inf and -.inf (and the strings "nan", "inf") are no number a
    # score, a threshold or a limit can mean; an infinite weight published -9.2e16 points
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


# Control characters (other than tab and line ends) cannot be written to a page or an XLSX cell.
PRINTABLE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+$"


class Bilingual(Strict):
    zh: str = Field(min_length=1, pattern=PRINTABLE)
    en: str = Field(min_length=1, pattern=PRINTABLE)

    @field_validator("zh", "en")
    @classmethod
    def _no_bidi_controls(cls, text: str) -> str:
        """A label is shown on every page: a bidi control in it would reorder the page's own text."""
        found = BIDI.search(text)
        if found:
            raise ValueError(f"{text[:found.start()]}{mark(found.group())}… holds the bidirectional control "
                             f"character {mark(found.group())}, which reorders the text around the label on "
                             "every page. Fix: delete it (an isolate such as U+2068 is not needed: the site "
                             "lays out each label on its own)")
        return text

    def text(self, language: str) -> str:
        return self.zh if pick(language) == "zh" else self.en


ROSTER_ATTRIBUTES = Literal["segment", "product_line", "grade", "education", "title", "status"]
