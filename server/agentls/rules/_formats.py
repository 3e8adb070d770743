"""What the rule families of the other tools' formats share (Gemini CLI, GitHub Copilot,
Cursor, OpenCode): reading a key against a field table, with did-you-mean, and a value
against its field's type. Each family emits the findings under its own rule, at the
severity that tool's loader justifies; this module only says what is wrong."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from agentls.core.document import Document, Entry
from agentls.core.yamlnodes import BOOL, FLOAT, INT, YNode
from agentls.facts.fields import Field
from agentls.rules.keys import MAX_SUGGESTIONS, close_keys
from agentls.rules.registry import Edit, Fix

# Keys that only name or describe the file: a rename onto one of them changes nothing an
# agent can do, so it may be a safe fix (one candidate). Every other key governs behaviour.
DESCRIPTIVE = frozenset({"name", "description", "display_name", "argument-hint", "metadata", "label"})


def entries(doc: Document) -> list[Entry]:
    return list(doc.frontmatter.entries) if doc.frontmatter else []


def frontmatter_problem(doc: Document, *, required: bool, strict: bool,
                        fences: bool = True) -> tuple[str, object] | None:
    """What keeps a tool from reading the frontmatter, as ``(what, span)``, or ``None``.

    ``required``: the tool needs frontmatter (a file without it is refused); ``strict``:
    the tool's YAML parser has no lenient fallback (Claude Code's second pass is not
    theirs), so YAML that only Claude Code's fallback reads is a problem too. Without
    ``fences`` only the YAML counts (a tool that reads a file with no frontmatter fence as
    all prompt: that is not a file it cannot read)."""
    fm = doc.frontmatter
    first = _first_line(doc)
    if fm is None:
        return ("the file has no frontmatter (it must start with `---`)", first) if required else None
    if not fences and (fm.bad_open_fence or fm.leading is not None or not fm.closed
                       or fm.bad_close_fence is not None):
        return None
    if fm.bad_open_fence:
        return "the opening fence is not exactly `---`", fm.open_fence
    if fm.leading is not None:
        return "the frontmatter does not start on the first line", fm.open_fence
    if not fm.closed:
        return "the frontmatter is never closed with `---`", fm.open_fence
    if fm.bad_close_fence is not None:
        return "the closing fence is not exactly `---`", fm.bad_close_fence
    if fm.too_complex is not None:
        return f"the YAML cannot be read: {fm.too_complex.message}", fm.too_complex.span
    for p in fm.problems:
        if strict or not p.recoverable:
            return f"the YAML is not valid: {p.message}", p.span
    if fm.not_mapping is not None:
        return f"the frontmatter is a {fm.not_mapping.type_name}, not a mapping of keys", fm.not_mapping.span
    return None


def _first_line(doc: Document):
    from agentls.rules._util import first_line_span

    return first_line_span(doc)


def unknown_keys(doc: Document, fields: dict[str, Field], extra: frozenset[str] = frozenset(),
                 foreign: dict[str, str] | None = None, *,
                 safe_renames: bool = True) -> Iterator[tuple[Entry, str | None, Fix | None]]:
    """Each entry whose key is not in ``fields`` (nor ``extra``), with the key it most
    likely means (``foreign`` names the right key for other tools' spellings; ``""``: no
    equivalent) and a rename fix. A rename is safe only onto a descriptive key with one
    candidate, and never without ``safe_renames`` (a tool that refuses the file for the
    unknown key: the rename changes whether it loads at all)."""
    known = list(fields)
    present = doc.entries
    count = 0
    for entry in entries(doc):
        key = entry.key
        if key in fields or key in extra:
            continue
        count += 1
        if foreign is not None and key in foreign:
            target = foreign[key] or None
            candidates = [target] if target else []
        else:
            candidates = close_keys(key, known) if count <= MAX_SUGGESTIONS else []
        best = candidates[0] if candidates else None
        fix = None
        if best is not None and best not in present:
            fix = Fix(f"Rename to `{best}`", (Edit(entry.key_span, best),),
                      safe=safe_renames and len(candidates) == 1 and best in DESCRIPTIVE)
        yield entry, best, fix


def an(word: str) -> str:
    """``word`` with its indefinite article: "an integer", "a string"."""
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def is_null(entry: Entry) -> bool:
    return entry.value is None or entry.value.is_null and not entry.value.value


# Booleans only in YAML 1.1 (PyYAML, which agentls parses with): js-yaml, which Gemini CLI
# and OpenCode use, reads YAML 1.2, where these words are strings.
_YAML11_BOOLS = frozenset({"yes", "no", "on", "off", "y", "n"})


def yaml11_bool(node: YNode) -> bool:
    """A boolean to PyYAML (YAML 1.1) that a YAML 1.2 parser reads as a string (``no``)."""
    return node.kind == "scalar" and node.tag == BOOL and node.value.strip().lower() in _YAML11_BOOLS


def is_string(node: YNode, yaml12: bool = False) -> bool:
    return node.is_str or yaml12 and yaml11_bool(node)


def type_problem(node: YNode, field: Field, yaml12: bool = False) -> str | None:
    """Why ``node`` is not a valid value of ``field``'s type, or ``None``. Enumerations
    are checked for being strings here, for their values by the families. ``yaml12``: the
    tool parses YAML 1.2 (js-yaml), where ``yes``/``no``/``on``/``off`` are strings."""
    t = field.type
    if node.explicit_tag:
        return f"`{field.key}` has a YAML tag; write a plain value"
    if t in {"string", "enum"}:
        if not is_string(node, yaml12):
            return f"`{field.key}` must be a string, not {an(node.type_name)}" + _quote_hint(node)
    elif t == "boolean":
        if yaml12 and yaml11_bool(node):
            word = "true" if node.value.strip().lower() in {"yes", "on", "y"} else "false"
            return f"`{field.key}: {node.value}` is the string `\"{node.value}\"` to a YAML 1.2 parser: write `{word}`"
        if node.kind != "scalar" or node.tag != BOOL:
            hint = ""
            if node.is_str and node.value.strip().lower() in {"true", "false"}:
                hint = f": write `{node.value.strip().lower()}` without quotes"
            return f"`{field.key}` must be `true` or `false`, not {an(node.type_name)}{hint}"
    elif t == "integer":
        if node.kind != "scalar" or node.tag != INT:
            return f"`{field.key}` must be {field.constraint or 'an integer'}, not {an(node.type_name)}"
        number = integer(node)
        if number is None or field.out_of_range(number):
            return f"`{field.key}` must be {field.constraint}"
    elif t == "number":
        if number_of(node) is None:
            return f"`{field.key}` must be a number, not {an(node.type_name)}"
    elif t == "mapping":
        if node.kind != "map":
            return f"`{field.key}` must be a mapping, not {an(node.type_name)}"
    elif t == "list":
        if node.kind != "seq":
            return f"`{field.key}` must be a list, not {an(node.type_name)}"
    elif t in {"stringlist", "globs", "toollist"}:
        if node.kind == "seq":
            for item in node.items:
                if not is_string(item, yaml12):
                    return f"each `{field.key}` entry must be a string, not {an(item.type_name)}"
        elif not is_string(node, yaml12):
            return f"`{field.key}` must be a string or a list of strings, not {an(node.type_name)}"
    return None


def _quote_hint(node: YNode) -> str:
    if node.kind == "seq":
        return ": quote it (an unquoted `[...]` is a YAML list)"
    if node.kind == "scalar":
        return f": quote it (`\"{node.value}\"`)"
    return ""


def integer(node: YNode) -> int | None:
    try:
        return int(node.value.replace("_", ""), 0)
    except ValueError:
        return None


def number_of(node: YNode) -> float | None:
    """The value of an integer or float scalar (``None`` for anything else, NaN and infinities
    included: a tool's ``Finite`` refuses those)."""
    if node.kind != "scalar" or node.tag not in {INT, FLOAT}:
        return None
    text = node.value.replace("_", "")
    try:
        value = float(int(text, 0)) if node.tag == INT else float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def string_items(node: YNode, *, comma: bool) -> list[tuple[str, object]]:
    """The strings of a string-or-list value with their spans: a list's string items, or
    (``comma``) a comma-separated string's pieces (``globs: a, b``)."""
    from agentls.core.text import Span

    if node.kind == "seq":
        return [(i.value, i.span) for i in node.items if i.is_str]
    if not node.is_str:
        return []
    if not comma:
        return [(node.value, node.span)]
    located = node.style is None and len(node.span) == len(node.value)  # offsets map 1:1
    out = []
    pos = 0
    for piece in _top_level_pieces(node.value):
        lead = len(piece) - len(piece.lstrip())
        text = piece.strip()
        if text:
            start = node.span.start + pos + lead if located else node.span.start
            out.append((text, Span(start, start + len(text)) if located else node.span))
        pos += len(piece) + 1
    return out


def _top_level_pieces(text: str) -> list[str]:
    """``text`` split at the commas outside ``{...}`` (``**/*.{ts,tsx}`` is one glob)."""
    pieces, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
        elif ch == "," and not depth:
            pieces.append(text[start:i])
            start = i + 1
    pieces.append(text[start:])
    return pieces


# -- globs ----------------------------------------------------------------------------------
_BAD_GLOB_CHARS = re.compile(r"[\x00-\x1f]")


def glob_problem(glob: str) -> str | None:
    """What is wrong with a path glob as VS Code and Cursor match it (minimatch/picomatch
    style, relative to the workspace), or ``None``."""
    if not glob:
        return "an empty glob matches nothing"
    if "\\" in glob:
        return "use `/` in globs: a `\\` escapes the next character, it is not a folder separator"
    if glob.startswith("/") or re.match(r"[A-Za-z]:/", glob):
        return "globs are matched against paths relative to the workspace root, so an absolute path never matches"
    if _BAD_GLOB_CHARS.search(glob):
        return "the glob holds a control character"
    depth_brace = depth_bracket = 0
    for ch in glob:
        if ch == "{":
            depth_brace += 1
        elif ch == "}":
            depth_brace -= 1
            if depth_brace < 0:
                return "a `}` without its `{`"
        elif ch == "[":
            depth_bracket += 1
        elif ch == "]" and depth_bracket:
            depth_bracket -= 1
    if depth_brace > 0:
        return "a `{` is never closed"
    if depth_bracket > 0:
        return "a `[` is never closed"
    if any("**" in segment and segment != "**" for segment in glob.split("/")):
        return "`**` matches folders only as a whole path segment (`src/**/*.ts`), not inside a name"
    return None
