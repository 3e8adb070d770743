"""The canonical form (:mod:`agentls.services.formatting`): a table of ``before -> after``,
then the properties on every fixture and every real file of the corpus: formatting never
changes a value's meaning and is idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from agentls.rules.lint import parse
from agentls.services.formatting import field_values, format_document, line_edits, same_meaning

PATH = "/w/.claude/agents/a.md"
TESTS = Path(__file__).resolve().parent.parent


def fmt(text: str, path: str = PATH) -> str:
    return format_document(parse(text, path)).text


CASES = [
    ("canonical-unchanged", "---\nname: a\ndescription: Does a.\ntools: Read\n---\nBody.\n", None),
    ("key-order", "---\nmodel: sonnet\ntools: Read\ndescription: Does a.\nname: a\n---\nBody.\n",
     "---\nname: a\ndescription: Does a.\ntools: Read\nmodel: sonnet\n---\nBody.\n"),
    ("unknown-keys-stay", "---\ndescription: D.\nfoo: 1\nname: a\n---\n",
     "---\nname: a\nfoo: 1\ndescription: D.\n---\n"),
    ("comments-move-with-their-key", "---\ndescription: D.\n# who\nname: a\n---\n",
     "---\n# who\nname: a\ndescription: D.\n---\n"),
    ("block-scalar-moves-whole", "---\ndescription: |\n  Line one.\n  Line two.\nname: a\n---\n",
     "---\nname: a\ndescription: |\n  Line one.\n  Line two.\n---\n"),
    ("crlf", "---\r\nname: a\r\ndescription: D.\r\n---\r\nBody.\r\n", "---\nname: a\ndescription: D.\n---\nBody.\n"),
    ("lenient-value-quoted", "---\nname: a\ndescription: Use when: reviewing \"x\"\n---\n",
     "---\nname: a\ndescription: \"Use when: reviewing \\\"x\\\"\"\n---\n"),
    ("needless-quotes", "---\nname: \"a\"\ndescription: 'Does a.'\nmodel: \"sonnet\"\n---\n",
     "---\nname: a\ndescription: Does a.\nmodel: sonnet\n---\n"),
    ("needed-quotes-kept", "---\nname: \"yes\"\ndescription: \"a: b\"\nmodel: \"123\"\ncolor: '#fff'\n---\n", None),
    ("lists-kept-as-written", "---\nname: a\ndescription: D.\ntools:\n  - Read\n  - Grep\nskills: [x, y]\n---\n", None),
    ("trailing-whitespace", "---\nname: a  \ndescription: D.\t\n---\nBody.   \n\n\n", "---\nname: a\ndescription: D.\n---\nBody.\n"),
    ("hard-break-kept", "---\nname: a\ndescription: D.\n---\nline one  \nline two\n", None),
    ("code-untouched", "---\nname: a\ndescription: D.\n---\n```\ncode   \n```\n", None),
    ("no-frontmatter", "Just text.  \n", "Just text.\n"),
    ("duplicate-keys-not-reordered", "---\ndescription: D.\nname: a\nname: b\n---\n", None),
    ("unclosed-left-alone", "---\ndescription: D.\nname: a\n", None),
    ("literal-trailing-space-is-content", "---\nname: a\ndescription: |\n  keep \n---\n", None),
    ("empty", "", None),
]


@pytest.mark.parametrize("before, after", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_format(before, after):
    expected = before if after is None else after
    assert fmt(before) == expected
    assert fmt(expected) == expected  # idempotent


def test_skill_key_order():
    path = "/w/.claude/skills/x/SKILL.md"
    assert fmt("---\ndescription: D.\nname: x\n---\n", path) == "---\nname: x\ndescription: D.\n---\n"


@pytest.mark.parametrize("before", [c[1] for c in CASES] + [
    "---\nmodel: sonnet\nname: a\ndescription: D.\n---\nBody.  \n\nMore.\t\n",
    "---\r\nname: a\r\ndescription: D.\r\n---\r\n" + "line  \r\n\r\n" * 50,
], ids=[c[0] for c in CASES] + ["mixed", "crlf-many-lines"])
def test_line_edits_rebuild_the_text(before):
    after = fmt(before)
    text = before
    edits = sorted(line_edits(before, after), key=lambda e: e[0].start, reverse=True)
    for span, new in edits:
        text = text[:span.start] + new + text[span.end:]
    assert text == after


def _files():
    for folder in ("fixtures", "data/corpus"):
        for path in sorted((TESTS / folder).rglob("*.md")):
            yield path


@pytest.mark.parametrize("path", list(_files()), ids=lambda p: str(p.relative_to(TESTS)))
def test_every_real_file_keeps_its_meaning_and_is_stable(path):
    text = path.read_bytes().decode("utf-8", "replace")
    where = "/w/.claude/skills/x/SKILL.md" if path.name == "SKILL.md" else PATH
    doc = parse(text, where)
    once = format_document(doc).text
    after = parse(once, where)
    assert same_meaning(doc, after)
    assert field_values(doc) == field_values(after)
    assert format_document(after).text == once


@pytest.mark.parametrize("text", [
    "---\nname: a\ndescription: D.\n---\n" + " " * 200_000 + "x\n",  # a long run of blanks, not trailing
    "---\nname: a" + " " * 30_000 + "\ndescription: D.\n---\n",  # (past 64 KiB it is not read: left alone)
    "---\nname: a\ndescription: D.\n---\n" + "line  \n" * 20_000,
])
def test_long_blank_runs(text):
    once = fmt(text)
    assert fmt(once) == once
    assert all(not line.endswith(("   ", "\t")) for line in once.split("\n"))


# -- format-tool-lists: comma strings or YAML lists, where the loader reads both alike ---------------
TOOL_LISTS = [
    # (id, path, before, after "comma", after "yaml"); None: as "keep" (the default) formats it
    ("comma-to-yaml", PATH, "tools: Read, Grep\n", None, "tools:\n  - Read\n  - Grep\n"),
    ("yaml-to-comma", PATH, "tools:\n  - Read\n  - Grep\n", "tools: Read, Grep\n", None),
    ("flow-to-comma", PATH, "disallowedTools: [Write, Edit]\n", "disallowedTools: Write, Edit\n", None),
    ("quoted-string", PATH, "tools: \"Read, Grep\"\n", "tools: Read, Grep\n", "tools:\n  - Read\n  - Grep\n"),
    ("specifier-with-commas-stays-whole", PATH, "tools: Read, Agent(planner, reviewer)\n", None,
     "tools:\n  - Read\n  - Agent(planner, reviewer)\n"),
    ("specifier-quoted-in-a-flow-list", PATH, "tools: [Read, \"Agent(planner, reviewer)\"]\n",
     "tools: Read, Agent(planner, reviewer)\n", None),
    ("needs-quotes-as-an-item", PATH, "tools: Read, mcp__github__*\n", None,
     "tools:\n  - Read\n  - mcp__github__*\n"),
    ("comment-after-a-string-kept", PATH, "tools: Read, Grep  # read-only\n", None,
     "tools:  # read-only\n  - Read\n  - Grep\n"),
    ("comment-among-items-kept", PATH, "tools:\n  - Read  # why\n  - Grep\n", None, None),
    ("comment-after-flow-list-kept", PATH, "tools: [Read, Grep]  # why\n", "tools: Read, Grep  # why\n", None),
    ("item-that-is-two-entries", PATH, "tools: [\"Read, Grep\"]\n", None, None),
    ("star", PATH, "tools: \"*\"\n", None, None),
    ("quote-in-the-text", PATH, "tools: Read, 'Bash(x)'\n", None, None),
    ("empty-list", PATH, "tools: []\n", None, None),
    ("not-a-tool-key", PATH, "skills: api, docs\n", None, None),
    ("skill-allowed-tools", "/w/.claude/skills/a/SKILL.md", "allowed-tools: Bash(git log:*) Read\n", None,
     "allowed-tools:\n  - Bash(git log:*)\n  - Read\n"),
    ("skill-item-with-a-blank-is-two-entries", "/w/.claude/skills/a/SKILL.md",
     "allowed-tools:\n  - Read Grep\n", None, None),
    ("command-allowed-tools", "/w/.claude/commands/a.md", "allowed-tools: [Read, Bash(git status:*)]\n",
     "allowed-tools: Read, Bash(git status:*)\n", None),
    ("gemini-never", "/w/.gemini/agents/a.md", "tools:\n  - read_file\n  - glob\n", None, None),
]


@pytest.mark.parametrize("path, before, comma, yaml", [c[1:] for c in TOOL_LISTS], ids=[c[0] for c in TOOL_LISTS])
def test_tool_lists(path, before, comma, yaml):
    head = "---\ndescription: D.\n" if "/commands/" in path else "---\nname: a\ndescription: D.\n"
    text = head + before + "---\nBody.\n"
    kept = format_document(parse(text, path)).text  # lists as written by default ("keep")
    assert format_document(parse(text, path), "keep").text == kept
    assert {e.key: e.value.kind for e in parse(kept, path).frontmatter.entries if e.value is not None} == {
        e.key: e.value.kind for e in parse(text, path).frontmatter.entries if e.value is not None}
    for style, after in (("comma", comma), ("yaml", yaml)):
        expected = kept if after is None else head + after + "---\nBody.\n"
        doc = parse(text, path)
        got = format_document(doc, style).text
        assert got == expected, style
        assert field_values(parse(got, path)) == field_values(doc)  # the same entries
        assert format_document(parse(got, path), style).text == got  # idempotent
        other = "yaml" if style == "comma" else "comma"
        back = format_document(parse(got, path), other).text
        assert field_values(parse(back, path)) == field_values(doc)


def test_tool_lists_with_key_order_and_crlf():
    text = "---\r\ntools: Read, Grep\r\nname: a\r\ndescription: D.\r\n---\r\n"
    assert format_document(parse(text, PATH), "yaml").text == (
        "---\nname: a\ndescription: D.\ntools:\n  - Read\n  - Grep\n---\n")


@pytest.mark.parametrize("style", ["comma", "yaml"])
@pytest.mark.parametrize("path", list(_files()), ids=lambda p: str(p.relative_to(TESTS)))
def test_every_real_file_keeps_its_tools_in_either_style(path, style):
    text = path.read_bytes().decode("utf-8", "replace")
    where = "/w/.claude/skills/x/SKILL.md" if path.name == "SKILL.md" else PATH
    doc = parse(text, where)
    once = format_document(doc, style).text
    after = parse(once, where)
    assert same_meaning(doc, after)
    for key in ("tools", "disallowedTools", "allowed-tools", "disallowed-tools"):
        b, a = doc.get(key), after.get(key)
        assert (b is None) == (a is None)
        if b is not None and b.value is not None:
            from agentls.facts.toolgrammar import split_node

            spaces = where.endswith("SKILL.md")
            entries = [i.text for i in split_node(after, a.value, spaces)]
            assert [i.text for i in split_node(doc, b.value, spaces)] == entries
    assert format_document(after, style).text == once


def test_format_tool_lists_is_a_setting_of_both_vocabularies(tmp_path):
    from agentls.engine.config import ConfigSet, forget_config_lookups
    from agentls.engine.editor_settings import parse_settings
    from agentls.engine.project import resolve

    settings, problems = parse_settings({"formatToolLists": "comma"})
    assert problems == [] and settings.format_tool_lists == "comma"
    _, problems = parse_settings({"formatToolLists": "flow"})
    assert problems and "formatToolLists" in problems[0]
    (tmp_path / "agentls.toml").write_text('format-tool-lists = "yaml"\n')
    forget_config_lookups()
    path = tmp_path / ".claude/agents/a.md"
    assert resolve(path, configs=ConfigSet()).format_tool_lists == "yaml"
    assert resolve(path).format_tool_lists == "yaml"  # the server: the file, then the editor's on top
    assert resolve(path, client=settings).format_tool_lists == "comma"
    assert resolve(tmp_path.parent / "elsewhere.md").format_tool_lists is None  # keep
