"""The data contract: the site config the sample ships with (config_template.yml) and the
file names and headers the sample's files must carry, read from that config."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

# ---------------------------------------------------------------------------------
# The site configuration the sample ships with (config_template.yml, next to this
# module). Only `data.directory` is substituted, so the text (comments included)
# stays the project's documented example.
# ---------------------------------------------------------------------------------
CONFIG_TEMPLATE_PATH = Path(__file__).parent / "config_template.yml"
CONFIG_TEMPLATE = CONFIG_TEMPLATE_PATH.read_bytes().decode("utf-8")

_DATA_DIRECTORY_LINE = "  directory: data            # relative to this file\n"
_DATA_DIRECTORY_COMMENT_COLUMN = 30  # where "# relative to this file" starts

# ---------------------------------------------------------------------------------
# Headers the config does not name: private roster columns (the site must never
# publish them; they are here to prove it) and the manager name in the performance
# export, which real extracts carry for the people who read them in Excel.
# ---------------------------------------------------------------------------------
PRIVATE_MANAGER_HEADERS = ("性别", "身份证号", "手机号")
PERFORMANCE_NAME_HEADER = "客户经理姓名"


# =================================================================================
# The data contract, read from the config template
# =================================================================================
@dataclass(frozen=True)
class Indicator:
    id: str
    header: str
    kind: str      # balance | flow | count | ratio
    target: bool


@dataclass(frozen=True)
class Contract:
    units_file: str
    units_header: tuple[str, ...]
    managers_file: str
    managers_header: tuple[str, ...]
    period_directory: str            # e.g. "periods/{year}-{month:02d}"
    performance_file: str
    performance_header: tuple[str, ...]
    performance_unit_header: str
    targets_file: str
    targets_header: tuple[str, ...]
    evaluations_file: str
    evaluations_header: tuple[str, ...]
    violations_file: str
    violations_header: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    qualitative_ids: tuple[str, ...]
    bank_name: str


def load_contract(config_text: str = CONFIG_TEMPLATE) -> Contract:
    """File names and headers the sample must use, taken from the config itself so the
    two cannot drift apart (the first accepted header of each column is the Chinese one)."""
    config = yaml.safe_load(config_text)

    def headers(columns: dict) -> tuple[str, ...]:
        return tuple(names[0] for names in columns.values())

    units = config["reference"]["units"]
    managers = config["reference"]["managers"]
    files = config["periods"]["files"]
    indicators = tuple(
        Indicator(item["id"], item["column"][0], item["kind"], bool(item.get("target")))
        for item in config["indicators"]
    )
    manager_headers = list(headers(managers["columns"]))
    after_name = manager_headers.index(managers["columns"]["name"][0]) + 1
    manager_headers[after_name:after_name] = PRIVATE_MANAGER_HEADERS
    performance_key = headers(files["performance"]["columns"])
    return Contract(
        units_file=units["file"],
        units_header=headers(units["columns"]),
        managers_file=managers["file"],
        managers_header=tuple(manager_headers),
        period_directory=config["periods"]["directory"],
        performance_file=files["performance"]["file"],
        performance_header=(performance_key[0], PERFORMANCE_NAME_HEADER, *performance_key[1:],
                            *(indicator.header for indicator in indicators)),
        performance_unit_header=files["performance"]["columns"]["unit_id"][0],
        targets_file=files["targets"]["file"],
        targets_header=(*headers(files["targets"]["columns"]),
                        *(indicator.header for indicator in indicators if indicator.target)),
        evaluations_file=files["evaluations"]["file"],
        evaluations_header=(*headers(files["evaluations"]["columns"]),
                            *(item["column"][0] for item in config["qualitative"])),
        violations_file=files["violations"]["file"],
        violations_header=headers(files["violations"]["columns"]),
        indicators=indicators,
        qualitative_ids=tuple(item["id"] for item in config["qualitative"]),
        bank_name=config["bank"]["name"]["zh"],
    )


def render_config(data_directory: str) -> str:
    """The config template with `data.directory` set, comment column kept."""
    value = _yaml_plain_or_quoted(data_directory)
    prefix = f"  directory: {value}"
    padding = max(1, _DATA_DIRECTORY_COMMENT_COLUMN - 1 - len(prefix))
    line = f"{prefix}{' ' * padding}# relative to this file\n"
    if CONFIG_TEMPLATE.count(_DATA_DIRECTORY_LINE) != 1:
        raise AssertionError("config template lost its data.directory line")
    return CONFIG_TEMPLATE.replace(_DATA_DIRECTORY_LINE, line)


def _yaml_plain_or_quoted(text: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9_./-]+", text) and yaml.safe_load(text) == text:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
