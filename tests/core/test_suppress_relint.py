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

