"""Rules across files: duplicate agent names, built-in names, skills nobody provides."""

from __future__ import annotations

from agentls.core.document import Document
from agentls.core.yamlnodes import STR
from agentls.facts.fields import BUILTIN_AGENTS
from agentls.facts.targets import Location, locate
from agentls.facts.toolgrammar import split_node
from agentls.rules.context import Context
from agentls.rules.index import normal_name
from agentls.rules.registry import Related, Severity, check, rule

F = "workspace"
# Related locations listed per duplicate-name finding; the message gives the full count.
MAX_RELATED = 10

DUPLICATE_NAME = rule(
    "AGT700", "duplicate-agent-name", Severity.WARNING,
    "Another agent has the same name",
    what="""
        Finds agents that share a `name` within what Claude Code loads together: one
        `.claude/agents` tree (sub-folders included), one plugin's agents, one library folder.""",
    why="""
        Identity comes only from `name`. When two files of one tree claim one name, Claude
        Code loads one of them, chosen by file-system read order, and ignores the other
        without a word. Since v2.1.140 names also match regardless of case and separators.
        Across trees a name is no clash: a project agent overrides a user agent of the same
        name by a documented precedence, and a plugin's agents are `plugin:name` (a
        sub-folder is part of the id), so they shadow nothing. Files for other tools (a
        Gemini CLI or Copilot twin of the agent) and documentation (a translation under
        `docs/`) are not loaded by Claude Code at all.""",
    example="""
        # .claude/agents/backend.md       name: backend-engineer
        # .claude/agents/backend-v2.md    name: backend-engineer""",
    how_to_fix="Give each agent a unique name, or delete the stale copy.",
    source="https://code.claude.com/docs/en/sub-agents (precedence)", family=F,
    # The message counts the duplicates and names them relative to the working folder; the
    # baseline matches on the file and its `name:` line instead.
    identity="Another agent has the same name",
)

SHADOWS_BUILTIN = rule(
    "AGT701", "shadows-builtin-agent", Severity.WARNING,
    "Agent name shadows a built-in agent",
    what="""
        Finds agents named like Claude Code's built-in agents (`Explore`, `Plan`,
        `general-purpose`...); a plugin's agents are `plugin:name` and shadow nothing.""",
    why="A project or user agent with a built-in's name replaces the built-in for every delegation that expects it.",
    example="""
        ---
        name: general-purpose
        ---""",
    how_to_fix="Rename the agent unless replacing the built-in is intended.",
    source="https://code.claude.com/docs/en/sub-agents#built-in-subagents", family=F,
)

UNKNOWN_SKILL = rule(
    "AGT702", "unknown-skill", Severity.INFO,
    "No skill in the workspace has this name",
    what="Checks each `skills:` entry against the skills found in the workspace.",
    why="A missing skill is skipped with only a debug-log warning, so the agent silently lacks its knowledge.",
    example="""
        ---
        skills:
          - api-conventons
        ---""",
    how_to_fix="Fix the skill name, or add the skill under `.claude/skills/<name>/SKILL.md`.",
    source="https://code.claude.com/docs/en/sub-agents#preload-skills-into-subagents", family=F,
    severity_note="Information only: the skill may be a user-level or plugin skill outside the workspace.",
)


_BUILTINS = {normal_name(b): b for b in BUILTIN_AGENTS}


@check(DUPLICATE_NAME, SHADOWS_BUILTIN)
def names(doc: Document, ctx: Context):
    entry = doc.get("name")
    if entry is None or entry.value is None or entry.value.kind != "scalar" or entry.value.tag != STR:
        return
    value = entry.value.value
    b = _BUILTINS.get(normal_name(value))
    if b is not None and not ctx.plugin:  # a plugin's agent is `plugin:name`: it shadows nothing
        yield SHADOWS_BUILTIN.at(entry.value.span, f"`{value}` shadows the built-in `{b}` agent "
                                                   f"({BUILTIN_AGENTS[b]})")
    if ctx.workspace is None or doc.path is None:
        return
    me = ctx.workspace.agent(doc.path)
    if me is not None:
        tree = me.tree
    else:  # not indexed (yet): where it is says what it would clash with
        loc = ctx.kind if isinstance(ctx.kind, Location) else locate(doc.path)
        tree = loc.tree if loc is not None else ""
    named = ctx.workspace.agents_named_in(tree, value)
    # Only the first few others are listed: take them without copying all (k files of one
    # name would otherwise cost k² in all); this file is among them at most once.
    others = [a for a in named[:MAX_RELATED + 1] if a.path != doc.path][:MAX_RELATED]
    count = len(named) - (me is not None and normal_name(me.name) == normal_name(value))  # the others
    if not others:
        return
    listed = ", ".join(a.display for a in others[:5]) + (f" and {count - 5} more" if count > 5 else "")
    yield DUPLICATE_NAME.at(
        entry.value.span,
        f"{count + 1} agents are named `{value}` (also {listed}): Claude Code loads only one of them",
        related=[Related(a.path, a.name_span, f"also named `{a.name}`", a.name_line) for a in others],
        related_omitted=max(0, count - len(others)))


@check(UNKNOWN_SKILL)
def skills(doc: Document, ctx: Context):
    if ctx.workspace is None:
        return
    entry = doc.get("skills")
    if entry is None or entry.value is None:
        return
    for item in split_node(doc, entry.value):
        if not ctx.workspace.has_skill(item.text):
            yield UNKNOWN_SKILL.at(item.span, f"No skill named `{item.text}` in the workspace "
                                              "(it may be a user or plugin skill)")
