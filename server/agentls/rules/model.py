"""`model`: an alias, `inherit` or a full Claude model ID."""

from __future__ import annotations

import re

from agentls.core.document import Document
from agentls.core.yamlnodes import STR
from agentls.facts import KINDS, models
from agentls.rules._util import did_you_mean
from agentls.rules.context import Context
from agentls.rules.registry import Edit, Fix, Severity, check, rule

# The aliases a user picks from (``inherit`` is named on its own), as the docs list them.
_ALIAS_LIST = ", ".join(f"`{a}`" for a in models.ALIASES if a != "inherit")

_EXTRA_LIST = ", ".join(f"`{a}`" for a in models.EXTRA_ALIASES)

UNKNOWN_MODEL = rule(
    "AGT300", "unknown-model", Severity.WARNING,
    "Unknown model",
    what=f"""
        Checks `model` against the aliases ({_ALIAS_LIST}), `inherit`, the other values
        `--model` accepts ({_EXTRA_LIST}), the known model IDs and the shape of Claude model IDs.""",
    why="""
        Claude Code passes the value to the API: an unknown model fails with a 404 when the
        agent is spawned, long after the file was written. Other vendors' models (`gpt-4o`,
        `gemini-pro`) and display names (`Claude Sonnet 4`) are common mistakes.""",
    example="""
        ---
        model: Claude Sonnet 4
        ---""",
    how_to_fix="""
        Use an alias, `inherit`, or a full model ID. The fix offers the nearest valid value
        as an unsafe fix only: another model changes how the agent behaves and what it costs.""",
    use_instead="""
        ---
        model: sonnet
        ---""",
    source="https://code.claude.com/docs/en/sub-agents#choose-a-model; anthropics/claude-code#92190",
    fixable="unsafe", kinds=KINDS, family="model",
    severity_note="""
        An error when the value cannot be a Claude model (another vendor's model, a display
        name, a misspelt alias): the agent fails when it is spawned (API 404), so `agentls
        check` exits 1. A warning when the value is shaped like a Claude model ID
        (`claude-...`): it may be a model newer than agentls' facts; add it with
        `extend-models` (so can a gateway that routes other names).""",
)


def nearest_model(value: str) -> str | None:
    normal = re.sub(r"[\s_.]+", "-", value.strip().lower())
    if models.is_valid_model(normal):
        return normal
    for family in models.ALIAS_FAMILIES:
        if family in normal:
            return family
    return did_you_mean(normal, list(models.ALIASES) + list(models.KNOWN_IDS), cutoff=0.7)


@check(UNKNOWN_MODEL)
def model(doc: Document, ctx: Context):
    entry = doc.get("model")
    if entry is None or entry.value is None or entry.value.kind != "scalar" or entry.value.tag != STR:
        return
    value = entry.value.value
    if models.is_valid_model(value, ctx.extensions.models):
        return
    near = nearest_model(value)
    fix = Fix(f"Replace with `{near}`", (Edit(entry.value.span, near),), safe=False) if near else None
    if models.claude_shaped(value) or models.is_valid_model(value.strip().lower()):
        # A Claude-shaped ID may be newer than the facts; `Sonnet` may be read case-insensitively.
        message = (f"Unknown model `{value}`: not a model ID agentls knows (it may be a newer model; "
                   "add it with `extend-models`)")
        yield UNKNOWN_MODEL.at(entry.value.span, message + (f"; did you mean `{near}`?" if near else ""), fix=fix)
        return
    message = f"Unknown model `{value}` cannot be a Claude model: the agent fails when it is spawned (API 404)"
    if near:
        message += f"; did you mean `{near}`?"
    else:
        message += f"; use an alias ({_ALIAS_LIST}), a full Claude model ID, or `inherit`"
    yield UNKNOWN_MODEL.at(entry.value.span, message, severity=Severity.ERROR, fix=fix)
