"""Reading one configuration file (TOML) into :class:`~agentls.engine.settings.Settings`.

``[tool.agentls]`` in ``pyproject.toml``, or the same keys at the top level of
``agentls.toml``/``.agentls.toml``. Every problem is found at once and named with its
line (tomllib keeps none: :class:`_Locator` finds them), with a did-you-mean for a
misspelt key or rule; any problem makes the whole file a :class:`ConfigError` (the CLI
exits with code 2, the language server logs it and uses the defaults).

Example (``pyproject.toml``; in ``agentls.toml`` drop the ``tool.agentls`` prefix)::

    [tool.agentls]
    select = ["ALL"]              # codes, names, prefixes ("AGT4") or "ALL"
    extend-select = []
    ignore = ["AGT602"]
    exclude = ["drafts/", "**/*.draft.md"]
    include = ["engineering/**/*.md"]   # other Markdown files to check as agents
    extend-tools = ["NewTool"]    # names a newer Claude Code knows
    extend-models = []
    extend-colors = []
    extend-keys = []

    [tool.agentls.severity]
    AGT400 = "error"

    [[tool.agentls.overrides]]
    files = ["plugins/**"]
    ignore = ["AGT101"]
    severity = { unknown-model = "info" }

The rule keys (``select``, ``extend-select``, ``ignore``, ``severity``) make one
:class:`~agentls.engine.selectors.RuleSelection`, and each override one more, limited
to its ``files``; every other key is a row of :data:`agentls.engine.settings.VALUES`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from agentls.engine.globs import Globs
from agentls.engine.selectors import RuleSelection, Selected, did_you_mean_rule, resolve_selector
from agentls.engine.settings import (
    Settings,
    Source,
    describe,
    parse_values,
    string_list,
    value_keys,
)
from agentls.rules.registry import Severity

RULE_KEYS = ("select", "extend-select", "ignore", "severity")
_FILE = Source(Path("."))
TOP_KEYS = (*RULE_KEYS, "overrides", *value_keys(_FILE))
OVERRIDE_KEYS = ("files", *RULE_KEYS)


@dataclass(frozen=True)
class Problem:
    path: str
    line: int  # 1-based; 0 when unknown
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class ConfigError(Exception):
    """One or more problems in a configuration file (the CLI exits with code 2)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _Locator:
    """Line numbers of keys and values in TOML text (tomllib keeps none)."""

    _HEADER = re.compile(r"^[ \t]*(\[\[?)[ \t]*([^\]]+?)[ \t]*\]\]?[ \t]*(?:#.*)?$")
    _KEY = re.compile(r"^[ \t]*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:[ \t]*\.[ \t]*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)[ \t]*=")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.keys: dict[tuple, int] = {}
        self.headers: list[tuple[int, tuple]] = []
        table: tuple = ()
        counts: dict[tuple, int] = {}
        for n, line in enumerate(self.lines, 1):
            m = self._HEADER.match(line)
            if m:
                path = self._split(m.group(2))
                if m.group(1) == "[[":
                    counts[path] = counts.get(path, -1) + 1
                    table = path + (counts[path],)
                else:
                    table = self._with_indexes(path, counts)
                self.keys.setdefault(table, n)
                self.headers.append((n, table))
                continue
            m = self._KEY.match(line)
            if m:
                self.keys.setdefault(table + self._split(m.group(1)), n)

    @staticmethod
    def _split(dotted: str) -> tuple:
        parts = re.findall(r"\"[^\"]*\"|'[^']*'|[^.\s]+", dotted)
        return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)

    @staticmethod
    def _with_indexes(path: tuple, counts: dict[tuple, int]) -> tuple:
        # [tool.agentls.overrides.severity] after [[tool.agentls.overrides]] belongs to the last one
        out: tuple = ()
        for part in path:
            out += (part,)
            if out in counts:
                out += (counts[out],)
        return out

    def line(self, path: tuple, value: str | None = None) -> int:
        p = path
        while p and p not in self.keys:
            p = p[:-1]
        line = self.keys.get(p, 0)
        if value is not None and line:
            stop = next((n for n, _ in self.headers if n > line), len(self.lines) + 1)
            for n in range(line, stop):
                text = self.lines[n - 1]
                if f'"{value}"' in text or f"'{value}'" in text:
                    return n
        return line


def parse_file(path: Path) -> Settings:
    """The settings in one configuration file; :class:`ConfigError` lists every problem."""
    display = _display(path)
    try:
        raw = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem(display, 0, f"cannot read configuration: {exc}")]) from None
    import tomllib  # only when there is a file to read: not on the server's way to `initialize`

    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(m.group(1)) if m else 0
        if not m and "end of document" in str(exc):
            line = max(1, len(raw.splitlines()))
        msg = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", str(exc))
        raise ConfigError([Problem(display, line, f"invalid TOML: {msg}"
                                   + (f" (column {m.group(2)})" if m else ""))]) from None
    prefix: tuple = ()
    if path.name == "pyproject.toml":
        prefix = ("tool", "agentls")
        table = data.get("tool", {}).get("agentls", {}) if isinstance(data.get("tool"), dict) else {}
    else:
        table = data
    locator = _Locator(raw)
    problems: list[Problem] = []
    source = Source(path.parent)

    def report(keys: tuple, message: str, value: str | None = None) -> None:
        problems.append(Problem(display, locator.line(prefix + keys, value), message))

    section = "[" + ".".join(prefix) + "]" if prefix else display
    if not isinstance(table, dict):
        report((), "[tool.agentls] must be a table")
        raise ConfigError(problems)
    for key in table:
        if key not in TOP_KEYS:
            report((key,), f"unknown key {key!r} in {section}{_did_you_mean(key, TOP_KEYS)}")

    levels = [_selection(table, (), report, None)]
    values = parse_values(table, source, lambda key, message: report((key,), message))
    raw_overrides = table.get("overrides", [])
    if not isinstance(raw_overrides, list) or not all(isinstance(o, dict) for o in raw_overrides):
        report(("overrides",), "overrides must be an array of tables ([[tool.agentls.overrides]])"
               if prefix else "overrides must be an array of tables ([[overrides]])")
        raw_overrides = []
    for i, o in enumerate(raw_overrides):
        where = ("overrides", i)
        for key in o:
            if key not in OVERRIDE_KEYS:
                report(where + (key,), f"unknown key {key!r} in overrides{_did_you_mean(key, OVERRIDE_KEYS)}")
        files = _strings(o, "files", where, report)
        if "files" not in o:
            report(where, "an override needs `files`, a list of globs")
        elif not files and not any(p.line == locator.line(prefix + where + ("files",)) for p in problems):
            report(where + ("files",), "`files` must list at least one glob")
        levels.append(_selection(o, where, report, Globs(tuple(files), source.root)))
    if problems:
        raise ConfigError(sorted(problems, key=lambda p: p.line))
    return Settings(rules=tuple(levels), **values)


def _strings(table: dict, key: str, where: tuple, report) -> list[str]:
    if key not in table:
        return []
    return string_list(table[key], key, _FILE, lambda message: report(where + (key,), message))


def _selectors(table: dict, key: str, where: tuple, report) -> tuple[Selected, ...] | None:
    if key not in table:
        return None
    out = []
    for item in _strings(table, key, where, report):
        resolved = resolve_selector(item)
        if resolved is None:
            report(where + (key,), f"unknown rule or prefix {item!r} in `{key}`{did_you_mean_rule(item)}", item)
        else:
            out.append(resolved)
    return tuple(out)


def _selection(table: dict, where: tuple, report, files: Globs | None) -> RuleSelection:
    severity = []
    raw = table.get("severity", {})
    if not isinstance(raw, dict):
        report(where + ("severity",), "`severity` must be a table of rule = \"error\" | \"warning\" | \"info\" | \"hint\"")
        raw = {}
    for sel, value in raw.items():
        resolved = resolve_selector(sel)
        if resolved is None:
            report(where + ("severity", sel), f"unknown rule or prefix {sel!r} in `severity`{did_you_mean_rule(sel)}")
            continue
        if not isinstance(value, str):
            report(where + ("severity", sel), f"severity of {sel!r} must be a string, got {describe(value, _FILE)}")
            continue
        try:
            severity.append((resolved[0], resolved[1], Severity.parse(value)))
        except ValueError as exc:
            report(where + ("severity", sel), f"{exc} for {sel!r}")
    return RuleSelection(_selectors(table, "select", where, report),
                         _selectors(table, "extend-select", where, report) or (),
                         _selectors(table, "ignore", where, report) or (), tuple(severity), files)


def _did_you_mean(key: str, choices) -> str:
    import difflib  # only for a did-you-mean

    close = difflib.get_close_matches(key, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(choices)})"


def _display(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel
