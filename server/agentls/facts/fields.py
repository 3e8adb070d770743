"""Frontmatter fields of each file kind: type, required, values, default, since, source.

One table drives key validation, value validation, completion, hover and the JSON
Schema. Facts are current to Claude Code 2.1.296 (docs and changelog of 2026-10-10,
:mod:`agentls.facts.versions`); the research notes with sources are in
``agent-format.md`` and ``agent-format-2026-12.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agentls.facts import colors, models
from agentls.facts.versions import CC_CHANGELOG, CC_HOOKS, CC_PLUG, CC_SKILLS, CC_SUB  # noqa: F401

# Claude Code's own changelog entry for ``autoCompactWindow`` (v2.1.296, 2026-10-10).
CL_296 = CC_CHANGELOG + " (2.1.296)"


@dataclass(frozen=True, slots=True)
class Value:
    name: str
    meaning: str
    since: str | None = None
    until: str | None = None  # removed in this version


@dataclass(frozen=True, slots=True)
class Legacy:
    """An old value still seen in files: what replaces it and why."""

    name: str
    replacement: str | None
    note: str


@dataclass(frozen=True)
class Field:
    key: str
    type: str  # string, boolean, integer, enum, model, tools, names, mapping, list
    summary: str  # one line, for completion details
    docs: str = ""  # a paragraph, for hover
    required: bool = False
    values: tuple[Value, ...] = ()
    legacy: tuple[Legacy, ...] = ()
    default: str | None = None
    since: str | None = None
    until: str | None = None  # removed in this version
    source: str = CC_SUB
    example: str = ""
    plugin_ignored: bool = False  # Claude Code ignores it in plugin agents
    value_aliases: dict[str, str] = field(default_factory=dict)  # alias -> canonical
    # For an ``integer``: the smallest valid value (``AGT103`` below it; JSON Schema ``minimum``).
    minimum: int | None = None
    maximum: int | None = None  # ...and the largest (``AGT103`` above it; JSON Schema ``maximum``)
    # For a ``mapping``: the keys it may hold (empty: any key); each a Field of its own.
    members: tuple["Field", ...] = ()
    # What Claude Code does with an invalid value, when documented (``AGT103`` says it).
    invalid: str = ""
    # Other spellings the loader reads as this type: the strings ``"true"``/``"false"`` for a
    # boolean, integers for an enum. Findings about them are information, not warnings.
    also_accepts: tuple[str, ...] = ()

    @property
    def value_names(self) -> list[str]:
        return [v.name for v in self.values]

    @property
    def constraint(self) -> str:
        """What a valid value is, in words, from the machine-readable constraint: "a positive
        integer" for an ``integer`` with ``minimum=1``; "" for the other types."""
        if self.type != "integer":
            return ""
        if self.minimum is not None and self.maximum is not None:
            return f"an integer from {self.minimum:,} to {self.maximum:,}"
        if self.minimum is None:
            return "an integer"
        if self.minimum == 1:
            return "a positive integer"
        if self.minimum == 0:
            return "a non-negative integer"
        return f"an integer of at least {self.minimum}"

    def out_of_range(self, number: int) -> bool:
        """``number`` breaks the constraint (for an ``integer``)."""
        return (self.minimum is not None and number < self.minimum
                or self.maximum is not None and number > self.maximum)

    def legacy_value(self, value: str) -> Legacy | None:
        for item in self.legacy:
            if item.name == value:
                return item
        return None


def _values(*pairs: tuple[str, str] | tuple[str, str, str]) -> tuple[Value, ...]:
    return tuple(Value(*p) for p in pairs)


_EFFORT = _values(
    ("low", "Fastest, least thinking."),
    ("medium", "Balanced thinking."),
    ("high", "More thinking for harder tasks."),
    ("xhigh", "Extra-high thinking (documented from 2026-04).", "2026-04-16 docs"),
    ("max", "The most thinking the model allows."),
)

_MODEL_VALUES = tuple(Value(k, v) for k, v in models.ALIASES.items())

AGENT_FIELDS: dict[str, Field] = {f.key: f for f in [
    Field("name", "string", "Unique identifier: lowercase letters and hyphens.",
          "The agent's identity. Claude Code delegates to it by this name; the file name does "
          "not matter. A file without `name` is treated as documentation and not loaded; a name "
          "that contains `:` or starts with `-` is skipped.",
          required=True, since="1.0.60", example="name: code-reviewer"),
    Field("description", "string", "When Claude should delegate to this agent.",
          "Claude reads this to decide when to hand a task to the agent, so say *when* to use "
          "it, not only what it does. A file without a description is not loaded.",
          required=True, since="1.0.60",
          example="description: Reviews code for quality and security. Use proactively after code changes."),
    Field("tools", "tools", "Tools the agent may use; omit to inherit every tool.",
          "A comma-separated string (`Read, Grep, Glob`) or a YAML list. Only bare tool names, "
          "MCP names (`mcp__server__tool`) and `Agent(type, ...)` have an effect: other "
          "specifiers such as `Bash(git:*)` are silently reduced to the bare tool.",
          default="every tool available to subagents", since="1.0.60",
          example="tools: Read, Grep, Glob, Bash"),
    Field("disallowedTools", "tools", "Tools removed from the agent's tool set.",
          "Applied before `tools`; a tool in both lists is removed. `mcp__*` removes every MCP tool.",
          default="none", since="2.0.30", example="disallowedTools: Write, Edit"),
    Field("model", "model", "Model the agent runs on: an alias, a full model ID, or `inherit`.",
          "Accepts the same values as the `--model` flag: also `default`, `best`, `opusplan` and the "
          "`[1m]` variants (`sonnet[1m]`, `opus[1m]`, `fable[1m]`). Full model IDs are honoured "
          "since v2.1.74. A value that is no Claude model fails when the agent is spawned (API 404).",
          values=_MODEL_VALUES, default="inherit", since="2025-09 docs", example="model: sonnet"),
    Field("permissionMode", "enum", "How the agent handles permission prompts.",
          "Ignored for plugin agents, and when the parent session is in `auto`, "
          "`bypassPermissions` or `acceptEdits` mode. Since v2.1.267 a subagent's "
          "`bypassPermissions` applies only when the parent is already in `bypassPermissions` "
          "mode; otherwise the subagent keeps the parent's mode.",
          values=_values(
              ("default", "Ask for permission as usual."),
              ("acceptEdits", "Accept file edits without asking."),
              ("auto", "Let a classifier approve safe actions.", "2026-04-02 docs"),
              ("dontAsk", "Deny anything not pre-approved instead of asking."),
              ("bypassPermissions", "Skip every permission prompt (dangerous); in a subagent only "
                                    "when the parent is already in this mode (v2.1.267)."),
              ("plan", "Read-only planning: no edits or commands."),
              ("manual", "Alias of `default`.", "2.1.200"),
          ),
          legacy=(Legacy("ignore", "default", "documented 2025-11 to 2026-01, no longer a mode"),
                  Legacy("delegate", "default", "documented briefly in 2026-02, no longer a mode")),
          default="the parent's mode", since="2.0.43", plugin_ignored=True,
          example="permissionMode: acceptEdits"),
    Field("maxTurns", "integer", "Maximum number of agentic turns before the agent stops.",
          "When the limit is reached the output is marked partial and can be resumed (v2.1.246). "
          "The docs give no default.",
          minimum=1, since="2026-02 docs", example="maxTurns: 20"),
    Field("skills", "names", "Skills whose full content is loaded into the agent at start-up.",
          "A YAML list of skill names. A missing or disabled skill is skipped with a debug-log "
          "warning. Skills with `disable-model-invocation: true` cannot be preloaded.",
          since="2.0.43", example="skills:\n  - api-conventions"),
    Field("mcpServers", "list", "MCP servers available to the agent.",
          "Each entry is the name of a configured server or `{name: config}` with an inline "
          "server. Ignored for plugin agents.", since="2026-02 docs", plugin_ignored=True,
          example="mcpServers:\n  - github"),
    Field("hooks", "mapping", "Hooks that run while the agent is active.",
          "Same schema as settings hooks: `{Event: [{matcher, hooks: [{type, command}]}]}`. "
          "Ignored for plugin agents; project-agent hooks need workspace trust (v2.1.218). A "
          "`Stop` hook runs as `SubagentStop`; `once: true` works only in skills. Handlers may "
          "set `onFailure: continue | block` (v2.1.295).",
          since="2.1.0", plugin_ignored=True, source=CC_HOOKS),
    Field("memory", "enum", "Persistent memory scope for the agent.",
          "Gives the agent a memory directory and enables Read, Write and Edit for it.",
          values=_values(
              ("user", "`~/.claude/agent-memory/<name>/`: shared across projects."),
              ("project", "`.claude/agent-memory/<name>/`: checked in with the project."),
              ("local", "`.claude/agent-memory-local/<name>/`: this machine only."),
          ), since="2.1.33", example="memory: project"),
    Field("background", "boolean", "Run the agent as a background task.",
          "Keeps the agent in the background even when Claude asks for the foreground. The "
          "loader also reads the strings `\"true\"` and `\"false\"`.",
          values=_values(("true", "Run in the background."), ("false", "Run in the foreground.")),
          default="false", since="2.1.49", example="background: true", also_accepts=("true", "false")),
    Field("effort", "enum", "Reasoning effort; available levels depend on the model.",
          "The loader also accepts an integer.",
          values=_EFFORT, default="the session's effort", since="2.1.78", example="effort: high",
          also_accepts=("integer",)),
    Field("isolation", "enum", "Run the agent in its own git worktree.",
          values=_values(("worktree", "A temporary git worktree, cleaned up when unchanged.")),
          since="2.1.50", example="isolation: worktree"),
    Field("color", "enum", "Colour of the agent in the UI.",
          "The documented palette since 2026-04. Older palettes had "
          + ", ".join(f"`{old}`" for old in colors.LEGACY) + ".",
          values=tuple(Value(name, f"{name.capitalize()}.") for name in colors.PALETTE),
          legacy=tuple(Legacy(old, new, note) for old, (new, note) in colors.LEGACY.items()),
          since="2026-04-02 docs", example="color: blue"),
    Field("initialPrompt", "string", "Prompt submitted first when the agent runs as the main session.",
          "Only used when the agent is the main session agent (`claude --agent`).",
          since="2.1.83"),
    Field("omitClaudeMd", "boolean", "Leave the user, project and local CLAUDE.md out of the agent's context.",
          "Ignored when the agent runs as the main session (`claude --agent`).",
          values=_values(("true", "Omit CLAUDE.md."), ("false", "Load CLAUDE.md as usual.")),
          default="false", since="2.1.271", example="omitClaudeMd: true"),
    Field("autoCompactWindow", "integer", "Context size, in tokens, at which the agent's conversation is compacted.",
          "An invalid value is dropped with a `--debug` warning (\"has invalid autoCompactWindow\"), "
          "so the default applies.",
          minimum=100_000, maximum=1_000_000, since="2.1.296", source=CL_296,
          invalid="Claude Code drops the field (a `--debug` warning) and uses the default",
          example="autoCompactWindow: 300000"),
    Field("experimental", "mapping", "Experimental settings for this agent.",
          "Only `cacheTtl` is documented. Subagent files only.",
          since="2.1.248", example="experimental:\n  cacheTtl: 1h",
          members=(Field("cacheTtl", "enum", "How long the agent's prompt cache is kept.",
                         values=_values(("5m", "Five minutes (the default)."), ("1h", "One hour.")),
                         since="2.1.248", example="cacheTtl: 1h"),)),
]}

# Keys that belong to other formats, with what happens when they appear on an agent.
FOREIGN_AGENT_KEYS: dict[str, str] = {
    "allowed-tools": "`allowed-tools` is a skill/command key: Claude Code ignores it on an agent, "
                     "so the agent gets every tool. Use `tools:` instead",
    "allowed_tools": "Claude Code ignores `allowed_tools` on an agent, so the agent gets every tool. "
                     "Use `tools:` instead",
    "allowedTools": "Claude Code ignores `allowedTools` on an agent, so the agent gets every tool. "
                    "Use `tools:` instead",
    "disallowed-tools": "`disallowed-tools` is a skill key; agents use `disallowedTools`",
    "argument-hint": "`argument-hint` is a skill/command key; agents ignore it",
    "disable-model-invocation": "`disable-model-invocation` is a skill/command key; agents ignore it",
    "user-invocable": "`user-invocable` is a skill key; agents ignore it",
    "temperature": "Claude Code has no `temperature` for agents (it is a Gemini CLI / OpenCode key)",
    "max_turns": "Claude Code spells it `maxTurns`",
    "timeout_mins": "`timeout_mins` is a Gemini CLI key; Claude Code ignores it",
    "kind": "`kind` is a Gemini CLI key; Claude Code ignores it",
    "mode": "`mode` is an OpenCode key; Claude Code ignores it",
    "permission_mode": "Claude Code spells it `permissionMode`",
    "mcp-servers": "Claude Code spells it `mcpServers` (`mcp-servers` is a GitHub Copilot key)",
}

# Skill and command booleans: `true/false/yes/no/on/off/1/0` in any case, since v2.1.218.
SKILL_BOOLEANS = ("true", "false", "yes", "no", "on", "off", "1", "0")
SKILL_BOOLEANS_SINCE = "2.1.218"

_SKILL_COMMON: list[Field] = [
    Field("description", "string", "What it does and when to use it.",
          "Shown in the skill listing (with `when_to_use`, truncated at 1,536 characters).",
          source=CC_SKILLS),
    Field("when_to_use", "string", "Extra trigger guidance appended to the description.", source=CC_SKILLS),
    Field("argument-hint", "string", "Hint shown in autocomplete, e.g. `[issue-number]`. Quote it.",
          source=CC_SKILLS),
    Field("arguments", "names", "Named `$name` placeholders.", source=CC_SKILLS),
    Field("disable-model-invocation", "boolean", "Stop Claude from invoking it automatically.",
          default="false", source=CC_SKILLS, also_accepts=SKILL_BOOLEANS),
    Field("user-invocable", "boolean", "Show it in the `/` menu.", default="true", source=CC_SKILLS,
          also_accepts=SKILL_BOOLEANS),
    Field("allowed-tools", "tools", "Tools pre-approved while it runs (specifiers allowed).", source=CC_SKILLS),
    Field("disallowed-tools", "tools", "Tools removed while it runs.", source=CC_SKILLS),
    Field("model", "model", "Model override for the turn.", values=_MODEL_VALUES, source=CC_SKILLS),
    Field("effort", "enum", "Reasoning effort override.", values=_EFFORT, source=CC_SKILLS),
    Field("context", "enum", "`fork` runs it in a forked subagent.",
          values=_values(("fork", "Run in a forked subagent context.")), source=CC_SKILLS),
    Field("agent", "string", "Subagent type used with `context: fork`.", source=CC_SKILLS),
    Field("background", "boolean", "Run in the background (with `context: fork`).", source=CC_SKILLS,
          also_accepts=SKILL_BOOLEANS),
    Field("hooks", "mapping", "Hooks registered while it is active.", source=CC_SKILLS),
    Field("paths", "names", "Globs that limit when it is offered.", source=CC_SKILLS),
    Field("shell", "enum", "Shell for `!` commands.",
          values=_values(("bash", "Bash."), ("powershell", "PowerShell.")), source=CC_SKILLS),
    Field("metadata", "mapping", "Free-form metadata (not acted on).", source=CC_SKILLS),
    Field("license", "string", "Licence (Agent Skills spec field).", source=CC_SKILLS),
    Field("compatibility", "string", "Environment requirements (Agent Skills spec field).", source=CC_SKILLS),
    Field("version", "string", "Version string (tolerated, not acted on).", source=CC_SKILLS),
]

SKILL_FIELDS: dict[str, Field] = {f.key: f for f in [
    Field("name", "string", "Display name; the command is the directory name.", source=CC_SKILLS),
    *_SKILL_COMMON,
]}

# Commands take the skill keys; Claude Code ignores ``name`` and ``paths`` there.
COMMAND_FIELDS: dict[str, Field] = {f.key: f for f in _SKILL_COMMON if f.key != "paths"}
COMMAND_FIELDS["name"] = Field("name", "string", "Ignored in a command file: the file name is the command.",
                               source=CC_SKILLS)

FIELDS_BY_KIND: dict[str, dict[str, Field]] = {
    "agent": AGENT_FIELDS,
    "skill": SKILL_FIELDS,
    "command": COMMAND_FIELDS,
}

BUILTIN_AGENTS: dict[str, str] = {
    "general-purpose": "The default agent for multi-step tasks.",
    "Explore": "Fast read-only codebase exploration (a user or project agent named `Explore` overrides it).",
    "Plan": "Research for plan mode.",
    "claude": "The main Claude agent.",
    "statusline-setup": "Configures the status line.",
    "claude-code-guide": "Answers questions about Claude Code.",
    "fork": "A fork of the current conversation.",
}

HOOK_EVENTS = (
    "SessionStart Setup UserPromptSubmit UserPromptExpansion PreToolUse PermissionRequest "
    "PermissionDenied PostToolUse PostToolUseFailure PostToolBatch Notification MessageDisplay "
    "SubagentStart SubagentStop TaskCreated TaskCompleted Stop StopFailure TeammateIdle "
    "InstructionsLoaded ConfigChange CwdChanged DirectoryAdded FileChanged WorktreeCreate "
    "WorktreeRemove PreCompact PostCompact PreModelSwitch PostModelSwitch Elicitation "
    "ElicitationResult SessionEnd"
).split()
# Events added after the list was first written down (the others: hooks docs of 2026-08-22).
HOOK_EVENT_SINCE: dict[str, str] = {"PreModelSwitch": "2.1.251", "PostModelSwitch": "2.1.251"}


@dataclass(frozen=True, slots=True)
class HookKey:
    """A key of one hook handler (``{type: command, command: ...}``)."""

    name: str
    meaning: str
    since: str | None = None
    kinds: tuple[str, ...] = ("agent", "skill", "command")  # where it has an effect
    source: str = CC_HOOKS


# The handler keys agentls reads (not every key: unknown ones are not reported).
HOOK_HANDLER_KEYS: dict[str, HookKey] = {k.name: k for k in [
    HookKey("type", "`command`, `http`, `mcp_tool`, `prompt` or `agent`."),
    HookKey("command", "The shell command to run (`type: command`)."),
    HookKey("args", "Arguments passed to the command."),
    HookKey("url", "The URL to call (`type: http`)."),
    HookKey("timeout", "Seconds before the hook is cancelled."),
    HookKey("continueOnBlock", "Let the turn go on after the hook blocks."),
    HookKey("onFailure", "`continue` or `block` when the hook itself fails.", since="2.1.295"),
    HookKey("once", "Run once per session, then remove the hook (skills only).", kinds=("skill", "command")),
]}
