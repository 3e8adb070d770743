"""Inline suppression comments, applied in one place for the CLI and the server.

Body (Markdown), outside fenced code blocks and inline code::

    <!-- agentls-disable-next-line AGT400 -->      the next line only
    <!-- agentls-disable AGT602, unknown-tool -->  from here on ...
    <!-- agentls-enable AGT602 -->                 ... until re-enabled

Frontmatter (a YAML comment at the end of a line)::

    tools: Read, Grepp  # agentls: ignore[AGT400]

Codes and rule names may be mixed, separated by spaces or commas; no code means every
rule. On a key's line, ``# agentls: ignore`` covers the whole entry (a block list under
the key included). A suppression that hides nothing is reported as ``AGT900
unused-suppression`` and an unknown code as ``AGT901 unknown-rule-in-suppression``.

A document's comments are parsed into one immutable :class:`Suppressions` value
(:func:`suppressions_of`: once per document, kept beside it, never on it), which every
lint of that document shares; what one lint run used is tracked by that run alone
(:meth:`Suppressions.apply`, called by :func:`agentls.rules.lint.lint`, so every consumer
of ``lint`` sees the same result).
"""

from __future__ import annotations

import bisect
import re
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

from agentls.core.text import Span
from agentls.facts.targets import CLAUDE_CODE
from agentls.rules.registry import RULES, Edit, Finding, Fix, RuleSettings, find_rule

if TYPE_CHECKING:
    from agentls.core.document import Document
    from agentls.rules.lint import Context

UNUSED = "AGT900"
UNKNOWN = "AGT901"

_BODY = re.compile(r"<!--[ \t]*agentls-(disable-next-line|disable|enable)(?=[\s,]|-->)(.*?)-->", re.S)
_BODY_HEAD = re.compile(r"<!--[ \t]*agentls-(disable-next-line|disable|enable)(?=[\s,]|-->)")
_FRONT = re.compile(r"(?:^|[ \t])(#[ \t]*agentls:[ \t]*ignore)(?:\[([^\]\n]*)\])?[ \t]*$")
_TOKEN = re.compile(r"[^\s,]+")
_INK = re.compile(r"\S")


# Directives are immutable: parsed once per document, they are shared by every lint of
# it (the server lints one document again whenever the index or the settings change).
# What a run used is kept by that run (sets in ``Suppressions.apply``), never on them.
@dataclass(frozen=True, eq=False)
class CodeRef:
    token: str
    span: Span
    code: str | None  # None: not a rule


@dataclass(frozen=True, eq=False)
class Directive:
    kind: str  # "next-line", "disable", "enable", "ignore"
    span: Span  # the whole comment
    codes: tuple[CodeRef, ...] | None  # None: every rule
    lines: range = range(0)  # lines covered ("next-line", "ignore")
    delete: Span | None = None  # what deleting the comment removes
    rebuild: str = ""  # the comment's text with ``{codes}`` to fill in

    def matches(self, code: str) -> CodeRef | bool | None:
        """The ref (or True for a code-less directive) that covers ``code``, else None."""
        if self.codes is None:
            return True
        for ref in self.codes:
            if ref.code == code:
                return ref
        return None


def parse_directives(doc: "Document") -> tuple[Directive, ...]:
    """Every suppression comment in the document, in text order (a pure function of the
    text; the tuple and its directives are immutable)."""
    out: list[Directive] = []
    # One C-speed search decides the common case: no suppression comment at all.
    if not doc.too_large and "agentls" in doc.text:
        out.extend(_frontmatter_directives(doc))
        out.extend(_body_directives(doc))
    return tuple(out)


# Each document's parsed suppressions, keyed weakly by the document (identity): parsed
# once however often it is linted, gone with it, and nothing stored on the document.
_PARSED: "weakref.WeakKeyDictionary[Document, Suppressions]" = weakref.WeakKeyDictionary()


def suppressions_of(doc: "Document") -> "Suppressions":
    """The document's suppression comments, parsed once per document."""
    found = _PARSED.get(doc)
    if found is None:
        directives = parse_directives(doc)
        found = Suppressions(directives, _Lookup(directives)) if directives else NO_SUPPRESSIONS
        _PARSED[doc] = found
    return found


def _codes(text: str, base: int) -> tuple[CodeRef, ...] | None:
    refs = []
    for m in _TOKEN.finditer(text):
        rule = find_rule(m.group())  # every rule is registered: lint and rules.suppressions call this
        refs.append(CodeRef(m.group(), Span(base + m.start(), base + m.end()), rule.code if rule else None))
    return tuple(refs) or None


def _body_directives(doc: "Document") -> list[Directive]:
    text, index = doc.text, doc.index
    out = []
    # Per line, counted on from the last comment of the same line, not from the line's
    # start (thousands of comments on one line were quadratic): the backticks before the
    # comment, and where the line's first non-blank character is.
    current, counted, ticks, ink = -1, 0, 0, 0
    for m in _body_matches(text, doc.body.start, doc.body.end):
        start = m.start()
        if doc.in_code(start):
            continue
        line = index.line_of(start)
        line_start = index.line_start(line)
        if line != current:
            first = _INK.search(text, line_start, index.line_end(line))
            current, counted, ticks, ink = line, line_start, 0, first.start() if first else len(text)
        ticks += text.count("`", counted, start)
        counted = start
        if ticks % 2 == 1:
            continue  # inside inline code
        kind = {"disable-next-line": "next-line"}.get(m.group(1), m.group(1))
        end_line = index.line_of(m.end())
        lines = range(end_line + 1, end_line + 2) if kind == "next-line" else range(0)
        # Deleting a comment that is alone on its line removes the line.
        line_end = index.line_end(end_line)
        if ink >= start and _INK.search(text, m.end(), line_end) is None:
            nxt = index.line_start(end_line + 1) if index.has_line(end_line + 1) else line_end
            delete = Span(line_start, nxt)
        else:
            delete = Span(start, m.end())
        out.append(Directive(kind, Span(start, m.end()), _codes(m.group(2), m.start(2)), lines, delete,
                             f"<!-- agentls-{m.group(1)} {{codes}} -->"))
    return out


def _body_matches(text: str, start: int, end: int):
    """``_BODY.finditer(text, start, end)`` in linear time: each match's ``.*?-->`` scans
    ahead for the closing ``-->``, and when there is none, every later opening would scan
    to the end again (thousands of unclosed comments were quadratic). With no ``-->``
    after one opening there is none after any later one either: stop there."""
    pos = start
    while True:
        head = _BODY_HEAD.search(text, pos, end)
        if head is None:
            return
        if text.find("-->", head.end(), end) < 0:
            return
        m = _BODY.match(text, head.start(), end)
        if m is None:  # pragma: no cover - the head and a closing "-->" make a match
            pos = head.start() + 1
            continue
        yield m
        pos = m.end()


def _frontmatter_directives(doc: "Document") -> list[Directive]:
    fm = doc.frontmatter
    if fm is None or doc.text.find("agentls", fm.content.start, fm.content.end) < 0:
        return []  # the common case, decided by one C-speed search
    index, text = doc.index, doc.text
    entry_lines: dict[int, int] = {}  # key line -> last line of the entry
    for e in fm.entries:
        first = index.line_of(e.key_span.start)
        last = index.line_of(max(e.span.end - 1, e.span.start))
        entry_lines[first] = max(last, entry_lines.get(first, first))
    out = []
    if fm.content.end <= fm.content.start:
        return []
    for line in range(index.line_of(fm.content.start), index.line_of(fm.content.end - 1) + 1):
        start = index.line_start(line)
        raw = text[start:index.line_end(line)]
        if "agentls" not in raw:
            continue
        m = _FRONT.search(raw)
        if m is None:
            continue
        cstart = start + m.start(1)
        codes = _codes(m.group(2), start + m.start(2)) if m.group(2) is not None else None
        keep = len(raw[:m.start(1)].rstrip())
        out.append(Directive("ignore", Span(cstart, start + len(raw.rstrip())), codes,
                             range(line, entry_lines.get(line, line) + 1),
                             Span(start + keep, start + len(raw.rstrip())), "# agentls: ignore[{codes}]"))
    return out


class _Lookup:
    """The directives indexed for :func:`_covering`: line comments by the lines they cover,
    region comments by the codes they name (in text order, searched by position), so that
    each finding costs a lookup, not a scan of every directive."""

    __slots__ = ("by_line", "regions", "starts")

    def __init__(self, directives: "tuple[Directive, ...] | list[Directive]") -> None:
        self.by_line: dict[int, list[Directive]] = {}
        self.regions: dict[str | None, list[Directive]] = {}  # code (None: every code) -> directives
        for d in directives:
            if d.kind in ("ignore", "next-line"):
                for line in d.lines:
                    self.by_line.setdefault(line, []).append(d)
            elif d.kind in ("disable", "enable"):
                codes = {None} if d.codes is None else {ref.code for ref in d.codes if ref.code is not None}
                for code in codes:
                    self.regions.setdefault(code, []).append(d)
        for found in self.regions.values():
            found.sort(key=lambda d: d.span.start)  # stable: text order among equal starts
        self.starts = {code: [d.span.start for d in found] for code, found in self.regions.items()}

    def last_region(self, code: str | None, offset: int, own: Directive | None) -> tuple[int, Directive] | None:
        """The last region directive for ``code`` starting at or before ``offset`` (not ``own``)."""
        found = self.regions.get(code)
        if not found:
            return None
        i = bisect.bisect_right(self.starts[code], offset) - 1
        while i >= 0 and found[i] is own:
            i -= 1
        return (i, found[i]) if i >= 0 else None


def _covering(directives: "tuple[Directive, ...]", doc: "Document", finding: Finding, own: Directive | None = None,
              lookup: "_Lookup | None" = None):
    """The directive (and its code ref) that suppresses ``finding``, or None.

    ``own``: the directive a finding is about, which never suppresses it.
    """
    lookup = lookup or _Lookup(directives)
    line = doc.index.line_of(finding.span.start)
    for d in lookup.by_line.get(line, ()):
        if d is own:
            continue
        ref = d.matches(finding.code)
        if ref is not None:
            return d, ref
    # Region comments: the last disable/enable before the finding that concerns its code
    # (one naming the code, or one naming none), the later of the two in text order.
    named = lookup.last_region(finding.code, finding.span.start, own)
    every = lookup.last_region(None, finding.span.start, own)
    found = [hit[1] for hit in (named, every) if hit is not None]
    if not found:
        return None
    best = max(found, key=lambda d: d.span.start)
    return (best, best.matches(finding.code)) if best.kind == "disable" else None


@dataclass(frozen=True, eq=False)
class Suppressions:
    """A document's suppression comments, parsed (:func:`suppressions_of`): immutable, so
    one value serves every lint of the document. Usage is tracked per :meth:`apply`."""

    directives: tuple[Directive, ...]
    lookup: _Lookup

    def __bool__(self) -> bool:
        return bool(self.directives)

    def unknown_codes(self):
        """The codes and names in the comments that are no rule, in text order."""
        for d in self.directives:
            for ref in d.codes or ():
                if ref.code is None:
                    yield ref

    def covering(self, doc: "Document", finding: Finding, own: Directive | None = None):
        """The directive (and its code ref) that suppresses ``finding``, or None
        (``own``: the directive a finding is about, which never suppresses it)."""
        return _covering(self.directives, doc, finding, own, self.lookup)

    def apply(self, doc: "Document", findings: list[Finding], ctx: "Context | None" = None,
              settings: RuleSettings | None = None) -> list[Finding]:
        """Drop suppressed findings; add AGT900 for suppressions that suppress nothing.
        What this run used is this run's: the value is the same afterwards."""
        if not self.directives:
            return findings
        settings = settings or RuleSettings()
        kind = ctx.kind if ctx is not None else (doc.kind or "agent")
        target = ctx.target if ctx is not None else CLAUDE_CODE
        kept = []
        used: set[Directive] = set()  # what this run used: never stored on the directives
        used_refs: set[CodeRef] = set()
        for f in findings:
            hit = self.covering(doc, f)
            if hit is None:
                kept.append(f)
                continue
            d, ref = hit
            used.add(d)
            if isinstance(ref, CodeRef):
                used_refs.add(ref)

        def active(code: str) -> bool:
            return code in RULES and RULES[code].applies(target, kind) and settings.enabled(code)

        extra: list[tuple[Finding, Directive]] = []
        for d in self.directives:
            if d.kind == "enable":
                continue
            if not active(UNUSED):
                continue
            if d.codes is None:
                if d not in used:
                    extra.append((RULES[UNUSED].at(d.span, "Unused suppression: it suppresses no finding",
                                                   fix=Fix("Remove the unused suppression", (Edit(d.delete, ""),))), d))
                continue
            # Codes of rules that are off here (config, kind) are not judged: they may be on elsewhere.
            unused = [r for r in d.codes if r.code is not None and r not in used_refs and active(r.code)
                      and r.code not in (UNUSED, UNKNOWN)]
            if not unused:
                continue
            names = ", ".join(f"{r.code} ({RULES[r.code].name})" for r in unused)
            remaining = [r.token for r in d.codes if r not in unused]
            if remaining:
                fix = Fix("Remove the unused codes", (Edit(d.span, d.rebuild.format(codes=", ".join(remaining))),))
            else:
                fix = Fix("Remove the unused suppression", (Edit(d.delete, ""),))
            span = d.span if not remaining else unused[0].span
            extra.append((RULES[UNUSED].at(span, f"Unused suppression of {names}: no such finding here", fix=fix), d))
        # Reports about suppressions can themselves be suppressed (never counted as use).
        for f, d in extra:
            if self.covering(doc, f, own=d) is None:
                f.severity = settings.severity(f)
                kept.append(f)
        return kept


NO_SUPPRESSIONS = Suppressions((), _Lookup(()))


def apply_suppressions(doc: "Document", findings: list[Finding], ctx: "Context | None" = None,
                       settings: RuleSettings | None = None) -> list[Finding]:
    """Drop ``doc``'s suppressed findings; add AGT900 for suppressions that suppress nothing."""
    return suppressions_of(doc).apply(doc, findings, ctx, settings)
