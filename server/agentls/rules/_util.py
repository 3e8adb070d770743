"""Small helpers the rule families share."""

from __future__ import annotations

from typing import Iterable

from agentls.core.document import Document
from agentls.core.text import Span


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.75) -> str | None:
    """The closest choice, comparing case-insensitively (``grepp`` -> ``Grep``)."""
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    if word.lower() in lowered:
        return lowered[word.lower()]
    import difflib  # only for a word that is not a choice (~5 ms to import)

    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=cutoff)
    return lowered[match[0]] if match else None


def suggestion(word: str | None) -> str:
    return f"; did you mean `{word}`?" if word else ""


def first_line_span(doc: Document) -> Span:
    start = 1 if doc.bom else 0
    return Span(start, doc.index.line_end(0))
