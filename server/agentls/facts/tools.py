"""Claude Code tool names, current to Claude Code 2.1.296 (docs of 2026-10-10).

Source: https://code.claude.com/docs/en/tools-reference and its history; the renamed and
removed names from the changelog. See ``agent-format.md`` §2 and ``agent-format-2026-12.md``
§1 in the project's research.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentls.facts import copilot, gemini
from agentls.facts.versions import (
    CC_CHANGELOG,
    CC_SUB,
    CC_TOOLS,
    COPILOT_AGENTS,
    GEMINI_TOOLS,
    OPENCODE_TOOLS,
    VSCODE_AGENTS,
)


@dataclass(frozen=True, slots=True)
class Tool:
    name: str
    meaning: str
    permission: bool = False  # needs a permission prompt
    subagents: bool = True  # False: never available to subagents
    since: str | None = None
    source: str = CC_TOOLS
    # Kept by a subagent that runs in the background (the fixed built-in set a background
    # subagent keeps, plus every MCP tool); False: foreground only.
    background: bool = False
    # Offered by default only on older models (Claude 3.x, Opus 4-4.7, Sonnet 4-4.6, Haiku 4.5):
    # on Claude 5 models a list of only these matches no tool.
    older_models_only: bool = False


_TOOLS: list[Tool] = [
    Tool("Agent", "Spawn a subagent; `Agent(a, b)` limits which types a main-thread agent may spawn."),
    Tool("Artifact", "Publish an artifact (claude.ai plans only).", True),
    Tool("AskUserQuestion", "Ask the user a multiple-choice question.", subagents=False),
    Tool("Bash", "Run shell commands.", True),
    Tool("CronCreate", "Schedule a recurring prompt."),
    Tool("CronDelete", "Cancel a scheduled prompt."),
    Tool("CronList", "List scheduled prompts."),
    Tool("Edit", "Make targeted edits to files.", True),
    Tool("EndConversation", "End the conversation.", subagents=False, since="2.1.213"),
    Tool("EnterPlanMode", "Switch to plan mode.", subagents=False),
    Tool("EnterWorktree", "Create and enter a git worktree."),
    Tool("ExitWorktree", "Leave the current git worktree."),
    Tool("ExitPlanMode", "Present a plan and leave plan mode (subagents: only with `permissionMode: plan`).", True),
    Tool("Glob", "Find files by name pattern."),
    Tool("Grep", "Search file contents with regular expressions."),
    Tool("ListAgents", "List agents for cross-session messaging.", since="2.1.224"),
    Tool("ListMcpResourcesTool", "List resources exposed by MCP servers."),
    Tool("ReadMcpResourceTool", "Read a resource from an MCP server."),
    Tool("LSP", "Code intelligence from language servers (definitions, references, diagnostics)."),
    Tool("Monitor", "Watch a background process and react to its output.", True, since="2.1.98"),
    Tool("NotebookEdit", "Edit Jupyter notebook cells.", True),
    Tool("PowerShell", "Run PowerShell commands.", True, since="2.1.84"),
    Tool("PushNotification", "Send a push notification to the user."),
    Tool("Read", "Read files (text, images, PDFs, notebooks)."),
    Tool("RemoteTrigger", "Trigger a remote agent run."),
    Tool("ReportFindings", "Report structured review findings.", since="2.1.196"),
    Tool("ScheduleWakeup", "Schedule the session to resume later.", subagents=False),
    Tool("SendFeedback", "Draft a feedback report about Claude Code and queue it on your machine for review "
         "(nothing is sent until you choose to).", since="2.1.238"),
    Tool("SendMessage", "Send a message to another agent or teammate."),
    Tool("SendUserFile", "Send a file to the user."),
    Tool("ShareOnboardingGuide", "Share an onboarding guide.", True),
    Tool("SubagentHandback", "Hand a background subagent's work back to the main conversation "
         "(part of the set a background subagent keeps).",
         since="2.1.271", source=CC_SUB),
    Tool("Skill", "Invoke a skill (to preload skills into an agent use `skills:` instead)."),
    Tool("TaskCreate", "Create a task in the task list."),
    Tool("TaskGet", "Read a task from the task list."),
    Tool("TaskList", "List tasks."),
    Tool("TaskUpdate", "Update a task."),
    Tool("TaskOutput", "Read a background task's output (deprecated: Read the output file).", subagents=False),
    Tool("TaskStop", "Stop a background task."),
    Tool("TodoWrite", "Maintain a todo list (off by default in favour of the Task* tools)."),
    Tool("ToolSearch", "Search for deferred tools, such as MCP tools, and load them."),
    Tool("WaitForMcpServers", "Wait for MCP servers to connect.", subagents=False),
    Tool("WebFetch", "Fetch a URL and read its content.", True),
    Tool("WebSearch", "Search the web.", True),
    Tool("Workflow", "Run a workflow.", True, subagents=False),
    Tool("Write", "Create or overwrite files.", True),
]

# The built-in tools a background subagent keeps (every MCP tool too; `Agent` and
# `ExitPlanMode` by the usual rules). Source: sub-agents docs, 2026-09-16 (agent-format-2026-12 §1).
BACKGROUND_TOOLS = frozenset({
    "Read", "Grep", "Glob", "Bash", "PowerShell", "Edit", "Write", "NotebookEdit", "WebFetch", "WebSearch",
    "TodoWrite", "Skill", "ToolSearch", "EnterWorktree", "ExitWorktree", "Monitor", "TaskStop", "SendMessage",
    "Artifact", "SubagentHandback", "Agent", "ExitPlanMode"})
# Task tools offered by default only on older models (tools-reference, 2026-09/10; v2.1.233).
OLDER_MODEL_TOOLS = frozenset({"TaskCreate", "TaskGet", "TaskList", "TaskUpdate", "TodoWrite"})
# Absent by default on macOS, Linux and WSL, restored when a subagent's `tools` names them.
NAMED_ONLY_TOOLS = frozenset({"Glob", "Grep"})
# When the background default began (fork mode).
BACKGROUND_DEFAULT_SINCE = "2.1.232"

TOOLS: dict[str, Tool] = {t.name: Tool(
    t.name, t.meaning, t.permission, t.subagents, t.since, t.source, t.name in BACKGROUND_TOOLS,
    t.name in OLDER_MODEL_TOOLS) for t in _TOOLS}


@dataclass(frozen=True, slots=True)
class OldTool:
    name: str
    replacement: str | None  # the current name, or None when nothing replaces it
    status: str  # "alias" (still accepted) or "removed" (ignored)
    history: str  # what happened and when, not naming the replacement: "removed by v2.0.32"
    why: str = ""  # why the replacement serves: "which makes the same edits"
    until: str | None = None  # the Claude Code version that removed (or renamed) it, where known
    source: str = CC_CHANGELOG

    @property
    def advice(self) -> str:
        """What to write instead, said once: "use `Edit`, which makes the same edits"."""
        if self.replacement is None:
            return "remove it"
        return f"use `{self.replacement}`" + (f", {self.why}" if self.why else "")


OLD_TOOLS: dict[str, OldTool] = {t.name: t for t in [
    OldTool("Task", "Agent", "alias", "renamed in v2.1.63; still accepted as an alias", source=CC_SUB),
    OldTool("MultiEdit", "Edit", "removed", "removed by v2.0.32", "which makes the same edits",
            "2.0.32"),
    OldTool("LS", "Glob", "removed", "removed in 2025", "or `ls` through `Bash`"),
    OldTool("NotebookRead", "Read", "removed", "removed in 2025", "which reads notebooks"),
    OldTool("TodoRead", "TodoWrite", "removed", "removed in July 2025", "which shows the list"),
    OldTool("View", "Read", "removed", "renamed in v0.2.82", until="0.2.82"),
    OldTool("LSTool", "Glob", "removed", "renamed `LS` in v0.2.82, which was later removed"),
    OldTool("BashOutput", "TaskOutput", "removed", "replaced in v2.0.64", until="2.0.64"),
    OldTool("AgentOutputTool", "TaskOutput", "removed", "replaced in v2.0.64", until="2.0.64"),
    OldTool("KillShell", "TaskStop", "removed", ""),
    OldTool("KillBash", "TaskStop", "removed", ""),
    OldTool("SlashCommand", "Skill", "removed", "commands merged into skills in v2.1.3", until="2.1.3"),
    OldTool("MCPSearch", "ToolSearch", "removed", "renamed by v2.1.20", until="2.1.20"),
    OldTool("TeamCreate", None, "removed", "removed in v2.1.178", until="2.1.178"),
    OldTool("TeamDelete", None, "removed", "removed in v2.1.178", until="2.1.178"),
]}


@dataclass(frozen=True, slots=True)
class ForeignTool:
    """A tool name from another agent tool's vocabulary, which Claude Code does not know."""

    name: str
    vocabularies: tuple[str, ...]  # whose name it is: "GitHub Copilot", "Gemini CLI", ...
    claude: tuple[str, ...]  # Claude Code's equivalent(s); () when there is none


COPILOT, VSCODE, GEMINI, OPENCODE = "GitHub Copilot", "VS Code", "Gemini CLI", "OpenCode"
# Where each vocabulary's tool names are documented (agent-format.md §3.4, §3.5, §3.7).
VOCABULARY_SOURCES: dict[str, str] = {
    COPILOT: COPILOT_AGENTS + " (tool aliases)",
    VSCODE: VSCODE_AGENTS + " (tool and tool-set names)",
    GEMINI: GEMINI_TOOLS,
    OPENCODE: OPENCODE_TOOLS,
}
# The order a vocabulary is named in when several share a name (`read`: Copilot and OpenCode).
VOCABULARIES = (COPILOT, VSCODE, GEMINI, OPENCODE)
# The tool (agentls.facts.targets) whose agent files use each vocabulary: VS Code's agents
# are GitHub Copilot's custom agents.
VOCABULARY_TARGETS: dict[str, str] = {COPILOT: "copilot", VSCODE: "copilot", GEMINI: "gemini",
                                      OPENCODE: "opencode"}
CASE_INSENSITIVE = {COPILOT}  # Copilot matches its tool aliases in any case


# Claude Code's names, current and old, in lower case: another tool's alias spelt like one
# (Copilot's compatible alias `powershell`) is not a foreign name.
_CLAUDE_NAMES = frozenset(n.lower() for n in (*TOOLS, *OLD_TOOLS))


def _foreign(rows: list[tuple[str, str, tuple[str, ...]]]) -> dict[str, ForeignTool]:
    merged: dict[str, ForeignTool] = {}
    for name, vocabulary, claude in rows:
        key = name.lower()
        old = merged.get(key)
        if old is None:
            merged[key] = ForeignTool(name, (vocabulary,), claude)
        else:
            assert old.claude == claude, f"{name}: vocabularies disagree on Claude Code's equivalent"
            merged[key] = ForeignTool(old.name, old.vocabularies + (vocabulary,), claude)
    return merged


# Keyed by the lower-cased name: Copilot's aliases are case-insensitive, and a name that
# differs from another tool's only in case is that tool's name, not a typo.
# Sources: agent-format.md §3.4 (GitHub custom-agents-configuration: tool aliases; VS Code
# tool and tool-set names), §3.5 and opencode.ai/docs/tools (OpenCode), §3.7 and
# google-gemini/gemini-cli docs/tools (Gemini CLI).
FOREIGN_TOOLS: dict[str, ForeignTool] = _foreign([
    # GitHub Copilot (cloud agent, CLI): its tool aliases (agentls.facts.copilot), the compatible
    # ones that are not Claude Code's own names (`shell`, `custom-agent`) included.
    *[(name, COPILOT, claude) for primary, (_, compatible, claude) in copilot.TOOL_ALIASES.items()
      for name in (primary, *(c for c in compatible if c.lower() not in _CLAUDE_NAMES))],
    # VS Code (custom agents, chat modes, prompt files).
    ("search", VSCODE, ("Grep", "Glob")), ("codebase", VSCODE, ()), ("fetch", VSCODE, ("WebFetch",)),
    ("runCommands", VSCODE, ("Bash",)), ("runInTerminal", VSCODE, ("Bash",)),
    ("getTerminalOutput", VSCODE, ()), ("terminalLastCommand", VSCODE, ()),
    ("terminalSelection", VSCODE, ()), ("editFiles", VSCODE, ("Edit",)), ("createFile", VSCODE, ("Write",)),
    ("createDirectory", VSCODE, ()), ("readFile", VSCODE, ("Read",)), ("listDirectory", VSCODE, ()),
    ("fileSearch", VSCODE, ("Glob",)), ("textSearch", VSCODE, ("Grep",)), ("problems", VSCODE, ()),
    ("usages", VSCODE, ()), ("changes", VSCODE, ()), ("findTestFiles", VSCODE, ()),
    ("testFailure", VSCODE, ()), ("runTests", VSCODE, ()), ("runTasks", VSCODE, ()),
    ("createAndRunTask", VSCODE, ()), ("githubRepo", VSCODE, ()), ("githubTextSearch", VSCODE, ()),
    ("openSimpleBrowser", VSCODE, ()), ("vscodeAPI", VSCODE, ()), ("extensions", VSCODE, ()),
    ("searchResults", VSCODE, ()), ("new", VSCODE, ()), ("think", VSCODE, ()),
    ("todos", VSCODE, ("TodoWrite",)), ("runSubagent", VSCODE, ("Agent",)),
    ("editNotebook", VSCODE, ("NotebookEdit",)), ("askQuestions", VSCODE, ()),
    # Gemini CLI: its own tool table (agentls.facts.gemini), its legacy names, and the
    # built-in subagent often listed as if it were a tool.
    *[(name, GEMINI, (claude,) if claude else ()) for name, (_, claude) in gemini.TOOLS.items()],
    *[(old, GEMINI, (gemini.TOOLS[new][1],)) for old, new in gemini.LEGACY_TOOLS.items()],
    ("codebase_investigator", GEMINI, ()),
    # OpenCode (lower-case names; `tools:` there is a map of name -> bool).
    ("bash", OPENCODE, ("Bash",)), ("read", OPENCODE, ("Read",)), ("edit", OPENCODE, ("Edit",)),
    ("write", OPENCODE, ("Write",)), ("grep", OPENCODE, ("Grep",)), ("glob", OPENCODE, ("Glob",)),
    ("list", OPENCODE, ()), ("patch", OPENCODE, ("Edit",)), ("apply_patch", OPENCODE, ("Edit",)),
    ("webfetch", OPENCODE, ("WebFetch",)), ("websearch", OPENCODE, ("WebSearch",)),
    ("todowrite", OPENCODE, ("TodoWrite",)), ("todoread", OPENCODE, ()), ("task", OPENCODE, ("Agent",)),
    ("skill", OPENCODE, ("Skill",)), ("lsp", OPENCODE, ("LSP",)), ("question", OPENCODE, ("AskUserQuestion",)),
])

# VS Code's qualified names (`read/readFile`, `web/fetch`): a tool-set prefix and a tool.
FOREIGN_TOOL_SETS = frozenset({"read", "search", "edit", "execute", "browser", "web", "agent", "vscode", "todo"})


def foreign_tool(name: str) -> ForeignTool | None:
    """The other vocabulary ``name`` belongs to, if any (case-insensitively)."""
    found = FOREIGN_TOOLS.get(name.lower())
    if found is not None and name != found.name:  # `GREP` is nobody's name but a mistyped `Grep`
        whose = tuple(v for v in found.vocabularies if v in CASE_INSENSITIVE)
        found = ForeignTool(name, whose, found.claude) if whose else None
    if found is None and "/" in name:
        prefix, _, rest = name.partition("/")
        if prefix.lower() in FOREIGN_TOOL_SETS:
            inner = FOREIGN_TOOLS.get(rest.lower())
            found = ForeignTool(name, (VSCODE,), inner.claude if inner else ())
    return found


# Tools whose parenthesised specifier a subagent's ``tools`` honours.
SPECIFIER_TOOLS = frozenset({"Agent", "Task"})  # the rules, completion and hover all ask this
