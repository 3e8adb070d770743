"""Inline suppressions: each form silences exactly its finding; unused ones are reported."""

from __future__ import annotations

import pytest
from agentls.engine.fixes import fix_text
from agentls.rules.lint import context_for, lint_text
from cli_helpers import UNKNOWN_TOOL, codes, write

PATH = "/p/.claude/agents/x.md"

BODY = """---
name: x
description: Reviews code for quality and security. Use after code changes.
---
# Reviewer
{before}
### Skipped one
{between}
##### Also skipped
{after}
"""


def found(text: str, **kwargs) -> list[tuple[str, int]]:
    doc, findings = lint_text(text, PATH, **kwargs)
    return [(f.code, doc.index.position(f.span.start)[0] + 1) for f in findings]


def body(before="", between="", after=""):
    return BODY.format(before=before, between=between, after=after)


def test_baseline_has_two_heading_findings():
    assert found(body()) == [("AGT602", 7), ("AGT602", 9)]


def test_disable_next_line_silences_only_the_next_line():
    assert found(body(before="<!-- agentls-disable-next-line AGT602 -->")) == [("AGT602", 9)]


@pytest.mark.parametrize("codes_text", ["AGT602", "heading-level-skip", "agt602", "AGT400, AGT602", "AGT400 heading-level-skip", ""])
def test_disable_next_line_codes_names_lists_and_all(codes_text):
    text = body(between=f"<!-- agentls-disable-next-line {codes_text} -->".replace("  ", " "))
    result = found(text)
    assert ("AGT602", 9) not in result and ("AGT602", 7) in result
    if "AGT400" in codes_text:
        assert ("AGT900", 8) in result  # AGT400 was listed but had nothing to suppress


def test_disable_enable_region():
    assert found(body(before="<!-- agentls-disable AGT602 -->", between="<!-- agentls-enable AGT602 -->")) == [("AGT602", 9)]
    assert found(body(before="<!-- agentls-disable -->", between="<!-- agentls-enable -->")) == [("AGT602", 9)]
    # Without an enable the region runs to the end of the file.
    assert found(body(before="<!-- agentls-disable heading-level-skip -->")) == []
    # Enabling a code that is not disabled leaves the region of another code alone.
    assert found(body(before="<!-- agentls-disable -->", between="<!-- agentls-enable AGT400 -->")) == []


def test_frontmatter_ignore_comment():
    text = UNKNOWN_TOOL.format(name="x")
    assert found(text) == [("AGT400", 4)]
    assert found(text.replace("Grepp", "Grepp  # agentls: ignore[AGT400]")) == []
    assert found(text.replace("Grepp", "Grepp  # agentls: ignore[unknown-tool]")) == []
    assert found(text.replace("Grepp", "Grepp # agentls: ignore")) == []
    # Another code does not hide it, and is itself unused.
    assert found(text.replace("Grepp", "Grepp  # agentls: ignore[AGT401]")) == [("AGT400", 4), ("AGT900", 4)]


def test_frontmatter_ignore_on_a_key_covers_its_block_list():
    text = UNKNOWN_TOOL.format(name="x").replace("tools: Read, Grepp", "tools:  # agentls: ignore[AGT400]\n  - Read\n  - Grepp")
    assert found(text) == []


def test_comments_in_code_blocks_and_inline_code_are_not_suppressions():
    fenced = body(between="```markdown\n<!-- agentls-disable-next-line AGT602 -->\n```")
    assert ("AGT602", 11) in found(fenced)
    inline = body(before="Write `<!-- agentls-disable AGT602 -->` to silence it.")
    assert found(inline) == [("AGT602", 7), ("AGT602", 9)]


def test_unused_suppression_reported_and_fixable():
    text = body(before="<!-- agentls-disable-next-line AGT602 -->\n")
    result = found(text)
    assert ("AGT900", 6) in result
    fixed = fix_text(text, context_for(PATH))
    assert "agentls-disable" not in fixed.text
    # A partly used list is reduced to the used codes.
    text = body(between="<!-- agentls-disable-next-line AGT400, AGT602 -->")
    fixed = fix_text(text, context_for(PATH))
    assert "<!-- agentls-disable-next-line AGT602 -->" in fixed.text


def test_unknown_rule_in_suppression():
    assert ("AGT901", 6) in found(body(before="<!-- agentls-disable-next-line AGT4OO -->"))


def test_suppressions_of_rules_that_are_off_are_not_unused():
    from agentls.core.document import Document
    from agentls.rules.lint import Context, lint
    from agentls.rules.registry import RuleSettings

    text = body(before="<!-- agentls-disable AGT400 -->")
    doc = Document(text, PATH, "agent")
    findings = lint(doc, Context("agent", path=PATH), RuleSettings(disabled={"AGT400"}))
    assert "AGT900" not in [f.code for f in findings]


def test_reports_about_suppressions_can_be_suppressed():
    text = body(before="<!-- agentls-disable AGT900 -->\n<!-- agentls-disable-next-line AGT400 -->")
    assert [c for c, _ in found(text)] == ["AGT602", "AGT602"]


def test_cli_suppression_silences_exactly_its_finding(project, run):
    a = UNKNOWN_TOOL.format(name="a")
    write(project, {".claude/agents/a.md": a.replace("Grepp", "Grepp  # agentls: ignore[AGT400]"),
                    ".claude/agents/b.md": UNKNOWN_TOOL.format(name="b")})
    code, out, _ = run(["--format", "json"], cwd=project)
    assert codes(out) == [(".claude/agents/b.md", "AGT400", 4)]
