"""Hover for agent files: the pure core (no LSP types).

:func:`hover` takes a :class:`~agentls.core.document.Document`, a code-point offset and a
:class:`HoverContext` and returns a :class:`HoverResult` (Markdown and the code-point
span it describes), or ``None``. It combines:

* what is under the cursor: a frontmatter key (:func:`agentls.services.docs.format_field`), a
  value (model, colour, permission mode...), a tool in ``tools``, an agent named in
  ``Agent(...)`` or a duplicated ``name``;
* the documentation of every rule whose finding covers the cursor
  (:func:`agentls.services.docs.format_rule_short`), computed with :func:`agentls.rules.lint.lint`.

Like completion, it reads the frontmatter line by line, so it works on broken YAML.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agentls.core.document import Document
from agentls.core.text import Span
from agentls.engine.discovery import WorkspaceIndex, normal_name
from agentls.facts import models
from agentls.facts.fields import BUILTIN_AGENTS, FIELDS_BY_KIND, Field
from agentls.facts.toolgrammar import Item, parse_item, split_line
from agentls.facts.tools import OLD_TOOLS, SPECIFIER_TOOLS, TOOLS
from agentls.facts.versions import since_text
from agentls.rules.budget import BUDGET_TOKENS, percent, share
from agentls.rules.lint import Context, Extensions, lint
from agentls.rules.registry import Finding
from agentls.rules.ruleset import lookup
from agentls.services.completion import (
    _KEY_LINE,
    _LIST_ITEM,
    added_key_docs,
    added_keys,
    added_tool_docs,
    added_tools,
    added_value_docs,
    agent_docs,
    in_frontmatter,
    owner_key,
    tool_docs,
)
from agentls.services.docs import format_field, format_rule_short
from agentls.services.formats import format_fields
from agentls.services.formats import tool_hover as format_tool_hover


@dataclass(frozen=True, slots=True)
class HoverResult:
    markdown: str
    span: Span


@dataclass
class HoverContext:
    kind: str = "agent"
    workspace: WorkspaceIndex | None = None
    path: str | None = None
    mcp_servers: tuple[str, ...] = ()
    # Findings of the document; ``None``: computed here with ``lint`` and ``lint_context``.
    findings: list[Finding] | None = None
    lint_context: Context | None = None
    extensions: Extensions = field(default_factory=Extensions)  # names the configuration adds (``extend-tools``...)


def hover(doc: Document, offset: int, ctx: HoverContext | None = None) -> HoverResult | None:
    """Hover text at ``offset`` (a code-point offset into ``doc.text``)."""
    ctx = ctx or HoverContext(kind=doc.kind or "agent")
    offset = max(0, min(offset, len(doc.text)))
    parts: list[str] = []
    span: Span | None = None
    element = _element(doc, offset, ctx) if in_frontmatter(doc, offset) else None
    if element is not None:
        parts.append(element[0].rstrip())
        span = element[1]
    findings = ctx.findings
    if findings is None:
        lctx = ctx.lint_context or Context(kind=ctx.kind, extensions=ctx.extensions, workspace=ctx.workspace, path=ctx.path)
        findings = lint(doc, lctx)
    seen: set[str] = set()
    for f in findings:
        if not _covers(f.span, offset) or f.code in seen:
            continue
        rule = lookup(f.code)
        if rule is None:
            continue
        seen.add(f.code)
        parts.append(format_rule_short(rule).rstrip())
        if span is None:
            span = f.span
    if not parts or span is None:
        return None
    return HoverResult("\n\n---\n\n".join(parts) + "\n", span)


def _covers(span: Span, offset: int) -> bool:
    if span.start == span.end:
        return offset == span.start
    return span.start <= offset <= span.end


# -- what is under the cursor ----------------------------------------------------------------
def _element(doc: Document, offset: int, ctx: HoverContext) -> tuple[str, Span] | None:
    line = doc.index.line_of(offset)
    start = doc.index.line_start(line)
    text = doc.index.line_text(line)
    fields = format_fields(ctx.kind) or FIELDS_BY_KIND.get(ctx.kind, FIELDS_BY_KIND["agent"])
    m = _KEY_LINE.match(text)
    if m:
        key = m.group(1)
        key_span = Span(start + m.start(1), start + m.end(1))
        if key_span.start <= offset <= key_span.end:
            f = fields.get(key)
            if f is None:
                return (added_key_docs(key), key_span) if key in added_keys(ctx.extensions, ctx.kind) else None
            return format_field(f) + _budget_share(key, ctx), key_span
        value, base = text[m.end():], start + m.end()
    else:
        lm = _LIST_ITEM.fullmatch(text)
        key = owner_key(doc, line) if lm else None
        if key is None or lm is None:
            return None
        value, base = lm.group(3), start + lm.start(3)
    f = fields.get(key)
    if f is None:
        return None
    if f.type == "model":  # one value, not a list: `sonnet[1m]` keeps its brackets
        scalar = _scalar(value, base)
        if scalar is None or not scalar[1].start <= offset <= scalar[1].end:
            return None
        return _model(scalar[0], ctx.extensions.models), scalar[1]
    for item in split_line(value, base):
        if item.span.start <= offset <= item.span.end:
            return _value(doc, f, item.text, item.span, offset, ctx)
    return None


def _value(doc: Document, f: Field, item: str, span: Span, offset: int,
           ctx: HoverContext) -> tuple[str, Span] | None:
    if f.type == "tools":
        return _tool(item, span, offset, ctx)
    if f.type == "toollist":  # another tool's tool names (services.formats)
        docs = format_tool_hover(ctx.kind, item)
        return (docs, span) if docs else None
    if f.key == "name" and ctx.kind == "agent":
        return _name(item, span, ctx)
    if f.key == "skills" and ctx.workspace is not None:
        known = item in ctx.workspace.skill_names
        where = "found in this workspace" if known else "not found in this workspace (it may be a user or plugin skill)"
        return f"**`{item}`** (skill)\n\nPreloaded into the agent at start-up; {where}.\n", span
    if f.type == "model":
        return _model(item), span
    for v in f.values:
        if v.name == item:
            since = f"\n\nSince {v.since}." if v.since else ""
            return f"**`{f.key}: {item}`**\n\n{v.meaning}{since}\n", span
    if f.key == "color" and item in ctx.extensions.colors:  # accepted before legacy names, as the rule does
        return added_value_docs("color", item) + "\n", span
    legacy = f.legacy_value(item)
    if legacy is not None:
        instead = f" Use `{legacy.replacement}` instead." if legacy.replacement else ""
        return f"**`{f.key}: {item}`** (legacy value)\n\nNo longer documented: {legacy.note}.{instead}\n", span
    return None


def _scalar(value: str, base: int) -> tuple[str, Span] | None:
    """The one value on a single-value key's line, without blanks, quotes or a comment."""
    start = len(value) - len(value.lstrip(" \t"))
    rest = value[start:]
    if not rest or rest[0] == "#":
        return None
    if rest[0] in "\"'":
        end = rest.find(rest[0], 1)
        end = len(rest) if end < 0 else end
        return rest[1:end], Span(base + start + 1, base + start + end)
    for i, ch in enumerate(rest):
        if ch == "#" and rest[i - 1] in " \t":
            rest = rest[:i]
            break
    rest = rest.rstrip(" \t")
    return rest, Span(base + start, base + start + len(rest))


def _budget_share(key: str, ctx: HoverContext) -> str:
    """On an agent's ``description`` (and ``name``): its share of the routing budget."""
    if key not in {"name", "description"} or ctx.kind != "agent" or ctx.workspace is None or ctx.path is None:
        return ""
    found = share(ctx.workspace, ctx.path)
    if found is None:
        return ""
    mine, group = found
    state = "over" if group.over else "within"
    return (f"\nThis agent's name and description: ~{mine:,} tokens, {percent(mine, group.total)} of the "
            f"~{group.total:,} tokens of the {len(group.shares)} custom agents loaded with it ({state} "
            f"Claude Code's {BUDGET_TOKENS:,}-token budget).\n")


def _model(item: str, added: frozenset[str] = frozenset()) -> str:
    since = models.IDS_HONOURED_SINCE
    what = models.kind_of(item)
    if what is None and item in added:
        return added_value_docs("model", item) + "\n"
    if what == "alias":
        meaning, kind = models.ALIASES[item], "model alias"
    elif what == "extra-alias":
        meaning, kind = models.EXTRA_ALIASES[item], "model alias accepted by `--model`"
    elif what == "known-id":
        meaning, kind = models.KNOWN_IDS[item] + f" Full model IDs are honoured since Claude Code v{since}.", "model ID"
    elif what == "id":
        meaning, kind = f"A full model ID (honoured since Claude Code v{since}; ignored before).", "model ID"
    else:
        if models.claude_shaped(item):
            return (f"**`model: {item}`**\n\nNot a known alias or model ID: it may be a model newer than "
                    "agentls' facts (add it with `extend-models`).\n")
        return f"**`model: {item}`**\n\nNot a known alias or model ID: it cannot be a Claude model.\n"
    added_in = models.SINCE.get(item)
    facts = (f"\n\n{since_text(added_in)}." if added_in else "") + f"\n\nSource: {models.source_of(item)}"
    return f"**`model: {item}`** ({kind})\n\n{meaning}{facts}\n"


def _tool(text: str, span: Span, offset: int, ctx: HoverContext) -> tuple[str, Span] | None:
    ref = parse_item(Item(text, span))
    if ref.spec is not None and ref.spec_span is not None:
        if offset >= ref.spec_span.start and ref.base in SPECIFIER_TOOLS:
            for sub in split_line(ref.spec, ref.spec_span.start):
                if sub.span.start <= offset <= sub.span.end:
                    docs = _agent_name(sub.text, ctx)
                    return (docs, sub.span) if docs else None
            return None
    item, span = ref.base, ref.base_span
    if item in TOOLS:
        return tool_docs(item), span
    if item in ctx.extensions.tools and item in added_tools(ctx.extensions):  # accepted before old names, as the rule does
        return added_tool_docs(item), span
    old = OLD_TOOLS.get(item)
    if old is not None:
        status = "deprecated alias" if old.status == "alias" else "removed tool"
        history = f"{old.history[:1].upper()}{old.history[1:]}. " if old.history else ""
        return (f"**`{item}`** ({status})\n\n{history}{old.advice[:1].upper()}{old.advice[1:]}."
                f"\n\nSource: {old.source}\n", span)
    if ref.mcp_server is not None:
        server, tool = ref.mcp_server, ref.mcp_tool
        what = ("every tool of" if tool in (None, "*") else f"the `{tool}` tool of")
        configured = (f"`{server}` is configured in the workspace's `.mcp.json`." if server in ctx.mcp_servers
                      else f"`{server}` is not in the workspace's `.mcp.json` (it may be a user or plugin server).")
        return f"**`{item}`** (MCP)\n\nGives the agent {what} the `{server}` MCP server.\n\n{configured}\n", span
    return None


def _agent_name(name: str, ctx: HoverContext) -> str | None:
    found = ctx.workspace.agents_named(name) if ctx.workspace is not None else []
    if found:
        return "\n\n".join(agent_docs(a) for a in found) + "\n"
    for builtin, meaning in BUILTIN_AGENTS.items():
        if normal_name(builtin) == normal_name(name):
            return f"**`{builtin}`** (built-in agent)\n\n{meaning}\n"
    return None


def _name(item: str, span: Span, ctx: HoverContext) -> tuple[str, Span] | None:
    if ctx.workspace is None:
        return None
    others = [a for a in ctx.workspace.agents_named(item) if a.path != ctx.path]
    if not others:
        return None
    head = f"**{len(others) + 1} agents are named `{item}`**; the other{'s' if len(others) > 1 else ''}:"
    return head + "\n\n" + "\n\n".join(agent_docs(a) for a in others) + "\n", span
