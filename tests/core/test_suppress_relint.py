"""Suppression comments are read once per document and never changed by a lint run:
the same document linted again (the server does, whenever the workspace index or the
settings change) gives what a fresh lint of it gives, as ``agentls check`` would."""

from __future__ import annotations

from agentls.core.document import Document
from agentls.engine.discovery import WorkspaceIndex
from agentls.rules.lint import Context, lint

PATH = "/w/.claude/agents/me.md"
OTHER = "/w/.claude/agents/other.md"
ME = """---
name: hushed  # agentls: ignore[AGT700]
description: Reviews code for quality. Use proactively after edits.
---

You review code.
"""
TWIN = "---\nname: hushed\ndescription: The twin, for tests only. Use after edits.\n---\nBody.\n"


def codes(doc: Document, index: WorkspaceIndex) -> list[str]:
    return [f.code for f in lint(doc, Context(kind="agent", workspace=index, path=PATH))]


def test_relinting_after_the_index_changed_is_a_fresh_lint():
    index = WorkspaceIndex("/w")
    index.update(OTHER, Document(TWIN, OTHER, "agent"), "agent")
    doc = Document(ME, PATH, "agent")
    assert "AGT700" not in codes(doc, index) and "AGT900" not in codes(doc, index)  # suppressed: used

    index.remove(OTHER)  # the twin went: the suppression now hides nothing
    fresh = codes(Document(ME, PATH, "agent"), index)
    assert fresh.count("AGT900") == 1
    assert codes(doc, index) == fresh  # it kept "used" from the first run and said nothing

    index.update(OTHER, Document(TWIN, OTHER, "agent"), "agent")
    assert codes(doc, index) == codes(Document(ME, PATH, "agent"), index)
    assert "AGT900" not in codes(doc, index)



def test_a_lint_leaves_nothing_on_the_document_but_its_own_scans():
    """Rules keep nothing on a document (no parsed suppressions, no scans of their own):
    what a lint adds to it are the document's own lazily computed properties."""
    from functools import cached_property

    index = WorkspaceIndex("/w")
    index.update(OTHER, Document(TWIN, OTHER, "agent"), "agent")
    doc = Document(ME + "Caf\u00c3\u00a9 \x07\n<!-- agentls-disable-next-line AGT4OO -->\n", PATH, "agent")
    before = set(vars(doc))
    assert "AGT901" in codes(doc, index)
    own = {name for name, value in vars(Document).items() if isinstance(value, cached_property)}
    assert set(vars(doc)) - before <= own
