"""The settings model: one :class:`Settings` that every source parses into, merged in layers.

Three sources, three vocabularies, one model:

- a configuration file, ``[tool.agentls]`` in ``pyproject.toml`` or ``agentls.toml``
  (:mod:`agentls.engine.toml_config`: ruff-style ``select``/``ignore``/``severity``,
  ``overrides``, ``exclude``, ``include``, ``extend-tools``...);
- the editor's ``agentls`` settings section (:mod:`agentls.engine.editor_settings`:
  ``rules``, ``extendTools``..., ``configurationPreference``);
- the command line's ``--select``/``--extend-select``/``--ignore``
  (:mod:`agentls.engine.cli_settings`).

Each parses into a :class:`Settings` layer in which an unset value is ``None`` (or empty).
:func:`merge` lays layers over one another, lowest first, as ruff's server does
(``Configuration::combine``): defaults < configuration file < the command line or the
editor's settings. Rule selections stack (each is a level of
:mod:`agentls.engine.selectors`, so a higher ``select`` replaces what is below, and an
override is a level limited to its ``files``), ``extend*`` names are unioned, every
other value is replaced by the higher layer's when that one sets it. In the language
server the editor's ``configurationPreference`` chooses the order, as ruff's does
(:func:`layered`): ``editorFirst`` (the default: the editor's settings win),
``filesystemFirst`` (the configuration file wins) or ``editorOnly`` (the file is not read).

:func:`agentls.engine.project.resolve` answers, for one path, with what the merged layer
decides (:meth:`Settings.rules_for`, :attr:`Settings.extensions`, :meth:`Settings.excludes`).

Adding a setting (``target-version`` in a file, ``targetVersion`` in the editor) is
written in this module, in three places:

1. a field on :class:`Settings`, ``None`` meaning "not set in this layer";
2. its merge in :data:`MERGE` (``_replace`` when a higher layer's value wins, or a union);
3. a :class:`Value` row in :data:`VALUES`: its key in each vocabulary (``None`` where a
   source has none) and a parse function ``(value, key, source, report) -> field value``
   that both parsers call (problems go to ``report(message)``: line-numbered errors in a
   file, log lines in the editor).

Both parsers learn the key (and the unknown-key check its spelling) from the row;
``tests/e2e/test_settings_model.py`` fails when a field has no merge or no source. What
uses the value gets it from :func:`agentls.engine.project.resolve` (one more
``FileSettings`` field, filled from the merged layer there).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentls.engine.globs import Globs
from agentls.engine.includes import Includes, parse_includes
from agentls.engine.selectors import RuleSelection, rule_settings
from agentls.facts.targets import Location
from agentls.rules.context import EXTEND_KEYS, Extensions
from agentls.rules.registry import RuleSettings

# configurationPreference, as in ruff's server
EDITOR_FIRST, FILESYSTEM_FIRST, EDITOR_ONLY = "editorFirst", "filesystemFirst", "editorOnly"
PREFERENCES = (EDITOR_FIRST, FILESYSTEM_FIRST, EDITOR_ONLY)
# format-tool-lists: how agentls format writes a tool list (agentls.services.formatting)
TOOL_LIST_STYLES = ("keep", "comma", "yaml")


@dataclass(frozen=True)
class Settings:
    """One layer of settings, or several merged (see the module docstring)."""

    rules: tuple[RuleSelection, ...] = ()  # levels of rule selection, lowest first
    extensions: Extensions = field(default_factory=Extensions)  # names added to the known ones
    exclude: Globs | None = None  # files not to check at all
    include: Includes | None = None  # Markdown files to check wherever they are, and as whose
    preference: str | None = None  # configurationPreference (the editor's; see layered())
    routing_threshold: float | None = None  # agentls check --routing: similarity from which agents clash
    #                                        (None: DEFAULT_ROUTING_THRESHOLD)
    target_version: str | None = None  # the Claude Code version the files are written for (AGT109)
    format_tool_lists: str | None = None  # agentls format: tool lists kept, or as comma strings or YAML lists
    # rules_for() answers, by the levels that apply: shared, read-only RuleSettings
    _rules_cache: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def rules_for(self, path: str | os.PathLike | None) -> RuleSettings:
        """Which rules run for ``path``, and at what severity (overrides whose ``files``
        match it included)."""
        levels = tuple(r for r in self.rules if r.files is None or r.files.matches(path))
        key = tuple(map(id, levels))
        cached = self._rules_cache.get(key)
        if cached is None:
            cached = self._rules_cache[key] = rule_settings(levels)
        return cached

    def excludes(self, path: str | os.PathLike | None) -> bool:
        return self.exclude is not None and self.exclude.matches(path)

    def includes(self, path: str | os.PathLike | None) -> bool:
        return self.include is not None and self.include.matches(path)

    def included_location(self, path: str | os.PathLike | None) -> Location | None:
        """How ``include`` makes ``path`` read: which tool, which kind (None: not included)."""
        return self.include.location(path) if self.include is not None else None


DEFAULTS = Settings()


# The description similarity from which two agents are ambiguous when no configuration
# says (`routing-threshold`): cosine similarity of their word vectors
# (:mod:`agentls.services.routing`). Here, not there, so `agentls check`'s help names it
# without importing the routing model.
DEFAULT_ROUTING_THRESHOLD = 0.6


def _replace(lower: Any, upper: Any) -> Any:
    return upper


# How each field of a higher layer combines with the one below (only when the higher
# layer sets it: not None, not empty).
MERGE: dict[str, Callable[[Any, Any], Any]] = {
    "rules": lambda lower, upper: lower + upper,
    "extensions": lambda lower, upper: lower.union(upper),
    "exclude": _replace,
    "include": _replace,
    "preference": _replace,
    "routing_threshold": _replace,
    "target_version": _replace,
    "format_tool_lists": _replace,
}


def _is_set(value: Any) -> bool:
    return value is not None and value != () and value != Extensions()


def merge(*layers: Settings | None) -> Settings:
    """``layers`` laid over one another, lowest first (``None`` skipped)."""
    present = [layer for layer in layers if layer is not None]
    if not present:
        return DEFAULTS
    if len(present) == 1:
        return present[0]
    values: dict[str, Any] = {}
    for layer in present:
        for name, combine in MERGE.items():
            upper = getattr(layer, name)
            if not _is_set(upper):
                continue
            values[name] = combine(values[name], upper) if name in values else upper
    return Settings(**values)


def layered(file: Settings | None, editor: Settings | None) -> Settings:
    """A configuration file's settings and the editor's, in the order the editor's
    ``configurationPreference`` chooses (``editorFirst`` by default)."""
    preference = editor.preference if editor is not None else None
    if preference == EDITOR_ONLY:
        return editor or DEFAULTS
    if preference == FILESYSTEM_FIRST:
        return merge(editor, file)
    return merge(file, editor)


# -- values both parsers read ------------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    """What a parse function needs to know about where a value was written."""

    root: Path  # the folder globs are relative to
    editor: bool = False  # the editor's JSON (lenient: bad entries dropped) or a file (strict)


Report = Callable[[str], None]


def describe(value: Any, source: Source) -> str:
    """A bad value, as its author wrote it."""
    if source.editor:
        return type(value).__name__
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return "a table"
    return repr(value)


def string_list(value: Any, key: str, source: Source, report: Report) -> list[str]:
    """A list of strings. In a file a bad list is an error; the editor's may be a single
    string, its entries are stripped and bad ones dropped (with a problem)."""
    if source.editor:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            report(f"`{key}` must be a list of strings, got {describe(value, source)}")
            return []
        good = [v.strip() for v in value if isinstance(v, str) and v.strip()]
        if len(good) != len(value):
            bad = len(value) - len(good)
            report(f"`{key}`: ignored {bad} entr{'y' if bad == 1 else 'ies'} that are not non-empty strings")
        return good
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        report(f"`{key}` must be a list of strings, got {describe(value, source)}")
        return []
    return value


def globs(value: Any, key: str, source: Source, report: Report) -> Globs:
    return Globs(tuple(string_list(value, key, source, report)), source.root)


def one_of(*choices: str) -> Callable[[Any, str, Source, Report], str | None]:
    def parse(value: Any, key: str, source: Source, report: Report) -> str | None:
        if value in choices:
            return value
        report(f"`{key}` must be one of {', '.join(map(repr, choices))}, got {value!r}")
        return None

    return parse


def similarity(value: Any, key: str, source: Source, report: Report) -> float | None:
    """A similarity score above 0 and at most 1."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= 1:
        return float(value)
    report(f"`{key}` must be a number above 0 and at most 1, got {value!r}")
    return None


def claude_code_version(value: Any, key: str, source: Source, report: Report) -> str | None:
    """A Claude Code version, ``X.Y.Z`` (``v`` in front is accepted)."""
    from agentls.facts.versions import parse_version

    if isinstance(value, str) and parse_version(value) is not None:
        return value.strip().removeprefix("v")
    report(f"`{key}` must be a Claude Code version such as \"2.1.240\", got {describe(value, source)}")
    return None


@dataclass(frozen=True)
class Value:
    """A setting read the same way from every source that has it."""

    attr: str  # the Settings field
    toml: str | None  # its key in a configuration file, or None
    editor: str | None  # its key in the editor's settings, or None
    parse: Callable[[Any, str, Source, Report], Any]

    def key(self, source: Source) -> str | None:
        return self.editor if source.editor else self.toml


VALUES: tuple[Value, ...] = (
    Value("exclude", "exclude", None, globs),
    Value("include", "include", None, parse_includes),
    Value("preference", None, "configurationPreference", one_of(*PREFERENCES)),
    Value("routing_threshold", "routing-threshold", "routingThreshold", similarity),
    Value("target_version", "target-version", "targetVersion", claude_code_version),
    Value("format_tool_lists", "format-tool-lists", "formatToolLists", one_of(*TOOL_LIST_STYLES)),
)


def value_keys(source: Source) -> list[str]:
    """Every key :func:`parse_values` reads from this source, in documentation order."""
    keys = [k for row in VALUES if (k := row.key(source)) is not None]
    return keys + [setting if source.editor else toml for toml, setting in EXTEND_KEYS.values()]


def parse_values(table: Mapping[str, Any], source: Source,
                 report: Callable[[str, str], None]) -> dict[str, Any]:
    """The :data:`VALUES` and the ``extend*`` names in ``table``, as Settings fields.

    ``report(key, message)`` receives each problem. Rule selection, whose vocabulary
    differs between a file and the editor, is parsed by each source's own module.
    """
    out: dict[str, Any] = {}
    for row in VALUES:
        key = row.key(source)
        if key is None or table.get(key) is None:
            continue
        parsed = row.parse(table[key], key, source, lambda message, key=key: report(key, message))
        if parsed is not None:
            out[row.attr] = parsed
    names: dict[str, frozenset[str]] = {}
    for attr, (toml, setting) in EXTEND_KEYS.items():
        key = setting if source.editor else toml
        value = table.get(key)
        names[attr] = frozenset() if value is None else frozenset(
            string_list(value, key, source, lambda message, key=key: report(key, message)))
    out["extensions"] = Extensions(**names)
    return out

