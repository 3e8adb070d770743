"""Gemini CLI subagents (``.gemini/agents/*.md``), read as Gemini CLI's loader reads them.

Gemini CLI validates the frontmatter with a strict zod schema and does not load an agent
that fails it (``AgentLoadError``; ``/agents`` lists the error): a missing frontmatter,
YAML js-yaml rejects, an unknown key, a value of the wrong type, a name that is not a
slug, a non-positive ``max_turns`` or a tool name it does not know. Those findings are
errors; the rest (a temperature outside the documented range, the documented but refused
``mcpServers``) are warnings. Facts: :mod:`agentls.facts.gemini`.
"""

from __future__ import annotations

import re

from agentls.core.document import Document
from agentls.facts import gemini as facts
from agentls.facts.targets import GEMINI_CLI
from agentls.rules import _formats as fmt
from agentls.rules._util import did_you_mean, suggestion
from agentls.rules.context import Context
from agentls.rules.registry import Edit, Fix, Severity, check, rule

F = "gemini"
# Which files these rules check: declared here once.
APPLIES = {"targets": (GEMINI_CLI,), "kinds": ("agent",), "family": F}
SKIPPED = "Gemini CLI does not load this agent"

FRONTMATTER = rule(
    "AGT800", "gemini-frontmatter", Severity.ERROR,
    "Gemini CLI cannot read this agent's frontmatter",
    what="""
        Finds a Gemini CLI agent without YAML frontmatter on its first line, with frontmatter
        that is never closed, or with YAML that a strict parser rejects.""",
    why="""
        "The file MUST start with YAML frontmatter enclosed in triple-dashes": Gemini CLI reads
        it with js-yaml, without Claude Code's lenient second pass, and does not load the agent
        when either fails ("Missing mandatory YAML frontmatter", "YAML frontmatter parsing
        failed").""",
    example="""
        ---
        name: reviewer
        description: Reviews code: style and bugs
        ---""",
    how_to_fix="Start the file with `---`, close the frontmatter with `---`, and quote values that hold `: `.",
    use_instead="""
        ---
        name: reviewer
        description: "Reviews code: style and bugs"
        ---""",
    source=f"{facts.DOCS}#file-format; {facts.LOADER}", **APPLIES)

UNKNOWN_KEY = rule(
    "AGT801", "gemini-unknown-key", Severity.ERROR,
    "Gemini CLI refuses an agent with a key it does not define",
    what="""
        Finds frontmatter keys that Gemini CLI's agent schema does not define (the local
        schema's keys for a local agent, the remote schema's for `kind: remote`), with the key
        you probably meant.""",
    why="""
        The schema is strict (`.strict()`): one unknown key, such as Claude Code's `maxTurns`
        or `permissionMode`, makes Gemini CLI refuse the whole agent.""",
    example="""
        ---
        name: reviewer
        description: Reviews code.
        maxTurns: 10
        ---""",
    how_to_fix="""
        Rename the key to Gemini CLI's (the fix offers it: `maxTurns` -> `max_turns`; never a
        safe fix, since it changes whether Gemini CLI loads the agent at all) or remove it. A file shared with Claude Code cannot hold both tools' keys; keep one copy per tool.""",
    use_instead="""
        ---
        name: reviewer
        description: Reviews code.
        max_turns: 10
        ---""",
    source=f"{facts.DOCS}#configuration-schema; {facts.LOADER} (`localAgentSchema`, `.strict()`)",
    fixable="unsafe", **APPLIES)

WRONG_TYPE = rule(
    "AGT802", "gemini-wrong-type", Severity.ERROR,
    "Gemini CLI refuses this value",
    what="""
        Checks each value against Gemini CLI's schema: strings, `kind` (`local` or `remote`),
        `tools` as a YAML list of strings, `temperature` a number, `max_turns` and
        `timeout_mins` positive integers, `mcp_servers` a mapping.""",
    why="""
        A value the schema rejects fails validation and the agent is not loaded. The usual
        case is a Claude Code habit: `tools: read_file, glob` is a string, and Gemini CLI needs
        a list ("Expected array, received string").""",
    example="""
        ---
        name: reviewer
        description: Reviews code.
        tools: read_file, grep_search
        ---""",
    how_to_fix="Write the value with the documented type; for `tools`, a YAML list.",
    use_instead="""
        ---
        name: reviewer
        description: Reviews code.
        tools: [read_file, grep_search]
        ---""",
    source=f"{facts.DOCS}#configuration-schema; {facts.LOADER}", fixable="unsafe", **APPLIES)

MISSING_KEY = rule(
    "AGT803", "gemini-missing-key", Severity.ERROR,
    "Gemini CLI needs this key",
    what="""
        Finds a Gemini CLI agent without `name`, a local agent without a non-empty
        `description`, and a remote agent without `agent_card_url`.""",
    why="These keys are required by the schema; without them Gemini CLI does not load the agent.",
    example="""
        ---
        name: reviewer
        ---""",
    how_to_fix="Add the key the message names.",
    use_instead="""
        ---
        name: reviewer
        description: Reviews code for bugs. Use after every change.
        ---""",
    source=f"{facts.DOCS}#configuration-schema", **APPLIES)

NAME_FORMAT = rule(
    "AGT804", "gemini-name-format", Severity.ERROR,
    "Gemini CLI agent names are slugs",
    what="Finds a `name` with characters other than lowercase letters, digits, `-` and `_`.",
    why="""
        The name becomes the tool the main agent calls; Gemini CLI refuses any other name
        ("Name must be a valid slug").""",
    example="""
        ---
        name: Code Reviewer
        description: Reviews code.
        ---""",
    how_to_fix="Use lowercase letters, digits, `-` and `_` (the fix offers a slug of the name).",
    use_instead="""
        ---
        name: code-reviewer
        description: Reviews code.
        ---""",
    source=f"{facts.DOCS}#configuration-schema", fixable="unsafe", **APPLIES)

UNKNOWN_TOOL = rule(
    "AGT805", "gemini-unknown-tool", Severity.ERROR,
    "Gemini CLI refuses an agent with a tool name it does not know",
    what="""
        Checks each entry of `tools` against Gemini CLI's tool names: the built-in tools
        (`read_file`, `grep_search`, `run_shell_command`...), the wildcards `*`, `mcp_*` and
        `mcp_<server>_*`, MCP tools `mcp_<server>_<tool>` and discovered tools.""",
    why="""
        Each name is validated (`isValidToolName`), and one invalid name makes Gemini CLI
        refuse the agent ("Invalid tool name"). Claude Code's names (`Read`, `Bash`) and its MCP
        form `mcp__server__tool` are not Gemini CLI's.""",
    example="""
        ---
        name: reviewer
        description: Reviews code.
        tools: [Read, grep_search]
        ---""",
    how_to_fix="""
        Use Gemini CLI's name (the message names the equivalent of a Claude Code tool), or add
        a name of a newer Gemini CLI to `extend-tools` in the configuration.""",
    use_instead="""
        ---
        name: reviewer
        description: Reviews code.
        tools: [read_file, grep_search]
        ---""",
    source=f"{facts.TOOL_NAMES} (`isValidToolName`); {facts.DOCS}#tool-wildcards",
    fixable="unsafe", **APPLIES,
    severity_note="""
        An error because the loader refuses the agent. The tool list is that of Gemini CLI's
        sources of 2026-05 (0.40); a tool added since is accepted once listed in `extend-tools`.
        So that a newer Gemini CLI is never blocked, a `snake_case` name that is no near miss
        of a known tool (perhaps a tool added since) is a warning, not an error; Claude Code's
        names, its MCP form, subagent names and typos of known tools stay errors.""")

TEMPERATURE = rule(
    "AGT806", "gemini-temperature-range", Severity.WARNING,
    "Temperature outside 0.0-2.0",
    what="Finds a `temperature` below 0 or above 2.",
    why="""
        The documented range is 0.0 to 2.0. The loader takes any number, so the agent loads,
        but the model API refuses the request when the agent runs.""",
    example="""
        ---
        name: reviewer
        description: Reviews code.
        temperature: 5
        ---""",
    how_to_fix="Use a temperature from 0.0 (focused) to 2.0 (varied); the default is 1.",
    source=f"{facts.DOCS}#configuration-schema", **APPLIES,
    severity_note="A warning: the agent loads; the failure comes when it runs.")

MCP_SPELLING = rule(
    "AGT807", "gemini-mcp-servers-spelling", Severity.WARNING,
    "`mcpServers` is refused by Gemini CLI's loader",
    what="Finds `mcpServers` in a Gemini CLI agent.",
    why="""
        The subagents page writes `mcpServers`, but the loader's strict schema (Gemini CLI
        0.40, 2026-03 to 2026-05) defines `mcp_servers`: with `mcpServers` the agent is refused
        as having an unknown key.""",
    example="""
        ---
        name: reviewer
        description: Reviews code.
        mcpServers:
          my-server:
            command: node
        ---""",
    how_to_fix="Write `mcp_servers` (the fix renames it).",
    source=f"{facts.DOCS}#configuring-isolated-tools-and-servers; {facts.LOADER} (`mcp_servers`)",
    fixable="unsafe", **APPLIES,
    severity_note="""
        A warning, not an error: the documentation and the loader disagree, and a later
        loader may accept the documented spelling.""")


@check(FRONTMATTER)
def frontmatter(doc: Document, ctx: Context):
    problem = fmt.frontmatter_problem(doc, required=True, strict=True)
    if problem is not None and not _remote_list(doc):
        what, span = problem
        yield FRONTMATTER.at(span, f"{SKIPPED}: {what}")


def _remote_list(doc: Document) -> bool:
    """The frontmatter is a YAML list: Gemini CLI reads it as a list of remote agents."""
    fm = doc.frontmatter
    return fm is not None and fm.not_mapping is not None and fm.not_mapping.kind == "seq"


def _remote(doc: Document) -> bool:
    kind = doc.scalar("kind")
    return kind == "remote" or kind is None and "agent_card_url" in doc.entries


@check(UNKNOWN_KEY, MCP_SPELLING)
def keys(doc: Document, ctx: Context):
    remote = _remote(doc)
    allowed = facts.REMOTE_KEYS if remote else facts.LOCAL_KEYS
    fields = {k: f for k, f in facts.AGENT_FIELDS.items() if k in allowed}
    foreign = {k: v for k, v in facts.FOREIGN_KEYS.items() if not v or v in fields}
    extra = ctx.extensions.keys | ({facts.DOCUMENTED_MCP_KEY} if not remote else set())
    for entry, best, fix in fmt.unknown_keys(doc, fields, extra, foreign, safe_renames=False):
        if entry.key in facts.AGENT_FIELDS:  # the other kind's key
            which = "a remote" if remote else "a local"
            yield UNKNOWN_KEY.at(entry.key_span, f"`{entry.key}` is not a key of {which} agent: "
                                                 f"{SKIPPED}", fix=fix)
            continue
        yield UNKNOWN_KEY.at(entry.key_span, f"Unknown key `{entry.key}`: {SKIPPED} (its schema is strict)"
                             + suggestion(best), fix=fix)
    entry = doc.get(facts.DOCUMENTED_MCP_KEY)
    if entry is not None and not remote:
        fix = None if "mcp_servers" in doc.entries else Fix(
            "Rename to `mcp_servers`", (Edit(entry.key_span, "mcp_servers"),), safe=False)
        yield MCP_SPELLING.at(entry.key_span, "`mcpServers` is the documented spelling, but Gemini CLI's loader "
                                              "reads `mcp_servers` and refuses other keys", fix=fix)


@check(WRONG_TYPE, MISSING_KEY, NAME_FORMAT, TEMPERATURE)
def values(doc: Document, ctx: Context):
    if doc.frontmatter is None or fmt.frontmatter_problem(doc, required=True, strict=True):
        return  # unreadable (AGT800), or a list of remote agents (not checked further)
    remote = _remote(doc)
    for entry in fmt.entries(doc):
        field = facts.AGENT_FIELDS.get(entry.key)
        if field is None:
            continue
        if fmt.is_null(entry):
            if entry.key not in {"name", "description"}:
                yield WRONG_TYPE.at(entry.key_span, f"`{entry.key}` has no value (null): {SKIPPED}")
            continue
        node = entry.value
        problem = fmt.type_problem(node, field, yaml12=True)
        if entry.key == "tools" and node.is_str:
            items = [p.strip() for p in node.value.split(",") if p.strip()]
            flow = "[" + ", ".join(items) + "]"
            fix = Fix("Write the tools as a YAML list", (Edit(node.span, flow),), safe=False) if (
                node.style is None and items) else None
            yield WRONG_TYPE.at(node.span, f"`tools` must be a YAML list, not a comma-separated string: "
                                           f"{SKIPPED} (write `tools: {flow}`)", fix=fix)
            continue
        if problem is not None:
            yield WRONG_TYPE.at(node.span, f"{problem}: {SKIPPED}")
            continue
        if entry.key == "kind" and node.value not in {"local", "remote"}:
            yield WRONG_TYPE.at(node.span, f"`kind` must be `local` or `remote`, not `{node.value}`: {SKIPPED}"
                                + suggestion(did_you_mean(node.value, ["local", "remote"])))
        elif entry.key == "name" and not facts.NAME_PATTERN.fullmatch(node.value):
            slug = _slug(node.value)
            fix = Fix(f"Rename to `{slug}`", (Edit(node.span, slug),), safe=False) if slug and node.style is None else None
            yield NAME_FORMAT.at(node.span, f"`{node.value}` is not a slug (lowercase letters, digits, `-`, `_`): "
                                            f"{SKIPPED}", fix=fix)
        elif entry.key == "temperature":
            value = fmt.number_of(node)
            low, high = facts.TEMPERATURE_RANGE
            if value is not None and not low <= value <= high:
                yield TEMPERATURE.at(node.span, f"`temperature: {node.value}` is outside {low}-{high}: the model "
                                                "API refuses it when the agent runs")
        elif entry.key == "description" and not node.value.strip() and not remote:
            yield MISSING_KEY.at(node.span, f"`description` is empty: {SKIPPED}")
    span = doc.frontmatter.open_fence
    for key in ("name",) + (("agent_card_url",) if remote else ("description",)):
        entry = doc.get(key)
        if entry is None or fmt.is_null(entry):
            at = entry.key_span if entry is not None else span
            yield MISSING_KEY.at(at, f"`{key}` is required: {SKIPPED}")


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9_-]+", "-", text.strip().lower()).strip("-")


@check(UNKNOWN_TOOL)
def tools(doc: Document, ctx: Context):
    entry = doc.get("tools")
    if entry is None or entry.value is None or entry.value.kind != "seq" or _remote(doc):
        return
    for item in entry.value.items:
        if not item.is_str:
            continue
        name = item.value
        if facts.tool_status(name) is not None or name in ctx.extensions.tools:
            continue
        if _maybe_newer(name):
            yield UNKNOWN_TOOL.at(item.span, f"`{name}` is not among the tools of Gemini CLI 0.40 (2026-05), "
                                  "which refuses the agent; if a newer Gemini CLI has it, add it to "
                                  "`extend-tools`", severity=Severity.WARNING)
            continue
        yield UNKNOWN_TOOL.at(item.span, _unknown_tool_message(name), fix=_tool_fix(item, name))


_GEMINI_SHAPED = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")


def _maybe_newer(name: str) -> bool:
    """A name written as Gemini CLI writes its tools (`snake_case`, not a Claude Code name,
    not an MCP or subagent name, not a near miss of a known tool): perhaps a newer tool."""
    return (_GEMINI_SHAPED.fullmatch(name) is not None and not name.startswith("mcp_")
            and name not in facts.BUILTIN_AGENTS and _gemini_for(name) is None)


def _gemini_for(name: str) -> str | None:
    """The Gemini CLI tool for a Claude Code tool name (or a near miss of a Gemini name)."""
    for gemini, (_, claude) in facts.TOOLS.items():
        if claude == name:
            return gemini
    if name.startswith("mcp__"):
        server, _, tool = name[5:].partition("__")
        if server and "_" not in server:
            return f"mcp_{server}_{tool or '*'}"
        return None
    return did_you_mean(name, list(facts.TOOLS) + list(facts.LEGACY_TOOLS) + list(facts.WILDCARDS))


def _unknown_tool_message(name: str) -> str:
    if name in facts.BUILTIN_AGENTS:
        return f"`{name}` is a subagent, not a tool (subagents cannot call subagents): {SKIPPED}"
    instead = _gemini_for(name)
    if name.startswith("mcp__"):
        hint = " (Gemini CLI writes MCP tools `mcp_<server>_<tool>`" + (f": `{instead}`)" if instead else ")")
        return f"`{name}` is Claude Code's MCP form{hint}: {SKIPPED}"
    if instead is not None and any(claude == name for _, claude in facts.TOOLS.values()):
        return f"`{name}` is a Claude Code tool; Gemini CLI's is `{instead}`: {SKIPPED}"
    return f"Unknown tool `{name}`: {SKIPPED}" + suggestion(instead)


def _tool_fix(item, name: str) -> Fix | None:
    instead = _gemini_for(name)
    if instead is None or item.style is not None and item.style not in {"'", '"'}:
        return None
    span = item.span if item.style is None else type(item.span)(item.span.start + 1, item.span.end - 1)
    return Fix(f"Replace with `{instead}`", (Edit(span, instead),), safe=False)
