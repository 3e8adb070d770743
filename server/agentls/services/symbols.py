"""Document symbols and folding ranges of an agent file, from the parsed document alone.

* :func:`document_symbols`: the frontmatter (its keys, and the keys of mapping values
  such as ``hooks:`` or ``mcpServers:`` nested below them) and the body's headings,
  nested by level (a ``###`` under the ``##`` before it).
* :func:`folding_ranges`: the frontmatter, multi-line values, each heading's section,
  ``<example>`` blocks and fenced code.

Spans are code-point offsets (``agentls.core.text.Span``); folding ranges are line
numbers, the same in every position encoding. Both are linear in the document and
bounded (:data:`MAX_SYMBOLS`, :data:`MAX_DEPTH`).
"""

from __future__ import annotations

from dataclasses import dataclass

from agentls.core.document import Document
from agentls.core.text import Span
from agentls.core.yamlnodes import YNode

MAX_SYMBOLS = 5000  # per document: an outline past this helps no one
MAX_DEPTH = 4  # nested mapping keys shown below a frontmatter key
MAX_FOLDS = 5000
DETAIL_CHARS = 60


@dataclass(frozen=True, slots=True)
class Symbol:
    """``kind``: ``frontmatter``, ``key`` or ``heading``. ``selection`` lies in ``span``."""

    name: str
    kind: str
    span: Span
    selection: Span
    detail: str = ""
    children: tuple["Symbol", ...] = ()


@dataclass(frozen=True, slots=True)
class Fold:
    """Lines ``start``..``end`` (0-based, inclusive). ``kind``: ``frontmatter``, ``value``,
    ``section``, ``example`` or ``code``."""

    start: int
    end: int
    kind: str


class _Budget:
    __slots__ = ("left",)

    def __init__(self, left: int) -> None:
        self.left = left

    def take(self) -> bool:
        self.left -= 1
        return self.left >= 0


# -- document symbols --------------------------------------------------------------------------
def document_symbols(doc: Document) -> list[Symbol]:
    """The frontmatter (with its keys) and the headings, nested; never more than
    :data:`MAX_SYMBOLS` in all."""
    budget = _Budget(MAX_SYMBOLS)
    out: list[Symbol] = []
    fm = doc.frontmatter
    if fm is not None and budget.take():
        keys = []
        for entry in fm.entries:
            if not budget.take():
                break
            span = _covering(entry.span, entry.key_span, doc.text)
            children = _map_children(entry.value, doc, budget, 1) if entry.value is not None else ()
            keys.append(Symbol(entry.key, "key", span, entry.key_span, _detail(entry.value, doc), children))
        fence = fm.open_fence
        out.append(Symbol("frontmatter", "frontmatter", _covering(fm.span, fence), fence,
                          f"{len(keys)} key{'s' if len(keys) != 1 else ''}", tuple(keys)))
    out.extend(_heading_tree(doc, budget))
    return out


def _covering(span: Span, inner: Span, text: str | None = None) -> Span:
    """``span`` widened to hold ``inner``; with ``text``, its trailing blanks and line
    breaks left out (a block scalar's value ends after its line break)."""
    end = span.end
    if text is not None:
        end = _trimmed(text, end, inner.end)
    return Span(min(span.start, inner.start), max(end, inner.end))


def _trimmed(text: str, end: int, floor: int) -> int:
    while end > floor and text[end - 1] in " \t\r\n":
        end -= 1
    return end


def _detail(node: YNode | None, doc: Document) -> str:
    if node is None:
        return ""
    if node.kind == "scalar":
        text = " ".join(node.value.split())
        return text if len(text) <= DETAIL_CHARS else text[: DETAIL_CHARS - 1] + "…"
    if node.kind == "seq":
        return f"list of {len(node.items)}"
    return f"{len(node.pairs)} key{'s' if len(node.pairs) != 1 else ''}"


def _map_children(node: YNode, doc: Document, budget: _Budget, depth: int) -> tuple[Symbol, ...]:
    if node.kind != "map" or depth > MAX_DEPTH or node.truncated:
        return ()
    out = []
    for key, value in node.pairs:
        if not budget.take():
            break
        name = key.value if key.kind == "scalar" else doc.slice(key.span)
        span = _covering(Span(key.span.start, value.span.end), key.span, doc.text)
        out.append(Symbol(name, "key", span, key.span, _detail(value, doc),
                          _map_children(value, doc, budget, depth + 1)))
    return tuple(out)


def _heading_tree(doc: Document, budget: _Budget) -> list[Symbol]:
    headings = doc.headings
    if not headings:
        return []
    ends = section_ends(doc)
    # Build bottom-up with a stack of (level, heading index, children list).
    roots: list[Symbol] = []
    stack: list[tuple[int, int, list[Symbol]]] = []

    def close() -> None:
        _level, i, children = stack.pop()
        h = headings[i]
        sym = Symbol(h.text or "#" * h.level, "heading", Span(h.span.start, ends[i]), h.span,
                     "#" * h.level, tuple(children))
        (stack[-1][2] if stack else roots).append(sym)

    for i, h in enumerate(headings):
        if not budget.take():
            break
        while stack and stack[-1][0] >= h.level:
            close()
        stack.append((h.level, i, []))
    while stack:
        close()
    return roots


def section_ends(doc: Document) -> list[int]:
    """For each heading, the offset where its section ends: before the next heading of the
    same or a higher level (the blank lines before it left out), or at the body's end."""
    headings = doc.headings
    text = doc.text
    ends = [0] * len(headings)
    stack: list[int] = []

    for i, h in enumerate(headings):
        if stack:
            # Everything open ends before this heading: the blank run before it is walked once.
            cut = _trimmed(text, h.span.start, headings[i - 1].span.end)
            while stack and headings[stack[-1]].level >= h.level:
                ends[stack.pop()] = cut
        stack.append(i)
    if stack:
        cut = _trimmed(text, doc.body.end, headings[-1].span.end)
        for j in stack:
            ends[j] = cut
    return [max(e, h.span.end) for e, h in zip(ends, headings)]


# -- folding -------------------------------------------------------------------------------------
def folding_ranges(doc: Document) -> list[Fold]:
    """Foldable regions, sorted by start line; single-line regions left out."""
    index, text = doc.index, doc.text
    folds: list[Fold] = []

    def add(start: int, end: int, kind: str) -> None:
        if len(folds) >= MAX_FOLDS:
            return
        a, b = index.line_of(start), index.line_of(_trimmed(text, max(start, end), start))
        if b > a:
            folds.append(Fold(a, b, kind))

    fm = doc.frontmatter
    if fm is not None:
        add(fm.span.start, fm.span.end, "frontmatter")
        for entry in fm.entries:
            if entry.value is not None:
                add(entry.key_span.start, entry.value.span.end, "value")
    if doc.headings:
        for h, end in zip(doc.headings, section_ends(doc)):
            add(h.span.start, end, "section")
    opened: list[int] = []
    for tag in doc.example_tags:
        if not tag.closing:
            opened.append(tag.span.start)
        elif opened:
            add(opened.pop(), tag.span.end, "example")
    for block in doc.code_blocks:
        add(block.start, block.end, "code")
    folds.sort(key=lambda f: (f.start, -f.end))
    return folds
