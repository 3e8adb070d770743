"""The agent's `name`: present, loadable, conventional, a string."""

from __future__ import annotations

import re
from pathlib import PurePath

from agentls.core.document import Document
from agentls.core.yamlnodes import STR
from agentls.rules.context import Context
from agentls.rules.registry import Edit, Fix, Severity, check, rule

F = "name"
_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

MISSING_NAME = rule(
    "AGT200", "missing-name", Severity.ERROR,
    "No `name`: Claude Code treats this file as documentation and does not load the agent",
    what="Checks that an agent's frontmatter has a non-empty `name`.",
    why="""
        The name is the agent's identity. Without it Claude Code assumes the file is
        documentation kept beside the agents and skips it silently (a plugin agent loads under
        its file name with a placeholder description).""",
    example="""
        ---
        description: Reviews code.
        ---""",
    how_to_fix="Add `name:` with a lowercase, hyphenated identifier. The fix derives it from the file name.",
    use_instead="""
        ---
        name: code-reviewer
        description: Reviews code.
        ---""",
    source="https://code.claude.com/docs/en/sub-agents (Subagent files Claude Code skips)",
    fixable="safe", family=F,
)

REJECTED_NAME = rule(
    "AGT201", "name-rejected", Severity.ERROR,
    "Claude Code skips an agent whose name contains `:` or starts with `-`",
    what="Finds names containing `:` (reserved for plugin scoping) or starting with `-`.",
    why="Claude Code refuses to load such an agent and only says so in the debug log (`claude --debug`).",
    example="""
        ---
        name: team:reviewer
        ---""",
    how_to_fix="Use lowercase letters, digits and hyphens only.",
    use_instead="""
        ---
        name: team-reviewer
        ---""",
    source="https://code.claude.com/docs/en/sub-agents; enforced since v2.1.218", fixable="unsafe", family=F,
)

NAME_FORMAT = rule(
    "AGT202", "name-format", Severity.WARNING,
    "Name should be lowercase letters, digits and hyphens",
    what="Checks that `name` is kebab-case: lowercase letters and digits separated by single hyphens.",
    why="""
        The docs define the name as "lowercase letters and hyphens". Other forms load today,
        but they are matched loosely (`Code Reviewer` and `code-reviewer` collide since
        v2.1.140) and other tools (Agent Skills, Copilot) reject them.""",
    example="""
        ---
        name: Code_Reviewer
        ---""",
    how_to_fix="Rename to kebab-case. The fix is unsafe: other files may refer to the old name.",
    use_instead="""
        ---
        name: code-reviewer
        ---""",
    source="https://code.claude.com/docs/en/sub-agents#supported-frontmatter-fields",
    fixable="unsafe", family=F,
)

NAME_NOT_STRING = rule(
    "AGT203", "name-not-string", Severity.WARNING,
    "Name is read as a YAML boolean or number, not a string",
    what="Finds names such as `yes`, `on`, `true` or `1234` that YAML reads as a boolean or number.",
    why="YAML turns `name: yes` into `true`; Claude Code's agent picker broke on such names (fixed in v2.1.97).",
    example="""
        ---
        name: yes
        ---""",
    how_to_fix="Quote the name, or pick a descriptive one.",
    use_instead="""
        ---
        name: "yes"
        ---""",
    source="Claude Code changelog 2.1.97", fixable="safe", family=F,
)


def kebab(text: str) -> str:
    """``Code_Reviewer v2`` -> ``code-reviewer-v2``."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", text)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@check(MISSING_NAME, REJECTED_NAME, NAME_FORMAT, NAME_NOT_STRING)
def name(doc: Document, ctx: Context):
    fm = doc.frontmatter
    if fm is None or not fm.closed or fm.not_mapping is not None or fm.too_large or fm.too_complex:
        return
    entry = doc.get("name")
    if entry is None or entry.value is None or entry.value.is_null or (
            entry.value.kind == "scalar" and not entry.value.value.strip()):
        if entry is None and any(not p.recoverable for p in fm.problems):
            return  # the YAML error already explains why nothing is read
        stem = kebab(PurePath(doc.path).stem) if doc.path else ""
        fix = None
        if stem:
            if entry is None:
                at = fm.content.start
                fix = Fix(f"Add `name: {stem}`", (Edit(_point(at), f"name: {_plain(stem)}{_eol(doc)}"),))
            else:
                fix = Fix(f"Set `name: {stem}`", (Edit(entry.value_span if entry.value else _point(entry.key_span.end + 1),
                                                       f" {_plain(stem)}" if entry.value is None else _plain(stem)),))
        span = entry.key_span if entry is not None else fm.open_fence
        message = MISSING_NAME.summary if entry is None else \
            "`name` is empty: Claude Code treats this file as documentation and does not load the agent"
        yield MISSING_NAME.at(span, message, fix=fix)
        return
    node = entry.value
    if node.kind != "scalar":
        return  # wrong-type
    if node.tag != STR:
        raw = doc.slice(node.span)
        yield NAME_NOT_STRING.at(node.span, f"`name: {raw}` is read as a {node.type_name}, not a string; quote it",
                                 fix=Fix("Quote the name", (Edit(node.span, f'"{raw}"'),)))
        return
    value = node.value
    if ":" in value or value.startswith("-"):
        why = "contains `:`" if ":" in value else "starts with `-`"
        suggested = kebab(value)
        yield REJECTED_NAME.at(node.span, f"Name `{value}` {why}: Claude Code skips this agent",
                               fix=Fix(f"Rename to `{suggested}`", (Edit(node.span, _plain(suggested)),), safe=False)
                               if suggested else None)
        return
    if not _KEBAB.fullmatch(value):
        suggested = kebab(value)
        yield NAME_FORMAT.at(node.span, f"Name `{value}` should be lowercase letters, digits and hyphens"
                             + (f" (`{suggested}`)" if suggested else ""),
                             fix=Fix(f"Rename to `{suggested}`", (Edit(node.span, _plain(suggested)),), safe=False)
                             if suggested else None)


def _plain(name: str) -> str:
    """``name`` as YAML that reads back as that string (``yes`` and ``1234`` need quotes)."""
    import yaml

    try:
        plain = yaml.safe_load(f"name: {name}") == {"name": name}
    except yaml.YAMLError:
        plain = False
    return name if plain else f'"{name}"'


def _point(offset: int):
    from agentls.core.text import Span

    return Span(offset, offset)


def _eol(doc: Document) -> str:
    return "\r\n" if doc.crlf >= 0 and doc.text[doc.crlf: doc.crlf + 2] == "\r\n" else "\n"
