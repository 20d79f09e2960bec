"""site_config.yml: typed, every error named by its key and reported together; schema kept current."""
from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from generator.config.loading import json_schema, load_config
from generator.errors import ConfigError
from tests.conftest import ROOT, TINY

BROKEN = """
version: 1
bank: {name: {zh: 测试}}
site: {language: fr, title: {zh: a, en: b}}
data: {directory: ., encodng: auto}
reference:
  units: {file: u.csv, columns: {unit_id: a, name: b, parent_id: c}}
  managers: {file: m.csv, columns: {manager_id: a, name: b}}
periods:
  frequency: monthly
  directory: "p/{year}"
  files: {performance: {file: p.csv, columns: {manager_id: a, unit_id: b}}}
categories: {x: {zh: a, en: b}}
indicators:
  - {id: a, label: {zh: a, en: a}, column: a, unit: x, category: y, kind: balance, better: up}
  - {id: a, label: {zh: a, en: a}, column: [], unit: x, category: x, kind: balance, better: higher}
"""


def config_errors(tmp_path, text: str) -> list[str]:
    path = tmp_path / "site_config.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return caught.value.messages


def test_bundled_and_fixture_configs_are_valid():
    for path in (ROOT / "site_config.yml", TINY / "site_config.yml"):
        settings = load_config(path).settings
        assert settings.indicators and settings.periods.frequency == "monthly"


def test_every_error_names_its_key_and_all_come_together(tmp_path):
    messages = config_errors(tmp_path, BROKEN)
    expected = [
        "bank.name.en: required key is missing",
        "site.language: Input should be 'zh-CN' or 'en' (got 'fr')",
        "data.encodng: unknown key; did you mean 'encoding'?",
        "periods: directory 'p/{year}' must use exactly the fields {month}, {year}",
        "indicators[0].better: Input should be 'higher' or 'lower' (got 'up')",
        "indicators[1].column:",
        "indicators[1].id: id 'a' is already used at indicators[0].id",
        "indicators[0].category: 'y' is not one of the categories (x)",
    ]
    text = "\n".join(messages)
    for fragment in expected:
        assert fragment in text, f"{fragment!r} missing from:\n{text}"
    assert all(message.startswith("site_config.yml: ") for message in messages)


def test_yaml_syntax_error_names_line(tmp_path):
    messages = config_errors(tmp_path, "version: 1\nbank: [unclosed\n")
    assert "line 3" in messages[0] or "line 2" in messages[0]
    assert "YAML syntax error" in messages[0]


def test_missing_config_file_is_reported(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "nope.yml")
    assert "config file not found" in caught.value.messages[0]


def test_quarterly_periods_need_a_quarter_field(tmp_path):
    text = (TINY / "site_config.yml").read_text(encoding="utf-8").replace("frequency: monthly", "frequency: quarterly")
    messages = config_errors(tmp_path, text)
    assert any("periods: directory" in m and "{quarter}" in m for m in messages)


def test_committed_schema_is_current():
    committed = (ROOT / "site_config.schema.json").read_text(encoding="utf-8")
    assert committed == json_schema(), "regenerate: python -m generator.config > site_config.schema.json"


def test_schema_accepts_the_bundled_config_and_rejects_a_typo():
    schema = json.loads(json_schema())
    config = yaml.safe_load((ROOT / "site_config.yml").read_text(encoding="utf-8"))
    jsonschema.validate(config, schema)
    config["data"]["encodng"] = "auto"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(config, schema)
