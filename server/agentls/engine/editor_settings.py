"""The editor's settings (the LSP section ``agentls``) parsed into
:class:`~agentls.engine.settings.Settings`.

From ``initializationOptions``, ``workspace/didChangeConfiguration`` or
``workspace/configuration``, bare or wrapped in ``{"agentls": ...}``::

    {
      "rules": {"AGT400": "off", "unknown-model": "error", "AGT104": "hint"},
      "extendTools": ["MyMcpTool"],
      "extendModels": ["my-model"],
      "extendColors": ["teal"],
      "extendKeys": ["x-owner"],
      "configurationPreference": "editorFirst"
    }

``rules`` maps a rule code or name to ``"off"`` (also ``false``/``"disable"``) or a
severity (``error``, ``warning``, ``info``, ``hint``; ``"on"``/``true`` runs the rule at
its own severity): one rule-selection level in which every named rule is exact, so it
wins over a configuration file underneath (unless ``configurationPreference`` is
``filesystemFirst``). The ``extend*`` lists add names the core does not know yet, so a
newer Claude Code never blocks anyone. Everything else is a row of
:data:`agentls.engine.settings.VALUES`.

Parsing never raises: every bad value is skipped and described in the returned
``problems`` (the server sends those to the client's log).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from agentls.engine.selectors import EXACT, RuleSelection
from agentls.engine.settings import DEFAULTS, Settings, Source, merge, parse_values, value_keys
from agentls.rules.registry import Severity
from agentls.rules.ruleset import lookup

SECTION = "agentls"

_OFF = {"off", "disable", "disabled", "none", "ignore", "false"}
_ON = {"on", "default", "enable", "enabled", "true"}
# No editor setting is a glob yet; one that is would need the workspace folder as root.
_EDITOR = Source(Path("."), editor=True)
KNOWN = ("rules", *value_keys(_EDITOR))


def section_of(options: Any) -> Any:
    """The ``agentls`` section of a settings payload that may or may not be wrapped in it."""
    if isinstance(options, Mapping) and isinstance(options.get(SECTION), Mapping):
        return options[SECTION]
    return options


def parse_settings(raw: Any) -> tuple[Settings, list[str]]:
    """Raw settings (``None``, a dict, or a dict wrapped in ``{"agentls": ...}``) to
    :class:`Settings` plus human-readable problems. Never raises."""
    problems: list[str] = []
    raw = section_of(raw)
    if raw is None:
        return DEFAULTS, problems
    if not isinstance(raw, Mapping):
        problems.append(f"settings must be an object, got {type(raw).__name__}; using defaults")
        return DEFAULTS, problems
    rules = _rules(raw.get("rules"), problems)
    values = parse_values(raw, _EDITOR, lambda _key, message: problems.append(message))
    for key in raw:
        if key not in KNOWN:
            problems.append(f"unknown setting {key!r} (known: {', '.join(sorted(KNOWN))})")
    return Settings(rules=(rules,) if rules is not None else (), **values), problems


def parse_layers(*layers: Any) -> tuple[Settings, list[str]]:
    """Several raw layers (``initializationOptions``, then the client's settings), each
    parsed, merged with the later winning; the problems of all of them."""
    parsed, problems = [], []
    for layer in layers:
        settings, found = parse_settings(layer)
        parsed.append(settings)
        problems += found
    return merge(*parsed), problems


def _rules(value: Any, problems: list[str]) -> RuleSelection | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        problems.append(f"`rules` must be an object mapping rule codes to severities, got {type(value).__name__}")
        return None
    levels: dict[str, Severity | bool] = {}  # code -> a severity, True (its own) or False (off)
    for key, level in value.items():
        rule = lookup(key) if isinstance(key, str) else None
        if rule is None:
            problems.append(f"`rules`: unknown rule {key!r} (see `agentls rule --all`)")
            continue
        if isinstance(level, bool):
            level = "on" if level else "off"
        if not isinstance(level, str):
            problems.append(f"`rules.{key}`: expected \"off\" or a severity, got {level!r}")
            continue
        word = level.strip().lower()
        if word in _OFF:
            levels[rule.code] = False
        elif word in _ON:
            levels[rule.code] = True
        else:
            try:
                levels[rule.code] = Severity.parse(word)
            except ValueError as exc:
                problems.append(f"`rules.{key}`: {exc}")
    if not levels:
        return None
    on = tuple((frozenset({code}), EXACT) for code, level in levels.items() if level is not False)
    off = tuple((frozenset({code}), EXACT) for code, level in levels.items() if level is False)
    severity = tuple((frozenset({code}), EXACT, None if level is True else level)
                     for code, level in levels.items() if level is not False)
    return RuleSelection(extend_select=on, ignore=off, severity=severity)
