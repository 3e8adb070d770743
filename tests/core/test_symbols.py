"""Document symbols and folding ranges on the pure core (:mod:`agentls.services.symbols`).

The outline is written as an indented tree of ``name [kind] = the text its span covers``
(first line only); folding ranges as ``(first line, last line, kind)``.
"""

from __future__ import annotations

import pytest
from agentls.core.document import Document
from agentls.services.symbols import MAX_SYMBOLS, document_symbols, folding_ranges

AGENT = """---
name: reviewer
description: |
  Reviews code.
  Use after edits.
hooks:
  PreToolUse:
    - matcher: Bash
---

# Reviewer

Intro.

## Checklist

<example>
user: review
</example>

```sh
git diff
```

### Details 😀

## Output

"""


def outline(symbols, doc, depth=0):
    lines = []
    for s in symbols:
        covered = doc.slice(s.span).split("\n")[0]
        assert s.span.start <= s.selection.start <= s.selection.end <= s.span.end, s
        lines.append(f"{'  ' * depth}{s.name} [{s.kind}] = {covered}")
        lines.extend(outline(s.children, doc, depth + 1))
    return lines


def test_outline_nests_keys_and_headings():
    doc = Document(AGENT, "/w/.claude/agents/r.md", "agent")
    assert outline(document_symbols(doc), doc) == [
        "frontmatter [frontmatter] = ---",
        "  name [key] = name: reviewer",
        "  description [key] = description: |",
        "  hooks [key] = hooks:",
        "    PreToolUse [key] = PreToolUse:",
        "Reviewer [heading] = # Reviewer",
        "  Checklist [heading] = ## Checklist",
        "    Details 😀 [heading] = ### Details 😀",
        "  Output [heading] = ## Output",
    ]


def test_section_spans_end_before_the_next_heading_without_blank_lines():
    doc = Document(AGENT, "/w/.claude/agents/r.md", "agent")
    reviewer = document_symbols(doc)[1]
    checklist = reviewer.children[0]
    assert doc.slice(checklist.span).endswith("### Details 😀")
    assert doc.slice(reviewer.span).endswith("## Output")
    assert document_symbols(doc)[0].detail == "3 keys"
    assert document_symbols(doc)[0].children[1].detail == "Reviews code. Use after edits."


def test_folding_ranges():
    doc = Document(AGENT, "/w/.claude/agents/r.md", "agent")
    assert [(f.start, f.end, f.kind) for f in folding_ranges(doc)] == [
        (0, 8, "frontmatter"),
        (2, 4, "value"),  # the block scalar, not the next key
        (5, 7, "value"),
        (10, 26, "section"),  # "# Reviewer" to "## Output"
        (14, 24, "section"),  # "## Checklist" to "### Details"
        (16, 18, "example"),
        (20, 22, "code"),
    ]


@pytest.mark.parametrize("text", [
    "",
    "no frontmatter\n# Title\n",
    "---\nname: x\n",  # never closed
    "---\n: : :\n---\n",  # not YAML
    "---\nname: x\n---\n</example>\n<example>\n",  # unbalanced tags
    "---\nname: x\n---\n```\nnever closed\n",
    "# a\n" * 3 + "###### deep\n# b\n",
])
def test_odd_documents_never_raise(text):
    doc = Document(text, "/w/.claude/agents/x.md", "agent")
    for s in document_symbols(doc):
        assert s.span.start <= s.selection.start <= s.selection.end <= s.span.end
    for f in folding_ranges(doc):
        assert 0 <= f.start < f.end


def test_symbols_are_bounded():
    text = "---\nname: x\n---\n" + "## h\n" * (MAX_SYMBOLS * 2)
    doc = Document(text, "/w/.claude/agents/x.md", "agent")

    def count(symbols):
        return sum(1 + count(s.children) for s in symbols)

    assert count(document_symbols(doc)) <= MAX_SYMBOLS
