"""The grammar of a tool list, shared by the rules, completion and hover.

A tool list (a subagent's ``tools`` and ``disallowedTools``, a skill's or command's
``allowed-tools``) is a comma string (``Read, Agent(a, b)``) or a YAML list. An entry is
a tool name, optionally with a parenthesised specifier (``Agent(planner)``,
``Bash(git:*)``), or an MCP name (``mcp__server`` or ``mcp__server__tool``).

Commas inside parentheses never split an entry. With ``spaces`` (a skill's
space-separated ``allowed-tools``) blanks outside parentheses split too.

Two readings, one grammar:

* :func:`split_node`: the entries of a parsed YAML value, each with the span of its
  text in the source (what the rules check);
* :func:`split_line` and :func:`entry_before`: the entries of one line of frontmatter
  text, read without the YAML parser because the file is usually mid-edit (what
  completion and hover see). Flow-list brackets, quotes and a ``# comment`` are not part
  of an entry there.

Pure: offsets are code points, no LSP types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agentls.core.document import Document
from agentls.core.text import Span
from agentls.core.yamlnodes import STR, YNode

_SEPARATORS = re.compile(r",")
_SEPARATORS_SPACES = re.compile(r"[,\s]")
_SPEC = re.compile(r"([A-Za-z_][\w-]*)\s*\((.*)\)\s*", re.S)
_MCP = re.compile(r"mcp__([A-Za-z0-9][\w.-]*?)(?:__(\*|[\w.-]+))?")
MCP_ALL = "mcp__*"  # every MCP tool (only meaningful in a deny list)


@dataclass(slots=True)
class Item:
    """One entry of a list and the span of its text.

    When the source does not spell the value literally (YAML escapes, folded scalars) the
    span is the whole value's and ``len(span) != len(text)``.
    """

    text: str
    span: Span

    @property
    def located(self) -> bool:
        return len(self.span) == len(self.text)


@dataclass(frozen=True, slots=True)
class ToolRef:
    """An entry read as a tool reference: ``base``, or ``base(spec)``, or an MCP name."""

    text: str
    span: Span
    base: str  # the tool name: ``Agent`` of ``Agent(a, b)``; the whole text otherwise
    base_span: Span
    spec: str | None  # what is inside the parentheses, or None
    spec_span: Span | None
    mcp_server: str | None = None  # a well-formed MCP name: its server...
    mcp_tool: str | None = None  # ...and tool (``*`` or None: every tool of the server)

    @property
    def mcp(self) -> bool:
        """Whether the entry is a well-formed MCP name (``mcp__*`` included)."""
        return self.mcp_server is not None or self.text == MCP_ALL


# -- splitting ---------------------------------------------------------------------------------
def _pieces(value: str, spaces: bool = False) -> tuple[list[tuple[int, int]], int]:
    """Top-level pieces of ``value`` between separators, as ``(start, end)``, empty ones
    and the unterminated last one included; and the parenthesis depth at the end."""
    if "(" not in value:  # no specifiers: the separators are found by a regex, not a loop
        pattern = _SEPARATORS_SPACES if spaces else _SEPARATORS
        out, start = [], 0
        for m in pattern.finditer(value):
            out.append((start, m.start()))
            start = m.end()
        out.append((start, len(value)))
        return out, 0
    out, start, depth = [], 0, 0
    for i, ch in enumerate(value):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and (ch == "," or (spaces and ch in " \t\n")):
            out.append((start, i))
            start = i + 1
    out.append((start, len(value)))
    return out, depth


def _strip(value: str, start: int, end: int, left: str | None = None,
           right: str | None = None) -> tuple[int, int]:
    """``(start, end)`` of ``value[start:end]`` without ``left``/``right`` characters
    (blanks when None)."""
    piece = value[start:end]
    lead = len(piece) - len(piece.lstrip(left))
    trail = len(piece) - len(piece.rstrip(right))
    return start + lead, max(start + lead, end - trail)


def split_text(value: str, base: int | None, fallback: Span, spaces: bool = False) -> list[Item]:
    """Entries of a list value (already unquoted), at ``base + offset`` in the source, or
    all at ``fallback`` when ``base`` is None (the source does not spell the value)."""
    out = []
    for start, end in _pieces(value, spaces)[0]:
        s, e = _strip(value, start, end)
        if s < e:
            out.append(Item(value[s:e], Span(base + s, base + e) if base is not None else fallback))
    return out


def split_node(doc: Document, node: YNode, spaces: bool = False) -> list[Item]:
    """Entries of a comma string or YAML list (a parsed value), each with its span."""
    if node.kind == "seq":
        out: list[Item] = []
        for item in node.items:
            if item.kind == "scalar" and item.tag == STR:
                out.extend(_split_scalar(doc, item, spaces))
        return out
    if node.kind == "scalar" and node.tag == STR:
        return _split_scalar(doc, node, spaces)
    return []


def _split_scalar(doc: Document, node: YNode, spaces: bool) -> list[Item]:
    value = node.value
    raw = doc.slice(node.span)
    # Map value offsets to source offsets when the source spells the value literally.
    if node.style in {"'", '"'} and raw[1:-1] == value:
        base: int | None = node.span.start + 1
    elif node.style is None and raw.rstrip() == value:
        base = node.span.start
    else:
        base = None
    return split_text(value, base, node.span, spaces)


def _cut_comment(value: str) -> str:
    """``value`` without a trailing ``# comment`` (a ``#`` at the start or after a blank,
    outside parentheses)."""
    if "#" not in value:
        return value
    depth = 0
    for i, ch in enumerate(value):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == "#" and depth == 0 and (i == 0 or value[i - 1] in " \t"):
            return value[:i]
    return value


_OPEN = " \t[\"'"  # what may precede an entry on a line: blanks, a flow list's `[`, a quote
_CLOSE = " \t]\"'"


def split_line(value: str, base: int) -> list[Item]:
    """Entries of one line of list text (a key's value or a ``- `` item) at ``base``."""
    value = _cut_comment(value)
    out = []
    for start, end in _pieces(value)[0]:
        s, e = _strip(value, start, end, _OPEN, _CLOSE)
        if s < e:
            out.append(Item(value[s:e], Span(base + s, base + e)))
    return out


@dataclass(frozen=True, slots=True)
class Slot:
    """The entry being typed before the cursor."""

    head: str | None  # inside ``Head(...)``: the tool name before the parenthesis, else None
    start: int  # where the entry (or, inside parentheses, the sub-entry) begins
    typed: str  # what is typed of it


def entry_before(typed: str, base: int) -> Slot:
    """The entry being typed, from ``typed`` (the line's value text up to the cursor) at ``base``."""
    pieces, depth = _pieces(typed)
    start, end = pieces[-1]
    start, _ = _strip(typed, start, end, _OPEN, "")
    if depth >= 1:
        piece = typed[start:]
        open_at, level = -1, 0
        for i, ch in enumerate(piece):
            if ch == "(":
                if level == 0:
                    open_at = i
                level += 1
            elif ch == ")":
                level = max(0, level - 1)
        head = piece[:open_at].strip()
        inner_at = start + open_at + 1
        inner = typed[inner_at:]
        sub_start, sub_end = _pieces(inner)[0][-1]
        sub_start, _ = _strip(inner, sub_start, sub_end, " \t", "")
        return Slot(head, base + inner_at + sub_start, inner[sub_start:])
    return Slot(None, base + start, typed[start:])


# -- one entry -----------------------------------------------------------------------------------
def parse_item(item: Item) -> ToolRef:
    """``item`` read as a tool reference. Spans inside it are exact when the item is located,
    else they are the item's span."""
    text, span = item.text, item.span

    def at(start: int, end: int) -> Span:
        return Span(span.start + start, span.start + end) if item.located else span

    m = _SPEC.fullmatch(text)
    if m:
        return ToolRef(text, span, m.group(1), at(0, m.end(1)), m.group(2), at(m.start(2), m.end(2)))
    mm = _MCP.fullmatch(text)
    if mm:
        return ToolRef(text, span, text, span, None, None, mm.group(1), mm.group(2))
    return ToolRef(text, span, text, span, None, None)


def base_name(text: str) -> tuple[str, str | None]:
    """``(tool, specifier)`` of an entry's text: ``("Agent", "a, b")`` for ``Agent(a, b)``."""
    m = _SPEC.fullmatch(text)
    if m:
        return m.group(1), m.group(2)
    return text, None


def looks_mcp(text: str) -> bool:
    """Whether an entry is meant as an MCP name (well-formed or not): ``mcp_`` or ``mcp:``."""
    return text.startswith("mcp_") or text.startswith("mcp:")


def is_mcp(text: str) -> bool:
    """Whether an entry is a well-formed MCP name: ``mcp__server``, ``mcp__server__tool``,
    ``mcp__server__*`` or ``mcp__*``."""
    return text == MCP_ALL or _MCP.fullmatch(text) is not None
