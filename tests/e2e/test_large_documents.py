"""Large documents within the documented limits keep the real server answering (issue 12).

A frontmatter of 20,000 ``key: value`` lines (every one a duplicate key) kept the server
busy for about four minutes, and every request after it waited. Such a frontmatter is
now past the documented limit (64 KiB) and gets AGT007 at once; documents that fill the
limits (as many lines as fit) are checked in full. Each is opened here and the next
requests (hover, completion, code actions) must still be answered.
Each wait has a generous hang guard (:data:`GUARD`), many times what the work takes, so
the test fails on a server that hangs or works quadratically, never on a slow machine;
how fast the work is belongs to ``bench/`` and ``tests/core/test_scaling.py``.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from agentls.core.document import MAX_DOCUMENT_CHARS, MAX_FRONTMATTER_CHARS
from e2e_helpers import (
    close_doc,
    lsp_client_fixture,
    open_doc,
    publishes,
    until,
    uri_of,
    workspace_fixture,
)
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")

GUARD = 60.0  # seconds; the work takes about a second here
HEAD = "---\nname: big\ndescription: Reviews code for quality. Use proactively after edits.\n"

def fill(head: str, line, tail: str, limit: int) -> str:
    """``head``, then ``line(i)`` for as many ``i`` as fit in ``limit`` characters, then ``tail``."""
    parts, size, i = [head], len(head) + len(tail), 0
    while size + len(line(i)) <= limit:
        parts.append(line(i))
        size += len(line(i))
        i += 1
    return "".join(parts) + tail


YAML = MAX_FRONTMATTER_CHARS - 200  # the frontmatter's own fences and head fit in the rest
DOCUMENTS = {
    # The file: one line 20,000 times, now past the frontmatter limit.
    "issue-20k-same-key": HEAD + "model: sonnet\n" * 20_000 + "\n---\nBody.\n",
    # One line as often as fits (AGT012 on each, each with a fix).
    "same-key": fill(HEAD, lambda i: "model: sonnet\n", "\n---\nBody.\n", YAML),
    # Different unknown keys (AGT100).
    "distinct-keys": fill(HEAD, lambda i: f"key{i}: value\n", "\n---\nBody.\n", YAML),
    # A tools list, repeated, removed and unknown entries.
    "tools": fill(HEAD + "tools:\n", lambda i: f"  - {('Read', 'LS(x%d)' % i, 'Grepp%d' % i)[i % 3]}\n",
                  "\n---\nBody.\n", YAML),
    # Suppression comments over headings that skip a level, filling the document limit.
    "suppressions": fill(HEAD + "---\n# Top\n", lambda i: f"<!-- agentls-disable-next-line AGT602 -->\n"
                         f"### Step {i}\n# Part {i}\n", "", MAX_DOCUMENT_CHARS),
}

# A code the diagnostics hold, or (suppressions) must not hold. (The server sends the
# first 1,000 of a document's findings.)
EXPECTED = {"issue-20k-same-key": ("AGT007", True), "same-key": ("AGT012", True), "distinct-keys": ("AGT100", True), "tools": ("AGT405", True),
            "suppressions": ("AGT602", False)}


root = workspace_fixture("large")


client = lsp_client_fixture(timeout=GUARD)


def where(text: str, needle: str) -> types.Position:
    """The position of the first ``needle`` (ASCII text: UTF-16 columns are characters)."""
    offset = text.index(needle)
    line = text.count("\n", 0, offset)
    return types.Position(line=line, character=offset - (text.rfind("\n", 0, offset) + 1))


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
async def test_requests_after_a_large_document_are_answered(client, root, name):
    text = DOCUMENTS[name]
    uri = uri_of(root / ".claude" / "agents" / f"{name}.md")
    ident = types.TextDocumentIdentifier(uri=uri)
    open_doc(client, uri, text)
    # Sent at once, behind the open: it waits for the document's lint, never for minutes.
    hover = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
        text_document=ident, position=where(text, "description"))), GUARD)
    assert hover is not None and "description" in hover.contents.value
    diagnostics = await until(lambda: [p for p in publishes(client, uri) if p.version == 1], GUARD,
                              f"the diagnostics of {name}")
    found = Counter(str(d.code) for d in diagnostics[0].diagnostics)
    code, shown = EXPECTED[name]
    assert bool(found[code]) == shown, found.most_common(5)
    # On the blank last line of the frontmatter (keys), or on a heading of the body.
    end_of_yaml = where(text, "\n---\nBody") if "---\nBody" in text else where(text, "# Top")
    completion = await asyncio.wait_for(client.text_document_completion_async(types.CompletionParams(
        text_document=ident, position=end_of_yaml)), GUARD)
    items = completion.items if isinstance(completion, types.CompletionList) else (completion or [])
    if "---\nBody" in text:
        assert any(item.label == "tools" or item.label == "model" for item in items)
    # Code actions on the cursor's line (quick fixes there, and fix-all for the document).
    line = types.Range(start=types.Position(line=4, character=0), end=types.Position(line=4, character=0))
    actions = await asyncio.wait_for(client.text_document_code_action_async(types.CodeActionParams(
        text_document=ident, range=line, context=types.CodeActionContext(diagnostics=[]))), GUARD)
    if name == "same-key":
        assert any(a.kind == "source.fixAll.agentls" for a in actions or []), actions
    close_doc(client, uri)
