"""A JSON Schema (draft 2020-12) of the frontmatter, generated from the one field table.

For users of yaml-language-server and other schema-driven editors: ``agentls schema``
prints it. Every property carries ``description`` (plain) and ``markdownDescription``
(the same text as agentls' hover), enums carry ``enumDescriptions``, and ``required``
follows :data:`agentls.facts.fields.FIELDS_BY_KIND`.

Unknown keys are allowed (``additionalProperties: true``): Claude Code ignores them,
and agentls reports them with its own rules, which know the likely typo.
"""

from __future__ import annotations

from typing import Any

from agentls.facts import models
from agentls.facts.fields import FIELDS_BY_KIND, HOOK_EVENT_SINCE, HOOK_EVENTS, Field
from agentls.facts.tools import TOOLS
from agentls.services.docs import facts_line, format_field

DIALECT = "https://json-schema.org/draft/2020-12/schema"
TITLES = {"agent": "Claude Code subagent frontmatter", "skill": "Claude Code skill frontmatter (SKILL.md)",
          "command": "Claude Code slash command frontmatter"}

_STRING_OR_LIST = [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]


def _description(f: Field) -> str:
    text = f.summary
    if f.docs:
        text += " " + f.docs
    if f.minimum is not None or f.maximum is not None:
        text += f" {f.constraint[:1].upper()}{f.constraint[1:]}."
    if f.invalid:
        text += f" An invalid value: {f.invalid}."
    facts = []
    if f.default:
        facts.append(f"Default: {f.default}.")
    if f.since:
        facts.append(f"Since: {f.since}.")
    if f.until:
        facts.append(f"Removed in: {f.until}.")
    if f.legacy:
        facts.append("Legacy values (accepted by agentls with a warning): "
                     + ", ".join(item.name + (f" (use {item.replacement})" if item.replacement else "")
                                 for item in f.legacy) + ".")
    return " ".join([text, *facts])


def _enum(f: Field) -> dict[str, Any]:
    return {"type": "string", "enum": [v.name for v in f.values],
            "enumDescriptions": [v.meaning for v in f.values],
            "markdownEnumDescriptions": [v.meaning for v in f.values]}


def _property(f: Field) -> dict[str, Any]:
    prop: dict[str, Any]
    if f.type == "string":
        prop = {"type": "string"}
        if f.key in {"name", "description"} and f.required:
            prop["minLength"] = 1
    elif f.type == "boolean":
        prop = {"type": "boolean"}
        if f.also_accepts:  # the loader also reads these strings (any case for skills and commands)
            spellings = sorted({v for a in f.also_accepts for v in (a, a.capitalize(), a.upper())})
            prop = {"anyOf": [{"type": "boolean"}, {"type": "string", "enum": spellings}]}
        if f.default in {"true", "false"}:
            prop["default"] = f.default == "true"
    elif f.type == "integer":
        prop = {"type": "integer"}
        if f.minimum is not None:
            prop["minimum"] = f.minimum
        if f.maximum is not None:
            prop["maximum"] = f.maximum
    elif f.type == "enum":
        prop = _enum(f)
        if "integer" in f.also_accepts:  # the loader: "Valid options: ... or an integer"
            prop = {"anyOf": [prop, {"type": "integer"}]}
    elif f.type == "model":
        prop = {"type": "string", "anyOf": [
            {"enum": list(models.NAMED), "enumDescriptions": [
                meaning + (f" Since Claude Code {models.SINCE[name]}." if name in models.SINCE else "")
                for name, meaning in models.NAMED.items()]},
            {"pattern": f"^(?:{models.MODEL_ID.pattern})$", "description": "A full model ID."},
        ]}
        if f.default in models.NAMED:
            prop["default"] = f.default
    elif f.type == "tools":
        prop = {"anyOf": _STRING_OR_LIST,
                "examples": ["Read, Grep, Glob", sorted(t for t in TOOLS if TOOLS[t].subagents)[:3]]}
    elif f.type == "names":
        prop = {"anyOf": _STRING_OR_LIST}
    elif f.type == "list":
        prop = {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}}
    elif f.type == "mapping":
        prop = {"type": "object"}
        if f.members:  # documented keys only (Claude Code reads no others)
            prop["properties"] = {m.key: _property(m) for m in f.members}
    else:  # pragma: no cover - a new type in the table must be mapped here
        raise ValueError(f"no JSON Schema mapping for field type {f.type!r} ({f.key})")
    prop["description"] = _description(f)
    if f.key == "hooks":
        prop["description"] += " Events: " + ", ".join(
            e + (f" (since {HOOK_EVENT_SINCE[e]})" if e in HOOK_EVENT_SINCE else "") for e in HOOK_EVENTS) + "."
    prop["markdownDescription"] = format_field(f).rstrip()
    if f.example and f.type in {"enum", "string", "integer", "boolean"} and ":" in f.example:
        value = f.example.split(":", 1)[1].strip()
        prop.setdefault("examples", [int(value) if f.type == "integer" and value.isdigit()
                                     else (value == "true") if f.type == "boolean" else value])
    return prop


def frontmatter_schema(kind: str = "agent") -> dict[str, Any]:
    """The JSON Schema of ``kind``'s frontmatter (``agent``, ``skill`` or ``command``)."""
    fields = FIELDS_BY_KIND[kind]
    return {
        "$schema": DIALECT,
        "$id": f"https://github.com/agentls/agentls/schemas/{kind}-frontmatter.json",
        "title": TITLES.get(kind, f"{kind} frontmatter"),
        "description": ("Generated by `agentls schema` from agentls' field table. Keys not listed here "
                        "are allowed (Claude Code ignores them), so this schema does not flag typos; "
                        "`agentls check` and the agentls language server do."),
        "$comment": facts_line(),
        "type": "object",
        "properties": {key: _property(f) for key, f in fields.items()},
        "required": [key for key, f in fields.items() if f.required],
        "additionalProperties": True,
    }
