"""Documentation drawn from the registry: ``docs/rules.md``, ``agentls rule``, ``agentls schema``.

``docs/rules.md`` is generated; when a rule changes, regenerate it with
``agentls rule --all --markdown > docs/rules.md``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from agentls.cli.main import main
from agentls.core.document import Document
from agentls.facts.fields import FIELDS_BY_KIND
from agentls.facts.targets import classify
from agentls.rules.ruleset import all_rules
from agentls.services.completion import heading_slugs
from agentls.services.docs import format_rule, format_rule_short, rules_markdown
from agentls.services.jsonschema import frontmatter_schema

ROOT = Path(__file__).resolve().parents[2]
RULES_MD = ROOT / "docs" / "rules.md"
DATA = ROOT / "tests" / "data"


# -- docs/rules.md ---------------------------------------------------------------------------------
def test_rules_md_is_up_to_date():
    committed = RULES_MD.read_text(encoding="utf-8")
    assert committed == rules_markdown(), (
        "docs/rules.md is out of date: run `agentls rule --all --markdown > docs/rules.md`")


def test_cli_prints_the_same_markdown(capsys):
    assert main(["rule", "--all", "--markdown"]) == 0
    assert capsys.readouterr().out == rules_markdown()


def test_rules_md_anchors_resolve():
    """Every table link and every diagnostic's docs URL points at a heading of rules.md."""
    doc = Document(rules_markdown())
    slugs = {slug for slug, _ in heading_slugs(doc)}
    for rule in all_rules():
        assert rule.anchor in slugs, rule.code
        assert f"](#{rule.anchor})" in doc.text
        assert rule.url.endswith("docs/rules.md#" + rule.anchor)


def test_every_rule_is_documented_once():
    text = rules_markdown()
    for rule in all_rules():
        assert text.count(f"\n## {rule.code} {rule.name}\n") == 1
        assert format_rule(rule, heading="##") in text


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_rule_hover_text_has_code_name_why_fix(rule):
    short = format_rule_short(rule)
    assert f"**{rule.code} {rule.name}**" in short
    assert rule.why in short and rule.how_to_fix in short
    assert rule.url in short


def test_cli_rule_uses_format_rule(capsys):
    assert main(["rule", "AGT400"]) == 0
    assert capsys.readouterr().out == format_rule(all_rules()[[r.code for r in all_rules()].index("AGT400")])


# -- agentls schema -----------------------------------------------------------------------------------
def test_schema_structure():
    schema = frontmatter_schema("agent")
    fields = FIELDS_BY_KIND["agent"]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert set(schema["properties"]) == set(fields)
    assert schema["required"] == ["name", "description"]
    assert schema["additionalProperties"] is True
    assert "allowed" in schema["description"]  # documented, not silent
    for key, prop in schema["properties"].items():
        assert prop["description"].startswith(fields[key].summary)
        assert prop["markdownDescription"].startswith(f"**`{key}`**")
        if "enum" in prop:
            assert prop["enum"] == fields[key].value_names
            assert len(prop["enumDescriptions"]) == len(prop["enum"])
    assert schema["properties"]["color"]["enum"] == ["red", "blue", "green", "yellow", "purple", "orange",
                                                     "pink", "cyan"]
    # The loader also reads the strings "true"/"false" (and an integer effort): valid, not flagged.
    assert schema["properties"]["background"]["anyOf"] == [{"type": "boolean"},
                                                           {"type": "string", "enum": ["FALSE", "False", "TRUE",
                                                                                       "True", "false", "true"]}]
    assert {"type": "integer"} in schema["properties"]["effort"]["anyOf"]
    assert schema["properties"]["maxTurns"] == {**schema["properties"]["maxTurns"], "type": "integer",
                                                "minimum": 1}


def test_cli_schema_prints_it(capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == frontmatter_schema("agent")
    assert main(["schema", "--kind", "skill"]) == 0
    skill = json.loads(capsys.readouterr().out)
    assert "allowed-tools" in skill["properties"] and skill["required"] == []


def _validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = frontmatter_schema("agent")
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_is_valid_json_schema_for_every_kind():
    jsonschema = pytest.importorskip("jsonschema")
    for kind in FIELDS_BY_KIND:
        jsonschema.Draft202012Validator.check_schema(frontmatter_schema(kind))


SEED_LIKE = [
    {"name": "code-reviewer", "description": "Reviews code. Use proactively after edits."},
    {"name": "x", "description": "d", "tools": "Read, Grep, Glob", "model": "sonnet", "color": "blue"},
    {"name": "x", "description": "d", "tools": ["Read", "Agent(a, b)", "mcp__github__*"],
     "disallowedTools": "Write", "model": "claude-opus-4-5-20251101", "permissionMode": "acceptEdits",
     "maxTurns": 20, "skills": ["api-conventions"], "mcpServers": ["github", {"local": {"command": "x"}}],
     "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "true"}]}]},
     "memory": "project", "background": False, "effort": "high", "isolation": "worktree",
     "initialPrompt": "Start.", "x-custom": "extra keys are allowed"},
    {"name": "x", "description": "d", "model": "us.anthropic.claude-sonnet-4-5-20250929-v1:0"},
    {"name": "x", "description": "d", "model": "inherit", "permissionMode": "manual"},
    # Claude Code 2.1.248-2.1.296 (issue 15): new keys, values the loader reads
    {"name": "x", "description": "d", "omitClaudeMd": True, "autoCompactWindow": 300000,
     "experimental": {"cacheTtl": "1h"}, "background": "true", "effort": 3, "model": "fable[1m]"},
]

BAD = [
    ({"description": "d"}, "name"),
    ({"name": "x", "description": "d", "color": "magenta"}, "color"),
    ({"name": "x", "description": "d", "permissionMode": "yolo"}, "permissionMode"),
    ({"name": "x", "description": "d", "effort": "extreme"}, "effort"),
    ({"name": "x", "description": "d", "memory": "global"}, "memory"),
    ({"name": "x", "description": "d", "isolation": "container"}, "isolation"),
    ({"name": "x", "description": "d", "model": "gpt-4o"}, "model"),
    ({"name": "x", "description": "d", "maxTurns": 0}, "maxTurns"),
    ({"name": "x", "description": "d", "background": "yes please"}, "background"),
    ({"name": "x", "description": "d", "tools": {"Read": True}}, "tools"),
    ({"name": "x", "description": "d", "autoCompactWindow": 50000}, "autoCompactWindow"),
    ({"name": "x", "description": "d", "experimental": {"cacheTtl": "2h"}}, "experimental"),
]


@pytest.mark.parametrize("data", SEED_LIKE)
def test_schema_accepts_seed_like_frontmatter(data):
    errors = list(_validator().iter_errors(data))
    assert not errors, [e.message for e in errors]


@pytest.mark.parametrize("data, key", BAD, ids=[k for _, k in BAD])
def test_schema_rejects_bad_values(data, key):
    errors = list(_validator().iter_errors(data))
    assert errors
    assert any(key in (list(e.path)[:1] or [None]) or key in e.message for e in errors)


def test_schema_agrees_with_the_linter_on_the_corpus():
    """Every real agent file the schema rejects is one agentls flags on that same key."""
    from agentls.rules.lint import lint_text

    validator = _validator()
    checked = 0
    for path in sorted(DATA.rglob("*")):
        if path.suffix not in {".md", ".txt"} or (path.suffix == ".md" and classify(path)[0] != "agent"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        doc = Document(text, str(path), "agent")
        fm = doc.frontmatter
        if fm is None or fm.root is None or fm.root.kind != "map":
            continue
        checked += 1
        errors = list(validator.iter_errors(fm.root.python()))
        if not errors:
            continue
        doc, findings = lint_text(text, str(path), kind="agent")
        for e in errors:
            key = list(e.path)[0] if e.path else None
            entry = doc.get(key) if key else None
            assert entry is not None and entry.value is not None, (path, e.message)
            flagged = [f for f in findings if entry.value.span.start <= f.span.start <= entry.value.span.end]
            assert flagged, f"{path}: schema rejects {key} ({e.message}) but agentls is silent"
    assert checked >= 20
