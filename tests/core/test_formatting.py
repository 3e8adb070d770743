"""The canonical form (:mod:`agentls.services.formatting`): a table of ``before -> after``,
then the properties on every fixture and every real file of the corpus: formatting never
changes a value's meaning and is idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from agentls.rules.lint import parse
from agentls.services.formatting import field_values, format_document, line_edits, same_meaning

PATH = "/w/.claude/agents/a.md"
TESTS = Path(__file__).resolve().parent.parent


def fmt(text: str, path: str = PATH) -> str:
    return format_document(parse(text, path)).text


CASES = [
    ("canonical-unchanged", "---\nname: a\ndescription: Does a.\ntools: Read\n---\nBody.\n", None),
    ("key-order", "---\nmodel: sonnet\ntools: Read\ndescription: Does a.\nname: a\n---\nBody.\n",
     "---\nname: a\ndescription: Does a.\ntools: Read\nmodel: sonnet\n---\nBody.\n"),
    ("unknown-keys-stay", "---\ndescription: D.\nfoo: 1\nname: a\n---\n",
     "---\nname: a\nfoo: 1\ndescription: D.\n---\n"),
    ("comments-move-with-their-key", "---\ndescription: D.\n# who\nname: a\n---\n",
     "---\n# who\nname: a\ndescription: D.\n---\n"),
    ("block-scalar-moves-whole", "---\ndescription: |\n  Line one.\n  Line two.\nname: a\n---\n",
     "---\nname: a\ndescription: |\n  Line one.\n  Line two.\n---\n"),
    ("crlf", "---\r\nname: a\r\ndescription: D.\r\n---\r\nBody.\r\n", "---\nname: a\ndescription: D.\n---\nBody.\n"),
    ("lenient-value-quoted", "---\nname: a\ndescription: Use when: reviewing \"x\"\n---\n",
     "---\nname: a\ndescription: \"Use when: reviewing \\\"x\\\"\"\n---\n"),
    ("needless-quotes", "---\nname: \"a\"\ndescription: 'Does a.'\nmodel: \"sonnet\"\n---\n",
     "---\nname: a\ndescription: Does a.\nmodel: sonnet\n---\n"),
    ("needed-quotes-kept", "---\nname: \"yes\"\ndescription: \"a: b\"\nmodel: \"123\"\ncolor: '#fff'\n---\n", None),
    ("lists-kept-as-written", "---\nname: a\ndescription: D.\ntools:\n  - Read\n  - Grep\nskills: [x, y]\n---\n", None),
    ("trailing-whitespace", "---\nname: a  \ndescription: D.\t\n---\nBody.   \n\n\n", "---\nname: a\ndescription: D.\n---\nBody.\n"),
    ("hard-break-kept", "---\nname: a\ndescription: D.\n---\nline one  \nline two\n", None),
    ("code-untouched", "---\nname: a\ndescription: D.\n---\n```\ncode   \n```\n", None),
    ("no-frontmatter", "Just text.  \n", "Just text.\n"),
    ("duplicate-keys-not-reordered", "---\ndescription: D.\nname: a\nname: b\n---\n", None),
    ("unclosed-left-alone", "---\ndescription: D.\nname: a\n", None),
    ("literal-trailing-space-is-content", "---\nname: a\ndescription: |\n  keep \n---\n", None),
    ("empty", "", None),
]


@pytest.mark.parametrize("before, after", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_format(before, after):
    expected = before if after is None else after
    assert fmt(before) == expected
    assert fmt(expected) == expected  # idempotent


def test_skill_key_order():
    path = "/w/.claude/skills/x/SKILL.md"
    assert fmt("---\ndescription: D.\nname: x\n---\n", path) == "---\nname: x\ndescription: D.\n---\n"


@pytest.mark.parametrize("before", [c[1] for c in CASES] + [
    "---\nmodel: sonnet\nname: a\ndescription: D.\n---\nBody.  \n\nMore.\t\n",
    "---\r\nname: a\r\ndescription: D.\r\n---\r\n" + "line  \r\n\r\n" * 50,
], ids=[c[0] for c in CASES] + ["mixed", "crlf-many-lines"])
def test_line_edits_rebuild_the_text(before):
    after = fmt(before)
    text = before
    edits = sorted(line_edits(before, after), key=lambda e: e[0].start, reverse=True)
    for span, new in edits:
        text = text[:span.start] + new + text[span.end:]
    assert text == after


def _files():
    for folder in ("fixtures", "data/corpus"):
        for path in sorted((TESTS / folder).rglob("*.md")):
            yield path


@pytest.mark.parametrize("path", list(_files()), ids=lambda p: str(p.relative_to(TESTS)))
def test_every_real_file_keeps_its_meaning_and_is_stable(path):
    text = path.read_bytes().decode("utf-8", "replace")
    where = "/w/.claude/skills/x/SKILL.md" if path.name == "SKILL.md" else PATH
    doc = parse(text, where)
    once = format_document(doc).text
    after = parse(once, where)
    assert same_meaning(doc, after)
    assert field_values(doc) == field_values(after)
    assert format_document(after).text == once


@pytest.mark.parametrize("text", [
    "---\nname: a\ndescription: D.\n---\n" + " " * 200_000 + "x\n",  # a long run of blanks, not trailing
    "---\nname: a" + " " * 30_000 + "\ndescription: D.\n---\n",  # (past 64 KiB it is not read: left alone)
    "---\nname: a\ndescription: D.\n---\n" + "line  \n" * 20_000,
])
def test_long_blank_runs(text):
    once = fmt(text)
    assert fmt(once) == once
    assert all(not line.endswith(("   ", "\t")) for line in once.split("\n"))
