"""Suppression comments that suppress nothing, or name no rule.

The comments are read and applied by :mod:`agentls.rules.directives`. ``AGT901`` is an ordinary
check below; ``AGT900`` is emitted by :meth:`agentls.rules.directives.Suppressions.apply`, which
:func:`agentls.rules.lint.lint` calls after every check has run (a suppression is only unused
once all findings are known). The check is registered for both codes so that turning
either on or off works like any other rule.
"""

from __future__ import annotations

from agentls.core.document import Document
from agentls.facts.targets import ALL_KINDS, ALL_TARGETS
from agentls.rules.context import Context
from agentls.rules.directives import suppressions_of
from agentls.rules.registry import Severity, check, rule

F = "suppressions"

UNUSED_SUPPRESSION = rule(
    "AGT900", "unused-suppression", Severity.WARNING,
    "Unused suppression",
    what="""
        Finds `<!-- agentls-disable... -->` comments and `# agentls: ignore[...]` frontmatter
        comments that suppress no finding, and codes in them that match nothing.""",
    why="""
        A suppression outlives the problem it hid: once the tool name is fixed, the comment
        stays and would silently hide the next, real finding of that rule on the same line.""",
    example="""
        ---
        tools: Read, Grep  # agentls: ignore[AGT400]
        ---""",
    how_to_fix="Delete the comment, or the unused codes in it; the fix does either.",
    use_instead="""
        ---
        tools: Read, Grep
        ---""",
    fixable="safe", kinds=ALL_KINDS, targets=ALL_TARGETS, family=F,
    severity_note="A warning: the file works, the comment is only dead weight.",
)

UNKNOWN_SUPPRESSION_CODE = rule(
    "AGT901", "unknown-rule-in-suppression", Severity.WARNING,
    "Suppression names an unknown rule",
    what="Finds codes and names in suppression comments that are not agentls rules.",
    why="A mistyped code (`AGT4OO`, `unknown-tools`) suppresses nothing, so the finding it was meant to hide stays.",
    example="<!-- agentls-disable-next-line unknown-tools -->",
    how_to_fix="Use a rule code or name from `agentls rule --all`.",
    use_instead="<!-- agentls-disable-next-line unknown-tool -->",
    kinds=ALL_KINDS, targets=ALL_TARGETS, family=F,
)


@check(UNKNOWN_SUPPRESSION_CODE, UNUSED_SUPPRESSION)
def unknown_codes(doc: Document, ctx: Context):
    for ref in suppressions_of(doc).unknown_codes():
        yield UNKNOWN_SUPPRESSION_CODE.at(
            ref.span, f"Unknown rule {ref.token!r} in suppression (see `agentls rule --all`)")
