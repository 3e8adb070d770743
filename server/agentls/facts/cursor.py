"""Cursor project rules (``.cursor/rules/**/*.mdc``) and subagents (``.cursor/agents/*.md``).

A rule's frontmatter selects when Cursor attaches it: ``alwaysApply: true`` (Always),
``globs`` (Auto Attached when a matching file is in context), ``description`` alone (Agent
Requested: the agent decides from the description), none of them (Manual: only when
mentioned as ``@rule-name``). Cursor does not document refusing a rule or a subagent for
a bad key or value: it ignores what it cannot use, so the Cursor findings are warnings
(and information where the file still works, only differently than it reads).

Sources (retrieved 2026-12-03; research notes ``agent-format.md`` §3.6 and
``agent-format-2026-12.md`` §4):

* :data:`RULES_DOCS` -- cursor.com/docs/context/rules (not stored directly; the field table
  and the modes as quoted by stbenjam/skillsaw ``docs/rules/cursor-rules-valid.md`` and
  skillpack 0.13.2, "verified July 2026"): ``alwaysApply`` must be a real boolean (the
  string ``"true"`` is not Always), ``globs`` a comma-separated string or a list.
* :data:`AGENTS_DOCS` -- cursor.com/docs/agent/subagents: ``name``, ``description``,
  ``model`` (``inherit``, ``fast`` or a model ID), ``readonly``, ``is_background``.
"""

from __future__ import annotations

from agentls.facts.fields import Field, Value

TARGET = "cursor"
DISPLAY = "Cursor"
RULES_DOCS = "https://cursor.com/docs/context/rules"
AGENTS_DOCS = "https://cursor.com/docs/agent/subagents"
RETRIEVED = "2026-12-03"


def _values(*pairs: tuple[str, str]) -> tuple[Value, ...]:
    return tuple(Value(*p) for p in pairs)


_BOOL = _values(("true", "Yes."), ("false", "No."))

RULE_FIELDS: dict[str, Field] = {f.key: f for f in [
    Field("description", "string", "When the rule is relevant; with no `globs` and no `alwaysApply` the "
          "agent attaches the rule when the description fits (Agent Requested).", source=RULES_DOCS,
          example="description: Conventions for the REST API handlers."),
    Field("globs", "globs", "Files that attach the rule (Auto Attached): a comma-separated string or a list.",
          "Globs relative to the project root, such as `src/**/*.ts`. Unquoted, a glob that starts "
          "with `*` is a YAML alias and breaks the frontmatter: quote it or leave it unquoted after "
          "another character.", source=RULES_DOCS, example="globs: src/**/*.ts, src/**/*.tsx"),
    Field("alwaysApply", "boolean", "Attach the rule to every request (Always).",
          "Must be the YAML boolean `true`: the string `\"true\"` is not treated as Always.",
          values=_BOOL, default="false", source=RULES_DOCS, example="alwaysApply: true"),
]}

# Cursor subagent models: the two keywords; any other string is a model ID.
MODELS: dict[str, str] = {
    "inherit": "Use the parent agent's model (the default).",
    "fast": "Cursor's fast model.",
}

AGENT_FIELDS: dict[str, Field] = {f.key: f for f in [
    Field("name", "string", "The subagent's name; defaults to the file name.", source=AGENTS_DOCS,
          example="name: verifier"),
    Field("description", "string", "When to use the subagent; the agent reads it to decide delegation.",
          source=AGENTS_DOCS, example="description: Verifies finished work. Use after a task is done."),
    Field("model", "enum", "`inherit` (the default), `fast`, or a model ID.",
          values=tuple(Value(k, v) for k, v in MODELS.items()), default="inherit", source=AGENTS_DOCS,
          example="model: fast"),
    Field("readonly", "boolean", "Run with read-only permissions (no edits, no state-changing commands).",
          values=_BOOL, default="false", source=AGENTS_DOCS, example="readonly: true"),
    Field("is_background", "boolean", "Run in the background without blocking the parent agent.",
          values=_BOOL, default="false", source=AGENTS_DOCS, example="is_background: true"),
]}

# Spellings from other tools, and Cursor's own.
FOREIGN_KEYS: dict[str, str] = {
    "always_apply": "alwaysApply", "alwaysapply": "alwaysApply", "glob": "globs", "applyTo": "globs",
    "paths": "globs", "readOnly": "readonly", "read_only": "readonly", "background": "is_background",
    "isBackground": "is_background",
}

FIELDS_BY_KIND: dict[str, dict[str, Field]] = {"rule": RULE_FIELDS, "agent": AGENT_FIELDS}
