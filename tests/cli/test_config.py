"""Configuration files: discovery, selection, severities, overrides, exclude, extensions, errors."""

from __future__ import annotations

import json
import os
import time

import pytest
from agentls.engine.config import ConfigError, find_config, load_config, load_config_for
from agentls.engine.globs import glob_regex
from agentls.engine.selectors import resolve_selector
from agentls.rules.registry import Severity
from agentls.rules.ruleset import all_rules
from cli_helpers import CLEAN, NO_DESCRIPTION, UNKNOWN_TOOL, codes, write

AGENTS = ".claude/agents"


def json_check(run, root, *args):
    code, out, err = run(["--format", "json", *args], cwd=root)
    return code, codes(out) if code != 2 else out, err


# -- discovery ----------------------------------------------------------------------------------
def test_pyproject_section_is_found_and_applied(project, run):
    write(project, {f"{AGENTS}/typo.md": UNKNOWN_TOOL.format(name="typo"),
                    "pyproject.toml": '[project]\nname = "x"\n\n[tool.agentls]\nignore = ["AGT400"]\n'})
    code, found, _ = json_check(run, project)
    assert (code, found) == (0, [])
    # Without the ignore the same file has exactly that finding.
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n')
    code, found, _ = json_check(run, project)
    assert found == [(f"{AGENTS}/typo.md", "AGT400", 4)]


def test_pyproject_without_section_is_skipped(tmp_path):
    write(tmp_path, {"agentls.toml": "ignore = []\n", "sub/pyproject.toml": "[project]\nname='x'\n",
                     "sub/deeper/x.md": ""})
    assert find_config(tmp_path / "sub" / "deeper" / "x.md") == tmp_path / "agentls.toml"


def test_closest_configuration_wins(tmp_path):
    write(tmp_path, {"agentls.toml": "", "sub/pyproject.toml": "[tool.agentls]\n", "sub/a/x.md": "",
                     "other/.agentls.toml": "", "other/agentls.toml": "", "other/x.md": ""})
    assert find_config(tmp_path / "sub/a/x.md") == tmp_path / "sub/pyproject.toml"
    assert find_config(tmp_path / "x.md") == tmp_path / "agentls.toml"
    # In one folder, .agentls.toml comes before agentls.toml before pyproject.toml.
    assert find_config(tmp_path / "other/x.md") == tmp_path / "other/.agentls.toml"


def test_each_file_gets_its_closest_configuration(project, run):
    write(project, {f"{AGENTS}/a.md": UNKNOWN_TOOL.format(name="a"),
                    "plugin/agents/b.md": UNKNOWN_TOOL.format(name="b"),
                    "plugin/agentls.toml": 'ignore = ["unknown-tool"]\n'})
    code, found, _ = json_check(run, project)
    assert found == [(f"{AGENTS}/a.md", "AGT400", 4)]


def test_config_option_forces_one_file(project, run, tmp_path):
    write(project, {f"{AGENTS}/a.md": UNKNOWN_TOOL.format(name="a"), "agentls.toml": 'ignore = ["AGT400"]\n'})
    forced = write(tmp_path, {"ci.toml": '[severity]\nAGT400 = "error"\n'}) / "ci.toml"
    code, found, _ = json_check(run, project, "--config", str(forced))
    assert code == 1 and found == [(f"{AGENTS}/a.md", "AGT400", 4)]
    code, _, err = run(["--config", str(tmp_path / "missing.toml")], cwd=project)
    assert code == 2 and "missing.toml" in err


# -- selection ------------------------------------------------------------------------------------
@pytest.mark.parametrize("selector, expected", [
    ("AGT400", {"AGT400"}), ("unknown-tool", {"AGT400"}), ("agt400", {"AGT400"}),
    ("AGT40", {r.code for r in all_rules() if r.code.startswith("AGT40")}),
    ("ALL", {r.code for r in all_rules()}),
])
def test_selectors(selector, expected):
    codes_, _ = resolve_selector(selector)
    assert codes_ == expected


def test_unknown_selector():
    assert resolve_selector("AGT999") is None and resolve_selector("XYZ") is None


def config_settings(tmp_path, text: str, path: str = "x.md"):
    (tmp_path / "agentls.toml").write_text(text)
    settings = load_config_for(tmp_path / path).settings
    return settings.rules_for(tmp_path / path), settings.extensions


def enabled(settings) -> set[str]:
    return {r.code for r in all_rules()} - settings.disabled


def test_select_prefix_and_extend_select(tmp_path):
    rules, _ = config_settings(tmp_path, 'select = ["AGT4"]\nextend-select = ["unknown-model"]\n')
    assert enabled(rules) == {r.code for r in all_rules() if r.code.startswith("AGT4")} | {"AGT300"}


def test_ignore_beats_select_unless_more_specific(tmp_path):
    rules, _ = config_settings(tmp_path, 'select = ["AGT4"]\nignore = ["AGT400"]\n')
    assert "AGT400" not in enabled(rules) and "AGT401" in enabled(rules)
    rules, _ = config_settings(tmp_path, 'ignore = ["AGT4"]\nextend-select = ["AGT401"]\n')
    assert "AGT401" in enabled(rules) and "AGT400" not in enabled(rules) and "AGT300" in enabled(rules)


def test_severity_by_code_name_and_prefix(tmp_path, project, run):
    rules, _ = config_settings(tmp_path, '[severity]\nAGT4 = "info"\nunknown-tool = "error"\n')
    assert rules.severities["AGT400"] == Severity.ERROR  # the more specific selector wins
    assert rules.severities["AGT401"] == Severity.INFO
    write(project, {f"{AGENTS}/a.md": UNKNOWN_TOOL.format(name="a"),
                    "pyproject.toml": '[tool.agentls.severity]\nAGT400 = "error"\n'})
    code, out, _ = run(["--format", "json"], cwd=project)
    assert code == 1 and [d["severity"] for d in json.loads(out)] == ["error"]


def test_overrides_apply_by_glob(project, run):
    write(project, {f"{AGENTS}/a.md": UNKNOWN_TOOL.format(name="a"),
                    f"{AGENTS}/legacy/b.md": UNKNOWN_TOOL.format(name="b"),
                    f"{AGENTS}/c.md": NO_DESCRIPTION.format(name="c"),
                    "agentls.toml": """
[[overrides]]
files = [".claude/agents/legacy/**"]
ignore = ["AGT400"]

[[overrides]]
files = ["c.md"]
severity = { missing-description = "warning" }
"""})
    code, found, _ = json_check(run, project)
    assert found == [(f"{AGENTS}/a.md", "AGT400", 4), (f"{AGENTS}/c.md", "AGT210", 1)]
    assert code == 0  # the only error was lowered to a warning


def test_exclude(project, run):
    write(project, {f"{AGENTS}/a.md": NO_DESCRIPTION.format(name="a"),
                    f"{AGENTS}/drafts/b.md": NO_DESCRIPTION.format(name="b"),
                    f"{AGENTS}/c.draft.md": NO_DESCRIPTION.format(name="c"),
                    "agentls.toml": 'exclude = ["drafts", "*.draft.md"]\n'})
    code, found, _ = json_check(run, project)
    assert found == [(f"{AGENTS}/a.md", "AGT210", 1)]
    # Excluded files stay excluded when named explicitly (pre-commit passes file names).
    code, found, _ = json_check(run, project, f"{AGENTS}/drafts/b.md")
    assert (code, found) == (0, [])


@pytest.mark.parametrize("pattern, path, matches", [
    ("drafts", "drafts/a.md", True), ("drafts", "x/drafts/a.md", True), ("drafts/", "x/drafts/a.md", True),
    ("a/b/*.md", "a/b/c.md", True), ("a/b/*.md", "x/a/b/c.md", False), ("a/b/*.md", "a/b/c/d.md", False),
    ("**/legacy/*.md", "legacy/x.md", True), ("**/legacy/*.md", "p/q/legacy/x.md", True),
    ("plugins/**", "plugins/a/agents/x.md", True), ("*.md", "deep/x.md", True), ("x?.md", "xy.md", True),
    ("[ab].md", "b.md", True), ("[!ab].md", "b.md", False),
])
def test_globs(pattern, path, matches):
    assert bool(glob_regex(pattern).match(path)) is matches


def test_extend_facts_silence_unknown_names(project, run):
    text = CLEAN.format(name="a").replace("tools: Read, Grep", "tools: Read, FutureTool").replace(
        "model: sonnet", "model: claude-future-9\ncolor: ultraviolet\nx-team: core")
    write(project, {f"{AGENTS}/a.md": text})
    _, before, _ = json_check(run, project)
    assert {c for _, c, _ in before} >= {"AGT400", "AGT300", "AGT100"}
    (project / "agentls.toml").write_text(
        'extend-tools = ["FutureTool"]\nextend-models = ["claude-future-9"]\n'
        'extend-colors = ["ultraviolet"]\nextend-keys = ["x-team"]\n')
    code, after, _ = json_check(run, project)
    assert (code, after) == (0, [])


def test_cli_select_and_ignore_layer_on_top(project, run):
    write(project, {f"{AGENTS}/a.md": UNKNOWN_TOOL.format(name="a"), f"{AGENTS}/b.md": NO_DESCRIPTION.format(name="b"),
                    "agentls.toml": 'ignore = ["AGT400"]\n'})
    _, found, _ = json_check(run, project, "--extend-select", "AGT400")
    assert sorted(c for _, c, _ in found) == ["AGT210", "AGT400"]
    _, found, _ = json_check(run, project, "--select", "AGT2")
    assert [c for _, c, _ in found] == ["AGT210"]
    _, found, _ = json_check(run, project, "--extend-select", "AGT400", "--ignore", "missing-description,AGT4")
    assert found == [(f"{AGENTS}/a.md", "AGT400", 4)]  # the exact code beats the prefix
    code, _, err = run(["--ignore", "AGT4OO"], cwd=project)
    assert code == 2 and "AGT4OO" in err


# -- errors ---------------------------------------------------------------------------------------
BAD = [
    ('[tool.agentls]\nselect = ["AGT4"]\nselec = ["AGT4"]\n', 3, "unknown key 'selec' in [tool.agentls] (did you mean 'select'?)"),
    ('[tool.agentls]\nignore = [\n  "AGT400",\n  "AGT999",\n]\n', 4, "unknown rule or prefix 'AGT999' in `ignore`"),
    ('[tool.agentls]\nselect = "AGT4"\n', 2, '`select` must be a list of strings, got "AGT4"'),
    ('[tool.agentls]\n\n[tool.agentls.severity]\nAGT400 = "fatal"\n', 4, "unknown severity 'fatal'"),
    ('[tool.agentls]\nextend-tools = ["A", 3]\n', 2, "`extend-tools` must be a list of strings"),
    ('[[tool.agentls.overrides]]\nfiles = ["a"]\n\n[[tool.agentls.overrides]]\nfile = ["b"]\n', 5,
     "unknown key 'file' in overrides (did you mean 'files'?)"),
    ('[[tool.agentls.overrides]]\nfiles = ["a"]\n[tool.agentls.overrides.severity]\nAGT400 = 3\n', 4,
     "severity of 'AGT400' must be a string"),
    ('[tool.agentls]\nselect = ["AGT4"\nignore = []\n', 3, "invalid TOML"),
]


@pytest.mark.parametrize("text, line, message", BAD, ids=[b[2][:30] for b in BAD])
def test_malformed_config_exits_2_naming_the_line(project, run, text, line, message):
    (project / "pyproject.toml").write_text(text)
    code, out, err = run([], cwd=project)
    assert code == 2
    assert out == ""
    assert f"agentls: error: pyproject.toml:{line}: " in err
    assert message in err


def test_all_problems_are_reported_at_once(tmp_path):
    (tmp_path / "agentls.toml").write_text('selec = []\nignore = ["nope"]\n\n[severity]\nAGT400 = "loud"\n')
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path / "agentls.toml")
    assert [p.line for p in exc.value.problems] == [1, 2, 5]


def test_configuration_is_cached_and_reloaded_when_it_changes(tmp_path):
    path = tmp_path / "agentls.toml"
    path.write_text('ignore = ["AGT400"]\n')
    first = load_config_for(tmp_path / "x.md")
    assert load_config_for(tmp_path / "x.md") is first  # cached
    path.write_text('ignore = ["AGT401", "AGT402"]\n')
    stamp = time.time() + 5
    os.utime(path, (stamp, stamp))
    second = load_config_for(tmp_path / "x.md")
    assert second is not first
    assert "AGT401" in second.settings.rules_for(tmp_path / "x.md").disabled


def test_discovery_knows_the_configuration_file_names():
    # Discovery tells the configuration lookup which folders hold none of these names.
    from agentls.engine.config import CONFIG_FILES
    from agentls.engine.discovery import CONFIG_NAMES

    assert CONFIG_NAMES == set(CONFIG_FILES)
