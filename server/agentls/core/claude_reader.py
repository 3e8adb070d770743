"""Claude Code's frontmatter reader, exactly: where the frontmatter ends, and its second pass.

Claude Code (``src/utils/frontmatterParser.ts``, the same in the ~v2.1.88 source map and
in cnwenf/occ ``src/utils/frontmatterParser.ts`` @073f3f72, a re-implementation tracking
v2.1.2xx) reads the frontmatter of agents, skills and commands so:

1. ``FRONTMATTER_REGEX = /^---\\s*\\n([\\s\\S]*?)---\\s*\\n?/``: ``---``, whitespace, a
   line break at the very start of the file (a byte-order mark is skipped since
   v2.1.239), then everything up to the *first* ``---`` anywhere, lazily: a ``---``
   inside a value or a comment ends the frontmatter there, and a ``-----`` line closes
   it after its first three dashes (the prompt then starts with ``--``).
2. The YAML is parsed; if that throws, it is parsed once more after
   ``quoteProblematicValues``: every line ``/^([a-zA-Z_-]+):\\s+(.+)$/`` whose value is
   not already quoted (starts and ends with ``"`` or with ``'``) and contains one of
   ``{ } [ ] * & # ! | > % @`` or a backtick, or ``": "``, becomes
   ``key: "value"`` (backslashes and double quotes escaped). The lines are split on
   ``\\n`` only and JavaScript's ``.`` matches no ``\\r``: with CRLF line endings no
   line is ever rewritten.
3. If that throws too, the file has no fields (an agent is skipped). A result that is
   not a mapping also gives no fields.

This module reproduces steps 1 and 2 on the text, in linear time, and gives the second
pass's nodes spans in the original text (:func:`read_yaml_claude_code`). It is Claude
Code's reading only: a tool that reads strict YAML (GitHub Copilot, Gemini CLI, ...)
uses :func:`agentls.core.yamlnodes.compose` alone.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from agentls.core import yamlnodes
from agentls.core.yamlnodes import YamlError, YNode

# JavaScript's ``\s`` (ECMAScript WhiteSpace and LineTerminator): Python's differs (it
# has U+001C-U+001F and U+0085, and lacks U+FEFF).
JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
# What JavaScript's ``.`` does not match (without the ``s`` flag).
JS_LINE_TERMINATORS = "\n\r\u2028\u2029"
_JS_SPACE_CHARS = frozenset(re.sub("\u2000-\u200a", "".join(map(chr, range(0x2000, 0x200B))), JS_SPACE))

_OPENING = re.compile(f"---[{JS_SPACE}]*\n")
_CLOSING_REST = re.compile(f"[{JS_SPACE}]*")
_KEY = re.compile(r"[a-zA-Z_-]+:")
# YAML_SPECIAL_CHARS in frontmatterParser.ts
_SPECIAL = re.compile(r"[{}\[\]*&#!|>%@`]|: ")


def opening_end_claude_code(text: str, start: int = 0) -> int:
    """Where Claude Code's frontmatter content starts, or -1 when the text at ``start``
    does not open a frontmatter (``^---\\s*\\n``; the greedy ``\\s*`` backs up to the
    last line break of the blanks after the dashes)."""
    m = _OPENING.match(text, start)
    return m.end() if m else -1


def closing_claude_code(text: str, content_start: int) -> int:
    """The offset of the ``---`` that ends Claude Code's frontmatter: the first one
    after ``content_start``, wherever it is (``([\\s\\S]*?)---``); -1 if none."""
    return text.find("---", content_start)


def body_start_claude_code(text: str, close: int) -> int:
    """Where the prompt starts after the closing ``---`` at ``close`` (``---\\s*\\n?``:
    the greedy blanks take every line break, so the optional one never matches)."""
    return _CLOSING_REST.match(text, close + 3).end()


@dataclass(frozen=True, slots=True)
class RequotedLine:
    """A line ``quoteProblematicValues`` rewrites, in the text it was given."""

    line_start: int
    key: str
    value_start: int  # the value as the regex captures it: from its first non-blank
    value_end: int  # to the end of the line, trailing blanks included
    value: str


def requote_line(line: str) -> tuple[str, int] | None:
    """The key and the value's offset in ``line`` when ``quoteProblematicValues`` rewrites
    the line, else None.

    The same answer as ``/^([a-zA-Z_-]+):\\s+(.+)$/`` plus the quoting tests, in linear
    time: the regex's greedy ``\\s+`` takes every blank, so the value starts at the first
    non-blank; a value holding a line terminator (a ``\\r``) makes every split fail; a
    line of only blanks after the colon captures one blank, which needs no quoting."""
    m = _KEY.match(line)
    if m is None:
        return None
    rest_start = m.end()
    n = len(line)
    j = rest_start
    while j < n and line[j] in _JS_SPACE_CHARS:
        j += 1
    if j == rest_start or j == n:
        return None  # no blank after the colon, or nothing but blanks (never special)
    value = line[j:]
    if any(c in value for c in JS_LINE_TERMINATORS):
        return None
    if (value[0] == '"' and value[-1] == '"') or (value[0] == "'" and value[-1] == "'"):
        return None  # startsWith and endsWith: a lone `"` counts as quoted too
    if _SPECIAL.search(value) is None:
        return None
    return line[: rest_start - 1], j


def quote_problematic_values_claude_code(content: str) -> tuple[str, list[RequotedLine]]:
    """``quoteProblematicValues(content)``: the rewritten text and the lines it rewrote."""
    if not _SPECIAL.search(content):
        return content, []
    out: list[str] = []
    lines: list[RequotedLine] = []
    pos = 0
    for line in content.split("\n"):
        hit = requote_line(line)
        if hit is None:
            out.append(line)
        else:
            key, at = hit
            value = line[at:]
            escaped = value.replace("\\", "\\\\").replace('"', '\\"')
            out.append(f'{key}: "{escaped}"')
            lines.append(RequotedLine(pos, key, pos + at, pos + len(line), value))
        pos += len(line) + 1
    return "\n".join(out), lines


class Positions:
    """Offsets in the rewritten text -> offsets in the original (both relative to the
    content), for the second pass's nodes and errors.

    Outside rewritten lines the text is the same, shifted. In a rewritten line the key
    and its colon keep their place; the quoted string maps onto the original value: its
    opening quote to the value's start, its closing quote to the value's end, and a
    character inside it to the character it escapes."""

    def __init__(self, content: str, requoted: list[RequotedLine]) -> None:
        self.content = content
        self.lines = requoted
        self.new_starts: list[int] = []  # where each rewritten line starts in the new text
        self._deltas_after: list[int] = []  # new - original offset, after each rewritten line
        delta = 0
        for r in requoted:
            self.new_starts.append(r.line_start + delta)
            delta += (len(r.key) + 4 + _escaped_len(r.value)) - (r.value_end - r.line_start)
            self._deltas_after.append(delta)

    def __call__(self, new: int) -> int:
        i = bisect.bisect_right(self.new_starts, new) - 1
        if i < 0:
            return new
        r = self.lines[i]
        d = new - self.new_starts[i]
        k = len(r.key)
        escaped = _escaped_len(r.value)
        line_len = k + 4 + escaped
        if d >= line_len:  # past the rewritten line: unchanged text, shifted
            return new - self._deltas_after[i]
        if d <= k + 1:  # the key, its colon, and the blank written after it
            return r.line_start + d
        if d == k + 2:
            return r.value_start
        if d == line_len - 1:
            return r.value_end
        # Inside the quotes: walk the value to the character this escape belongs to.
        target = d - (k + 3)
        seen = 0
        for i_char, ch in enumerate(r.value):
            seen += 2 if ch in '\\"' else 1
            if seen > target:
                return r.value_start + i_char
        return r.value_end  # pragma: no cover - target is inside the quotes

    def value_span(self, new_start: int) -> tuple[int, int] | None:
        """The original value span of the rewritten line whose quoted string opens at
        ``new_start``, or None when no quoted value starts there."""
        i = bisect.bisect_right(self.new_starts, new_start) - 1
        if i < 0:
            return None
        r = self.lines[i]
        if new_start - self.new_starts[i] != len(r.key) + 2:
            return None
        return r.value_start, r.value_end


def _escaped_len(value: str) -> int:
    return len(value) + value.count("\\") + value.count('"')


@dataclass(slots=True)
class ClaudeReading:
    """How Claude Code reads one frontmatter's YAML.

    ``how``: ``"strict"`` (the first pass), ``"requoted"`` (only the second pass reads it)
    or ``"unreadable"`` (neither: no fields). ``root`` has spans in the original text; in
    the second pass, a value of a rewritten line is a plain scalar spanning the value as
    written, whose text is the value Claude Code reads. Offsets are absolute (``base``)."""

    how: str
    root: YNode | None = None
    strict_error: YamlError | None = None
    error: YamlError | None = None  # the second pass's, when unreadable
    requoted: list[RequotedLine] = field(default_factory=list)  # absolute offsets


def read_yaml_claude_code(content: str, base: int = 0) -> ClaudeReading:
    """Read ``content`` (the text between the fences) as Claude Code does. Raises
    :class:`yamlnodes.YamlTooComplex` as :func:`yamlnodes.compose` does."""
    try:
        return ClaudeReading("strict", yamlnodes.compose(content, base))
    except yamlnodes.YamlTooComplex:
        raise
    except YamlError as exc:
        strict = exc
    quoted, requoted = quote_problematic_values_claude_code(content)
    absolute = [RequotedLine(r.line_start + base, r.key, r.value_start + base, r.value_end + base, r.value)
                for r in requoted]
    if not requoted:  # the same text again: the same error
        return ClaudeReading("unreadable", strict_error=strict, error=strict, requoted=absolute)
    positions = Positions(content, requoted)
    try:
        root = yamlnodes.compose_mapped(quoted, base, positions)
    except yamlnodes.YamlTooComplex:
        raise
    except YamlError as exc:
        error = YamlError(exc.message, base + positions(exc.offset), exc.context)
        return ClaudeReading("unreadable", strict_error=strict, error=error, requoted=absolute)
    return ClaudeReading("requoted", root, strict_error=strict, requoted=absolute)

