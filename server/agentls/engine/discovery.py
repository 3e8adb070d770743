"""Finding agent files, and the cross-file facts rules need (names, skills)."""

from __future__ import annotations

import os
from pathlib import Path

from agentls.core.paths import CONFIG_FILES, display_path

try:  # BLAKE2 without hashlib, which loads OpenSSL (as agentls.cli.cache)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b
from agentls.facts.targets import (
    _HOME,
    CLAUDE_CODE,
    MANIFEST,
    MARKETPLACE,
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
             included=None, others: list[Path] | None = None, memo=None) -> list[tuple[Path, str]]:
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

    ``memo``: where the walk's record is kept between runs (``load(name)``/``save(name,
    data)``, :meth:`agentls.cli.cache.Cache.memo`): when only folders are named, a walk
    whose folders and the files its answer depends on are all unchanged is replayed from
    it (:class:`_Record`), not done again.
    """
    found: dict[str, tuple[str, str]] = {}  # path -> (sort key: _sort_key, kind)
    roots = []
    for raw in paths:
        p = Path(raw)
        if p.is_file():
            text = os.fspath(p)
            found[text] = (_sort_key(text), named_location(p.resolve(), included))
            memo = None  # only walks are recorded
            continue
        # Resolve the root once: classify() needs the folder names above relative paths,
        # and a resolve() per file costs a syscall per path component.
        roots.append((os.fspath(p), str(p.resolve())))
    record = None
    if memo is not None and others is None and roots:
        key = repr((_Record.FORMAT, os.getcwd(), roots, bool(gitignore), _HOME))
        name = "discovery-" + blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
        if _Record.replay(memo.load(name), key, found, no_config, included):
            roots = []
        else:
            record = _Record(key)
    for text, resolved in roots:
        rules = None
        if gitignore:
            from agentls.engine.ignore import rules_above

            rules = rules_above(resolved)
        if record is not None:
            record.above(resolved)
        _walk(text, resolved, found, no_config, rules, included, others, record)
    if record is not None and record.savable and found:
        memo.save(name, record.dumps())
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
          rules=None, included=None, others: list[Path] | None = None, record: _Record | None = None) -> None:
    """``os.walk`` without its per-folder ``lstat`` and sorting: ``os.scandir`` already
    knows which entries are folders and symbolic links (linked folders are not entered,
    as with ``os.walk``). ``resolved`` is ``top`` resolved: classify() needs the folder
    names above a relative path, and resolving each file would cost a syscall per part.
    ``rules``: git's ignore rules from above ``top`` (None: not in a repository).
    ``found`` receives each file's sort key (:func:`_sort_key`, built a folder at a time)
    and location; ``record``, what the walk saw (:class:`_Record`)."""
    walk = Walk()
    # Each folder as given, resolved, and absolute (for no_config; abspath per folder
    # asked the working folder each time): a child's are its parent's and its name.
    stack = [(top, resolved, os.path.abspath(top), _sort_key(top), rules, walk.top(resolved))]
    sep = os.sep
    while stack:
        folder, real, absolute, key, rules, facts = stack.pop()
        key_at = key + "\0" if key else ""
        if record is not None:
            record.folder(absolute)  # before the listing: a change during it is seen next time
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            if record is not None:
                record.savable = False
            continue
        # os.path.join(folder, name) for a plain name, without its call per entry (three
        # per file made a quarter of a 10,000-file run's discovery).
        at = folder if folder.endswith(sep) else folder + sep
        real_at = real if real.endswith(sep) else real + sep
        abs_at = absolute if absolute.endswith(sep) else absolute + sep
        config_named = False
        plugin_folder = False  # an entry named .claude-plugin: the folder may be a plugin's root
        ignore_file = rules is not None and any(e.name == ".gitignore" for e in entries)
        if ignore_file:
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
                if record is not None:
                    record.savable = False
            if is_dir:
                if name in SKIP_DIRS or (name.startswith(".") and name not in TOOL_FOLDERS):
                    continue
                try:
                    if entry.is_symlink():
                        if record is not None and (name[-3:].lower() == ".md" or name[-4:].lower() == ".mdc"):
                            record.savable = False  # a file if its target becomes one, unseen
                        continue
                except OSError:
                    if record is not None:
                        record.savable = False
                    continue
                real_path = real_at + name
                if rules and ignored(rules, real_path, True):
                    continue
                stack.append((at + name, real_path, abs_at + name, key_at + name, rules, facts.child(name)))
            elif name[-3:].lower() == ".md" or name[-4:].lower() == ".mdc":
                files.append(name)
                if record is not None and entry.is_symlink():
                    record.savable = False  # what it is follows its target, which may change unseen
        # After the listing: its entries say whether the folder can hold a manifest.
        walk.listed(facts, plugin_folder)
        if record is not None:
            record.listed(abs_at, plugin_folder, ignore_file)
        for name in files:
            kind = walk.locate(facts, name)
            skip = None  # whether git ignores the file: asked once, and only when it matters
            if record is not None:
                skip = bool(rules) and ignored(rules, real_at + name, False)
                record.file(at + name, key_at + name, kind, skip)
            if kind is None and included is not None:
                kind = as_location(included(at + name))
            if kind is None and (others is None or name[-1] == "c"):
                continue
            if skip is None:
                skip = bool(rules) and ignored(rules, real_at + name, False)
            if kind is None:
                if not skip:
                    others.append(Path(at + name))
                continue
            if skip:
                continue
            found[at + name] = (key_at + name, kind)
        if not config_named:
            if no_config is not None:
                no_config.add(absolute)
            if record is not None:
                record.no_config.append(absolute)


class _Record:
    """What a walk saw, so that the next run can replay it (issue 17), as git's untracked
    cache does: a folder whose status (times, inode, mode) is unchanged has the same
    entries, since adding, removing or renaming an entry changes its folder's times
    (POSIX), and a folder below that changed has its own status changed. So the replay
    stats each folder the walk listed instead of listing it, and the few files the
    answer also depends on (:meth:`above`, :meth:`listed`: git's ignore files, plugin
    manifests and marketplaces, ``.git``); any difference, and the walk is done again.

    What depends on neither is worked out again at each replay: the configuration's
    ``include`` (its files are not among the above) is asked for each Markdown file that
    no location makes an agent file. A file's content is not the walk's business (the
    content cache stats each file). Not recorded, so walked again next time: a walk in
    which a folder or one of those files changed within :data:`SETTLED_NS` of it (its
    time could stay the same through another change), a folder that could not be listed,
    a Markdown entry that is a symbolic link (what it is follows its target)."""

    FORMAT = 1
    SETTLED_NS = 2_000_000_000  # as the content cache's (agentls.cli.cache.SETTLED_NS)

    def __init__(self, key: str) -> None:
        import time

        self.key = key
        self.settled = time.time_ns() - self.SETTLED_NS
        self.savable = True
        self.folders: list[str] = []
        self.stats: list[tuple] = []
        self.deps: dict[str, tuple | None] = {}  # path -> status, None: absent
        self.files: list[tuple] = []  # (path, sort key, location fields or None, ignored)
        self.no_config: list[str] = []

    @staticmethod
    def _status(st: os.stat_result) -> tuple:
        return (st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev, st.st_mode, st.st_size)

    def _settled(self, status: tuple) -> None:
        if max(status[0], status[1]) > self.settled:
            self.savable = False

    def folder(self, path: str) -> None:
        try:
            status = self._status(os.stat(path))
        except OSError:
            self.savable = False
            return
        self._settled(status)
        self.folders.append(path)
        self.stats.append(status)

    def _dep(self, path: str, exists_only: bool = False) -> None:
        if path in self.deps:
            return
        try:
            st = os.lstat(path) if exists_only else os.stat(path)
        except OSError:
            self.deps[path] = None
            return
        if exists_only:
            self.deps[path] = ()
            return
        status = self._status(st)
        self._settled(status)
        self.deps[path] = status

    def above(self, resolved: str) -> None:
        """The files above a walked folder (and in it, for ``.git``) that discovery reads
        or looks for: the repository's ``.git`` (only whether it is there, as
        :func:`agentls.engine.ignore.repository_of` asks) and ``info/exclude``, each
        folder's ``.gitignore``, a plugin's manifest and a marketplace (and the folder
        holding them, whose times say one appeared)."""
        folder = resolved
        while True:
            self._dep(os.path.join(folder, ".git"), exists_only=True)
            self._dep(os.path.join(folder, ".git", "info", "exclude"))
            if folder != resolved:
                self._dep(os.path.join(folder, ".gitignore"))
                self._plugin_deps(folder)
            parent = os.path.dirname(folder)
            if parent == folder:
                return
            folder = parent

    def _plugin_deps(self, folder: str) -> None:
        self._dep(os.path.join(folder, PLUGIN_FOLDER))
        self._dep(os.path.join(folder, *MANIFEST))
        self._dep(os.path.join(folder, *MARKETPLACE))

    def listed(self, abs_at: str, plugin_folder: bool, ignore_file: bool) -> None:
        """A walked folder's entries named a ``.claude-plugin`` folder or (in a
        repository) a ``.gitignore``: their content is part of the answer."""
        if plugin_folder:
            self._plugin_deps(abs_at.rstrip(os.sep) or os.sep)
        if ignore_file:
            self._dep(abs_at + ".gitignore")

    def file(self, path: str, key: str, kind: Location | None, ignored: bool) -> None:
        if kind is None:
            self.files.append((path, key, None, ignored))
        elif not ignored:
            self.files.append((path, key, kind.same, False))

    def dumps(self) -> bytes:
        import marshal

        return marshal.dumps((self.key, self.folders, self.stats, list(self.deps.items()), self.files,
                              self.no_config))

    @classmethod
    def replay(cls, data: bytes | None, key: str, found: dict, no_config: set[str] | None, included) -> bool:
        """Put in ``found`` (and ``no_config``) what the walk recorded in ``data`` would
        find now; False (nothing put) when ``data`` is not a record of this walk or
        something it depends on changed."""
        if not data:
            return False
        import marshal

        try:
            saved_key, folders, stats, deps, files, folders_without_config = marshal.loads(data)
            if saved_key != key or len(folders) != len(stats):
                return False
            status = cls._status
            stat = os.stat
            for path, want in zip(folders, stats):
                if status(stat(path)) != want:
                    return False
            for path, want in deps:
                try:
                    st = os.lstat(path) if want == () else stat(path)
                except OSError:
                    if want is not None:
                        return False
                    continue
                if want is None or (want != () and status(st) != want):
                    return False
            walked = [(path, sort_key, Location(*same) if same is not None else None, bool(ignored))
                      for path, sort_key, same, ignored in files]
        except OSError:  # a folder went: walk it again
            return False
        except (ValueError, TypeError, EOFError):  # not a record (damaged, or another layout)
            return False
        for path, sort_key, kind, ignored in walked:
            if kind is None:  # the configuration's include, as the walk asks it
                kind = as_location(included(path)) if included is not None else None
                if kind is None or ignored:
                    continue
            found[path] = (sort_key, kind)
        if no_config is not None:
            no_config.update(folders_without_config)
        return True


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
