"""Where agents, skills, commands and headings are named: go to definition, find
references, workspace symbols. Pure: documents and spans in, paths and spans out.

What one file names (:func:`file_refs`, linear in the file):

* ``Agent(a, b)`` / ``Task(a)`` in any tool list (``tools``, ``disallowedTools``...): agents;
* entries of ``skills:``: skills;
* ``@agent-name``, ``@"name (agent)"`` and "use the *name* agent" (also *subagent*,
  and after *invoke*, *delegate to*, *ask*...) in the body and in the ``description``:
  agents;
* ``/name`` in the body: a command or a skill (both are slash commands);
* Markdown links ``[text](other.md#anchor)`` and ``[text](#anchor)`` outside code: files
  and headings.

What it defines: an agent's ``name`` value, a skill's ``name`` (or its folder name), a
command's file name. Agent names match as Claude Code matches them (case and separators
ignored, :func:`agentls.rules.index.normal_name`); a mention that names no known agent
is simply never looked up.

:class:`ReferenceIndex` keeps these per file (by a stamp the caller chooses, e.g. the
file's mtime and size) with an inverted map from each name to the files that mention
it, so finding references costs the files that name the target, not the workspace.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from urllib.parse import unquote

from agentls.core.document import Document
from agentls.core.text import Span
from agentls.facts.fields import FIELDS_BY_KIND
from agentls.facts.toolgrammar import parse_item, split_node, split_text
from agentls.rules.index import normal_name

AGENT_TOOLS = ("Agent", "Task")
MAX_REFS = 5_000  # per file, and per kind of reference while reading it

_NAME = r"[A-Za-z0-9][\w.:-]*[A-Za-z0-9]|[A-Za-z0-9]"
# Each pattern starts with a literal character, so the regex engine skips to it at C speed;
# what must come before it is checked by hand (a lookbehind at every position was 10x slower).
_AT_AGENT = re.compile(r"@(?:agent-(" + _NAME + r")|\"([^\"()\n]{1,100}?) \(agent\)\")")
_NOT_BEFORE_AT = frozenset("@/.")
# "use the X agent": found from each "agent" backwards, within a short window.
# The verbs before "the X agent" (lower case; longest first where one ends another).
_VERBS = ("delegating to", "delegate to", "hand off to", "invoking", "invoke", "launch", "using", "uses", "use",
          "call", "ask", "run")
_QUOTES = "`*\"'"
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_.:-")
MAX_NAME = 100
MAX_AGENT_WORDS = 20_000  # "agent" words looked at per text (a real prompt has a few hundred)
_SLASH = re.compile(r"/([a-z][\w-]*(?::[\w-]+)?)(?![\w/(-]|[.:]\w)")
_NOT_BEFORE_SLASH = frozenset("/.:~-])>")
_LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\(<?([^)\s>]*)>?(?:[ \t]+\"[^\"\n]*\")?\)")
_SCHEME = re.compile(r"[A-Za-z][\w+.-]*:")


@dataclass(frozen=True, slots=True)
class Ref:
    """A name in a file. ``kind``: ``agent``, ``skill``, ``slash`` (a command or skill)
    or ``link``; ``where``: ``tools``, ``skills``, ``mention``, ``description``, ``slash``
    or ``link``. ``exact``: the span spells ``name`` (a rename may replace it)."""

    kind: str
    name: str
    span: Span
    where: str
    exact: bool = True
    target: str | None = None  # links: the linked file (normalised absolute path; this file's for ``#x``)
    anchor: str | None = None  # links: the heading anchor, if any

    @property
    def key(self) -> tuple[str, str]:
        return ref_key(self.kind, self.name, self.target, self.anchor)


def ref_key(kind: str, name: str, target: str | None = None, anchor: str | None = None) -> tuple[str, str]:
    if kind == "agent":
        return ("agent", normal_name(name))
    if kind == "link":
        return ("link", f"{target}#{anchor or ''}")
    if kind == "slash":
        return ("slash", name.lower())
    return (kind, name)


@dataclass(frozen=True, slots=True)
class Definition:
    """What a file defines: ``kind`` ``agent``, ``skill`` or ``command``, its name, and the
    span of the name where the file spells it (``None``: the name comes from the path)."""

    kind: str
    name: str
    span: Span | None


@dataclass(frozen=True, slots=True)
class FileRefs:
    definition: Definition | None
    refs: tuple[Ref, ...]
    anchors: tuple[tuple[str, Span], ...] = ()  # (slug, heading span) of each heading


# -- one file ----------------------------------------------------------------------------------
def definition_of(doc: Document, path: str | None, kind: str | None) -> Definition | None:
    if kind == "agent":
        entry = doc.get("name")
        name = doc.name
        if name and entry is not None and entry.value is not None:
            return Definition("agent", name, value_span(doc, entry.value))
        return None
    if kind == "skill":
        entry = doc.get("name")
        if doc.name and entry is not None and entry.value is not None:
            return Definition("skill", doc.name, value_span(doc, entry.value))
        if path:
            return Definition("skill", PurePath(path).parent.name, None)
        return None
    if kind == "command" and path:
        return Definition("command", PurePath(path).stem, None)
    return None


def value_span(doc: Document, node) -> Span | None:
    """The span of a scalar's value without its quotes, when the source spells it."""
    raw = doc.slice(node.span)
    if raw == node.value:
        return node.span
    if len(raw) == len(node.value) + 2 and raw[0] in "'\"" and raw[1:-1] == node.value:
        return Span(node.span.start + 1, node.span.end - 1)
    return None


def file_refs(doc: Document, path: str | None, kind: str | None, *, anchors: bool = True) -> FileRefs:
    """Everything a file names and defines (see the module docstring); ``anchors``: with
    the heading anchors too (the server's index leaves them out: it reads them from the
    linked file when a link is followed)."""
    refs: list[Ref] = []
    fm_fields = FIELDS_BY_KIND.get(kind or "agent", {})
    for key, entry in doc.entries.items():
        if entry.value is None:
            continue
        f = fm_fields.get(key)
        if f is not None and f.type == "tools":
            refs.extend(_agent_tools(doc, entry.value, spaces=kind != "agent"))
        elif key == "skills":
            for item in split_node(doc, entry.value):
                refs.append(Ref("skill", item.text, item.span, "skills", item.located))
    desc = doc.get("description")
    if desc is not None and desc.value is not None and desc.value.kind == "scalar":
        span = value_span(doc, desc.value)
        if span is not None:
            refs.extend(_mentions(doc.text, span.start, span.end, "description"))
    body = doc.body
    if len(body):
        refs.extend(_mentions(doc.text, body.start, body.end, "mention"))
        refs.extend(_slashes(doc, body))
        refs.extend(_links(doc, path))
    return FileRefs(definition_of(doc, path, kind), tuple(refs[:MAX_REFS]), tuple(_anchors(doc)) if anchors else ())


def _agent_tools(doc: Document, node, spaces: bool) -> list[Ref]:
    out = []
    for item in split_node(doc, node, spaces=spaces):
        ref = parse_item(item)
        if ref.base not in AGENT_TOOLS or ref.spec is None or ref.spec_span is None:
            continue
        exact = item.located
        base = ref.spec_span.start if exact else None
        for name in split_text(ref.spec, base, ref.spec_span):
            if name.text != "*":
                out.append(Ref("agent", name.text, name.span, "tools", exact))
    return out


def _mentions(text: str, start: int, end: int, where: str) -> list[Ref]:
    out = []
    if text.find("@", start, end) >= 0:
        for m in _AT_AGENT.finditer(text, start, end):
            at = m.start()
            if at > start and (text[at - 1].isalnum() or text[at - 1] in _NOT_BEFORE_AT or text[at - 1] == "_"):
                continue
            g = 1 if m.group(1) is not None else 2
            out.append(Ref("agent", m.group(g), Span(m.start(g), m.end(g)), where))
    low = text[start:end].lower()  # "agent" found at C speed, in any case
    n = len(low)
    i = low.find("agent")
    seen = 0
    while i >= 0 and len(out) < MAX_REFS and seen < MAX_AGENT_WORDS:
        seen += 1
        j = i + 5 + (low[i + 5:i + 6] == "s")
        w = i - 4 if low[i - 4:i] == "sub-" and i >= 4 else i - 3 if low[i - 3:i] == "sub" and i >= 3 else i
        if (j >= n or not (low[j].isalnum() or low[j] == "_")) and w > 0 and low[w - 1] in " \t":
            found = _use_name(low, w)
            if found is not None:
                out.append(Ref("agent", text[start + found[0]:start + found[1]], Span(start + found[0], start + found[1]),
                               where))
        i = low.find("agent", i + 5)
    out.sort(key=lambda r: r.span.start)
    return out


def _use_name(low: str, w: int) -> tuple[int, int] | None:
    """``(start, end)`` in ``low`` of *X* in "use the X agent" whose "agent" starts at ``w``
    (``low[w - 1]`` is a blank), else None. Read backwards by hand, a bounded number of
    characters per "agent" (a regex searched from before it cost its window's square)."""
    k = w
    while k > 0 and low[k - 1] in " \t":
        k -= 1
    if k > 0 and low[k - 1] in _QUOTES:
        k -= 1
    end = k
    while k > 0 and low[k - 1] in _NAME_CHARS and end - k <= MAX_NAME:
        k -= 1
    begin = k
    # A name starts and ends with a letter or digit.
    while begin < end and not low[begin].isalnum():
        begin += 1
    if begin >= end or not low[end - 1].isalnum() or begin != k:
        return None
    if k > 0 and low[k - 1] in _QUOTES:
        k -= 1
    m = k
    while m > 0 and low[m - 1] in " \t":
        m -= 1
    if m == k:
        return None
    if _verb_ends(low, m):
        return begin, end
    if low[max(0, m - 3):m] == "the" and (m == 3 or not low[m - 4].isalnum()):
        t = m - 3
        v = t
        while v > 0 and low[v - 1] in " \t":
            v -= 1
        if v < t and _verb_ends(low, v):
            return begin, end
    return None


def _verb_ends(low: str, at: int) -> bool:
    """Whether one of the verbs ends at ``at``, starting a word."""
    for verb in _VERBS:
        n = len(verb)
        if at >= n and low[at - n:at] == verb and (at == n or not (low[at - n - 1].isalnum() or low[at - n - 1] == "_")):
            return True
    return False


def _slashes(doc: Document, body: Span) -> list[Ref]:
    text = doc.text
    if "/" not in text[body.start:body.end]:
        return []
    out = []
    for m in _SLASH.finditer(text, body.start, body.end):
        if len(out) >= MAX_REFS:
            break
        at = m.start()
        if at > body.start and (text[at - 1].isalnum() or text[at - 1] == "_" or text[at - 1] in _NOT_BEFORE_SLASH):
            continue
        out.append(Ref("slash", m.group(1), Span(m.start(1), m.end(1)), "slash"))
    return out


def _links(doc: Document, path: str | None) -> list[Ref]:
    text, body = doc.text, doc.body
    if "](" not in text[body.start:body.end]:
        return []
    out = []
    here = os.path.normpath(path) if path else ""
    for m in _LINK.finditer(text, body.start, body.end):
        if len(out) >= MAX_REFS:
            break
        if doc.in_code(m.start()):
            continue
        dest = m.group(1)
        if not dest or _SCHEME.match(dest) or dest.startswith("//"):
            continue
        file_part, _, anchor = dest.partition("#")
        if file_part:
            if not path:
                continue
            target = os.path.normpath(os.path.join(os.path.dirname(here), unquote(file_part)))
        else:
            target = here
        span = Span(m.start(1), m.end(1))
        out.append(Ref("link", dest, span, "link", True, target, unquote(anchor) if anchor else None))
    return out


def _anchors(doc: Document):
    from agentls.services.completion import heading_slugs

    for (slug, _title), h in zip(heading_slugs(doc), doc.headings):
        yield slug, h.span


# -- the cursor ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Target:
    """What the cursor is on: a name (``kind`` ``agent``/``skill``/``command``/``slash``),
    or a heading or link (``kind`` ``link``: ``path``, ``anchor``). ``span``: the text
    under the cursor; ``ref``: the reference under it, if it is one."""

    kind: str
    name: str
    span: Span
    ref: Ref | None = None
    path: str | None = None
    anchor: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return ref_key(self.kind, self.name, self.path, self.anchor)


def target_at(doc: Document, offset: int, path: str | None, kind: str | None,
              refs: FileRefs | None = None) -> Target | None:
    """The name, heading or link at ``offset`` (the end of a name counts), else ``None``."""
    refs = refs if refs is not None else file_refs(doc, path, kind)
    for ref in refs.refs:
        if ref.span.start <= offset <= ref.span.end:
            if ref.kind == "link":
                return Target("link", ref.name, ref.span, ref, ref.target, ref.anchor)
            return Target(ref.kind, ref.name, ref.span, ref)
    d = refs.definition
    if d is not None and d.span is not None:
        entry = doc.get("name")
        inner = value_span(doc, entry.value) if entry is not None and entry.value is not None else None
        if inner is not None and (inner.start <= offset <= inner.end
                                  or entry.key_span.start <= offset <= entry.key_span.end):
            return Target(d.kind, d.name, inner)
    if path:
        for slug, span in refs.anchors:
            if span.start <= offset <= span.end:
                return Target("link", slug, span, None, os.path.normpath(path), slug)
    return None


def matches(target: Target, ref: Ref) -> bool:
    """Whether ``ref`` names what ``target`` is."""
    if target.kind == "link":
        return ref.kind == "link" and ref.target == target.path and (ref.anchor or None) == (target.anchor or None)
    if target.kind in ("skill", "command", "slash"):
        if ref.kind == "slash":
            return ref.name.lower() == target.name.lower()
        return ref.kind == "skill" and target.kind in ("skill", "slash") and ref.name == target.name
    return ref.kind == "agent" and normal_name(ref.name) == normal_name(target.name)


def lookup_keys(target: Target) -> list[tuple[str, str]]:
    """The :class:`ReferenceIndex` keys under which references to ``target`` are filed."""
    if target.kind == "link":
        return [target.key]
    if target.kind == "agent":
        return [("agent", normal_name(target.name))]
    return [("skill", target.name), ("slash", target.name.lower())]


# -- the workspace ---------------------------------------------------------------------------------
@dataclass
class ReferenceIndex:
    """:class:`FileRefs` of each file, kept by stamp, and which files name each key."""

    _files: dict[str, tuple[object, FileRefs]] = field(default_factory=dict)
    _by_key: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    _defs: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def stamp(self, path: str) -> object:
        got = self._files.get(path)
        return got[0] if got is not None else None

    def get(self, path: str) -> FileRefs | None:
        got = self._files.get(path)
        return got[1] if got is not None else None

    def update(self, path: str, stamp: object, refs: FileRefs | None) -> None:
        self.remove(path)
        if refs is None:
            return
        self._files[path] = (stamp, refs)
        for key in {r.key for r in refs.refs}:
            self._by_key.setdefault(key, set()).add(path)
        if refs.definition is not None:
            self._defs.setdefault(_def_key(refs.definition), set()).add(path)

    def remove(self, path: str) -> None:
        old = self._files.pop(path, None)
        if old is None:
            return
        for key in {r.key for r in old[1].refs}:
            paths = self._by_key.get(key)
            if paths is not None:
                paths.discard(path)
                if not paths:
                    del self._by_key[key]
        if old[1].definition is not None:
            key = _def_key(old[1].definition)
            paths = self._defs.get(key)
            if paths is not None:
                paths.discard(path)
                if not paths:
                    del self._defs[key]

    @property
    def paths(self) -> list[str]:
        return list(self._files)

    def referencing(self, target: Target) -> list[tuple[str, Ref]]:
        """Every reference to ``target``, as ``(path, ref)``, by path then position."""
        paths: set[str] = set()
        for key in lookup_keys(target):
            paths |= self._by_key.get(key, set())
        out = []
        for path in sorted(paths):
            for ref in self._files[path][1].refs:
                if matches(target, ref):
                    out.append((path, ref))
        return out

    def defining(self, kind: str, name: str) -> list[str]:
        """The files that define ``name`` as ``kind`` (agents: as Claude Code matches names)."""
        return sorted(self._defs.get(_def_key(Definition(kind, name, None)), ()))


def _def_key(d: Definition) -> tuple[str, str]:
    if d.kind == "agent":
        return ("agent", normal_name(d.name))
    if d.kind == "command":
        return ("command", d.name.lower())
    return (d.kind, d.name)


def definitions_of(target: Target, index: ReferenceIndex) -> list[tuple[str, Span | None]]:
    """Where ``target`` is defined, as ``(path, span of its name or None)``: the agents of
    that name, the skill or command (a ``/name`` may be either), the linked file's heading."""
    if target.kind == "link":
        if target.path is None:
            return []
        refs = index.get(target.path)
        if target.anchor and refs is not None:
            for slug, span in refs.anchors:
                if slug == target.anchor:
                    return [(target.path, span)]
        return [(target.path, None)]
    kinds = ["agent"] if target.kind == "agent" else ["skill", "command"] if target.kind == "slash" else [target.kind]
    out = []
    for kind in kinds:
        for path in index.defining(kind, target.name):
            refs = index.get(path)
            d = refs.definition if refs is not None else None
            out.append((path, d.span if d is not None else None))
    return out


# -- workspace symbols -----------------------------------------------------------------------------
def symbol_matches(query: str, name: str) -> bool:
    """VS Code's rule: the query's characters appear in the name in order (case ignored)."""
    if not query:
        return True
    name = name.lower()
    pos = 0
    for ch in query.lower():
        pos = name.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    return True
