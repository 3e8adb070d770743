"""Work grows about linearly with every dimension of a document (issue 12).

Each row of :data:`ROWS` grows one dimension of an agent file (frontmatter keys, list
entries, tools, headings, ``<example>`` tags, suppression comments, lines, files that
share one name...) from ``n`` to ``10 n`` and runs an operation on both sizes: lint
(which parses), ``--fix``/fix-all, completion or hover. The test fails when the work
grows by more than :data:`LIMIT` (linear work gives about 10, quadratic about 100).

How the work is measured: the number of trace events (every Python line executed and
every Python call, counted with :func:`sys.settrace`) while the operation runs. The
count is the same on every machine and every run, whatever else the machine is doing,
so this is a measure of work, not a timed assertion. A super-linear loop in Python
(``list.index`` with dataclass equality, a scan of every directive per finding) shows
up in it directly. Work done inside C code (a regex that backtracks, ``str.rfind`` from
every match) is invisible to the tracer, so the rows whose work is mostly there
(``timed=True``) also compare the fastest of several interleaved timings of the two
sizes: a ratio measured within one run, never an absolute time, and interleaving
makes a busy machine slow both sizes alike.

Every operation first runs once on a small, different input, so that one-time work
(rule registration, compiled patterns, lazy imports) is not counted against ``n``.
"""

from __future__ import annotations

import gc
import sys
import time
from dataclasses import dataclass
from typing import Callable

import pytest
from agentls.core.document import Document
from agentls.engine.discovery import WorkspaceIndex
from agentls.engine.fixes import fix_document
from agentls.rules.lint import Context, lint
from agentls.services.completion import CompletionContext, complete
from agentls.services.hover import HoverContext, hover

LIMIT = 20  # work(10 n) / work(n): linear ~10, n log n ~13, quadratic ~100
TIME_LIMIT = 30  # the same for the fastest timings (the machine adds noise, not work)
ROOT = "/w"
PATH = "/w/.claude/agents/me.md"
HEAD = "---\nname: me\ndescription: Reviews code. Use proactively after edits.\n"
CURSOR = "\u2038"  # marks where completion and hover are asked for


def body(text: str) -> str:
    return HEAD + "---\n" + text


def front(text: str) -> str:
    return HEAD + text + "---\nBody.\n"


# -- inputs, one builder per dimension (n: how many of the thing) -----------------------------
def distinct_keys(n):  # unknown keys (AGT100), with did-you-mean for the first ones
    return front("".join(f"key{i}: value\n" for i in range(n)))


def same_key(n):  # the file: one `key: value` line n times (AGT012 each)
    return front("model: sonnet\n" * n)


def lenient_values(n):  # one-line values only Claude Code's lenient reader accepts (AGT011)
    return front("".join(f"{_letters(i)}: see: this\n" for i in range(n)))  # letter keys: see _letters


def list_entries(n):  # a YAML block list of n skills the workspace's n skills do not provide (AGT702 each)
    index = WorkspaceIndex(ROOT)
    for i in range(n):
        index.update(f"/w/.claude/skills/other-{i}/SKILL.md", Document(f"---\nname: other-{i}\n---\n"), "skill")
    return front("skills:\n" + "".join(f"  - skill-{i}\n" for i in range(n))), index


def lint_with_skills(built):
    text, index = built
    return lint_it(text, index)


_TOOL_KINDS = ("Read", "Grepp{i}", "LS(x{i})", "Task(a{i})", "mcp__s{i}__t", "Bash(git log {i}:*)", "Grep")


def _tools(n):
    return [_TOOL_KINDS[i % len(_TOOL_KINDS)].format(i=i) for i in range(n)]


def tools_comma(n):  # repeated, unknown, removed, deprecated, MCP and pattern entries
    return front("tools: " + ", ".join(_tools(n)) + "\n")


def tools_list(n):
    return front("tools:\n" + "".join(f"  - {t}\n" for t in _tools(n)))


def headings(n):  # every second heading skips a level (AGT602)
    return body("".join(f"# Part {i}\n\n### Step {i}\n\ntext\n\n" for i in range(n)))


def example_lines(n):  # unclosed <example> tags, one a line (AGT601 each)
    return body("<example>\nuser: hi\n" * n)


def example_one_line(n):  # the same tags on a single line
    return body("<example> hi " * n + "\n")


def next_line_comments(n):  # each comment suppresses the AGT602 below it
    return body("# Top\n\n" + "".join(f"<!-- agentls-disable-next-line AGT602 -->\n### Step {i}\n# Top {i}\n"
                                      for i in range(n)))


def region_comments(n):  # disable / enable pairs around each skip
    return body("# Top\n\n" + "".join(f"<!-- agentls-disable AGT602 -->\n### Step {i}\n"
                                      f"<!-- agentls-enable AGT602 -->\n# Top {i}\n" for i in range(n)))


def unused_comments(n):  # suppressions that suppress nothing (AGT900 each, with a fix)
    return body("".join(f"<!-- agentls-disable-next-line AGT400 -->\ntext {i}\n" for i in range(n)))


def unclosed_comments(n):  # `<!-- agentls-disable` never closed by `-->`
    return body("<!-- agentls-disable AGT602\n" * n)


def comments_and_code(n):  # suppressions between fenced code blocks
    return body("".join(f"```\ncode {i}\n```\n<!-- agentls-disable-next-line AGT602 -->\n### S{i}\n# T{i}\n"
                        for i in range(n)))


def comments_on_one_line(n):  # suppression comments side by side on a single line
    return body("<!-- agentls-disable-next-line AGT400 --> " * n + "\n")


def crlf_lines(n):  # CRLF line endings (AGT500: one fix, an edit per line) on n keys and n lines
    return front("".join(f"key{i}: value\n" for i in range(n))).replace("Body.", "Body.\n" * n).replace("\n", "\r\n")


def frontmatter_ignores(n):  # `# agentls: ignore[...]` on each unknown key
    return front("".join(f"key{i}: value  # agentls: ignore[AGT100]\n" for i in range(n)))


def body_lines(n):  # plain prompt lines, each with mojibake (AGT502) and a control character
    return body("".join(f"Line {i} with an em dash \u00e2\u20ac\u201d and a bell \x07 here.\n" for i in range(n)))


def long_key_line(n):  # one frontmatter line of blanks without a colon (the lenient reader's chunking)
    return front("name" + " " * (40 * n) + "x\nbad: [\n")


def _letters(i: int) -> str:  # a key Claude Code's second pass rewrites: letters only
    out = ""
    while True:
        out = "abcdefghijklmnopqrstuvwxyz"[i % 26] + out
        i //= 26
        if not i:
            return "k" + out


def requoted_values(n):  # values only Claude Code's second pass reads (`*`, `@`, `[x] y`: AGT011)
    return front("".join(f"{_letters(i)}: {'*@['[i % 3]}x] {i}\n" for i in range(n)))


def requote_blanks(n):  # one `key:` line of blanks before a value ending in "\r" (never requoted)
    return front("description:" + " " * (40 * n) + "a: b *\r\nbad: [\n")


def long_heading(n):  # one heading line of blanks
    return body("# Title" + " " * (40 * n) + "x\n")


# -- operations ----------------------------------------------------------------------------
def lint_it(text: str, workspace: WorkspaceIndex | None = None):
    doc = Document(text.replace(CURSOR, ""), PATH, "agent")
    return lint(doc, Context(kind="agent", workspace=workspace, path=PATH))


def fix_it(text: str):
    doc = Document(text, PATH, "agent")
    result = fix_document(doc, Context(kind="agent", path=PATH))
    assert result.fixed, "the input is meant to have fixes"
    return result


def _at(text: str) -> tuple[Document, int]:
    offset = text.index(CURSOR)
    return Document(text[:offset] + text[offset + 1:], PATH, "agent"), offset


def complete_it(text: str):
    doc, offset = _at(text)
    items = complete(doc, offset, CompletionContext(kind="agent", workspace=WorkspaceIndex(ROOT), path=PATH))
    assert items, "completion is meant to offer something here"
    return items


def hover_it(text: str):
    doc, offset = _at(text)
    result = hover(doc, offset, HoverContext(kind="agent", workspace=WorkspaceIndex(ROOT), path=PATH,
                                             lint_context=Context(kind="agent", path=PATH)))
    assert result is not None, "hover is meant to answer here"
    return result


def with_cursor(build: Callable[[int], str], where: str) -> Callable[[int], str]:
    """``build`` with the cursor at the start of a new last frontmatter line (``key``), on
    the value of the last list item (``item``) or on a new heading at the end (``heading``)."""
    def built(n: int) -> str:
        text = build(n)
        if where == "key":
            i = text.index("---\nBody.")
            return text[:i] + CURSOR + "\n" + text[i:]
        if where == "item":
            i = text.index("---\nBody.")
            return text[:i] + "  - Gre" + CURSOR + "\n" + text[i:]
        if where == "hover-key":
            i = text.index("---\nBody.")
            return text[:i] + "mod" + CURSOR + "el: opus\n" + text[i:]
        if where == "hover-item":
            i = text.index("---\nBody.")
            return text[:i] + "  - Gre" + CURSOR + "pp\n" + text[i:]
        assert where == "heading"
        return text + "## " + CURSOR + "\n"
    return built


def same_name_files(n: int):
    """``n`` agents named ``dup`` in one workspace: index them all, then lint each (AGT700)."""
    texts = {f"/w/.claude/agents/a{i}.md": "---\nname: dup\ndescription: A duplicated agent, for scaling.\n---\nBody.\n"
             for i in range(n)}
    return texts


def lint_workspace(texts: dict[str, str]):
    index = WorkspaceIndex(ROOT)
    docs = {p: Document(t, p, "agent") for p, t in texts.items()}
    for p, d in docs.items():
        index.update(p, d, "agent")
    out = [lint(d, Context(kind="agent", workspace=index, path=p)) for p, d in docs.items()]
    assert all(any(f.code == "AGT700" for f in found) for found in out)
    return out


@dataclass(frozen=True)
class Row:
    id: str
    build: Callable[[int], object]
    run: Callable[[object], object]
    n: int
    timed: bool = False  # the work is mostly in C (regexes, str methods): compare timings too


ROWS = [
    Row("keys/lint", distinct_keys, lint_it, 300),
    Row("same-key/lint", same_key, lint_it, 300),
    Row("same-key/fix", same_key, fix_it, 100),
    Row("lenient-values/lint", lenient_values, lint_it, 200),
    Row("lenient-values/fix", lenient_values, fix_it, 40),
    Row("list-entries/lint", list_entries, lint_with_skills, 300, timed=True),
    Row("tools-comma/lint", tools_comma, lint_it, 300),
    Row("tools-comma/fix", tools_comma, fix_it, 50),
    Row("tools-list/lint", tools_list, lint_it, 300),
    Row("tools-list/fix", tools_list, fix_it, 50),
    Row("headings/lint", headings, lint_it, 300),
    Row("example-tags/lint", example_lines, lint_it, 300),
    Row("example-tags-one-line/lint", example_one_line, lint_it, 500, timed=True),
    Row("next-line-comments/lint", next_line_comments, lint_it, 200),
    Row("region-comments/lint", region_comments, lint_it, 200),
    Row("unused-comments/fix", unused_comments, fix_it, 50),
    Row("unclosed-comments/lint", unclosed_comments, lint_it, 300, timed=True),
    Row("comments-between-code/lint", comments_and_code, lint_it, 200),
    Row("comments-on-one-line/lint", comments_on_one_line, lint_it, 500, timed=True),
    Row("frontmatter-ignores/lint", frontmatter_ignores, lint_it, 300),
    Row("crlf-lines/fix", crlf_lines, fix_it, 300),
    Row("body-lines/lint", body_lines, lint_it, 300),
    Row("body-lines/fix", body_lines, fix_it, 50),
    Row("long-key-line/lint", long_key_line, lint_it, 500, timed=True),
    Row("requoted-values/lint", requoted_values, lint_it, 200),
    Row("requoted-values/fix", requoted_values, fix_it, 40),
    Row("requote-blanks/lint", requote_blanks, lint_it, 500, timed=True),
    Row("long-heading/lint", long_heading, lint_it, 500, timed=True),
    Row("same-name-files/lint", same_name_files, lint_workspace, 300),
    Row("keys/complete", with_cursor(distinct_keys, "key"), complete_it, 300),
    Row("keys/hover", with_cursor(distinct_keys, "hover-key"), hover_it, 300),
    Row("tools-list/complete", with_cursor(tools_list, "item"), complete_it, 300),
    Row("tools-list/hover", with_cursor(tools_list, "hover-item"), hover_it, 300),
    Row("headings/complete", with_cursor(headings, "heading"), complete_it, 300),
]


def trace_events(fn: Callable[[], object]) -> int:
    """How many Python lines and calls ``fn()`` executes (deterministic)."""
    count = 0

    def local(frame, event, arg):
        nonlocal count
        count += 1
        return local

    def on_call(frame, event, arg):
        nonlocal count
        count += 1
        return local

    previous = sys.gettrace()  # a coverage tool's tracer, restored afterwards
    sys.settrace(on_call)
    try:
        fn()
    finally:
        sys.settrace(previous)
    return count


def fastest(fns: list[Callable[[], object]], repeats: int = 5) -> list[float]:
    """The fastest of ``repeats`` timings of each function, run interleaved."""
    best = [float("inf")] * len(fns)
    gc.collect()
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_work_grows_linearly(row: Row) -> None:
    small, large = row.build(row.n), row.build(10 * row.n)
    row.run(row.build(max(2, row.n // 10)))  # one-time work, on another input
    counts = [trace_events(lambda: row.run(small)), trace_events(lambda: row.run(large))]
    ratio = counts[1] / counts[0]
    assert ratio < LIMIT, (f"{row.id}: {counts[0]:,} trace events at n={row.n}, {counts[1]:,} at "
                           f"n={10 * row.n}: {ratio:.0f}x for 10x the input")
    if row.timed:
        times = fastest([lambda: row.run(small), lambda: row.run(large)])
        ratio = times[1] / times[0]
        assert ratio < TIME_LIMIT, (f"{row.id}: fastest {times[0] * 1e3:.2f} ms at n={row.n}, "
                                    f"{times[1] * 1e3:.2f} ms at n={10 * row.n}: {ratio:.0f}x for 10x the input")


def test_touching_removals_of_one_rule_go_in_one_pass() -> None:
    """1,000 consecutive duplicate keys: each fix removes the line before its key, touching
    the next fix's removal. They go in one pass (one pass per halving made the passes, and
    the work, grow with the count), and the result is what removing them one by one gives."""
    result = fix_document(Document(same_key(1000), PATH, "agent"), Context(kind="agent", path=PATH))
    assert result.text == same_key(1)
    assert (result.passes, len(result.fixed), result.converged) == (1, 999, True)
