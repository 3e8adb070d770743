"""The settings model (agentls.engine.settings): the editor's JSON, a configuration file and
the command line parse into one Settings; layers merge as ruff's server merges them
(defaults < configuration file < editor settings). Pure, no server: every answer comes
from agentls.engine.project.resolve, the one entry point the server uses too."""

from __future__ import annotations

import dataclasses
import logging

import pytest
from agentls.engine.cli_settings import cli_layer
from agentls.engine.config import ConfigError, ConfigSet, forget_config_lookups
from agentls.engine.editor_settings import parse_layers, parse_settings
from agentls.engine.project import resolve
from agentls.engine.settings import MERGE, VALUES, Settings, merge
from agentls.rules.registry import Severity

AGENT = ".claude/agents/a.md"


def editor(raw) -> Settings:
    settings, problems = parse_settings(raw)
    assert problems == [], problems
    return settings


@pytest.fixture
def project(tmp_path):
    """A folder with one agent file; ``project(toml)`` writes its agentls.toml."""
    (tmp_path / ".claude/agents").mkdir(parents=True)
    (tmp_path / AGENT).write_text("---\nname: a\ndescription: Reviews code.\n---\n")
    forget_config_lookups()

    def configure(toml: str | None = None):
        if toml is not None:
            (tmp_path / "agentls.toml").write_text(toml)
            forget_config_lookups()
        return str(tmp_path / AGENT)

    return configure


# -- the editor's vocabulary --------------------------------------------------------------------------
def test_rules_by_code_or_name_and_extensions():
    s = editor({"agentls": {
        "rules": {"AGT400": "off", "unknown-model": "error", "AGT104": "Hint", "AGT402": True},
        "extendTools": ["MyTool", " Other "], "extendModels": "my-model",
        "extendColors": [], "extendKeys": ["x-owner"]}})
    rules = s.rules_for(None)
    assert rules.disabled == {"AGT400"}
    assert rules.severities == {"AGT300": Severity.ERROR, "AGT104": Severity.HINT}
    assert s.extensions.tools == {"MyTool", "Other"} and s.extensions.models == {"my-model"}
    assert s.extensions.keys == {"x-owner"} and s.extensions.colors == frozenset()


def test_bad_values_are_problems_not_errors():
    for raw in (None, 5, "x", [], {"rules": 5}, {"rules": {"AGT999": "off", 3: "off", "AGT400": "loud",
                                                          "AGT300": 7}},
                {"extendTools": [1, None, "ok"]}, {"extendKeys": {"a": 1}}, {"bogus": True},
                {"configurationPreference": "fileFirst"}):
        s, problems = parse_settings(raw)
        assert problems if raw is not None else problems == [], raw
    s, problems = parse_settings({"rules": {"AGT400": "loud"}, "extendTools": [1, "ok"]})
    assert s.rules_for(None).severities == {} and s.extensions.tools == {"ok"}
    assert any("loud" in p for p in problems) and any("extendTools" in p for p in problems)


def test_the_last_name_for_a_rule_wins_within_one_layer():
    s = editor({"rules": {"AGT400": "off", "unknown-tool": "error"}})
    assert s.rules_for(None).severities == {"AGT400": Severity.ERROR} and not s.rules_for(None).disabled


def test_init_options_under_the_clients_settings():
    """initializationOptions, then workspace/didChangeConfiguration: later wins per rule,
    the extend lists are unioned, a junk layer is a problem and counts for nothing."""
    base = {"rules": {"AGT400": "off", "AGT300": "error"}, "extendTools": ["A"]}
    top = {"agentls": {"rules": {"AGT400": "warning"}, "extendTools": ["B", "A"]}}
    s, problems = parse_layers(base, None, top)
    assert problems == []
    rules = s.rules_for(None)
    assert rules.disabled == set()
    assert rules.severities == {"AGT400": Severity.WARNING, "AGT300": Severity.ERROR}
    assert s.extensions.tools == {"A", "B"}
    s, problems = parse_layers(base, 5)
    assert s.rules_for(None).disabled == {"AGT400"} and any("must be an object" in p for p in problems)


# -- layers: defaults < configuration file < editor settings ------------------------------------------
def test_same_setting_in_the_file_and_the_editor_the_editor_wins(project):
    path = project('ignore = ["AGT400"]\n[severity]\nAGT300 = "info"\n')
    assert "AGT400" in resolve(path).rules.disabled  # the file alone
    both = resolve(path, client=editor({"rules": {"AGT400": "error", "AGT300": "warning"}}))
    assert "AGT400" not in both.rules.disabled
    assert both.rules.severities == {"AGT400": Severity.ERROR, "AGT300": Severity.WARNING}
    # The editor turning a rule off wins over the file selecting it exactly.
    path = project('select = ["AGT400"]\n')
    assert resolve(path, client=editor({"rules": {"AGT400": "off"}})).rules.disabled >= {"AGT400"}


def test_extend_lists_from_both_are_unioned(project):
    path = project('extend-tools = ["FileTool"]\nextend-models = ["file-model"]\n')
    s = resolve(path, client=editor({"extendTools": ["EditorTool"], "extendKeys": ["x-owner"]}))
    assert s.extensions.tools == {"FileTool", "EditorTool"}
    assert s.extensions.models == {"file-model"} and s.extensions.keys == {"x-owner"}


def test_severity_from_the_file_with_an_editor_override(project):
    path = project('[severity]\nAGT4 = "info"\n\n[[overrides]]\nfiles = ["a.md"]\nseverity = { AGT402 = "error" }\n')
    alone = resolve(path).rules.severities
    assert alone["AGT400"] == alone["AGT401"] == Severity.INFO and alone["AGT402"] == Severity.ERROR
    s = resolve(path, client=editor({"rules": {"AGT401": "error", "AGT402": "on"}})).rules.severities
    assert s["AGT400"] == Severity.INFO  # the file's, untouched
    assert s["AGT401"] == Severity.ERROR  # the editor's
    assert "AGT402" not in s  # "on": the rule's own severity, over the file's override


@pytest.mark.parametrize("toml", ['selec = ["AGT4"]\n', 'select = ["AGT4"\nignore = []\n', "ignore = 3\n"],
                         ids=["unknown-key", "invalid-toml", "bad-value"])
def test_a_broken_file_is_logged_and_the_defaults_apply(project, caplog, toml):
    path = project(toml)
    with caplog.at_level(logging.WARNING, logger="agentls"):
        s = resolve(path, client=editor({"extendTools": ["EditorTool"]}))
        again = resolve(path, client=editor({"extendTools": ["EditorTool"]}))
    assert s.rules.disabled == set() and s.rules.severities == {} and not s.excluded
    assert s.extensions.tools == {"EditorTool"}  # the editor's settings still apply
    assert again.stamp == s.stamp
    logged = [r.getMessage() for r in caplog.records if "configuration ignored" in r.getMessage()]
    assert len(logged) == 1 and "agentls.toml:" in logged[0]  # once per version of the file
    with pytest.raises(ConfigError):  # the command line refuses it (exit code 2)
        ConfigSet().for_path(path)


# -- configurationPreference, as in ruff's server --------------------------------------------------------
def test_filesystem_first_lets_the_file_win(project):
    path = project('ignore = ["AGT400"]\nextend-tools = ["FileTool"]\n[severity]\nAGT300 = "info"\n')
    s = resolve(path, client=editor({"configurationPreference": "filesystemFirst",
                                     "rules": {"AGT400": "error", "AGT300": "warning", "AGT104": "hint"},
                                     "extendTools": ["EditorTool"]}))
    assert "AGT400" in s.rules.disabled and s.rules.severities["AGT300"] == Severity.INFO
    assert s.rules.severities["AGT104"] == Severity.HINT  # what the file does not set, the editor does
    assert s.extensions.tools == {"FileTool", "EditorTool"}


def test_editor_only_does_not_read_the_file(project):
    path = project('ignore = ["AGT400"]\nexclude = [".claude"]\nextend-tools = ["FileTool"]\n')
    assert resolve(path).excluded
    s = resolve(path, client=editor({"configurationPreference": "editorOnly", "rules": {"AGT300": "off"}}))
    assert not s.excluded and s.rules.disabled == {"AGT300"} and s.extensions.tools == frozenset()
    project("selec = 1\n")  # not even read, so not even broken
    assert resolve(path, client=editor({"configurationPreference": "editorOnly"})).rules.disabled == set()


# -- one model for every source ------------------------------------------------------------------------
def test_the_command_line_layer_is_the_same_model(project):
    path = project('ignore = ["AGT400"]\n')
    cli = cli_layer(extend_select=["AGT400"], ignore=["AGT300"])
    assert isinstance(cli, Settings)
    s = resolve(path, configs=ConfigSet(cli=cli))
    assert "AGT400" not in s.rules.disabled and "AGT300" in s.rules.disabled
    assert merge(None, cli, None) is cli


def test_every_setting_has_its_merge_and_a_source():
    fields = {f.name for f in dataclasses.fields(Settings) if f.init}
    assert set(MERGE) == fields
    read = {row.attr for row in VALUES} | {"rules", "extensions"}  # those two: see each parser
    assert read == fields
    assert all(row.toml or row.editor for row in VALUES)
