"""Positions: code points in the core, exact UTF-16 / UTF-8 units at the edges."""

from __future__ import annotations

import pytest
from agentls.core.text import LineIndex

LINE = "d: 😀 café X"  # X follows an astral emoji (2 UTF-16 units, 4 UTF-8 bytes) and é


@pytest.mark.parametrize("encoding, expected", [("utf-32", 10), ("utf-16", 11), ("utf-8", 14)])
def test_column_after_emoji(encoding, expected):
    text = "---\n" + LINE + "\n"
    index = LineIndex(text)
    offset = text.index("X")
    assert index.to_client(offset, encoding) == (1, expected)
    assert index.from_client(1, expected, encoding) == offset


@pytest.mark.parametrize("text, lines", [
    ("a\nb", ["a", "b"]),
    ("a\r\nb", ["a", "b"]),
    ("a\rb", ["a", "b"]),
    ("a\x0cb\u2028c\x85d", ["a\x0cb\u2028c\x85d"]),  # not LSP line breaks
    ("", [""]),
    ("a\n", ["a", ""]),
])
def test_lines_split_like_lsp(text, lines):
    index = LineIndex(text)
    assert [index.line_text(i) for i in range(index.line_count)] == lines


def test_out_of_range_positions_are_clamped():
    index = LineIndex("ab\ncd")
    assert index.from_client(99, 0) == 5
    assert index.from_client(0, 99) == 2
    assert index.from_client(-1, 0) == 0
    assert index.position(99) == (1, 2)
