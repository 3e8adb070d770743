"""Applying fixes to text: one fix, or every applicable fix until none is left.

Findings carry :class:`~agentls.rules.registry.Fix` objects whose edits are code-point spans
into the text they were found in. This module applies them the way ruff does:

* In one pass, fixes are taken in document order; a fix whose edits overlap (or touch)
  an edit already taken waits for the next pass. The taken edits are applied
  back-to-front, so earlier offsets stay valid.
* After each pass the text is parsed and linted again, and the next pass uses the new
  findings. Passes stop when nothing applicable is left, or after ``MAX_PASSES``.
* A fix is applied only if the result still reads the way the original did
  (:func:`verify`): frontmatter that was readable stays readable, strict YAML stays
  strict, and every field the fix does not touch keeps its value. A fix that fails
  this check is skipped, never forced: we do not destroy what we do not understand.

The edits of all passes are composed into one list of edits against the original
text (:attr:`FixResult.edits`), which the language server sends as minimal
``TextEdit``\\ s and the property tests use to check that nothing outside them changed.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Iterable

from agentls.core.document import Document
from agentls.core.text import Span
from agentls.rules.lint import Context, lint, parse
from agentls.rules.registry import Edit, Finding, Fix, RuleSettings

MAX_PASSES = 20

__all__ = ["FixResult", "apply_edits", "applicable", "fix_document", "fix_text", "try_fix", "verify"]


@dataclass
class FixResult:
    """What :func:`fix_text` did."""

    original: str
    text: str
    fixed: list[Finding] = field(default_factory=list)  # findings whose fix was applied
    skipped: list[Finding] = field(default_factory=list)  # fixes refused by :func:`verify`
    remaining: list[Finding] = field(default_factory=list)  # findings in the final text
    edits: list[Edit] = field(default_factory=list)  # composed, against ``original``
    passes: int = 0
    converged: bool = True  # False: stopped at MAX_PASSES with fixes still applicable

    @property
    def changed(self) -> bool:
        return self.text != self.original


# -- edits ---------------------------------------------------------------------------------
def _edits_sorted(edits: Iterable[Edit]) -> list[Edit]:
    return sorted(edits, key=lambda e: (e.span.start, e.span.end))


def _valid(edits: Iterable[Edit], length: int) -> bool:
    """Edits inside ``[0, length]`` that do not overlap one another."""
    last_end = -1
    last_point = None
    for e in _edits_sorted(edits):
        s, t = e.span.start, e.span.end
        if s < 0 or t < s or t > length:
            return False
        if s < last_end or (s == t and s == last_point):
            return False
        if s == last_end and s == t:
            return False  # an insertion right after a replacement: ambiguous order
        last_end, last_point = t, (s if s == t else None)
    return True


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (spans into ``text``), back to front.

    Raises ``ValueError`` when edits overlap or fall outside the text.
    """
    edits = _edits_sorted(edits)
    if not _valid(edits, len(text)):
        raise ValueError("edits overlap or fall outside the text")
    # Front to back into pieces, joined once: the same text as applying them back to
    # front, without copying the whole text for each edit (a CRLF fix has one per line).
    out = []
    pos = 0
    for e in edits:
        out.append(text[pos:e.span.start])
        out.append(e.new_text)
        pos = e.span.end
    out.append(text[pos:])
    return "".join(out)


def _conflict(a: Edit, b: Edit) -> bool:
    """Overlapping or touching edits: they cannot safely go in one pass."""
    return a.span.start <= b.span.end and b.span.start <= a.span.end


def _fix_conflicts(fix: Fix, taken: list[Edit]) -> bool:
    return any(_conflict(e, t) for e in fix.edits for t in taken)


class _Pieces:
    """The current text as pieces of the original (``(start, end)``) and inserted strings.

    Applying each pass's edits to the pieces keeps track of which original text survives,
    so the edits of all passes compose into minimal edits against the original.
    """

    def __init__(self, length: int) -> None:
        self.pieces: list[tuple[int, int] | str] = [(0, length)] if length else []

    @staticmethod
    def _len(p: tuple[int, int] | str) -> int:
        return len(p) if isinstance(p, str) else p[1] - p[0]

    @staticmethod
    def _cut(p: tuple[int, int] | str, a: int, b: int) -> tuple[int, int] | str:
        return p[a:b] if isinstance(p, str) else (p[0] + a, p[0] + b)

    def apply(self, edits: list[Edit]) -> None:
        """Apply edits given in current-text coordinates (sorted, non-overlapping)."""
        out: list[tuple[int, int] | str] = []
        pieces = self.pieces
        i = 0  # index of the current piece
        off = 0  # offset inside it
        pos = 0  # current-text position of (i, off)

        def take_until(target: int, keep: bool) -> None:
            nonlocal i, off, pos
            while pos < target and i < len(pieces):
                p = pieces[i]
                n = self._len(p)
                step = min(n - off, target - pos)
                if keep and step:
                    out.append(self._cut(p, off, off + step))
                off += step
                pos += step
                if off >= n:
                    i, off = i + 1, 0

        for e in _edits_sorted(edits):
            take_until(e.span.start, keep=True)
            take_until(e.span.end, keep=False)
            if e.new_text:
                out.append(e.new_text)
        take_until(1 << 62, keep=True)
        self.pieces = [p for p in out if self._len(p)]

    def edits(self, length: int) -> list[Edit]:
        """Minimal edits that turn the original (of ``length``) into the current text."""
        out: list[Edit] = []
        cursor = 0
        pending: list[str] = []
        for p in self.pieces:
            if isinstance(p, str):
                pending.append(p)
                continue
            if p[0] != cursor or pending:
                out.append(Edit(Span(cursor, p[0]), "".join(pending)))
                pending = []
            cursor = p[1]
        if cursor != length or pending:
            out.append(Edit(Span(cursor, length), "".join(pending)))
        return out


# -- verification --------------------------------------------------------------------------
class _Touched:
    """Whether a span touches one of ``edits``, for many spans against the same edits: a binary search among the
    edits by start, with the furthest end so far (one scan of every edit for every
    entry was quadratic: a CRLF fix has an edit per line, a frontmatter 40,000 keys)."""

    __slots__ = ("starts", "reach")

    def __init__(self, edits: Iterable[Edit]) -> None:
        spans = sorted((e.span.start, e.span.end) for e in edits)
        self.starts = [start for start, _ in spans]
        self.reach: list[int] = []  # reach[i]: the largest end among spans[:i + 1]
        furthest = -1
        for _, end in spans:
            furthest = max(furthest, end)
            self.reach.append(furthest)

    def __call__(self, span: Span) -> bool:
        i = bisect.bisect_right(self.starts, span.end)  # the edits starting at or before span.end
        return i > 0 and self.reach[i - 1] >= span.start


def _value_of(entry) -> object:
    if entry.value is None:
        return None
    if entry.lenient or entry.broken:
        return ("lenient", entry.value.value)
    return entry.value.python()


def verify(before: Document, after: Document, edits: Iterable[Edit]) -> bool:
    """Whether ``after`` (``before`` with ``edits`` applied) still reads as ``before`` did.

    * Frontmatter that exists stays found; readable (by Claude Code) stays readable;
      strict YAML stays strict; a mapping stays a mapping.
    * Every field whose key and value the edits do not touch keeps its value, and no
      field disappears unless an edit touched it.
    """
    edits = list(edits)
    fb, fa = before.frontmatter, after.frontmatter
    if fb is None:
        return True  # no fields to lose; the body is only changed inside the edits
    if fa is None:
        return False
    if fb.readable and not fa.readable:
        return False
    if fb.strict_ok and not fa.strict_ok:
        return False
    if fb.closed and not fa.closed:
        return False
    if fb.not_mapping is None and fa.not_mapping is not None:
        return False
    after_entries = after.entries
    touched = _Touched(edits)
    for key, entry in before.entries.items():
        if touched(Span(entry.key_span.start, max(entry.span.end, entry.value_span.end))):
            continue
        other = after_entries.get(key)
        if other is None:
            return False
        if _value_of(entry) != _value_of(other):
            return False
    return True


# -- applying ------------------------------------------------------------------------------
def applicable(finding: Finding, unsafe: bool = False) -> bool:
    fix = finding.fix
    return fix is not None and bool(fix.edits) and (fix.safe or unsafe)


def _parse(text: str, doc: Document) -> Document:
    return doc.with_text(text)


def try_fix(doc: Document, fix: Fix) -> str | None:
    """The text with ``fix`` applied, or ``None`` when it cannot be applied safely."""
    if not _valid(fix.edits, len(doc.text)):
        return None
    text = apply_edits(doc.text, fix.edits)
    if text == doc.text:
        return None
    return text if verify(doc, _parse(text, doc), fix.edits) else None


# Verifying a fix alone re-reads the whole text, so a text with thousands of fixes would
# cost thousands of reads per pass (20,000 duplicate keys: minutes). In each pass fixes are
# verified alone until this many characters have been read; the rest are verified
# together, and a group that fails is halved until the fix that fails is found, with at
# most MAX_GROUP_CHECKS reads per pass. Ordinary files (a few fixes, a few KB) never get
# past the first phase, where every fix is verified alone.
SOLO_BUDGET = 256 * 1024
MAX_GROUP_CHECKS = 24


class _Taken:
    """The edits taken in a pass, sorted, for a conflict test by binary search
    (testing against every taken edit made each pass quadratic).

    Edits that overlap or touch conflict, as in ``_conflict``, except two deletions of
    the same rule that only touch: removing ``[a, b)`` and ``[b, c)`` is removing
    ``[a, c)``, whatever the order. (Otherwise the removals of 20,000 consecutive
    duplicate keys, each touching the next, took one pass per halving.) A deletion next
    to another rule's fix still waits for the next pass, which sees the first one's effect."""

    __slots__ = ("spans", "ends", "deleted_by")

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []  # sorted
        self.ends: list[int] = []  # their ends, sorted too: taken edits never overlap
        self.deleted_by: list[str | None] = []  # the rule of a deletion, None for other edits

    def conflicts(self, edits: Iterable[Edit], code: str) -> bool:
        for e in edits:
            start, end = e.span.start, e.span.end
            deletion = not e.new_text and end > start
            # The taken edits ending at or after e's start, in order, until one starts after e's end.
            i = bisect.bisect_left(self.ends, start)
            while i < len(self.spans) and self.spans[i][0] <= end:
                t_start, t_end = self.spans[i]
                if not (deletion and self.deleted_by[i] == code and (t_end == start or t_start == end)):
                    return True
                i += 1
        return False

    def add(self, edits: Iterable[Edit], code: str) -> None:
        for e in edits:
            span = (e.span.start, e.span.end)
            i = bisect.bisect_right(self.spans, span)
            self.spans.insert(i, span)
            self.ends.insert(i, span[1])
            self.deleted_by.insert(i, code if not e.new_text and span[1] > span[0] else None)


def _choose(current: Document, candidates: list[Finding],
            refused: set[tuple]) -> tuple[list[Finding], list[Edit], Document | None]:
    """The fixes of one pass, in document order, none touching another, each verified
    (alone, or within a group that verifies as a whole: see ``SOLO_BUDGET``); and the
    text with all of them applied, parsed, when that is what was verified last."""
    taken = _Taken()
    chosen: list[Finding] = []
    group: list[Finding] = []
    spent = 0
    for f in candidates:
        assert f.fix is not None
        key = (f.code, f.fix.edits)
        if key in refused or taken.conflicts(f.fix.edits, f.code):
            continue
        if spent + len(current.text) > SOLO_BUDGET:
            if not _valid(f.fix.edits, len(current.text)):
                refused.add(key)
                continue
            group.append(f)  # verified below, with the others
            taken.add(f.fix.edits, f.code)
            continue
        spent += len(current.text)
        if try_fix(current, f.fix) is None:
            refused.add(key)
            continue
        taken.add(f.fix.edits, f.code)
        chosen.append(f)
    if not group:
        return chosen, [e for f in chosen for e in f.fix.edits], None
    checks = [MAX_GROUP_CHECKS]
    base = [e for f in chosen for e in f.fix.edits]
    last: list = [None, None]  # the edits verified last, and their parsed text

    def verified(fixes: list[Finding]) -> bool:
        checks[0] -= 1
        edits = base + [e for f in fixes for e in f.fix.edits]
        after = _parse(apply_edits(current.text, edits), current)
        if verify(current, after, edits):
            last[:] = [len(edits), after]
            return True
        return False

    def accept(fixes: list[Finding]) -> list[Finding]:
        if not fixes or checks[0] <= 0:
            return []  # not decided in this pass: the next pass tries again
        if verified(fixes):
            base.extend(e for f in fixes for e in f.fix.edits)
            return fixes
        if len(fixes) == 1:
            refused.add((fixes[0].code, fixes[0].fix.edits))
            return []
        half = len(fixes) // 2
        return accept(fixes[:half]) + accept(fixes[half:])

    chosen.extend(accept(group))
    chosen.sort(key=lambda f: (min(e.span.start for e in f.fix.edits), f.code))
    taken = [e for f in chosen for e in f.fix.edits]
    # Verified last with every chosen edit (``base`` only grows): no need to check again.
    return chosen, taken, last[1] if last[0] == len(taken) else None


def fix_document(doc: Document, ctx: Context | None = None, *, unsafe: bool = False,
                 settings: RuleSettings | None = None, codes: set[str] | None = None,
                 findings: list[Finding] | None = None, max_passes: int = MAX_PASSES) -> FixResult:
    """Apply every applicable fix to ``doc``, re-linting between passes.

    ``unsafe`` adds the fixes marked unsafe; ``codes`` limits fixing to those rules;
    ``findings`` (the current findings of ``doc``) saves the first lint.
    """
    ctx = ctx or Context(kind=doc.kind or "agent", path=doc.path)
    result = FixResult(doc.text, doc.text)
    pieces = _Pieces(len(doc.text))
    current = doc
    found = findings if findings is not None else lint(doc, ctx, settings)
    refused: set[tuple] = set()  # (code, edits) refused in this text: do not retry
    for _ in range(max_passes):
        candidates = [f for f in found if applicable(f, unsafe) and (codes is None or f.code in codes)]
        candidates.sort(key=lambda f: (min(e.span.start for e in f.fix.edits), f.code))
        chosen, taken, after = _choose(current, candidates, refused)
        if not chosen:
            break
        if after is None:
            after = _parse(apply_edits(current.text, taken), current)
        if not verify(current, after, taken):
            # Each fix was fine alone but not together: apply the first one only.
            first = chosen[0]
            assert first.fix is not None
            taken = list(first.fix.edits)
            chosen = [first]
            text = apply_edits(current.text, taken)
            after = _parse(text, current)
        pieces.apply(taken)
        result.fixed.extend(chosen)
        result.passes += 1
        current = after
        refused = set()  # offsets changed; keys of the old text mean nothing now
        found = lint(current, ctx, settings)
    else:
        result.converged = not any(applicable(f, unsafe) and (codes is None or f.code in codes)
                                   for f in found)
    result.text = current.text
    result.remaining = found
    result.edits = pieces.edits(len(doc.text))
    # Report the fixes that are still there and still refused (those refused in the last
    # pass are known; the others are verified alone, within the same budget).
    result.skipped = []
    spent = 0
    for f in found:
        if not applicable(f, unsafe) or (codes is not None and f.code not in codes):
            continue
        if (f.code, f.fix.edits) in refused:
            result.skipped.append(f)
        elif spent + len(current.text) <= SOLO_BUDGET:
            spent += len(current.text)
            if try_fix(current, f.fix) is None:
                result.skipped.append(f)
        else:
            result.skipped.append(f)  # not applied, and not verified again here
    return result


def fix_text(text: str, ctx: Context | None = None, **kwargs) -> FixResult:
    """:func:`fix_document` for a text; ``ctx`` gives the kind and path (default: agent)."""
    ctx = ctx or Context()
    return fix_document(parse(text, ctx.path, ctx.kind), ctx, **kwargs)


# -- files (``agentls check --fix`` / ``--diff``) ---------------------------------------------
@dataclass
class FileFix:
    result: object  # the output.FileResult before fixing
    fix: FixResult
    written: bool = False
    refused: str | None = None  # why the file was not written


@dataclass
class FixReport:
    results: list  # output.FileResult after fixing (re-linted with the whole workspace)
    files: list[FileFix]
    dry_run: bool

    @property
    def fixed_count(self) -> int:
        return sum(len(f.fix.fixed) for f in self.files if f.refused is None)

    def diff(self) -> str:
        import difflib

        out = []
        for f in self.files:
            if not f.fix.changed or f.refused is not None:
                continue
            name = getattr(f.result, "display", "file")
            out.extend(difflib.unified_diff(f.fix.original.splitlines(True), f.fix.text.splitlines(True),
                                            f"a/{name}", f"b/{name}"))
            if out and not out[-1].endswith(("\n", "\r")):
                out.append("\n\\ No newline at end of file\n")
        return "".join(out)

    def summary(self) -> str:
        from agentls.rules.registry import Severity

        remaining = [x for r in self.results for x in r.findings]
        errors = sum(1 for x in remaining if x.severity == Severity.ERROR)
        files = sum(1 for f in self.files if f.fix.changed and f.refused is None)
        n = self.fixed_count
        verb = "Would fix" if self.dry_run else "Fixed"
        text = (f"{verb} {n} finding{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}; "
                f"{len(remaining)} remain{'s' if len(remaining) == 1 else ''}"
                + (f" ({errors} error{'s' if errors != 1 else ''})" if errors else "") + ".")
        for f in self.files:
            if f.refused:
                text += f"\nNot written: {getattr(f.result, 'display', '?')}: {f.refused}"
        return text


def fix_files(results: list, *, configs=None, unsafe: bool = False, write: bool = True,
              root: str | None = None) -> FixReport:
    """Fix ``agentls check`` results (``output.FileResult``) and re-lint them all.

    With ``write``, changed files are written back (only when their bytes are valid
    UTF-8, so nothing is lost to the lenient decoding). The returned results hold the
    remaining findings, linted against a workspace index of the fixed texts.
    """
    import dataclasses
    import os
    from pathlib import Path

    from agentls.engine.project import Project

    project = Project.for_check(root or os.getcwd(), configs=configs)
    files: list[FileFix] = []
    new_docs: dict[int, Document] = {}
    for i, r in enumerate(results):
        if r.doc is None:
            continue
        if not any(applicable(f, unsafe) for f in r.findings):
            continue
        settings = project.settings_for(r.path)
        ctx = project.context(r.path, r.doc.kind or "agent", settings, indexed=False)
        fr = fix_document(r.doc, ctx, unsafe=unsafe, settings=settings.rules)
        if not fr.changed:
            continue
        ff = FileFix(r, fr)
        files.append(ff)
        try:
            data = Path(r.path).read_bytes()
            same = data.decode("utf-8") == fr.original
        except (OSError, UnicodeDecodeError):
            same = False
        if not same:
            ff.refused = "the file is not valid UTF-8 (or changed while checking); left as it was"
            continue
        if write:
            Path(r.path).write_bytes(fr.text.encode("utf-8"))
            ff.written = True
        new_docs[i] = r.doc.with_text(fr.text)
    if not new_docs:
        return FixReport(list(results), files, dry_run=not write)

    # Re-lint everything when anything changed: cross-file findings (duplicate names) move too.
    done = project.check([(r.path, (r.doc.kind if r.doc is not None else None) or "agent") for r in results],
                         [(new_docs.get(i, r.doc), None) for i, r in enumerate(results)])
    out = [r if r.doc is None else dataclasses.replace(r, doc=doc, findings=findings)
           for r, (doc, findings, _) in zip(results, done)]
    return FixReport(out, files, dry_run=not write)
