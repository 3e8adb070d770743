"""Fixture agent files with the expected findings marked inline (markdownlint style).

Markers, anywhere in a fixture (in a YAML comment, an HTML comment, the text), always
with the finding's severity, so a change of severity is a change of specification:

* ``{AGT400 warning}``          a warning with that code starts on this line;
* ``{AGT400@14 warning}``       ...at column 14 (1-based, in code points);
* ``{AGT400:7 error}``          ...on line 7 (for lines that cannot carry a comment);
* ``{AGT400:7@3 error}``        ...on line 7 at column 3;
* ``{AGT400@14 warning "did you mean `Grep`"}``  ...and its message contains that text.

The findings must match the markers exactly: nothing missing, nothing extra. A marker
without a severity is an error in the fixture. The folder says what the file is:
``agents/`` (project agents), ``plugin-agents/``, ``skills/<name>/SKILL.md``,
``commands/``. Folders under ``workspaces/`` are checked together, so cross-file rules
see each other's files, and where each file is says which tool loads it
(:mod:`agentls.facts.targets`); every Markdown file there must be checked, except a file
marked ``{not loaded}`` (no tool loads it: documentation, a folder a plugin does not
declare), which must not be.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from agentls.cli.main import check_paths
from agentls.core.document import Document
from agentls.core.text import decode_utf8
from agentls.rules.lint import Context, lint, parse_bytes
from agentls.rules.ruleset import all_rules

FIXTURES = Path(__file__).parent.parent / "fixtures"
MARKER = re.compile(r'\{(AGT\d{3})(?::(\d+))?(?:@(\d+))? (error|warning|info|hint)(?: "([^"]*)")?\}')
# Anything that starts like a marker: each must parse as one (no severity-less markers).
MARKER_LIKE = re.compile(r"\{AGT\d{3}[^}]*\}")
NOT_LOADED = "{not loaded}"  # a workspace file no tool loads
KINDS = {"agents": ("agent", False), "plugin-agents": ("agent", True), "skills": ("skill", False),
         "commands": ("command", False)}


def expected_markers(text: str) -> list[tuple]:
    """``(code, line, column or 0, severity, message fragment)`` per marker."""
    out = []
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        for like in MARKER_LIKE.finditer(line):
            m = MARKER.fullmatch(like.group(0))
            assert m, f"line {number}: malformed marker {like.group(0)!r} (needs a severity)"
            at = int(m.group(2)) if m.group(2) else number
            out.append((m.group(1), at, int(m.group(3) or 0), m.group(4), m.group(5) or ""))
    return sorted(out)


def actual(doc: Document, findings, expected) -> list[tuple]:
    """The findings in the markers' shape: a column or a message fragment is compared
    only where a marker of that code on that line gives one."""
    with_column = {(e[0], e[1]) for e in expected if e[2]}
    fragments: dict[tuple, list[str]] = {}
    for e in expected:
        fragments.setdefault((e[0], e[1]), []).append(e[4])
    out = []
    for f in findings:
        line, col = doc.index.position(f.span.start)
        key = (f.code, line + 1)
        fragment = next((x for x in fragments.get(key, []) if x and x in f.message), "")
        if fragment:
            fragments[key].remove(fragment)
        out.append((*key, col + 1 if key in with_column else 0, f.severity.label, fragment))
    return sorted(out)


def describe(doc: Document, findings) -> str:
    return "\n".join(f"{doc.index.position(f.span.start)[0] + 1}:{doc.index.position(f.span.start)[1] + 1} "
                     f"{f.code} {f.severity.label} {f.message}" for f in findings)


def read(path: Path) -> str:
    """As agentls reads files (a fixture for AGT504 is not UTF-8; its markers are ASCII)."""
    return decode_utf8(path.read_bytes())[0]


def single_files() -> list[Path]:
    files = []
    for folder in KINDS:
        files += sorted((FIXTURES / folder).rglob("*.md"))
    return files


def workspaces() -> list[Path]:
    return sorted(p for p in (FIXTURES / "workspaces").iterdir() if p.is_dir())


@pytest.mark.parametrize("path", single_files(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture(path: Path):
    kind, plugin = KINDS[path.relative_to(FIXTURES).parts[0]]
    doc = parse_bytes(path.read_bytes(), str(path), kind)
    text = doc.text
    findings = lint(doc, Context(kind, plugin, path=str(path)))
    expected = expected_markers(text)
    assert actual(doc, findings, expected) == expected, describe(doc, findings)


@pytest.mark.parametrize("folder", workspaces(), ids=lambda p: p.name)
def test_workspace_fixture(folder: Path):
    from agentls.engine.config import ConfigSet

    # A workspace with its own agentls.toml is checked under it (target-version, extend-*...).
    configs = ConfigSet() if (folder / "agentls.toml").exists() else None
    results = check_paths([str(folder)], root=str(folder), configs=configs)
    checked = {Path(r.path).resolve() for r in results}
    markdown = [p for p in folder.rglob("*") if p.suffix in (".md", ".mdc")]
    unchecked = [p for p in markdown if p.resolve() not in checked and NOT_LOADED not in read(p)]
    assert not unchecked, f"not checked (so their markers prove nothing): {unchecked}"
    loaded = [p for p in markdown if p.resolve() in checked and NOT_LOADED in read(p)]
    assert not loaded, f"checked, but no tool loads them: {loaded}"
    for result in results:
        text = read(result.path)
        expected = expected_markers(text)
        assert result.doc is not None
        got = actual(result.doc, result.findings, expected)
        assert got == expected, f"{result.display}:\n" + describe(result.doc, result.findings)


def _all_fixture_texts() -> dict[Path, str]:
    files = single_files() + [p for w in workspaces() for p in w.rglob("*") if p.suffix in (".md", ".mdc")]
    return {p: read(p) for p in files}


def _pass_name(path: Path) -> str:
    """A file's name, ``x.pass.instructions.md`` read as ``x.pass.md``: a passing fixture of
    a kind its loader knows by the file name's suffix keeps the suffix."""
    return re.sub(r"\.pass\.(agent|prompt|instructions|chatmode)\.md$", ".pass.md", path.name)


def test_every_rule_has_a_failing_and_a_passing_fixture():
    texts = _all_fixture_texts()
    marked = {m.group(1) for text in texts.values() for m in MARKER.finditer(text)}
    names = {_pass_name(p) for p in texts}
    missing_fail = [r.code for r in all_rules() if r.code not in marked]
    missing_pass = [r.code for r in all_rules() if f"{r.name}.pass.md" not in names]
    assert not missing_fail, f"rules without a failing fixture: {missing_fail}"
    assert not missing_pass, f"rules without a passing fixture (<name>.pass.md): {missing_pass}"
    for path, text in texts.items():
        if _pass_name(path).endswith(".pass.md"):
            rule_name = _pass_name(path)[: -len(".pass.md")]
            code = next(r.code for r in all_rules() if r.name == rule_name)
            assert f"{{{code}" not in text, f"{path.name} is a passing fixture but marks {code}"


def test_a_marker_without_a_severity_is_an_error_in_the_fixture():
    with pytest.raises(AssertionError, match="needs a severity"):
        expected_markers("tools: Grepp # {AGT400@8}\n")


@pytest.mark.parametrize("marker, matches", [
    ('{AGT400@14 warning}', True),
    ('{AGT400@14 error}', False),  # the severity is part of the specification
    ('{AGT400@13 warning}', False),
    ('{AGT400 warning "did you mean `Grep`"}', True),
    ('{AGT400 warning "did you mean `Glob`"}', False),
])
def test_markers_compare_code_line_column_severity_and_message(marker, matches):
    text = f"---\nname: code-reviewer\ndescription: Reviews code. Use after code changes.\ntools: Read, Grepp # {marker}\n---\nYou review code.\n"
    doc = Document(text, "/ws/.claude/agents/a.md", "agent")
    findings = [f for f in lint(doc, Context("agent", False, path=doc.path)) if f.code == "AGT400"]
    expected = expected_markers(text)
    assert (actual(doc, findings, expected) == expected) is matches
