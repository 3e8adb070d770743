"""Text to :class:`Document`: frontmatter nodes with exact spans, and the body's shape.

Parsing never raises. Everything odd about the text (a BOM, CRLF, a missing fence,
YAML that only a lenient reader accepts) is recorded on the document, and the rules
turn those records into findings.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from agentls.core import claude_reader, yamlnodes
from agentls.core.text import InvalidUTF8, LineIndex, Span
from agentls.core.yamlnodes import YamlError, YNode

# Agent files are small; these bounds keep a pathological file from stalling an
# editor. Past them the document is reported, not parsed.
# Past these, a file gets AGT007 instead of a parse: every document within them is
# answered in well under a second (bench/limits.py), and no working agent comes near
# them: 1 MiB of prompt is some 250,000 tokens, more than the context window of the
# models that run it, and 64 KiB of frontmatter is a description past the whole
# routing budget of every agent together.
MAX_DOCUMENT_CHARS = 1024 * 1024
MAX_FRONTMATTER_CHARS = 64 * 1024


_FENCE = re.compile(r"---[ \t]*")
_BLANK = re.compile(r"[ \t\r\n]*")
_DASHES = re.compile(r"-{4,}[ \t]*|---[ \t]*\S.*")
_DASH_LINE = re.compile(r"^---", re.M)
# re.M: ``key:`` ending a line of a multi-line chunk. The key ends on a character that is
# not a blank (``[^:\n]*?[ \t]*:`` tried every blank of a long run against every later
# one: a line of 200,000 spaces took 37 s); it is the same match, found in linear time.
_KEY_LINE = re.compile(r"([^\s#:\-\[\]{}'\"|>&*!%@`,?](?:[^:\n]*[^: \t\n])?)[ \t]*:(?=[ \t]|\r?$)", re.M)
_EOL = r"(?=\r\n|\r|\n|\Z)"
_HEADING_CORE = r"( {0,3})(#{1,6})(?=[ \t\r\n]|\Z)([^\r\n]*)" + _EOL
_FENCE_CORE = r" {0,3}((`{3,}|~{3,})([^\r\n]*))" + _EOL
# Each pattern twice: anchored, for the body's first line, and after a literal "\n",
# which lets the regex engine skip ahead quickly (a ``^`` with re.M tests every position).
_HEADING_LINE = (re.compile(_HEADING_CORE), re.compile("\n" + _HEADING_CORE))
_FENCE_LINE = (re.compile(_FENCE_CORE), re.compile("\n" + _FENCE_CORE))
_MARK_CORE = r" {0,3}(#{1,6})(?=[ \t\r\n]|\Z)"
_HEADING_MARK = (re.compile(_MARK_CORE), re.compile("\n" + _MARK_CORE))
_TITLE = re.compile(r"[ \t]*(.*?)(?:[ \t]+#+)?[ \t]*$")
_EXAMPLE_TAG = re.compile(r"<(/?)example\b[^>]*>", re.IGNORECASE)
# Control characters (tab, LF and CR are allowed) and U+00C2-U+00F4, which start the
# mojibake of UTF-8 read as Windows-1252: one character class, the regex engine's
# fastest path; ordinary text has no hits at all.
_SUSPECT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00c2-\u00f4]")
# Bytes that are not control characters: deleting them from an ASCII text leaves exactly
# its control characters, at memory speed.
_NOT_CONTROL = bytes(b for b in range(128) if not (b < 0x20 and b not in (9, 10, 13) or b == 0x7F))
_NOT_CONTROL_UTF8 = _NOT_CONTROL + bytes(range(128, 256))


@dataclass(slots=True)
class Entry:
    """A top-level frontmatter key and its value."""

    key: str
    key_span: Span
    value: YNode | None  # None: ``key:`` with nothing after it
    lenient: bool = False  # strict YAML rejects its line; Claude Code's second pass reads it
    broken: bool = False  # the value could not be read at all

    @property
    def span(self) -> Span:
        end = self.value.span.end if self.value is not None else self.key_span.end
        return Span(self.key_span.start, max(end, self.key_span.end))

    @property
    def value_span(self) -> Span:
        """The value's span, or the point just after the colon when it is empty."""
        if self.value is not None:
            return self.value.span
        return Span(self.key_span.end + 1, self.key_span.end + 1)


@dataclass(slots=True)
class YamlProblem:
    message: str
    span: Span
    recoverable: bool  # True: Claude Code's second pass reads this line (it quotes the value)
    context: str = ""


@dataclass(slots=True)
class Cut:
    """Claude Code's frontmatter ends at the first ``---`` after the opening fence, wherever
    it is: here, before the closing fence (in a value, a comment or a longer dashes line)."""

    span: Span  # the dashes
    reading: str  # how Claude Code reads the YAML before them (``ClaudeReading.how``)
    keys: tuple[str, ...] = ()  # the top-level keys Claude Code reads from it
    unclosed: bool = False  # no closing fence at all: these dashes are the only end


@dataclass(slots=True)
class Requote:
    """A line Claude Code's second pass rewrote as ``key: "value"``, and how strict YAML
    reads that line alone: ``"invalid"``, ``"same"`` (the same text) or ``"differs"``
    (``tools: [Read, Grep]`` is a list to YAML, the text ``[Read, Grep]`` to Claude Code);
    ``"unchecked"`` past :data:`MAX_REQUOTE_CHECKS` lines."""

    key: str
    key_span: Span
    value_span: Span
    strict: str
    strict_type: str = ""  # what YAML alone makes of the value, when it differs
    strict_text: str = ""  # ...and its text, when that is a string


@dataclass(slots=True)
class Frontmatter:
    """The frontmatter block; ``span`` covers the fences, ``content`` the YAML."""

    span: Span
    content: Span
    open_fence: Span
    close_fence: Span | None  # None: never closed (for Claude Code: no ``---`` after the opening)
    bad_close_fence: Span | None = None  # a ``-----`` or ``--- text`` line closing it
    bad_open_fence: bool = False  # the opening line is dashes but not ``---``
    leading: Span | None = None  # blank text before the opening fence
    entries: list[Entry] = field(default_factory=list)
    root: YNode | None = None
    problems: list[YamlProblem] = field(default_factory=list)
    not_mapping: YNode | None = None
    too_large: bool = False
    too_complex: YamlProblem | None = None
    # How Claude Code reads the YAML: "strict", "requoted" (only its second pass reads
    # it) or "unreadable" (neither: no fields); see agentls.core.claude_reader.
    reading: str = "strict"
    requoted: list[Requote] = field(default_factory=list)  # when "requoted"
    crlf_unquoted: bool = False  # "unreadable" only because CRLF lines are never requoted
    cut: Cut | None = None

    @property
    def closed(self) -> bool:
        return self.close_fence is not None

    @property
    def strict_ok(self) -> bool:
        return not self.problems and self.too_complex is None

    @property
    def readable(self) -> bool:
        """Whether Claude Code reads the fields (strict YAML, or its second pass)."""
        return (self.closed and not self.bad_open_fence and self.too_complex is None
                and self.reading != "unreadable")


@dataclass(slots=True)
class Heading:
    level: int
    text: str
    span: Span  # the whole heading line, without the line break
    text_span: Span  # just the title
    line: int


@dataclass(slots=True)
class Tag:
    name: str
    closing: bool
    span: Span


class Document:
    """A parsed agent Markdown file. Positions are code-point offsets into ``text``."""

    def __init__(self, text: str, path: str | None = None, kind: str | None = None,
                 previous: "Document | None" = None, unchanged: tuple[int, int] | None = None,
                 invalid_utf8: "InvalidUTF8 | None" = None, *,
                 known_keys: frozenset[str] | None = None) -> None:
        """``previous``: an earlier version of the same file (the language server passes
        it); when its YAML text is unchanged and at the same place, its parsed
        frontmatter is reused instead of composed again: a keystroke in the body costs
        no YAML work.

        ``unchanged``: ``(prefix, suffix)``, how many characters at the start and at the
        end of ``text`` are those of ``previous.text`` (the server knows from the edits).
        Then the body scans ``previous`` has made are reused, shifted, whenever the
        changed lines hold none of the characters a scan looks for (see ``_Shift``).

        ``invalid_utf8``: the file's bytes were not UTF-8 (see :func:`decode_utf8` and
        :func:`agentls.rules.lint.parse_bytes`); ``text`` is then what Claude Code reads, with U+FFFD.

        ``known_keys``: the frontmatter keys that are real fields, for reading invalid
        YAML the way Claude Code's lenient loader does: a ``key:`` line inside an
        unindented value is more of that value unless its key is one of these. The core
        knows no fields; the rules layer passes the schema's (``agentls.rules.lint.parse``).
        ``None``: every such line starts a key."""
        self._known_keys = known_keys
        self._previous = previous
        self._shift: _Shift | None = None
        self._yaml_reused = False
        self.text = text
        self.path = path
        self.kind = kind
        self.invalid_utf8 = invalid_utf8
        self.index = LineIndex(text)
        self.too_large = len(text) > MAX_DOCUMENT_CHARS
        self.bom = text.startswith("\ufeff")
        self.frontmatter: Frontmatter | None = None
        self.body = Span(0, len(text))
        self.alternate_format: str | None = None
        if not self.too_large:
            self._parse_frontmatter()
            if previous is not None and unchanged is not None:
                self._shift = _Shift.between(previous, self, *unchanged)
        self._previous = None  # keep no chain of old versions alive

    def with_text(self, text: str) -> "Document":
        """Another text of the same file, parsed the same way (path, kind, known keys)."""
        return Document(text, self.path, self.kind, known_keys=self._known_keys)

    # -- lookups -----------------------------------------------------------------------
    @cached_property
    def entries(self) -> dict[str, Entry]:
        """Entries by key; the last one wins, as in PyYAML and Claude Code."""
        if self.frontmatter is None:
            return {}
        return {e.key: e for e in self.frontmatter.entries}

    def get(self, key: str) -> Entry | None:
        return self.entries.get(key)

    def scalar(self, key: str) -> str | None:
        """The text of a string-valued field, else ``None``."""
        entry = self.entries.get(key)
        if entry is None or entry.value is None or entry.value.kind != "scalar":
            return None
        return entry.value.value

    @property
    def name(self) -> str | None:
        return self.scalar("name")

    @property
    def description(self) -> str | None:
        return self.scalar("description")

    def slice(self, span: Span) -> str:
        return self.text[span.start : span.end]

    @cached_property
    def crlf(self) -> int:
        """Offset of the first ``\\r`` line break, or -1."""
        return self.text.find("\r")

    # -- body --------------------------------------------------------------------------
    # The body is scanned with whole-text regexes rather than a per-line loop, and in
    # three lazy parts, so that a keystroke in a 1 MB prompt with thousands of headings
    # pays only for what the rules ask: code spans, heading levels, example tags.
    @cached_property
    def code_blocks(self) -> list[Span]:
        """Fenced code blocks in the body (body rules ignore their content)."""
        code: list[Span] = []
        if self.too_large:
            return code
        old = self._shift.take("code_blocks", "`~") if self._shift is not None else None
        if old is not None:
            spans = self._shift.spans(old)
            if spans is not None:
                return spans
        text = self.text
        if "```" not in text and "~~~" not in text:
            return code  # a C-speed answer for prompts without code blocks
        fence: re.Match | None = None
        for m in _line_matches(_FENCE_LINE, text, self.body.start):
            if fence is None:
                if m.group(2)[:1] == "`" and "`" in m.group(3):
                    continue  # ```` ``inline`` ```` is not a fence
                fence = m
            elif (m.group(2)[0] == fence.group(2)[0] and len(m.group(2)) >= len(fence.group(2))
                  and not m.group(3).strip()):
                code.append(Span(fence.start(1), m.end()))
                fence = None
        if fence is not None:
            code.append(Span(fence.start(1), len(text)))
        return code

    def in_code(self, offset: int) -> bool:
        code = self.code_blocks
        if not code:
            return False
        i = bisect.bisect_right(self._code_starts, offset) - 1
        return i >= 0 and code[i].start <= offset < code[i].end

    @cached_property
    def _code_starts(self) -> list[int]:
        return [c.start for c in self.code_blocks]

    @cached_property
    def heading_marks(self) -> list[tuple[int, int]]:
        """``(offset of the #s, level)`` of each ATX heading outside code, cheaply."""
        if self.too_large:
            return []
        old = self._shift.take("heading_marks", "#`~") if self._shift is not None else None
        if old is not None:
            return [(self._shift.offset(at), level) for at, level in old]
        text, start = self.text, self.body.start
        first = _HEADING_MARK[0].match(text, start)
        marks = [(m.start(1), m.end(1) - m.start(1)) for m in _HEADING_MARK[1].finditer(text, start)]
        if first is not None:
            marks.insert(0, (first.start(1), first.end(1) - first.start(1)))
        if self.code_blocks:
            marks = [mark for mark in marks if not self.in_code(mark[0])]
        return marks

    @cached_property
    def heading_levels(self) -> list[int]:
        """The level of each heading, in order: C-speed ``findall`` when there is no code."""
        if self.too_large:
            return []
        old = self._shift.take("heading_levels", "#`~") if self._shift is not None else None
        if old is not None:
            return old  # levels have no offsets: as they were
        if self.code_blocks:
            return [level for _, level in self.heading_marks]
        text, start = self.text, self.body.start
        first = _HEADING_MARK[0].match(text, start)
        levels = list(map(len, _HEADING_MARK[1].findall(text, start)))
        if first is not None:
            levels.insert(0, len(first.group(1)))
        return levels

    @cached_property
    def headings(self) -> list[Heading]:
        """ATX headings outside fenced code, with their titles and lines."""
        headings: list[Heading] = []
        if self.too_large:
            return headings
        index = self.index
        code = bool(self.code_blocks)
        for m in _line_matches(_HEADING_LINE, self.text, self.body.start):
            if code and self.in_code(m.start(2)):
                continue
            rest = _TITLE.match(m.group(3))
            title = rest.group(1) if rest else ""
            tstart = m.start(3) + (rest.start(1) if rest else 0)
            headings.append(Heading(len(m.group(2)), title, Span(m.start(1), m.end()),
                                    Span(tstart, tstart + len(title)), index.line_of(m.start(2))))
        return headings

    @cached_property
    def example_tags(self) -> list[Tag]:
        """``<example>`` / ``</example>`` tags in the body, outside code."""
        tags: list[Tag] = []
        if self.too_large:
            return tags
        old = self._shift.take("example_tags", "<>`~") if self._shift is not None else None
        if old is not None:
            spans = self._shift.spans([t.span for t in old])
            if spans is not None:
                return [Tag(t.name, t.closing, span) for t, span in zip(old, spans)]
        text = self.text
        # Inside inline code: an odd number of backticks before the tag on its line. They
        # are counted on from the last tag of the same line, not from the line's start
        # (thousands of tags on one line were quadratic).
        line_start = text.rfind("\n", 0, self.body.start) + 1
        counted, ticks = line_start, 0  # backticks in text[line_start:counted]
        for m in _EXAMPLE_TAG.finditer(text, self.body.start):
            if self.in_code(m.start()):
                continue
            at = m.start()
            nl = text.rfind("\n", counted, at)
            if nl >= 0:
                line_start, counted, ticks = nl + 1, nl + 1, 0
            ticks += text.count("`", counted, at)
            counted = at
            if ticks % 2 == 1:
                continue
            tags.append(Tag("example", m.group(1) == "/", Span(m.start(), m.end())))
        return tags

    @cached_property
    def suspect_chars(self) -> list[int]:
        """Offsets of control characters and of U+00C2-U+00F4 (where mojibake starts), in
        the whole text: what the character rules look at (``agentls.rules.encoding``)."""
        old = self._shift.take("suspect_chars", _SUSPECT) if self._shift is not None else None
        if old is not None:  # the last version's scan, moved past the edit
            return [self._shift.offset(o) for o in old]
        text = self.text
        # Most agent files are plain ASCII: no mojibake possible, and control characters
        # are rarer still, so the regex runs only when a C-level test finds something.
        if text.isascii():
            clean = not text.encode("ascii").translate(None, _NOT_CONTROL)
        else:
            # Other text (emoji make a str 4 bytes a character, and the regex slow on it):
            # in UTF-8, a suspect is a control byte or U+00C2-U+00F4, i.e. C3 82..C3 B4.
            data = text.encode("utf-8", "surrogatepass")
            clean = b"\xc3" not in data and not data.translate(None, _NOT_CONTROL_UTF8)
        return [] if clean else [m.start() for m in _SUSPECT.finditer(text)]

    @property
    def body_text(self) -> str:
        return self.text[self.body.start : self.body.end]

    # -- parsing -----------------------------------------------------------------------
    def _parse_frontmatter(self) -> None:
        text = self.text
        index = self.index
        start = 1 if self.bom else 0
        # Leading blank lines hide the frontmatter from Claude Code; find it anyway so
        # the other fields are still checked.
        first_ink = _BLANK.match(text, start).end()
        if first_ink >= len(text):
            return
        line = index.line_of(first_ink)
        open_start = max(index.line_start(line), start)
        first = text[open_start : index.line_end(line)]
        bad_open = False
        # Claude Code: ``---``, blanks, a line break (``^---\s*\n``).
        if claude_reader.opening_end_claude_code(text, open_start) < 0:
            if re.fullmatch(r"-{4,}[ \t]*", first):
                bad_open = True
            else:
                self.alternate_format = _detect_alternate_format(text[start:])
                return
        open_fence = Span(open_start, index.line_end(line))
        content_start = index.line_start(line + 1)
        close_line = None
        bad_close = None
        # Only lines that start with "---" matter: with "\n" breaks alone a C-speed search
        # finds them (a lone "\r" also breaks LSP lines, so such text is walked by line).
        if "\r" not in text:
            candidates = (index.line_of(m.start()) for m in _DASH_LINE.finditer(text, content_start))
        else:
            candidates = _lines_from(index, line + 1)
        for probe in candidates:
            raw = index.line_text(probe)
            if raw.startswith("---") and _FENCE.fullmatch(raw):
                close_line = probe
                break
            if bad_close is None and raw.startswith("---") and _DASHES.fullmatch(raw):
                bad_close = probe
        leading = Span(start, open_start) if open_start > start else None
        if close_line is None and bad_close is not None:
            close_line = bad_close
            bad_close_span = Span(index.line_start(bad_close), index.line_end(bad_close))
        else:
            bad_close_span = None
        # Claude Code's frontmatter ends at the first "---" after the opening, wherever it
        # is; where that is before the closing line, it is cut short (or, with no closing
        # line, that is its end).
        sees = not bad_open and leading is None
        cc_close = claude_reader.closing_claude_code(text, content_start) if sees else -1
        if close_line is None and cc_close < 0:
            fm = Frontmatter(Span(open_start, len(text)), Span(content_start, len(text)),
                             open_fence, None, leading=leading, bad_open_fence=bad_open)
            self.frontmatter = fm
            self.body = Span(len(text), len(text))
            return
        if close_line is None:  # only a "---" inside a line ends it: Claude Code's split
            dashes = _dash_run(text, cc_close)
            close = dashes
            content = Span(content_start, cc_close)
            body_start = claude_reader.body_start_claude_code(text, cc_close)
        else:
            close = Span(index.line_start(close_line), index.line_end(close_line))
            content = Span(content_start, max(content_start, index.line_start(close_line)))
            body_start = index.line_start(close_line + 1)
        fm = Frontmatter(Span(open_start, close.end), content, open_fence,
                         close, bad_close_span, bad_open, leading)
        self.frontmatter = fm
        self.body = Span(body_start, len(text))
        if 0 <= cc_close < content.end or close_line is None:
            fm.cut = _cut(text, content.start, cc_close, unclosed=close_line is None)
        if len(content) > MAX_FRONTMATTER_CHARS:
            fm.too_large = True
            return
        if self._reuse_yaml(fm):
            self._yaml_reused = True
        else:
            _read_yaml(fm, text, self._known_keys)

    def _reuse_yaml(self, fm: Frontmatter) -> bool:
        """Take the previous version's YAML results if its YAML text is identical."""
        prev = self._previous
        old = prev.frontmatter if prev is not None else None
        if (old is None or old.content != fm.content or old.closed != fm.closed or old.too_large
                or prev._known_keys != self._known_keys
                or prev.text[old.content.start:old.content.end] != self.text[fm.content.start:fm.content.end]):
            return False
        # Every offset is absolute and the text before and within the YAML is the same,
        # so the nodes are valid as they are (they are never modified after parsing).
        fm.root, fm.not_mapping, fm.too_complex = old.root, old.not_mapping, old.too_complex
        fm.entries = list(old.entries)
        fm.problems = list(old.problems)
        fm.reading, fm.requoted, fm.crlf_unquoted = old.reading, list(old.requoted), old.crlf_unquoted
        return True


class _Shift:
    """How a new version relates to the previous one, for reusing its body scans.

    The changed text, widened to whole lines, is ``[lo, old_hi)`` in the old version
    and ``[lo, old_hi + delta)`` in the new one; everything before is identical and
    everything after is identical and moved by ``delta``. Every body scan matches
    within lines (headings, fence lines, characters) or, for example tags, between a
    ``<`` and a ``>``; so when the changed lines, old and new, hold none of the
    characters a scan looks for, its old results are still its results, moved. The
    scans must also have been of the body (the edit lies after the frontmatter, which
    the new version reused) and its code blocks must not have changed (no fence
    characters in the changed lines either).
    """

    __slots__ = ("lo", "old_hi", "delta", "old", "new", "scans")

    # The body scans (cached properties of Document) that may be reused.
    REUSABLE = ("code_blocks", "heading_marks", "heading_levels", "example_tags", "suspect_chars")

    def __init__(self, lo: int, old_hi: int, delta: int, old: str, new: str, scans: dict) -> None:
        self.lo, self.old_hi, self.delta, self.old, self.new, self.scans = lo, old_hi, delta, old, new, scans

    @classmethod
    def between(cls, prev: "Document", doc: "Document", prefix: int, suffix: int) -> "_Shift | None":
        old_text, text = prev.text, doc.text
        old_fm, fm = prev.frontmatter, doc.frontmatter
        if prev.too_large or (old_fm is None) != (fm is None) or prev.body.start != doc.body.start:
            return None
        if fm is not None and (old_fm.span != fm.span or not doc._yaml_reused):
            return None
        if not (0 <= prefix <= min(len(old_text), len(text)) and 0 <= suffix <= min(len(old_text), len(text)) - prefix):
            return None
        lo = text.rfind("\n", 0, prefix) + 1
        if lo < doc.body.start:
            return None  # the edit reaches into the frontmatter or its fences
        hi = text.find("\n", len(text) - suffix)
        hi = len(text) if hi < 0 else hi
        delta = len(text) - len(old_text)
        old_hi = hi - delta
        scans = {k: prev.__dict__[k] for k in cls.REUSABLE if k in prev.__dict__}
        if not scans:
            return None
        return cls(lo, old_hi, delta, old_text[lo:old_hi], text[lo:hi], scans)

    def take(self, key: str, looks_for: "str | re.Pattern[str]"):
        """The last version's scan ``key``, if the changed lines, old and new, hold none
        of the characters it ``looks_for`` (a string of them, or a pattern); else None.
        Offsets in it are the old ones: move them with ``offset`` or ``spans``."""
        old = self.scans.get(key)
        if old is None:
            return None
        if isinstance(looks_for, str):
            if any(c in self.old or c in self.new for c in looks_for):
                return None
        elif looks_for.search(self.old) is not None or looks_for.search(self.new) is not None:
            return None
        return old

    def offset(self, at: int) -> int:
        """Where an old offset outside the changed lines is now."""
        return at + self.delta if at >= self.old_hi else at

    def spans(self, spans: list[Span]) -> list[Span] | None:
        """Old spans moved; ``None`` if one starts or ends within the changed lines."""
        lo, hi, delta = self.lo, self.old_hi, self.delta
        out = []
        for span in spans:
            if span.end <= lo:
                out.append(span)
            elif span.start >= hi:
                out.append(Span(span.start + delta, span.end + delta))
            elif span.start < lo and span.end >= hi:
                out.append(Span(span.start, span.end + delta))  # around the change
            else:
                return None
        return out


def _lines_from(index: LineIndex, line: int):
    while index.has_line(line):
        yield line
        line += 1


def _line_matches(patterns: tuple[re.Pattern, re.Pattern], text: str, start: int):
    first = patterns[0].match(text, start)
    if first is not None:
        yield first
    yield from patterns[1].finditer(text, start)


def _detect_alternate_format(text: str) -> str | None:
    """Name a frontmatter format Claude Code does not read (TOML ``+++``, JSON ``{``)."""
    from agentls.core.formats import detect_frontmatter_format

    return detect_frontmatter_format(text)


def _read_yaml(fm: Frontmatter, text: str, known_keys: frozenset[str] | None = None) -> None:
    """Read the YAML as Claude Code does (:func:`claude_reader.read_yaml_claude_code`):
    strictly, else after its second pass. The entries are the values Claude Code reads;
    where it reads none, the best reading of each top-level chunk (:func:`_recover`)."""
    content = text[fm.content.start : fm.content.end]
    base = fm.content.start
    try:
        reading = claude_reader.read_yaml_claude_code(content, base)
    except yamlnodes.YamlTooComplex as exc:
        fm.too_complex = YamlProblem(exc.message, Span(exc.offset, exc.offset), False)
        return
    fm.reading = reading.how
    if reading.how == "unreadable":
        fm.crlf_unquoted = "\r" in content and _reads_with_lf(content)
        _recover(fm, text, reading.strict_error, known_keys)
        if not fm.crlf_unquoted and all(p.recoverable for p in fm.problems):
            # Each line is readable alone, not all of them together: the second pass's error.
            error = reading.error
            fm.problems.append(YamlProblem(error.message, _point(error.offset, text), False, error.context))
        return
    root = reading.root
    fm.root = root
    if reading.how == "requoted":
        _requotes(fm, text, reading)
    if root is None:
        return
    if root.kind != "map":
        fm.not_mapping = root
        return
    # Unchecked lines count as lenient too, so that an entry keeps its flag whichever lines
    # the check budget reaches (a fix of an earlier line moves it).
    lenient = {r.value_span.start for r in fm.requoted if r.strict in ("invalid", "unchecked")}
    for key, value in root.pairs:
        entry = _entry(key, value, text)
        if lenient and entry.value is not None and entry.value.span.start in lenient:
            entry.lenient = True
        fm.entries.append(entry)


# A value strict YAML may read otherwise than as its text: an indicator first, `: `, or a
# comment. Other values read the same both ways (`Use **bold**` is plain text to YAML too).
_INDICATOR_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@`")
# Rewritten lines composed alone to see how strict YAML reads them (each compose costs a
# loader, some 30 us): past this many, a line is left unchecked and gets no finding of its
# own. No real frontmatter comes near it; 64 KiB of `k: *` lines would take a second.
MAX_REQUOTE_CHECKS = 256


def _requotes(fm: Frontmatter, text: str, reading: "claude_reader.ClaudeReading") -> None:
    """``fm.requoted`` and the problems of the second pass: one per rewritten line that
    strict YAML rejects alone (at its error), or one at the strict error if none does."""
    checks = MAX_REQUOTE_CHECKS
    for r in reading.requoted:
        value = r.value
        key_span = Span(r.line_start, r.line_start + len(r.key))
        value_span = Span(r.value_start, r.value_end)
        if not (value[0] in _INDICATOR_FIRST or ": " in value or " #" in value or "\t#" in value):
            fm.requoted.append(Requote(r.key, key_span, value_span, "same"))
            continue
        if checks <= 0:
            fm.requoted.append(Requote(r.key, key_span, value_span, "unchecked"))
            continue
        checks -= 1
        try:
            node = yamlnodes.compose(text[r.line_start : r.value_end], r.line_start)
        except YamlError as exc:  # YamlTooComplex too: unreadable alone
            fm.requoted.append(Requote(r.key, key_span, value_span, "invalid"))
            fm.problems.append(YamlProblem(exc.message, _point(exc.offset, text), True, exc.context))
            continue
        alone = node.pairs[0][1] if node is not None and node.kind == "map" and node.pairs else None
        if alone is not None and alone.is_str and alone.value == value.rstrip(" \t"):
            fm.requoted.append(Requote(r.key, key_span, value_span, "same"))
        else:
            kind = "null" if alone is None else alone.type_name
            shown = alone.value if alone is not None and alone.is_str else ""
            fm.requoted.append(Requote(r.key, key_span, value_span, "differs", kind, shown))
    if not fm.problems:
        strict = reading.strict_error
        fm.problems.append(YamlProblem(strict.message, _point(strict.offset, text), True, strict.context))


def _reads_with_lf(content: str) -> bool:
    """Whether Claude Code would read this CRLF frontmatter with LF line endings."""
    lf = content.replace("\r\n", "\n").replace("\r", "\n")
    try:
        return claude_reader.read_yaml_claude_code(lf).how != "unreadable"
    except YamlError:
        return False


def _dash_run(text: str, at: int) -> Span:
    end = at + 3
    while end < len(text) and text[end] == "-":
        end += 1
    return Span(at, end)


def _cut(text: str, content_start: int, at: int, unclosed: bool) -> Cut:
    """Claude Code's frontmatter ending at the ``---`` at ``at``: what it reads before it."""
    span = _dash_run(text, at)
    if at - content_start > MAX_FRONTMATTER_CHARS:
        return Cut(span, "unreadable", (), unclosed)
    try:
        reading = claude_reader.read_yaml_claude_code(text[content_start:at], content_start)
    except YamlError:
        return Cut(span, "unreadable", (), unclosed)
    root = reading.root
    keys: tuple[str, ...] = ()
    if root is not None and root.kind == "map":
        keys = tuple(k.value if k.kind == "scalar" else text[k.span.start : k.span.end] for k, _ in root.pairs)
    return Cut(span, reading.how, keys, unclosed)


def _entry(key: YNode, value: YNode, text: str) -> Entry:
    name = key.value if key.kind == "scalar" else text[key.span.start : key.span.end]
    # ``key:`` with nothing after it composes to an empty null scalar.
    empty = value.kind == "scalar" and value.tag == yamlnodes.NULL and value.span.start == value.span.end
    return Entry(name, key.span, None if empty else value)


def _point(offset: int, text: str) -> Span:
    """A one-character span at ``offset`` (empty at the end of a line)."""
    if offset < len(text) and text[offset] not in "\r\n":
        return Span(offset, offset + 1)
    return Span(offset, offset)


def _recover(fm: Frontmatter, text: str, strict: YamlError, known_keys: frozenset[str] | None = None) -> None:
    """Read top-level keys one chunk at a time, where Claude Code reads no fields at all,
    so that the other rules still see them (and the problems say where the YAML fails).

    A chunk is a line that starts a key at column 0 plus the lines that continue it.
    A chunk that strict YAML accepts keeps its exact nodes. A one-line chunk that it
    rejects but Claude Code's second pass reads (``description: Use when: ...``) is a
    recoverable problem: alone it would not stop Claude Code. Anything else is not.
    """
    start, end = fm.content.start, fm.content.end
    chunks: list[list[int]] = []  # [start offset, end offset, is_key]
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl < 0 else nl + 1
        raw = text[pos:line_end].rstrip("\r\n")
        if _KEY_LINE.match(raw):
            chunks.append([pos, line_end, 1])
        elif chunks:
            chunks[-1][1] = line_end
        elif raw.strip() and not raw.lstrip().startswith("#"):
            chunks.append([pos, line_end, 0])
        pos = line_end
    strict_problem_recorded = False
    broken: Entry | None = None  # a value that runs on over unindented lines
    for c_start, c_end, is_key in chunks:
        chunk = text[c_start:c_end]
        if not is_key:
            fm.problems.append(YamlProblem(strict.message, _point(c_start, text), False, strict.context))
            strict_problem_recorded = True
            continue
        if broken is not None:
            # ``Context: ...`` or ``user: ...`` inside an unindented description looks like
            # a key; unless it is a real field, it is more of the broken value.
            m = _KEY_LINE.match(chunk)
            if m and known_keys is not None and m.group(1) not in known_keys:
                continue
            broken = None
        try:
            node = yamlnodes.compose(chunk, c_start)
        except YamlError as exc:
            entry, recoverable = _lenient_entry(chunk, c_start)
            fm.entries.append(entry)
            span = _point(exc.offset, text)
            message = exc.message
            unindented = _first_unindented(chunk)
            if not recoverable and unindented >= 0:
                broken = entry
                span = _point(c_start + unindented, text)
                message = (f"the value of `{entry.key}` continues on a line that is not indented")
            fm.problems.append(YamlProblem(message, span, recoverable, exc.context))
            strict_problem_recorded = True
            continue
        if node is not None and node.kind == "map":
            for key, value in node.pairs:
                fm.entries.append(_entry(key, value, text))
    if not strict_problem_recorded:
        # The chunks are fine one by one but not together (e.g. a bad indentation
        # between them): report the strict error where it is.
        fm.problems.append(YamlProblem(strict.message, _point(strict.offset, text), False, strict.context))


def _first_unindented(chunk: str) -> int:
    """Offset of the first continuation line that starts at column 0, or -1."""
    pos = chunk.find("\n")
    while 0 <= pos < len(chunk) - 1:
        ch = chunk[pos + 1]
        if ch not in " \t\r\n#":
            return pos + 1
        pos = chunk.find("\n", pos + 1)
    return -1


def _lenient_entry(chunk: str, base: int) -> tuple[Entry, bool]:
    lines = chunk.split("\n")
    # The first line as the chunking saw it: without its "\r"s, so that "key:\r\r\n"
    # (a lone CR is a YAML line break too) is the key line it was taken for.
    first = lines[0].rstrip("\r")
    m = _KEY_LINE.match(first)
    if m is None:  # pragma: no cover - chunks start at a key line; never crash on one
        return Entry(first.strip(), Span(base, base + len(first)), None, broken=True), False
    key = m.group(1)
    key_span = Span(base + m.start(1), base + m.end(1))
    rest_start = m.end() + 1
    raw = first[rest_start:]
    stripped = raw.strip()
    continued = any(line.strip() and not line.lstrip().startswith("#") for line in lines[1:])
    value_start = base + rest_start + (len(raw) - len(raw.lstrip()))
    node = YNode("scalar", yamlnodes.STR, Span(value_start, value_start + len(stripped)), value=stripped)
    # Claude Code's second pass reads the line if it rewrites it and the rewrite is YAML
    # (the line without "\r": with CRLF it rewrites nothing, see Frontmatter.crlf_unquoted).
    hit = None if continued else claude_reader.requote_line(first)
    recoverable = False
    if hit is not None:
        quoted, _ = claude_reader.quote_problematic_values_claude_code(first)
        try:
            yamlnodes.compose(quoted)
            recoverable = True
        except YamlError:
            pass
    if recoverable:
        at = hit[1]
        node = YNode("scalar", yamlnodes.STR, Span(base + at, base + len(first)), value=first[at:])
    return Entry(key, key_span, node if stripped else None, lenient=recoverable, broken=not recoverable), recoverable
