"""How a path is shown; the configuration file names. (Which tool loads a file, as
what, is :mod:`agentls.facts.targets`.)"""

from __future__ import annotations

import functools
import os

# The configuration files, in the order one folder's are looked for (discovery notes the
# folders that have none of them).
CONFIG_FILES = (".agentls.toml", "agentls.toml", "pyproject.toml")


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
