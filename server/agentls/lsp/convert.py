"""Core values (code-point offsets, findings) to LSP types, and back.

Every position the server sends or reads goes through :class:`agentls.core.text.LineIndex`,
using the position encoding negotiated with the client (``"utf-8"``, ``"utf-16"`` or
``"utf-32"``). pygls' own ``TextDocument`` helpers split lines with
``str.splitlines`` (which also breaks on form feeds and U+2028); ``LineIndex`` splits
them the way LSP does, so use these helpers, not pygls', for ranges.
"""

from __future__ import annotations

import enum
from typing import Any, Callable

from lsprotocol import types

from agentls.core.text import LineIndex, Span
from agentls.rules.registry import DEPRECATED, RULES, Finding

SOURCE = "agentls"


def encoding_name(value: Any) -> str:
    """Normalise pygls' negotiated encoding (a plain str or a ``PositionEncodingKind``)."""
    if isinstance(value, enum.Enum):
        value = value.value
    value = str(value or "utf-16").lower()
    return value if value in ("utf-8", "utf-16", "utf-32") else "utf-16"


def position(index: LineIndex, offset: int, encoding: str) -> types.Position:
    line, character = index.to_client(offset, encoding)
    return types.Position(line=line, character=character)


def to_range(index: LineIndex, span: Span, encoding: str) -> types.Range:
    return types.Range(start=position(index, span.start, encoding), end=position(index, span.end, encoding))


def offset_at(index: LineIndex, pos: types.Position, encoding: str) -> int:
    """Client position to a code-point offset; clamped, never raises."""
    return index.from_client(max(0, pos.line), max(0, pos.character), encoding)


def to_span(index: LineIndex, rng: types.Range, encoding: str) -> Span:
    start, end = offset_at(index, rng.start, encoding), offset_at(index, rng.end, encoding)
    return Span(min(start, end), max(start, end))


def apply_change(text: str, index: LineIndex | None, rng: types.Range | None, new_text: str,
                 encoding: str) -> str:
    """Apply one ``didChange`` content change with LSP line semantics (clamped)."""
    return apply_change_at(text, index, rng, new_text, encoding)[0]


def apply_change_at(text: str, index: LineIndex | None, rng: types.Range | None, new_text: str,
                    encoding: str) -> tuple[str, Span]:
    """``apply_change``, and the replaced span of ``text`` (all of it for a whole-document change)."""
    if rng is None:
        return new_text, Span(0, len(text))
    index = index if index is not None and index.text is text else LineIndex(text)
    span = to_span(index, rng, encoding)
    # One join: chained ``+`` copies the prefix twice (1 MB prompts, every keystroke).
    return "".join((text[: span.start], new_text, text[span.end:])), span


def unchanged_after(prefix: int, suffix: int, before: str, span: Span) -> tuple[int, int]:
    """How much of the start and end of a text is still the original's after one more
    change (``span`` of ``before`` replaced), given ``(prefix, suffix)`` before it."""
    return min(prefix, span.start), min(suffix, len(before) - span.end)


# A function that returns ``(uri, LineIndex)`` for a path named in ``Finding.related``
# (open document or file on disk), or ``None`` when the file cannot be read.
RelatedResolver = Callable[[str], "tuple[str, LineIndex] | None"]


def to_diagnostic(finding: Finding, index: LineIndex, encoding: str,
                  resolve: RelatedResolver | None = None) -> types.Diagnostic:
    rule = RULES.get(finding.code)
    related = []
    for rel in finding.related:
        target = resolve(rel.path) if resolve is not None else None
        if target is None:
            continue
        uri, rel_index = target
        if rel.span is not None:
            rng = to_range(rel_index, rel.span, encoding)
        else:
            start = rel_index.offset(rel.line, 0)
            rng = to_range(rel_index, Span(start, rel_index.line_end(rel_index.line_of(start))), encoding)
        related.append(types.DiagnosticRelatedInformation(
            location=types.Location(uri=uri, range=rng), message=rel.message))
    data: dict[str, Any] = {"code": finding.code}
    if rule is not None:
        data["name"] = rule.name
    if finding.fix is not None:
        data["fix"] = finding.fix.title
    return types.Diagnostic(
        range=to_range(index, finding.span, encoding),
        message=finding.message,
        severity=types.DiagnosticSeverity(int(finding.severity)),
        code=finding.code,
        code_description=types.CodeDescription(href=rule.url) if rule is not None else None,
        source=SOURCE,
        related_information=related or None,
        # Findings of rules tagged ``deprecated`` (old or deprecated spellings) render struck through.
        tags=[types.DiagnosticTag.Deprecated] if rule is not None and DEPRECATED in rule.tags else None,
        data=data,
    )
