"""Cursor project rules (``.cursor/rules/**/*.mdc``) and subagents (``.cursor/agents/*.md``).

Cursor does not document refusing a file: it ignores a key or a value it cannot use, so a
rule attaches in another mode than its frontmatter reads (``alwaysApply: "true"`` is not
Always) or a subagent runs without its setting. These findings are warnings. Facts:
:mod:`agentls.facts.cursor`.
"""

from __future__ import annotations

from agentls.core.document import Document
from agentls.facts import cursor as facts
from agentls.facts.targets import CURSOR
from agentls.rules import _formats as fmt
from agentls.rules._util import suggestion
from agentls.rules.context import Context
from agentls.rules.registry import Edit, Fix, Severity, check, rule

F = "cursor"
KINDS = ("rule", "agent")
# Which files these rules check: declared here once.
APPLIES = {"targets": (CURSOR,), "family": F}
_WHAT = {"rule": "rule", "agent": "subagent"}

FRONTMATTER = rule(
    "AGT820", "cursor-frontmatter", Severity.WARNING,
    "Cursor cannot read this file's frontmatter",
    what="Finds frontmatter that is never closed or whose YAML a strict parser rejects.",
    why="""
        Cursor parses the header as YAML; when that fails a rule loses its `globs` and
        `alwaysApply` (it is only applied when mentioned), and a subagent its settings. An
        unquoted glob that starts with `*` is a common cause: YAML reads it as an alias.""",
    example="""
        ---
        globs: *.ts
        ---""",
    how_to_fix="Close the frontmatter with `---`; quote a glob that starts with `*`.",
    use_instead="""
        ---
        globs: "*.ts"
        ---""",
    source=facts.RULES_DOCS, kinds=KINDS, **APPLIES)

UNKNOWN_KEY = rule(
    "AGT821", "cursor-unknown-key", Severity.WARNING,
    "Unknown Cursor frontmatter key",
    what="""
        Finds keys a Cursor rule (`description`, `globs`, `alwaysApply`) or subagent (`name`,
        `description`, `model`, `readonly`, `is_background`) does not define.""",
    why="""
        Cursor ignores them: `applyTo:` or `always_apply:` copied from another tool leaves
        the rule Manual, `readOnly:` leaves the subagent free to edit.""",
    example="""
        ---
        description: API conventions.
        always_apply: true
        ---""",
    how_to_fix="Rename the key to Cursor's (the fix offers it) or remove it.",
    use_instead="""
        ---
        description: API conventions.
        alwaysApply: true
        ---""",
    source=f"{facts.RULES_DOCS}; {facts.AGENTS_DOCS}", fixable="sometimes", kinds=KINDS, **APPLIES)

WRONG_TYPE = rule(
    "AGT822", "cursor-wrong-type", Severity.WARNING,
    "Cursor value of the wrong type",
    what="""
        Checks values: `alwaysApply`, `readonly` and `is_background` must be YAML booleans,
        `description` and `model` strings, `globs` a string or a list of strings.""",
    why="""
        Cursor does not read a value of another type as meant: `alwaysApply: "true"` (a
        string) is not treated as Always, so the rule is not attached to every request.""",
    example="""
        ---
        alwaysApply: "true"
        ---""",
    how_to_fix="""
        Write the boolean without quotes (the fix does; it is unsafe, since Cursor then acts
        on the value it ignored).""",
    use_instead="""
        ---
        alwaysApply: true
        ---""",
    source=f"{facts.RULES_DOCS}; {facts.AGENTS_DOCS}", fixable="unsafe", kinds=KINDS, **APPLIES)

GLOBS = rule(
    "AGT823", "cursor-globs", Severity.WARNING,
    "Cursor rule glob that matches nothing as written",
    what="""
        Checks each glob of a rule's `globs` (comma-separated or a list) for a backslash, an
        absolute path, an unclosed `{` or `[`, or `**` inside a name.""",
    why="""
        The globs are matched against paths relative to the project: one that cannot match
        never attaches the rule (Auto Attached), without a message.""",
    example="""
        ---
        globs: /src/**/*.ts
        ---""",
    how_to_fix="Write globs relative to the project root with `/`, such as `src/**/*.ts`.",
    use_instead="""
        ---
        globs: src/**/*.ts
        ---""",
    source=facts.RULES_DOCS, kinds=("rule",), **APPLIES)

MANUAL_ONLY = rule(
    "AGT824", "cursor-rule-manual-only", Severity.INFO,
    "Cursor rule that is only applied when mentioned",
    what="Finds a rule with frontmatter but no `description`, no `globs` and no `alwaysApply: true`.",
    why="""
        With none of them the rule is Manual: Cursor uses it only when you mention it
        (`@rule-name`), never by itself. That is sometimes meant, often not.""",
    example="""
        ---
        alwaysApply: false
        ---
        Use tabs.""",
    how_to_fix="""
        Add `alwaysApply: true` (every request), `globs` (files that attach it) or a
        `description` (the agent decides); or leave it Manual on purpose.""",
    use_instead="""
        ---
        description: Formatting conventions for every source file.
        alwaysApply: true
        ---
        Use tabs.""",
    source=f"{facts.RULES_DOCS} (rule types)", kinds=("rule",), **APPLIES)


def _fields(ctx: Context):
    return facts.FIELDS_BY_KIND.get(str(ctx.kind), facts.RULE_FIELDS)


@check(FRONTMATTER)
def frontmatter(doc: Document, ctx: Context):
    problem = fmt.frontmatter_problem(doc, required=False, strict=True)
    if problem is not None:
        what, span = problem
        yield FRONTMATTER.at(span, f"The {_WHAT.get(str(ctx.kind), 'file')}'s settings are not read: {what}")


@check(UNKNOWN_KEY)
def keys(doc: Document, ctx: Context):
    fields = _fields(ctx)
    foreign = {k: v for k, v in facts.FOREIGN_KEYS.items() if v in fields}
    what = _WHAT.get(str(ctx.kind), "file")
    for entry, best, fix in fmt.unknown_keys(doc, fields, ctx.extensions.keys, foreign):
        yield UNKNOWN_KEY.at(entry.key_span, f"Unknown key `{entry.key}`: Cursor ignores it in a {what}"
                             + suggestion(best), fix=fix)


@check(WRONG_TYPE, GLOBS, MANUAL_ONLY)
def values(doc: Document, ctx: Context):
    if doc.frontmatter is None:
        return
    if fmt.frontmatter_problem(doc, required=False, strict=True) is not None:
        return
    fields = _fields(ctx)
    for entry in fmt.entries(doc):
        field = fields.get(entry.key)
        if field is None or fmt.is_null(entry):
            continue
        node = entry.value
        problem = fmt.type_problem(node, field)
        if problem is not None:
            fix = None
            if field.type == "boolean" and node.is_str and node.value.strip().lower() in {"true", "false"}:
                fix = Fix(f"Write `{node.value.strip().lower()}`", (Edit(node.span, node.value.strip().lower()),),
                          safe=False)
            consequence = " (a string is not treated as Always)" if entry.key == "alwaysApply" else ""
            yield WRONG_TYPE.at(node.span, f"{problem}: Cursor does not use it{consequence}", fix=fix)
            continue
        if entry.key == "globs":
            for glob, span in fmt.string_items(node, comma=True):
                problem = fmt.glob_problem(glob)
                if problem is not None:
                    yield GLOBS.at(span, f"`{glob}`: {problem}")
    if str(ctx.kind) == "rule":
        always = doc.get("alwaysApply")
        on = always is not None and always.value is not None and always.value.tag == "tag:yaml.org,2002:bool" \
            and always.value.value.lower() == "true"
        described = any(doc.get(k) is not None and not fmt.is_null(doc.get(k)) for k in ("description", "globs"))
        if not on and not described:
            yield MANUAL_ONLY.at(doc.frontmatter.open_fence, "No `description`, `globs` or `alwaysApply: true`: "
                                                             "Cursor applies this rule only when it is mentioned "
                                                             "(`@rule-name`)")
