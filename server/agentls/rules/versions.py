"""`target-version`: what a file uses that the Claude Code version it is written for lacks.

Every fact carries the version it appeared in (``since``: :mod:`agentls.facts`). With
``target-version = "2.1.240"`` in the configuration (``targetVersion`` in the editor), a
key, value, tool, model or hook newer than that version is reported as "needs Claude
Code X.Y.Z". Without the setting the target is the newest version the facts know
(:data:`agentls.facts.versions.CLAUDE_CODE_VERSION`), so nothing is newer.
"""

from __future__ import annotations

from agentls.core.document import Document
from agentls.core.text import Span
from agentls.facts import KINDS, models
from agentls.facts.fields import (
    FIELDS_BY_KIND,
    HOOK_EVENT_SINCE,
    HOOK_HANDLER_KEYS,
    SKILL_BOOLEANS_SINCE,
)
from agentls.facts.toolgrammar import base_name, split_node
from agentls.facts.tools import TOOLS
from agentls.facts.versions import CC_CHANGELOG, newer_than
from agentls.rules.context import Context
from agentls.rules.registry import Severity, check, rule

F = "versions"
_TOOL_KEYS = ("tools", "disallowedTools", "allowed-tools", "disallowed-tools")

NEEDS_NEWER = rule(
    "AGT109", "needs-newer-claude-code", Severity.WARNING,
    "Needs a newer Claude Code than `target-version`",
    what="""
        With `target-version` set, finds keys, values, tools, model IDs, hook events and hook
        handler keys that appeared in a later Claude Code than the target.""",
    why="""
        An older Claude Code ignores what it does not know yet: a key it lacks is dropped, a
        tool it lacks resolves to nothing (and an agent none of whose tools resolve is not
        launched), a hook on an event it lacks never runs. Teams pinned to a version find out
        only when the file misbehaves there.""",
    example="""
        # agentls.toml: target-version = "2.1.240"
        ---
        name: code-reviewer
        description: Reviews code. Use after code changes.
        omitClaudeMd: true
        ---""",
    how_to_fix="""
        Raise `target-version` once everyone runs the newer Claude Code, or leave out what
        the target does not have. Without `target-version` the target is the newest Claude
        Code agentls' facts know, so this rule reports nothing.""",
    source="Each fact's `since` (`agentls facts`); " + CC_CHANGELOG, kinds=KINDS, family=F,
    severity_note="A warning: the file loads on the target, without the newer part.",
)


def _needs(span: Span, what: str, since: str, ctx: Context, effect: str):
    return NEEDS_NEWER.at(span, f"{what} needs Claude Code {since} (`target-version` is {ctx.target_version}): "
                                f"{effect}")


@check(NEEDS_NEWER)
def versions(doc: Document, ctx: Context):
    target = ctx.target_version
    if not target or doc.frontmatter is None:
        return
    fields = FIELDS_BY_KIND.get(ctx.kind, FIELDS_BY_KIND["agent"])
    for entry in doc.frontmatter.entries:
        field = fields.get(entry.key)
        if field is None:
            continue
        if newer_than(field.since, target):
            yield _needs(entry.key_span, f"`{entry.key}`", field.since, ctx, "older versions ignore the key")
            continue
        node = entry.value
        if node is None:
            continue
        if node.kind == "scalar" and field.values:
            value = next((v for v in field.values if v.name == node.value), None)
            if value is not None and newer_than(value.since, target):
                yield _needs(node.span, f"`{entry.key}: {node.value}`", value.since, ctx,
                             "older versions do not know the value")
        if node.kind == "scalar" and field.type == "boolean" and ctx.kind != "agent" and field.also_accepts \
                and node.value.lower() not in {"true", "false"} and newer_than(SKILL_BOOLEANS_SINCE, target):
            yield _needs(node.span, f"`{entry.key}: {node.value}`", SKILL_BOOLEANS_SINCE, ctx,
                         "older versions read only `true` and `false`")
        if field.type == "model" and node.is_str:
            yield from _model(node.value, node.span, ctx)
        elif field.type == "tools" and entry.key in _TOOL_KEYS:
            for item in split_node(doc, node, spaces=ctx.kind != "agent"):
                tool = TOOLS.get(base_name(item.text)[0])
                if tool is not None and newer_than(tool.since, target):
                    yield _needs(item.span, f"`{tool.name}`", tool.since, ctx,
                                 "older versions do not have the tool, so the entry resolves to nothing")
        elif entry.key == "hooks" and node.kind == "map":
            yield from _hooks(node, ctx)


def _model(value: str, span: Span, ctx: Context):
    since = models.SINCE.get(value)
    if since and newer_than(since, ctx.target_version):
        yield _needs(span, f"`{value}`", since, ctx, "older versions do not know the model")
    elif models.kind_of(value) in {"known-id", "id"} and newer_than(models.IDS_HONOURED_SINCE, ctx.target_version):
        yield _needs(span, "A full model ID", models.IDS_HONOURED_SINCE, ctx, "older versions ignore it")


def _hooks(node, ctx: Context):
    for event, groups in node.pairs:
        since = HOOK_EVENT_SINCE.get(event.value) if event.kind == "scalar" else None
        if since and newer_than(since, ctx.target_version):
            yield _needs(event.span, f"The `{event.value}` event", since, ctx, "on older versions the hook never runs")
        for group in groups.items if groups.kind == "seq" else ():
            for k, handlers in group.pairs if group.kind == "map" else ():
                if k.kind != "scalar" or k.value != "hooks" or handlers.kind != "seq":
                    continue
                for handler in handlers.items:
                    for hk, _ in handler.pairs if handler.kind == "map" else ():
                        key = HOOK_HANDLER_KEYS.get(hk.value) if hk.kind == "scalar" else None
                        if key is not None and newer_than(key.since, ctx.target_version):
                            yield _needs(hk.span, f"`{hk.value}`", key.since, ctx, "older versions ignore it")
