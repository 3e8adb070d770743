"""GitHub Copilot custom agents, prompt files and instructions files, read as GitHub and
VS Code read them.

Neither documents refusing a file for an unknown key or a bad value (VS Code's editor
flags it and ignores it; GitHub ignores unrecognised tool names "to ensure
compatibility"), so these findings are warnings. The exception is a custom agent without
the ``description`` GitHub requires. Facts: :mod:`agentls.facts.copilot`.
"""

from __future__ import annotations

from agentls.core.document import Document
from agentls.facts import copilot as facts
from agentls.facts.targets import COPILOT
from agentls.rules import _formats as fmt
from agentls.rules._util import did_you_mean, suggestion
from agentls.rules.context import Context
from agentls.rules.registry import DEPRECATED, Edit, Fix, Severity, check, rule

F = "copilot"
KINDS = ("agent", "prompt", "instructions")
# Which files these rules check: declared here once.
APPLIES = {"targets": (COPILOT,), "family": F}
_WHAT = {"agent": "custom agent", "prompt": "prompt file", "instructions": "instructions file"}

FRONTMATTER = rule(
    "AGT810", "copilot-frontmatter", Severity.ERROR,
    "Copilot cannot read this file's frontmatter",
    what="Finds frontmatter that is never closed or whose YAML a strict parser rejects.",
    why="""
        GitHub and VS Code parse the header as YAML, without Claude Code's lenient fallback.
        The Copilot CLI does not load a custom agent whose frontmatter fails ("failed to
        parse front matter", "custom agent markdown frontmatter is malformed" under
        `/agent`); a prompt or instructions file loses its settings (tools, model,
        `applyTo`...).""",
    example="""
        ---
        description: Reviews code: style and bugs
        ---""",
    how_to_fix="Close the frontmatter with `---` and quote values that hold `: `.",
    use_instead="""
        ---
        description: "Reviews code: style and bugs"
        ---""",
    source=f"{facts.GH_AGENTS}; {facts.VS_AGENTS}; anthropics/claude-plugins-official#326", kinds=KINDS,
    severity_note="""
        An error for a custom agent, which the Copilot CLI then does not load; a warning for
        a prompt or instructions file, which VS Code still uses without its settings.""",
    **APPLIES)

UNKNOWN_KEY = rule(
    "AGT811", "copilot-unknown-key", Severity.WARNING,
    "Unknown Copilot frontmatter key",
    what="""
        Finds keys that GitHub and VS Code do not define for the file's kind (custom agent,
        prompt file, instructions file), with the key you probably meant.""",
    why="""
        Copilot ignores a key it does not know: a misspelt `tools` or `applyTo` silently gives
        the agent every tool, or applies the instructions nowhere.""",
    example="""
        ---
        description: Reviews code.
        tool: [read, search]
        ---""",
    how_to_fix="Rename the key (the fix offers the closest one) or remove it.",
    use_instead="""
        ---
        description: Reviews code.
        tools: [read, search]
        ---""",
    source=f"{facts.GH_AGENTS}#yaml-frontmatter-properties; {facts.VS_AGENTS}; {facts.VS_PROMPTS}; "
           f"{facts.VS_INSTRUCTIONS}", fixable="sometimes", kinds=KINDS, **APPLIES)

WRONG_TYPE = rule(
    "AGT812", "copilot-wrong-type", Severity.WARNING,
    "Copilot value of the wrong type or not an allowed value",
    what="""
        Checks values: strings, booleans (`user-invocable`, `disable-model-invocation`),
        `target` (`vscode`, `github-copilot`), `tools` and `model` as a string or a list,
        `mcp-servers` and `metadata` mappings, `handoffs` items (`label`, `agent`, `prompt`,
        `send`, `model`), an instructions file's `excludeAgent`.""",
    why="Copilot does not use a value it cannot read: the setting is lost without a message.",
    example="""
        ---
        description: Reviews code.
        target: github
        user-invocable: "no"
        ---""",
    how_to_fix="Write a value of the documented type (the message lists the allowed values).",
    use_instead="""
        ---
        description: Reviews code.
        target: github-copilot
        user-invocable: false
        ---""",
    source=f"{facts.GH_AGENTS}; {facts.VS_AGENTS}", fixable="unsafe", kinds=KINDS, **APPLIES)

MISSING_DESCRIPTION = rule(
    "AGT813", "copilot-missing-description", Severity.ERROR,
    "Copilot custom agent without a description",
    what="Finds a custom agent (`.agent.md`) without a `description`, unless it is for VS Code only (`target: vscode`).",
    why="""
        GitHub lists `description` as the one required property of a custom agent: the
        Copilot cloud agent and the CLI do not take an agent profile without it. VS Code does
        not require it (it shows it as the chat input's placeholder).""",
    example="""
        ---
        name: reviewer
        ---""",
    how_to_fix="Add a `description` of the agent's purpose and capabilities.",
    use_instead="""
        ---
        name: reviewer
        description: Reviews pull requests for security issues.
        ---""",
    source=f"{facts.GH_AGENTS}#yaml-frontmatter-properties", kinds=("agent",), **APPLIES,
    severity_note="""
        An error: `description` is GitHub's only required property. With `target: vscode`
        the agent is never offered on GitHub, and nothing is reported.""")

BODY_TOO_LONG = rule(
    "AGT814", "copilot-body-too-long", Severity.WARNING,
    "Copilot custom agent prompt longer than 30,000 characters",
    what="Finds a custom agent whose Markdown body (its prompt) is longer than 30,000 characters.",
    why="""
        GitHub: "The prompt can be a maximum of 30,000 characters." What happens past it is
        not documented; at best the end of the prompt is lost.""",
    example="""
        ---
        description: Knows everything.
        ---
        (31,000 characters of instructions)""",
    how_to_fix="Shorten the prompt: move reference material into files the agent reads when it needs them.",
    source=f"{facts.GH_AGENTS}#yaml-frontmatter-properties", kinds=("agent",), **APPLIES,
    severity_note="A warning: the limit is documented, the behaviour past it is not.")

DEPRECATED_KEY = rule(
    "AGT815", "copilot-deprecated-key", Severity.WARNING,
    "Deprecated Copilot key",
    what="Finds `infer` in a custom agent and `mode` in a prompt file.",
    why="""
        GitHub retired `infer` (use `disable-model-invocation` and `user-invocable`; `infer:
        false` is `disable-model-invocation: true`). VS Code 1.106 renamed chat modes to
        agents, and a prompt file's `mode:` to `agent:`.""",
    example="""
        ---
        description: Reviews code.
        infer: false
        ---""",
    how_to_fix="""
        Write the replacement the message names. The fix for `mode` renames the key (`edit`
        becomes `agent`); `infer: false` becomes `disable-model-invocation: true`.""",
    use_instead="""
        ---
        description: Reviews code.
        disable-model-invocation: true
        ---""",
    source=f"{facts.GH_AGENTS}; {facts.VS_PROMPTS}; microsoft/vscode#272282",
    fixable="sometimes", kinds=("agent", "prompt"), tags=(DEPRECATED,), **APPLIES)

APPLY_TO = rule(
    "AGT816", "copilot-apply-to", Severity.WARNING,
    "`applyTo` glob that matches nothing as written",
    what="""
        Checks an instructions file's `applyTo`: each comma-separated glob, for a backslash,
        an absolute path, an unclosed `{` or `[`, or `**` inside a name.""",
    why="""
        `applyTo` globs are matched against paths relative to the workspace root; a glob
        that cannot match means the instructions are never applied automatically, without a
        message.""",
    example="""
        ---
        applyTo: "src\\\\**\\\\*.ts"
        ---""",
    how_to_fix="Write globs relative to the workspace root with `/`, such as `src/**/*.ts`.",
    use_instead="""
        ---
        applyTo: "src/**/*.ts"
        ---""",
    source=f"{facts.VS_INSTRUCTIONS}#instructions-file-format", kinds=("instructions",), **APPLIES)


def _fields(ctx: Context):
    return facts.FIELDS_BY_KIND.get(str(ctx.kind), facts.AGENT_FIELDS)


@check(FRONTMATTER)
def frontmatter(doc: Document, ctx: Context):
    problem = fmt.frontmatter_problem(doc, required=False, strict=True)
    if problem is not None:
        what, span = problem
        if str(ctx.kind) == "agent":
            yield FRONTMATTER.at(span, f"The Copilot CLI does not load this custom agent: {what}")
        else:
            yield FRONTMATTER.at(span, f"The {_WHAT.get(str(ctx.kind), 'file')}'s settings are not read: {what}",
                                 severity=Severity.WARNING)


@check(UNKNOWN_KEY)
def keys(doc: Document, ctx: Context):
    fields = _fields(ctx)
    foreign = {"allowed-tools": "tools", "allowedTools": "tools", "mcpServers": "mcp-servers",
               "mcp_servers": "mcp-servers", "apply-to": "applyTo", "applyto": "applyTo", "globs": "applyTo"}
    foreign = {k: v for k, v in foreign.items() if v in fields}
    deprecated = facts.DEPRECATED_KEYS.get(str(ctx.kind), {})
    what = _WHAT.get(str(ctx.kind), "file")
    for entry, best, fix in fmt.unknown_keys(doc, fields, ctx.extensions.keys | set(deprecated), foreign):
        yield UNKNOWN_KEY.at(entry.key_span, f"Unknown key `{entry.key}`: Copilot ignores it in a {what}"
                             + suggestion(best), fix=fix)


@check(DEPRECATED_KEY)
def deprecated(doc: Document, ctx: Context):
    for key, (instead, why) in facts.DEPRECATED_KEYS.get(str(ctx.kind), {}).items():
        entry = doc.get(key)
        if entry is None:
            continue
        fix = None
        if key == "mode" and "agent" not in doc.entries and entry.value is not None and entry.value.is_str:
            value = "agent" if entry.value.value == "edit" else entry.value.value
            fix = Fix("Replace with `agent:`", (Edit(entry.key_span, "agent"),) + (
                (Edit(entry.value.span, value),) if value != entry.value.value else ()), safe=False)
        elif key == "infer" and instead not in doc.entries and entry.value is not None \
                and entry.value.kind == "scalar" and entry.value.value in {"true", "false"}:
            flipped = "false" if entry.value.value == "true" else "true"
            fix = Fix(f"Replace with `{instead}: {flipped}`",
                      (Edit(entry.span, f"{instead}: {flipped}"),), safe=True)
        yield DEPRECATED_KEY.at(entry.key_span, f"`{key}` is deprecated: {why}", fix=fix)


@check(WRONG_TYPE, MISSING_DESCRIPTION, BODY_TOO_LONG, APPLY_TO)
def values(doc: Document, ctx: Context):
    kind = str(ctx.kind)
    readable = doc.frontmatter is not None and fmt.frontmatter_problem(doc, required=False, strict=True) is None
    fields = _fields(ctx)
    for entry in fmt.entries(doc) if readable else ():
        field = fields.get(entry.key)
        if field is None or fmt.is_null(entry):
            continue
        node = entry.value
        problem = fmt.type_problem(node, field)
        if problem is not None:
            yield WRONG_TYPE.at(node.span, f"{problem}: Copilot does not use it")
            continue
        if field.type == "enum" and entry.key != "agent" and node.value not in field.value_names:
            allowed = ", ".join(f"`{v}`" for v in field.value_names)
            best = did_you_mean(node.value, field.value_names)
            fix = Fix(f"Replace with `{best}`", (Edit(node.span, best),), safe=False) if best else None
            yield WRONG_TYPE.at(node.span, f"`{entry.key}: {node.value}` is not one of {allowed}"
                                + suggestion(best), fix=fix)
        elif entry.key == "handoffs":
            yield from _handoffs(node)
        elif entry.key == "metadata":
            for key, value in node.pairs:
                if not value.is_str:
                    yield WRONG_TYPE.at(value.span, f"`metadata` values must be strings, not {fmt.an(value.type_name)}")
        elif entry.key == "applyTo" and kind == "instructions":
            for glob, span in fmt.string_items(node, comma=True):
                problem = fmt.glob_problem(glob)
                if problem is not None:
                    yield APPLY_TO.at(span, f"`{glob}`: {problem}")
    # A legacy chat mode (`.github/chatmodes/*.chatmode.md`) is VS Code's alone: GitHub's
    # requirements do not apply to it.
    if kind == "agent" and not (doc.path or "").endswith(".chatmode.md"):
        description = doc.get("description") if readable else None
        empty = description is None or fmt.is_null(description) or (
            description.value.is_str and not description.value.value.strip())
        if readable and empty and doc.scalar("target") != "vscode":
            at = description.key_span if description is not None else doc.frontmatter.open_fence
            yield MISSING_DESCRIPTION.at(at, "GitHub requires `description`: the Copilot cloud agent and CLI do not "
                                             "take this agent (add `target: vscode` if it is for VS Code only)")
        body = doc.body_text
        if len(body) > facts.BODY_LIMIT:
            from agentls.core.text import Span

            start = doc.body.start + facts.BODY_LIMIT
            yield BODY_TOO_LONG.at(Span(start, doc.body.end), f"The prompt is {len(body):,} characters; GitHub's "
                                                               f"limit is {facts.BODY_LIMIT:,}")


def _handoffs(node):
    if node.kind != "seq":
        return
    for item in node.items:
        if item.kind != "map":
            yield WRONG_TYPE.at(item.span, f"each handoff is a mapping (`label`, `agent`, `prompt`...), "
                                           f"not {fmt.an(item.type_name)}")
            continue
        keys = {}
        for key, value in item.pairs:
            name = key.value if key.kind == "scalar" else ""
            keys[name] = value
            want = facts.HANDOFF_KEYS.get(name)
            if want is None:
                best = did_you_mean(name, facts.HANDOFF_KEYS)
                yield WRONG_TYPE.at(key.span, f"`{name}` is not a handoff key (`label`, `agent`, `prompt`, "
                                              f"`send`, `model`)" + suggestion(best))
            elif want == "boolean" and (value.kind != "scalar" or value.tag != "tag:yaml.org,2002:bool"):
                yield WRONG_TYPE.at(value.span, f"handoff `{name}` must be `true` or `false`, not {fmt.an(value.type_name)}")
            elif want == "string" and not value.is_str:
                yield WRONG_TYPE.at(value.span, f"handoff `{name}` must be a string, not {fmt.an(value.type_name)}")
        for needed in ("label", "agent"):
            if needed not in keys:
                yield WRONG_TYPE.at(item.span, f"a handoff needs `{needed}`")
