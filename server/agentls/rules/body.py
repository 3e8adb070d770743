"""The body (the agent's system prompt): not empty, balanced `<example>` tags, heading levels."""

from __future__ import annotations

import re

from agentls.core.document import Document
from agentls.core.text import Span
from agentls.rules.context import Context
from agentls.rules.registry import Severity, check, rule

F = "body"
_INK = re.compile(r"\S")

EMPTY_BODY = rule(
    "AGT600", "empty-body", Severity.WARNING,
    "Empty prompt: the body is the agent's system prompt",
    what="Checks that an agent has text after its frontmatter.",
    why="""
        The body replaces Claude Code's system prompt for the agent. An empty body leaves the
        agent with no instructions at all beyond its description.""",
    example="""
        ---
        name: code-reviewer
        description: Reviews code.
        ---""",
    how_to_fix="Write the agent's instructions below the frontmatter: its role, its workflow, its output.",
    source="https://code.claude.com/docs/en/sub-agents#write-subagent-files", family=F,
)

UNBALANCED_EXAMPLE = rule(
    "AGT601", "unbalanced-example-tags", Severity.WARNING,
    "Unbalanced `<example>` tag",
    what="Checks that every `<example>` in the body is closed by `</example>` and vice versa.",
    why="An unclosed example makes the rest of the prompt read as an example, which the model imitates instead of obeying.",
    example="""
        <example>
        user: review this
        ## Workflow""",
    how_to_fix="Add the missing `</example>` (or remove the stray one).",
    family=F,
)

HEADING_SKIP = rule(
    "AGT602", "heading-level-skip", Severity.INFO,
    "Heading level skips",
    what="Finds headings that jump more than one level deeper than the previous one (`#` then `###`).",
    why="Prompt structure is read from headings; a skipped level usually means a section was lost or misplaced.",
    example="""
        # Reviewer
        ### Steps""",
    how_to_fix="Use the next level down (`##`).",
    source="markdownlint MD001", family=F,
)


@check(EMPTY_BODY)
def empty_body(doc: Document, ctx: Context):
    fm = doc.frontmatter
    if fm is None or not fm.closed or fm.close_fence is None:
        return
    if _INK.search(doc.text, doc.body.start) is None:
        yield EMPTY_BODY.at(fm.close_fence)


@check(UNBALANCED_EXAMPLE)
def example_tags(doc: Document, ctx: Context):
    stack: list = []
    for tag in doc.example_tags:
        if not tag.closing:
            stack.append(tag)
        elif stack:
            stack.pop()
        else:
            yield UNBALANCED_EXAMPLE.at(tag.span, "`</example>` without a matching `<example>`")
    for tag in stack:
        yield UNBALANCED_EXAMPLE.at(tag.span, "`<example>` is never closed with `</example>`")


# Two consecutive heading levels (1-6) where the second is more than one deeper.
_SKIP_PAIR = re.compile(b"(?=\x01[\x03-\x06]|\x02[\x04-\x06]|\x03[\x05\x06]|\x04\x06)")


@check(HEADING_SKIP)
def heading_levels(doc: Document, ctx: Context):
    # Levels first, as bytes searched at C speed for a pair that skips (a prompt can
    # have thousands of headings); positions only on a skip.
    levels = doc.heading_levels
    encoded = bytes(levels)
    skips = [(m.start() + 1, levels[m.start()]) for m in _SKIP_PAIR.finditer(encoded)]
    if not skips:
        return
    marks = doc.heading_marks
    for i, previous in skips:
        start, level = marks[i]
        yield HEADING_SKIP.at(Span(start, start + level),
                              f"Heading level {level} after level {previous}: use `{'#' * (previous + 1)}`")
