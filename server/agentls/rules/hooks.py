"""`hooks` in frontmatter: event names and the handler keys Claude Code reads.

The events and handler keys are facts (:data:`agentls.facts.fields.HOOK_EVENTS`,
:data:`~agentls.facts.fields.HOOK_HANDLER_KEYS`), with the version each appeared in.
The shape is settings' hooks: ``{Event: [{matcher: ..., hooks: [{type: ..., ...}]}]}``.
"""

from __future__ import annotations

from agentls.core.document import Document
from agentls.core.yamlnodes import YNode
from agentls.facts import KINDS
from agentls.facts.fields import HOOK_EVENT_SINCE, HOOK_EVENTS, HOOK_HANDLER_KEYS
from agentls.facts.versions import CC_HOOKS
from agentls.rules._util import suggestion
from agentls.rules.context import Context
from agentls.rules.keys import INVALID_VALUE, close_keys
from agentls.rules.registry import Edit, Fix, Severity, check, rule

F = "hooks"
ON_FAILURE = ("continue", "block")

UNKNOWN_HOOK_EVENT = rule(
    "AGT107", "unknown-hook-event", Severity.WARNING,
    "Unknown hook event",
    what="Checks the event names under `hooks` (`PreToolUse`, `SubagentStop`, `PreModelSwitch`...).",
    why="""
        Event names are case-sensitive, and a hook registered under a name Claude Code does
        not know never runs, without a message. `PreModelSwitch` and `PostModelSwitch` are
        events since v2.1.251.""",
    example="""
        ---
        hooks:
          PreToolUSE:
            - hooks:
                - type: command
                  command: ./check.sh
        ---""",
    how_to_fix="Use the event's exact name (the fix offers the closest one, as an unsafe fix: the hook starts running).",
    use_instead="""
        ---
        hooks:
          PreToolUse:
            - hooks:
                - type: command
                  command: ./check.sh
        ---""",
    source=CC_HOOKS + " (hook events)", fixable="unsafe", kinds=KINDS, family=F,
    severity_note="A warning: the file loads; only the hook is lost. Newer events can be added with `extend-keys`.",
)

ONCE_OUTSIDE_SKILL = rule(
    "AGT106", "hook-once-outside-skill", Severity.WARNING,
    "`once` works only in a skill's hooks",
    what="Finds `once:` in the hook handlers of an agent.",
    why="""
        `once: true` (run the hook once per session, then remove it) is honoured only in
        skills' frontmatter hooks (command files, which take the skills' frontmatter, are not
        reported). In an agent it is ignored, so the hook runs every time its event fires.""",
    example="""
        ---
        hooks:
          SessionStart:
            - hooks:
                - type: command
                  command: ./setup.sh
                  once: true
        ---""",
    how_to_fix="Remove `once`, or make the hook idempotent; move it into a skill if it must run once.",
    source=CC_HOOKS + " (`once`: skills only)", family=F,
)


def _pairs(node: YNode | None):
    return node.pairs if node is not None and node.kind == "map" else ()


def _items(node: YNode | None):
    return node.items if node is not None and node.kind == "seq" else ()


@check(UNKNOWN_HOOK_EVENT, ONCE_OUTSIDE_SKILL, INVALID_VALUE)
def hooks(doc: Document, ctx: Context):
    entry = doc.get("hooks")
    if entry is None or entry.value is None or entry.value.kind != "map":
        return
    for event, groups in _pairs(entry.value):
        if event.kind != "scalar":
            continue
        name = event.value
        if name not in HOOK_EVENTS and name not in ctx.extensions.keys:
            near = close_keys(name, HOOK_EVENTS)
            fix = Fix(f"Rename to `{near[0]}`", (Edit(event.span, near[0]),), safe=False) if near else None
            yield UNKNOWN_HOOK_EVENT.at(event.span, f"Unknown hook event `{name}`: the hook never runs"
                                        + suggestion(near[0] if near else None), fix=fix)
        for group in _items(groups):
            for k, handlers in _pairs(group):
                if k.kind != "scalar" or k.value != "hooks":
                    continue
                for handler in _items(handlers):
                    yield from _handler(ctx, handler)


def _handler(ctx: Context, handler: YNode):
    for k, v in _pairs(handler):
        if k.kind != "scalar":
            continue
        known = HOOK_HANDLER_KEYS.get(k.value)
        if known is None:
            continue
        if ctx.kind not in known.kinds:
            yield ONCE_OUTSIDE_SKILL.at(k.span, f"`{k.value}` works only in skills: Claude Code ignores it in "
                                                "an agent's hooks, so the hook runs every time")
        elif k.value == "onFailure" and v.kind == "scalar" and v.value not in ON_FAILURE:
            choices = ", ".join(f"`{c}`" for c in ON_FAILURE)
            yield INVALID_VALUE.at(v.span, f"`{v.value}` is not a valid hook `onFailure` (allowed: {choices})")


assert set(HOOK_EVENT_SINCE) <= set(HOOK_EVENTS)
