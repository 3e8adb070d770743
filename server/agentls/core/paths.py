"""Which files are agent files, and of which kind, judged by where they live; how a path
is shown; the configuration file names."""

from __future__ import annotations

import functools
import os
from pathlib import PurePath

# The configuration files, in the order one folder's are looked for (discovery notes the
# folders that have none of them).
CONFIG_FILES = (".agentls.toml", "agentls.toml", "pyproject.toml")

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



def display_path(path: str | os.PathLike, root: str | None = None) -> str:
    """``path`` as shown in messages: relative to ``root`` (default: the current folder)."""
    return _display_path(os.fspath(path), root or os.getcwd())


@functools.lru_cache(maxsize=65536)
def _display_path(path: str, root: str) -> str:
    # Cached: a duplicate name across N files relates each finding to N-1 others.
    if not os.path.isabs(path) and root == os.getcwd():
        # relpath(abspath(p), cwd) is normpath(p) for a relative path that stays below
        # the cwd, without the two getcwd() calls and the prefix walk.
        norm = os.path.normpath(path)
        if norm != ".." and not norm.startswith(".." + os.sep):
            return norm
    try:
        return os.path.relpath(path, root)
    except ValueError:
        return path
