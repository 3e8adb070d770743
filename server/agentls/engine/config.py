"""Project configuration: ``[tool.agentls]`` in ``pyproject.toml``, or ``agentls.toml``.

The closest configuration file to a checked file wins (``.agentls.toml``, then
``agentls.toml``, then a ``pyproject.toml`` that has a ``[tool.agentls]`` table, in each
folder from the file's own up to the filesystem root). ``agentls check --config FILE``
forces one file for every path. The CLI and the language server both go through
:func:`load_config_for`, which caches each file by modification time, so an edited
configuration is picked up on the next lint.

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

Rule selection follows ruff: ``select`` (default ``ALL``) picks the rules, ``extend-select``
adds to them and ``ignore`` removes them, except where a more specific selector (an
exact code beats ``AGT4``, which beats ``AGT`` and ``ALL``) selects a rule again.
Overrides, then the command line, are layered on top in order.
"""

from __future__ import annotations

import difflib
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from agentls.core.paths import CONFIG_FILES
from agentls.rules.lint import EXTEND_KEYS, Extensions
from agentls.rules.registry import RuleSettings, Severity
from agentls.rules.ruleset import all_rules, lookup

FACT_KEYS = {toml: attr for attr, (toml, _setting) in EXTEND_KEYS.items()}  # extend-tools -> tools
TOP_KEYS = ("select", "extend-select", "ignore", "severity", "overrides", "exclude", "include", *FACT_KEYS)
OVERRIDE_KEYS = ("files", "select", "extend-select", "ignore", "severity")


# -- errors ----------------------------------------------------------------------------------
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


# -- selectors -------------------------------------------------------------------------------
def resolve_selector(selector: str) -> tuple[frozenset[str], int] | None:
    """The codes a selector names and how specific it is, or None if it names nothing.

    ``ALL`` (specificity 0), a code prefix such as ``AGT`` or ``AGT4`` (its length), or a
    rule code or name (most specific).
    """
    s = selector.strip()
    if not s:
        return None
    if s.upper() == "ALL":
        return frozenset(r.code for r in all_rules()), 0
    rule = lookup(s)
    if rule is not None:
        return frozenset({rule.code}), 100
    prefix = s.upper()
    if re.fullmatch(r"[A-Z]+[0-9]*", prefix):
        codes = frozenset(r.code for r in all_rules() if r.code.startswith(prefix))
        if codes:
            return codes, len(prefix)
    return None


@dataclass
class Layer:
    """One level of selection: the file's settings, an override, or the command line."""

    select: list[tuple[frozenset[str], int]] | None = None  # None: keep what the level below has
    extend_select: list[tuple[frozenset[str], int]] = field(default_factory=list)
    ignore: list[tuple[frozenset[str], int]] = field(default_factory=list)
    severity: list[tuple[frozenset[str], int, Severity]] = field(default_factory=list)

    def apply(self, enabled: set[str]) -> set[str]:
        on: dict[str, int] = {c: 0 for c in enabled} if self.select is None else {}
        for codes, spec in (self.select or []) + self.extend_select:
            for c in codes:
                on[c] = max(on.get(c, -1), spec)
        off: dict[str, int] = {}
        for codes, spec in self.ignore:
            for c in codes:
                off[c] = max(off.get(c, -1), spec)
        return {c for c, spec in on.items() if spec > off.get(c, -1)}

    def apply_severity(self, severities: dict[str, Severity]) -> None:
        for codes, _spec, sev in sorted(self.severity, key=lambda item: item[1]):
            for c in codes:
                severities[c] = sev


@dataclass
class Override:
    files: list[str]
    layer: Layer
    _patterns: list[re.Pattern] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._patterns = [glob_regex(p) for p in self.files]


# -- globs -----------------------------------------------------------------------------------
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


def _relative(path: str | os.PathLike, root: Path) -> str:
    text, base = os.path.abspath(path), os.fspath(root)
    if text.startswith(base) and text[len(base):len(base) + 1] == os.sep and base != os.sep:
        return text[len(base) + 1:].replace(os.sep, "/")  # the common case, without pathlib
    p = Path(text)
    try:
        return p.relative_to(root).as_posix()
    except ValueError:
        return os.path.relpath(p, root).replace(os.sep, "/")


# -- the configuration -----------------------------------------------------------------------
@dataclass
class Config:
    path: Path | None  # None: no configuration file (defaults)
    root: Path  # globs are relative to this folder
    base: Layer = field(default_factory=Layer)
    overrides: list[Override] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    extensions: Extensions = field(default_factory=Extensions)
    cli: Layer | None = None  # the command line's --select/--ignore, on top of everything
    # Markdown files found in a walk that are checked as agents although their location
    # does not make them agent files (globs like ``exclude``'s)
    include: list[str] = field(default_factory=list)
    _exclude: list[re.Pattern] = field(default_factory=list, repr=False)
    _include: list[re.Pattern] = field(default_factory=list, repr=False)
    _settings: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._exclude = [glob_regex(p) for p in self.exclude]
        self._include = [glob_regex(p) for p in self.include]

    def layers_for(self, path: str | os.PathLike) -> list[Layer]:
        layers = [self.base]
        if self.overrides:
            rel = _relative(path, self.root)
            layers += [o.layer for o in self.overrides if any(p.match(rel) for p in o._patterns)]
        if self.cli is not None:
            layers.append(self.cli)
        return layers

    def settings_for(self, path: str | os.PathLike) -> tuple[RuleSettings, Extensions]:
        """The rules, severities and extra known names that apply to ``path``."""
        layers = self.layers_for(path)
        key = tuple(id(layer) for layer in layers)
        cached = self._settings.get(key)
        if cached is None:  # shared by every file with the same layers: treat as read-only
            codes = {r.code for r in all_rules()}
            enabled = set(codes)
            severities: dict[str, Severity] = {}
            for layer in layers:
                enabled = layer.apply(enabled)
                layer.apply_severity(severities)
            cached = self._settings[key] = RuleSettings(disabled=codes - enabled, severities=severities)
        return cached, self.extensions

    def is_excluded(self, path: str | os.PathLike) -> bool:
        if not self._exclude:
            return False
        rel = _relative(path, self.root)
        return any(p.match(rel) for p in self._exclude)

    def is_included(self, path: str | os.PathLike) -> bool:
        if not self._include:
            return False
        rel = _relative(path, self.root)
        return any(p.match(rel) for p in self._include)

    def with_cli(self, layer: Layer | None) -> "Config":
        if layer is None:
            return self
        return Config(self.path, self.root, self.base, self.overrides, self.exclude, self.extensions, layer,
                      include=self.include)


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
            result: Config | ConfigError = _parse(p)
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

    def __init__(self, config_file: str | os.PathLike | None = None, cli: Layer | None = None) -> None:
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
                layered = self._layered[id(base)] = (base, base.with_cli(self.cli))
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
        return self.for_path(path).is_excluded(path)

    def included(self, path: str | os.PathLike) -> bool:
        """Whether the closest configuration's ``include`` makes ``path`` an agent file."""
        return self.for_path(path).is_included(path)

    def settings_for(self, path: str | os.PathLike) -> tuple[RuleSettings, Extensions]:
        return self.for_path(path).settings_for(path)


def cli_layer(select: list[str] | None = None, extend_select: list[str] | None = None,
              ignore: list[str] | None = None) -> Layer | None:
    """``--select``/``--extend-select``/``--ignore`` (comma-separated, repeatable) as a layer."""
    if not (select or extend_select or ignore):
        return None

    def parse(values: list[str] | None, option: str) -> list[tuple[frozenset[str], int]]:
        out = []
        for value in values or []:
            for item in value.split(","):
                if not item.strip():
                    continue
                resolved = resolve_selector(item)
                if resolved is None:
                    raise ValueError(f"unknown rule or prefix {item.strip()!r} in {option}"
                                     " (see `agentls rule --all`)")
                out.append(resolved)
        return out

    return Layer(parse(select, "--select") if select else None, parse(extend_select, "--extend-select"),
                 parse(ignore, "--ignore"))


# -- parsing with line numbers ---------------------------------------------------------------
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


def _parse(path: Path) -> Config:
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

    def report(keys: tuple, message: str, value: str | None = None) -> None:
        problems.append(Problem(display, locator.line(prefix + keys, value), message))

    section = "[" + ".".join(prefix) + "]" if prefix else display
    if not isinstance(table, dict):
        report((), "[tool.agentls] must be a table")
        raise ConfigError(problems)
    for key in table:
        if key not in TOP_KEYS:
            report((key,), f"unknown key {key!r} in {section}{_did_you_mean(key, TOP_KEYS)}")

    base = _layer(table, (), report)
    extensions: dict[str, frozenset[str]] = {}
    for key, attr in FACT_KEYS.items():
        extensions[attr] = frozenset(_strings(table, key, (), report))
    exclude = _strings(table, "exclude", (), report)
    include = _strings(table, "include", (), report)
    overrides = []
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
        overrides.append(Override(files, _layer(o, where, report)))
    if problems:
        raise ConfigError(sorted(problems, key=lambda p: p.line))
    return Config(path, path.parent, base, overrides, exclude, Extensions(**extensions), include=include)


def _strings(table: dict, key: str, where: tuple, report) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        report(where + (key,), f"`{key}` must be a list of strings, got {_toml_repr(value)}")
        return []
    return value


def _selectors(table: dict, key: str, where: tuple, report) -> list[tuple[frozenset[str], int]] | None:
    if key not in table:
        return None
    out = []
    for item in _strings(table, key, where, report):
        resolved = resolve_selector(item)
        if resolved is None:
            report(where + (key,), f"unknown rule or prefix {item!r} in `{key}`{_did_you_mean_rule(item)}",
                   item)
        else:
            out.append(resolved)
    return out


def _layer(table: dict, where: tuple, report) -> Layer:
    severity = []
    raw = table.get("severity", {})
    if not isinstance(raw, dict):
        report(where + ("severity",), "`severity` must be a table of rule = \"error\" | \"warning\" | \"info\" | \"hint\"")
        raw = {}
    for sel, value in raw.items():
        resolved = resolve_selector(sel)
        if resolved is None:
            report(where + ("severity", sel), f"unknown rule or prefix {sel!r} in `severity`{_did_you_mean_rule(sel)}")
            continue
        if not isinstance(value, str):
            report(where + ("severity", sel), f"severity of {sel!r} must be a string, got {_toml_repr(value)}")
            continue
        try:
            severity.append((resolved[0], resolved[1], Severity.parse(value)))
        except ValueError as exc:
            report(where + ("severity", sel), f"{exc} for {sel!r}")
    return Layer(_selectors(table, "select", where, report),
                 _selectors(table, "extend-select", where, report) or [],
                 _selectors(table, "ignore", where, report) or [], severity)


def _did_you_mean(key: str, choices) -> str:
    close = difflib.get_close_matches(key, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(choices)})"


# Letters typed for digits in a rule code: AGT4OO is AGT400.
_DIGIT_LOOKALIKES = str.maketrans("OILS", "0115")


def _did_you_mean_rule(item: str) -> str:
    rules = all_rules()
    codes = [r.code for r in rules]
    m = re.fullmatch(r"(?i)agt([0-9oils]{1,3})", item.strip())
    if m:
        code = "AGT" + m.group(1).upper().translate(_DIGIT_LOOKALIKES)
        if code != item and any(c.startswith(code) for c in codes):
            return f" (did you mean {code!r}?)"
    # The closest code or name, but only if no other is as close: AGT499 is as close to
    # every AGT4xx code, and naming one of them would be a guess.
    scores = []
    for name in codes + [r.name for r in rules]:
        matcher = difflib.SequenceMatcher(None, item, name)
        if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6:
            scores.append((matcher.ratio(), name))
    scores.sort(reverse=True)
    if scores and scores[0][0] >= 0.6 and (len(scores) == 1 or scores[1][0] < scores[0][0]):
        return f" (did you mean {scores[0][1]!r}?)"
    return " (see `agentls rule --all`)"


def _toml_repr(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return "a table"
    return repr(value)


def _display(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def configs_from_args(args) -> ConfigSet:
    """The :class:`ConfigSet` for ``agentls check`` options (``--config``, ``--select``...).

    Raises :class:`ConfigError` for a bad configuration file and ``ValueError`` for a bad
    option; the CLI turns both into exit code 2.
    """
    layer = cli_layer(getattr(args, "select", None), getattr(args, "extend_select", None),
                      getattr(args, "ignore", None))
    return ConfigSet(getattr(args, "config", None), layer)


# -- the language server ---------------------------------------------------------------------
_REPORTED: set[tuple] = set()


def overlay(rules: RuleSettings, extensions: Extensions, client) -> tuple[RuleSettings, Extensions]:
    """Lay editor settings (:class:`agentls.engine.settings.Settings`) over a file's settings.

    A rule the editor names wins: ``"off"`` disables it, a severity enables it at that
    severity, ``"on"`` enables it at its default; ``extend*`` lists are unioned.
    """
    from agentls.engine.settings import _ON

    disabled = set(rules.disabled)
    severities = dict(rules.severities)
    raw_rules = getattr(client, "raw", {}).get("rules") if client is not None else None
    if isinstance(raw_rules, dict):
        for key, level in raw_rules.items():
            rule = lookup(key) if isinstance(key, str) else None
            if rule is None:
                continue
            if level is True or (isinstance(level, str) and level.strip().lower() in _ON):
                disabled.discard(rule.code)
                severities.pop(rule.code, None)
    if client is not None:
        disabled |= client.rules.disabled
        for code, sev in client.rules.severities.items():
            severities[code] = sev
            disabled.discard(code)
        extensions = extensions.union(client.extensions)
    return RuleSettings(disabled, severities), extensions


def server_settings_for(path: str | None, client=None) -> tuple[object, RuleSettings, Extensions, bool]:
    """``(stamp, rules, extensions, excluded)`` for a document open in the language server.

    The closest configuration file's settings for ``path``, with the editor's settings
    (``client``) on top. ``stamp`` changes whenever the configuration file is reloaded
    (its mtime or size changed), so it belongs in any cache key. A broken configuration
    is logged once per version and ignored (defaults apply), never raised.
    """
    import logging

    base_rules, base_extensions, excluded, stamp = RuleSettings(), Extensions(), False, None
    if path:
        try:
            config = load_config_for(path, cached=True)
            base_rules, base_extensions = config.settings_for(path)
            excluded = config.is_excluded(path)
            stamp = id(config)
        except ConfigError as exc:
            stamp = ("error", str(exc))
            if stamp not in _REPORTED:
                _REPORTED.add(stamp)
                logging.getLogger("agentls.engine.config").warning("configuration ignored:\n%s", exc)
    rules, extensions = _overlay_cached(base_rules, base_extensions, client)
    return stamp, rules, extensions, excluded


# server_settings_for runs on every keystroke; the file's settings and the editor's
# change rarely (each change makes new objects), so the overlay of the same three
# objects is reused. The entry holds the objects themselves, so ids stay theirs.
_OVERLAYS: dict[tuple[int, int, int], tuple] = {}


def _overlay_cached(rules: RuleSettings, extensions: Extensions, client) -> tuple[RuleSettings, Extensions]:
    key = (id(rules), id(extensions), id(client))
    hit = _OVERLAYS.get(key)
    if hit is not None and hit[0] is rules and hit[1] is extensions and hit[2] is client:
        return hit[3], hit[4]
    out = overlay(rules, extensions, client)
    if len(_OVERLAYS) >= 64:
        _OVERLAYS.clear()
    _OVERLAYS[key] = (rules, extensions, client, *out)
    return out
