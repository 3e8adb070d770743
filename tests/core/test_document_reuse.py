"""``Document(text, previous=...)``: the language server reuses the YAML of the last
version when a keystroke leaves it untouched, and the result is a fresh parse's."""

from __future__ import annotations

from pathlib import Path

import pytest
from agentls.core.document import Document
from agentls.rules.lint import Context, lint

CORPUS = Path(__file__).parent.parent / "data" / "corpus"
AGENT = "---\nname: reviewer\ndescription: Reviews code: diffs and tests\ntools: Read, Bash(git:*)\n---\n\n# Role\n\nYou review.\n"


def findings(doc: Document) -> list[tuple]:
    return [(f.code, f.span, f.message, f.fix) for f in lint(doc, Context("agent"))]


@pytest.mark.parametrize(("edit", "reused"), [
    (lambda t: t + "More text.\n", True),  # typing in the body
    (lambda t: t.replace("# Role", "## Role"), True),
    (lambda t: t.replace("reviewer", "reviewr"), False),  # inside the YAML
    (lambda t: "\n" + t, False),  # everything moves
    (lambda t: "\ufeff" + t, False),
    # `---x` still ends the frontmatter for Claude Code (at its first three dashes): the
    # YAML is the same text in the same place
    (lambda t: t.replace("\n---\n\n#", "\n---x\n\n#"), True),
])
def test_yaml_is_reused_only_when_it_is_unchanged_and_in_place(edit, reused):
    before = Document(AGENT, "a.md", "agent")
    text = edit(AGENT)
    after = Document(text, "a.md", "agent", previous=before)
    fresh = Document(text, "a.md", "agent")
    assert (after.frontmatter.entries[0] is before.frontmatter.entries[0]) is reused
    assert findings(after) == findings(fresh)


def corpus_files():
    return sorted(p for p in CORPUS.rglob("*.md") if p.name not in ("SOURCES.md",))


@pytest.mark.parametrize("path", corpus_files()[::7], ids=lambda p: p.name)
def test_a_body_edit_on_a_real_file_gives_a_fresh_parse_findings(path):
    text = path.read_text(encoding="utf-8", errors="replace")
    before = Document(text, str(path), "agent")
    for edited in (text + "\n## Added\n", text.replace("\n\n", "\n\n<example>\n", 1)):
        assert findings(Document(edited, str(path), "agent", previous=before)) == \
            findings(Document(edited, str(path), "agent"))


def test_no_chain_of_old_versions_is_kept():
    doc = Document(AGENT, "a.md", "agent", previous=Document(AGENT, "a.md", "agent"))
    assert doc._previous is None


# -- body scans: reused, moved, when the changed lines cannot affect them ----------------------
BODY = ("---\nname: reviewer\ndescription: Reviews code.\n---\n\n# Role\n\nYou review code.\n\n"
        "```\n# not a heading\nplain code\n```\n\n<example\n  kind=long\n>\nuser: hi\n</example>\n\n"
        "## Steps\n\nCafÃ© 😀\n")


def scans(doc: Document) -> tuple:
    return (doc.code_blocks, doc.heading_marks, doc.heading_levels,
            [(t.closing, t.span) for t in doc.example_tags], doc.suspect_chars)


def edited(text: str, anchor: str, insert: str) -> tuple[str, tuple[int, int]]:
    at = text.index(anchor)
    return text[:at] + insert + text[at:], (at, len(text) - at)


@pytest.mark.parametrize(("anchor", "insert", "reused"), [
    ("review code.", "carefully ", True),  # plain words on a plain line
    ("user: hi", "\n\nmore lines\n", True),  # inside an example, no tag characters
    ("plain code", "more ", True),  # inside a code block: the block's end moves
    ("kind=long", "very ", True),  # inside a tag that spans lines: its end moves
    ("review code.", "#", False),  # could be a heading now
    ("review code.", "`", False),  # could open a fence
    ("review code.", "<", True),  # could start a tag: example tags are scanned again, headings not
    ("Reviews code.", "x", False),  # in the frontmatter
])
def test_body_scans_are_reused_only_when_the_changed_lines_cannot_matter(anchor, insert, reused):
    before = Document(BODY, "a.md", "agent")
    scans(before)  # computed, as after a check
    text, unchanged = edited(BODY, anchor, insert)
    after = Document(text, "a.md", "agent", previous=before, unchanged=unchanged)
    assert scans(after) == scans(Document(text, "a.md", "agent"))
    assert (after.heading_levels is before.heading_levels) is reused
