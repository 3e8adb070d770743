r"""Frontmatter structure and YAML: fences, syntax, Claude Code's two readings, duplicates.

Claude Code's reader (``agentls.core.claude_reader``; ``src/utils/frontmatterParser.ts``
in Claude Code) finds the frontmatter with ``/^---\s*\n([\s\S]*?)---\s*\n?/`` and parses
the YAML; when that throws, it parses it once more with every one-line ``key: value``
whose value holds a YAML indicator quoted. The findings here say which of its readings
a file gets: none (an error), only the second (a portability warning: every other tool
reads strict YAML), or the frontmatter cut short at a ``---``.
"""

from __future__ import annotations

import bisect

from agentls.core.document import MAX_DOCUMENT_CHARS, MAX_FRONTMATTER_CHARS, Document, Entry
from agentls.core.text import Span
from agentls.facts import KINDS
from agentls.rules._util import first_line_span
from agentls.rules.context import Context
from agentls.rules.registry import Edit, Fix, Related, Severity, check, rule

F = "frontmatter"

MISSING = rule(
    "AGT001", "missing-frontmatter", Severity.ERROR,
    "No YAML frontmatter: Claude Code treats this file as documentation, not as an agent",
    what="Checks that an agent file starts with YAML frontmatter between `---` lines.",
    why="""
        Claude Code reads an agent's `name` and `description` from the frontmatter. A file in
        an agents folder without frontmatter is treated as documentation kept beside the
        agents and skipped without a word.""",
    example="""
        # Code reviewer
        You review code.""",
    how_to_fix="Add frontmatter with at least `name` and `description` at the very top of the file.",
    use_instead="""
        ---
        name: code-reviewer
        description: Reviews code for quality. Use after code changes.
        ---
        You review code.""",
    source="https://code.claude.com/docs/en/sub-agents (Subagent files Claude Code skips)",
    family=F,
)

NOT_AT_START = rule(
    "AGT002", "frontmatter-not-at-start", Severity.ERROR,
    "Frontmatter must start on the first line; Claude Code does not see it after blank lines",
    what="Checks that the opening `---` is the first line of the file.",
    why="""
        Frontmatter is only recognised at the very start of the file. With blank lines (or
        spaces) before the opening `---`, Claude Code sees no frontmatter, so the agent has
        no name and is skipped.""",
    example="""

        ---
        name: code-reviewer""",
    how_to_fix="Delete everything before the opening `---`.",
    source="anthropics/claude-code#73158; cline/cline#13282", fixable="safe", kinds=KINDS, family=F,
)

CC_READER = ("Claude Code `src/utils/frontmatterParser.ts` (`FRONTMATTER_REGEX`, `parseFrontmatter`, "
             "`quoteProblematicValues`), the same in the ~v2.1.88 source map and in the re-implementation "
             "tracking v2.1.2xx, cnwenf/occ `src/utils/frontmatterParser.ts` @073f3f72")

UNCLOSED = rule(
    "AGT003", "unclosed-frontmatter", Severity.ERROR,
    "Frontmatter is never closed: add a `---` line after the last field",
    what="Checks that the frontmatter has a closing `---` line.",
    why="Without the closing fence, no frontmatter is read and the whole file is taken as the prompt.",
    example="""
        ---
        name: code-reviewer
        description: Reviews code.

        You review code.""",
    how_to_fix="Add a line with exactly `---` after the last frontmatter field.",
    kinds=KINDS, family=F,
)

BAD_FENCE = rule(
    "AGT004", "malformed-fence", Severity.ERROR,
    "A frontmatter fence must be exactly `---`",
    what="Finds a line of dashes used as a frontmatter fence that is not exactly `---`.",
    why="""
        An opening `----------` is no frontmatter to Claude Code (it needs `---`, blanks and
        a line break at the very start of the file): it reads no fields and skips the agent.

        A closing `----------` or `--- end` does end the frontmatter for Claude Code, which
        stops at the first `---` wherever it is: the fields load, and the prompt starts with
        what follows the first three dashes (`-------` or ` end`). Tools that need a fence
        line of exactly `---` (most YAML-frontmatter readers: GitHub Copilot, Gemini CLI,
        static-site generators) see an unclosed frontmatter instead.""",
    example="""
        ---
        name: code-reviewer
        description: Reviews code.
        ----------""",
    how_to_fix="""
        Replace the line with exactly `---`. The fix is safe for a longer run of dashes
        (`----------`); when the line also carries text (`--- end of settings`) the fix drops that
        text, so it is offered as an unsafe fix.""",
    source=CC_READER, fixable="sometimes", kinds=KINDS, family=F,
    severity_note="""
        An error on the opening line (Claude Code sees no frontmatter); a warning on the
        closing line, which Claude Code reads as the end of the frontmatter.""",
)

OTHER_FORMAT = rule(
    "AGT005", "unsupported-frontmatter-format", Severity.ERROR,
    "Claude Code reads only YAML frontmatter between `---` lines",
    what="Finds TOML (`+++`) or JSON frontmatter.",
    why="Claude Code ignores any frontmatter but YAML between `---` fences; the agent is skipped.",
    example="""
        +++
        name = "code-reviewer"
        +++""",
    how_to_fix="Rewrite the frontmatter as YAML between `---` lines.",
    use_instead="""
        ---
        name: code-reviewer
        ---""",
    family=F,
)

NOT_MAPPING = rule(
    "AGT006", "frontmatter-not-mapping", Severity.ERROR,
    "Frontmatter must be a mapping of `key: value` fields",
    what="Checks that the frontmatter YAML is a mapping, not a list or a bare string.",
    why="Claude Code reads fields by key; a list or text in the frontmatter gives it none.",
    example="""
        ---
        - name: code-reviewer
        ---""",
    how_to_fix="Write each field as `key: value` at the start of a line.",
    kinds=KINDS, family=F,
)

TOO_LARGE = rule(
    "AGT007", "file-too-large", Severity.ERROR,
    "File too large to check",
    what="Reports files or frontmatter larger than agentls reads (1 MiB of text, 64 KiB of frontmatter).",
    why="""
        Agent files are prompts; a file this large is almost certainly not one, and reading
        it would stall the editor. The limits keep every request fast (well under a second
        for any document within them). No working agent reaches them: 1 MiB of prompt is
        some 250,000 tokens, more than the context window of the models that run it, so
        the agent fails when it is spawned; 64 KiB of frontmatter is a description larger
        than the whole routing budget of all agents together.""",
    example="(a 5 MB file in `.claude/agents/`)",
    how_to_fix="Move large material out of the agent file and reference it from the prompt.",
    kinds=KINDS, family=F,
)

TOO_COMPLEX = rule(
    "AGT008", "yaml-too-complex", Severity.ERROR,
    "The frontmatter YAML nests too deeply to be read safely",
    what="Reports frontmatter that nests so deeply that reading it is refused.",
    why="Deeply nested YAML is a denial-of-service pattern; no agent field needs more than a few levels.",
    example="""
        ---
        tools: [[[[[[[[[[[[ ... ]]]]]]]]]]]]
        ---""",
    how_to_fix="Flatten the frontmatter.",
    kinds=KINDS, family=F,
)

CUT = rule(
    "AGT009", "frontmatter-cut-short", Severity.ERROR,
    "Claude Code's frontmatter ends at this `---`, before the closing fence",
    what="""
        Finds three dashes in a row inside the frontmatter: in a value (`description: A --- B`,
        a `---` line in a block scalar), in a comment (`# --- tools ---`) or at the start of a
        `-----` line with more fields after it.""",
    why="""
        Claude Code finds the frontmatter with `/^---\\s*\\n([\\s\\S]*?)---\\s*\\n?/`: after
        the opening line, everything up to the *first* `---`, wherever it is, not up to the
        next `---` line. Quoting does not help, the split happens before any YAML is read.
        Every field after the dashes is lost (no `tools` means every tool; no `model` means
        the parent's model; no `description` means the agent is skipped), the value holding
        the dashes ends there, and the rest of the frontmatter and the closing `---` become
        the start of the prompt. When the YAML before the dashes is invalid (a quoted string
        cut in half), Claude Code reads no fields at all.""",
    example="""
        ---
        name: code-reviewer
        description: Reviews code --- use after every change.
        tools: Read, Grep
        ---""",
    how_to_fix="""
        Write no three dashes in a row in the frontmatter: an em dash `—`, `--`, or the text
        moved into the prompt.""",
    use_instead="""
        ---
        name: code-reviewer
        description: Reviews code — use after every change.
        tools: Read, Grep
        ---""",
    source=CC_READER, kinds=KINDS, family=F,
    severity_note="""
        An error when Claude Code loses whole fields or reads none; a warning when only the
        end of one value is cut off.""",
)

SYNTAX = rule(
    "AGT010", "yaml-syntax-error", Severity.ERROR,
    "Invalid YAML in the frontmatter",
    what="""
        Reports frontmatter YAML that Claude Code cannot read in either of its two passes:
        strict YAML, then the same text with every one-line `key: value` whose value holds a
        YAML indicator rewritten as `key: "value"`.""",
    why="""
        When both passes fail, Claude Code reads no fields and skips the agent (a plugin agent
        loads as a placeholder named after the file). The commonest cause is a multi-line
        description whose continuation lines are not indented: the second pass quotes only
        single lines. With CRLF line endings the second pass quotes nothing at all (its line
        pattern's `.` matches no `\\r`), which `crlf-line-endings` reports.""",
    example="""
        ---
        name: code-reviewer
        description: Reviews code.
        <example>
        Context: a pull request
        </example>
        ---""",
    how_to_fix="Indent continuation lines under a `|-` block scalar, or quote the value.",
    use_instead="""
        ---
        name: code-reviewer
        description: |-
          Reviews code.
          <example>
          Context: a pull request
          </example>
        ---""",
    source="anthropics/claude-code#91871, #45971, #4700; " + CC_READER, kinds=KINDS, family=F,
    severity_note="""
        Error for agents (the file is skipped). For skills and commands Claude Code loads the
        body with empty metadata, so the finding is a warning there.""",
)

STRICT_ONLY = rule(
    "AGT011", "yaml-strict-only", Severity.WARNING,
    "Invalid YAML that only Claude Code's second reading accepts",
    what="""
        Finds a one-line value that strict YAML rejects and Claude Code reads anyway: a plain
        value containing `: ` (typically a description with inline `Examples: <example>Context:
        ...`), or one that starts with a YAML indicator (`tools: *`, `model: @x`, a value
        starting with `%`, a backtick, `>`, `|`, `{` or `[` followed by more text).""",
    why="""
        When the YAML does not parse, Claude Code parses it once more after rewriting every
        line `key: value` (key of letters, `_` and `-`, at the start of the line) whose value
        is not already quoted and contains `{ } [ ] * & # ! | > % @`, a backtick or `: ` as
        `key: "value"`, backslashes and double quotes escaped. So `tools: *` loads as the
        text `*` and the agent loads. VS Code, GitHub Copilot, OpenCode, Gemini CLI and every
        YAML library read strict YAML and reject the whole frontmatter, so the file is not
        portable and other tooling cannot read it. With CRLF line endings Claude Code's
        rewrite matches no line, and it skips the agent too (`crlf-line-endings`).""",
    example="""
        ---
        name: code-reviewer
        description: Use this agent for reviews. Examples: <example>Context: a PR</example>
        ---""",
    how_to_fix="""
        Quote the value, or turn it into a `|-` block scalar. The fix does, with the value
        Claude Code reads. It is not offered when the frontmatter also has values that Claude
        Code reads as text only because of its second pass (`value-read-as-text`): once the
        YAML is strict, those are read as YAML, so decide what they should be first.""",
    use_instead="""
        ---
        name: code-reviewer
        description: 'Use this agent for reviews. Examples: <example>Context: a PR</example>'
        ---""",
    source=("PostHog/posthog#91631; anthropics/claude-plugins-official#6261; anthropics/claude-code#80890; "
            + CC_READER),
    fixable="safe", kinds=KINDS, family=F,
    severity_note="""
        A warning, not an error: Claude Code loads the file (its second pass, and public
        issues confirm it), and an error would fail CI on agents that work. The CRLF variant,
        which Claude Code skips, is reported as an error by `crlf-line-endings`.""",
)

REREAD = rule(
    "AGT014", "value-read-as-text", Severity.WARNING,
    "Claude Code reads this value as text, not as the YAML it is",
    what="""
        In a frontmatter that strict YAML rejects, finds values that Claude Code's second
        pass turns into text although they are valid YAML: a flow list `tools: [Read, Grep]`,
        a value with a comment `model: sonnet # fast`, an anchor or a tag.""",
    why="""
        The second pass quotes every one-line value holding `{ } [ ] * & # ! | > % @`, a
        backtick or `: `, not only the line that broke the YAML. Then `tools: [Read, Grep]` is
        the text `[Read, Grep]` (whose entries `[Read` and `Grep]` are no tools) and `model:
        sonnet # fast` is the model `sonnet # fast`. The value rules report what that text
        means; this finding says why.""",
    example="""
        ---
        name: code-reviewer
        description: Use for reviews. Examples: a PR
        tools: [Read, Grep]
        ---""",
    how_to_fix="""
        Make the frontmatter strict YAML (quote the values `yaml-strict-only` reports): then
        the first pass reads it, and every value is the YAML it is.""",
    source=CC_READER, kinds=KINDS, family=F,
)

DUPLICATE_KEY = rule(
    "AGT012", "duplicate-key", Severity.WARNING,
    "Duplicate key",
    what="Finds a frontmatter key that appears more than once.",
    why="""
        YAML parsers disagree: PyYAML and most JavaScript loaders silently keep the last
        value, strict loaders such as js-yaml reject the whole frontmatter. Either way one of
        the two values is lost.""",
    example="""
        ---
        name: code-reviewer
        model: sonnet
        model: opus
        ---""",
    how_to_fix="Keep one of the values. The fix removes the earlier key, keeping the value Claude Code uses.",
    fixable="safe", kinds=KINDS, family=F,
)

YAML_TAG = rule(
    "AGT013", "yaml-tag", Severity.WARNING,
    "YAML tags are not understood by Claude Code",
    what="Finds values with an explicit YAML tag such as `!!python/object` or `!custom`.",
    why="""
        Claude Code reads frontmatter as plain data; a tag either turns the value into
        something unexpected or makes the loader fail. agentls never constructs tagged objects.""",
    example="""
        ---
        name: !!python/object:os.system code-reviewer
        ---""",
    how_to_fix="Remove the tag and write the plain value.",
    kinds=KINDS, family=F,
)


def _fence_fix(span: Span, line: str = "") -> Fix:
    # ``----------`` -> ``---`` keeps everything; ``--- notes`` would drop the text: unsafe.
    return Fix("Replace with `---`", (Edit(span, "---"),), safe=not line.strip().strip("-"))


def _size(chars: int) -> str:
    return f"{chars // (1024 * 1024)} MiB" if chars % (1024 * 1024) == 0 else f"{chars // 1024} KiB"


@check(MISSING, NOT_AT_START, UNCLOSED, BAD_FENCE, OTHER_FORMAT, NOT_MAPPING, TOO_LARGE, TOO_COMPLEX)
def structure(doc: Document, ctx: Context):
    if doc.too_large:
        yield TOO_LARGE.at(first_line_span(doc),
                           f"File too large to check ({len(doc.text):,} characters; the limit is {_size(MAX_DOCUMENT_CHARS)})")
        return
    fm = doc.frontmatter
    if fm is None:
        if doc.alternate_format:
            yield OTHER_FORMAT.at(first_line_span(doc),
                                  f"{doc.alternate_format} frontmatter: Claude Code reads only YAML between `---` lines")
        elif ctx.kind == "agent":
            yield MISSING.at(first_line_span(doc))
        return
    if fm.leading is not None:
        yield NOT_AT_START.at(fm.open_fence, fix=Fix("Delete the text before the frontmatter",
                                                     (Edit(fm.leading, ""),)))
    if fm.bad_open_fence:
        yield BAD_FENCE.at(fm.open_fence, f"`{doc.slice(fm.open_fence).strip()}` is not a frontmatter fence: "
                                          "it must be exactly `---`", fix=_fence_fix(fm.open_fence, doc.slice(fm.open_fence)))
    if fm.bad_close_fence is not None:
        line = doc.slice(fm.bad_close_fence)
        rest = line[3:].rstrip()
        yield BAD_FENCE.at(fm.bad_close_fence,
                           f"`{line.strip()}` is not a fence: Claude Code ends the frontmatter at its first "
                           f"three dashes and the prompt starts with `{rest.strip()}`; tools that need exactly "
                           "`---` see no end of the frontmatter", severity=Severity.WARNING,
                           fix=_fence_fix(fm.bad_close_fence, line))
    elif not fm.closed:
        yield UNCLOSED.at(fm.open_fence)
        return
    if fm.too_large:
        yield TOO_LARGE.at(fm.open_fence, f"Frontmatter too large to check ({len(fm.content):,} characters; "
                                          f"the limit is {_size(MAX_FRONTMATTER_CHARS)})")
    if fm.too_complex is not None:
        yield TOO_COMPLEX.at(fm.open_fence)
    if fm.not_mapping is not None:
        yield NOT_MAPPING.at(fm.not_mapping.span,
                             f"Frontmatter must be a mapping of `key: value` fields, not a {fm.not_mapping.type_name}")


@check(CUT)
def cut_short(doc: Document, ctx: Context):
    fm = doc.frontmatter
    if fm is None or fm.cut is None:
        return
    cut = fm.cut
    at = cut.span.start
    dashes = doc.slice(cut.span)
    lost: dict[str, None] = {}  # ordered, without repeats
    read = set(cut.keys)
    partial = None
    for entry in fm.entries:
        if entry.key_span.start >= at:
            if entry.key not in read:
                lost[entry.key] = None
        elif entry.span.end > at:
            partial = entry
    head = (f"Claude Code ends the frontmatter at this `{dashes}`" if not cut.unclosed else
            f"No closing `---` line: Claude Code ends the frontmatter at this `{dashes}`")
    where = " (at the first `---`, wherever it is)"
    if cut.reading == "unreadable":
        consequence = ("the YAML before it is invalid, so Claude Code reads no fields"
                       + (" and skips this agent" if ctx.kind == "agent" else ""))
        yield CUT.at(cut.span, f"{head}{where}: {consequence}")
        return
    parts = []
    if lost:
        parts.append("it does not read " + ", ".join(f"`{k}`" for k in lost))
    if partial is not None:
        parts.append(f"the value of `{partial.key}` ends here")
    skipped = ctx.kind == "agent" and ({"name", "description"} & set(lost))
    if cut.unclosed:
        gone, tail = "the rest of this line, and of the file, is the prompt", ""
    else:
        gone = ", and ".join(parts) if parts else "the rest of this line is not read"
        tail = ((" (so it skips this agent)" if skipped else "")
                + "; the rest, up to the closing `---`, is read as the start of the prompt")
    yield CUT.at(cut.span, f"{head}{where}: {gone}{tail}",
                 severity=Severity.ERROR if lost else Severity.WARNING)


@check(SYNTAX, STRICT_ONLY, REREAD)
def yaml_syntax(doc: Document, ctx: Context):
    fm = doc.frontmatter
    if fm is None:
        return
    entry_at = _entry_finder(fm.entries)
    # Values Claude Code's second pass reads otherwise than YAML: once the YAML is strict,
    # Claude Code reads them as YAML, so quoting a line would change them: no fix then.
    reread = [r.key for r in fm.requoted if r.strict == "differs"]
    for problem in fm.problems:
        if problem.recoverable:
            entry = entry_at(problem.span.start)
            key = entry.key if entry else "value"
            fix = _quote_fix(doc, entry) if entry and not reread else None
            yield STRICT_ONLY.at(
                problem.span,
                f"`{key}` is invalid YAML ({problem.message}): Claude Code reads it anyway, quoting "
                "the value itself in a second reading, but other tools (VS Code, Copilot, OpenCode, "
                "Gemini CLI, YAML parsers) reject the frontmatter; quote it or use a `|-` block scalar",
                fix=fix)
        else:
            hint = ""
            entry = entry_at(problem.span.start)
            if entry is not None and entry.broken and "not indented" in problem.message:
                hint = "; indent the value under a `|-` block scalar"
            severity = Severity.ERROR if ctx.kind == "agent" else Severity.WARNING
            consequence = ("Claude Code cannot read the frontmatter and skips this agent"
                           if ctx.kind == "agent" else "Claude Code loads this file with empty metadata")
            yield SYNTAX.at(problem.span, f"Invalid YAML: {problem.message}: {consequence}{hint}",
                            severity=severity)
    if fm.reading != "requoted":
        return
    first = next((p for p in fm.problems if p.recoverable), None)
    line = doc.index.line_of(first.span.start) + 1 if first is not None else 0
    for r in fm.requoted:
        if r.strict != "differs":
            continue
        value = doc.slice(r.value_span).rstrip()
        shown = value if len(value) <= 60 else value[:57] + "..."
        article = "an" if r.strict_type[:1] in "aeiou" else "a"
        yaml_reads = f"`{r.strict_text}`" if r.strict_type == "string" else f"{article} {r.strict_type}"
        yield REREAD.at(r.value_span,
                        f"Claude Code reads `{r.key}` as the text `{shown}`, where YAML reads {yaml_reads}: "
                        f"the frontmatter is invalid YAML (line {line}), so Claude Code reads it a second "
                        "time with every such value quoted")


def _entry_at(entries: list[Entry], offset: int) -> Entry | None:
    best = None
    for e in entries:
        if e.key_span.start <= offset:
            best = e
    return best


def _entry_finder(entries: list[Entry]):
    """``_entry_at`` for many offsets: a binary search when the keys are in text order
    (they are, as read), so that a problem on each of thousands of lines stays linear."""
    starts = [e.key_span.start for e in entries]
    if any(a > b for a, b in zip(starts, starts[1:])):
        return lambda offset: _entry_at(entries, offset)

    def find(offset: int) -> Entry | None:
        i = bisect.bisect_right(starts, offset)
        return entries[i - 1] if i else None
    return find


def _quote_fix(doc: Document, entry: Entry) -> Fix | None:
    if entry.value is None:
        return None
    raw = doc.slice(entry.value.span)
    if "\n" in raw or "\r" in raw:
        return None
    from agentls.rules.description import block_scalar, yaml_value

    # The smallest form strict YAML reads as exactly the text Claude Code reads.
    single = "'" + raw.replace("'", "''") + "'"
    if "'" not in raw and raw.isprintable():
        # One printable line without a quote: `'raw'` reads back as it is, and no other form
        # is shorter (thousands of such values made the YAML reads below most of the work).
        return Fix(f"Quote the value of `{entry.key}`", (Edit(entry.value.span, single),))
    double = '"' + raw.replace("\\", "\\\\").replace('"', '\\"') + '"'
    # Shortest first (in this order among equal lengths), reading each with YAML only
    # until one reads back right: a YAML read per candidate was most of the work on a
    # frontmatter of thousands of such lines.
    forms = sorted((f for f in (single, double, block_scalar(raw)) if f is not None), key=len)
    best = next((f for f in forms if yaml_value(f) == raw), None)
    if best is None:
        return None
    title = f"Rewrite `{entry.key}` as a `|-` block scalar" if best.startswith("|") else f"Quote the value of `{entry.key}`"
    return Fix(title, (Edit(entry.value.span, best),))


@check(DUPLICATE_KEY)
def duplicate_keys(doc: Document, ctx: Context):
    fm = doc.frontmatter
    if fm is None:
        return
    seen: dict[str, int] = {}  # key -> index of its last entry so far (by position, not
    # by ``list.index``: entries compare as dataclasses, which made this quadratic)
    entries = fm.entries
    for i, entry in enumerate(entries):
        first_index = seen.get(entry.key)
        if first_index is None:
            seen[entry.key] = i
            continue
        first = entries[first_index]
        line = doc.index.line_of(first.key_span.start) + 1
        yield DUPLICATE_KEY.at(
            entry.key_span,
            f"Duplicate key `{entry.key}` (first on line {line}): most loaders keep this one and "
            "silently drop the first, strict loaders reject the frontmatter",
            fix=Fix(f"Remove the earlier `{entry.key}`",
                    (Edit(_entry_lines(doc, first_index), ""),)),
            related=[Related(doc.path or "", first.key_span, f"first `{entry.key}`",
                             doc.index.line_of(first.key_span.start))])
        seen[entry.key] = i


def _entry_lines(doc: Document, i: int) -> Span:
    """The whole lines an entry occupies, up to the next entry or the end of the YAML."""
    fm = doc.frontmatter
    assert fm is not None
    entry = fm.entries[i]
    start = doc.index.line_start(doc.index.line_of(entry.key_span.start))
    if i + 1 < len(fm.entries):
        nxt = fm.entries[i + 1].key_span.start
        end = doc.index.line_start(doc.index.line_of(nxt))
    else:
        end = fm.content.end
    # Stop after the value's last line: comments before the next key stay with it.
    first = doc.index.line_of(entry.key_span.start)
    last = doc.index.line_of(max(entry.span.end - 1, entry.key_span.start))
    while last > first and (not doc.index.line_text(last).strip()
                            or doc.index.line_text(last).lstrip().startswith("#")):
        last -= 1  # a block node's span runs on over the comments after it
    if doc.index.has_line(last + 1):
        end = min(end, doc.index.line_start(last + 1))
    return Span(start, max(start, end))


@check(YAML_TAG)
def yaml_tags(doc: Document, ctx: Context):
    fm = doc.frontmatter
    if fm is None:
        return
    budget = [2000]
    for entry in fm.entries:
        if entry.value is not None:
            yield from _tagged(entry.value, budget, set())


def _tagged(node, budget, seen):
    budget[0] -= 1
    if budget[0] < 0 or id(node) in seen:
        return
    seen.add(id(node))
    if node.explicit_tag:
        yield YAML_TAG.at(node.span, f"YAML tag `{node.tag}` is not understood by Claude Code; "
                                     "write the plain value")
        return
    for child in node.items:
        yield from _tagged(child, budget, seen)
    for k, v in node.pairs:
        yield from _tagged(k, budget, seen)
        yield from _tagged(v, budget, seen)
