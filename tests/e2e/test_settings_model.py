"""The settings model (agentls.engine.settings): parsing, problems, layering. Pure, no server."""

from __future__ import annotations

from agentls.engine.settings import merge, parse_settings
from agentls.rules.registry import Severity


def test_rules_by_code_or_name_and_extensions():
    s, problems = parse_settings({"agentls": {
        "rules": {"AGT400": "off", "unknown-model": "error", "AGT104": "Hint", "AGT402": True},
        "extendTools": ["MyTool", " Other "], "extendModels": "my-model",
        "extendColors": [], "extendKeys": ["x-owner"]}})
    assert problems == []
    assert s.rules.disabled == {"AGT400"}
    assert s.rules.severities == {"AGT300": Severity.ERROR, "AGT104": Severity.HINT}
    assert s.extensions.tools == {"MyTool", "Other"} and s.extensions.models == {"my-model"}
    assert s.extensions.keys == {"x-owner"} and s.extensions.colors == frozenset()


def test_bad_values_are_problems_not_errors():
    for raw in (None, 5, "x", [], {"rules": 5}, {"rules": {"AGT999": "off", 3: "off", "AGT400": "loud",
                                                          "AGT300": 7}},
                {"extendTools": [1, None, "ok"]}, {"extendKeys": {"a": 1}}, {"bogus": True}):
        s, problems = parse_settings(raw)
        assert problems if raw is not None else problems == [], raw
    s, problems = parse_settings({"rules": {"AGT400": "loud"}, "extendTools": [1, "ok"]})
    assert s.rules.severities == {} and s.extensions.tools == {"ok"}
    assert any("loud" in p for p in problems) and any("extendTools" in p for p in problems)


def test_merge_layers_later_wins():
    base = {"rules": {"AGT400": "off", "AGT300": "error"}, "extendTools": ["A"]}
    top = {"agentls": {"rules": {"AGT400": "warning"}, "extendTools": ["B", "A"]}}
    merged = merge(base, None, "junk", top)
    assert merged == {"rules": {"AGT400": "warning", "AGT300": "error"}, "extendTools": ["A", "B"]}
    s, _ = parse_settings(merged)
    assert s.rules.disabled == set()
    assert s.rules.severities == {"AGT400": Severity.WARNING, "AGT300": Severity.ERROR}
