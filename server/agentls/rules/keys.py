"""Frontmatter keys and value types, driven by the field tables in ``agentls.facts``."""

from __future__ import annotations

import difflib
import functools
import re

from agentls.core.document import Document, Entry
from agentls.core.yamlnodes import BOOL, INT, STR, YNode
from agentls.facts import KINDS
from agentls.facts.fields import FIELDS_BY_KIND, FOREIGN_AGENT_KEYS, Field
from agentls.rules._util import suggestion
from agentls.rules.context import Context
from agentls.rules.registry import DEPRECATED, Edit, Fix, Severity, check, rule

F = "keys"

# Fields that only describe or name the file. Every other field governs what the agent
# (skill, command) does: its tools, permissions, model, effort, hooks, turns. A fix that
# makes Claude Code read a value it ignored there (`permissionmode:` -> `permissionMode:`,
# `acceptEdit` -> `acceptEdits`, `tool:` -> `tools:`) changes what the agent can do, so
# it is never safe, however certain the spelling.
DESCRIPTIVE_KEYS = frozenset({"name", "description", "when_to_use", "argument-hint", "color", "metadata",
                              "license", "compatibility", "version"})

UNKNOWN_KEY = rule(
    "AGT100", "unknown-key", Severity.WARNING,
    "Unknown frontmatter key",
    what="Finds frontmatter keys that the file's format does not define.",
    why="""
        Claude Code ignores keys it does not know. Since v2.1.296 `claude --debug` names
        unrecognised fields in custom agent files (with a typo hint); nothing is shown
        otherwise. A misspelt `tools` key (`tool:`, `Tools:`) therefore gives the agent every
        tool, and a skill key such as `allowed-tools` on an agent restricts nothing. Inside
        `experimental`, only `cacheTtl` is documented.""",
    example="""
        ---
        name: code-reviewer
        description: Reviews code.
        tool: Read, Grep
        ---""",
    how_to_fix="""
        Rename the key to the one you meant (the fix offers the closest known key), or remove
        it. The rename is a safe fix only onto a descriptive key (`descripton` -> `description`,
        one candidate): onto a key that governs behaviour (`tool` -> `tools`, `permissionmode`
        -> `permissionMode`) it changes what the agent can do, so it is unsafe.""",
    use_instead="""
        ---
        name: code-reviewer
        description: Reviews code.
        tools: Read, Grep
        ---""",
    source="https://code.claude.com/docs/en/sub-agents#supported-frontmatter-fields; "
           "changelog 2.1.296 (`--debug` names unrecognised agent fields)",
    fixable="sometimes", kinds=KINDS, family=F,
    severity_note="""
        A warning rather than information: unknown keys are how misspellings show up. Claude
        Code may add fields before agentls knows them; add such keys to `extend-keys` in the
        configuration instead of silencing the rule.""",
)

PLUGIN_IGNORED = rule(
    "AGT101", "plugin-ignored-key", Severity.WARNING,
    "Claude Code ignores this key in plugin agents",
    what="Finds `hooks`, `mcpServers` and `permissionMode` in agents shipped by a plugin.",
    why="For security, Claude Code ignores these three fields when an agent comes from a plugin.",
    example="""
        # plugins/my-plugin/agents/deployer.md
        ---
        name: deployer
        description: Deploys.
        permissionMode: bypassPermissions
        ---""",
    how_to_fix="Remove the key, or move the agent into `.claude/agents/`.",
    source="https://code.claude.com/docs/en/plugins-reference", family=F,
)

WRONG_TYPE = rule(
    "AGT102", "wrong-type", Severity.WARNING,
    "Value has the wrong type",
    what="Checks each known field's value type: string, boolean, integer, list or mapping.",
    why="""
        A value of the wrong type (`maxTurns: ten`, `background: "yes"`, `tools:` as a
        mapping) is ignored or misread by Claude Code, usually without a message.""",
    severity_note="""
        Information only where Claude Code's loader reads the value anyway but other tools
        may not: an agent's `background: "true"` (the loader accepts the strings `"true"` and
        `"false"`) and an integer `effort`. Skill and command booleans accept
        `true/false/yes/no/on/off/1/0` in any case since v2.1.218, so those are not reported.""",
    example="""
        ---
        maxTurns: ten
        ---""",
    how_to_fix="Write a value of the documented type.",
    use_instead="""
        ---
        maxTurns: 10
        ---""",
    kinds=KINDS, family=F,
)

INVALID_VALUE = rule(
    "AGT103", "invalid-value", Severity.WARNING,
    "Value is not one of the allowed values",
    what="""
        Checks `color`, `permissionMode`, `effort`, `memory`, `isolation` and other enumerated
        fields, `experimental.cacheTtl`, a hook handler's `onFailure`, and the range of
        integers such as `maxTurns` (positive) and `autoCompactWindow` (100,000 to 1,000,000).""",
    why="""
        What Claude Code does with an unknown value is mostly not documented; at best it is
        ignored. Where it is documented the message says so: an invalid `autoCompactWindow`
        is dropped (a `--debug` warning since v2.1.296) and the default applies.""",
    example="""
        ---
        permissionMode: acceptEdit
        ---""",
    how_to_fix="""
        Use one of the allowed values (the fix offers the closest one). The fix is safe only
        for a descriptive field (`color: gren` -> `green`, one candidate); for `permissionMode`,
        `effort` and the like it changes what the agent does, so it is unsafe.""",
    use_instead="""
        ---
        permissionMode: acceptEdits
        ---""",
    fixable="sometimes", kinds=KINDS, family=F,
    severity_note="A warning: the reference lists Claude Code's behaviour for invalid values as undocumented.",
)

LEGACY_VALUE = rule(
    "AGT104", "legacy-value", Severity.WARNING,
    "Value from an older version of Claude Code",
    what="Finds values that older Claude Code versions documented but the current one does not.",
    why="Old values (`color: magenta`, `permissionMode: ignore`) may be ignored by current versions.",
    example="""
        ---
        color: magenta
        ---""",
    how_to_fix="""
        Use the current value the message names. The fix is safe for a descriptive field
        (`color: magenta` -> `purple`). Elsewhere it is unsafe: Claude Code ignores the old
        value today (`permissionMode: ignore` leaves the parent's mode), so writing the
        current one (`default`) changes what the agent does.""",
    fixable="sometimes", kinds=KINDS, family=F, tags=(DEPRECATED,),
)

EMPTY_VALUE = rule(
    "AGT105", "empty-value", Severity.WARNING,
    "Key without a value",
    what="Finds `key:` with nothing after it.",
    why="An empty value is `null`: the field is treated as unset, which is rarely what was meant.",
    example="""
        ---
        model:
        ---""",
    how_to_fix="Write a value or remove the key.",
    kinds=KINDS, family=F,
)

FOREIGN_SKILL_KEYS = {
    "tools": "skills and commands take `allowed-tools`; Claude Code ignores `tools` here, "
             "so nothing is pre-approved",
    "disallowedTools": "skills and commands spell it `disallowed-tools`",
}
FOREIGN_SKILL_KEYS_TARGET = {"tools": "allowed-tools", "disallowedTools": "disallowed-tools"}

_CAMEL = re.compile(r"[-_\s]")


def fields_for(ctx: Context) -> dict[str, Field]:
    return FIELDS_BY_KIND.get(ctx.kind, FIELDS_BY_KIND["agent"])


def _norm(key: str) -> str:
    return _CAMEL.sub("", key).lower()


@functools.lru_cache(maxsize=64)
def _normalized(known: tuple[str, ...]) -> dict[str, str]:
    return {_norm(k): k for k in known}


def close_keys(key: str, known: list[str]) -> list[str]:
    """Known keys close to ``key``: same letters ignoring case and separators, else by edit ratio."""
    return list(_close_keys(key, tuple(known)))


@functools.lru_cache(maxsize=1024)  # the same typo is looked up on every keystroke
def _close_keys(key: str, known: tuple[str, ...]) -> tuple[str, ...]:
    by_norm = _normalized(known)
    norm = _norm(key)
    if norm in by_norm:
        return (by_norm[norm],)
    return tuple(by_norm[m] for m in difflib.get_close_matches(norm, list(by_norm), n=3, cutoff=0.75))


# Did-you-mean costs a fuzzy match per key; past this many unknown keys in one file
# (a generated or hostile file) the rest are reported without suggestions.
MAX_SUGGESTIONS = 100


@check(UNKNOWN_KEY, PLUGIN_IGNORED)
def keys(doc: Document, ctx: Context):
    fields = fields_for(ctx)
    known = list(fields)
    unknown_count = 0
    for entry in doc.frontmatter.entries if doc.frontmatter else ():
        key = entry.key
        if key in fields:
            if ctx.plugin and ctx.kind == "agent" and fields[key].plugin_ignored:
                yield PLUGIN_IGNORED.at(entry.key_span, f"Claude Code ignores `{key}` in plugin agents")
            continue
        if key in ctx.extensions.keys:
            continue
        unknown_count += 1
        candidates = close_keys(key, known) if unknown_count <= MAX_SUGGESTIONS else []
        foreign = FOREIGN_AGENT_KEYS.get(key) if ctx.kind == "agent" else FOREIGN_SKILL_KEYS.get(key)
        if foreign:
            message = f"Unknown key `{key}`: {foreign}"
            if key in {"allowed-tools", "allowed_tools", "allowedTools"} and ctx.kind == "agent":
                candidates = ["tools"]
            elif key in FOREIGN_SKILL_KEYS and ctx.kind != "agent":
                candidates = [FOREIGN_SKILL_KEYS_TARGET[key]]
            elif "`maxTurns`" in foreign or "`permissionMode`" in foreign or "`mcpServers`" in foreign \
                    or "`disallowedTools`" in foreign:
                candidates = [w for w in known if f"`{w}`" in foreign][:1]
        else:
            article = "an" if ctx.kind[:1] in {"a", "e", "i", "o", "u"} else "a"
            message = f"Unknown key `{key}`: Claude Code ignores it in {article} {ctx.kind} file"
            message += suggestion(candidates[0] if candidates else None)
        fix = None
        if candidates and candidates[0] not in doc.entries:
            fix = Fix(f"Rename to `{candidates[0]}`", (Edit(entry.key_span, candidates[0]),),
                      safe=len(candidates) == 1 and not foreign  # a key from another format: a guess
                      and candidates[0] in DESCRIPTIVE_KEYS)  # else Claude Code starts acting on it
        yield UNKNOWN_KEY.at(entry.key_span, message, fix=fix)


@check(WRONG_TYPE, INVALID_VALUE, LEGACY_VALUE, EMPTY_VALUE)
def values(doc: Document, ctx: Context):
    fields = fields_for(ctx)
    for entry in doc.frontmatter.entries if doc.frontmatter else ():
        field = fields.get(entry.key)
        if field is None:
            continue
        if entry.value is None or entry.value.is_null and not entry.value.value:
            if entry.key not in {"name", "description"}:  # their own rules say more
                yield EMPTY_VALUE.at(entry.key_span, f"`{entry.key}` has no value: it is treated as unset")
            continue
        yield from _check_value(doc, ctx, entry, field)


def _check_value(doc: Document, ctx: Context, entry: Entry, field: Field):
    node = entry.value
    assert node is not None
    t = field.type
    if node.explicit_tag:
        return  # reported by yaml-tag
    if t in {"string", "enum", "model"}:
        if node.kind != "scalar":
            hint = ": quote it (an unquoted `[...]` is a YAML list)" if node.kind == "seq" else ""
            yield WRONG_TYPE.at(node.span, f"`{entry.key}` must be a string, not a {node.type_name}{hint}")
            return
        if node.tag == INT and "integer" in field.also_accepts and ctx.kind == "agent":
            # The loader: "Valid options: ... or an integer"; the docs and other tools list names only.
            names = ", ".join(f"`{v}`" for v in field.value_names)
            yield WRONG_TYPE.at(node.span, f"`{entry.key}: {node.value}`: Claude Code accepts an integer, but "
                                           f"the docs and other tools know only {names}", severity=Severity.INFO)
            return
        if node.tag != STR:
            if entry.key in {"name"}:
                return  # name-not-string says more
            yield WRONG_TYPE.at(node.span, f"`{entry.key}` must be a string, not a {node.type_name}: "
                                           f"quote it (`\"{node.value}\"`)")
            return
        if t == "enum":
            yield from _enum(ctx, entry, field, node)

    elif t == "boolean":
        if node.kind == "scalar" and node.tag != BOOL and field.also_accepts \
                and node.value.lower() in field.also_accepts:
            if ctx.kind == "agent":  # the loader reads "true"/"false"; strict YAML readers do not
                yield WRONG_TYPE.at(node.span, f"`{entry.key}` is the string `\"{node.value}\"`: Claude Code "
                                               f"reads the string as a boolean, other tools may not; "
                                               f"write `{node.value.lower()}` without quotes",
                                    severity=Severity.INFO)
            return  # skill and command booleans: `yes/no/on/off/1/0` since v2.1.218
        if node.kind != "scalar" or node.tag != BOOL:
            hint = ""
            if node.kind == "scalar" and node.value.lower() in {"true", "false", "yes", "no", "on", "off"}:
                hint = f": write `{node.value.lower() in {'true', 'yes', 'on'} and 'true' or 'false'}` without quotes"
            yield WRONG_TYPE.at(node.span, f"`{entry.key}` must be `true` or `false`, not a {node.type_name}{hint}")
    elif t == "integer":
        if node.kind != "scalar" or node.tag != INT:
            yield WRONG_TYPE.at(node.span, f"`{entry.key}` must be {field.constraint}, not a {node.type_name}")
        elif field.minimum is not None or field.maximum is not None:
            try:
                number = int(node.value.replace("_", ""), 0)
            except ValueError:  # a YAML 1.1 integer Python does not read (`017`, `1:30`): out of range
                number = (field.minimum if field.minimum is not None else 0) - 1
            if field.out_of_range(number):
                yield INVALID_VALUE.at(node.span, f"`{entry.key}` must be {field.constraint}"
                                       + (f": {field.invalid}" if field.invalid else ""))
    elif t in {"tools", "names"}:
        if node.kind == "map" or node.kind == "scalar" and node.tag not in {STR}:
            yield WRONG_TYPE.at(node.span, f"`{entry.key}` must be a comma-separated string or a list, "
                                           f"not a {node.type_name}")
        elif node.kind == "seq":
            for item in node.items:
                if item.kind != "scalar" or item.tag != STR:
                    if item.kind == "scalar" and item.tag != STR and t == "names":
                        continue
                    yield WRONG_TYPE.at(item.span, f"Each `{entry.key}` entry must be a string, "
                                                   f"not a {item.type_name}")
    elif t == "mapping":
        if node.kind != "map":
            yield WRONG_TYPE.at(node.span, f"`{entry.key}` must be a mapping, not a {node.type_name}")
        elif field.members:
            yield from _members(ctx, entry.key, field, node)
    elif t == "list":
        if node.kind != "seq":
            yield WRONG_TYPE.at(node.span, f"`{entry.key}` must be a list, not a {node.type_name}")


def _members(ctx: Context, key: str, field: Field, node: YNode):
    """The keys of a mapping whose members are documented (``experimental``)."""
    members = {m.key: m for m in field.members}
    names = ", ".join(f"`{m}`" for m in members)
    for k, v in node.pairs:
        member = members.get(k.value) if k.kind == "scalar" else None
        if member is None:
            yield UNKNOWN_KEY.at(k.span, f"Unknown key `{key}.{k.value}`: only {names} "
                                         f"{'is' if len(members) == 1 else 'are'} documented")
            continue
        if member.type == "enum" and v.kind == "scalar" and v.value not in member.value_names:
            choices = ", ".join(f"`{x}`" for x in member.value_names)
            yield INVALID_VALUE.at(v.span, f"`{v.value}` is not a valid `{key}.{k.value}` (allowed: {choices})")


def _enum(ctx: Context, entry: Entry, field: Field, node: YNode):
    value = node.value
    allowed = field.value_names
    extra = ctx.extensions.colors if entry.key == "color" else frozenset()
    if value in allowed or value in extra:
        return
    legacy = field.legacy_value(value)
    if legacy is not None:
        fix = Fix(f"Replace with `{legacy.replacement}`", (Edit(node.span, legacy.replacement),),
                  safe=entry.key in DESCRIPTIVE_KEYS) if legacy.replacement else None
        yield LEGACY_VALUE.at(node.span, f"`{entry.key}: {value}` is {legacy.note}"
                              + (f"; use `{legacy.replacement}`" if legacy.replacement else ""), fix=fix)
        return
    candidates = close_keys(value, allowed)
    choices = ", ".join(f"`{v}`" for v in allowed)
    fix = None
    if candidates:
        fix = Fix(f"Replace with `{candidates[0]}`", (Edit(node.span, candidates[0]),),
                  safe=len(candidates) == 1 and entry.key in DESCRIPTIVE_KEYS)
    yield INVALID_VALUE.at(node.span, f"`{value}` is not a valid `{entry.key}` (allowed: {choices})"
                           + suggestion(candidates[0] if candidates else None), fix=fix)
