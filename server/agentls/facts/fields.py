"""Frontmatter fields of each file kind: type, required, values, default, since, source.

One table drives key validation, value validation, completion, hover and the JSON
Schema. Facts come from the Claude Code docs snapshot of 2026-08-22 (v2.1.240); the
research notes with sources are in ``agent-format.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agentls.facts import colors, models

CC_SUB = "https://code.claude.com/docs/en/sub-agents"
CC_SKILLS = "https://code.claude.com/docs/en/skills"
CC_PLUG = "https://code.claude.com/docs/en/plugins-reference"


@dataclass(frozen=True, slots=True)
class Value:
    name: str
    meaning: str
    since: str | None = None


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
    source: str = CC_SUB
    example: str = ""
    plugin_ignored: bool = False  # Claude Code ignores it in plugin agents
    value_aliases: dict[str, str] = field(default_factory=dict)  # alias -> canonical
    # For an ``integer``: the smallest valid value (``AGT103`` below it; JSON Schema ``minimum``).
    minimum: int | None = None

    @property
    def value_names(self) -> list[str]:
        return [v.name for v in self.values]

    @property
    def constraint(self) -> str:
        """What a valid value is, in words, from the machine-readable constraint: "a positive
        integer" for an ``integer`` with ``minimum=1``; "" for the other types."""
        if self.type != "integer":
            return ""
        if self.minimum is None:
            return "an integer"
        if self.minimum == 1:
            return "a positive integer"
        if self.minimum == 0:
            return "a non-negative integer"
        return f"an integer of at least {self.minimum}"

    def out_of_range(self, number: int) -> bool:
        """``number`` breaks the constraint (for an ``integer``)."""
        return self.minimum is not None and number < self.minimum

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
          "Accepts the same values as the `--model` flag. Full model IDs are honoured since v2.1.74.",
          values=_MODEL_VALUES, default="inherit", since="2025-09 docs", example="model: sonnet"),
    Field("permissionMode", "enum", "How the agent handles permission prompts.",
          "Ignored for plugin agents, and when the parent session is in `auto`, "
          "`bypassPermissions` or `acceptEdits` mode.",
          values=_values(
              ("default", "Ask for permission as usual."),
              ("acceptEdits", "Accept file edits without asking."),
              ("auto", "Let a classifier approve safe actions.", "2026-04-02 docs"),
              ("dontAsk", "Deny anything not pre-approved instead of asking."),
              ("bypassPermissions", "Skip every permission prompt (dangerous)."),
              ("plan", "Read-only planning: no edits or commands."),
              ("manual", "Alias of `default`.", "2.1.200"),
          ),
          legacy=(Legacy("ignore", "default", "documented 2025-11 to 2026-01, no longer a mode"),
                  Legacy("delegate", "default", "documented briefly in 2026-02, no longer a mode")),
          default="the parent's mode", since="2.0.43", plugin_ignored=True,
          example="permissionMode: acceptEdits"),
    Field("maxTurns", "integer", "Maximum number of agentic turns before the agent stops.",
          minimum=1, default="unlimited", since="2026-02 docs", example="maxTurns: 20"),
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
          "Ignored for plugin agents; project-agent hooks need workspace trust.",
          since="2.1.0", plugin_ignored=True),
    Field("memory", "enum", "Persistent memory scope for the agent.",
          "Gives the agent a memory directory and enables Read, Write and Edit for it.",
          values=_values(
              ("user", "`~/.claude/agent-memory/<name>/`: shared across projects."),
              ("project", "`.claude/agent-memory/<name>/`: checked in with the project."),
              ("local", "`.claude/agent-memory-local/<name>/`: this machine only."),
          ), since="2.1.33", example="memory: project"),
    Field("background", "boolean", "Run the agent as a background task.",
          values=_values(("true", "Run in the background."), ("false", "Run in the foreground.")),
          default="false", since="2.1.49", example="background: true"),
    Field("effort", "enum", "Reasoning effort; available levels depend on the model.",
          values=_EFFORT, default="the session's effort", since="2.1.78", example="effort: high"),
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

_SKILL_COMMON: list[Field] = [
    Field("description", "string", "What it does and when to use it.",
          "Shown in the skill listing (with `when_to_use`, truncated at 1,536 characters).",
          source=CC_SKILLS),
    Field("when_to_use", "string", "Extra trigger guidance appended to the description.", source=CC_SKILLS),
    Field("argument-hint", "string", "Hint shown in autocomplete, e.g. `[issue-number]`. Quote it.",
          source=CC_SKILLS),
    Field("arguments", "names", "Named `$name` placeholders.", source=CC_SKILLS),
    Field("disable-model-invocation", "boolean", "Stop Claude from invoking it automatically.",
          default="false", source=CC_SKILLS),
    Field("user-invocable", "boolean", "Show it in the `/` menu.", default="true", source=CC_SKILLS),
    Field("allowed-tools", "tools", "Tools pre-approved while it runs (specifiers allowed).", source=CC_SKILLS),
    Field("disallowed-tools", "tools", "Tools removed while it runs.", source=CC_SKILLS),
    Field("model", "model", "Model override for the turn.", values=_MODEL_VALUES, source=CC_SKILLS),
    Field("effort", "enum", "Reasoning effort override.", values=_EFFORT, source=CC_SKILLS),
    Field("context", "enum", "`fork` runs it in a forked subagent.",
          values=_values(("fork", "Run in a forked subagent context.")), source=CC_SKILLS),
    Field("agent", "string", "Subagent type used with `context: fork`.", source=CC_SKILLS),
    Field("background", "boolean", "Run in the background (with `context: fork`).", source=CC_SKILLS),
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
    "WorktreeRemove PreCompact PostCompact Elicitation ElicitationResult SessionEnd"
).split()
