"""Hypothesis strategies for agent documents: valid and broken, hostile and huge.

Documents are assembled from pieces an agent file really has (fences, known keys,
descriptions with ``<example>`` blocks, tool lists, headings, code fences) mixed with
what breaks parsers: unicode (emoji, astral, combining, RTL, U+2028), CRLF and lone CR,
a BOM, NULs and control characters, tabs, alias bombs, deep nesting, custom tags,
unclosed quotes and fences, very long values.
"""

from __future__ import annotations

from hypothesis import strategies as st

KEYS = ["name", "description", "tools", "disallowedTools", "model", "color", "permissionMode",
        "skills", "mcpServers", "hooks", "maxTurns", "memory", "isolation", "effort",
        "argument-hint", "allowed-tools", "Name", "tool", "descripton", "x-custom", "?weird", "-"]

ATOMS = ["code-reviewer", "Code Reviewer", "sonnet", "opus", "haiku", "inherit", "gpt-4o", "blue",
         "Read, Grep, Glob", "Bash(git:*)", "mcp__github__create_issue", "WebSerch", "yes", "no",
         "null", "~", "123", "0x1F", "1e3", "2024-01-01", "Use when: the user asks", "a: b: c",
         "\"quoted\"", "'single'", "\"unclosed", "'unclosed", "[Read, Grep]", "[Read, Grep",
         "{a: 1}", "{a: 1", "!!python/object:os.system x", "!!binary aGVsbG8=", "&anchor x", "*anchor",
         "*undefined", "|", ">-", "@at", "`tick`", "%percent", "#comment", "- item", "Line\\nnext",
         "<example>Context: x</example>", "</example>", "😀🎉", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "e\u0301", "שלום",
         "\u2028", "\u0085", "\x0c", "\x00", "\x1b[31m", "\t", "â€”", "ðŸ“‹", "\ufeff", "\ud7ff"]

NEWLINES = ["\n", "\r\n", "\r"]

_unicode = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
_word = st.one_of(st.sampled_from(ATOMS), _unicode)
_value = st.lists(_word, min_size=0, max_size=4).map(" ".join)


@st.composite
def yaml_value(draw) -> str:
    kind = draw(st.integers(0, 9))
    if kind <= 3:
        return " " + draw(_value)
    if kind == 4:  # block list
        items = draw(st.lists(_word, max_size=4))
        return "".join(f"\n{draw(st.sampled_from(['  ', '', '    ', chr(9)]))}- {i}" for i in items)
    if kind == 5:  # flow list
        return " [" + ", ".join(draw(st.lists(_word, max_size=4))) + draw(st.sampled_from(["]", "", "]]"]))
    if kind == 6:  # block scalar
        lines = draw(st.lists(_value, max_size=4))
        return " " + draw(st.sampled_from(["|", ">", "|-", ">+", "|2"])) + "".join(f"\n  {ln}" for ln in lines)
    if kind == 7:  # nested mapping
        inner = draw(st.lists(st.tuples(st.sampled_from(KEYS), _value), max_size=3))
        return "".join(f"\n  {k}: {v}" for k, v in inner)
    if kind == 8:  # double-quoted with escapes
        return ' "' + draw(_value).replace('"', '\\"') + draw(st.sampled_from(['"', '\\n"', '\\x"', '\\U0001F600"']))
    return ""  # empty: `key:`


@st.composite
def frontmatter(draw) -> str:
    lines = []
    for key, value in draw(st.lists(st.tuples(st.sampled_from(KEYS), yaml_value()), max_size=8)):
        lines.append(f"{key}:{value}")
    if draw(st.booleans()):
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(
            ["# comment", "", "  stray indented", "\tname: tab", "- not a key", "key without colon",
             "a: &a [x, x]", "b: *a", "name: *nope", "---x", "...", "? complex", "<<: *a"])))
    return "\n".join(lines)


@st.composite
def body(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 6))):
        parts.append(draw(st.one_of(
            _value,
            st.sampled_from(["# Role", "## Steps", "#### Skipped", "#NoSpace", "   ### indented",
                             "```", "```python", "~~~", "````", "<example>", "</example>",
                             "`<example>` inline", "    indented code", "---", "- [ ] task"]),
            st.builds(lambda h, t: h + " " + t, st.sampled_from(["#", "##", "###"]), _value),
        )))
    return "\n".join(parts)


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines)


@st.composite
def hostile(draw) -> str:
    """Frontmatter that is big or deep on purpose (kept small enough to be quick)."""
    kind = draw(st.integers(0, 5))
    if kind == 0:
        return alias_bomb(draw(st.integers(2, 12)), draw(st.integers(2, 10)))
    if kind == 1:
        depth = draw(st.integers(1, 3000))
        return "x: " + "[" * depth + "]" * draw(st.sampled_from([depth, 0, depth // 2]))
    if kind == 2:
        depth = draw(st.integers(1, 300))
        return "\n".join("  " * i + f"k{i}:" for i in range(depth))
    if kind == 3:
        return "description: " + draw(st.sampled_from(["x", "😀", "é", "a: "])) * draw(st.integers(1, 20000))
    if kind == 4:
        return "x: !!python/object/apply:os.system [\"echo hi\"]\ny: !custom {a: 1}\nz: !!set {a, b}"
    return "a: &x\n  b: *x\nname: *x"


@st.composite
def documents(draw) -> str:
    fm = draw(st.one_of(frontmatter(), frontmatter(), hostile()))
    opening = draw(st.sampled_from(["---", "---", "---", "--- ", "----", "", "+++", "\n---"]))
    closing = draw(st.sampled_from(["---", "---", "---", "--- x", "-----", "...", ""]))
    text = f"{opening}\n{fm}\n{closing}\n{draw(body())}" if opening else f"{fm}\n{draw(body())}"
    newline = draw(st.sampled_from(NEWLINES + ["mixed"]))
    if newline == "mixed":
        text = "".join(ch if ch != "\n" else draw(st.sampled_from(NEWLINES)) for ch in text)
    elif newline != "\n":
        text = text.replace("\n", newline)
    if draw(st.booleans()) and draw(st.booleans()):
        text = "\ufeff" + text
    return text


@st.composite
def edits(draw, text: str):
    """A list of ``(start, end, new_text)`` code-point edits valid for successive texts."""
    out = []
    length = len(text)
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, length))
        end = draw(st.integers(start, min(length, start + 40)))
        new = draw(st.one_of(_value, st.sampled_from(["\n", "\r\n", "\r", "---\n", ": ", "😀", "\t", ""]),
                             # what body scans look for: headings, fences, tags, mojibake, controls
                             st.sampled_from(["#", "\n## ", "```", "\n~~~\n", "`", "<example>", "</example>",
                                              "<", ">", "Ã©", "\x07", "\n   # "])))
        out.append((start, end, new))
        length += len(new) - (end - start)
    return out
