"""One way to build a workspace on disk: ``{relative path: text}`` written byte for byte."""

from __future__ import annotations

from pathlib import Path

# Where a fix fixture (tests/fixtures_fix/<kind>/) "lives": the kind and the file name matter
# (missing-name derives the name from it); the other tools' files (issue 14) are placed where
# their tool reads them.
VIRTUAL = {
    "agent": "/ws/.claude/agents/code-reviewer.md",
    "skill": "/ws/.claude/skills/code-review/SKILL.md",
    "command": "/ws/.claude/commands/review.md",
    "gemini-agent": "/ws/.gemini/agents/reviewer.md",
    "copilot-agent": "/ws/.github/agents/reviewer.agent.md",
    "copilot-prompt": "/ws/.github/prompts/review.prompt.md",
    "cursor-rule": "/ws/.cursor/rules/style.mdc",
    "cursor-agent": "/ws/.cursor/agents/verifier.md",
    "opencode-agent": "/ws/.opencode/agents/reviewer.md",
}


def write_files(root: Path, files: dict[str, str | bytes] | None = None) -> Path:
    """Write each ``relative path: text`` below ``root`` (creating folders) and return ``root``.

    Text is written as UTF-8 bytes exactly as given (no newline translation); ``bytes``
    are written as they are, for files that are not UTF-8.
    """
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in (files or {}).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return root


def make_workspace(root: Path, files: dict[str, str | bytes] | None = None) -> Path:
    """A Claude Code project: ``root/.claude/agents/`` (even with no files) plus ``files``."""
    (root / ".claude" / "agents").mkdir(parents=True, exist_ok=True)
    return write_files(root, files)


def workspace_fixture(name: str, files: dict[str, str | bytes] | None = None, *, scope: str = "module"):
    """A fixture returning :func:`make_workspace` of ``files`` in a fresh temporary folder
    named after ``name``: ``root = workspace_fixture("sync", {".claude/agents/a.md": TEXT})``."""
    import pytest

    @pytest.fixture(scope=scope)
    def fixture(tmp_path_factory):
        return make_workspace(tmp_path_factory.mktemp(name), files)

    return fixture
