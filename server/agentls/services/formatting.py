"""Canonical form of an agent file: lossless, idempotent, never changing what a value means.

:func:`format_document` applies, in order, each step checked on its own (a step whose
result does not read as the original did is left out):

1. line endings: LF everywhere (YAML reads ``\\r\\n`` and ``\\n`` alike);
2. a one-line value only Claude Code's lenient reader accepts (``description: Use when: x``)
   is double-quoted, so every YAML parser reads it as Claude Code does;
3. frontmatter keys in the order the documentation lists them (``agentls.facts.fields``),
   each with the comment lines just above it; keys the schema does not know keep their
   places (the known keys are sorted into the places known keys had);
4. quotes only where strict YAML needs them: ``"code-reviewer"`` becomes ``code-reviewer``,
   ``"yes"``, ``"[x]"`` or ``"a: b"`` stay quoted;
5. no trailing whitespace in the frontmatter, nor in the body outside fenced code (a
   Markdown hard break, two or more spaces after text with text on the next line, is kept
   as two spaces); one line break at the end.

Tool lists are kept as written (comma strings stay strings, YAML lists stay lists) unless
``format-tool-lists`` (``formatToolLists`` in the editor) says ``"comma"`` or ``"yaml"``:
then, between steps 3 and 4, a Claude Code file's tool lists (an agent's ``tools`` and
``disallowedTools``, a skill's or command's ``allowed-tools`` and ``disallowed-tools``,
which Claude Code reads as a comma string and as a YAML list alike) are written as a
comma string (``tools: Read, Grep``) or a block YAML list (``- Read`` lines). A list is
converted only when each entry reads the same in both forms: every YAML list item is one
entry of the tool-list grammar (:mod:`agentls.facts.toolgrammar`; an item ``Read, Grep``
or a skill's ``Read Grep`` is not), no ``*``, no entry across lines nor starting or
ending with a quote that is part of its text, no comment among the items (a comment after
a comma string is kept, on the key's line). An entry is quoted in the new form where YAML
needs it (``- "Bash(git log, git diff)"`` stays one entry).
Another tool's files (Gemini CLI's loader needs a YAML list) are never converted.

The last check compares every field's value (as Claude Code reads it; a tool list as its
entries, so both forms compare equal) before and after; if any differs, or a key appears
or goes, the text is returned unchanged. Linear in the document (the YAML is composed a
bounded number of times).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from agentls.core.document import Document
from agentls.core.text import Span
from agentls.core.yamlnodes import STR, YamlError, compose
from agentls.facts.fields import FIELDS_BY_KIND
from agentls.facts.targets import CLAUDE_CODE
from agentls.facts.toolgrammar import split_node
from agentls.rules.tools import TOOL_KEYS

_NEWLINES = re.compile(r"\r\n?")


@dataclass(frozen=True, slots=True)
class Formatted:
    text: str
    steps: tuple[str, ...]  # the steps that changed something

    def changed(self, original: str) -> bool:
        return self.text != original


def format_text(text: str, doc: Document, tool_lists: str | None = None) -> str:
    """``format_document(doc.with_text(text)).text``: convenience for callers with a text."""
    return format_document(doc.with_text(text), tool_lists).text


def format_document(doc: Document, tool_lists: str | None = None) -> Formatted:
    """The canonical text of ``doc`` (see the module docstring); ``tool_lists``: the
    ``format-tool-lists`` setting (``None`` or ``"keep"``: lists kept as written)."""
    original = doc
    if doc.too_large:
        return Formatted(doc.text, ())
    steps: list[str] = []
    lists = [("tool-lists", lambda d: _tool_lists(d, tool_lists))] if tool_lists in ("comma", "yaml") else []
    for name, step in (("line-endings", _line_endings), ("quote-lenient", _quote_lenient),
                       ("key-order", _key_order), *lists, ("unquote", _unquote), ("whitespace", _whitespace)):
        try:
            text = step(doc)
        except Exception:  # a step that fails is left out, never the whole format
            continue
        if text is None or text == doc.text:
            continue
        after = doc.with_text(text)
        if not same_meaning(doc, after):
            continue
        doc = after
        steps.append(name)
    if doc is not original and not same_meaning(original, doc):
        return Formatted(original.text, ())
    return Formatted(doc.text, tuple(steps))


# -- meaning ----------------------------------------------------------------------------------
def field_values(doc: Document) -> list[tuple[str, object]] | None:
    """Each frontmatter key and its value as Claude Code reads it, sorted by key (the key
    order is not meaning); ``None`` when the frontmatter is not read at all."""
    fm = doc.frontmatter
    if fm is None:
        return []
    if not fm.readable:
        return None
    out = []
    tool_keys = _tool_keys(doc)
    for e in fm.entries:
        if e.value is None:
            value: object = None
        elif e.lenient or e.broken:
            value = e.value.value
        elif e.key in tool_keys and (entries := tool_entries(doc, e.value)) is not None:
            value = ("tool list", entries)  # a comma string and a YAML list read alike
        else:
            value = e.value.python()
        out.append((e.key, repr(value)))
    return sorted(out)


def _tool_keys(doc: Document) -> tuple[str, ...]:
    """The keys of ``doc`` that its loader reads as a tool list in either form: Claude
    Code's (Gemini CLI's loader needs a YAML list; other tools' are not converted)."""
    if getattr(doc.kind, "target", CLAUDE_CODE) != CLAUDE_CODE:
        return ()
    return TOOL_KEYS.get(str(doc.kind or "agent"), ())


def tool_entries(doc: Document, node) -> tuple[str, ...] | None:
    """The entries of a tool list that reads the same as a comma string and as a YAML
    list, or ``None``: a string, or a list of strings each of which is one entry (its
    text, with no blanks around it), none of them ``*`` nor across lines, at least one."""
    spaces = str(doc.kind or "agent") != "agent"  # a skill's list splits at blanks too
    if node.kind == "seq":
        texts = []
        for item in node.items:
            if item.kind != "scalar" or item.tag != STR or item.explicit_tag:
                return None
            got = split_node(doc, item, spaces=spaces)
            if len(got) != 1 or got[0].text != item.value:
                return None
            texts.append(item.value)
    elif node.kind == "scalar" and node.tag == STR and not node.explicit_tag:
        texts = [it.text for it in split_node(doc, node, spaces=spaces)]
    else:
        return None
    if not texts or any(t == "*" or "\n" in t or "\r" in t for t in texts):
        return None
    return tuple(texts)


def same_meaning(before: Document, after: Document) -> bool:
    """Whether ``after`` reads as ``before`` does: the same fields with the same values,
    frontmatter found and readable alike, strict YAML staying strict, the same body
    (up to trailing whitespace and line endings)."""
    fb, fa = before.frontmatter, after.frontmatter
    if (fb is None) != (fa is None):
        return False
    if fb is not None:
        if fb.readable != fa.readable or (fb.strict_ok and not fa.strict_ok) or fb.closed != fa.closed:
            return False
        if fb.readable and field_values(before) != field_values(after):
            return False
        if not fb.readable and _norm(before.slice(fb.span)) != _norm(after.slice(fa.span)):
            return False
    return _norm(before.body_text) == _norm(after.body_text)


def _norm(text: str) -> str:
    return _rstrip_lines(_NEWLINES.sub("\n", text)).rstrip("\n")


def _rstrip_lines(text: str) -> str:
    """Every line without its trailing blanks (``str.rstrip`` per line: linear; a regex
    such as ``[ \t]+(?=\n)`` retries every blank of a long run and is quadratic)."""
    return "\n".join(line.rstrip(" \t") for line in text.split("\n"))


# -- the steps ----------------------------------------------------------------------------------
def _line_endings(doc: Document) -> str | None:
    return _NEWLINES.sub("\n", doc.text) if "\r" in doc.text else None


def _replace(text: str, edits: list[tuple[Span, str]]) -> str:
    out, at = [], 0
    for span, new in sorted(edits, key=lambda e: e[0].start):
        out.append(text[at:span.start])
        out.append(new)
        at = span.end
    out.append(text[at:])
    return "".join(out)


def _quote_lenient(doc: Document) -> str | None:
    fm = doc.frontmatter
    if fm is None or not fm.readable:
        return None
    edits = [(e.value.span, double_quoted(e.value.value)) for e in fm.entries
             if e.lenient and e.value is not None and "\n" not in doc.slice(e.value.span)]
    return _replace(doc.text, edits) if edits else None


def double_quoted(value: str) -> str:
    """A YAML double-quoted scalar of ``value`` (JSON's escapes are YAML's)."""
    return json.dumps(value, ensure_ascii=False)


def _block_entries(doc: Document):
    """The frontmatter's entries when it is a strict block mapping whose keys each start a
    line (no duplicates), else ``None``."""
    fm = doc.frontmatter
    if fm is None or not fm.closed or not fm.strict_ok or fm.root is None or fm.root.kind != "map":
        return None
    entries = fm.entries
    if len({e.key for e in entries}) != len(entries):
        return None
    index, text = doc.index, doc.text
    for e in entries:
        if index.line_start(index.line_of(e.key_span.start)) != e.key_span.start:
            return None
    if text[fm.content.start:fm.content.end].lstrip().startswith("{"):
        return None
    return entries


def _key_order(doc: Document) -> str | None:
    entries = _block_entries(doc)
    if not entries or len(entries) < 2:
        return None
    if getattr(doc.kind, "target", CLAUDE_CODE) != CLAUDE_CODE:
        return None  # the documented order is Claude Code's; another tool's file keeps its own
    order = {key: i for i, key in enumerate(FIELDS_BY_KIND.get(doc.kind or "agent", {}))}
    known = [i for i, e in enumerate(entries) if e.key in order]
    wanted = sorted(known, key=lambda i: order[entries[i].key])
    if wanted == known:
        return None
    fm, index, text = doc.frontmatter, doc.index, doc.text
    # Each entry's chunk: from the comment lines right above its key to the next chunk.
    starts = []
    floor = fm.content.start
    for e in entries:
        line = index.line_of(e.key_span.start)
        start = index.line_start(line)
        while line > 0 and index.line_start(line - 1) >= floor and index.line_text(line - 1).lstrip().startswith("#"):
            line -= 1
            start = index.line_start(line)
        starts.append(start)
        floor = index.line_start(index.line_of(max(e.span.end - 1, e.key_span.start)) + 1)
    ends = starts[1:] + [fm.content.end]
    chunks = [text[s:t] for s, t in zip(starts, ends)]
    if not all(c.endswith("\n") for c in chunks):
        return None
    placed = list(chunks)
    for slot, source in zip(known, wanted):
        placed[slot] = chunks[source]
    return text[:starts[0]] + "".join(placed) + text[fm.content.end:]


def _tool_lists(doc: Document, style: str) -> str | None:
    """Each tool list written as a comma string (``style`` ``"comma"``) or a block YAML
    list (``"yaml"``), where both read alike (:func:`tool_entries`) and no comment sits
    among the items; each converted list's entries are checked against the original's."""
    keys = _tool_keys(doc)
    entries = _block_entries(doc) if keys else None
    if not entries:
        return None
    text = doc.text
    edits: list[tuple[Span, str]] = []
    converted: dict[str, tuple[str, ...]] = {}
    for e in entries:
        node = e.value
        if e.key not in keys or node is None or e.lenient or e.broken:
            continue
        if (node.kind == "seq") == (style == "yaml"):
            continue  # already in that form
        got = tool_entries(doc, node)
        colon = e.key_span.end
        if got is None or text[colon:colon + 1] != ":":
            continue
        if any(t[0] in "'\"" or t[-1] in "'\"" for t in got):
            continue  # quotes that are part of the entry's text, not YAML's: left as written
        edit = _as_comma(doc, e, got) if style == "comma" else _as_yaml(doc, e, got)
        if edit is not None:
            edits.append(edit)
            converted[e.key] = got
    if not edits:
        return None
    new = _replace(text, edits)
    after = doc.with_text(new)
    fm = after.frontmatter
    if fm is None or not fm.strict_ok:
        return None
    for key, want in converted.items():
        entry = after.get(key)
        if entry is None or entry.value is None or tool_entries(after, entry.value) != want:
            return None
        if (entry.value.kind == "seq") != (style == "yaml"):
            return None
    return new


def _as_comma(doc: Document, e, texts: tuple[str, ...]) -> tuple[Span, str] | None:
    """``key: a, b``: the edit from after the colon to the end of the list (a block
    list's last line break kept), unless a comment sits among the items."""
    node, text = e.value, doc.text
    end = node.span.end
    if text[end - 1:end] == "\n":
        end -= 1
    region = Span(e.key_span.end + 1, end)
    bare = list(text[region.start:region.end])
    for item in node.items:
        bare[item.span.start - region.start:item.span.end - region.start] = " " * len(item.span)
    if "#" in "".join(bare):
        return None  # a comment among the items: left as written
    joined = ", ".join(texts)
    return region, " " + (joined if plain_ok(e.key, joined) else double_quoted(joined))


def _as_yaml(doc: Document, e, texts: tuple[str, ...]) -> tuple[Span, str] | None:
    """``key:`` and a ``  - entry`` line each; a comment after the string stays on the
    key's line."""
    node, text, index = e.value, doc.text, doc.index
    if "\n" in doc.slice(node.span):
        return None
    line = index.line_of(node.span.start)
    line_end = index.line_start(line) + len(index.line_text(line).rstrip("\r\n"))
    tail = text[node.span.end:line_end].strip()
    if tail and not tail.startswith("#"):
        return None
    items = []
    for t in texts:
        shown = t if _plain_item_ok(t) else double_quoted(t)
        items.append(f"\n  - {shown}")
    return Span(e.key_span.end + 1, line_end), ("  " + tail if tail else "") + "".join(items)


def _plain_item_ok(value: str) -> bool:
    """Whether ``- value`` unquoted is read by strict YAML as the same string."""
    return _reads_plain(value, f"- {value}\n",
                        lambda n: n.items[0] if n.kind == "seq" and len(n.items) == 1 else None)


_NEEDS_QUOTES = re.compile(r"^[\s\-?:,\[\]{}#&*!|>'\"%@`]|[\s]$|: |:$| #|[\x00-\x1f\x7f\\]")


def plain_ok(key: str, value: str) -> bool:
    """Whether ``key: value`` unquoted is read by strict YAML as the same string."""
    return _reads_plain(value, f"{key}: {value}\n",
                        lambda n: n.pairs[0][1] if n.kind == "map" and len(n.pairs) == 1 else None)


def _reads_plain(value: str, source: str, only) -> bool:
    """Whether strict YAML reads ``source`` as one plain string ``value`` (``only`` picks that
    one node from the document's root, or ``None``)."""
    if not value or _NEEDS_QUOTES.search(value):
        return False
    try:
        node = compose(source)
    except YamlError:
        return False
    got = only(node) if node is not None else None
    return got is not None and got.kind == "scalar" and got.tag == STR and got.style is None and got.value == value


def _unquote(doc: Document) -> str | None:
    entries = _block_entries(doc)
    if not entries:
        return None
    edits = []
    for e in entries:
        node = e.value
        if node is None or node.kind != "scalar" or node.style not in ("'", '"') or node.tag != STR:
            continue
        if "\n" in doc.slice(node.span) or node.explicit_tag:
            continue
        if plain_ok(e.key, node.value):
            edits.append((node.span, node.value))
    return _replace(doc.text, edits) if edits else None


def _whitespace(doc: Document) -> str | None:
    text = doc.text
    fm = doc.frontmatter
    out = []
    at = 0
    if fm is not None and fm.closed:
        end = fm.span.end
        head = text[:end]
        # Inside a block scalar trailing blanks are content: the meaning check keeps those.
        out.append(_rstrip_lines(head))
        at = end
    body_start = at
    code = [c for c in doc.code_blocks if c.end > body_start]
    for block in code:
        out.append(_strip_prose(text[at:block.start]))
        out.append(text[block.start:block.end])
        at = block.end
    out.append(_strip_prose(text[at:]))
    new = "".join(out)
    stripped = new.rstrip("\n")
    if stripped:
        new = stripped + "\n"
    return new if new != text else None


def _strip_prose(text: str) -> str:
    """Trailing blanks left out, except a hard break: two or more spaces after text with
    a line of text after it, kept as two spaces."""
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        stripped = line.rstrip(" \t")
        blanks = line[len(stripped):]
        if (blanks.startswith("  ") and "\t" not in blanks and stripped
                and i + 1 < len(lines) and lines[i + 1].strip(" \t")):
            stripped += "  "
        out.append(stripped)
    return "\n".join(out)


# -- edits for an editor -----------------------------------------------------------------------
def changed_region(before: str, after: str) -> tuple[Span, str] | None:
    """One edit turning ``before`` into ``after``: the span of ``before`` between their
    common prefix and suffix, and its replacement; ``None`` when equal."""
    if before == after:
        return None
    n = min(len(before), len(after))
    lo = 0
    while lo < n and before[lo] == after[lo]:
        lo += 1
    hi = 0
    while hi < n - lo and before[len(before) - 1 - hi] == after[len(after) - 1 - hi]:
        hi += 1
    return Span(lo, len(before) - hi), after[lo:len(after) - hi]


def _lines(text: str) -> list[str]:
    """Lines split at ``\n`` only, each with its break."""
    parts = text.split("\n")
    out = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        out.append(parts[-1])
    return out


def line_edits(before: str, after: str) -> list[tuple[Span, str]]:
    """Edits turning ``before`` into ``after``, hunk by hunk (whole lines), so that a range
    format can keep the ones inside its range. Linear: the lines the two texts share at
    the start and the end are left out, and the middles are compared line by line when they
    have as many lines (every step but the last keeps the line count: keys move as whole
    lines), else replaced in one hunk."""
    if before == after:
        return []
    a, b = _lines(before), _lines(after)
    starts = [0]
    for line in a:
        starts.append(starts[-1] + len(line))
    lo = 0
    while lo < min(len(a), len(b)) and a[lo] == b[lo]:
        lo += 1
    hi = 0
    while hi < min(len(a), len(b)) - lo and a[len(a) - 1 - hi] == b[len(b) - 1 - hi]:
        hi += 1
    a_end, b_end = len(a) - hi, len(b) - hi
    if a_end - lo != b_end - lo:
        return [(Span(starts[lo], starts[a_end]), "".join(b[lo:b_end]))]
    out = []
    i = lo
    while i < a_end:
        if a[i] == b[i]:
            i += 1
            continue
        j = i
        while j < a_end and a[j] != b[j]:
            j += 1
        out.append((Span(starts[i], starts[j]), "".join(b[i:j])))
        i = j
    return out
