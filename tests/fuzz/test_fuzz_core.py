"""Property tests of the core: parse + lint never fails, and every finding is placeable.

The bounded run here takes a few seconds; ``AGENTLS_FUZZ_LONG=1`` (or a number, the
examples per test) runs the long fuzz: ``AGENTLS_FUZZ_LONG=20000 pytest tests/fuzz``.
"""

from __future__ import annotations

import logging
import os

import pytest
from agentls.core.text import LineIndex, Span, units
from agentls.lsp.convert import apply_change, to_range
from agentls.rules.lint import lint_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import documents, edits

_LONG = os.environ.get("AGENTLS_FUZZ_LONG", "")
EXAMPLES = (int(_LONG) if _LONG.isdigit() and int(_LONG) > 1 else 3000) if _LONG else 120
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not _LONG, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.large_base_example])
ENCODINGS = ("utf-8", "utf-16", "utf-32")
PATHS = ["/ws/.claude/agents/a.md", "/ws/.claude/commands/c.md", "/ws/skills/s/SKILL.md",
         "/ws/plugins/p/agents/a.md", None]


class _Errors(logging.Handler):
    """lint() logs (and survives) a failing check; a fuzz run must see none."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="module")
def errors():
    handler = _Errors()
    logger = logging.getLogger("agentls")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def _check(text: str, path: str | None, errors: _Errors):
    errors.records.clear()
    doc, findings = lint_text(text, path)
    assert not errors.records, [r.getMessage() + "\n" + str(r.exc_info and r.exc_info[1]) for r in errors.records]
    n = len(text)
    index = LineIndex(text)
    for f in findings:
        assert 0 <= f.span.start <= f.span.end <= n, (f.code, f.span, n)
        for enc in ENCODINGS:
            for off in (f.span.start, f.span.end):
                line, ch = index.to_client(off, enc)
                assert 0 <= line < index.line_count
                assert 0 <= ch <= units(index.line_text(line), enc), (f.code, off, enc)
                assert index.from_client(line, ch, enc) == off, (f.code, off, enc)
            rng = to_range(index, f.span, enc)
            assert (rng.start.line, rng.start.character) <= (rng.end.line, rng.end.character)
        if f.fix is not None:
            spans = sorted((e.span.start, e.span.end) for e in f.fix.edits)
            for (s, e), nxt in zip(spans, spans[1:] + [(n, n)]):
                assert 0 <= s <= e <= nxt[0] <= n, (f.code, spans)
    return doc, findings


@FUZZ
@given(documents(), st.sampled_from(PATHS))
def test_parse_and_lint_never_fail_and_spans_are_placeable(errors, text, path):
    _check(text, path, errors)


@FUZZ
@given(documents(), st.data())
def test_fixes_apply_and_reparse(errors, text, data):
    path = "/ws/.claude/agents/a.md"
    _, findings = _check(text, path, errors)
    fixable = [f for f in findings if f.fix is not None]
    if not fixable:
        return
    f = data.draw(st.sampled_from(fixable))
    new = text
    for e in sorted(f.fix.edits, key=lambda e: e.span.start, reverse=True):
        new = new[: e.span.start] + e.new_text + new[e.span.end:]
    _check(new, path, errors)


@FUZZ
@given(st.data(), st.sampled_from(("utf-8", "utf-16")))
def test_incremental_edits_equal_final_text(errors, data, encoding):
    """Edits sent as LSP ranges (the server's path) give the text a direct splice gives,
    and its findings are those of a fresh parse of that text."""
    text = data.draw(documents())
    expected = text
    synced = text
    for start, end, new in data.draw(edits(text)):
        index = LineIndex(synced)
        # What a client sends: the range in its encoding, computed on its own copy.
        rng = to_range(index, Span(start, end), encoding)
        if index.from_client(rng.start.line, rng.start.character, encoding) != start or \
                index.from_client(rng.end.line, rng.end.character, encoding) != end:
            # An offset inside a \r\n pair has no LSP position; a client never sends it.
            continue
        expected = expected[:start] + new + expected[end:]
        synced = apply_change(synced, index, rng, new, encoding)
        assert synced == expected
    _, incremental = _check(synced, "/ws/.claude/agents/a.md", errors)
    _, fresh = lint_text(expected, "/ws/.claude/agents/a.md")
    key = lambda fs: [(f.code, f.span, f.message, f.severity) for f in fs]  # noqa: E731
    assert key(incremental) == key(fresh)


@FUZZ
@given(documents(), st.integers(-3, 400), st.integers(-3, 10_000), st.sampled_from(ENCODINGS))
def test_client_positions_are_clamped(text, line, character, encoding):
    index = LineIndex(text)
    off = index.from_client(line, character, encoding)
    assert 0 <= off <= len(text)


@FUZZ
@given(st.data())
def test_reusing_the_last_version_gives_a_fresh_parse_findings(data):
    """The server parses each version with the last one as ``previous`` (its YAML is
    reused when unchanged); after every edit the findings must be a fresh parse's."""
    from agentls.core.document import Document
    from agentls.lsp.convert import unchanged_after
    from agentls.rules.lint import context_for, lint

    path = data.draw(st.sampled_from(PATHS[:4]))
    text = data.draw(documents())
    hinted = data.draw(st.booleans())  # whether the caller says what the edits left alone
    ctx = context_for(path)
    key = lambda fs: [(f.code, f.span, f.message, f.severity, f.fix) for f in fs]  # noqa: E731
    doc = Document(text, path, ctx.kind)
    lint(doc, ctx)  # as in the server, the last version has been checked (its scans exist)
    prefix = suffix = len(text)
    for start, end, new in data.draw(edits(text)):
        before = text
        text = text[:start] + new + text[end:]
        prefix, suffix = unchanged_after(prefix, suffix, before, Span(start, end))
        if data.draw(st.booleans()):  # parse now, or let another edit come first (debounce)
            doc = Document(text, path, ctx.kind, previous=doc,
                           unchanged=(prefix, suffix) if hinted else None)
            fresh = Document(text, path, ctx.kind)
            assert key(lint(doc, ctx)) == key(lint(fresh, ctx))
            assert _scans(doc) == _scans(fresh)
            prefix = suffix = len(text)


def _scans(doc) -> tuple:
    return (doc.code_blocks, doc.heading_marks, doc.heading_levels,
            [(t.name, t.closing, t.span) for t in doc.example_tags], doc.suspect_chars)
