"""Which files are agent files, and of which kind, judged by where they live."""

from __future__ import annotations

import os
from pathlib import PurePath

# Files in an agents folder that are documentation by convention, not agents.
_DOC_NAMES = {"readme.md", "changelog.md", "contributing.md", "license.md"}


def classify(path: str | PurePath) -> tuple[str | None, bool]:
    """``(kind, plugin)`` for a path: kind is ``agent``, ``skill``, ``command`` or ``None``.

    * agents: ``.claude/agents/**/*.md`` (project, user, managed) and a plugin's
      ``agents/**/*.md``; an ``agents`` folder inside a skill is a skill's resource.
    * skills: ``**/skills/<name>/SKILL.md``.
    * commands: ``.claude/commands/**/*.md`` and a plugin's ``commands/**/*.md``.
    """
    # Plain string splitting: this runs once per file of a 10,000-file workspace, and
    # PurePath parsing would dominate it.
    text = os.fspath(path)
    if not text[-3:].lower() == ".md":
        return None, False
    if os.sep != "/":
        text = text.replace(os.sep, "/")
    parts = tuple(p for p in text.split("/") if p and p != ".")
    name = parts[-1] if parts else ""
    parts = parts[:-1]
    if name == "SKILL.md" and len(parts) >= 2 and "skills" in parts[:-1]:
        return "skill", ".claude" not in parts
    if name.lower() in _DOC_NAMES:
        return None, False
    for folder, kind in (("agents", "agent"), ("commands", "command")):
        if folder not in parts:
            continue
        i = len(parts) - 1 - parts[::-1].index(folder)
        claude = i > 0 and parts[i - 1] == ".claude"
        # A `.claude/agents` folder is always Claude Code's, even in a repository or
        # folder that happens to be called `skills`; a bare `agents` folder below a
        # `skills` folder is a skill's resource.
        if not claude and "skills" in parts[:i]:
            return None, False
        return kind, not claude
    return None, False

