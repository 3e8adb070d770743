"""OpenCode agents (``.opencode/agents/**/*.md``; ``.opencode/agent/`` is the older folder).

The file name (without ``.md``; a nested path such as ``team/reviewer``) is the agent's
name; the body is its prompt. OpenCode reads the frontmatter with gray-matter (and once
more after quoting ``key: value`` lines that hold a colon), then decodes it with the
``AgentConfig`` schema (``packages/core/src/v1/config/agent.ts``):

* a key the schema does not know is not an error: it is moved into ``options`` and sent
  to the model provider with every request;
* a value of the wrong type fails the decode (``ConfigInvalidError``), and OpenCode stops
  loading its configuration with that error: these findings are errors;
* frontmatter that is not YAML even after the fallback is skipped without a word.

OpenCode V2 (the default install since 2026-10, opencode.ai/docs/migrate-v1) reads the
same files: "V1 agent files should continue to work"; it adds ``system``, ``permissions``
(a list of rules) and ``disabled``, and reads the V1 keys (``tools``, ``permission``,
``maxSteps``, ``temperature``...) as deprecated, normalised in memory.

Sources (retrieved 2026-12-03; research notes ``agent-format.md`` §3.5 and
``agent-format-2026-12.md`` §4): :data:`DOCS` (opencode.ai/docs/agents), :data:`SCHEMA`
(anomalyco/opencode ``packages/core/src/v1/config/agent.ts``, the key set and the colour
pattern), :data:`LOADER` (``packages/opencode/src/config/agent.ts`` and ``parse.ts``),
:data:`V2_DOCS` (opencode.ai/docs/v2/agents).
"""

from __future__ import annotations

import re

from agentls.facts.fields import Field, Value

TARGET = "opencode"
DISPLAY = "OpenCode"
DOCS = "https://opencode.ai/docs/agents"
V2_DOCS = "https://opencode.ai/docs/v2/agents"
SCHEMA = "https://github.com/anomalyco/opencode/blob/dev/packages/core/src/v1/config/agent.ts"
LOADER = "https://github.com/anomalyco/opencode/blob/dev/packages/opencode/src/config/agent.ts"
RETRIEVED = "2026-12-03"

# ``color``: ``#RRGGBB`` or a theme colour (named colours such as ``red`` are refused,
# anomalyco/opencode#24797).
HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
THEME_COLORS: dict[str, str] = {
    "primary": "The theme's primary colour.", "secondary": "The theme's secondary colour.",
    "accent": "The theme's accent colour.", "success": "The theme's success colour.",
    "warning": "The theme's warning colour.", "error": "The theme's error colour.",
    "info": "The theme's info colour.",
}
# ``permission`` values (``ask``/``allow``/``deny``, or a map of patterns to them).
PERMISSION_ACTIONS: dict[str, str] = {
    "ask": "Ask before each use.", "allow": "Allow without asking.", "deny": "Never allow.",
}
# Permissions that take one action, never a map of patterns (``ConfigPermissionV1``).
ACTION_ONLY_PERMISSIONS = frozenset({"question", "webfetch", "websearch", "doom_loop"})
def _values(*pairs: tuple[str, str]) -> tuple[Value, ...]:
    return tuple(Value(*p) for p in pairs)


_BOOL = _values(("true", "Yes."), ("false", "No."))
_V1 = "deprecated in OpenCode V2, which still reads it"

AGENT_FIELDS: dict[str, Field] = {f.key: f for f in [
    Field("description", "string", "When to use the agent; shown to the primary agent for subagents.",
          "Documented as required.", required=True, source=DOCS,
          example="description: Reviews code for quality and best practices."),
    Field("mode", "enum", "How the agent can be used.",
          values=_values(("primary", "A main agent you switch to with Tab."),
                         ("subagent", "Called by primary agents or with `@name`."),
                         ("all", "Both (the default).")),
          default="all", source=DOCS, example="mode: subagent"),
    Field("model", "string", "Model as `provider/model-id` (V2: `provider/model#variant`).",
          "Subagents without a model use the model of the agent that called them.",
          source=DOCS, example="model: anthropic/claude-sonnet-4-5"),
    Field("variant", "string", "Default model variant (applies only with the agent's own model).", source=SCHEMA),
    Field("temperature", "number", "Sampling temperature (typically 0.0 to 1.0); " + _V1 + ".", source=DOCS,
          example="temperature: 0.1"),
    Field("top_p", "number", "Nucleus sampling, 0.0 to 1.0.", source=SCHEMA, example="top_p: 0.9"),
    Field("prompt", "string", "System prompt; in a Markdown agent the body replaces it.",
          "An empty body also replaces it (anomalyco/opencode#26434).", source=DOCS),
    Field("steps", "integer", "Maximum agentic iterations before a text-only answer is forced.",
          minimum=1, source=SCHEMA, example="steps: 5"),
    Field("maxSteps", "integer", "Deprecated: use `steps`.", minimum=1, source=SCHEMA),
    Field("tools", "mapping", "Deprecated: tool name -> `true`/`false`; use `permission`.",
          "Wildcards such as `mymcp_*` are allowed. `write`, `edit` and `patch` map to the `edit` "
          "permission.", source=SCHEMA, example="tools:\n  write: false"),
    Field("permission", "mapping", "What the agent may do: tool -> `ask`/`allow`/`deny`, or patterns -> action.",
          "One action for everything (`permission: ask`), or a map of tools to an action or (for `bash`, "
          "`edit`, `read`...) a map of glob patterns to actions; the last matching pattern wins. "
          + _V1[0].upper() + _V1[1:] + " (V2 writes `permissions`).",
          source=DOCS, example="permission:\n  edit: deny\n  bash:\n    \"git diff\": allow"),
    Field("disable", "boolean", "Disable the agent.", values=_BOOL, default="false", source=SCHEMA),
    Field("hidden", "boolean", "Hide a subagent from the `@` menu (it can still be called by agents).",
          values=_BOOL, default="false", source=DOCS),
    Field("hidden_from_cycle", "boolean", "Hide from Tab rotation but keep in `/agents`.",
          values=_BOOL, default="false", source=SCHEMA),
    Field("color", "color", "Colour in the UI: `#RRGGBB` or a theme colour (`primary`, `accent`, ...).",
          "Named colours such as `red` are refused (anomalyco/opencode#24797).",
          values=tuple(Value(k, v) for k, v in THEME_COLORS.items()), source=SCHEMA, example='color: "#FF5733"'),
    Field("options", "mapping", "Provider options passed with every request.", source=SCHEMA),
    Field("name", "string", "The agent's name; by default the file's path below `agents/`.", source=LOADER),
    # OpenCode V2.
    Field("system", "string", "System prompt (OpenCode V2).", source=V2_DOCS),
    Field("permissions", "list", "Permission rules `{action, resource, effect}` (OpenCode V2).", source=V2_DOCS),
    Field("disabled", "boolean", "Disable the agent (OpenCode V2).", values=_BOOL, source=V2_DOCS),
]}

# Keys only OpenCode V2 reads: a V1 OpenCode passes them to the provider as options.
V2_KEYS = frozenset({"system", "permissions", "disabled"})
# Deprecated keys: key -> (replacement, why).
DEPRECATED_KEYS: dict[str, tuple[str, str]] = {
    "maxSteps": ("steps", "renamed in OpenCode v1.1.1"),
    "tools": ("permission", "replaced by `permission` in OpenCode v1.1.1; `tools: {x: false}` is `permission: {x: deny}`"),
}

FIELDS_BY_KIND: dict[str, dict[str, Field]] = {"agent": AGENT_FIELDS}
