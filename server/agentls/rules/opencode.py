"""OpenCode agents (``.opencode/agents/**/*.md``), read as OpenCode's loader reads them.

A value the ``AgentConfig`` schema rejects stops OpenCode from loading its configuration
(``ConfigInvalidError``): an error. Frontmatter that is not YAML even after OpenCode's
fallback (quoting ``key: value`` lines that hold a colon) drops the file silently: an
error too. An unknown key is not refused but sent to the model provider as an option with
every request: a warning. Facts: :mod:`agentls.facts.opencode`.
"""

from __future__ import annotations

from agentls.core.document import Document
from agentls.core.yamlnodes import BOOL
from agentls.facts import opencode as facts
from agentls.facts.targets import OPENCODE
from agentls.rules import _formats as fmt
from agentls.rules._util import did_you_mean, suggestion
from agentls.rules.context import Context
from agentls.rules.registry import DEPRECATED, Edit, Fix, Severity, check, rule

F = "opencode"
# Which files these rules check: declared here once.
APPLIES = {"targets": (OPENCODE,), "kinds": ("agent",), "family": F}
INVALID = "OpenCode stops loading its configuration with an error"

FRONTMATTER = rule(
    "AGT830", "opencode-frontmatter", Severity.ERROR,
    "OpenCode cannot read this agent's frontmatter and skips the file",
    what="""
        Finds an OpenCode agent whose frontmatter YAML OpenCode cannot read even after its
        fallback (which turns one-line values that hold a colon into block scalars).""",
    why="""
        OpenCode parses the frontmatter with gray-matter; when that fails twice the file is
        dropped without a message, so the agent silently does not exist.""",
    example="""
        ---
        description: Reviews code
          mode: subagent
        ---""",
    how_to_fix="Fix the YAML the message points at (indentation, quotes).",
    use_instead="""
        ---
        description: Reviews code
        mode: subagent
        ---""",
    source=f"{facts.LOADER}; anomalyco/opencode#18017", **APPLIES)

UNKNOWN_KEY = rule(
    "AGT831", "opencode-unknown-key", Severity.WARNING,
    "OpenCode sends unknown keys to the model provider",
    what="Finds frontmatter keys that OpenCode's agent schema does not define, with the key you probably meant.",
    why="""
        OpenCode does not ignore an unknown key: it moves it into the agent's `options`, which
        are passed to the model provider with every request. A Claude Code key such as
        `tools: Read, Grep` or `maxTurns` therefore restricts nothing, and may make the
        provider refuse the request.""",
    example="""
        ---
        description: Reviews code.
        maxTurns: 5
        ---""",
    how_to_fix="Rename the key to OpenCode's (the fix offers the closest one) or remove it.",
    use_instead="""
        ---
        description: Reviews code.
        steps: 5
        ---""",
    source=f"{facts.SCHEMA} (`KNOWN_KEYS`, unknown keys become `options`)", fixable="sometimes", **APPLIES)

INVALID_VALUE = rule(
    "AGT832", "opencode-invalid-value", Severity.ERROR,
    "OpenCode refuses this value",
    what="""
        Checks each value against OpenCode's schema: `mode` (`primary`, `subagent`, `all`),
        numbers for `temperature` and `top_p`, positive integers for `steps`, booleans,
        `color` as `#RRGGBB` or a theme colour, `tools` as a map of booleans, `permission`
        actions `ask`, `allow`, `deny`.""",
    why="""
        A value the schema rejects fails the decode of the configuration, and OpenCode stops
        with a configuration error instead of starting with the agent. Named colours
        (`color: red`) are a common case (anomalyco/opencode#24797).""",
    example="""
        ---
        description: Reviews code.
        mode: sub-agent
        color: red
        ---""",
    how_to_fix="Use a value the message lists.",
    use_instead="""
        ---
        description: Reviews code.
        mode: subagent
        color: "#E53935"
        ---""",
    source=f"{facts.SCHEMA}; {facts.DOCS}", fixable="unsafe", **APPLIES)

MISSING_DESCRIPTION = rule(
    "AGT833", "opencode-missing-description", Severity.WARNING,
    "OpenCode agent without a description",
    what="Finds an OpenCode agent without a `description`.",
    why="""
        The docs list `description` as required: it is what a primary agent reads to decide
        when to call a subagent. The loader still accepts the file, so a subagent without it
        is rarely or never chosen.""",
    example="""
        ---
        mode: subagent
        ---""",
    how_to_fix="Add a description that says when to use the agent.",
    use_instead="""
        ---
        description: Reviews code for quality. Use after changes.
        mode: subagent
        ---""",
    source=f"{facts.DOCS}#description", **APPLIES,
    severity_note="A warning: documented as required, but the schema does not refuse the file.")

DEPRECATED_KEY = rule(
    "AGT834", "opencode-deprecated-key", Severity.WARNING,
    "Deprecated OpenCode key",
    what="Finds `tools` (replaced by `permission`) and `maxSteps` (renamed `steps`).",
    why="""
        OpenCode still reads them and converts them in memory, but they are deprecated since
        v1.1.1, and OpenCode V2 reads only its own keys natively.""",
    example="""
        ---
        description: Reviews code.
        maxSteps: 5
        tools:
          write: false
        ---""",
    how_to_fix="""
        Rename `maxSteps` to `steps` (a safe fix: the same meaning). Express `tools: {x: false}`
        as `permission: {x: deny}`.""",
    use_instead="""
        ---
        description: Reviews code.
        steps: 5
        permission:
          edit: deny
        ---""",
    source=f"{facts.SCHEMA} (`@deprecated`); {facts.V2_DOCS}", fixable="safe", tags=(DEPRECATED,), **APPLIES)


@check(FRONTMATTER)
def frontmatter(doc: Document, ctx: Context):
    problem = fmt.frontmatter_problem(doc, required=False, strict=False, fences=False)
    if problem is not None:
        what, span = problem
        yield FRONTMATTER.at(span, f"OpenCode skips this file without a word: {what}")


@check(UNKNOWN_KEY, DEPRECATED_KEY)
def keys(doc: Document, ctx: Context):
    foreign = {"maxTurns": "steps", "max_turns": "steps", "top-p": "top_p", "topP": "top_p",
               "allowed-tools": "permission", "disallowedTools": "permission"}
    for entry, best, fix in fmt.unknown_keys(doc, facts.AGENT_FIELDS, ctx.extensions.keys, foreign):
        yield UNKNOWN_KEY.at(entry.key_span, f"Unknown key `{entry.key}`: OpenCode passes it to the model "
                                             "provider as an option" + suggestion(best), fix=fix)
    for key, (instead, why) in facts.DEPRECATED_KEYS.items():
        entry = doc.get(key)
        if entry is None:
            continue
        fix = None
        if key == "maxSteps" and "steps" not in doc.entries:
            fix = Fix("Rename to `steps`", (Edit(entry.key_span, "steps"),), safe=True)
        yield DEPRECATED_KEY.at(entry.key_span, f"`{key}` is deprecated ({why}); use `{instead}`", fix=fix)


@check(INVALID_VALUE, MISSING_DESCRIPTION)
def values(doc: Document, ctx: Context):
    if doc.frontmatter is None or not doc.frontmatter.closed \
            or fmt.frontmatter_problem(doc, required=False, strict=False, fences=False):
        return
    for entry in fmt.entries(doc):
        field = facts.AGENT_FIELDS.get(entry.key)
        if field is None:
            continue
        if fmt.is_null(entry):  # an explicit null is an absent optional key for the schema...
            line = doc.index.line_of(entry.key_span.start)
            rest = doc.text[entry.key_span.end:doc.index.line_end(line)]
            if entry.key == "color" and rest.lstrip(": \t").startswith("#"):  # ...but `color: #fff` meant one
                yield INVALID_VALUE.at(entry.key_span, "`color` is empty: an unquoted `#...` is a YAML comment; "
                                                       "quote the colour (`color: \"#FF5733\"`)")
            continue
        node = entry.value
        if entry.key == "color":
            yield from _color(node)
            continue
        if entry.key == "permission":
            yield from _permission(node)
            continue
        problem = fmt.type_problem(node, field, yaml12=True)
        if problem is not None:
            yield INVALID_VALUE.at(node.span, f"{problem}: {INVALID}")
        elif field.type == "enum" and node.value not in field.value_names:
            allowed = ", ".join(f"`{v}`" for v in field.value_names)
            best = did_you_mean(node.value, field.value_names)
            fix = Fix(f"Replace with `{best}`", (Edit(node.span, best),), safe=False) if best else None
            yield INVALID_VALUE.at(node.span, f"`{entry.key}: {node.value}` is not one of {allowed}: {INVALID}"
                                   + suggestion(best), fix=fix)
        elif entry.key == "tools":
            for key, value in node.pairs:
                if value.kind != "scalar" or value.tag != BOOL or fmt.yaml11_bool(value):
                    shown = f"the string `{value.value}`" if fmt.is_string(value, True) else fmt.an(value.type_name)
                    yield INVALID_VALUE.at(value.span, f"`tools` maps a tool to `true` or `false`, not {shown}: "
                                                       f"{INVALID}")
    description = doc.get("description")
    if description is None or fmt.is_null(description) or description.value.is_str and not description.value.value.strip():
        at = description.key_span if description is not None else doc.frontmatter.open_fence
        yield MISSING_DESCRIPTION.at(at, "OpenCode documents `description` as required: primary agents read it to "
                                         "choose this agent")


def _color(node):
    value = node.value if fmt.is_string(node, True) else None
    if value is not None and (facts.HEX_COLOR.fullmatch(value) or value in facts.THEME_COLORS):
        return
    themes = ", ".join(f"`{c}`" for c in facts.THEME_COLORS)
    hint = ""
    if value is not None and value.startswith("#"):
        hint = " (six hex digits)"
    yield INVALID_VALUE.at(node.span, f"`color` must be `#RRGGBB`{hint} or a theme colour ({themes}): {INVALID}")


def _permission(node):
    actions = facts.PERMISSION_ACTIONS
    if fmt.is_string(node, True):  # one action for every tool
        if node.value not in actions:
            yield INVALID_VALUE.at(node.span, f"`{node.value}` is not a permission action (`ask`, `allow`, "
                                              f"`deny`): {INVALID}" + suggestion(did_you_mean(node.value, actions)))
        return
    if node.kind != "map":
        yield INVALID_VALUE.at(node.span, f"`permission` is an action or a mapping, not {fmt.an(node.type_name)}: "
                                          f"{INVALID}")
        return
    for key, value in node.pairs:
        if value.kind == "map" and key.value in facts.ACTION_ONLY_PERMISSIONS:
            yield INVALID_VALUE.at(value.span, f"`{key.value}` takes one action (`ask`, `allow`, `deny`), not "
                                               f"patterns: {INVALID}")
        elif value.is_str:
            if value.value not in actions:
                yield INVALID_VALUE.at(value.span, f"`{value.value}` is not a permission action (`ask`, `allow`, "
                                                   f"`deny`): {INVALID}" + suggestion(did_you_mean(value.value, actions)))
        elif value.kind == "map":
            for _, action in value.pairs:
                if not action.is_str or action.value not in actions:
                    shown = action.value if action.kind == "scalar" else action.type_name
                    yield INVALID_VALUE.at(action.span, f"`{shown}` is not a permission action (`ask`, `allow`, "
                                                        f"`deny`): {INVALID}")
        else:
            yield INVALID_VALUE.at(value.span, f"a permission is `ask`, `allow`, `deny` or a map of patterns, "
                                               f"not {fmt.an(value.type_name)}: {INVALID}")
