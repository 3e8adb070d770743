"""User settings for the language server (and anything else that takes a settings dict).

The settings model is a plain JSON object, the same under the LSP settings section
``agentls`` (``initializationOptions`` or ``workspace/didChangeConfiguration``) and,
later, in a config file::

    {
      "rules": {"AGT400": "off", "unknown-model": "error", "AGT104": "hint"},
      "extendTools": ["MyMcpTool"],
      "extendModels": ["my-model"],
      "extendColors": ["teal"],
      "extendKeys": ["x-owner"]
    }

``rules`` maps a rule code or name to ``"off"`` (also ``false``/``"disable"``) or a
severity (``error``, ``warning``, ``info``, ``hint``; ``"on"``/``true`` keeps the
default). The ``extend*`` lists add names the core does not know yet, so a newer
Claude Code never blocks anyone.

Parsing never raises: every bad value is skipped and described in the returned
``problems`` list (the server sends those to the client's log).

Layering: :func:`merge` lays one raw dict over another, so a config-file layer can sit
underneath the editor's settings::

    raw = merge(file_config, editor_settings)       # editor wins
    settings, problems = parse_settings(raw)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from agentls.rules.lint import EXTEND_KEYS, Extensions
from agentls.rules.registry import RuleSettings, Severity
from agentls.rules.ruleset import lookup

SECTION = "agentls"

_OFF = {"off", "disable", "disabled", "none", "ignore", "false"}
_ON = {"on", "default", "enable", "enabled", "true"}
_EXTEND = {setting: attr for attr, (_toml, setting) in EXTEND_KEYS.items()}  # extendTools -> tools
_KNOWN = {"rules", *_EXTEND}


@dataclass(frozen=True)
class Settings:
    """Everything settings decide: which rules run, at what severity, and extra extensions."""

    rules: RuleSettings = field(default_factory=RuleSettings)
    extensions: Extensions = field(default_factory=Extensions)
    raw: Mapping[str, Any] = field(default_factory=dict)  # the merged input, for debugging


def section_of(options: Any) -> Any:
    """The ``agentls`` section of a settings payload that may or may not be wrapped in it."""
    if isinstance(options, Mapping) and isinstance(options.get(SECTION), Mapping):
        return options[SECTION]
    return options


def merge(*layers: Any) -> dict[str, Any]:
    """Lay raw settings dicts over one another; later layers win.

    ``rules`` merge per rule, ``extend*`` lists are unioned (order kept), anything else
    is replaced. Non-dict layers (``None``, junk) are ignored.
    """
    out: dict[str, Any] = {}
    for layer in layers:
        layer = section_of(layer)
        if not isinstance(layer, Mapping):
            continue
        for key, value in layer.items():
            if key == "rules" and isinstance(value, Mapping) and isinstance(out.get("rules"), Mapping):
                out["rules"] = {**out["rules"], **value}
            elif key in _EXTEND and isinstance(value, list) and isinstance(out.get(key), list):
                out[key] = out[key] + [v for v in value if v not in out[key]]
            else:
                out[key] = value
    return out


def parse_settings(raw: Any) -> tuple[Settings, list[str]]:
    """Raw settings (``None``, a dict, or a dict wrapped in ``{"agentls": ...}``) to
    :class:`Settings` plus human-readable problems. Never raises."""
    problems: list[str] = []
    raw = section_of(raw)
    if raw is None:
        return Settings(), problems
    if not isinstance(raw, Mapping):
        problems.append(f"settings must be an object, got {type(raw).__name__}; using defaults")
        return Settings(), problems

    rules = RuleSettings()
    value = raw.get("rules")
    if value is not None and not isinstance(value, Mapping):
        problems.append(f"`rules` must be an object mapping rule codes to severities, got {type(value).__name__}")
    elif value:
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
                rules.disabled.add(rule.code)
                rules.severities.pop(rule.code, None)
            elif word in _ON:
                rules.disabled.discard(rule.code)
                rules.severities.pop(rule.code, None)
            else:
                try:
                    rules.severities[rule.code] = Severity.parse(word)
                    rules.disabled.discard(rule.code)
                except ValueError as exc:
                    problems.append(f"`rules.{key}`: {exc}")

    extra: dict[str, frozenset[str]] = {}
    for key, attr in _EXTEND.items():
        value = raw.get(key)
        if value is None:
            extra[attr] = frozenset()
            continue
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            problems.append(f"`{key}` must be a list of strings, got {type(value).__name__}")
            extra[attr] = frozenset()
            continue
        good = [v.strip() for v in value if isinstance(v, str) and v.strip()]
        if len(good) != len(value):
            problems.append(f"`{key}`: ignored {len(value) - len(good)} entr{'y' if len(value) - len(good) == 1 else 'ies'} "
                            "that are not non-empty strings")
        extra[attr] = frozenset(good)

    for key in raw:
        if key not in _KNOWN:
            problems.append(f"unknown setting {key!r} (known: {', '.join(sorted(_KNOWN))})")

    return Settings(rules, Extensions(**extra), dict(raw)), problems
