"""`tools` and `disallowedTools` (and a skill's `allowed-tools`): names, patterns, overlaps."""

from __future__ import annotations

import functools
import re

from agentls.core.document import Document, Entry
from agentls.core.text import Span
from agentls.core.yamlnodes import YNode
from agentls.facts import KINDS
from agentls.facts.toolgrammar import MCP_ALL, Item, base_name, is_mcp, looks_mcp, split_node
from agentls.facts.tools import (
    BACKGROUND_DEFAULT_SINCE,
    NAMED_ONLY_TOOLS,
    OLD_TOOLS,
    OLDER_MODEL_TOOLS,
    SPECIFIER_TOOLS,
    TOOLS,
    VOCABULARIES,
    VOCABULARY_SOURCES,
    VOCABULARY_TARGETS,
    ForeignTool,
    OldTool,
    foreign_tool,
)
from agentls.facts.versions import CC_SUB, CC_TOOLS
from agentls.rules._util import suggestion
from agentls.rules.context import Context
from agentls.rules.registry import DEPRECATED, Edit, Finding, Fix, Severity, check, rule

F = "tools"
ALL = KINDS
TOOL_KEYS = {"agent": ("tools", "disallowedTools"), "skill": ("allowed-tools", "disallowed-tools"),
             "command": ("allowed-tools", "disallowed-tools")}

UNKNOWN_TOOL = rule(
    "AGT400", "unknown-tool", Severity.WARNING,
    "Unknown tool",
    what="Checks every entry of `tools` and `disallowedTools` against Claude Code's tool names.",
    why="""
        Claude Code drops names it does not know without a word. If no entry resolves, it
        refuses to launch the agent ("would be spawned with zero tools"), so a typo such as
        `Grepp` either loses a tool or breaks the agent.""",
    example="""
        ---
        tools: Read, Grepp
        ---""",
    how_to_fix="""
        Use the exact tool name (names are case-sensitive). The fix offers the closest
        Claude Code name: safe for a plain typo (`Grepp` -> `Grep`); unsafe when the name differs
        only in case (`webFetch`) or is another tool's name (`fetch` in VS Code, `read_file` and
        `web_fetch` in Gemini CLI, `glob` in OpenCode), because such a file was probably
        written for that tool, where the name works and Claude Code's does not.

        When no entry resolves and every entry is another tool's name (a GitHub Copilot, VS
        Code, Gemini CLI or OpenCode agent in a Claude Code folder), there is one finding for
        the whole list, naming the vocabulary, instead of one per entry; its fix (Claude
        Code's names for each entry, where each has exactly one) is never safe: move the file
        to the folder of the tool it was written for if that is what it is.""",
    use_instead="""
        ---
        tools: Read, Grep
        ---""",
    source="https://code.claude.com/docs/en/tools-reference; https://code.claude.com/docs/en/errors; "
           "other vocabularies: " + "; ".join(f"{v}: {u}" for v, u in VOCABULARY_SOURCES.items()),
    fixable="sometimes", kinds=ALL, family=F,
    severity_note="An error when no entry resolves (Claude Code refuses to launch the agent), else a warning.",
)

DEPRECATED_TOOL = rule(
    "AGT401", "deprecated-tool", Severity.WARNING,
    "Deprecated tool name",
    what="Finds tool names that still work as aliases of a renamed tool (`Task` is now `Agent`).",
    why="Aliases are kept for compatibility and may go away; the current name is what the docs and hooks use.",
    example="""
        ---
        tools: Read, Task
        ---""",
    how_to_fix="Use the current name.",
    use_instead="""
        ---
        tools: Read, Agent
        ---""",
    source="https://code.claude.com/docs/en/sub-agents (Task renamed Agent in v2.1.63)",
    fixable="safe", kinds=ALL, family=F, tags=(DEPRECATED,),
)

REMOVED_TOOL = rule(
    "AGT402", "removed-tool", Severity.WARNING,
    "Tool no longer exists",
    what="Finds tools Claude Code has removed (`LS`, `MultiEdit`, `NotebookRead`, `KillShell`...).",
    why="A removed tool is silently ignored, so the agent lacks the capability the list suggests.",
    example="""
        ---
        tools: Read, MultiEdit, LS
        ---""",
    how_to_fix="""
        Use the replacement the message names, or remove the entry. Removing an entry Claude
        Code ignores is a safe fix (none is offered when it would empty `tools`, which gives
        the agent every tool); writing the replacement gives the agent a tool it does not
        have today, so that fix is unsafe.""",
    use_instead="""
        ---
        tools: Read, Edit, Glob
        ---""",
    source="https://code.claude.com/docs/en/tools-reference and the changelog",
    fixable="sometimes", kinds=ALL, family=F, tags=(DEPRECATED,),
    severity_note="""
        A warning: the agent still loads, it only lacks the tool. An error when no entry of
        `tools` resolves (Claude Code refuses to launch the agent).""",
)

SPECIFIER_IGNORED = rule(
    "AGT403", "tool-specifier-ignored", Severity.WARNING,
    "A subagent's `tools` ignores permission patterns such as `Bash(git:*)`",
    what="Finds `Tool(pattern)` entries other than `Agent(...)` in an agent's `tools` and `disallowedTools`.",
    why="""
        In a subagent's `tools`, `Bash(git diff:*)` is silently reduced to `Bash`: the agent
        can run *any* command, which is the opposite of what the pattern suggests. In
        `disallowedTools` the pattern removes the whole tool: `Bash(git push *)` leaves the
        agent no `Bash` at all, so it can run no command. Patterns work in permission rules
        (settings) and in a skill's `allowed-tools`, not here.""",
    example="""
        ---
        tools: Read, Bash(git diff:*)
        ---""",
    how_to_fix="""
        List the bare tool, and restrict commands with permission rules in
        `.claude/settings.json` (`permissions.allow` / `deny`) or a PreToolUse hook.""",
    use_instead="""
        ---
        tools: Read, Bash
        ---""",
    source="anthropics/claude-code#61651, #95002; " + CC_SUB + " (disallowedTools, 2026-09-16)", family=F,
)

IN_BOTH = rule(
    "AGT404", "tool-allowed-and-disallowed", Severity.WARNING,
    "Tool is in both `tools` and `disallowedTools`",
    what="Finds a tool listed in both `tools` and `disallowedTools`.",
    why="`disallowedTools` is applied first, so the tool is removed; listing it in `tools` misleads readers.",
    example="""
        ---
        tools: Read, Bash
        disallowedTools: Bash
        ---""",
    how_to_fix="Remove it from one of the lists.",
    kinds=ALL, family=F,
)

DUPLICATE_TOOL = rule(
    "AGT405", "duplicate-tool", Severity.WARNING,
    "Tool listed twice",
    what="Finds a tool that appears twice in the same list.",
    why="Harmless to Claude Code but usually a merge leftover; with `Agent(...)` entries the last one wins.",
    example="""
        ---
        tools: Read, Grep, Read
        ---""",
    how_to_fix="Remove the repeated entry.",
    fixable="safe", kinds=ALL, family=F,
)

BAD_MCP = rule(
    "AGT406", "malformed-mcp-tool", Severity.WARNING,
    "Malformed MCP tool name",
    what="Checks MCP tool names: `mcp__server`, `mcp__server__*` or `mcp__server__tool` (two underscores).",
    why="A name such as `mcp_github_create_issue` matches no tool, so the agent silently lacks it.",
    example="""
        ---
        tools: mcp_github_create_issue
        ---""",
    how_to_fix="Use `mcp__<server>__<tool>` with double underscores.",
    use_instead="""
        ---
        tools: mcp__github__create_issue
        ---""",
    source="https://code.claude.com/docs/en/permissions (MCP)", fixable="unsafe", kinds=ALL, family=F,
)

NOT_FOR_SUBAGENTS = rule(
    "AGT407", "tool-unavailable-to-subagents", Severity.WARNING,
    "Tool is never available to subagents",
    what="Finds tools Claude Code never gives a subagent (`AskUserQuestion`, `EnterPlanMode`, `TaskOutput`...).",
    why="Listing them has no effect; the agent cannot ask the user or change modes.",
    example="""
        ---
        tools: Read, AskUserQuestion
        ---""",
    how_to_fix="Remove the tool; have the agent return its question to the main conversation instead.",
    source="https://code.claude.com/docs/en/tools-reference", family=F,
)

STAR_AMONG_NAMES = rule(
    "AGT408", "tools-star-among-names", Severity.WARNING,
    "`*` among other tools: Claude Code treats the whole list as all tools",
    what="Finds `*` in an agent's `tools` next to other names.",
    why="""
        When any entry of `tools` is `*`, Claude Code's loader drops the list and the agent
        gets every tool, so the other names restrict nothing. `tools: '*'` on its own (or no
        `tools` at all) says the same thing plainly.""",
    example="""
        ---
        tools: Read, Grep, *
        ---""",
    how_to_fix="Remove `*` to give the agent only the tools listed, or write `tools: '*'` (or omit `tools`).",
    use_instead="""
        ---
        tools: Read, Grep
        ---""",
    source="Claude Code's agent loader (agent SDK 0.3.278: an entry `*` makes the tool list undefined)",
    family=F,
    severity_note="A warning: the agent loads, with more tools than the list suggests.",
)

ONLY_SEARCH = rule(
    "AGT409", "tools-only-search", Severity.INFO,
    "`tools` lists only `Glob`/`Grep`, which Claude Code offers only because they are named",
    what="Finds an agent whose `tools` are only `Glob` and `Grep`.",
    why="""
        `Glob` and `Grep` are absent by default on macOS, Linux and WSL (Claude Code searches
        with its own built-in commands there) and are restored when a subagent's `tools`
        names them. An agent with only these two relies on that, and can find files and lines
        but cannot read a file.""",
    example="""
        ---
        tools: Glob, Grep
        ---""",
    how_to_fix="Add `Read` (and whatever else the agent needs), or keep the list if finding is all it does.",
    use_instead="""
        ---
        tools: Glob, Grep, Read
        ---""",
    source=CC_TOOLS + " (Glob and Grep: absent by default on macOS, Linux and WSL)", family=F,
    severity_note="Information: the agent works; the finding explains what the list relies on.",
)

ONLY_TASK_TOOLS = rule(
    "AGT410", "tools-only-task-tools", Severity.WARNING,
    "`tools` lists only task tools, which Claude 5 models are not offered",
    what="Finds an agent whose `tools` are only `TaskCreate`, `TaskGet`, `TaskList`, `TaskUpdate` and `TodoWrite`.",
    why="""
        Claude Code offers the task tools by default only on older models (Claude 3.x, Opus
        4 to 4.7, Sonnet 4 to 4.6, Haiku 4.5; v2.1.233). On Claude 5 models a list of only these
        matches no tool, and Claude Code refuses to launch an agent with zero tools.""",
    example="""
        ---
        tools: TaskCreate, TaskUpdate, TodoWrite
        ---""",
    how_to_fix="""
        Add the tools the agent works with (`Read`...), or pin an older model with `model:`.
        `CLAUDE_CODE_ENABLE_TODO_TOOLS=1` turns the task tools on for newer models.""",
    use_instead="""
        ---
        tools: TaskCreate, TaskUpdate, Read
        ---""",
    source=CC_TOOLS + " (TaskCreate...: default only on older models); changelog 2.1.233", family=F,
    severity_note="""
        A warning, not an error: on an older model (a pinned `model:` such as `claude-sonnet-4-5`,
        which silences it) or with the environment variable the agent launches.""",
)

ONLY_FOREGROUND = rule(
    "AGT411", "tools-only-foreground", Severity.ERROR,
    "`tools` lists only foreground tools, so a background agent gets none",
    what="Finds an agent with `background: true` whose `tools` are all tools a background subagent loses (`LSP`...).",
    why=f"""
        A subagent in the background keeps only a fixed set of built-in tools (`Read`, `Grep`,
        `Glob`, `Bash`, `Edit`, `Write`, `WebFetch`, `Skill`... and every MCP tool). If none of
        its `tools` is in that set, it has zero tools and Claude Code refuses to launch it
        (background subagents are the default since v{BACKGROUND_DEFAULT_SINCE}).""",
    example="""
        ---
        tools: LSP
        background: true
        ---""",
    how_to_fix="Add a tool a background agent keeps (`Read`...), or drop `background: true`.",
    use_instead="""
        ---
        tools: LSP, Read
        background: true
        ---""",
    source=CC_SUB + " (background subagents; the docs' example is `LSP`, 2026-09-16)", family=F,
)


def _replace(item: Item, new: str, title: str, safe: bool = True) -> Fix | None:
    if len(item.span) != len(item.text):
        return None  # the item's own text was not located (escapes): never rewrite the whole value
    return Fix(title, (Edit(item.span, new),), safe)


class _ListFacts:
    """What fixes ask of a whole list, worked out once per list: asking it again for each
    entry made a list of thousands of repeated or removed tools quadratic."""

    __slots__ = ("doc", "items", "_lines", "_bases")

    def __init__(self, doc: Document, items: list[Item]) -> None:
        self.doc, self.items = doc, items
        self._lines: dict[int, int] | None = None
        self._bases: set[str] | None = None

    def shares_line(self, line: int) -> bool:
        """Whether more than one entry starts on ``line``."""
        if self._lines is None:
            self._lines = {}
            for o in self.items:
                at = self.doc.index.line_of(o.span.start)
                self._lines[at] = self._lines.get(at, 0) + 1
        return self._lines.get(line, 0) > 1

    def lists(self, base: str) -> bool:
        """Whether an entry names the tool ``base`` (with or without a specifier)."""
        if self._bases is None:
            self._bases = {base_name(o.text)[0] for o in self.items}
        return base in self._bases


def _remove_item(doc: Document, node: YNode, items: list[Item], i: int,
                 facts: _ListFacts | None = None) -> Fix | None:
    item = items[i]
    if node.kind == "seq" and not doc.slice(node.span).lstrip().startswith("["):
        # A block list: remove the whole ``- Tool`` line.
        line = doc.index.line_of(item.span.start)
        if (facts or _ListFacts(doc, items)).shares_line(line):
            return None
        start = doc.index.line_start(line)
        end = doc.index.line_start(line + 1)
        return Fix(f"Remove `{item.text}`", (Edit(Span(start, end), ""),))
    if item.span == node.span or len(item.span) != len(item.text):
        return None
    if i + 1 < len(items) and items[i + 1].span != node.span:
        span = Span(item.span.start, items[i + 1].span.start)
    elif i > 0 and items[i - 1].span != node.span:
        span = Span(items[i - 1].span.end, item.span.end)
    else:
        return None
    between = doc.slice(span)
    if node.kind == "seq" and "\n" in between:
        return None
    return Fix(f"Remove `{item.text}`", (Edit(span, ""),))


# Did-you-mean costs a fuzzy match per name; past this many unknown tools in one list (a
# generated or hostile file: 512 KiB of them took seconds) the rest get no suggestion.
MAX_SUGGESTIONS = 100


@functools.lru_cache(maxsize=1024)  # the same typo is looked up on every keystroke
def close_tools(word: str, extra: frozenset[str]) -> tuple[str, ...]:
    import difflib

    names = list(TOOLS) + sorted(extra)
    lowered = {n.lower(): n for n in names}
    if word.lower() in lowered:
        return (lowered[word.lower()],)
    return tuple(lowered[m] for m in difflib.get_close_matches(word.lower(), list(lowered), n=3, cutoff=0.75))


@check(UNKNOWN_TOOL, DEPRECATED_TOOL, REMOVED_TOOL, SPECIFIER_IGNORED, IN_BOTH, DUPLICATE_TOOL,
       BAD_MCP, NOT_FOR_SUBAGENTS, STAR_AMONG_NAMES, ONLY_SEARCH, ONLY_TASK_TOOLS, ONLY_FOREGROUND)
def tools(doc: Document, ctx: Context):
    keys = TOOL_KEYS.get(ctx.kind, TOOL_KEYS["agent"])
    lists: dict[str, list[tuple[Item, str]]] = {}
    for key in keys:
        entry = doc.get(key)
        if entry is None or entry.value is None:
            continue
        found = list(_check_list(doc, ctx, entry, key, lists))
        yield from found
    allowed, denied = (lists.get(k, []) for k in keys)
    denied_names = {name for _, name in denied}
    for item, name in allowed:
        if name in denied_names:
            yield IN_BOTH.at(item.span, f"`{name}` is in both `{keys[0]}` and `{keys[1]}`: "
                                        f"`{keys[1]}` wins and the tool is removed")


def _check_list(doc: Document, ctx: Context, entry: Entry, key: str, lists: dict):
    node = entry.value
    assert node is not None
    agent = ctx.kind == "agent"
    allow_list = key in {"tools", "allowed-tools"}
    items = split_node(doc, node, spaces=not agent)
    resolved = 0
    unresolved: list[Finding] = []  # unknown and removed names
    lists_resolve = sum(_resolves(ctx, it.text) for it in items) > 0
    facts = _ListFacts(doc, items)
    unknown_count = 0
    seen: dict[str, Item] = {}
    names: list[tuple[Item, str]] = []
    star: Item | None = None
    builtins: list[str] = []  # the Claude Code tools the list resolves to (None: something else too)
    others = False  # MCP names, `*`, added tools: the list resolves to more than built-ins
    foreign: list[tuple[Item, ForeignTool]] = []
    for i, item in enumerate(items):
        text = item.text
        base, spec = base_name(text)
        if text in seen:
            yield DUPLICATE_TOOL.at(item.span, f"`{text}` is listed twice in `{key}`",
                                    fix=_remove_item(doc, node, items, i, facts))
            continue
        seen[text] = item
        if looks_mcp(text):
            if is_mcp(text):
                resolved += 1
                others = True
                names.append((item, text))
                if text == MCP_ALL and allow_list and agent:
                    yield BAD_MCP.at(item.span, "`mcp__*` only works in `disallowedTools`; "
                                                "in `tools` list the servers (`mcp__github`)")
                continue
            fixed = _mcp_fix(text)
            yield BAD_MCP.at(item.span, f"`{text}` is not an MCP tool name: use `mcp__<server>__<tool>`"
                             + (f" (`{fixed}`?)" if fixed else ""),
                             fix=_replace(item, fixed, f"Replace with `{fixed}`", safe=False) if fixed else None)
            continue
        if text == "*":
            resolved += 1
            star, others = item, True
            continue
        names.append((item, text))
        if spec is not None and agent and base not in SPECIFIER_TOOLS:
            if allow_list:
                message = (f"`{text}` in a subagent's `{key}` is silently reduced to `{base}`"
                           + (": the agent may run any command" if base in {"Bash", "PowerShell"} else
                              ": the pattern restricts nothing")
                           + "; restrict it with permission rules in settings instead")
            else:
                message = (f"`{text}` in a subagent's `{key}` removes the whole `{base}` tool"
                           + (": the agent can run no command" if base in {"Bash", "PowerShell"} else
                              ", not only the uses the pattern matches")
                           + "; deny the pattern with permission rules in settings instead")
            yield SPECIFIER_IGNORED.at(item.span, message)
        if base in TOOLS or base in ctx.extensions.tools:
            resolved += 1
            if base in TOOLS:
                builtins.append(base)
            else:
                others = True
            tool = TOOLS.get(base)
            if agent and allow_list and tool is not None and not tool.subagents:
                yield NOT_FOR_SUBAGENTS.at(item.span, f"`{base}` is never available to subagents; listing it has no effect")
            continue
        old = OLD_TOOLS.get(base)
        if old is not None:
            target = old.replacement
            if old.status == "alias":
                resolved += 1
                others = True
                new = text.replace(base, target, 1) if target else None
                yield DEPRECATED_TOOL.at(item.span, f"`{base}` is deprecated ({old.history}); use `{target}`",
                                         fix=_replace(item, new, f"Replace with `{new}`") if new else None)
            else:
                unresolved.append(_removed(doc, node, items, i, old, agent, allow_list, lists_resolve, facts))
            continue
        unknown_count += 1
        found = foreign_tool(base) if spec is None else None
        if found is not None:
            foreign.append((item, found))
        unresolved.append(_unknown(ctx, item, base, spec, agent and allow_list,
                                   suggest=unknown_count <= MAX_SUGGESTIONS))
    if agent and allow_list and star is not None and len(items) > 1:
        yield STAR_AMONG_NAMES.at(star.span, f"`*` among other tools in `{key}`: Claude Code treats the whole "
                                             "list as all tools, so the other names restrict nothing")
    if agent and allow_list and not unresolved and builtins and not others:
        yield from _only(doc, entry, key, builtins)
    if unresolved and resolved == 0 and agent and allow_list and len(foreign) == len(unresolved) > 1:
        yield _foreign_list(doc, entry, key, foreign)
        lists[key] = names
        return
    if unresolved and resolved == 0 and agent and allow_list:
        for f in unresolved:
            f.severity = Severity.ERROR
            f.message += ("" if f.message.endswith("?") else ".") + (
                f" No entry of `{key}` resolves, so Claude Code refuses to launch the agent")
    yield from unresolved
    lists[key] = names


_OLDER_MODEL = re.compile(r"(?:.*\.)?claude-(?:3|(?:opus|sonnet|haiku)-4(?!-[89]))", re.IGNORECASE)


def _only(doc: Document, entry: Entry, key: str, builtins: list[str]):
    """AGT409-AGT411: a list of only built-in tools of one kind."""
    assert entry.value is not None
    span = entry.value.span
    names = set(builtins)
    if names <= NAMED_ONLY_TOOLS:
        yield ONLY_SEARCH.at(span, f"`{key}` lists only {_names(tuple(sorted(names)))}: they are absent by default "
                                   "on macOS, Linux and WSL and offered only because they are named here; "
                                   "the agent cannot read a file (add `Read`)")
        return
    if names <= OLDER_MODEL_TOOLS:
        model = doc.get("model")
        value = model.value.value if model is not None and model.value is not None and model.value.is_str else ""
        if not _OLDER_MODEL.match(value):
            yield ONLY_TASK_TOOLS.at(span, f"`{key}` lists only task tools: on Claude 5 models they are not "
                                           "offered, so the list matches no tool and Claude Code refuses to "
                                           "launch the agent")
        return
    background = doc.get("background")
    value = background.value if background is not None else None
    if value is not None and value.kind == "scalar" and value.value.lower() == "true" \
            and not any(TOOLS[n].background for n in names):
        yield ONLY_FOREGROUND.at(span, f"`{key}` lists only tools a background subagent loses "
                                       f"({_names(tuple(sorted(names)))}): with `background: true` the agent "
                                       "has zero tools and Claude Code refuses to launch it in the background")


def _foreign_list(doc: Document, entry: Entry, key: str, foreign: list[tuple[Item, ForeignTool]]) -> Finding:
    """Issue 14, part 5: a list written in another tool's vocabulary, said once for the list.

    The vocabularies named are the fewest that cover every entry (in :data:`VOCABULARIES`
    order); the fix, when each entry has exactly one Claude Code equivalent, is never safe:
    the file was probably written for that tool."""
    left = {id(item) for item, _ in foreign}
    chosen: list[str] = []
    while left:
        best = max(VOCABULARIES, key=lambda v: (sum(1 for item, f in foreign if id(item) in left
                                                    and v in f.vocabularies), -VOCABULARIES.index(v)))
        covered = {id(item) for item, f in foreign if id(item) in left and best in f.vocabularies}
        if not covered:
            break
        chosen.append(best)
        left -= covered
    whose = " and ".join(v for v in VOCABULARIES if v in chosen) or "other tools'"
    equivalents: list[str] = []
    for _, f in foreign:
        for t in f.claude:
            if t not in equivalents and TOOLS.get(t) is not None and TOOLS[t].subagents:
                equivalents.append(t)
    message = (f"No entry of `{key}` is a Claude Code tool: these are {whose} tool names; Claude Code "
               "refuses to launch an agent none of whose tools resolve")
    if equivalents:
        message += f". Claude Code's names: {', '.join(f'`{t}`' for t in equivalents)}"
    homes = list(dict.fromkeys(h for v in VOCABULARIES if v in chosen and (h := _home(v))))
    if homes:
        message += f"; a file for {whose} belongs in {' or '.join(homes)}"
    # Claude Code's name for each entry that has exactly one (and is not listed already).
    edits, listed = [], {item.text for item, _ in foreign}
    for item, f in foreign:
        if len(f.claude) == 1 and f.claude[0] not in listed and TOOLS.get(f.claude[0]) is not None \
                and TOOLS[f.claude[0]].subagents and item.located:
            listed.add(f.claude[0])
            edits.append(Edit(item.span, f.claude[0]))
    fix = Fix("Use Claude Code's tool names", tuple(edits), safe=False) if edits else None
    return UNKNOWN_TOOL.at(entry.key_span, message, severity=Severity.ERROR, fix=fix)


def _home(vocabulary: str) -> str | None:
    """Where that tool loads project agents from (``.github/agents/*.md``), from its target."""
    from agentls.facts.targets import TARGETS

    target = TARGETS.get(VOCABULARY_TARGETS.get(vocabulary, ""))
    place = next((p for p in target.places if p.kind == "agent" and p.scope == "project"), None) if target else None
    return f"`{place.pattern}`" if place is not None else None


def _resolves(ctx: Context, text: str) -> bool:
    """Whether Claude Code resolves the entry to a tool (the same tests as the loop above)."""
    if looks_mcp(text):
        return is_mcp(text)
    base = base_name(text)[0]
    return (text == "*" or base in TOOLS or base in ctx.extensions.tools
            or (base in OLD_TOOLS and OLD_TOOLS[base].status == "alias"))


def _removed(doc: Document, node: YNode, items: list[Item], i: int, old: OldTool, agent: bool,
             allow_list: bool, others_resolve: bool, facts: _ListFacts | None = None) -> Finding:
    """AGT402: say once what happened and what to do; fix only what keeps the tool set.

    Claude Code ignores the removed name, so removing the entry changes nothing, unless it
    empties an allow-list (no `tools` at all gives the agent every tool): then no removal.
    Writing the replacement gives the agent (or, in `disallowedTools`, takes away) a tool
    it does not have today: an unsafe fix.
    """
    item = items[i]
    base = base_name(item.text)[0]
    target = old.replacement
    message = f"`{base}` no longer exists" + (f" ({old.history})" if old.history else "") + " and is ignored"
    if agent and target in TOOLS and not TOOLS[target].subagents:
        message += f"; its successor `{target}` is never available to subagents, so remove it"
        target = None
    elif target is not None and (facts or _ListFacts(doc, items)).lists(target):
        message += f"; `{target}` is already listed, so remove it"
        target = None
    else:
        message += f"; {old.advice}"
    if target is not None:
        fix = _replace(item, target, f"Replace with `{target}`", safe=False)
    elif others_resolve or not allow_list:
        fix = _remove_item(doc, node, items, i, facts)
    else:
        fix = None
    return REMOVED_TOOL.at(item.span, message, fix=fix)


def _same_shape(word: str, name: str) -> bool:
    """A typo keeps the shape of Claude Code's names (`Grepp`, not `grepp` or `web_fetch`)."""
    def shape(w: str) -> tuple:
        return (w[:1].isupper(), len(w) > 1 and w.isupper(), "_" in w, "-" in w, "/" in w)
    return shape(word) == shape(name)


def _names(names: tuple[str, ...]) -> str:
    quoted = [f"`{n}`" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _unknown(ctx: Context, item: Item, base: str, spec: str | None, subagent_tools: bool,
             suggest: bool = True) -> Finding:
    """AGT400. A plain typo of a Claude Code name gets a safe fix; a name that differs only
    in case, or is another tool's name (`fetch`, `read_file`, `glob`), an unsafe one: the
    file was probably written for that tool, where the name works and the renamed one does not.
    """
    text = item.text
    foreign = foreign_tool(base)
    if foreign is not None:
        whose = " and ".join(f"{v}'s" for v in foreign.vocabularies)
        message = f"Unknown tool `{base}` ({whose} name)"
        equivalents = tuple(t for t in foreign.claude
                            if not (subagent_tools and t in TOOLS and not TOOLS[t].subagents))
        if len(equivalents) == 1:
            new = text.replace(base, equivalents[0], 1)
            return UNKNOWN_TOOL.at(item.span, message + f"; Claude Code's is `{equivalents[0]}`",
                                   fix=_replace(item, new, f"Replace with `{new}` (Claude Code's name)", safe=False))
        if equivalents:
            return UNKNOWN_TOOL.at(item.span, message + f"; Claude Code's closest are {_names(equivalents)}")
        if foreign.claude:
            return UNKNOWN_TOOL.at(item.span, message + f"; Claude Code's {_names(foreign.claude)} "
                                                        "is never available to subagents")
        return UNKNOWN_TOOL.at(item.span, message + ": Claude Code has no such tool")
    candidates = close_tools(base, ctx.extensions.tools) if suggest else ()
    if " " in base and not spec:
        return UNKNOWN_TOOL.at(item.span, f"Unknown tool `{base}`: separate tools with commas")
    if not candidates:
        return UNKNOWN_TOOL.at(item.span, f"Unknown tool `{base}`")
    best = candidates[0]
    new = text.replace(base, best, 1)
    if best.lower() == base.lower():
        return UNKNOWN_TOOL.at(item.span, f"Unknown tool `{base}`: tool names are case-sensitive; "
                                          f"Claude Code's is `{best}`",
                               fix=_replace(item, new, f"Replace with `{new}`", safe=False))
    safe = len(candidates) == 1 and _same_shape(base, best)
    return UNKNOWN_TOOL.at(item.span, f"Unknown tool `{base}`" + suggestion(best),
                           fix=_replace(item, new, f"Replace with `{new}`", safe=safe))


def _mcp_fix(text: str) -> str | None:
    m = re.fullmatch(r"mcp[_:]+([A-Za-z0-9-]+)[_:]+(\w[\w.-]*)", text)
    if m:
        return f"mcp__{m.group(1)}__{m.group(2)}"
    return None
