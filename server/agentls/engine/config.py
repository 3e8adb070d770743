"""Configuration files: finding the one that applies to a path, reading it (cached), and
the set of them a run uses.

The closest configuration file to a checked file wins (``.agentls.toml``, then
``agentls.toml``, then a ``pyproject.toml`` that has a ``[tool.agentls]`` table, in each
folder from the file's own up to the filesystem root); settings are not merged across
files. ``agentls check --config FILE`` forces one file for every path. Each file is read
by :mod:`agentls.engine.toml_config` into the one settings model
(:mod:`agentls.engine.settings`) and cached by modification time and size, so an edited
configuration is picked up on the next lint.

Two users, one model: a run of ``agentls check`` takes a :class:`ConfigSet` (each file's
closest configuration with the command line's layer on top), the language server
:func:`for_editor` (the closest configuration with the editor's settings, in the order
their ``configurationPreference`` chooses; a broken file is logged and the defaults
apply). :func:`agentls.engine.project.resolve` goes through one or the other.
"""

from __future__ import annotations

import itertools
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from agentls.core.paths import CONFIG_FILES
from agentls.engine.settings import DEFAULTS, EDITOR_ONLY, Settings, layered, merge
from agentls.engine.toml_config import ConfigError, Problem, parse_file
from agentls.facts.targets import Location

__all__ = ["CONFIG_FILES", "Config", "ConfigError", "ConfigSet", "find_config", "for_editor",
           "forget_config_lookups", "load_config", "load_config_for"]

_STAMPS = itertools.count(1)


@dataclass(frozen=True)
class Config:
    """A configuration file's settings (``path`` None: no file, the defaults)."""

    path: Path | None
    root: Path  # globs are relative to this folder
    settings: Settings = DEFAULTS
    stamp: int = 0  # a new number each time a file is read (0: the defaults)

    def with_layer(self, top: Settings | None) -> "Config":
        """This configuration with ``top`` (the command line's layer) over it."""
        if top is None:
            return self
        return Config(self.path, self.root, merge(self.settings, top), self.stamp)


def default_config(root: str | os.PathLike | None = None) -> Config:
    return Config(None, Path(os.path.abspath(root or os.getcwd())))


# -- finding and loading ---------------------------------------------------------------------
_SECTION = re.compile(r"^[ \t]*\[\[?[ \t]*tool[ \t]*\.[ \t]*(?:agentls|\"agentls\")[ \t]*[\].]", re.M)


_SECTION_CACHE: dict[Path, tuple[tuple[int, int], bool]] = {}


def _has_section(pyproject: Path) -> bool:
    """Whether a ``pyproject.toml`` has a ``[tool.agentls]`` table (cached by mtime and size)."""
    try:
        st = pyproject.stat()
        stamp = (st.st_mtime_ns, st.st_size)
        cached = _SECTION_CACHE.get(pyproject)
        if cached is None or cached[0] != stamp:
            found = bool(_SECTION.search(pyproject.read_text(encoding="utf-8", errors="replace")))
            _SECTION_CACHE[pyproject] = cached = (stamp, found)
        return cached[1]
    except OSError:
        return False


def _config_in(folder: Path | str) -> Path | None:
    base = os.fspath(folder)
    for name in CONFIG_FILES:
        candidate = os.path.join(base, name)
        if os.path.isfile(candidate) and (name != "pyproject.toml" or _has_section(Path(candidate))):
            return Path(candidate)
    return None


def find_config(start: str | os.PathLike) -> Path | None:
    """The closest configuration file at or above ``start`` (a file or a folder)."""
    p = Path(os.path.abspath(start))
    folder = p if p.is_dir() else p.parent
    for d in (folder, *folder.parents):
        found = _config_in(d)
        if found is not None:
            return found
    return None


_CACHE: dict[Path, tuple[tuple[int, int], Config | ConfigError]] = {}


def load_config(path: str | os.PathLike) -> Config:
    """Read and check one configuration file (cached until its mtime or size changes)."""
    p = Path(os.path.abspath(path))
    try:
        st = p.stat()
    except OSError as exc:
        raise ConfigError([Problem(str(path), 0, f"cannot read configuration: {exc.strerror or exc}")]) from None
    stamp = (st.st_mtime_ns, st.st_size)
    cached = _CACHE.get(p)
    if cached is None or cached[0] != stamp:
        try:
            result: Config | ConfigError = Config(p, p.parent, parse_file(p), next(_STAMPS))
        except ConfigError as exc:
            result = exc
        _CACHE[p] = (stamp, result)
        cached = _CACHE[p]
    if isinstance(cached[1], ConfigError):
        raise cached[1]
    return cached[1]


# The language server looks the configuration up on every keystroke; remembering each
# folder's answer briefly saves a dozen stat() calls each time. File-watcher events
# for configuration files clear it at once (``forget_config_lookups``).
LOOKUP_TTL = 2.0
_LOOKUPS: dict[str, tuple[float, Path | None]] = {}


def forget_config_lookups() -> None:
    _LOOKUPS.clear()


def _find_config_cached(path: str | os.PathLike) -> Path | None:
    key = os.path.dirname(os.path.abspath(path))
    now = time.monotonic()
    hit = _LOOKUPS.get(key)
    if hit is not None and now - hit[0] < LOOKUP_TTL:
        return hit[1]
    found = find_config(path)
    if len(_LOOKUPS) > 4096:
        _LOOKUPS.clear()
    _LOOKUPS[key] = (now, found)
    return found


def load_config_for(path: str | os.PathLike, config_file: str | os.PathLike | None = None, *,
                    cached: bool = False) -> Config:
    """The configuration for a checked file: ``config_file`` if given, else the closest one.

    ``cached``: reuse a folder's lookup for up to ``LOOKUP_TTL`` seconds (the server).
    """
    if config_file is not None:
        return load_config(config_file)
    found = _find_config_cached(path) if cached else find_config(path)
    if found is None:
        p = Path(os.path.abspath(path))
        return default_config(p if p.is_dir() else p.parent)
    return load_config(found)


class ConfigSet:
    """Configurations for a run over many files: per file, the closest (or a forced) one."""

    def __init__(self, config_file: str | os.PathLike | None = None, cli: Settings | None = None) -> None:
        self.config_file = config_file
        self.cli = cli
        # Keyed by the folder as given (a string): this runs twice per checked file, and
        # building a Path or an absolute path each time cost more than the lint of a file.
        self._by_dir: dict[str, Config] = {}
        self._closest: dict[str, Path | None] = {}  # folder -> its closest config file
        self._default: Config | None = None
        self._layered: dict[int, tuple[Config, Config]] = {}  # id(base) -> (base, with the CLI layer)
        # Folders known (from discovery's own listing) to hold no configuration file.
        self.no_config: set[str] = set()
        if config_file is not None:
            load_config(config_file)  # fail early

    def for_path(self, path: str | os.PathLike) -> Config:
        text = os.fspath(path)
        # Checked files end in .md: skip the is_dir() syscall for them.
        key = text if not text.endswith(".md") and os.path.isdir(text) else os.path.dirname(text)
        config = self._by_dir.get(key)
        if config is None:
            folder = os.path.abspath(key)
            if self.config_file is not None:
                base = load_config(self.config_file)
            else:
                found = self._find(folder)
                if found is not None:
                    base = load_config(found)
                else:  # no file: the defaults, which have no globs, so one object serves every folder
                    if self._default is None:
                        self._default = default_config(folder)
                    base = self._default
            # One command-line layer per base configuration, not per folder: its settings
            # are computed once.
            layered = self._layered.get(id(base))
            if layered is None or layered[0] is not base:
                layered = self._layered[id(base)] = (base, base.with_layer(self.cli))
            config = self._by_dir[key] = layered[1]
        return config

    def _find(self, folder: Path | str) -> Path | None:
        """``find_config`` with every folder on the way up looked at once per run."""
        key = os.fspath(folder)
        if key in self._closest:
            return self._closest[key]
        found = None if key in self.no_config else _config_in(key)
        parent = os.path.dirname(key)
        if found is None and parent != key:
            found = self._find(parent)
        self._closest[key] = found
        return found

    def excluded(self, path: str | os.PathLike) -> bool:
        return self.for_path(path).settings.excludes(path)

    def included(self, path: str | os.PathLike) -> Location | None:
        """How the closest configuration's ``include`` makes ``path`` read (which tool,
        which kind: :mod:`agentls.engine.includes`), or None."""
        return self.for_path(path).settings.included_location(path)


# -- the language server -----------------------------------------------------------------------
_REPORTED: set[tuple] = set()
# for_editor() runs on every keystroke; a file's settings and the editor's change rarely
# (each change makes new objects), so their merge is reused, and with it the rules each
# path gets (Settings.rules_for caches them). Entries hold the objects, so ids stay theirs.
_LAYERED: dict[tuple[int, int], tuple] = {}


def for_editor(path: str | os.PathLike | None, editor: Settings | None) -> tuple[Settings, object]:
    """The settings for a document open in the language server, and their stamp.

    The closest configuration file for ``path`` and the editor's settings, layered as
    their ``configurationPreference`` says. The stamp changes whenever the configuration
    file is reloaded (its mtime or size changed), so it belongs in any cache key. A
    broken configuration is logged once per version and ignored (defaults), never raised.
    """
    file: Settings | None = None
    stamp: object = None
    if path and (editor is None or editor.preference != EDITOR_ONLY):
        try:
            config = load_config_for(path, cached=True)
            file, stamp = config.settings, config.stamp
        except ConfigError as exc:
            stamp = ("error", str(exc))
            if stamp not in _REPORTED:
                _REPORTED.add(stamp)
                import logging

                logging.getLogger(__name__).warning("configuration ignored:\n%s", exc)
    key = (id(file), id(editor))
    hit = _LAYERED.get(key)
    if hit is not None and hit[0] is file and hit[1] is editor:
        return hit[2], stamp
    merged = layered(file, editor)
    if len(_LAYERED) >= 64:
        _LAYERED.clear()
    _LAYERED[key] = (file, editor, merged)
    return merged, stamp
