"""What git ignores: ``.gitignore`` files (nested) and ``.git/info/exclude``, for discovery.

Git's semantics, through pathspec's ``GitIgnoreSpec`` (gitwildmatch): a ``.gitignore``
applies to the paths below its folder; a deeper file's match beats a shallower one's,
and within one file the last matching pattern wins (``!`` re-includes); a pattern with
a ``/`` other than at its end is anchored at its folder; a trailing ``/`` matches only
folders. An ignored folder is not entered, so nothing below it can be re-included, as
in git. ``.git/info/exclude`` ranks below every ``.gitignore``. The user's global
excludes file (``core.excludesFile``) is not read.

Rules apply only inside a git repository (a folder with a ``.git`` entry at or above
the walked folder), as with git itself and ripgrep.
"""

from __future__ import annotations

import os
import re

# (folder the patterns are relative to, the compiled spec), shallowest first.
Rules = tuple[tuple[str, "_Spec"], ...]


class _Spec:
    """pathspec's spec, behind one regex of all its patterns: most paths match none, and
    one search then answers for them (~10 patterns each tried per path cost more than
    the whole walk did)."""

    __slots__ = ("spec", "names", "paths")

    def __init__(self, lines: list[str]) -> None:
        import pathspec  # only when there is something to match

        self.spec = pathspec.GitIgnoreSpec.from_lines(lines)
        # A pattern without a `/` (but a trailing one) matches a name at any depth: those
        # are tried on the last path component alone (a short string), the others on
        # the whole relative path.
        names, paths = [], []
        for p in self.spec.patterns:
            regex = getattr(p, "regex", None)
            if regex is None:
                continue
            r = regex.pattern.replace("(?P<ps_d>", "(?:")
            rest = r.removeprefix(_ANY_FOLDER)
            if rest is not r and "/" not in rest.replace("(?:/)", "").replace("[^/]", ""):
                names.append("^" + rest)
            else:
                paths.append(r)
        self.names = re.compile("|".join(f"(?:{r})" for r in names)) if names else None
        self.paths = re.compile("|".join(f"(?:{r})" for r in paths)) if paths else None

    def check(self, rel: str, name: str) -> bool | None:
        """True: ignored; False: re-included by a ``!`` pattern; None: no pattern matches.
        ``name``: the last component of ``rel`` (with the ``/`` of a folder)."""
        if (self.names is None or self.names.match(name) is None) and \
                (self.paths is None or self.paths.match(rel) is None):
            return None
        return self.spec.check_file(rel).include


_ANY_FOLDER = "^(?:.+/)?"


def _spec(lines: list[str]) -> _Spec:
    return _Spec(lines)


def read_rules(path: str) -> _Spec | None:
    """The compiled patterns of one ignore file, or None when it has none (or is unreadable)."""
    try:
        with open(path, "rb") as fh:
            text = fh.read().decode("utf-8", "replace")
    except OSError:
        return None
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return _spec(lines) if lines else None


def repository_of(folder: str) -> str | None:
    """The closest folder at or above ``folder`` (absolute) with a ``.git`` entry."""
    while True:
        if os.path.lexists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def rules_above(root: str) -> Rules | None:
    """The rules that apply to ``root`` (absolute) from the folders above it, up to its
    repository's top, with ``.git/info/exclude``; ``None`` outside a repository (then no
    ignore file applies at all, and the walk need not look for any)."""
    repo = repository_of(root)
    if repo is None:
        return None
    rules: list[tuple[str, _Spec]] = []
    info = os.path.join(repo, ".git", "info", "exclude")
    if os.path.isfile(info):
        spec = read_rules(info)
        if spec is not None:
            rules.append((repo, spec))
    chain = []
    folder = os.path.dirname(root) if root != repo else None
    while folder is not None and len(folder) >= len(repo):
        chain.append(folder)
        folder = os.path.dirname(folder) if folder != repo else None
    for f in reversed(chain):
        spec = read_rules(os.path.join(f, ".gitignore"))
        if spec is not None:
            rules.append((f, spec))
    result = tuple(rules)
    # A folder named on the command line is walked even when git ignores it (as a file
    # named there is checked): then the rules from above, which would ignore all of it,
    # are not applied inside it.
    if ignored(result, root, True):
        return ()
    return result


def ignored(rules: Rules, path: str, is_dir: bool) -> bool:
    """Whether git ignores ``path`` (absolute, below every rule's folder)."""
    for base, spec in reversed(rules):
        if len(path) <= len(base):
            continue
        rel = path[len(base) + 1:] if base != os.sep else path[1:]
        if os.sep != "/":
            rel = rel.replace(os.sep, "/")
        name = path[path.rfind(os.sep) + 1:] + ("/" if is_dir else "")
        result = spec.check(rel + "/" if is_dir else rel, name)
        if result is not None:
            return result
    return False
