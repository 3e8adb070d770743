"""agentls: a language server and linter for agent Markdown files."""

__version__ = "0.1.0"
