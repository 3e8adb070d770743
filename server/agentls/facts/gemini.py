"""Gemini CLI subagents (``.gemini/agents/*.md``): frontmatter fields and tool names.

Gemini CLI reads the frontmatter with js-yaml and validates it with a strict zod schema
(``localAgentSchema`` / ``remoteAgentSchema`` in ``packages/core/src/agents/agentLoader.ts``):
a file whose frontmatter is missing, is not YAML, has a key the schema does not define, a
value of the wrong type, a non-positive ``max_turns``/``timeout_mins`` or a tool name
``isValidToolName`` rejects is *not loaded* (``AgentLoadError``, listed by ``/agents``).
That is why most Gemini findings are errors, where the Claude Code ones are warnings.

Sources (retrieved 2026-12-03 from the stored copies; the research notes are
``agent-format.md`` §3.7 and ``agent-format-2026-12.md`` §4):

* :data:`DOCS` -- the subagents page (``docs/core/subagents.md`` @0badfc26): the field table,
  wildcards, ``temperature`` 0.0-2.0, defaults ``max_turns`` 30 and ``timeout_mins`` 10.
* :data:`LOADER` -- ``agentLoader.ts`` (@07ab16db, 2026-05, Gemini CLI 0.40.x): the schema
  with ``.strict()``, ``tools`` an array validated with ``isValidToolName(..., {allowWildcards:
  true})`` (PR #22069, 2026-03-11), and ``mcp_servers`` (the docs write ``mcpServers``).
* :data:`TOOL_NAMES` -- ``packages/core/src/tools/tool-names.ts`` and
  ``definitions/base-declarations.ts``: the built-in tool names, the legacy alias
  ``search_file_content`` and the ``discovered_tool_`` prefix.
"""

from __future__ import annotations

import re

from agentls.facts.fields import Field, Value

TARGET = "gemini"
DISPLAY = "Gemini CLI"
DOCS = "https://github.com/google-gemini/gemini-cli/blob/main/docs/core/subagents.md"
LOADER = "https://github.com/google-gemini/gemini-cli/blob/main/packages/core/src/agents/agentLoader.ts"
TOOL_NAMES = "https://github.com/google-gemini/gemini-cli/blob/main/packages/core/src/tools/tool-names.ts"
RETRIEVED = "2026-12-03"

# The name must be a slug (``nameSchema``): it becomes the tool the main agent calls.
NAME_PATTERN = re.compile(r"[a-z0-9_-]+")
# The documented temperature range (the loader takes any number; the model API refuses others).
TEMPERATURE_RANGE = (0.0, 2.0)

# Gemini CLI's model aliases (``packages/core/src/config/models.ts``) and current model IDs.
# Any string is passed through to the API, so this list feeds completion and hover only.
MODELS: dict[str, str] = {
    "inherit": "Use the main session's model (the default).",
    "auto": "Let Gemini CLI pick a Pro or Flash model per task.",
    "pro": "The current Gemini Pro model.",
    "flash": "The current Gemini Flash model.",
    "flash-lite": "The current Gemini Flash-Lite model.",
    "gemini-3-pro-preview": "Gemini 3 Pro (preview).",
    "gemini-3-flash-preview": "Gemini 3 Flash (preview).",
    "gemini-2.5-pro": "Gemini 2.5 Pro.",
    "gemini-2.5-flash": "Gemini 2.5 Flash.",
    "gemini-2.5-flash-lite": "Gemini 2.5 Flash-Lite.",
}

# Built-in tool names (``ALL_BUILTIN_TOOL_NAMES``) and what each does, with Claude Code's
# nearest equivalent (for "did you mean" when a Claude Code name is written here).
TOOLS: dict[str, tuple[str, str | None]] = {
    "read_file": ("Read one file.", "Read"),
    "read_many_files": ("Read several files by path or glob.", "Read"),
    "write_file": ("Create or overwrite a file.", "Write"),
    "replace": ("Edit a file by replacing text.", "Edit"),
    "glob": ("Find files by glob pattern.", "Glob"),
    "grep_search": ("Search file contents with a regular expression.", "Grep"),
    "list_directory": ("List a directory.", None),
    "run_shell_command": ("Run a shell command.", "Bash"),
    "web_fetch": ("Fetch and read URLs.", "WebFetch"),
    "google_web_search": ("Search the web with Google Search.", "WebSearch"),
    "save_memory": ("Save a fact to long-term memory (GEMINI.md).", None),
    "write_todos": ("Maintain a todo list.", "TodoWrite"),
    "activate_skill": ("Activate an Agent Skill.", "Skill"),
    "ask_user": ("Ask the user a question.", "AskUserQuestion"),
    "get_internal_docs": ("Read Gemini CLI's own documentation.", None),
    "enter_plan_mode": ("Switch to plan mode.", "EnterPlanMode"),
    "exit_plan_mode": ("Present a plan and leave plan mode.", "ExitPlanMode"),
    "update_topic": ("Update the conversation's topic context.", None),
    "tracker_create_task": ("Create a task in the task tracker.", "TaskCreate"),
    "tracker_update_task": ("Update a tracked task.", "TaskUpdate"),
    "tracker_get_task": ("Read a tracked task.", "TaskGet"),
    "tracker_list_tasks": ("List tracked tasks.", "TaskList"),
    "tracker_add_dependency": ("Add a dependency between tracked tasks.", None),
    "tracker_visualize": ("Show the task graph.", None),
}
# Old names still accepted (``TOOL_LEGACY_ALIASES``).
LEGACY_TOOLS: dict[str, str] = {"search_file_content": "grep_search"}
# Wildcards a subagent's ``tools`` may use (docs "Tool wildcards").
WILDCARDS: dict[str, str] = {
    "*": "Every built-in and discovered tool (subagents still cannot call other subagents).",
    "mcp_*": "Every tool of every connected MCP server.",
}
DISCOVERED_PREFIX = "discovered_tool_"
# ``mcp_<server>_<tool>`` and ``mcp_<server>_*`` (``isValidToolName``): the server is what
# lies between the first and the second ``_``; server and tool are slugs of letters, digits,
# ``_ . : -``, and a tool of underscores only is refused.
_SLUG = re.compile(r"[A-Za-z0-9_.:-]+")
# Built-in subagents: not tools a subagent may list (subagents cannot call subagents).
BUILTIN_AGENTS: dict[str, str] = {
    "codebase_investigator": "Analyses the codebase and its dependencies.",
    "cli_help": "Answers questions about Gemini CLI.",
    "generalist_agent": "Routes tasks to specialised subagents.",
    "browser_agent": "Automates a web browser (experimental).",
}


def tool_status(name: str) -> str | None:
    """``"builtin"``, ``"legacy"``, ``"wildcard"``, ``"mcp"`` or ``"discovered"`` when Gemini
    CLI accepts ``name`` in a subagent's ``tools``; ``None`` when it refuses the agent."""
    if name in TOOLS:
        return "builtin"
    if name in LEGACY_TOOLS:
        return "legacy"
    if name in WILDCARDS:
        return "wildcard"
    if name.startswith(DISCOVERED_PREFIX):
        return "discovered"
    if name.startswith("mcp_") and mcp_parts(name) is not None:
        return "mcp"
    return None


def mcp_parts(name: str) -> tuple[str, str] | None:
    """``(server, tool)`` of a well-formed ``mcp_<server>_<tool>`` (tool ``*``: every tool)."""
    server, sep, tool = name[4:].partition("_")
    if not name.startswith("mcp_") or not sep or not server or not tool:
        return None
    if not _SLUG.fullmatch(server) or tool != "*" and (not _SLUG.fullmatch(tool) or not tool.strip("_")):
        return None
    return server, tool


def tool_docs(name: str) -> str:
    """Markdown for hover and completion."""
    status = tool_status(name)
    if status == "builtin":
        meaning, claude = TOOLS[name]
        same = f" Claude Code's nearest tool is `{claude}`." if claude else ""
        return f"**`{name}`** (Gemini CLI tool)\n\n{meaning}{same}\n\nSource: {TOOL_NAMES}\n"
    if status == "legacy":
        return f"**`{name}`** (legacy Gemini CLI tool name)\n\nStill accepted; the current name is `{LEGACY_TOOLS[name]}`.\n"
    if status == "wildcard":
        return f"**`{name}`** (wildcard)\n\n{WILDCARDS[name]}\n\nSource: {DOCS}\n"
    if status == "mcp":
        return f"**`{name}`** (MCP tool)\n\nA tool of an MCP server, written `mcp_<server>_<tool>`; `mcp_<server>_*` is every tool of that server.\n"
    if status == "discovered":
        return f"**`{name}`** (discovered tool)\n\nA tool found by the configured tool discovery command.\n"
    return ""


def _values(*pairs: tuple[str, str]) -> tuple[Value, ...]:
    return tuple(Value(*p) for p in pairs)


_LOCAL = "local agents only"
_REMOTE = "`kind: remote` agents only"

AGENT_FIELDS: dict[str, Field] = {f.key: f for f in [
    Field("name", "string", "Unique slug: lowercase letters, digits, `-` and `_`.",
          "Used as the name of the tool the main agent calls, and after `@` in a prompt. Gemini CLI "
          "refuses an agent whose name is not a slug (`Name must be a valid slug`).",
          required=True, source=DOCS, example="name: security-auditor"),
    Field("description", "string", "What the agent does; the main agent reads it to decide when to call it.",
          "Required (non-empty) for a local agent; optional for a remote one.",
          required=True, source=DOCS,
          example="description: Finds security vulnerabilities in code. Use for security reviews."),
    Field("kind", "enum", "`local` (the default) or `remote` (an Agent2Agent server).",
          values=_values(("local", "Runs in this Gemini CLI session with its own prompt and tools."),
                         ("remote", "A remote agent reached with the A2A protocol (`agent_card_url`).")),
          default="local", source=DOCS, example="kind: local"),
    Field("display_name", "string", "Name shown in the UI instead of `name`.", source=LOADER),
    Field("tools", "toollist", "Tool names the agent may use, as a YAML list; omit to inherit every tool.",
          "A YAML list (a comma-separated string is refused: `Expected array, received string`). "
          "Built-in names such as `read_file`, `grep_search`, `run_shell_command`; wildcards `*`, "
          "`mcp_*` and `mcp_<server>_*`; MCP tools `mcp_<server>_<tool>`. A name Gemini CLI does not "
          "know makes it refuse the agent (`Invalid tool name`). " + _LOCAL + ".",
          default="every tool of the parent session", source=DOCS,
          example="tools:\n  - read_file\n  - grep_search"),
    Field("mcp_servers", "mapping", "MCP servers only this agent uses: `{name: {command, args, ...}}`.",
          "The loader's spelling (the docs write `mcpServers`). " + _LOCAL + ".", source=LOADER,
          example="mcp_servers:\n  my-server:\n    command: node\n    args: [server.js]"),
    Field("model", "enum", "Model the agent runs on; `inherit` (the default) uses the session's model.",
          "Any string is passed to the API: an alias (`auto`, `pro`, `flash`, `flash-lite`) or a model "
          "ID such as `gemini-2.5-pro`.",
          values=tuple(Value(k, v) for k, v in MODELS.items()), default="inherit", source=DOCS,
          example="model: gemini-2.5-pro"),
    Field("temperature", "number", "Sampling temperature, 0.0 to 2.0.",
          "A number from 0.0 to 2.0 (the documented range; the model API refuses other values).",
          default="1", source=DOCS, example="temperature: 0.2"),
    Field("max_turns", "integer", "Maximum conversation turns before the agent must return.",
          minimum=1, default="30", source=DOCS, example="max_turns: 10"),
    Field("timeout_mins", "integer", "Maximum run time in minutes.",
          minimum=1, default="10", source=DOCS, example="timeout_mins: 5"),
    Field("agent_card_url", "string", "URL of the remote agent's A2A agent card.",
          "Required for `kind: remote` (a file with it and no `kind` is read as remote). " + _REMOTE + ".",
          source=LOADER),
    Field("auth", "mapping", "Authentication for the remote agent (`type: apiKey` or `http`).",
          _REMOTE + ".", source=LOADER),
]}

# Which keys each kind of agent takes (the two strict schemas).
LOCAL_KEYS = frozenset({"kind", "name", "description", "display_name", "tools", "model", "temperature",
                        "max_turns", "timeout_mins", "mcp_servers"})
# The docs' spelling of ``mcp_servers``, which the loader's strict schema refuses (2026-03 to
# 2026-05, Gemini CLI 0.40): reported by its own rule, not offered by completion.
DOCUMENTED_MCP_KEY = "mcpServers"
REMOTE_KEYS = frozenset({"kind", "name", "description", "display_name", "agent_card_url", "auth"})

# Keys of other tools' formats, and what to write instead in a Gemini CLI agent.
FOREIGN_KEYS: dict[str, str] = {
    "maxTurns": "max_turns",
    "timeout": "timeout_mins",
    "allowed-tools": "tools",
    "disallowedTools": "",
    "permissionMode": "",
    "color": "",
    "mode": "",
    "mcp-servers": "mcp_servers",
}

FIELDS_BY_KIND: dict[str, dict[str, Field]] = {"agent": AGENT_FIELDS}
