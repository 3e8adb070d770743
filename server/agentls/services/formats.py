"""Completion and hover for the other tools' formats (Gemini CLI, GitHub Copilot, Cursor,
OpenCode), from the same facts the rules read (:mod:`agentls.facts.gemini` and its
siblings). :mod:`agentls.services.completion` and :mod:`agentls.services.hover` call
these; everything else about completing and hovering a key or value is theirs.

A file's tool is its kind's ``target`` (the kind the engine hands over is a
:class:`~agentls.facts.targets.Location`); a plain kind string is a Claude Code file.
"""

from __future__ import annotations

from agentls.facts import copilot, cursor, gemini, opencode
from agentls.facts.fields import Field
from agentls.facts.targets import CLAUDE_CODE, COPILOT, CURSOR, GEMINI_CLI, OPENCODE

# Each target's field tables by kind: the one place a format's table is looked up.
FIELDS_BY_TARGET: dict[str, dict[str, dict[str, Field]]] = {
    GEMINI_CLI: gemini.FIELDS_BY_KIND,
    COPILOT: copilot.FIELDS_BY_KIND,
    CURSOR: cursor.FIELDS_BY_KIND,
    OPENCODE: opencode.FIELDS_BY_KIND,
}


def target_of(kind: str | None) -> str:
    """The tool that loads a file of this kind (a Location's target; else Claude Code)."""
    return getattr(kind, "target", None) or CLAUDE_CODE


def format_fields(kind: str | None) -> dict[str, Field] | None:
    """The field table of a file another tool than Claude Code loads, or ``None`` (a Claude
    Code file: the caller's own table applies)."""
    tables = FIELDS_BY_TARGET.get(target_of(kind))
    if tables is None:
        return None
    return tables.get(str(kind)) or next(iter(tables.values()))


def tool_choices(kind: str | None, listed: set[str]) -> list[tuple[str, str, str, str]]:
    """``(label, kind, detail, documentation)`` for a ``tools`` entry of another tool's file."""
    target = target_of(kind)
    out: list[tuple[str, str, str, str]] = []
    if target == GEMINI_CLI:
        for name, (meaning, _) in gemini.TOOLS.items():
            out.append((name, "tool", meaning, gemini.tool_docs(name)))
        for name, meaning in gemini.WILDCARDS.items():
            out.append((name, "module", meaning, gemini.tool_docs(name)))
    elif target == COPILOT:
        for name, (purpose, _, _claude) in copilot.TOOL_ALIASES.items():
            out.append((name, "tool", purpose, copilot.tool_docs(name)))
        for server, meaning in copilot.MCP_SERVERS.items():
            out.append((f"{server}/*", "module", meaning, copilot.tool_docs(f"{server}/*")))
        out.append(("*", "module", "Every available tool.", copilot.tool_docs("*")))
    return [c for c in out if c[0] not in listed]


def tool_hover(kind: str | None, name: str) -> str | None:
    """Markdown for a ``tools`` entry of another tool's file, or ``None``."""
    target = target_of(kind)
    if target == GEMINI_CLI:
        return gemini.tool_docs(name) or None
    if target == COPILOT:
        return copilot.tool_docs(name) or None
    return None


# -- JSON Schema ---------------------------------------------------------------------------
_STRINGS = {"type": "array", "items": {"type": "string"}}


def format_schema(target: str, kind: str) -> dict:
    """The JSON Schema (draft 2020-12) of ``kind`` files of ``target`` (another tool than
    Claude Code), from the same field table as the rules, completion and hover. Gemini
    CLI's schema is strict (``additionalProperties: false``), as its loader is."""
    from agentls.services.jsonschema import DIALECT, _property

    fields = FIELDS_BY_TARGET[target][kind]
    props = {}
    for key, f in fields.items():
        if f.type == "number":
            prop = {"type": "number"}
            if key == "temperature" and target == GEMINI_CLI:
                prop.update(minimum=gemini.TEMPERATURE_RANGE[0], maximum=gemini.TEMPERATURE_RANGE[1])
        elif f.type == "toollist" and target == GEMINI_CLI:
            prop = dict(_STRINGS)
        elif f.type in {"toollist", "stringlist", "globs"}:
            prop = {"anyOf": [{"type": "string"}, _STRINGS]}
        elif f.type == "color":
            prop = {"type": "string", "anyOf": [{"pattern": opencode.HEX_COLOR.pattern.join("^$")},
                                                {"enum": list(opencode.THEME_COLORS)}]}
        elif target == OPENCODE and key == "permission":
            action = {"enum": list(opencode.PERMISSION_ACTIONS)}
            prop = {"anyOf": [action, {"type": "object", "additionalProperties": {"anyOf": [
                action, {"type": "object", "additionalProperties": action}]}}]}
        elif f.type == "enum" and (key == "model" or key == "agent" and target == COPILOT):
            # Named values are offered; any string is valid (a model ID, a custom agent's name).
            prop = {"type": "string", "examples": f.value_names}
        else:
            props[key] = _property(f)
            continue
        prop["description"] = f.summary + (" " + f.docs if f.docs else "")
        props[key] = prop
    if target == GEMINI_CLI:
        for remote_only in ("agent_card_url", "auth"):  # the remote schema's keys
            props.pop(remote_only, None)
        if kind == "agent":
            props["tools"] = {"type": "array", "items": {"type": "string"},
                              "description": fields["tools"].summary}
    required = [key for key, f in fields.items() if f.required and key in props]
    schema = {
        "$schema": DIALECT,
        "title": f"{_display(target)} {kind} frontmatter",
        "description": "Generated by agentls from its field table (local agents for Gemini CLI).",
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": target != GEMINI_CLI,
    }
    if target == COPILOT and kind == "agent":  # GitHub requires a description; VS Code does not
        schema["required"] = [k for k in required if k != "description"]
        schema["if"] = {"not": {"properties": {"target": {"const": "vscode"}}, "required": ["target"]}}
        schema["then"] = {"required": ["description"]}
    return schema


def _display(target: str) -> str:
    return {GEMINI_CLI: gemini.DISPLAY, COPILOT: copilot.DISPLAY, CURSOR: cursor.DISPLAY,
            OPENCODE: opencode.DISPLAY}.get(target, target)
