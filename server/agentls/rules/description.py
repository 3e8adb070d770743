"""The agent's `description`: present, real line breaks, long enough to route on."""

from __future__ import annotations

from agentls.core.document import Document
from agentls.core.text import Span
from agentls.rules.context import Context
from agentls.rules.registry import Edit, Fix, Severity, check, rule

F = "description"
MIN_DESCRIPTION = 20

MISSING_DESCRIPTION = rule(
    "AGT210", "missing-description", Severity.ERROR,
    "No `description`: Claude Code does not load the agent",
    what="Checks that an agent has a non-empty `description`.",
    why="""
        Claude Code decides when to delegate by reading the description, and skips an agent
        that has a name but no description (the reason is only in the debug log).""",
    example="""
        ---
        name: code-reviewer
        ---""",
    how_to_fix="Add a `description` that says when Claude should use the agent.",
    use_instead="""
        ---
        name: code-reviewer
        description: Reviews code for quality and security. Use after code changes.
        ---""",
    source="https://code.claude.com/docs/en/sub-agents (Subagent files Claude Code skips)", family=F,
)

ESCAPED_NEWLINES = rule(
    "AGT211", "description-escaped-newlines", Severity.INFO,
    "Description contains literal `\\n` sequences: other tools show them as backslash-n",
    what="Finds descriptions whose value holds the two characters `\\n` rather than real line breaks.",
    why="""
        The old `/agents` wizard wrote descriptions as one line with `\\n` escapes. Claude Code
        turns them into line breaks itself when it loads the agent (its loader replaces `\\n`
        with a newline), so Claude sees real lines. Other tools that read the same file do
        not: VS Code, GitHub Copilot, OpenCode and Gemini CLI show one long line full of
        `\\n`, and the file is hard to read and review.""",
    example="""
        ---
        description: Use for backend work. Examples:\\n\\n<example>\\nuser: ...\\n</example>
        ---""",
    how_to_fix="Write the description as a `|-` block scalar with real line breaks. The fix does this and changes nothing else.",
    use_instead="""
        ---
        description: |-
          Use for backend work. Examples:

          <example>
          user: ...
          </example>
        ---""",
    source="Claude Code's agent loader (`whenToUse.replace(/\\\\n/g, '\\n')`); anthropics/claude-code#10504",
    fixable="safe", family=F,
    severity_note="""
        Information: Claude Code reads the description as intended; only other tools and
        human readers see the escapes.""",
)

SHORT_DESCRIPTION = rule(
    "AGT212", "description-too-short", Severity.WARNING,
    "Description too short for Claude to know when to delegate",
    what=f"Finds descriptions shorter than {MIN_DESCRIPTION} characters.",
    why="""
        Delegation is driven by the description alone. A few words (`Backend helper`) say
        neither what the agent does nor when to use it, so Claude rarely picks it.""",
    example="""
        ---
        description: Reviews code
        ---""",
    how_to_fix="Say what the agent does and when to use it, in a sentence or two.",
    use_instead="""
        ---
        description: Reviews code for quality and security. Use proactively after code changes.
        ---""",
    source="https://code.claude.com/docs/en/sub-agents (Write detailed descriptions)", family=F,
)


@check(MISSING_DESCRIPTION, ESCAPED_NEWLINES, SHORT_DESCRIPTION)
def description(doc: Document, ctx: Context):
    fm = doc.frontmatter
    if fm is None or not fm.closed or fm.not_mapping is not None or fm.too_large or fm.too_complex:
        return
    entry = doc.get("description")
    if entry is None or entry.value is None or entry.value.is_null or (
            entry.value.kind == "scalar" and not entry.value.value.strip()):
        if entry is None and any(not p.recoverable for p in fm.problems):
            return
        span = entry.key_span if entry is not None else fm.open_fence
        message = MISSING_DESCRIPTION.summary if entry is None else \
            "`description` is empty: Claude Code does not load the agent"
        yield MISSING_DESCRIPTION.at(span, message)
        return
    node = entry.value
    if node.kind != "scalar":
        return
    value = node.value
    count = value.count("\\n")
    if count:
        raw = doc.slice(node.span)
        needle = "\\\\n" if node.style == '"' else "\\n"
        at = raw.find(needle)
        span = Span(node.span.start + at, node.span.start + at + len(needle)) if at >= 0 else node.span
        yield ESCAPED_NEWLINES.at(
            span, f"Description contains {count} literal `\\n` sequence{'s' if count > 1 else ''}: Claude "
                  "Code turns them into line breaks, but VS Code, Copilot, OpenCode and Gemini CLI show "
                  "them as backslash-n", fix=_block_fix(doc, entry, value))
    if len(value.strip()) < MIN_DESCRIPTION and not entry.broken:
        yield SHORT_DESCRIPTION.at(node.span, f"Description is {len(value.strip())} characters: too short "
                                              "for Claude to know when to delegate; say what it does and when to use it")


def block_scalar(value: str, indent: str = "  ", eol: str = "\n") -> str | None:
    """``|-`` block-scalar text (after ``key: ``) whose value is exactly ``value``.

    Returns None when no literal block can hold the value unchanged (tabs or spaces
    leading the first line need an indentation indicator; we add it).
    """
    if "\r" in value or any(ord(c) < 0x20 and c not in "\t\n" for c in value):
        return None
    stripped = value.rstrip("\n")
    trailing = len(value) - len(stripped)
    chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
    lines = stripped.split("\n")
    # The indentation is detected from the first line with content; a value whose
    # first such line starts with a blank, or that is blank only, needs an indicator.
    first = next((line for line in lines if line.strip(" ")), "")
    indicator = str(len(indent)) if not first or first[:1] in {" ", "\t"} or any(
        len(line) > 0 and not line.strip(" ") for line in lines) else ""
    if first[:1] == "\t":
        return None
    body = eol.join((indent + line) if line else "" for line in lines)
    if trailing > 1:
        body += eol * (trailing - 1)
    return f"|{indicator}{chomp}{eol}{body}"


def yaml_value(text: str) -> object:
    """What strict YAML reads for ``key: <text>`` (``None`` when it does not parse)."""
    import yaml

    try:  # the C loader when present: ~10x faster, and what yamlnodes reads with
        data = yaml.load("key: " + text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    return data.get("key") if isinstance(data, dict) and len(data) == 1 else None


def _block_fix(doc: Document, entry, value: str) -> Fix | None:
    if entry.value is None:
        return None
    wanted = value.replace("\\n", "\n")
    text = block_scalar(wanted)
    end = entry.value.span.end
    rest = doc.text[end:doc.index.line_end(doc.index.line_of(end))] if end < len(doc.text) else ""
    # A block scalar runs to the end of its lines: anything after the value on its last
    # line (a comment) would become part of it. Check that YAML reads exactly ``wanted``.
    if text is None or rest.strip() or yaml_value(text) != wanted:
        return None
    if "\r\n" in doc.text[:doc.body.start]:
        text = text.replace("\n", "\r\n")
    return Fix("Rewrite as a `|-` block scalar with real line breaks", (Edit(entry.value.span, text),))
