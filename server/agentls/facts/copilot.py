"""GitHub Copilot custom agents, prompt files and instructions files.

* Custom agents: ``.github/agents/*.agent.md`` (VS Code reads any ``.md`` there),
  ``*.agent.md``, read by the Copilot cloud agent on github.com, the Copilot CLI and VS Code.
* Prompt files: ``.github/prompts/*.prompt.md`` (VS Code, run as ``/name``).
* Instructions files: ``.github/instructions/**/*.instructions.md`` (``applyTo`` globs).

Neither GitHub nor VS Code documents refusing a file for an unknown key or a bad value:
VS Code's editor flags them and ignores them, GitHub ignores unrecognised tool names "to
ensure compatibility". So the Copilot findings are warnings, except a custom agent
without the ``description`` GitHub requires.

Sources (retrieved 2026-12-03 from the stored copies; research notes ``agent-format.md``
§3.4 and ``agent-format-2026-12.md`` §4):

* :data:`GH_AGENTS` -- docs.github.com "Custom agents configuration" (github/docs
  ``content/copilot/reference/custom-agents-configuration.md`` @03e038c5): the property
  table, the tool aliases, "The prompt can be a maximum of 30,000 characters".
* :data:`VS_AGENTS` -- VS Code "Custom agents" (microsoft/vscode-docs, DateApproved
  2026-07-29): ``argument-hint``, ``agents``, ``model`` as a list, ``handoffs``, ``hooks``.
* :data:`VS_PROMPTS`, :data:`VS_INSTRUCTIONS` -- VS Code prompt files and custom
  instructions (2026-07-29); :data:`GH_INSTRUCTIONS` for ``excludeAgent``.
"""

from __future__ import annotations

from agentls.facts.fields import Field, Value

TARGET = "copilot"
DISPLAY = "GitHub Copilot"
GH_AGENTS = "https://docs.github.com/en/copilot/reference/custom-agents-configuration"
VS_AGENTS = "https://code.visualstudio.com/docs/copilot/customization/custom-agents"
VS_PROMPTS = "https://code.visualstudio.com/docs/copilot/customization/prompt-files"
VS_INSTRUCTIONS = "https://code.visualstudio.com/docs/copilot/customization/custom-instructions"
GH_INSTRUCTIONS = ("https://docs.github.com/en/copilot/how-tos/configure-custom-instructions/"
                   "add-repository-instructions")
RETRIEVED = "2026-12-03"

# "The prompt can be a maximum of 30,000 characters" (the Markdown below the frontmatter).
BODY_LIMIT = 30_000

# Tool aliases, case-insensitive (GitHub's "Tool aliases" table): primary alias ->
# (purpose, compatible aliases, Claude Code's equivalent tools).
TOOL_ALIASES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "execute": ("Run a command in the shell of the operating system.", ("shell", "Bash", "powershell"), ("Bash",)),
    "read": ("Read file contents.", ("Read", "NotebookRead"), ("Read",)),
    "edit": ("Edit files.", ("Edit", "MultiEdit", "Write", "NotebookEdit"), ("Edit",)),
    "search": ("Search for files or text in files.", ("Grep", "Glob"), ("Grep", "Glob")),
    "agent": ("Invoke another custom agent.", ("custom-agent", "Task"), ("Agent",)),
    "web": ("Fetch URLs and search the web (not on the cloud agent).", ("WebSearch", "WebFetch"),
            ("WebSearch", "WebFetch")),
    "todo": ("Manage a structured task list (VS Code; not on the cloud agent).", ("TodoWrite",), ("TodoWrite",)),
}
# Out-of-the-box MCP servers of the cloud agent, referenced as ``server/tool`` or ``server/*``.
MCP_SERVERS: dict[str, str] = {
    "github": "GitHub's MCP server: read-only tools, scoped to the repository.",
    "playwright": "Playwright's MCP server, limited to localhost.",
}


def alias_of(name: str) -> str | None:
    """The primary alias ``name`` stands for (any case), or ``None``."""
    low = name.lower()
    for primary, (_, compatible, _claude) in TOOL_ALIASES.items():
        if low == primary or low in {c.lower() for c in compatible}:
            return primary
    return None


def tool_docs(name: str) -> str:
    primary = alias_of(name)
    if primary is not None:
        purpose, compatible, _claude = TOOL_ALIASES[primary]
        same = ", ".join(f"`{c}`" for c in compatible)
        return (f"**`{name}`** (Copilot tool alias `{primary}`)\n\n{purpose}\n\n"
                f"Compatible aliases: {same}. Aliases are case-insensitive.\n\nSource: {GH_AGENTS}\n")
    server, slash, tool = name.partition("/")
    if slash and server:
        what = "every tool" if tool == "*" else f"the tool `{tool}`"
        known = f" {MCP_SERVERS[server]}" if server in MCP_SERVERS else ""
        return f"**`{name}`**\n\n{what[:1].upper()}{what[1:]} of the MCP server or tool set `{server}`.{known}\n"
    if name == "*":
        return "**`*`**\n\nEvery available tool (the same as omitting `tools`).\n"
    return ""


def _values(*pairs: tuple[str, str]) -> tuple[Value, ...]:
    return tuple(Value(*p) for p in pairs)


_BOOL = _values(("true", "Yes."), ("false", "No."))
_GH_ONLY = "Not used by VS Code and other IDEs."
_VS_ONLY = "VS Code only; ignored on github.com."

AGENT_FIELDS: dict[str, Field] = {f.key: f for f in [
    Field("name", "string", "Display name; defaults to the file name.", source=GH_AGENTS, example="name: reviewer"),
    Field("description", "string", "The agent's purpose and capabilities.",
          "Required by GitHub (the cloud agent and the Copilot CLI); VS Code shows it as the chat "
          "input's placeholder.", required=True, source=GH_AGENTS,
          example="description: Reviews pull requests for security issues."),
    Field("target", "enum", "Where the agent is offered; unset: both.",
          values=_values(("vscode", "VS Code (and other IDEs) only."),
                         ("github-copilot", "The Copilot cloud agent and CLI only.")),
          default="both", source=GH_AGENTS, example="target: github-copilot"),
    Field("tools", "toollist", "Tools the agent may use: a list or a comma-separated string.",
          "Tool names or aliases (`read`, `edit`, `search`, `execute`, `agent`, `web`, `todo`; "
          "case-insensitive), `server/tool` and `server/*` for MCP tools, `*` for all. `[]` disables "
          "every tool; unrecognised names are ignored.",
          default="every tool", source=GH_AGENTS, example="tools: [read, edit, search]"),
    Field("model", "stringlist", "Model to use: a name, or (VS Code) a list tried in order.",
          "GitHub takes one string; VS Code also accepts a prioritised list.",
          default="the default model", source=GH_AGENTS, example="model: GPT-5 (copilot)"),
    Field("disable-model-invocation", "boolean", "Stop Copilot from choosing the agent by itself.",
          "Equivalent to `infer: false`, and wins when both are set.",
          values=_BOOL, default="false", source=GH_AGENTS),
    Field("user-invocable", "boolean", "Whether a user can select the agent.",
          values=_BOOL, default="true", source=GH_AGENTS),
    Field("infer", "boolean", "Retired: use `disable-model-invocation` and `user-invocable`.",
          "`infer: false` is `disable-model-invocation: true`.",
          values=_BOOL, default="true", source=GH_AGENTS),
    Field("mcp-servers", "mapping", "MCP servers for the agent (YAML form of the MCP JSON configuration).",
          "`stdio` servers are mapped to `local`; `${{ secrets.X }}`, `${{ vars.X }}`, `$X` and "
          "`${X:-default}` are expanded. " + _GH_ONLY, source=GH_AGENTS),
    Field("metadata", "mapping", "Name/value pairs (strings) annotating the agent. " + _GH_ONLY, source=GH_AGENTS),
    Field("argument-hint", "string", "Hint shown in the chat input. " + _VS_ONLY, source=VS_AGENTS),
    Field("agents", "list", "Subagents this agent may call (`*`: all, `[]`: none); needs the `agent` tool.",
          _VS_ONLY, source=VS_AGENTS),
    Field("handoffs", "list", "Buttons that hand the conversation to another agent.",
          "Each item: `label`, `agent`, `prompt`, `send` (boolean, default false), `model`. " + _VS_ONLY,
          source=VS_AGENTS,
          example="handoffs:\n  - label: Implement\n    agent: implementer\n    prompt: Implement the plan."),
    Field("hooks", "mapping", "Hooks while the agent runs (VS Code preview, `chat.useCustomAgentHooks`).",
          source=VS_AGENTS),
]}

HANDOFF_KEYS: dict[str, str] = {"label": "string", "agent": "string", "prompt": "string", "send": "boolean",
                                "model": "string"}

PROMPT_FIELDS: dict[str, Field] = {f.key: f for f in [
    Field("description", "string", "What the prompt does.", source=VS_PROMPTS),
    Field("name", "string", "The name typed after `/`; defaults to the file name.", source=VS_PROMPTS),
    Field("argument-hint", "string", "Hint shown in the chat input.", source=VS_PROMPTS),
    Field("agent", "string", "Agent that runs the prompt: `ask`, `agent`, `plan` or a custom agent's name.",
          "Default: the current agent (`agent` when `tools` is set).",
          values=_values(("ask", "Answer questions without editing."), ("agent", "Edit and run tools."),
                         ("plan", "Plan before implementing.")), source=VS_PROMPTS),
    Field("model", "string", "Model for the prompt; default: the model picker's.", source=VS_PROMPTS),
    Field("tools", "toollist", "Tools (or tool sets) available to the prompt.", source=VS_PROMPTS),
    Field("mode", "enum", "Deprecated: use `agent`.",
          values=_values(("ask", "Use `agent: ask`."), ("edit", "Use `agent: agent`."),
                         ("agent", "Use `agent: agent`.")),
          source=VS_PROMPTS),
]}

INSTRUCTIONS_FIELDS: dict[str, Field] = {f.key: f for f in [
    Field("name", "string", "Display name; defaults to the file name.", source=VS_INSTRUCTIONS),
    Field("description", "string", "What the instructions are for (shown on hover).", source=VS_INSTRUCTIONS),
    Field("applyTo", "globs", "Files the instructions apply to: a glob, several separated by commas, `**` for all.",
          "Paths are relative to the workspace root. Without `applyTo` the file is only used when "
          "attached by hand.", source=VS_INSTRUCTIONS, example='applyTo: "**/*.ts,**/*.tsx"'),
    Field("excludeAgent", "enum", "Hide the instructions from one GitHub agent.",
          "GitHub's documentation seen (2026-07) lists `code-review` and `coding-agent`; "
          "repositories also write `cloud-agent` since the coding agent was renamed.",
          values=_values(("code-review", "Not used by Copilot code review."),
                         ("coding-agent", "Not used by the Copilot cloud (coding) agent."),
                         ("cloud-agent", "The cloud agent's newer name (not in the docs seen).")),
          source=GH_INSTRUCTIONS),
]}

# Deprecated keys: key -> (what replaces it, why).
DEPRECATED_KEYS: dict[str, dict[str, tuple[str, str]]] = {
    "agent": {"infer": ("disable-model-invocation",
                        "GitHub retired `infer`; `disable-model-invocation` (and `user-invocable`) replace it")},
    "prompt": {"mode": ("agent", "VS Code 1.106 renamed chat modes to agents: `mode:` became `agent:`")},
}

FIELDS_BY_KIND: dict[str, dict[str, Field]] = {
    "agent": AGENT_FIELDS, "prompt": PROMPT_FIELDS, "instructions": INSTRUCTIONS_FIELDS}
