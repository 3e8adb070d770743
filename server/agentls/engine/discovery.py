"""Finding agent files, and the cross-file facts rules need (names, skills)."""

from __future__ import annotations

import os
from pathlib import Path

from agentls.core.paths import CONFIG_FILES, display_path
from agentls.facts.targets import (
    CLAUDE_CODE,
    TARGETS,
    TOOL_FOLDERS,
    Location,
    Walk,
    guess_target,
    locate,
    target_name,
)
from agentls.rules.index import AgentRecord, IndexEntry, WorkspaceIndex, normal_name  # noqa: F401  (the index lives in agentls.rules.index)

# The names the configuration lookup looks for (discovery notes folders without any).
CONFIG_NAMES = frozenset(CONFIG_FILES)

PLUGIN_FOLDER = ".claude-plugin"  # a plugin root's manifest folder (facts.targets.MANIFEST)

SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache", "dist", "build"}


def as_location(found) -> Location | None:
    """What an ``included(path)`` answer (or a configuration's) makes of a file: a
    :class:`Location` as it is; ``True``: a Claude Code agent; a target id: that tool's
    main kind of file; false: not included."""
    if not found:
        return None
    if isinstance(found, Location):
        return found
    if found is True:
        return Location("agent", CLAUDE_CODE, "included", "included")
    from agentls.facts.targets import TARGETS

    target = TARGETS.get(str(found))
    if target is None:
        return None
    return Location(target.default_kind, target.id, "included", f"included:{target.id}")


def configured(path: str | os.PathLike) -> Location | None:
    """How the closest configuration file's ``include`` makes ``path`` read (None: it
    does not, or the configuration is broken). For the language server, which has no
    command line's configuration set: the CLI passes ``ConfigSet.included``."""
    from agentls.engine.config import ConfigError, load_config_for

    try:
        return load_config_for(path, cached=True).settings.included_location(path)
    except (ConfigError, OSError):
        return None


def locate_file(path: str | os.PathLike) -> Location | None:
    """Which tool loads the file at ``path``, as what: its location
    (:func:`agentls.facts.targets.locate`), else the configuration's ``include``; the
    one classification the language server and discovery share."""
    found = locate(path)
    if found is not None:
        return found
    text = os.fspath(path)
    if text[-3:].lower() != ".md" and text[-4:].lower() != ".mdc":
        return None
    return configured(text)


def named_location(path: str | os.PathLike, included=None) -> Location:
    """A file named on the command line is always checked: as its location (or the
    configuration's ``include``) says, else as a Claude Code agent."""
    found = locate(os.path.abspath(path))
    if found is None and included is not None:
        found = as_location(included(path))
    return found if found is not None else Location("agent", CLAUDE_CODE, "named", "")


def discover(paths: list[str | Path], include_all: bool = False,
             no_config: set[str] | None = None, *, gitignore: bool = False,
             included=None, others: list[Path] | None = None) -> list[tuple[Path, str]]:
    """The files some tool loads under ``paths``, as ``(path, kind)``, sorted; each kind is
    an :class:`agentls.facts.targets.Location` (which tool loads the file, as what).

    A file named explicitly is always checked (as a Claude Code agent unless its location
    or ``include`` says otherwise); directories are walked for files whose location makes
    them agent files.
    ``no_config``: if given, receives each walked folder (absolute) that holds no file
    named like a configuration file, which the configuration lookup then need not ask
    the file system about again.

    ``gitignore``: skip what git ignores (see :mod:`agentls.engine.ignore`), below a named
    folder; a named file or folder is checked all the same. ``included(path)``: for
    other Markdown files found in the walk, whether the configuration's ``include``
    makes them agent files (a :class:`Location`, a target id, or a bool for a Claude Code
    agent: :func:`as_location`). ``others``: receives the Markdown files found that are neither.
    """
    found: dict[str, tuple[str, str]] = {}  # path -> (sort key: _sort_key, kind)
    for raw in paths:
        p = Path(raw)
        if p.is_file():
            text = os.fspath(p)
            found[text] = (_sort_key(text), named_location(p.resolve(), included))
            continue
        # Resolve the root once: classify() needs the folder names above relative paths,
        # and a resolve() per file costs a syscall per path component.
        resolved = str(p.resolve())
        rules = None
        if gitignore:
            from agentls.engine.ignore import rules_above

            rules = rules_above(resolved)
        _walk(os.fspath(p), resolved, found, no_config, rules, included, others)
    # Sorted as paths (by component), which is not the order of the strings; "a/b.md"
    # and "./a/b.md" named twice are one file.
    keyed = {}
    for text, (key, kind) in found.items():
        keyed.setdefault(key, (text, kind))
    if others is not None:
        others.sort()
    return [(Path(text), kind) for _, (text, kind) in sorted(keyed.items())]


def _sort_key(text: str) -> str:
    """A path's names joined by NUL, which no name holds and which sorts before every
    other character: these strings sort as the tuples of names do (a path by component),
    compared in C; ``.`` and empty names left out, so that "./a/b.md" is "a/b.md"."""
    return "\0".join(c for c in text.split(os.sep) if c and c != ".")


def _walk(top: str, resolved: str, found: dict[str, tuple[str, str]], no_config: set[str] | None = None,
          rules=None, included=None, others: list[Path] | None = None) -> None:
    """``os.walk`` without its per-folder ``lstat`` and sorting: ``os.scandir`` already
    knows which entries are folders and symbolic links (linked folders are not entered,
    as with ``os.walk``). ``resolved`` is ``top`` resolved: classify() needs the folder
    names above a relative path, and resolving each file would cost a syscall per part.
    ``rules``: git's ignore rules from above ``top`` (None: not in a repository).
    ``found`` receives each file's sort key (:func:`_sort_key`, built a folder at a time)
    and location."""
    walk = Walk()
    # Each folder as given, resolved, and absolute (for no_config; abspath per folder
    # asked the working folder each time): a child's are its parent's and its name.
    stack = [(top, resolved, os.path.abspath(top), _sort_key(top), rules, walk.top(resolved))]
    sep = os.sep
    while stack:
        folder, real, absolute, key, rules, facts = stack.pop()
        key_at = key + "\0" if key else ""
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue
        # os.path.join(folder, name) for a plain name, without its call per entry (three
        # per file made a quarter of a 10,000-file run's discovery).
        at = folder if folder.endswith(sep) else folder + sep
        real_at = real if real.endswith(sep) else real + sep
        abs_at = absolute if absolute.endswith(sep) else absolute + sep
        config_named = False
        plugin_folder = False  # an entry named .claude-plugin: the folder may be a plugin's root
        if rules is not None and any(e.name == ".gitignore" for e in entries):
            from agentls.engine.ignore import read_rules

            spec = read_rules(at + ".gitignore")
            if spec is not None:
                rules = rules + ((real, spec),)
        if rules:
            from agentls.engine.ignore import ignored
        files: list[str] = []
        for entry in entries:
            name = entry.name
            if name in CONFIG_NAMES:
                config_named = True
            if name[0] == "." and name.lower() == PLUGIN_FOLDER:
                plugin_folder = True
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if name in SKIP_DIRS or (name.startswith(".") and name not in TOOL_FOLDERS):
                    continue
                try:
                    if entry.is_symlink():
                        continue
                except OSError:
                    continue
                real_path = real_at + name
                if rules and ignored(rules, real_path, True):
                    continue
                stack.append((at + name, real_path, abs_at + name, key_at + name, rules, facts.child(name)))
            elif name[-3:].lower() == ".md" or name[-4:].lower() == ".mdc":
                files.append(name)
        # After the listing: its entries say whether the folder can hold a manifest.
        walk.listed(facts, plugin_folder)
        for name in files:
            kind = walk.locate(facts, name)
            if kind is None and included is not None:
                kind = as_location(included(at + name))
            if kind is None:
                if others is not None and name[-1] != "c" and not (rules and ignored(rules, real_at + name, False)):
                    others.append(Path(at + name))
                continue
            if rules and ignored(rules, real_at + name, False):
                continue
            found[at + name] = (key_at + name, kind)
        if no_config is not None and not config_named:
            no_config.add(absolute)


# The keys that make a Markdown file look like a subagent meant for Claude Code.
_AGENT_KEYS = ("name", "description")
LOOKALIKES_READ = 200  # Markdown files read at most for the hint (it runs when nothing was found)


def lookalikes(paths: list[str | Path], configs=None) -> list[tuple[Path, str]]:
    """Markdown files under ``paths`` that are not agent files by location but whose
    frontmatter has an agent's ``name`` and ``description`` (what git ignores left out),
    each with the tool it is most likely written for (:func:`agentls.facts.targets.guess_target`)."""
    others: list[Path] = []
    discover([p for p in paths if not Path(p).is_file()], gitignore=True,
             included=configs.included if configs is not None else None, others=others)
    from agentls.rules.lint import parse

    out = []
    for path in others[:LOOKALIKES_READ]:
        if configs is not None and configs.excluded(path):
            continue
        try:
            with open(path, "rb") as fh:
                data = fh.read(256 * 1024)
            doc = parse(data.decode("utf-8", "replace"), str(path), "agent")
            if all(doc.scalar(k) for k in _AGENT_KEYS):
                out.append((path, guess_target(doc.entries)))
        except Exception:  # a hint must never cost the run
            continue
    return out


def include_hint(paths: list[str | Path], configs=None, cwd: str | None = None) -> str | None:
    """What ``check`` says on standard error when it found no agent files but Markdown
    files that look like agents: the ``include`` setting that would check them, for the
    tool their frontmatter suggests (:mod:`agentls.engine.includes`)."""
    cwd = os.path.abspath(cwd or os.getcwd())
    walked = [p for p in paths if not Path(p).is_file()]
    kept = {p for p, _ in discover(walked, gitignore=True)} if walked else set()
    hidden = [p for p, _ in discover(walked) if p not in kept
              and (configs is None or not configs.excluded(p))] if walked else []
    if hidden:  # there are agent files: git ignores them all
        return (f"agentls: no agent files found, but git ignores {len(hidden)} agent "
                f"file{'s' if len(hidden) != 1 else ''} here, such as {display_path(hidden[0], cwd)} "
                "(Claude Code loads them all the same); name a file or folder to check it anyway: "
                f"agentls check {display_path(hidden[0].parent, cwd)}\n")
    found = lookalikes(paths, configs)
    if not found:
        return None
    target = found[0][1]
    found = [p for p, t in found if t == target]  # one tool's files: one include entry
    config = configs.for_path(found[0]) if configs is not None else None
    config_file = config.path if config is not None and config.path is not None else None
    folder = str(config.root) if config_file is not None else cwd
    tops: list[str] = []
    for path in found:
        rel = os.path.relpath(os.path.abspath(path), folder).replace(os.sep, "/")
        top = rel.split("/")[0] + "/**/*.md" if "/" in rel else "*.md"
        if top not in tops:
            tops.append(top)
    globs = ", ".join(f'"{g}"' for g in tops[:3]) if len(tops) <= 3 else '"**/*.md"'
    where = os.path.relpath(config_file, cwd) if config_file is not None else "pyproject.toml"
    table = "[tool.agentls]\n    " if Path(where).name == "pyproject.toml" else ""
    shown = display_path(found[0], cwd)
    name = target_name(target)
    if len(found) == 1:
        what = f"{shown} has the frontmatter of a {name} agent (`name` and `description`)"
    else:
        what = (f"{len(found)} Markdown files have the frontmatter of a {name} agent "
                f"(`name` and `description`), such as {shown}")
    if target == CLAUDE_CODE:
        loads = "Claude Code loads agents only from .claude/agents/ (or a plugin's agents/)"
        entry = globs
    else:
        places = " and ".join("/".join(p.folder) + "/" for p in TARGETS[target].places
                              if p.kind == "agent" and p.scope == "project")
        loads = f"{name} loads agents only from {places}"
        paths_ = globs if len(tops) == 1 else f"[{globs}]"
        entry = f'{{ path = {paths_}, target = "{target}" }}'
    return (f"agentls: no agent files found, but {what}.\n"
            f"{loads}; to check such files as agents anyway, add to {where}:\n\n"
            f"    {table}include = [{entry}]\n")
