"""Safe, bounded YAML composition into light nodes with exact spans.

PyYAML's *compose* step builds a node graph without constructing Python objects,
so tags such as ``!!python/object`` are inert here. Aliases are shared nodes, not
copies; converting each PyYAML node once (memoised by identity) keeps the work
linear in the size of the text even for "billion laughs" documents, and recursive
aliases become cycles we never follow blindly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol, Sequence

from agentls.core.text import Span


def _load_yaml():
    """Import PyYAML (~40 ms) at first use: the language server answers ``initialize``
    before it needs YAML, and then warms up (see ``agentls.lsp.server``). The module
    replaces the stand-in global, so hot paths see the real ``yaml``."""
    global yaml, _FastLoader, _ScalarNode
    import yaml as real

    yaml = real
    # The C loader is ~10x faster; fall back quietly when libyaml is absent.
    _FastLoader = getattr(real, "CSafeLoader", real.SafeLoader)
    _ScalarNode = real.ScalarNode
    return real


class _Deferred:
    def __getattr__(self, name: str):
        return getattr(_load_yaml(), name)


yaml = _Deferred()
_FastLoader = None  # set with yaml
_ScalarNode = None  # set with yaml

# The C composer recurses on the C stack and segfaults on absurd nesting, so such
# input is composed by the pure-Python loader, whose RecursionError we can catch.
_C_NESTING_LIMIT = 400
# Nodes deeper than this are kept as opaque leaves: no rule looks that deep, and it
# keeps our own recursion far from Python's limit.
MAX_NODE_DEPTH = 48

_SURROGATES = re.compile("[\ud800-\udfff]")

STR = "tag:yaml.org,2002:str"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
NULL = "tag:yaml.org,2002:null"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"

_STANDARD_TAGS = {
    STR, BOOL, INT, FLOAT, NULL, SEQ, MAP,
    "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary", "tag:yaml.org,2002:omap",
    "tag:yaml.org,2002:pairs", "tag:yaml.org,2002:set", "tag:yaml.org,2002:merge",
}


@dataclass(eq=False, slots=True)
class YNode:
    """A YAML node: ``kind`` is ``scalar``, ``seq`` or ``map``."""

    kind: str
    tag: str
    span: Span
    value: str = ""  # scalars: the decoded text
    style: str | None = None  # scalars: None (plain), "'", '"', "|", ">"
    # Shared empty tuples until set: most nodes are scalars, and two fresh lists for
    # each one cost more than converting it (nodes are never modified once built).
    items: "Sequence[YNode]" = ()
    pairs: "Sequence[tuple[YNode, YNode]]" = ()
    explicit_tag: bool = False  # a non-standard tag such as ``!!python/object``
    truncated: bool = False  # children not converted (too deep)

    @property
    def type_name(self) -> str:
        """A user-facing name of what the YAML value is."""
        if self.kind == "seq":
            return "list"
        if self.kind == "map":
            return "mapping"
        return {STR: "string", BOOL: "boolean", INT: "integer", FLOAT: "number",
                NULL: "null"}.get(self.tag, self.tag.rsplit(":", 1)[-1])

    @property
    def is_str(self) -> bool:
        return self.kind == "scalar" and self.tag == STR

    @property
    def is_null(self) -> bool:
        return self.kind == "scalar" and self.tag == NULL

    def python(self, budget: int = 10_000) -> object:
        """A plain Python value (str/bool/int/float/None/list/dict), bounded."""
        return _to_python(self, [budget], set())

    @property
    def is_custom_tag(self) -> bool:
        return self.tag not in _STANDARD_TAGS


class YamlError(Exception):
    """A YAML problem at a code-point offset relative to the composed text."""

    def __init__(self, message: str, offset: int, context: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.context = context


class YamlTooComplex(YamlError):
    pass


_BLOCK_PREFIX = re.compile(r"^[ ]*(?:-[ ]+)*", re.MULTILINE)


def _nesting_estimate(text: str) -> int:
    """A cheap upper bound of how deep the YAML nests (over-counting is harmless)."""
    # Quick bound in C speed: every flow level needs a bracket, every block level a
    # space or a "- " in its line's prefix. Typical frontmatter stops here.
    quick = text.count("[") + text.count("{")
    if quick <= _C_NESTING_LIMIT:
        quick += max(map(len, _BLOCK_PREFIX.findall(text)), default=0)
        if quick <= _C_NESTING_LIMIT:
            return quick
    flow = depth = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            if depth > flow:
                flow = depth
        elif ch in "]}" and depth:
            depth -= 1
    block = 0
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        dashes = 0
        while stripped.startswith("- "):
            dashes += 1
            stripped = stripped[2:].lstrip(" ")
        if indent + dashes > block:
            block = indent + dashes
    return flow + block


def _check_depth(text: str, base: int) -> None:
    """Measure the real nesting from parser events, which libyaml produces without
    recursing, and stop at the first level past the limit. The bound is the same one
    the composers have (the pure-Python one fails near 490 levels, the C one crashes),
    but it is reached in linear time: PyYAML's pure scanner is quadratic in open
    brackets (half a megabyte of ``[`` took 4 s there, and takes milliseconds here).
    A YAML error before the limit ends the scan; composing then reports it."""
    depth = 0
    starts = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
    ends = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    try:
        try:
            events = yaml.parse(text, Loader=_FastLoader)  # set: compose() ran first
            for event in events:
                if isinstance(event, starts):
                    depth += 1
                    if depth > _C_NESTING_LIMIT:
                        raise YamlTooComplex("the YAML nests too deeply to be read",
                                             base + event.start_mark.index)
                elif isinstance(event, ends):
                    depth -= 1
        except UnicodeEncodeError:
            _check_depth(_SURROGATES.sub("\ufffd", text), base)
    except yaml.MarkedYAMLError as exc:
        _raise_if_nesting_limit(exc, base)
    except yaml.YAMLError:
        return


def _raise_if_nesting_limit(exc: yaml.MarkedYAMLError, base: int) -> None:
    """libyaml 0.2.6 (bundled from PyYAML 6.0.4 on) stops deep nesting itself, with a
    scanner or parser error, before our own bound is reached: that is the same limit,
    and gets the same finding whichever PyYAML is installed."""
    if "maximum nesting depth" in str(exc.problem or ""):
        mark = exc.problem_mark or exc.context_mark
        raise YamlTooComplex("the YAML nests too deeply to be read",
                             base + (mark.index if mark is not None else 0)) from None


def compose(text: str, base: int = 0) -> YNode | None:
    """Compose ``text`` into nodes whose spans are shifted by ``base``.

    Returns ``None`` for an empty document. Raises :class:`YamlError` with the
    offset of the problem (relative to ``base``) when the YAML is not valid.
    """
    node = _compose(text, base)
    if node is None:
        return None
    return _convert(node, base, {}, 0)


def compose_mapped(text: str, base: int, positions: "Positions") -> YNode | None:
    """:func:`compose` of a rewritten text (Claude Code's second pass): ``positions``
    maps an offset in ``text`` to one in the text it was rewritten from, and says where a
    rewritten value's quoted string stands for the value as written
    (``positions.value_span``). Such a value becomes a plain scalar spanning the value as
    written, so that offsets into its text are offsets into the document. Errors are
    reported at the mapped offset."""
    try:
        node = _compose(text, 0)
    except YamlError as exc:
        raise type(exc)(exc.message, base + positions(exc.offset), exc.context) from None
    if node is None:
        return None
    return _convert_mapped(node, base, positions, {}, 0)


class Positions(Protocol):
    """What :func:`compose_mapped` needs (``agentls.core.claude_reader.Positions``)."""

    def __call__(self, offset: int) -> int: ...

    def value_span(self, offset: int) -> "tuple[int, int] | None": ...


def _compose(text: str, base: int):
    """The PyYAML node graph of ``text``; errors at offsets relative to ``base``."""
    if _FastLoader is None:
        _load_yaml()
    loader = _FastLoader
    if _nesting_estimate(text) > _C_NESTING_LIMIT:
        _check_depth(text, base)  # YamlTooComplex past the limit, before any recursion
    composed = text
    try:
        try:
            return yaml.compose(text, Loader=loader)
        except UnicodeEncodeError:
            # Lone surrogates (from JSON or surrogateescape) cannot reach libyaml; U+FFFD
            # keeps every offset, and the YAML reader then reports the character.
            composed = _SURROGATES.sub("\ufffd", text)
            return yaml.compose(composed, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        _raise_if_nesting_limit(exc, base)
        mark = exc.problem_mark or exc.context_mark
        offset = mark.index if mark is not None else 0
        raise YamlError(str(exc.problem or "invalid YAML"), base + offset, exc.context or "") from None
    except yaml.reader.ReaderError as exc:
        position = exc.position
        if loader is not yaml.SafeLoader:
            # libyaml reads UTF-8 and reports a byte offset here (its marks count
            # characters): after `é` or `😀` it would point past the character.
            position = len(composed.encode("utf-8")[:position].decode("utf-8", "ignore"))
        raise YamlError(f"unacceptable character #x{exc.character:04x}" if isinstance(exc.character, int)
                        else "unacceptable character", base + position) from None
    except yaml.YAMLError as exc:  # pragma: no cover - defensive
        raise YamlError(str(exc), base) from None
    except RecursionError:
        raise YamlTooComplex("the YAML nests too deeply to be read", base) from None


def _convert(node: yaml.Node, base: int, memo: dict[int, YNode], depth: int) -> YNode:
    # Hot: every node of every file. Scalars skip the memo (an alias to a scalar needs
    # no shared identity; the memo is what keeps aliased collections from exploding).
    tag = node.tag or ""
    span = Span(base + node.start_mark.index, base + node.end_mark.index)
    if type(node) is _ScalarNode:
        return YNode("scalar", tag, span, node.value, node.style or None, (), (), tag not in _STANDARD_TAGS)
    known = memo.get(id(node))
    if known is not None:
        return known
    kind = "seq" if isinstance(node, yaml.SequenceNode) else "map"
    out = YNode(kind, tag, span, explicit_tag=tag not in _STANDARD_TAGS)
    memo[id(node)] = out
    if depth >= MAX_NODE_DEPTH:
        out.truncated = True
        return out
    depth += 1
    if kind == "seq":
        out.items = [_convert(child, base, memo, depth) for child in node.value]
    else:
        out.pairs = [(_convert(k, base, memo, depth), _convert(v, base, memo, depth)) for k, v in node.value]
    return out


def _convert_mapped(node: yaml.Node, base: int, positions: Positions, memo: dict[int, YNode],
                    depth: int) -> YNode:
    """:func:`_convert` for a rewritten text (see :func:`compose_mapped`)."""
    tag = node.tag or ""
    start = node.start_mark.index
    if type(node) is _ScalarNode:
        written = positions.value_span(start) if node.style == '"' else None
        if written is not None:  # a value Claude Code quoted: as written, plain
            return YNode("scalar", tag, Span(base + written[0], base + written[1]), node.value, None)
        span = Span(base + positions(start), base + positions(node.end_mark.index))
        return YNode("scalar", tag, span, node.value, node.style or None, (), (), tag not in _STANDARD_TAGS)
    known = memo.get(id(node))
    if known is not None:
        return known
    kind = "seq" if isinstance(node, yaml.SequenceNode) else "map"
    span = Span(base + positions(start), base + positions(node.end_mark.index))
    out = YNode(kind, tag, span, explicit_tag=tag not in _STANDARD_TAGS)
    memo[id(node)] = out
    if depth >= MAX_NODE_DEPTH:
        out.truncated = True
        return out
    depth += 1
    if kind == "seq":
        out.items = [_convert_mapped(child, base, positions, memo, depth) for child in node.value]
    else:
        out.pairs = [(_convert_mapped(k, base, positions, memo, depth),
                      _convert_mapped(v, base, positions, memo, depth)) for k, v in node.value]
    return out


def _to_python(node: YNode, budget: list[int], seen: set[int]) -> object:
    budget[0] -= 1
    if budget[0] < 0 or id(node) in seen:
        return None
    if node.kind == "scalar":
        if node.tag == BOOL:
            return node.value.lower() in {"true", "yes", "on", "y"}
        if node.tag == INT:
            try:
                return int(node.value.replace("_", ""), 0)
            except ValueError:
                return node.value
        if node.tag == FLOAT:
            try:
                return float(node.value.replace("_", ""))
            except ValueError:
                return node.value
        if node.tag == NULL:
            return None
        return node.value
    seen = seen | {id(node)}
    if node.kind == "seq":
        return [_to_python(i, budget, seen) for i in node.items]
    return {str(_to_python(k, budget, seen)): _to_python(v, budget, seen) for k, v in node.pairs}

