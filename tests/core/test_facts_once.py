"""Each fact exists once: every consumer of a fact gives the same answer for the same input.

The extensions live in :mod:`agentls.facts` (model values, the colour palette, the file
kinds, field constraints) and in the rule registry (rule tags). These tests do not read
the source: they ask each consumer (the rule, completion, hover, the JSON Schema, the
LSP conversion) about the same inputs and compare what comes out, so a second copy of
a fact that drifts from the first fails here.
"""

from __future__ import annotations

import json
import re

import pytest
from agentls.cli.main import build_parser
from agentls.core.document import Document
from agentls.facts import KINDS
from agentls.facts.fields import AGENT_FIELDS, FIELDS_BY_KIND, Field
from agentls.lsp.convert import to_diagnostic
from agentls.rules.lint import Context, Extensions, lint
from agentls.rules.registry import DEPRECATED, Severity, rule
from agentls.rules.ruleset import all_rules
from agentls.services.completion import CompletionContext, complete
from agentls.services.hover import HoverContext, hover
from agentls.services.jsonschema import frontmatter_schema
from jsonschema import Draft202012Validator

PATHS = {"agent": "/w/.claude/agents/me.md", "skill": "/w/.claude/skills/me/SKILL.md",
         "command": "/w/.claude/commands/me.md"}
HEAD = "---\nname: me\ndescription: Reviews code. Use proactively after edits.\n"

# Valid and invalid on purpose: aliases, `--model`-only aliases, listed and unlisted full
# IDs (Bedrock, Vertex, dated, older naming), other vendors' models, display names,
# near misses. The tests never say which are valid, only that every consumer agrees.
MODEL_SAMPLES = [
    "inherit", "sonnet", "opus", "haiku", "fable", "mythos", "opusplan", "default", "best",
    "sonnet[1m]", "opus[1m]", "fable[1m]", "claude-opus-5", "claude-sonnet-4-5", "claude-opus-5-5",
    "claude-sonnet-4-5-20250929", "claude-3-5-sonnet-20241022", "claude-opus-4-1@20250805",
    "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic.claude-haiku-4-5-v1",
    "claude-mythos-5", "claude-sonnet", "claude-gpt-5", "gpt-4o", "Claude Sonnet 4", "Sonnet",
    "sonet", "claude-opus-4-5-2025", "gemini-2.5-pro", "o3", "",
]
COLOR_SAMPLES = ["red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan", "magenta",
                 "white", "gren", "Red", "#ff0000", "black", ""]


def _doc(text: str, kind: str) -> Document:
    return Document(text, PATHS[kind], kind)


def _at(text: str, kind: str = "agent") -> tuple[Document, int]:
    offset = text.index("|")
    return _doc(text[:offset] + text[offset + 1:], kind), offset


def _findings(text: str, kind: str, codes: set[str], extensions: Extensions = Extensions()) -> list:
    doc = _doc(text, kind)
    return [f for f in lint(doc, Context(kind=kind, path=PATHS[kind], extensions=extensions)) if f.code in codes]


def _completion_labels(key: str, kind: str = "agent", extensions: Extensions = Extensions()) -> list[str]:
    doc, offset = _at(HEAD + f"{key}: |\n---\n", kind)
    return [c.label for c in complete(doc, offset, CompletionContext(kind=kind, path=PATHS[kind], extensions=extensions))]


def _hover_value(key: str, value: str, kind: str = "agent", extensions: Extensions = Extensions()) -> str:
    """Hover on ``value`` (written as a double-quoted YAML string) of ``key``."""
    text = HEAD + f"{key}: {json.dumps(value)}\n---\n"
    doc = _doc(text, kind)
    offset = text.index(f"{key}: ") + len(key) + 3  # just inside the opening quote
    result = hover(doc, offset, HoverContext(kind=kind, path=PATHS[kind], findings=[], extensions=extensions))
    return result.markdown if result is not None else ""


def _hover_key(key: str, kind: str = "agent") -> str:
    doc, offset = _at(HEAD + f"{key[:1]}|{key[1:]}: x\n---\n", kind)
    result = hover(doc, offset, HoverContext(kind=kind, path=PATHS[kind], findings=[]))
    assert result is not None
    return result.markdown


def _listed_values(markdown: str) -> list[str]:
    """The ``- `value`: meaning`` lines of a field's hover (its "Values:" list)."""
    return re.findall(r"^- `([^`]+)`:", markdown, re.M)


def _schema_property(key: str, kind: str = "agent") -> dict:
    return frontmatter_schema(kind)["properties"][key]


# -- models --------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_completion_offers_exactly_the_models_the_json_schema_lists(kind):
    prop = _schema_property("model", kind)
    enum = next(part["enum"] for part in prop["anyOf"] if "enum" in part)
    assert _completion_labels("model", kind) == enum


@pytest.mark.parametrize("kind", KINDS)
def test_rule_schema_and_hover_accept_the_same_models(kind):
    schema = Draft202012Validator(_schema_property("model", kind))
    offered = set(_completion_labels("model", kind))
    for value in MODEL_SAMPLES + sorted(offered):
        text = HEAD + f"model: {json.dumps(value)}\n---\nBody.\n"
        by_rule = not _findings(text, kind, {"AGT300"})
        by_schema = schema.is_valid(value)
        by_hover = "Not a known alias or model ID" not in _hover_value("model", value, kind)
        assert (value, by_rule) == (value, by_schema) == (value, by_hover)
        if value in offered:
            assert by_rule, f"completion offers `{value}`, which AGT300 reports"


@pytest.mark.parametrize("kind", KINDS)
def test_the_models_listed_in_the_key_hover_are_offered_and_valid(kind):
    listed = _listed_values(_hover_key("model", kind))
    assert listed, "the hover of `model` lists its aliases"
    assert set(listed) <= set(_completion_labels("model", kind))


def test_unknown_model_message_names_the_aliases_the_key_hover_lists():
    (finding,) = _findings(HEAD + "model: gpt-4o\n---\nBody.\n", "agent", {"AGT300"})
    named = re.findall(r"`([^`]+)`", finding.message.split(":", 1)[1])
    assert sorted(named) == sorted(_listed_values(_hover_key("model")))
    assert all("(model alias)" in _hover_value("model", v) for v in named)


def test_the_fix_of_an_unknown_model_is_a_value_every_consumer_accepts():
    schema = Draft202012Validator(_schema_property("model"))
    for value in ["Claude Sonnet 4", "opus 4", "Haiku", "claude_opus_4_5", "sonet", "gpt-4o"]:
        (finding,) = _findings(HEAD + f"model: {value}\n---\nBody.\n", "agent", {"AGT300"})
        if finding.fix is None:
            continue
        near = finding.fix.edits[0].new_text
        assert schema.is_valid(near) and not _findings(HEAD + f"model: {near}\n---\nBody.\n", "agent", {"AGT300"})


# `extend-models` / `extendModels`: a name nobody lists, a full ID, one agentls lists already.
ADDED_MODELS = Extensions(models=frozenset({"my-proxy-model", "claude-opus-9", "sonnet"}))


@pytest.mark.parametrize("kind", KINDS)
def test_models_the_configuration_adds_are_completed_accepted_and_hovered(kind):
    enum = next(part["enum"] for part in _schema_property("model", kind)["anyOf"] if "enum" in part)
    offered = _completion_labels("model", kind, ADDED_MODELS)
    assert offered[:len(enum)] == enum and sorted(offered[len(enum):]) == offered[len(enum):]
    assert set(offered) - set(enum) == {"my-proxy-model", "claude-opus-9"}
    for value in MODEL_SAMPLES + offered:
        text = HEAD + f"model: {json.dumps(value)}\n---\nBody.\n"
        by_rule = not _findings(text, kind, {"AGT300"}, ADDED_MODELS)
        by_hover = "Not a known alias or model ID" not in _hover_value("model", value, kind, ADDED_MODELS)
        assert (value, by_rule) == (value, by_hover)
        if value in offered:
            assert by_rule
    assert "added in your configuration" in _hover_value("model", "my-proxy-model", kind, ADDED_MODELS)


@pytest.mark.parametrize("line, covered", [
    ("model: sonnet[1|m]", "sonnet[1m]"),
    ("model: \"opus[1m|]\"  # 1M context", "opus[1m]"),
    ("model: |opus[1m] # pinned", "opus[1m]"),
    ("model: 'claude-opus-4-1@2025|0805'", "claude-opus-4-1@20250805"),
])
def test_hover_reads_a_model_as_one_value(line, covered):
    """Was: hover split the value like a tool list, so `sonnet[1m]` (valid) was "not known"."""
    doc, offset = _at(HEAD + line + "\n---\n")
    result = hover(doc, offset, HoverContext(kind="agent", path=PATHS["agent"], findings=[]))
    assert result is not None and doc.slice(result.span) == covered
    assert f"**`model: {covered}`** (model" in result.markdown


def test_no_model_hover_on_a_comment():
    doc, offset = _at(HEAD + "model: opus # the |best\n---\n")
    assert hover(doc, offset, HoverContext(kind="agent", path=PATHS["agent"], findings=[])) is None


# -- colours -------------------------------------------------------------------------------
def test_colour_completion_rule_schema_and_hover_agree():
    prop = _schema_property("color")
    offered = _completion_labels("color")
    assert offered == prop["enum"]
    assert _listed_values(_hover_key("color")) == offered
    schema = Draft202012Validator(prop)
    for value in COLOR_SAMPLES:
        by_rule = not _findings(HEAD + f"color: {json.dumps(value)}\n---\nBody.\n", "agent",
                                {"AGT103", "AGT104"})
        assert (value, by_rule) == (value, schema.is_valid(value)) == (value, value in offered)
        if value in offered:
            assert f"**`color: {value}`**" in _hover_value("color", value)


def test_colours_the_configuration_adds_are_completed_accepted_and_hovered():
    extensions = Extensions(colors=frozenset({"teal", "#112233", "magenta", "red"}))
    palette = _schema_property("color")["enum"]
    offered = _completion_labels("color", extensions=extensions)
    assert offered == palette + ["#112233", "magenta", "teal"]
    for value in COLOR_SAMPLES + offered:
        by_rule = not _findings(HEAD + f"color: {json.dumps(value)}\n---\nBody.\n", "agent",
                                {"AGT103", "AGT104"}, extensions)
        shown = _hover_value("color", value, extensions=extensions)
        by_hover = bool(shown) and "(legacy value)" not in shown
        assert (value, by_rule) == (value, value in offered) == (value, by_hover)
    doc, offset = _at(HEAD + "color: |\n---\n")
    items = complete(doc, offset, CompletionContext(kind="agent", path=PATHS["agent"], extensions=extensions))
    assert {c.label: c.color for c in items}["#112233"] == "#112233"


def test_every_colour_offered_has_a_swatch_and_legacy_colours_are_not_offered():
    doc, offset = _at(HEAD + "color: |\n---\n")
    items = complete(doc, offset, CompletionContext(kind="agent", path=PATHS["agent"]))
    assert items and all(c.kind == "color" and re.fullmatch(r"#[0-9a-f]{6}", c.color or "") for c in items)
    (legacy,) = _findings(HEAD + "color: magenta\n---\nBody.\n", "agent", {"AGT104"})
    assert legacy.fix is not None and legacy.fix.edits[0].new_text in {c.label for c in items}
    assert "(legacy value)" in _hover_value("color", "magenta")


# -- file kinds ----------------------------------------------------------------------------
def test_every_consumer_knows_the_same_file_kinds(capsys):
    assert tuple(FIELDS_BY_KIND) == KINDS
    parser = build_parser()
    for kind in KINDS:
        assert parser.parse_args(["schema", "--kind", kind]).kind == kind
        assert frontmatter_schema(kind)["properties"]
    with pytest.raises(SystemExit):
        parser.parse_args(["schema", "--kind", "agents"])
    assert "invalid choice" in capsys.readouterr().err
    # Claude Code's rules cover its kinds; other tools' kinds are theirs (facts.targets).
    assert set().union(*(r.kinds for r in all_rules() if "claude-code" in r.targets)) >= set(KINDS)


def test_a_rule_for_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown kinds"):
        rule("AGT999", "test-unknown-kind", Severity.INFO, "x", what="x", why="x", example="x", how_to_fix="x",
             kinds=("agent", "agents"))


# -- constraints ---------------------------------------------------------------------------
# A value as written in YAML -> the value it reads as (what the JSON Schema validates).
INTEGER_SAMPLES = {"-1": -1, "0": 0, "1": 1, "2": 2, "3": 3, "20": 20, "0x10": 16, "ten": "ten",
                   "1.5": 1.5, "true": True, '"5"': "5", "[1]": [1]}


def _integer_agreement(key: str, kind: str = "agent") -> None:
    prop = _schema_property(key, kind)
    schema = Draft202012Validator(prop)
    messages = set()
    for raw, value in INTEGER_SAMPLES.items():
        found = _findings(HEAD + f"{key}: {raw}\n---\nBody.\n", kind, {"AGT102", "AGT103"})
        assert (raw, not found) == (raw, schema.is_valid(value))
        messages |= {f.message for f in found}
    # The rule, the hover and the schema's description say the constraint in the same words.
    (phrase,) = {re.search(r"must be (an? [^,]+?)(?:,|$)", m).group(1) for m in messages}
    sentence = f"{phrase[:1].upper()}{phrase[1:]}."
    assert sentence in _hover_key(key, kind)
    assert sentence in prop["description"]


def test_max_turns_rule_schema_and_hover_agree():
    assert _schema_property("maxTurns")["minimum"] == 1
    _integer_agreement("maxTurns")
    assert "A positive integer." in _hover_key("maxTurns")


@pytest.mark.parametrize("minimum", [0, 3, None])
def test_a_field_constraint_drives_rule_schema_and_hover(monkeypatch, minimum):
    field = Field("retries", "integer", "How often to retry.", minimum=minimum)
    monkeypatch.setitem(AGENT_FIELDS, "retries", field)
    prop = _schema_property("retries")
    assert prop.get("minimum") == minimum
    if minimum is None:
        for raw in ["-5", "0", "7"]:
            assert not _findings(HEAD + f"retries: {raw}\n---\nBody.\n", "agent", {"AGT102", "AGT103"})
        assert _findings(HEAD + "retries: ten\n---\nBody.\n", "agent", {"AGT102"})
        return
    _integer_agreement("retries")
    edge = _findings(HEAD + f"retries: {minimum - 1}\n---\nBody.\n", "agent", {"AGT103"})
    assert len(edge) == 1 and not _findings(HEAD + f"retries: {minimum}\n---\nBody.\n", "agent", {"AGT103"})


# -- rule tags -----------------------------------------------------------------------------
DEPRECATED_SPELLINGS = {
    "AGT104": HEAD + "color: magenta\n---\nBody.\n",
    "AGT401": HEAD + "tools: Read, Task\n---\nBody.\n",
    "AGT402": HEAD + "tools: Read, LS\n---\nBody.\n",
}


def test_deprecated_rules_are_tagged_where_they_are_declared():
    # Claude Code's (the other tools' formats tag theirs too: AGT815, AGT834, with fixtures).
    claude = {r.code for r in all_rules() if DEPRECATED in r.tags and "claude-code" in r.targets}
    assert claude == set(DEPRECATED_SPELLINGS)


def test_findings_of_deprecated_rules_are_struck_through_and_others_are_not():
    from agentls.core.text import LineIndex
    from lsprotocol import types

    seen = set()
    texts = [*DEPRECATED_SPELLINGS.values(), HEAD + "tools: Read, Grepp\nmodel: gpt-4o\ncolor: gren\n---\nBody.\n"]
    for text in texts:
        doc = _doc(text, "agent")
        for finding in lint(doc, Context(kind="agent", path=PATHS["agent"])):
            diagnostic = to_diagnostic(finding, LineIndex(text), "utf-16")
            struck = diagnostic.tags == [types.DiagnosticTag.Deprecated]
            assert struck == (DEPRECATED in finding.rule.tags), finding.code
            assert struck or diagnostic.tags is None
            seen.add((finding.code, struck))
    assert {code for code, struck in seen if struck} == set(DEPRECATED_SPELLINGS)
    assert any(not struck for _code, struck in seen)


def test_a_rule_with_an_unknown_tag_is_refused():
    with pytest.raises(ValueError, match="unknown tags"):
        rule("AGT998", "test-unknown-tag", Severity.INFO, "x", what="x", why="x", example="x", how_to_fix="x",
             tags=("obsolete",))
