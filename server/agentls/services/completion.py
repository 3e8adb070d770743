"""Completion for agent files: the pure core (no LSP types).

:func:`complete` takes a :class:`~agentls.core.document.Document`, a code-point offset and a
:class:`CompletionContext`, and returns :class:`Completion` items whose replacement
spans are code-point spans into the document. The LSP glue
(:mod:`agentls.lsp.completion`) only converts positions and kinds.

Completers are tried in order and the first that recognises the cursor position wins
(markdown-oxide's chain): a frontmatter key, a frontmatter value (or list item), a link
anchor, a section heading. Everything offered comes from the one schema
(:mod:`agentls.facts`), the workspace index and the section catalogue below.

The cursor is read from the *text* of the line, not only from the parsed YAML, because
the file is mid-edit and usually invalid when completion is asked for.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from agentls.core.document import Document
from agentls.core.text import Span
from agentls.engine.discovery import WorkspaceIndex
from agentls.facts import colors, models
from agentls.facts.fields import BUILTIN_AGENTS, FIELDS_BY_KIND, Field
from agentls.facts.toolgrammar import Item, Slot, entry_before, looks_mcp, split_line
from agentls.facts.tools import SPECIFIER_TOOLS, TOOLS
from agentls.facts.versions import since_text
from agentls.rules.lint import Extensions
from agentls.services.docs import format_field
from agentls.services.formats import format_fields
from agentls.services.formats import tool_choices as format_tool_choices

# LSP trigger characters: a key's colon, the space after it, list separators, a heading,
# an ``Agent(`` specifier.
TRIGGER_CHARACTERS = [":", " ", ",", "#", "(", "-"]

_KEY_PREFIX = re.compile(r"[A-Za-z_][\w-]*")
_KEY_VALUE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:([ \t]*)(.*)")
_KEY_LINE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(?=[ \t]|$)")
_LIST_ITEM = re.compile(r"([ \t]*)-([ \t]*)(.*)")
_HEADING_PREFIX = re.compile(r" {0,3}(#{1,6})([ \t]*)(.*)")
_ANCHOR = re.compile(r"\]\(#([^)\s]*)$")
_TOKEN_END = re.compile(r"[^\s,()\[\]'\"#]*")
_VALUE_END = re.compile(r"[^\s'\"#]*")


@dataclass(frozen=True, slots=True)
class Completion:
    """One completion item.

    ``new_text`` replaces ``span`` (a code-point span that contains the cursor). When
    ``snippet`` is true, ``new_text`` uses LSP snippet syntax and ``plain_text`` is the
    same insertion without placeholders, for clients that lack snippet support.
    """

    label: str
    kind: str  # property, value, enum, color, tool, module, reference, keyword
    detail: str
    documentation: str  # Markdown
    new_text: str
    span: Span
    filter_text: str
    sort_text: str
    snippet: bool = False
    plain_text: str = ""
    color: str | None = None  # a hex colour for ``kind == "color"``


@dataclass
class CompletionContext:
    """What completion needs besides the document."""

    kind: str = "agent"
    workspace: WorkspaceIndex | None = None
    path: str | None = None  # the document's own path (excluded from workspace lists)
    mcp_servers: tuple[str, ...] = ()  # server names from the workspace's ``.mcp.json``
    # How many *other* agent files use each heading, keyed by ``(level, text)``.
    heading_counts: Mapping[tuple[int, str], int] = field(default_factory=dict)
    snippets: bool = True  # the client accepts snippet syntax
    extensions: Extensions = field(default_factory=Extensions)  # names the configuration adds (``extend-tools``...)


# -- section catalogue -----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Section:
    title: str
    level: int  # 2: a top section of the prompt; 3: a part of one
    meaning: str


SECTIONS: tuple[Section, ...] = (
    Section("Role", 2, "Who the agent is and what it is for, in one or two sentences (\"You are ...\")."),
    Section("Responsibilities", 2, "The tasks the agent owns, as a short list."),
    Section("Workflow", 2, "The steps the agent follows, in order."),
    Section("Process", 2, "How the agent approaches a task, step by step."),
    Section("Constraints", 2, "What the agent must not do: limits on scope, tools and edits."),
    Section("Output Format", 2, "The exact shape of the agent's final answer, which is all the caller sees."),
    Section("Examples", 2, "Worked examples of inputs and the expected output."),
    Section("Context", 2, "Background the agent needs: the project, its conventions, where things live."),
    Section("Guidelines", 2, "Judgement calls and preferences the agent should apply."),
    Section("Quality Checklist", 2, "What to verify before reporting back."),
    Section("Success Criteria", 2, "How the agent knows the task is done."),
    Section("Edge Cases", 2, "Unusual situations and how to handle them."),
    Section("Communication Style", 2, "Tone and length of the agent's replies."),
    Section("Inputs", 3, "What the agent receives from the caller."),
    Section("Steps", 3, "The numbered steps of one phase."),
    Section("Output", 3, "What one phase produces."),
    Section("Do", 3, "Behaviour to follow."),
    Section("Don't", 3, "Behaviour to avoid."),
    Section("Example", 3, "One worked example."),
    Section("Checklist", 3, "Items to tick off."),
)


# -- entry point -------------------------------------------------------------------------------
def complete(doc: Document, offset: int, ctx: CompletionContext | None = None) -> list[Completion]:
    """Completion items at ``offset`` (a code-point offset into ``doc.text``)."""
    ctx = ctx or CompletionContext(kind=doc.kind or "agent")
    offset = max(0, min(offset, len(doc.text)))
    line = doc.index.line_of(offset)
    line_start = doc.index.line_start(line)
    line_text = doc.index.line_text(line)
    prefix = doc.text[line_start:offset]
    rest = line_text[len(prefix):]
    if in_frontmatter(doc, offset):
        return _frontmatter(doc, offset, line, line_start, prefix, rest, ctx)
    if offset < doc.body.start or any(s.start <= offset <= s.end for s in doc.code_blocks):
        return []
    m = _ANCHOR.search(prefix)
    if m:
        return _anchors(doc, offset, offset - len(m.group(1)), rest)
    m = _HEADING_PREFIX.fullmatch(prefix)
    if m:
        return _headings(doc, offset, line, line_start, m, rest, ctx)
    return []


def in_frontmatter(doc: Document, offset: int) -> bool:
    """Whether ``offset`` is on a YAML line of the frontmatter (not on a fence)."""
    fm = doc.frontmatter
    if fm is None or not (fm.content.start <= offset <= fm.content.end):
        return False
    close = fm.close_fence or fm.bad_close_fence
    if close is not None and doc.index.line_of(offset) >= doc.index.line_of(close.start):
        return False
    return True


# -- frontmatter -----------------------------------------------------------------------------
def _fields(kind: str) -> dict[str, Field]:
    # Another tool's file (Gemini CLI, Copilot, Cursor, OpenCode) has its own table.
    return format_fields(kind) or FIELDS_BY_KIND.get(kind, FIELDS_BY_KIND["agent"])


def _frontmatter(doc: Document, offset: int, line: int, line_start: int, prefix: str, rest: str,
                 ctx: CompletionContext) -> list[Completion]:
    if prefix == "" or _KEY_PREFIX.fullmatch(prefix):
        return _keys(doc, offset, line, line_start, prefix, rest, ctx)
    m = _KEY_VALUE.fullmatch(prefix)
    if m:
        value_start = line_start + m.start(3)
        return _values(doc, m.group(1), prefix[m.start(3):], value_start, offset, rest,
                       needs_space=not m.group(2), line=line, ctx=ctx)
    m = _LIST_ITEM.fullmatch(prefix)
    if m:
        key = owner_key(doc, line)
        if key is None:
            return []
        value_start = line_start + m.start(3)
        return _values(doc, key, m.group(3), value_start, offset, rest, needs_space=not m.group(2),
                       line=line, ctx=ctx, list_item=True)
    return []


def owner_key(doc: Document, line: int) -> str | None:
    """The top-level key whose value the (indented or ``-``) ``line`` belongs to."""
    fm = doc.frontmatter
    if fm is None:
        return None
    first = doc.index.line_of(fm.content.start)
    for probe in range(line - 1, first - 1, -1):
        m = _KEY_LINE.match(doc.index.line_text(probe))
        if m:
            return m.group(1)
    return None


def _present_keys(doc: Document, skip_line: int) -> set[str]:
    """Top-level keys already in the frontmatter, read from the text (the YAML may be broken)."""
    fm = doc.frontmatter
    keys: set[str] = set()
    if fm is None:
        return keys
    first = doc.index.line_of(fm.content.start)
    last = doc.index.line_of(fm.content.end)
    for probe in range(first, last + 1):
        if probe == skip_line:
            continue
        m = _KEY_LINE.match(doc.index.line_text(probe))
        if m:
            keys.add(m.group(1))
    return keys


def _keys(doc: Document, offset: int, line: int, line_start: int, prefix: str, rest: str,
          ctx: CompletionContext) -> list[Completion]:
    word_end = offset + len(re.match(r"[\w-]*", rest).group(0))
    after = doc.text[word_end:doc.index.line_end(line)]
    has_colon = after.lstrip(" \t").startswith(":")
    span = Span(line_start, word_end)
    present = _present_keys(doc, line)
    out = []
    fields = _fields(ctx.kind)
    for i, f in enumerate(fields.values()):
        if f.key in present:
            continue
        plain = f.key if has_colon else f"{f.key}: "
        snippet = None
        if not has_colon and ctx.snippets and f.values and f.type in {"enum", "boolean"}:
            choices = ",".join(_escape_choice(v.name) for v in f.values)
            snippet = f"{f.key}: ${{1|{choices}|}}"
        out.append(Completion(
            label=f.key, kind="property", detail=f.summary, documentation=format_field(f),
            new_text=snippet or plain, span=span, filter_text=f.key,
            sort_text=f"{0 if f.required else 1}{i:03d}", snippet=snippet is not None, plain_text=plain))
    for j, key in enumerate(added_keys(ctx.extensions, ctx.kind)):
        if key in present:
            continue
        plain = key if has_colon else f"{key}: "
        out.append(Completion(label=key, kind="property", detail=ADDED_KEY, documentation=added_key_docs(key),
                              new_text=plain, span=span, filter_text=key, sort_text=f"2{j:03d}", plain_text=plain))
    return out


ADDED_KEY = "A key added in your configuration."


def added_keys(extensions: Extensions, kind: str) -> list[str]:
    """The keys ``extend-keys``/``extendKeys`` add that the kind's fields lack."""
    fields = _fields(kind)
    return sorted(k for k in extensions.keys if k not in fields and _KEY_PREFIX.fullmatch(k))


def added_key_docs(key: str) -> str:
    """Markdown for a frontmatter key the configuration adds."""
    return (f"**`{key}`** · added key\n\n{ADDED_KEY} `extend-keys` in the configuration file or "
            "`extendKeys` in the editor's settings adds it; agentls accepts it without checking its value.\n")


def _escape_choice(text: str) -> str:
    return re.sub(r"([\\,|$}])", r"\\\1", text)


def _values(doc: Document, key: str, typed: str, value_start: int, offset: int, rest: str, *,
            needs_space: bool, line: int, ctx: CompletionContext, list_item: bool = False) -> list[Completion]:
    f = _fields(ctx.kind).get(key)
    if f is None:
        return []
    if f.type == "tools":
        return _list_values(doc, key, typed, value_start, offset, rest, needs_space, line, ctx, _tool_choices)
    if f.type == "toollist":  # another tool's tool names (services.formats)
        return _list_values(doc, key, typed, value_start, offset, rest, needs_space, line, ctx,
                            lambda slot, listed, c: format_tool_choices(c.kind, listed))
    if key == "skills" and ctx.kind == "agent":
        return _list_values(doc, key, typed, value_start, offset, rest, needs_space, line, ctx, _skill_choices)
    if list_item:
        return []
    choices = _scalar_choices(f, ctx.extensions)
    if not choices:
        return []
    # A single value: optionally quoted; replace the word under the cursor.
    lead = len(typed) - len(typed.lstrip(" \t\"'"))
    start = value_start + lead
    end = offset + len(_VALUE_END.match(rest).group(0))
    prefix = " " if needs_space else ""
    out = []
    for i, (label, kind, detail, docs, color) in enumerate(choices):
        out.append(Completion(label, kind, detail, docs, prefix + label, Span(start, end), label,
                              f"{i:04d}", plain_text=prefix + label, color=color))
    return out


def _scalar_choices(f: Field, extensions: Extensions) -> list[tuple[str, str, str, str, str | None]]:
    """``(label, kind, detail, documentation, colour)`` for a one-value field: the built-in
    values, then those the configuration adds (``extend-models``, ``extend-colors``)."""
    out: list[tuple[str, str, str, str, str | None]] = []
    if f.type == "model":
        for name, meaning in models.NAMED.items():
            kind = "enum" if models.kind_of(name) in {"alias", "extra-alias"} else "value"
            out.append((name, kind, meaning, f"**`model: {name}`**\n\n{meaning}", None))
        for name in added_models(extensions):
            out.append((name, "value", ADDED_MODEL, added_value_docs("model", name), None))
        return out
    values = list(f.values)
    if f.type == "boolean" and not values:
        values = []
        out = [("true", "enum", "Yes.", "`true`", None), ("false", "enum", "No.", "`false`", None)]
        return out
    for v in values:
        docs = f"**`{f.key}: {v.name}`**\n\n{v.meaning}" + (f"\n\nSince {v.since}." if v.since else "")
        if f.key == "color":
            out.append((v.name, "color", v.meaning, docs, colors.PALETTE.get(v.name)))
        else:
            out.append((v.name, "enum", v.meaning, docs, None))
    if f.key == "color":
        for name in added_colors(extensions):
            swatch = name.lower() if re.fullmatch(r"#[0-9A-Fa-f]{6}", name) else None
            out.append((name, "color", ADDED_COLOR, added_value_docs("color", name), swatch))
    return out


ADDED_MODEL = "A model added in your configuration."
ADDED_COLOR = "A colour added in your configuration."
_ADDED = {"model": (ADDED_MODEL, "extend-models", "extendModels"),
          "color": (ADDED_COLOR, "extend-colors", "extendColors")}


def added_models(extensions: Extensions) -> list[str]:
    """The models ``extend-models``/``extendModels`` add that agentls does not list itself."""
    return sorted(name for name in extensions.models if name not in models.NAMED)


def added_colors(extensions: Extensions) -> list[str]:
    """The colours ``extend-colors``/``extendColors`` add to the palette."""
    return sorted(name for name in extensions.colors if name not in colors.PALETTE)


def added_value_docs(key: str, name: str) -> str:
    """Markdown for a ``model`` or ``color`` value the configuration adds."""
    what, file_key, setting = _ADDED[key]
    return (f"**`{key}: {name}`**\n\n{what} `{file_key}` in the configuration file or `{setting}` "
            "in the editor's settings adds it; agentls accepts it.")


# -- list values (tools, skills) ---------------------------------------------------------------
def list_lines(doc: Document, key: str) -> list[tuple[str, int]]:
    """The value text of ``key`` and of its ``- `` items, each with its start offset.

    Read from the text, so it works while the YAML is broken mid-edit.
    """
    fm = doc.frontmatter
    if fm is None:
        return []
    first = doc.index.line_of(fm.content.start)
    last = doc.index.line_of(fm.content.end)
    close = fm.close_fence or fm.bad_close_fence
    if close is not None:  # the closing `---` is a fence, not a `- --` item
        last = min(last, doc.index.line_of(close.start) - 1)
    out: list[tuple[str, int]] = []
    inside = False
    for probe in range(first, last + 1):
        text = doc.index.line_text(probe)
        start = doc.index.line_start(probe)
        m = _KEY_LINE.match(text)
        if m:
            inside = m.group(1) == key
            if inside:
                out.append((text[m.end():], start + m.end()))
            continue
        if inside:
            lm = _LIST_ITEM.fullmatch(text)
            if lm:
                out.append((lm.group(3), start + lm.start(3)))
    return out


def list_items(doc: Document, key: str) -> list[Item]:
    """Entries of ``key``'s list (comma string, flow or block list) as the text spells them."""
    return [item for value, base in list_lines(doc, key) for item in split_line(value, base)]


def listed_items(doc: Document, key: str, skip: Span | None = None) -> list[str]:
    """Entries of ``key``'s list, except the one at ``skip``."""
    return [item.text for item in list_items(doc, key)
            if skip is None or not (item.span.start <= skip.start <= item.span.end)]


def _list_values(doc: Document, key: str, typed: str, value_start: int, offset: int, rest: str,
                 needs_space: bool, line: int, ctx: CompletionContext, choices_fn) -> list[Completion]:
    slot = entry_before(typed, value_start)
    end = offset + len(_TOKEN_END.match(rest).group(0))
    span = Span(slot.start, end)
    listed = set(listed_items(doc, key, skip=span))
    # ``tools:|``, ``-|`` and ``Read,|`` need a space before the inserted name.
    before = doc.text[slot.start - 1] if slot.start > 0 else ""
    prefix = " " if (needs_space and not typed) or (slot.head is None and before == ",") else ""
    out = []
    for i, (label, kind, detail, docs) in enumerate(choices_fn(slot, listed, ctx)):
        out.append(Completion(label, kind, detail, docs, prefix + label, span, label, f"{i:04d}",
                              plain_text=prefix + label))
    return out


def _tool_choices(slot: Slot, listed: set[str], ctx: CompletionContext):
    if slot.head is not None:
        if slot.head not in SPECIFIER_TOOLS:
            return []
        return list(_agent_name_choices(ctx))
    out = []
    for name, tool in TOOLS.items():
        if name in listed:
            continue
        if ctx.kind == "agent" and not tool.subagents:
            continue
        out.append((name, "tool", tool.meaning, tool_docs(name)))
    for name in added_tools(ctx.extensions):
        if name not in listed:
            out.append((name, "tool", ADDED_TOOL, added_tool_docs(name)))
    for server in ctx.mcp_servers:
        for label, meaning in ((f"mcp__{server}", f"Every tool of the `{server}` MCP server."),
                               (f"mcp__{server}__*", f"Every tool of the `{server}` MCP server (wildcard form).")):
            if label not in listed:
                out.append((label, "module", meaning, f"**`{label}`**\n\n{meaning}\n\nFrom `.mcp.json`."))
    for label, kind, detail, docs in _agent_name_choices(ctx, wrap=True):
        if label not in listed:
            out.append((label, kind, detail, docs))
    return out


def _agent_name_choices(ctx: CompletionContext, wrap: bool = False):
    """``(label, kind, detail, docs)`` for agents in the workspace (``Agent(name)`` when ``wrap``).

    Inside ``Agent(...)`` the built-in agents are offered too.
    """
    seen: set[str] = set()
    out = []
    agents = ctx.workspace.agents if ctx.workspace is not None else []
    for a in agents:
        if a.path == ctx.path or a.name in seen:
            continue
        seen.add(a.name)
        label = f"Agent({a.name})" if wrap else a.name
        out.append((label, "reference", _one_line(a.description or "") or f"Agent in {a.display}",
                    agent_docs(a)))
    if not wrap:
        for name, meaning in BUILTIN_AGENTS.items():
            if name not in seen:
                out.append((name, "reference", meaning, f"**`{name}`** (built-in agent)\n\n{meaning}"))
    return out


def agent_docs(a) -> str:
    """Markdown for an agent in the workspace index: its name, file and description."""
    return f"**`{a.name}`** (agent in `{a.display}`)\n\n{a.description or '(no description)'}"


def _skill_choices(slot: Slot, listed: set[str], ctx: CompletionContext):
    if slot.head is not None or ctx.workspace is None:
        return []
    return [(name, "module", "Skill in the workspace", f"**`{name}`**\n\nA skill found in the workspace; "
             "its full content is loaded into the agent at start-up.")
            for name in ctx.workspace.skill_names if name not in listed]


def tool_docs(name: str) -> str:
    """Markdown for a current tool name: what it does, its notes, since when, the source."""
    tool = TOOLS[name]
    notes = ["needs permission" if tool.permission else "no permission prompt"]
    if not tool.subagents:
        notes.append("never available to subagents")
    elif not tool.background:
        notes.append("foreground only (a background subagent loses it)")
    if tool.older_models_only:
        notes.append("offered by default only on older models (not Claude 5)")
    text = f"**`{name}`** (tool)\n\n{tool.meaning}\n\n" + " · ".join(notes).capitalize() + "."
    if tool.since:
        text += f"\n\n{since_text(tool.since)}."
    return text + f"\n\nSource: {tool.source}"


ADDED_TOOL = "A tool added in your configuration."


def added_tools(extensions: Extensions) -> list[str]:
    """The tools ``extend-tools`` (configuration file) or ``extendTools`` (editor settings)
    add, as the linter accepts them: names Claude Code's list lacks, each one entry of a list."""
    return sorted(name for name in extensions.tools
                  if name not in TOOLS and not looks_mcp(name) and name != "*"
                  and [i.text for i in split_line(name, 0)] == [name])


def added_tool_docs(name: str) -> str:
    """Markdown for a tool the configuration adds."""
    return (f"**`{name}`** (tool)\n\n{ADDED_TOOL} `extend-tools` in the configuration file or "
            "`extendTools` in the editor's settings adds it; agentls accepts it as a known tool.")


def _one_line(text: str, limit: int = 120) -> str:
    text = " ".join(text.replace("\\n", " ").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- body: anchors and headings ------------------------------------------------------------------
def slugify(text: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[*_`~]|<[^>]*>", "", text)  # emphasis markers and inline HTML
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links keep their text
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def heading_slugs(doc: Document) -> list[tuple[str, str]]:
    """``(slug, heading text)`` for each heading, with GitHub's ``-1``, ``-2`` suffixes."""
    seen: Counter[str] = Counter()
    out = []
    for h in doc.headings:
        base = slugify(h.text)
        slug = base if not seen[base] else f"{base}-{seen[base]}"
        seen[base] += 1
        out.append((slug, h.text))
    return out


def _anchors(doc: Document, offset: int, start: int, rest: str) -> list[Completion]:
    end = offset + len(re.match(r"[^)\s]*", rest).group(0))
    out = []
    for i, (slug, text) in enumerate(heading_slugs(doc)):
        out.append(Completion(slug, "reference", text, f"Link to the section **{text}**.", slug,
                              Span(start, end), slug, f"{i:04d}", plain_text=slug))
    return out


def _headings(doc: Document, offset: int, line: int, line_start: int, m: re.Match, rest: str,
              ctx: CompletionContext) -> list[Completion]:
    level = len(m.group(1))
    title_start = line_start + m.start(3)
    end = doc.index.line_end(line)
    needs_space = not m.group(2)
    present = {h.text.strip().casefold() for h in doc.headings if h.line != line}
    top = _section_level(doc, line)
    candidates: dict[str, tuple[str, str, int]] = {}  # folded -> (title, meaning, catalogue order)
    if level == 1 and not any(h.level == 1 and h.line != line for h in doc.headings):
        title = _title_from_name(doc.name)
        if title:
            candidates[title.casefold()] = (title, "The agent's title, from its name.", -1)
    wanted = 2 if level == top else 3 if level > top else 0
    for i, s in enumerate(SECTIONS):
        if s.level == wanted:
            candidates.setdefault(s.title.casefold(), (s.title, s.meaning, i))
    # Headings used in the other agent files at this level, with their most common spelling.
    spellings: dict[str, Counter[str]] = {}
    counts: Counter[str] = Counter()
    for (lvl, text), n in ctx.heading_counts.items():
        if lvl != level or not text.strip():
            continue
        folded = text.strip().casefold()
        counts[folded] += n
        spellings.setdefault(folded, Counter())[text.strip()] += n
    for folded, spelled in spellings.items():
        if folded not in candidates:
            candidates[folded] = (spelled.most_common(1)[0][0], "", 1000)
    ranked = sorted(((folded, *v) for folded, v in candidates.items() if folded not in present),
                    key=lambda c: (-counts.get(c[0], 0), c[3], c[1]))
    out = []
    for rank, (folded, title, meaning, _order) in enumerate(ranked):
        used = counts.get(folded, 0)
        detail = meaning or "Section used in other agents"
        if used:
            detail += f" (in {used} other agent file{'s' if used != 1 else ''})"
        docs = f"**{'#' * level} {title}**\n\n{meaning or 'A section other agent files in this workspace use.'}"
        if used:
            docs += f"\n\nUsed by {used} other agent file{'s' if used != 1 else ''} in the workspace."
        new = (" " if needs_space else "") + title
        out.append(Completion(title, "keyword", detail, docs, new, Span(title_start, end), title,
                              f"{rank:04d}", plain_text=new))
    return out


def _section_level(doc: Document, line: int) -> int:
    """The level the document uses for its top sections: 2, or 1 when it has no H2 but several H1."""
    levels = Counter(h.level for h in doc.headings if h.line != line)
    if not levels.get(2) and levels.get(1, 0) >= 2:
        return 1
    return 2


def _title_from_name(name: str | None) -> str | None:
    if not name:
        return None
    words = re.split(r"[-_\s]+", name.strip())
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or None


# -- workspace helpers used by the LSP glue ---------------------------------------------------------
def count_headings(docs: Iterable[Document]) -> Counter[tuple[int, str]]:
    """How many documents use each ``(level, text)`` heading (once per document)."""
    counts: Counter[tuple[int, str]] = Counter()
    for doc in docs:
        counts.update({(h.level, h.text.strip()) for h in doc.headings if h.text.strip()})
    return counts


def read_mcp_servers(root: str | Path | None) -> tuple[str, ...]:
    """Server names from ``<root>/.mcp.json`` (``{"mcpServers": {name: {...}}}``); never raises."""
    if root is None:
        return ()
    try:
        data = json.loads((Path(root) / ".mcp.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    servers = data.get("mcpServers") if isinstance(data, dict) else None
    if not isinstance(servers, dict):
        return ()
    return tuple(sorted(str(k) for k in servers if re.fullmatch(r"[A-Za-z0-9][\w.-]*", str(k))))
