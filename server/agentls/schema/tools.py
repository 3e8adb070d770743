"""Claude Code tool names, as of the docs snapshot of 2026-08-22 (Claude Code v2.1.240).

Source: https://code.claude.com/docs/en/tools-reference and its history; the renamed and
removed names from the changelog. See ``agent-format.md`` §2 in the project's research.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Tool:
    name: str
    meaning: str
    permission: bool = False  # needs a permission prompt
    subagents: bool = True  # False: never available to subagents
    since: str | None = None


TOOLS: dict[str, Tool] = {t.name: t for t in [
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
    Tool("SendMessage", "Send a message to another agent or teammate."),
    Tool("SendUserFile", "Send a file to the user."),
    Tool("ShareOnboardingGuide", "Share an onboarding guide.", True),
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
]}


@dataclass(frozen=True, slots=True)
class OldTool:
    name: str
    replacement: str | None  # the current name, or None when nothing replaces it
    status: str  # "alias" (still accepted) or "removed" (ignored)
    note: str


OLD_TOOLS: dict[str, OldTool] = {t.name: t for t in [
    OldTool("Task", "Agent", "alias", "renamed `Agent` in v2.1.63; `Task` is still accepted as an alias"),
    OldTool("MultiEdit", "Edit", "removed", "removed by v2.0.32; `Edit` makes the same edits"),
    OldTool("LS", "Glob", "removed", "removed in 2025; use `Glob` (or `Bash` with `ls`)"),
    OldTool("NotebookRead", "Read", "removed", "removed in 2025; `Read` reads notebooks"),
    OldTool("TodoRead", "TodoWrite", "removed", "removed in July 2025; `TodoWrite` shows the list"),
    OldTool("View", "Read", "removed", "renamed `Read` in v0.2.82"),
    OldTool("LSTool", "Glob", "removed", "renamed `LS` in v0.2.82, later removed"),
    OldTool("BashOutput", "TaskOutput", "removed", "replaced by `TaskOutput` in v2.0.64"),
    OldTool("AgentOutputTool", "TaskOutput", "removed", "replaced by `TaskOutput` in v2.0.64"),
    OldTool("KillShell", "TaskStop", "removed", "replaced by `TaskStop`"),
    OldTool("KillBash", "TaskStop", "removed", "replaced by `TaskStop`"),
    OldTool("SlashCommand", "Skill", "removed", "folded into `Skill` when commands merged into skills (v2.1.3)"),
    OldTool("MCPSearch", "ToolSearch", "removed", "renamed `ToolSearch` (by v2.1.20)"),
    OldTool("TeamCreate", None, "removed", "removed in v2.1.178"),
    OldTool("TeamDelete", None, "removed", "removed in v2.1.178"),
]}

# Tools whose parenthesised specifier a subagent's ``tools`` honours.
SPECIFIER_TOOLS = {"Agent", "Task"}
