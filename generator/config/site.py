"""The sections of site_config.yml as typed models, and the checks across them (ids that
refer to each other, weights, org models), each problem naming its YAML key."""
from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from generator.config.assessment import AssessmentConfig, assessment_warnings
from generator.config.assessment import reference_problems as _assessment_problems
from generator.config.base import IDENTIFIER, PRINTABLE, ROSTER_ATTRIBUTES, Bilingual, Headers, Strict
from generator.config.ids import IdRules
from generator.config.patterns import check_period_pattern
from generator.config.reference import ReferenceSection, reference_problems
from generator.config.spec import ExtractSpec


class BankConfig(Strict):
    name: Bilingual


class SiteSection(Strict):
    language: Literal["zh-CN", "en"] = "zh-CN"
    title: Bilingual
    chart_font: str = Field(
        "Noto Sans CJK SC", description="Font of the charts drawn at build time for print (static SVG); the build "
                                        "fails when it is not installed. Debian: fonts-noto-cjk.")
    font_directories: list[str] = Field(
        default_factory=list, description="Extra folders of font files for the charts, relative to the config file "
                                          "(when the font is not installed system-wide).")
    confidentiality: Bilingual | None = Field(
        None, description="A line printed in the footer of every page and on paper, e.g. 内部资料 注意保密; "
                          "none when left out.")


def _link_path(value: str) -> str:
    """A path relative to the data folder, in / form, that does not climb out of it."""
    parts = value.split("/")
    if value.startswith("/") or "\\" in value or ".." in parts or "" in parts:
        raise ValueError(f"{value!r} is not a path inside the data folder like 2026-10/performance.csv "
                         "(relative, with /, without ..)")
    return value


LinkPath = Annotated[str, AfterValidator(_link_path)]


# --- held results: the roles whose rejected rows may fail the build (data.fail_on_reject) ---
REJECT_ROLES = ("roster", "performance", "targets", "evaluations", "violations")


def _reject_role(value: str) -> str:
    if value not in REJECT_ROLES:
        raise ValueError(f"{value!r} is not a role of the extracts; the roles are {', '.join(REJECT_ROLES)}. "
                         "Fix: list only these (e.g. fail_on_reject: [violations]), or leave the key out to hold "
                         "the managers a rejected row names instead of failing")
    return value


RejectRole = Annotated[str, AfterValidator(_reject_role), Field(json_schema_extra={"enum": list(REJECT_ROLES)})]
# --- end of held results ---


class DataSection(Strict):
    directory: str = Field(description="Folder of the extracts, relative to the config file.")
    encoding: Literal["auto", "utf-8", "utf-8-sig", "gb18030"] = Field(
        "auto", description="auto: strict UTF-8 (with or without BOM) first, then GB18030."
    )
    amount_unit: str = "万元"
    allow_links_outside: list[LinkPath] = Field(
        default_factory=list,
        description="Symbolic links in the data folder that may lead out of it, each by its path relative to the "
                    "data folder (e.g. 2026-10 or 2026-10/performance.csv). Any other link that leads out of the "
                    "data folder is refused; links that stay inside are followed.")
    fail_on_reject: list[RejectRole] = Field(
        default_factory=list,
        description="Roles (roster, performance, targets, evaluations, violations) whose rejected rows fail the "
                    "build (exit 4, nothing published; --check says so too) instead of holding the results of the "
                    "managers they name (结果暂缓). E.g. [violations]: a disqualification must never wait on a fix.")
    # identity-text: how manager and unit IDs are made one spelling in every file (docs/data-contract.md)
    ids: IdRules = Field(default_factory=IdRules, description="How manager and unit IDs are normalized, the same "
                                                                "in every file, before files are matched on them.")


# --- periodic files: where each field is read from (extract-layouts) ---------------------------

def _period_file(value: str) -> str:
    """A file name or glob pattern relative to the period folder, in / form (one leading out of the
    folder is refused by PeriodsSection, naming the folder)."""
    if "\\" in value or "" in value.lstrip("/").split("/"):
        raise ValueError(f"{value!r} is not a file name inside the period folder like performance.csv or "
                         "branches/*.csv (folders separated by one /)")
    return value


PeriodFile = Annotated[str, AfterValidator(_period_file), Field(
    description="The file inside each period folder (.csv, or .xlsx for an Excel workbook; its name may carry the "
                "period, e.g. performance_{year}{month:02d}.csv), or a glob pattern (业绩_*.csv, branches/*.csv) "
                "whose files are read one by one and combined: a manager in two of them is reported naming both. "
                "Two roles may name the same file: it is read once.")]


def _as_text(value: object) -> object:
    """An indicator code written as a YAML number (1001) is the text 1001."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


IndicatorCode = Annotated[str, BeforeValidator(_as_text), Field(min_length=1, pattern=PRINTABLE)]


class ManagerKeyColumns(Strict):
    manager_id: Headers


class PerformanceColumns(Strict):
    manager_id: Headers
    unit_id: Headers | None = None  # required unless reference.managers.unit_from is roster
    indicator: Headers | None = Field(None, description="layout: long only: the column of the indicator code.")
    actual: Headers | None = Field(None, description="layout: long only: the column of the actual value.")


class TargetColumns(Strict):
    manager_id: Headers
    indicator: Headers | None = Field(None, description="layout: long only: the column of the indicator code.")
    target: Headers | None = Field(None, description="layout: long only: the column of the target value.")


class ViolationColumns(Strict):
    manager_id: Headers
    date: Headers | None = None
    type: Headers | None = None
    penalty: Headers | None = None
    disqualify: Headers | None = None
    description: Headers | None = None
    count: Headers | None = Field(None, description="layout: counts only: the number of violations in the period.")
    points: Headers | None = Field(None, description="layout: counts only: the penalty points of the period.")


LONG_COLUMNS = {"performance": ("indicator", "actual"), "targets": ("indicator", "target")}


def _long_columns_problems(columns: BaseModel, layout: str, role: str) -> list[str]:
    needed = LONG_COLUMNS[role]
    given = [name for name in needed if getattr(columns, name) is not None]
    if layout == "long":
        return [f"columns.{name}: required with layout: long (the column of the {name} "
                f"{'code' if name == 'indicator' else 'value'}). Fix: add its header(s)"
                for name in needed if name not in given]
    return [f"columns.{name}: only a long file (one row per manager and indicator) has it. Fix: add "
            "layout: long, or remove the key" for name in given]


class PerformanceFile(ExtractSpec):
    file: PeriodFile
    layout: Literal["wide", "long"] = Field(
        "wide", description="wide: one row per manager, a column per indicator (the indicators' `column`). "
                            "long: one row per manager and indicator: columns.indicator holds the indicator's "
                            "`code`, columns.actual its value.")
    columns: PerformanceColumns

    @model_validator(mode="after")
    def _layout_columns(self) -> PerformanceFile:
        problems = _long_columns_problems(self.columns, self.layout, "performance")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class KeyedFile(ExtractSpec):
    file: PeriodFile
    columns: ManagerKeyColumns


class TargetsFile(ExtractSpec):
    file: PeriodFile
    layout: Literal["wide", "long"] = Field(
        "wide", description="wide: one row per manager, a column per targeted indicator (its `target_column`, "
                            "by default its `column`). long: one row per manager and indicator, by `code`.")
    columns: TargetColumns

    @model_validator(mode="after")
    def _layout_columns(self) -> TargetsFile:
        problems = _long_columns_problems(self.columns, self.layout, "targets")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class Disqualification(Strict):
    """What makes a violation disqualify (取消评选资格); any one of them does."""

    flag: bool = Field(True, description="A 是 in the disqualify column disqualifies (when the column is read).")
    count_at_least: int | None = Field(
        None, ge=1, description="The manager's violations in one period (rows, or the count column) at or above "
                                "this number disqualify.")
    types: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list, description="Violation types (the type column, as written) that disqualify.")


class ViolationsFile(ExtractSpec):
    file: PeriodFile
    layout: Literal["rows", "counts"] = Field(
        "rows", description="rows: one row per violation. counts: one row per manager, with the period's "
                            "violation count and/or penalty points (it may be the performance file).")
    columns: ViolationColumns
    penalty_per_violation: float | None = Field(
        None, ge=0, description="Penalty points of each violation; without it the penalty column (rows) or "
                                "the points column (counts) is the penalty, and no column means 0.")
    disqualify: Disqualification = Field(default_factory=Disqualification)

    @model_validator(mode="after")
    def _layout_fits(self) -> ViolationsFile:
        problems = _violation_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self


ROWS_ONLY = ("date", "type", "penalty", "description")


def _violation_problems(spec: ViolationsFile) -> list[str]:
    columns, problems = spec.columns, []
    if spec.layout == "rows":
        problems += [f"columns.{name}: only a counts file (one row per manager) has it. Fix: add layout: counts, "
                     "or remove the key" for name in ("count", "points") if getattr(columns, name) is not None]
    else:
        problems += [f"columns.{name}: a counts file has one row per manager, not one per violation. Fix: remove "
                     "the key, or use layout: rows" for name in ROWS_ONLY if getattr(columns, name) is not None]
        if columns.count is None and columns.points is None:
            problems.append("columns: a counts file needs a count column, a points column or both. Fix: add "
                            "columns.count (违规次数) and/or columns.points (违规扣分)")
    penalty_column = "penalty" if spec.layout == "rows" else "points"
    if spec.penalty_per_violation is not None and getattr(columns, penalty_column) is not None:
        problems.append(f"penalty_per_violation: the penalty would come from both this and columns.{penalty_column}. "
                        f"Fix: keep one of them")
    if spec.penalty_per_violation is not None and spec.layout == "counts" and columns.count is None:
        problems.append("penalty_per_violation: a counts file needs columns.count to multiply it by. "
                        "Fix: add columns.count")
    if spec.disqualify.types and columns.type is None:
        problems.append("disqualify.types: the types are read from the type column, which is not configured. "
                        "Fix: add columns.type (违规类型), or remove disqualify.types")
    if spec.disqualify.count_at_least is not None and spec.layout == "counts" and columns.count is None:
        problems.append("disqualify.count_at_least: a counts file needs columns.count to compare. "
                        "Fix: add columns.count")
    return problems


class PeriodFiles(Strict):
    performance: PerformanceFile
    targets: TargetsFile | None = None
    evaluations: KeyedFile | None = None
    violations: ViolationsFile | None = None


# --- end of the periodic files block -------------------------------------------------------------


class PeriodsSection(Strict):
    frequency: Literal["monthly", "quarterly"]
    directory: str = Field(
        description="Folder of one period relative to data.directory, e.g. periods/{year}-{month:02d}."
    )
    files: PeriodFiles
    closed_through: str | None = Field(
        None, description="The last closed period (e.g. 2026-09): it and every period before it are published "
                          "once and never rewritten; a later change of their input is published as a revision "
                          "beside the original (python build.py --rewrite-closed overrides).")

    @model_validator(mode="after")
    def _directory_names_the_period(self) -> PeriodsSection:
        check_period_pattern(self.directory, self.frequency, exactly=True)
        return self

    @model_validator(mode="after")
    def _file_names_fit_the_period(self) -> PeriodsSection:
        """A period file's name may carry its period ({year}{month:02d}); it stays inside the period's
        folder, whose contents are what a cached period is checked against."""
        problems = []
        for role, spec in _file_specs(self.files.model_dump()):
            try:
                check_period_pattern(spec, self.frequency, exactly=False)
            except ValueError as exc:
                problems.append(f"files.{role}.file: {exc}")
                continue
            parts = spec.replace("\\", "/").split("/")
            if spec.startswith("/") or ".." in parts:
                problems.append(f"files.{role}.file: {spec!r} leads out of the period's folder. Fix: a file inside "
                                "the folder that periods.directory names, e.g. performance.csv")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @field_validator("closed_through")
    @classmethod
    def _closed_through_is_a_period(cls, text: str | None, info: ValidationInfo) -> str | None:
        """Closed periods are found by comparing period ids as text, so only the exact form of an
        id may be written: 2026-9 would sort after 2026-10 and close it."""
        frequency = info.data.get("frequency")
        if text is not None and frequency is not None and not _is_period_id(text, frequency):
            example = "2026-09" if frequency == "monthly" else "2026-Q3"
            raise ValueError(f"{text!r} is not a {frequency} period id. Fix: write the last closed period "
                             f"like {example!r} (in quotes), or remove the key")
        return text


def _file_specs(files: object, path: str = "") -> list[tuple[str, str]]:
    """(where, file) of every `file` key in the period files' config, however it nests."""
    if isinstance(files, dict):
        found = [(path.rstrip("."), files["file"])] if isinstance(files.get("file"), str) else []
        return found + [item for key, value in files.items() for item in _file_specs(value, f"{path}{key}.")]
    if isinstance(files, list):
        return [item for index, value in enumerate(files) for item in _file_specs(value, f"{path}{index}.")]
    return []


def _is_period_id(text: str, frequency: str) -> bool:
    pattern = r"[0-9]{4}-(0[1-9]|1[0-2])" if frequency == "monthly" else r"[0-9]{4}-Q[1-4]"
    return re.fullmatch(pattern, text, flags=re.ASCII) is not None and not text.startswith("0000")


class Indicator(Strict):
    id: str = Field(pattern=IDENTIFIER)
    label: Bilingual
    column: Headers
    unit: str
    category: str
    kind: Literal["balance", "flow", "count", "ratio"]
    better: Literal["higher", "lower"]
    target: bool = True
    target_column: Headers | None = Field(
        None, description="Headers of the target in the targets file (default: the same as `column`). Needed when "
                          "the targets are columns of the performance file, e.g. [存款目标, deposit_target].")
    code: IndicatorCode | None = Field(
        None, description="The indicator's code in a long file (layout: long), e.g. CK001; quote codes with "
                          "leading zeros.")
    weight_by: str | None = Field(
        None, description="Ratios only: aggregate over managers weighted by this indicator "
                          "(a unit's NPL ratio is weighted by loan balance); default a plain mean.")

    @field_validator("weight_by")
    @classmethod
    def _weight_by_suits(cls, weight_by: str | None, info: ValidationInfo) -> str | None:
        kind, own_id = info.data.get("kind"), info.data.get("id")
        if weight_by is not None and kind not in (None, "ratio"):
            raise ValueError(f"only ratios are weighted; {own_id!r} is a {kind}, which adds up over managers. "
                             "Fix: remove weight_by")
        if weight_by is not None and weight_by == own_id:
            raise ValueError(f"{own_id!r} cannot be weighted by itself. Fix: name another indicator, e.g. the "
                             "loan balance for an NPL ratio")
        return weight_by


class Qualitative(Strict):
    id: str = Field(pattern=IDENTIFIER)
    label: Bilingual
    column: Headers
    max: float = Field(gt=0)


class RegionModel(Strict):
    """The unit tree itself: head office → branches → sub-branches → outlets, any depth."""

    type: Literal["unit_tree"]
    id: str = Field(pattern=IDENTIFIER)
    label: Bilingual


class AttributeModel(Strict):
    """Managers grouped by a roster attribute: customer segment, product line, ..."""

    type: Literal["attribute"]
    id: str = Field(pattern=IDENTIFIER)
    label: Bilingual
    attribute: ROSTER_ATTRIBUTES
    order: list[str] = Field([], description="Display order of the values; others follow alphabetically.")


class VolumeTier(Strict):
    label: Bilingual
    min: float = Field(description="Lowest book size (in the indicators' unit) of the tier.")


class VolumeModel(Strict):
    """Managers grouped by the size of their book in the period (big-customer vs general)."""

    type: Literal["volume_tiers"]
    id: str = Field(pattern=IDENTIFIER)
    label: Bilingual
    indicators: list[str] = Field(min_length=1, description="Indicators whose sum is the book size.")
    tiers: list[VolumeTier] = Field(min_length=1)

    @model_validator(mode="after")
    def _tiers_descend(self) -> VolumeModel:
        bounds = [tier.min for tier in self.tiers]
        if bounds != sorted(bounds, reverse=True) or len(set(bounds)) != len(bounds):
            raise ValueError("tiers must be listed from the highest min to the lowest, each min distinct")
        return self


class CompositeModel(Strict):
    """A matrix: the unit tree down to `depth`, each unit there split by another model's groups."""

    type: Literal["composite"]
    id: str = Field(pattern=IDENTIFIER)
    label: Bilingual
    region: str = Field(description="id of the unit_tree model")
    split_by: str = Field(description="id of an attribute or volume_tiers model")
    depth: int = Field(1, ge=0, description="Tree depth at which units are split (0 = the root).")


OrgModel = Annotated[RegionModel | AttributeModel | VolumeModel | CompositeModel, Field(discriminator="type")]


class PublishSection(Strict):
    """Guards of the nightly publish: a build that looks broken does not replace a good site."""

    max_page_drop: float = Field(
        0.2, ge=0, le=1, description="Refuse to publish when the page count falls by more than this share "
                                     "of the published site's (0.2 = 20%); --force publishes anyway.")
    max_reject_rate: float = Field(
        0.05, ge=0, le=1, description="Refuse to publish (exit 4) when more than this share of the rows is "
                                     "rejected: of all rows read, of any one file, or of any one period's "
                                     "performance data; a file whose first 1,000 rows already pass it is not read "
                                     "further. --check gives the same verdict; --force publishes anyway.")


class PrivacySection(Strict):
    mask_names: bool = Field(
        False, description="Publish managers' names masked (张伟 → 张*) on every page, download and quarantine file.")


class SiteConfig(Strict):
    version: Literal[1]
    bank: BankConfig
    site: SiteSection
    data: DataSection
    publish: PublishSection = Field(default_factory=PublishSection)
    privacy: PrivacySection = Field(default_factory=PrivacySection)
    reference: ReferenceSection
    periods: PeriodsSection
    categories: dict[Annotated[str, Field(pattern=IDENTIFIER)], Bilingual]
    indicators: list[Indicator] = Field(min_length=1)
    qualitative: list[Qualitative] = []  # noqa: RUF012 - a pydantic field: copied per instance, the schema's default
    org_models: list[OrgModel] = Field(default_factory=list, description="The organization models the bank uses.")
    assessment: AssessmentConfig | None = Field(
        None, description="Scores, grades, rankings, roll-ups and awards (docs/assessment.md); "
                          "required to assess.")

    @model_validator(mode="after")
    def _cross_references(self) -> SiteConfig:
        # exclude_unset: the checks read the config as written, like the raw YAML the loader
        # reports them from (an omitted cap is the method's default, `cap: null` is no cap)
        problems = _cross_reference_problems(self.model_dump(exclude_unset=True))
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def indicator(self, indicator_id: str) -> Indicator:
        return next(i for i in self.indicators if i.id == indicator_id)

    @property
    def key_indicator(self) -> Indicator | None:
        """The KPI the home page and the org charts show: the first indicator with a target."""
        return key_indicator(self.indicators)

    @property
    def targeted_indicators(self) -> list[Indicator]:
        return [i for i in self.indicators if i.target]





def _duplicate_ids(raw: dict) -> list[str]:
    seen: dict[str, str] = {}
    problems = []
    for key in ("indicators", "qualitative"):
        for index, item in enumerate(_list_of_mappings(raw.get(key))):
            where = f"{key}[{index}].id"
            item_id = item.get("id")
            if item_id in seen:
                problems.append(f"{where}: id {item_id!r} is already used at {seen[item_id]}")
            elif item_id is not None:
                seen[item_id] = where
    return problems


def _unknown_categories(raw: dict) -> list[str]:
    categories = raw.get("categories")
    known = sorted(categories) if isinstance(categories, dict) else []
    return [
        f"indicators[{index}].category: {item['category']!r} is not one of the categories ({', '.join(known)})"
        for index, item in enumerate(_list_of_mappings(raw.get("indicators")))
        if "category" in item and item["category"] not in known
    ]


def _list_of_mappings(value: object) -> list[dict]:
    return [item if isinstance(item, dict) else {} for item in value] if isinstance(value, list) else []


def _cross_reference_problems(raw: dict) -> list[str]:
    return (_duplicate_ids(raw) + _unknown_categories(raw) + _weight_problems(raw) + _org_model_problems(raw)
            + _assessment_problems(raw) + reference_problems(raw) + _layout_problems(raw))


# --- periodic files across sections (extract-layouts) ---------------------------------------------

def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _headers_of(value: object) -> list[str]:
    return [value] if isinstance(value, str) else [h for h in value if isinstance(h, str)] if isinstance(
        value, list) else []


def _layout_problems(raw: dict) -> list[str]:
    """What one section cannot see: codes for long files, and headers two fields of one file share."""
    files = _mapping(_mapping(raw.get("periods")).get("files"))
    indicators = _list_of_mappings(raw.get("indicators"))
    return (_shape_problems(files) + _sheet_problems(files) + _code_problems(files, indicators)
            + _shared_header_problems(raw, files, indicators))


def _sheet_problems(files: dict) -> list[str]:
    """Roles sharing a workbook read it once, so from one sheet under one header row."""
    first: dict[str, tuple[str, tuple]] = {}
    problems = []
    for role in ("performance", "targets", "evaluations", "violations"):
        spec = _mapping(files.get(role))
        name, where = spec.get("file"), (spec.get("sheet"), spec.get("header_row"))
        if not isinstance(name, str):
            continue
        if name in first and first[name][1] != where:
            problems.append(f"periods.files.{role}.sheet: {name} is also the file of periods.files.{first[name][0]}, "
                            "which reads it from another sheet or header row; a file several roles share is read "
                            "once, from one sheet. Fix: give both the same sheet and header_row (or copy that "
                            "sheet into a workbook of its own)")
        first.setdefault(name, (role, where))
    return problems


def _shape(role: str, spec: dict) -> str:
    """What one row of a role's file is: per manager (wide), per manager and indicator (long), per violation."""
    if role == "violations":
        return "wide" if spec.get("layout") == "counts" else "one row per violation"
    return "long" if spec.get("layout") == "long" else "wide"


def _shape_problems(files: dict) -> list[str]:
    """Roles sharing a file must agree on what one of its rows is."""
    first: dict[str, tuple[str, str]] = {}
    problems = []
    for role in ("performance", "targets", "evaluations", "violations"):
        spec = _mapping(files.get(role))
        name, shape = spec.get("file"), _shape(role, spec)
        if not isinstance(name, str):
            continue
        if name in first and first[name][1] != shape:
            other, other_shape = first[name]
            problems.append(f"periods.files.{role}.file: {name} is also the file of periods.files.{other}, read "
                            f"as {other_shape}, but {role} reads it as {shape}; one file has one row layout. "
                            "Fix: give both the same layout, or name the file each is really in")
        first.setdefault(name, (role, shape))
    return problems


def _code_problems(files: dict, indicators: list[dict]) -> list[str]:
    problems = []
    for role in ("performance", "targets"):
        spec = _mapping(files.get(role))
        if spec.get("layout") != "long":
            continue
        for index, item in enumerate(indicators):
            if item.get("code") is None and (role == "performance" or item.get("target", True)):
                problems.append(f"indicators[{index}].code: periods.files.{role} is a long file, so each "
                                f"indicator{' with a target' if role == 'targets' else ''} is found in it by its "
                                f"code. Fix: add code: its code in {spec.get('file')} (in quotes when it starts "
                                "with 0)")
    seen: dict[str, int] = {}
    for index, item in enumerate(indicators):
        code = _as_text(item.get("code"))
        if isinstance(code, str) and code in seen:
            problems.append(f"indicators[{index}].code: {code!r} is already the code of indicators[{seen[code]}]. "
                            "Fix: give each indicator its own code")
        elif isinstance(code, str):
            seen[code] = index
    return problems


def _file_fields(raw: dict, files: dict, indicators: list[dict]) -> dict[str, dict[str, list[str]]]:
    """Per file name, the configured keys of the fields read from it and their accepted headers (the
    keys, shared by every role, once)."""
    by_file: dict[str, dict[str, list[str]]] = {}
    for role in ("performance", "targets", "evaluations", "violations"):
        spec = _mapping(files.get(role))
        name = spec.get("file")
        if not isinstance(name, str):
            continue
        fields = by_file.setdefault(name, {})
        for column, headers in _mapping(spec.get("columns")).items():
            shared = column in ("manager_id", "unit_id", "indicator")  # one column of the file for every role
            key = column if shared else f"periods.files.{role}.columns.{column}"
            fields.setdefault(key, []).extend(_headers_of(headers))
        if spec.get("layout") == "long":
            continue
        if role == "performance":
            for index, item in enumerate(indicators):
                fields[f"indicators[{index}].column"] = _headers_of(item.get("column"))
        if role == "targets":
            for index, item in enumerate(indicators):
                if item.get("target", True):
                    key = "target_column" if item.get("target_column") is not None else "column"
                    fields[f"indicators[{index}].{key} (the target)"] = _headers_of(item.get(key))
        if role == "evaluations":
            for index, item in enumerate(_list_of_mappings(raw.get("qualitative"))):
                fields[f"qualitative[{index}].column"] = _headers_of(item.get("column"))
    return by_file


def _shared_header_problems(raw: dict, files: dict, indicators: list[dict]) -> list[str]:
    problems = []
    for name, fields in _file_fields(raw, files, indicators).items():
        owner: dict[str, str] = {}
        for key, headers in fields.items():
            for header in headers:
                if header in owner and owner[header] != key:
                    problems.append(_shared_header_problem(name, header, owner[header], key))
                owner.setdefault(header, key)
    return list(dict.fromkeys(problems))


def _shared_header_problem(name: str, header: str, first: str, second: str) -> str:
    if second.endswith("(the target)") and second.startswith(first.removesuffix(".column")):
        index = first.removeprefix("indicators[").split("]")[0]
        return (f"indicators[{index}].target_column: the targets are read from {name}, the file of the actuals, "
                f"so the target needs a header of its own, not {header!r}. Fix: add target_column with the "
                "target's header in that file (e.g. [存款目标])")
    return (f"{second.removesuffix(' (the target)')}: header {header!r} is also accepted for {first} in "
            f"{name}, which both are read from. Fix: give each field its own header")


def _weight_problems(raw: dict) -> list[str]:
    indicators = _list_of_mappings(raw.get("indicators"))
    ids = {item.get("id") for item in indicators}
    return [f"indicators[{index}].weight_by: {item['weight_by']!r} is not an indicator id"
            for index, item in enumerate(indicators) if item.get("weight_by") and item["weight_by"] not in ids]


def _org_model_problems(raw: dict) -> list[str]:
    models = _list_of_mappings(raw.get("org_models"))
    types = {item.get("id"): item.get("type") for item in models}
    indicator_ids = {item.get("id") for item in _list_of_mappings(raw.get("indicators"))}
    problems, seen = [], set()
    for index, item in enumerate(models):
        where = f"org_models[{index}]"
        if item.get("id") in seen:
            problems.append(f"{where}.id: id {item['id']!r} is used by another org model")
        seen.add(item.get("id"))
        for name in item.get("indicators") or [] if item.get("type") == "volume_tiers" else []:
            if name not in indicator_ids:
                problems.append(f"{where}.indicators: {name!r} is not an indicator id")
        if item.get("type") == "composite":
            if types.get(item.get("region")) != "unit_tree":
                problems.append(f"{where}.region: {item.get('region')!r} is not the id of a unit_tree model")
            if types.get(item.get("split_by")) not in ("attribute", "volume_tiers"):
                problems.append(f"{where}.split_by: {item.get('split_by')!r} is not the id of an attribute "
                                "or volume_tiers model")
    return problems


def config_warnings(settings: SiteConfig) -> list[str]:
    """Values the schema allows that look unmeant, each starting with its key path."""
    if settings.assessment is None:
        return []
    return assessment_warnings(settings.assessment, {i.id: i.better for i in settings.indicators})


def key_indicator(indicators: list[Indicator]) -> Indicator | None:
    """The KPI the home page and the org charts show: the first indicator with a target."""
    return next((i for i in indicators if i.target), None)
