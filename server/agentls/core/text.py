"""Line tables and position conversion.

The core speaks code-point offsets into the document text. Lines are split the way
LSP splits them (``\\r\\n``, ``\\n`` or ``\\r``), never the way ``str.splitlines`` does
(which also breaks on form feeds, ``\\x85`` and U+2028): a diagnostic must land on the
line the editor shows.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import accumulate, islice, repeat
from operator import add

_NEWLINE = re.compile(r"\r\n|\r|\n")
_LF = re.compile("\n")


@dataclass(frozen=True, slots=True)
class InvalidUTF8:
    """Where a file read as UTF-8 is not: its first bad byte, and how many there are."""

    offset: int  # code-point offset of that byte's U+FFFD in the decoded text
    byte_offset: int
    byte: int
    count: int  # bytes that are not part of valid UTF-8, in the whole file

    def __reduce__(self):
        return (InvalidUTF8, (self.offset, self.byte_offset, self.byte, self.count))


_ESCAPED = re.compile("[\udc80-\udcff]")


def decode_utf8(data: bytes) -> tuple[str, InvalidUTF8 | None]:
    """Decode as Claude Code does (UTF-8; each undecodable sequence becomes U+FFFD), and
    say where the first undecodable byte was, if any. Never raises."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        start = exc.start
    offset = len(data[:start].decode("utf-8"))
    count = len(_ESCAPED.findall(data.decode("utf-8", "surrogateescape")))
    return data.decode("utf-8", "replace"), InvalidUTF8(offset, start, data[start], count)


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range of code-point offsets ``[start, end)`` into a document."""

    start: int
    end: int

    def __reduce__(self):  # pickled by the thousand for worker processes: keep it small and fast
        return (Span, (self.start, self.end))

    def shifted(self, delta: int) -> "Span":
        return Span(self.start + delta, self.end + delta)

    def contains(self, offset: int) -> bool:
        return self.start <= offset <= self.end

    def __len__(self) -> int:
        return self.end - self.start


class LineIndex:
    """Maps offsets to ``(line, column)`` in code points, and columns to client units.

    Line starts are found lazily, a chunk at a time, only as far as a query needs: a
    keystroke in a 1 MB prompt whose findings sit in the frontmatter never scans the
    rest of the file for line breaks.
    """

    __slots__ = ("text", "_starts", "_scanned", "_pattern")
    _CHUNK = 4096

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts = [0]
        self._scanned = 0  # every line break in text[:_scanned] is in _starts
        # A one-character pattern is much faster than the alternation; most files are LF.
        self._pattern = _NEWLINE if "\r" in text else _LF

    def _scan(self, offset: int) -> None:
        """Know every line start up to ``offset`` (and a chunk beyond)."""
        text = self.text
        n = len(text)
        if self._scanned >= n or offset < self._scanned:
            return
        end = min(n, max(offset, self._scanned + self._CHUNK))
        if end < n and text[end - 1] == "\r":
            end += 1  # keep a CRLF pair in one chunk
        if self._pattern is _LF:
            # C-speed iterators: each "\n" at p starts a line at p + 1, i.e. the running
            # sum of (length + 1) of the pieces between the breaks.
            pieces = text[self._scanned:end].split("\n")
            pieces.pop()
            self._starts.extend(islice(accumulate(map(add, map(len, pieces), repeat(1)),
                                                  initial=self._scanned), 1, None))
        else:
            self._starts.extend(m.end() for m in self._pattern.finditer(text, self._scanned, end))
        self._scanned = end

    def _scan_line(self, line: int) -> None:
        while len(self._starts) <= line and self._scanned < len(self.text):
            self._scan(self._scanned + self._CHUNK)

    @property
    def starts(self) -> list[int]:
        """Every line's start offset (scans the whole text)."""
        self._scan(len(self.text))
        return self._starts

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def has_line(self, line: int) -> bool:
        self._scan_line(line)
        return 0 <= line < len(self._starts)

    def line_start(self, line: int) -> int:
        """Offset where ``line`` starts (the end of the text past the last line)."""
        return self._starts[line] if self.has_line(line) else len(self.text)

    def line_of(self, offset: int) -> int:
        self._scan(offset)
        return bisect.bisect_right(self._starts, offset) - 1

    def position(self, offset: int) -> tuple[int, int]:
        """``(line, column)``, both 0-based, column in code points."""
        offset = max(0, min(offset, len(self.text)))
        line = self.line_of(offset)
        return line, offset - self._starts[line]

    def offset(self, line: int, column: int) -> int:
        """The offset of a code-point position, clamped into the document."""
        if line < 0:
            return 0
        if not self.has_line(line):
            return len(self.text)
        start = self._starts[line]
        return min(start + max(column, 0), self.line_end(line))

    def line_end(self, line: int) -> int:
        """Offset of the end of ``line``'s content (before its line break)."""
        if self.has_line(line + 1):
            end = self._starts[line + 1]
            text = self.text
            if end >= 2 and text[end - 2 : end] == "\r\n":
                return end - 2
            return end - 1
        return len(self.text)

    def line_text(self, line: int) -> str:
        if not self.has_line(line):
            return ""
        return self.text[self._starts[line] : self.line_end(line)]

    # -- client units ---------------------------------------------------------------
    def to_client(self, offset: int, encoding: str = "utf-16") -> tuple[int, int]:
        """``(line, character)`` in the client's position encoding."""
        line, col = self.position(offset)
        if encoding == "utf-32" or col == 0:
            return line, col
        start = self._starts[line]
        prefix = self.text[start : start + col]
        return line, units(prefix, encoding)

    def from_client(self, line: int, character: int, encoding: str = "utf-16") -> int:
        """The offset of a client position; out-of-range positions are clamped."""
        if line < 0:
            return 0
        if not self.has_line(line):
            return len(self.text)
        start = self._starts[line]
        text = self.line_text(line)
        if encoding == "utf-32":
            return start + min(max(character, 0), len(text))
        count = 0
        for i, ch in enumerate(text):
            if count >= character:
                return start + i
            count += char_units(ch, encoding)
        return start + len(text)


def char_units(ch: str, encoding: str) -> int:
    cp = ord(ch)
    if encoding == "utf-8":
        return 1 if cp < 0x80 else 2 if cp < 0x800 else 3 if cp < 0x10000 else 4
    if encoding == "utf-16":
        return 2 if cp >= 0x10000 else 1
    return 1


def units(s: str, encoding: str) -> int:
    """Length of ``s`` in the code units of ``encoding``."""
    if encoding == "utf-8":
        return len(s.encode("utf-8", "surrogatepass"))
    if encoding == "utf-16":
        if s.isascii():
            return len(s)
        return len(s) + sum(1 for ch in s if ord(ch) >= 0x10000)
    return len(s)
