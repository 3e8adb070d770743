"""Reports for ``agentls check``: text, JSON, SARIF 2.1.0, GitHub annotations, statistics.

Every formatter takes the check results (objects with ``path``, ``display``, ``doc``,
``findings`` and ``error``, i.e. :class:`FileResult`) and returns text;
nothing here decides exit codes; :func:`read_text` is how the CLI reads a checked file.

Every finding names its target, the tool that loads the file (:func:`target_of`): JSON
``"target"`` (the id, ``claude-code``) and ``"target_name"``; SARIF the result's
``properties``; text and GitHub annotations show the tool's name for a file that is not
Claude Code's (a Claude Code finding reads as it always has), and the summary counts the
files of each tool when there is more than Claude Code.
"""

from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, TextIO

from agentls import __version__
from agentls.core.paths import display_path  # noqa: F401  (the CLI shows paths through it)
from agentls.engine.project import READ_ERROR  # how an E902 message for an unreadable file starts
from agentls.facts.targets import CLAUDE_CODE, TARGETS, Location, locate, target_name
from agentls.rules.registry import Finding, Severity
from agentls.rules.ruleset import all_rules

if TYPE_CHECKING:
    from agentls.cli.parallel import Source
    from agentls.core.document import Document

FORMATS = ("text", "json", "sarif", "github")
IO_ERROR = "E902"


@dataclass
class FileResult:
    """One checked file, as ``agentls check`` reports it."""

    path: Path
    display: str
    doc: "Document | Source | None"  # Source: checked in a worker process
    findings: list[Finding]
    error: str | None = None


def location_of(result: "FileResult") -> Location | None:
    """Where the checked file is, as the check read it: the kind it was parsed as (a
    :class:`Location` from discovery), else what its path says."""
    kind = getattr(result.doc, "kind", None)
    if isinstance(kind, Location):
        return kind
    return locate(os.path.abspath(result.path))


def target_of(result: "FileResult") -> str:
    """The id of the tool that loads the checked file (Claude Code for a file named
    on the command line that no tool's location holds)."""
    loc = location_of(result)
    return loc.target if loc is not None else CLAUDE_CODE


def _target_tag(result: "FileResult") -> str:
    """`` (Gemini CLI)`` after a finding's code in a file another tool than Claude Code loads."""
    target = target_of(result)
    return "" if target == CLAUDE_CODE else f" ({target_name(target)})"


def read_text(path: Path) -> str:
    """Decode as UTF-8; undecodable bytes become U+FFFD rather than an exception."""
    data = path.read_bytes()
    return data.decode("utf-8", errors="replace")


# -- terminal-safe text ----------------------------------------------------------------------
# Text from a file (snippets, messages quoting it, paths) must never drive the terminal:
# ``ESC ]0;…BEL`` would retitle it, ``ESC[31m`` recolour it, bidi controls reorder what
# is shown. C0 controls and DEL become their Unicode control pictures (``␛``, one column,
# as ruff shows them), C1 controls and bidi controls a ``\x9b`` / ``\u202e`` escape.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _picture(ch: str) -> str:
    o = ord(ch)
    if o < 0x20:
        return chr(0x2400 + o)
    if o == 0x7F:
        return "\u2421"
    return f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}"


def terminal_safe(text: str, keep: str = "") -> str:
    """``text`` with every control character shown as a visible escape (except those in ``keep``)."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else _picture(m.group()), text)


def _char_width(ch: str) -> int:
    """Terminal columns of one (already terminal-safe) character: 2 for wide and
    full-width characters (CJK, most emoji), 0 for combining marks and format characters."""
    if ch.isascii():
        return 1
    if unicodedata.east_asian_width(ch) in "WF":
        return 2
    return 0 if unicodedata.category(ch) in ("Mn", "Me", "Cf") else 1


def _render_source(text: str) -> tuple[str, list[int]]:
    """``(shown, columns)``: ``text`` made terminal-safe (tabs as one space), and the
    terminal column where each of its characters starts (one more entry: the end)."""
    if text.isascii() and not _UNSAFE.search(text):
        return text, list(range(len(text) + 1))
    pieces, columns, col = [], [], 0
    for ch in text:
        shown = " " if ch == "\t" else _picture(ch) if _UNSAFE.match(ch) else ch
        columns.append(col)
        pieces.append(shown)
        col += sum(_char_width(c) for c in shown)
    columns.append(col)
    return "".join(pieces), columns


# -- text output -----------------------------------------------------------------------------
class _Style:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text


Style = _Style
SEVERITY_STYLE = {Severity.ERROR: "1;31", Severity.WARNING: "1;33", Severity.INFO: "1;36", Severity.HINT: "2"}
_WINDOW = 100
_NOTES = 3  # related notes shown under a finding; the others are counted


def format_text(result: "FileResult", finding: Finding, style: _Style) -> str:
    doc = result.doc
    assert doc is not None
    line, col = doc.index.position(finding.span.start)
    end_line, end_col = doc.index.position(finding.span.end)
    fixable = " [*]" if finding.fix and finding.fix.safe else ""
    head = (f"{style(terminal_safe(result.display), '1')}:{line + 1}:{col + 1}: "
            f"{style(finding.code, SEVERITY_STYLE[finding.severity])}{fixable}{_target_tag(result)} "
            f"{terminal_safe(finding.message)}")
    source = doc.index.line_text(line)
    end = end_col if end_line == line else len(source)
    # Long lines (one-line descriptions) are shown as a window around the finding.
    start = 0
    prefix = suffix = ""
    if len(source) > _WINDOW:
        start = max(0, col - 20)
        prefix = "…" if start else ""
        suffix = "…" if start + _WINDOW < len(source) else ""
    window = source[start:start + _WINDOW] if prefix or suffix else source
    shown, columns = _render_source(window)
    # The carets sit under the characters as the terminal shows them (escapes, wide characters).
    first = min(col - start, len(window))
    last = max(first, min(end - start, len(window)))
    caret_col = len(prefix) + columns[first]
    width = max(1, columns[last] - columns[first])
    number = str(line + 1)
    pad = " " * len(number)
    caret = " " * caret_col + style("^" * width, SEVERITY_STYLE[finding.severity])
    lines = [head, f"{pad} |", f"{number} | {prefix}{shown}{suffix}", f"{pad} | {caret}"]
    for rel in finding.related[:_NOTES]:
        lines.append(f"{pad} = note: {terminal_safe(rel.message)} at {terminal_safe(display_path(rel.path))}"
                     f":{rel.line + 1}")
    cut = finding.related[_NOTES:]
    if cut:
        more = len(cut) + finding.related_omitted
        same = {rel.message for rel in cut}
        what = terminal_safe(same.pop()) if len(same) == 1 else "related location" + ("s" if more != 1 else "")
        lines.append(f"{pad} = note: {more} more {what} (not shown)")
    return "\n".join(lines)


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 file``, ``2 files`` (``many``: the plural when it is not ``word + "s"``)."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def unchecked(results: list["FileResult"]) -> str:
    """``"1 file could not be read"`` (and files whose parse failed), or ``""``: the E902s."""
    errors = [r.error for r in results if r.error]
    unread = sum(1 for e in errors if e.startswith(READ_ERROR))
    parts = []
    if unread:
        parts.append(f"{plural(unread, 'file')} could not be read")
    if len(errors) > unread:
        parts.append(f"{plural(len(errors) - unread, 'file')} could not be checked (an agentls bug)")
    return " and ".join(parts)


def by_target(results: list["FileResult"]) -> str:
    """``": 2 Claude Code, 1 Gemini CLI"``: the files of each tool, when there is more
    than Claude Code (else ``""``: a Claude Code-only run reads as it always has)."""
    counts = Counter(target_of(r) for r in results)
    if set(counts) <= {CLAUDE_CODE}:
        return ""
    order = list(TARGETS)
    shown = sorted(counts, key=lambda t: order.index(t) if t in order else len(order))
    return ": " + ", ".join(f"{counts[t]} {target_name(t)}" for t in shown)


def summary(results: list["FileResult"], style: _Style) -> str:
    findings = [f for r in results for f in r.findings]
    counts = {s: sum(1 for f in findings if f.severity == s) for s in Severity}
    fixable = sum(1 for f in findings if f.fix and f.fix.safe)
    trouble = unchecked(results)
    targets = by_target(results)
    if not findings and not trouble:
        return style(f"All checks passed ({plural(len(results), 'file')} checked{targets}).", "32")
    if not findings:
        checked = plural(sum(1 for r in results if not r.error), "file")
        return style(f"No findings in {checked} checked{targets}, but {trouble}.", "1;31")
    parts = [f"{counts[s]} {s.label}{'s' if counts[s] != 1 and s != Severity.INFO else ''}"
             for s in Severity if counts[s]]
    files = len({r.path for r in results if r.findings})
    text = (f"Found {plural(len(findings), 'finding')} ({', '.join(parts)}) "
            f"in {files} of {plural(len(results), 'file')}"
            + (f" ({targets[2:]})" if targets else "") + (f"; {trouble}." if trouble else "."))
    if fixable:
        text += f"\n[*] {fixable} fixable with `agentls check --fix`."
    return text


def render_text(results: list["FileResult"], style: _Style) -> str:
    out = []
    for r in results:
        if r.error:
            out.append(f"{style(terminal_safe(r.display), '1')}:1:1: {style(IO_ERROR, '1;31')} "
                       f"{terminal_safe(r.error)}")
            out.append("")
        for f in r.findings:
            out.append(format_text(r, f, style))
            out.append("")
    out.append(summary(results, style))
    return "\n".join(out) + "\n"


# -- JSON ------------------------------------------------------------------------------------
def finding_json(result: "FileResult", finding: Finding, cwd: str | None = None,
                 target: str | None = None) -> dict:
    doc = result.doc
    assert doc is not None
    line, col = doc.index.position(finding.span.start)
    end_line, end_col = doc.index.position(finding.span.end)
    target = target or target_of(result)
    out = {
        "path": result.display,
        "code": finding.code,
        "name": finding.rule.name,
        "severity": finding.severity.label,
        "message": finding.message,
        "line": line + 1,
        "column": col + 1,
        "end_line": end_line + 1,
        "end_column": end_col + 1,
        "url": finding.rule.url,
        "fix": None,
        "related": [{"path": display_path(r.path, cwd), "line": r.line + 1, "message": r.message}
                    for r in finding.related],
        "target": target,
        "target_name": target_name(target),
    }
    if finding.fix is not None:
        out["fix"] = {
            "title": finding.fix.title,
            "applicability": "safe" if finding.fix.safe else "unsafe",
            "edits": [{"start": e.span.start, "end": e.span.end, "content": e.new_text} for e in finding.fix.edits],
        }
    return out


_JSON = json.JSONEncoder(ensure_ascii=False)


def render_json(results: list["FileResult"]) -> str:
    cwd = os.getcwd()  # once: related paths are shown relative to it, thousands of them
    data = [finding_json(r, f, cwd, target) for r in results if r.findings
            for target in (target_of(r),) for f in r.findings]
    data += [io_error_json(r) for r in results if r.error]
    # One finding per line: readable, diff-friendly, and each item goes through the C
    # encoder (``indent=`` would force the pure-Python one, several times slower).
    if not data:
        return "[]\n"
    return json_safe("[\n" + ",\n".join(map(_JSON.encode, data)) + "\n]\n")


IO_ERROR_URL = "https://github.com/agentls/agentls/blob/main/docs/ci.md#output-formats"


def io_error_json(result: "FileResult") -> dict:
    """An E902 (file not read or not parsed) with the keys of every other finding."""
    target = target_of(result)
    return {"path": result.display, "code": IO_ERROR, "name": "io-error", "severity": "error",
            "message": result.error, "line": 1, "column": 1, "end_line": 1, "end_column": 1,
            "url": IO_ERROR_URL, "fix": None, "related": [], "target": target,
            "target_name": target_name(target)}


# The JSON encoder escapes C0 controls but writes C1 and bidi controls as they are (with
# ``ensure_ascii=False``): escape them too, so a report shown in a terminal cannot drive it.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def json_safe(text: str) -> str:
    """JSON text with the controls it may hold raw as ``\\u`` escapes: the same data."""
    if (text.isascii() and "\x7f" not in text) or not _JSON_UNSAFE.search(text):  # fast paths first
        return text
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# -- fingerprints (shared with the baseline) --------------------------------------------------
def line_hash(result: "FileResult", finding: Finding) -> str:
    """A hash of the finding's first line, whitespace-trimmed: stable when other lines move."""
    doc = result.doc
    assert doc is not None
    text = doc.index.line_text(doc.index.line_of(finding.span.start)).strip()
    import hashlib  # here: only baselines and SARIF hash (issue 17: 4 ms of every start)

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def fingerprint(path: str, code: str, message: str, lhash: str) -> str:
    import hashlib

    return hashlib.sha256("\0".join((path, code, message, lhash)).encode("utf-8")).hexdigest()[:32]


# -- SARIF 2.1.0 -----------------------------------------------------------------------------
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note", Severity.HINT: "note"}
INFORMATION_URI = "https://github.com/agentls/agentls"


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("-"))


def _sarif_rule(rule) -> dict:
    from agentls.services.docs import format_rule

    text = f"{rule.what}\n\n{rule.why}\n\nFix: {rule.how_to_fix}"
    return {
        "id": rule.code,
        "name": _pascal(rule.name),
        "shortDescription": {"text": rule.summary + "."},
        "fullDescription": {"text": " ".join(rule.what.split())},
        "helpUri": rule.url,
        "help": {"text": text, "markdown": format_rule(rule, "##")},
        "defaultConfiguration": {"level": SARIF_LEVEL[rule.severity]},
        "properties": {"tags": [t for t in (rule.family, *sorted(rule.kinds)) if t],
                       "kebabName": rule.name,
                       "targets": sorted(rule.targets),
                       "problem.severity": {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(
                           rule.severity, "recommendation")},
    }


def _uri(path: str | os.PathLike, root: Path) -> tuple[str, str | None]:
    """``(uri, uriBaseId)``: relative to ``%SRCROOT%`` when under the root, else absolute."""
    p = Path(os.path.abspath(path))
    try:
        rel = p.relative_to(root)
    except ValueError:
        return p.as_uri(), None
    from urllib.parse import quote  # here: only SARIF (issue 17: 4 ms of every start)

    return quote(rel.as_posix()), "%SRCROOT%"


def _location(path: str | os.PathLike, root: Path, region: dict | None) -> dict:
    uri, base = _uri(path, root)
    artifact = {"uri": uri}
    if base:
        artifact["uriBaseId"] = base
    loc: dict = {"artifactLocation": artifact}
    if region:
        loc["region"] = region
    return {"physicalLocation": loc}


def _region(result: "FileResult", start: int, end: int, snippet: bool = True) -> dict:
    doc = result.doc
    assert doc is not None
    line, col = doc.index.position(start)
    end_line, end_col = doc.index.position(end)
    region = {"startLine": line + 1, "startColumn": col + 1, "endLine": end_line + 1, "endColumn": end_col + 1}
    if end <= start:
        region["endColumn"] = col + 1  # an insertion point: an empty region
    if snippet:
        region["snippet"] = {"text": doc.index.line_text(line)}
    return region


def render_sarif(results: list["FileResult"], root: str | None = None) -> str:
    base = Path(os.path.abspath(root or os.getcwd()))
    rules = all_rules()
    index = {r.code: i for i, r in enumerate(rules)}
    sarif_results = []
    notifications = []
    for r in results:
        if r.error:
            notifications.append({"level": "error", "message": {"text": f"{r.display}: {r.error}"},
                                  "locations": [_location(r.path, base, {"startLine": 1, "startColumn": 1})],
                                  "descriptor": {"id": IO_ERROR, "index": 0}})
        loc = location_of(r) if r.findings else None
        props = {"target": loc.target if loc is not None else CLAUDE_CODE,
                 "targetName": target_name(loc.target if loc is not None else CLAUDE_CODE),
                 "kind": str(loc) if loc is not None else "agent"}
        for f in r.findings:
            item = {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": SARIF_LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [_location(r.path, base, _region(r, f.span.start, f.span.end))],
                "partialFingerprints": {
                    "agentls/v1": fingerprint(r.display, f.code, f.identity, line_hash(r, f))},
                "properties": dict(props),
            }
            if f.related:
                item["relatedLocations"] = [
                    {"id": i, "message": {"text": rel.message},
                     **_location(rel.path, base, {"startLine": rel.line + 1})}
                    for i, rel in enumerate(f.related, 1)]
            if f.fix is not None:
                item["fixes"] = [{
                    "description": {"text": f.fix.title + ("" if f.fix.safe else " (unsafe)")},
                    "artifactChanges": [{
                        "artifactLocation": _location(r.path, base, None)["physicalLocation"]["artifactLocation"],
                        "replacements": [{
                            "deletedRegion": _region(r, e.span.start, e.span.end, snippet=False),
                            "insertedContent": {"text": e.new_text},
                        } for e in f.fix.edits],
                    }],
                }]
            sarif_results.append(item)
    run: dict = {
        "tool": {"driver": {
            "name": "agentls",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": INFORMATION_URI,
            "rules": [_sarif_rule(rule) for rule in rules],
            "notifications": [{"id": IO_ERROR, "name": "IoError",
                               "shortDescription": {"text": "A file could not be read or parsed."},
                               "helpUri": IO_ERROR_URL,
                               "defaultConfiguration": {"level": "error"}}],
        }},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": base.as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": not notifications,
                         **({"toolExecutionNotifications": notifications} if notifications else {})}],
        "results": sarif_results,
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json_safe(json.dumps(log, indent=2, ensure_ascii=False) + "\n")


# -- GitHub Actions workflow commands ---------------------------------------------------------
GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice", Severity.HINT: "notice"}


def _gh_data(text: str) -> str:
    # The log shows annotations with ANSI colours: other controls are shown, not obeyed.
    return terminal_safe(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(results: list["FileResult"]) -> str:
    out = []
    for r in results:
        path = Path(r.display).as_posix()
        if r.error:
            out.append(f"::error file={_gh_prop(path)},line=1,col=1,endLine=1,endColumn=1,"
                       f"title={_gh_prop(IO_ERROR + ' io-error')}::{_gh_data(r.error)}")
        tag = _target_tag(r) if r.findings else ""
        for f in r.findings:
            doc = r.doc
            assert doc is not None
            line, col = doc.index.position(f.span.start)
            end_line, end_col = doc.index.position(f.span.end)
            props = [f"file={_gh_prop(path)}", f"line={line + 1}", f"col={col + 1}",
                     f"endLine={end_line + 1}", f"endColumn={end_col + 1}",
                     f"title={_gh_prop(f'{f.code} {f.rule.name}{tag}')}"]
            out.append(f"::{GITHUB_LEVEL[f.severity]} {','.join(props)}::{_gh_data(f.message)}")
    return "".join(line + "\n" for line in out)


# -- statistics ------------------------------------------------------------------------------
def statistics(results: list["FileResult"]) -> list[dict]:
    counts: Counter[str] = Counter(f.code for r in results for f in r.findings)
    fixable: Counter[str] = Counter(f.code for r in results for f in r.findings if f.fix and f.fix.safe)
    errors = sum(1 for r in results if r.error)
    rows = []
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        finding = next(f for r in results for f in r.findings if f.code == code)
        rows.append({"code": code, "name": finding.rule.name, "count": n, "fixable": fixable[code]})
    if errors:
        rows.append({"code": IO_ERROR, "name": "io-error", "count": errors, "fixable": 0})
    return rows


def render_statistics(results: list["FileResult"], fmt: str = "text") -> str:
    rows = statistics(results)
    if fmt == "json":
        return json.dumps(rows, indent=2) + "\n"
    if not rows:
        return ""
    width = max(len(str(r["count"])) for r in rows)
    name_width = max(len(r["name"]) for r in rows)
    lines = []
    for r in rows:
        mark = "[*]" if r["fixable"] == r["count"] else ("[-]" if r["fixable"] else "   ")
        lines.append(f"{r['count']:>{width}}\t{r['code']}\t{mark} {r['name']:<{name_width}}".rstrip())
    return "\n".join(lines) + "\n"


def render(results: list["FileResult"], fmt: str, style: _Style | None = None, *,
           stats: bool = False, root: str | None = None) -> str:
    """The whole report in ``fmt`` (``--statistics`` replaces the findings by counts)."""
    if stats:
        return render_statistics(results, "json" if fmt == "json" else "text")
    if fmt == "json":
        return render_json(results)
    if fmt == "sarif":
        return render_sarif(results, root)
    if fmt == "github":
        return render_github(results)
    return render_text(results, style or _Style(False))


def failing(results: Iterable["FileResult"], fail_on: str = "error") -> bool:
    """Whether any finding is at or above ``fail_on`` (I/O errors always fail)."""
    threshold = Severity.parse(fail_on)
    return any(r.error for r in results) or any(f.severity <= threshold for r in results for f in r.findings)


# -- progress --------------------------------------------------------------------------------
class Progress:
    """A one-line progress bar on an interactive stderr; silent otherwise."""

    THRESHOLD = 50

    def __init__(self, stream: TextIO | None = None, *, threshold: int = THRESHOLD, force: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.threshold = threshold
        try:
            tty = self.stream.isatty()
        except (AttributeError, ValueError):
            tty = False
        self.enabled = force or tty
        self._shown = False
        self._last = -1

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= self.threshold:
            return
        percent = done * 100 // total
        if percent == self._last and done != total:
            return
        self._last = percent
        width = 30
        filled = width * done // total
        bar = "█" * filled + "░" * (width - filled)
        self.stream.write(f"\r\x1b[2Kchecking {bar} {done}/{total} files")
        self.stream.flush()
        self._shown = True
        if done == total:
            self.close()

    def close(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self._shown = False


class ReportError(Exception):
    """The ``--output-file`` cannot be written (a usage error: exit 2)."""

    def __init__(self, path: str, exc: OSError) -> None:
        reason = "it is a folder" if isinstance(exc, IsADirectoryError) else exc.strerror or str(exc)
        super().__init__(f"cannot write the report to {path!r}: {reason}")


def report_file_problem(path: str) -> str | None:
    """Why ``--output-file path`` cannot be written, known before the check runs, or ``None``."""
    p = Path(path)
    if p.is_dir() or path.endswith(("/", os.sep)):
        return f"cannot write the report to {path!r}: it is a folder"
    parent = next((a for a in (p.absolute(), *p.absolute().parents) if a.exists()), None)
    if parent is not None and parent != p.absolute():
        if not parent.is_dir():
            return f"cannot write the report to {path!r}: {str(parent)!r} is not a folder"
        if not os.access(parent, os.W_OK | os.X_OK):
            return f"cannot write the report to {path!r}: {str(parent)!r} is not writable"
    elif parent is not None and not os.access(p, os.W_OK):
        return f"cannot write the report to {path!r}: permission denied"
    return None


def write_report(results: list["FileResult"], args, stdout: TextIO | None = None) -> None:
    """Render ``results`` as ``agentls check`` options ask (``--format``, ``--statistics``,
    ``--output-file``, ``--color``) and write the report."""
    out = stdout or sys.stdout
    output_file = getattr(args, "output_file", None)
    color = getattr(args, "color", "auto")
    tty = output_file is None and out.isatty()
    # A report file never holds colour codes, whatever --color says.
    style = _Style(output_file is None and (color == "always" or (
        color == "auto" and tty and not os.environ.get("NO_COLOR"))))
    text = render(results, getattr(args, "format", "text") or "text", style,
                  stats=getattr(args, "statistics", False))
    if output_file:
        try:
            Path(output_file).parent.mkdir(parents=True, exist_ok=True)
            Path(output_file).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise ReportError(output_file, exc) from None
    else:
        out.write(text)
        out.flush()
