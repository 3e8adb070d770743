"""``Document(text, previous=...)``: the language server reuses the YAML of the last
version when a keystroke leaves it untouched, and the result is a fresh parse's."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentls.document import Document
from agentls.lint import Context, lint

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
    (lambda t: t.replace("\n---\n\n#", "\n---x\n\n#"), False),  # the closing fence breaks
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
