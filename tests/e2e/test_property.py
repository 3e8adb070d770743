"""Property: any stream of incremental edits ends where a fresh open of the final text does.

Hypothesis runs in a worker thread (it is synchronous); each example drives the real
server on the module's event loop through ``run_coroutine_threadsafe``. The client
keeps its own copy of the text, edited with LSP semantics (lines end at ``\\n``,
``\\r\\n`` or ``\\r`` only; columns in the negotiated units), computed independently of
the server's code. Text includes emoji, CJK, accents, form feeds and U+2028 (which
``str.splitlines`` treats as line breaks and LSP does not).
"""

from __future__ import annotations

import asyncio
import os
import re

import pytest
from e2e_helpers import (
    SEEDS,
    change,
    close_doc,
    lsp_client_fixture,
    open_doc,
    published,
    pull,
    uri_of,
    workspace_fixture,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.asyncio(loop_scope="module")

BREAK = re.compile(r"\r\n|\r|\n")
SEED = SEEDS[1].read_text(encoding="utf-8")[:2500] + "\nNon-ASCII: é 中文 😀 \u2028 \x0c end\n"
PIECES = ["a", "Z", " ", ":", "-", "---", "\n", "\r\n", "\r", "é", "中", "😀", "\u2028", "\x0c", "\t",
          "name: x", "tools: Read, Grepp", "model: sonet", "#", "<example>", '"', "'",
          # what the server's reused body scans look for (fences, tags, mojibake)
          "```", "~~~", "`", "</example>", ">", "Ã©", "\n## "]


def units(s: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(s.encode("utf-8"))
    if encoding == "utf-16":
        return len(s.encode("utf-16-le")) // 2
    return len(s)


def client_position(text: str, offset: int, encoding: str) -> tuple[int, int]:
    line, start = 0, 0
    for m in BREAK.finditer(text):
        if m.end() > offset:
            break
        line, start = line + 1, m.end()
    return line, units(text[start:offset], encoding)


def valid_offset(text: str, offset: int) -> int:
    """Never between the two halves of ``\\r\\n`` (no client produces that position)."""
    if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n":
        return offset - 1
    return offset


# AGENTLS_FUZZ_LONG (as in tests/fuzz) runs many more examples.
_LONG = os.environ.get("AGENTLS_FUZZ_LONG", "")
EXAMPLES = (int(_LONG) if _LONG.isdigit() and int(_LONG) > 1 else 300) if _LONG else 25

edits = st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1), st.lists(st.sampled_from(PIECES), max_size=4)),
                 min_size=1, max_size=8)


root = workspace_fixture("prop")


client = lsp_client_fixture(params=["visual-studio-code", "neovim+pull"])


async def test_incremental_edits_match_fresh_open(client, root):
    loop = asyncio.get_running_loop()
    uri = uri_of(root / ".claude/agents/prop.md")
    encoding = client.encoding
    pulling = client.pulls
    if encoding == "PositionEncodingKind.Utf16":
        encoding = "utf-16"

    async def diagnostics(version: int, after: int):
        if pulling:
            return await pull(client, uri)
        return await published(client, uri, version, after=after)

    async def run_example(steps) -> None:
        text = SEED
        before = len(client.published)
        open_doc(client, uri, text)
        version = 1
        for a, b, pieces in steps:
            start = valid_offset(text, int(a * len(text)))
            end = valid_offset(text, max(start, int(b * len(text))))
            new = "".join(pieces)
            (l0, c0), (l1, c1) = client_position(text, start, encoding), client_position(text, end, encoding)
            version += 1
            change(client, uri, version, ((l0, c0, l1, c1), new))
            text = text[:start] + new + text[end:]
        incremental = await diagnostics(version, before)
        close_doc(client, uri)
        before = len(client.published)
        open_doc(client, uri, text)
        fresh = await diagnostics(1, before)
        close_doc(client, uri)
        assert incremental == fresh, (steps, text)

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(edits)
    def check(steps):
        asyncio.run_coroutine_threadsafe(run_example(steps), loop).result(timeout=30)

    await asyncio.wait_for(loop.run_in_executor(None, check), 120)
