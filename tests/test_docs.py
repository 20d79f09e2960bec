"""The documentation names every rule the loader applies."""
from generator.extract.rules import RULES
from tests.conftest import ROOT


def test_every_rule_is_documented_with_its_severity():
    contract = (ROOT / "docs" / "data-contract.md").read_text(encoding="utf-8")
    for rule, spec in RULES.items():
        assert f"| `{rule}` | {spec.severity} |" in contract, rule
