"""Claude Code's frontmatter reader, reproduced (``agentls.core.claude_reader``).

The facts, from Claude Code's ``src/utils/frontmatterParser.ts``:

* ``FRONTMATTER_REGEX = /^---\\s*\\n([\\s\\S]*?)---\\s*\\n?/``: the frontmatter ends at the
  first ``---`` after the opening line, wherever it is;
* when the YAML throws, ``quoteProblematicValues`` rewrites every line matching
  ``/^([a-zA-Z_-]+):\\s+(.+)$/`` whose value is not already quoted and matches
  ``/[{}[\\]*&#!|>%@`]|: /`` as ``key: "value"`` (backslashes, then double quotes
  escaped), and the YAML is parsed once more;
* both failing, the file has no fields.

Each test pins one of these against a literal port of the JavaScript patterns (run by
Python's ``re``, which backtracks the same way, with JavaScript's ``\\s`` and ``.`` spelt
out), and checks that the second pass's nodes land exactly on the original text.
"""

from __future__ import annotations

import random
import re

import pytest
from agentls.core import claude_reader, yamlnodes
from agentls.core.claude_reader import (
    JS_LINE_TERMINATORS,
    JS_SPACE,
    quote_problematic_values_claude_code,
    read_yaml_claude_code,
)
from agentls.core.document import Document
from agentls.rules.lint import lint_text

# The JavaScript patterns, literally (``\s`` and ``.`` as JavaScript has them).
S = f"[{JS_SPACE}]"
DOT = f"[^{JS_LINE_TERMINATORS}]"
JS_FRONTMATTER = re.compile(f"---{S}*\n([\\s\\S]*?)---{S}*\n?")
JS_LINE = re.compile(f"([a-zA-Z_-]+):{S}+({DOT}+)\\Z")
JS_SPECIAL = re.compile(r"[{}\[\]*&#!|>%@`]|: ")


def js_quote(text: str) -> str:
    """``quoteProblematicValues``, ported line for line."""
    out = []
    for line in text.split("\n"):
        m = JS_LINE.match(line)
        if m:
            key, value = m.group(1), m.group(2)
            if (value.startswith('"') and value.endswith('"')) or (value.startswith("'") and value.endswith("'")):
                out.append(line)
                continue
            if JS_SPECIAL.search(value):
                escaped = value.replace("\\", "\\\\").replace('"', '\\"')
                out.append(f'{key}: "{escaped}"')
                continue
        out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("line, rewritten", [
    ("tools: *", 'tools: "*"'),
    ("model: @x", 'model: "@x"'),
    ("description: Use when: a PR", 'description: "Use when: a PR"'),
    ("description: %100 `sure`", 'description: "%100 `sure`"'),
    ('description: a "b" \\ c #d', 'description: "a \\"b\\" \\\\ c #d"'),
    ("description:\t\t[Beta] x  ", 'description: "[Beta] x  "'),  # tabs are \s; trailing blanks kept
    ("name: plain value", "name: plain value"),  # nothing special
    ("time: 12:34 https://x", "time: 12:34 https://x"),  # ':' without a blank after it
    ('description: "a" or "b"', 'description: "a" or "b"'),  # starts and ends with `"`: "quoted"
    ("description: 'it's: x'", "description: 'it's: x'"),
    ("description: Use: x\r", "description: Use: x\r"),  # CRLF: `.` matches no \r
    ("mcp2: *", "mcp2: *"),  # a digit in the key
    ("  indented: *", "  indented: *"),
    ("- item: *", "- item: *"),
    ("tools:*", "tools:*"),  # no blank after the colon
    ("tools:   ", "tools:   "),
    ("a: x\u2028y: *", "a: x\u2028y: *"),  # a line separator is no `.`
    ("a:\u00a0*", 'a: "*"'),  # NBSP is \s in JavaScript
])
def test_each_line_is_rewritten_as_claude_code_rewrites_it(line, rewritten):
    assert js_quote(line) == rewritten
    assert quote_problematic_values_claude_code(line)[0] == rewritten


def test_the_rewrite_agrees_with_the_javascript_pattern_on_random_lines():
    rng = random.Random(14)
    alphabet = ["a", "b", "_", "-", "1", ":", " ", "\t", "\r", "\u2028", "\u00a0", '"', "'", "\\", "*",
                "#", "[", "}", "@", "`", "x", "é", "😀"]
    for _ in range(3000):
        text = "\n".join("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
                         for _ in range(rng.randint(1, 4)))
        assert quote_problematic_values_claude_code(text)[0] == js_quote(text), repr(text)


def test_the_rewrite_is_linear_where_the_pattern_backtracks():
    # `\s+(.+)$` against blanks and a final "\r" tries every split: quadratic in JavaScript
    # and in a literal port. agentls's answer is the same, found in one pass.
    line = "description:" + " " * 200_000 + "x*\r"
    assert claude_reader.requote_line(line) is None
    assert claude_reader.requote_line("d:" + " " * 200_000 + "x*") == ("d", 200_002)


SPLITS = [
    "---\nname: a\n---\nbody",
    "---\nname: a\ndescription: b --- c\ntools: Read\n---\nbody",
    "---\nname: a\n-----\nbody",
    "---\nname: a\n--- end\nbody",
    "---\nname: a\n# --- x\ndescription: d\n---\n",
    "--- \t\nname: a\n---   \n\n  body",
    "---\r\nname: a\r\n---\r\nbody",
    "---\nname: a\ndescription: |\n  x\n  ---\n  y\n---\nbody",
]


@pytest.mark.parametrize("text", SPLITS)
def test_the_frontmatter_ends_where_the_javascript_pattern_ends_it(text):
    m = JS_FRONTMATTER.match(text)
    assert m is not None
    content_start = claude_reader.opening_end_claude_code(text)
    assert content_start == m.start(1)
    close = claude_reader.closing_claude_code(text, content_start)
    assert close == m.end(1)
    assert claude_reader.body_start_claude_code(text, close) == m.end()
    doc = Document(text, "a.md", "agent")
    fm = doc.frontmatter
    if fm.cut is not None:
        assert fm.cut.span.start == m.end(1)  # reported where Claude Code's frontmatter ends
    else:
        assert fm.content.end == m.end(1)  # our frontmatter is Claude Code's


@pytest.mark.parametrize("text", ["----\nname: a\n---\n", "---name: a\n---\n", "---\rname: a\r---\r", " ---\n---\n"])
def test_no_frontmatter_where_the_pattern_does_not_match(text):
    assert JS_FRONTMATTER.match(text) is None
    assert claude_reader.opening_end_claude_code(text) == -1


LINES = [
    "name: code-reviewer",
    "description: 📋 Reviews code 😀: a PR, \"a diff\" \\ more",
    "tools: *",
    "model: sonnet # fast",
    "skills:",
    "  - one",
    "  - ðŸ“‹ two",
    "color: blue",
    "initialPrompt: [Beta] é `start` here",
    "hooks: {a: 1}",
]


def test_second_pass_values_are_spelt_as_written_and_land_on_them():
    text = "---\n" + "\n".join(LINES) + "\n---\nBody\n"
    doc = Document(text, "a.md", "agent")
    fm = doc.frontmatter
    assert fm.reading == "requoted"
    values = {e.key: e.value for e in fm.entries}
    for key in ("description", "tools", "model", "initialPrompt", "hooks"):
        node = values[key]
        assert node.style is None  # plain: an offset into the value is an offset into the text
        assert doc.slice(node.span) == node.value  # exactly the value as written
        line = next(x for x in LINES if x.startswith(key + ":"))
        assert node.value == line.split(": ", 1)[1]
    assert values["tools"].value == "*"
    assert values["hooks"].value == "{a: 1}"  # quoted too: text to Claude Code
    for e in fm.entries:  # every key too, on lines after rewritten ones
        assert doc.slice(e.key_span) == e.key
    skills = values["skills"]
    assert [doc.slice(i.span) for i in skills.items] == ["one", "ðŸ“‹ two"]
    assert doc.slice(values["color"].span) == "blue"


def test_a_second_pass_error_is_reported_where_it_is_in_the_original():
    text = "---\nname: a\ndescription: 😀 x: \"y\"\n<example>\nmore: z\n---\n"
    fm = Document(text, "a.md", "agent").frontmatter
    assert fm.reading == "unreadable"
    content = text[fm.content.start:fm.content.end]
    reading = read_yaml_claude_code(content, fm.content.start)
    rewritten = js_quote(content)
    assert rewritten != content
    with pytest.raises(yamlnodes.YamlError) as second:
        yamlnodes.compose(rewritten)
    # The same character, moved back past the rewritten (longer) line.
    assert text[reading.error.offset] == rewritten[second.value.offset]
    assert reading.error.offset - fm.content.start == second.value.offset - (len(rewritten) - len(content))


@pytest.mark.parametrize("text, reading", [
    ("name: a\ntools: Read\n", "strict"),
    ("name: a\ntools: *\n", "requoted"),
    ("name: a\ndescription: Use: x\n", "requoted"),
    ("name: a\ndescription: Use:\tx\n", "unreadable"),  # ":\t" is a mapping value, not ": "
    ("name: a\r\ndescription: Use: x\r\n", "unreadable"),  # CRLF: nothing is rewritten
    ("name: a\ndescription: Use: x\n<example>\nuser: hi\n</example>\n", "unreadable"),
    ('name: a\ndescription: "a" or: "b"\n', "unreadable"),  # looks quoted: left alone
])
def test_how_claude_code_reads_it(text, reading):
    assert read_yaml_claude_code(text).how == reading


def test_crlf_is_what_stops_the_second_pass():
    text = "---\r\nname: a\r\ndescription: Use for reviews. Examples: a PR\r\n---\r\nBody\r\n"
    doc = Document(text, "a.md", "agent")
    assert doc.frontmatter.reading == "unreadable" and doc.frontmatter.crlf_unquoted
    _, findings = lint_text(text, "/w/.claude/agents/a.md")
    assert {(f.code, f.severity.label) for f in findings} >= {("AGT500", "error"), ("AGT011", "warning")}


@pytest.mark.parametrize("keys, as_text", [
    ([f"k{i}" for i in range(12)], False),  # a digit in the key: never rewritten, a real bomb
    (["k" + "abcdefghijkl"[i] for i in range(12)], True),  # rewritten: texts
])
def test_an_alias_bomb_in_the_second_pass_stays_bounded(keys, as_text):
    lines = [f"{keys[0]}: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"{keys[i]}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 12)]
    text = "---\nname: a\ndescription: Use: it\n" + "\n".join(lines) + "\n---\nBody\n"
    doc = Document(text, "a.md", "agent")
    assert doc.frontmatter.reading == "requoted"
    last = doc.get(keys[-1]).value
    assert (last.kind == "scalar" and last.value.startswith("&a11 [*a10")) is as_text
    _, findings = lint_text(text, "/w/.claude/agents/a.md")  # composed once, walked on a budget
    assert len(findings) < 100


def test_a_cut_reads_what_claude_code_reads_before_the_dashes():
    text = "---\nname: a\ndescription: Reviews code --- always\ntools: Read\nmodel: opus\n---\nBody\n"
    fm = Document(text, "a.md", "agent").frontmatter
    assert fm.cut is not None and fm.cut.keys == ("name", "description") and fm.cut.reading == "strict"
    assert [e.key for e in fm.entries] == ["name", "description", "tools", "model"]  # as written
    _, findings = lint_text(text, "/w/.claude/agents/a.md")
    (cut,) = [f for f in findings if f.code == "AGT009"]
    assert "`tools`, `model`" in cut.message and cut.severity.label == "error"
    assert text[cut.span.start:cut.span.end] == "---"


def test_no_quoting_fix_where_it_would_change_a_value_claude_code_reads_as_text():
    text = "---\nname: a\ndescription: Use for reviews. Examples: a PR\nmodel: sonnet # fast\n---\nBody\n"
    _, findings = lint_text(text, "/w/.claude/agents/a.md")
    (strict_only,) = [f for f in findings if f.code == "AGT011"]
    assert strict_only.fix is None  # quoting it would make `model` read as `sonnet`
    text = text.replace("model: sonnet # fast", "model: sonnet")
    _, findings = lint_text(text, "/w/.claude/agents/a.md")
    (strict_only,) = [f for f in findings if f.code == "AGT011"]
    assert strict_only.fix is not None and strict_only.fix.safe


def test_past_the_check_budget_lines_are_read_but_not_reported_one_by_one():
    from agentls.core.document import MAX_REQUOTE_CHECKS

    keys = [f"k{'abcdefghijklmnopqrstuvwxyz'[i // 26]}{'abcdefghijklmnopqrstuvwxyz'[i % 26]}" for i in range(300)]
    text = "---\nname: a\ndescription: Reviews code.\n" + "".join(f"{k}: *\n" for k in keys) + "---\nBody\n"
    doc, findings = lint_text(text, "/w/.claude/agents/a.md")
    assert doc.frontmatter.reading == "requoted"
    assert all(doc.get(k).value.value == "*" and doc.get(k).lenient for k in keys)  # every value read
    assert len([f for f in findings if f.code == "AGT011"]) == MAX_REQUOTE_CHECKS
