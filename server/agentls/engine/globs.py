"""Glob matching for ``exclude``, ``include`` and an override's ``files``.

Gitignore-like globs, relative to the folder of the configuration file that holds them:
``*`` and ``?`` stay inside one path segment, ``**`` crosses segments, ``[abc]`` and
``[!abc]`` are character classes. A glob without a ``/`` matches a name at any depth; a
glob with one is anchored at the folder. A glob that matches a folder matches everything
below it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path


def glob_regex(pattern: str) -> re.Pattern:
    """A gitignore-like glob: ``*``, ``?``, ``[...]``, ``**``; no ``/`` matches at any depth.

    A pattern that matches a folder also matches everything below it.
    """
    pat = pattern.strip().replace("\\", "/")
    anchored = "/" in pat.rstrip("/")
    pat = pat.removeprefix("./").lstrip("/").rstrip("/")
    out, i = [], 0
    while i < len(pat):
        ch = pat[i]
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pat.startswith("**", i):
            out.append(".*")
            i += 2
        elif ch == "*":
            out.append("[^/]*")
            i += 1
        elif ch == "?":
            out.append("[^/]")
            i += 1
        elif ch == "[":
            j = pat.find("]", i + 2)
            if j == -1:
                out.append(re.escape(ch))
                i += 1
            else:
                body = pat[i + 1:j]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = j + 1
        else:
            out.append(re.escape(ch))
            i += 1
    body = "".join(out)
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(f"^{prefix}{body}(?:/.*)?$")


def relative(path: str | os.PathLike, root: Path) -> str:
    """``path`` relative to ``root``, with ``/`` separators (``..`` segments when outside)."""
    text, base = os.path.abspath(path), os.fspath(root)
    if text.startswith(base) and text[len(base):len(base) + 1] == os.sep and base != os.sep:
        return text[len(base) + 1:].replace(os.sep, "/")  # the common case, without pathlib
    p = Path(text)
    try:
        return p.relative_to(root).as_posix()
    except ValueError:
        return os.path.relpath(p, root).replace(os.sep, "/")


@dataclass(frozen=True)
class Globs:
    """Globs as written, with the folder they are relative to (compiled once)."""

    patterns: tuple[str, ...]
    root: Path
    _regexes: tuple[re.Pattern, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_regexes", tuple(glob_regex(p) for p in self.patterns))

    def matches(self, path: str | os.PathLike | None) -> bool:
        if not self._regexes or path is None:
            return False
        rel = relative(path, self.root)
        return any(p.match(rel) for p in self._regexes)
