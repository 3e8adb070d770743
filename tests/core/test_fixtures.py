"""Fixture agent files with the expected findings marked inline (markdownlint style).

Markers, anywhere in a fixture (in a YAML comment, an HTML comment, the text):

* ``{AGT400}``       a finding with that code starts on this line;
* ``{AGT400@14}``    ...at column 14 (1-based, in code points);
* ``{AGT400:7}``     ...on line 7 (for lines that cannot carry a comment);
* ``{AGT400:7@3}``   ...on line 7 at column 3.

The findings must match the markers exactly: nothing missing, nothing extra.
The folder says what the file is: ``agents/`` (project agents), ``plugin-agents/``,
``skills/<name>/SKILL.md``, ``commands/``. Folders under ``workspaces/`` are checked
together, so cross-file rules see each other's files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from agentls.cli import check_paths
from agentls.document import Document
from agentls.lint import Context, lint
from agentls.registry import all_rules

FIXTURES = Path(__file__).parent.parent / "fixtures"
MARKER = re.compile(r"\{(AGT\d{3})(?::(\d+))?(?:@(\d+))?\}")
KINDS = {"agents": ("agent", False), "plugin-agents": ("agent", True), "skills": ("skill", False),
         "commands": ("command", False)}


def expected_markers(text: str) -> list[tuple]:
    out = []
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        for m in MARKER.finditer(line):
            at = int(m.group(2)) if m.group(2) else number
            out.append((m.group(1), at, int(m.group(3))) if m.group(3) else (m.group(1), at))
    return sorted(out)


def actual(doc: Document, findings, expected) -> list[tuple]:
    with_column = {(e[0], e[1]) for e in expected if len(e) == 3}
    out = []
    for f in findings:
        line, col = doc.index.position(f.span.start)
        key = (f.code, line + 1)
        out.append((*key, col + 1) if key in with_column else key)
    return sorted(out)


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


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
    text = read(path)
    doc = Document(text, str(path), kind)
    findings = lint(doc, Context(kind, plugin, path=str(path)))
    expected = expected_markers(text)
    assert actual(doc, findings, expected) == expected, "\n".join(
        f"{doc.index.position(f.span.start)[0] + 1}:{doc.index.position(f.span.start)[1] + 1} {f.code} {f.message}"
        for f in findings)


@pytest.mark.parametrize("folder", workspaces(), ids=lambda p: p.name)
def test_workspace_fixture(folder: Path):
    results = check_paths([str(folder)], root=str(folder))
    assert results, f"no agent files found under {folder}"
    for result in results:
        text = read(result.path)
        expected = expected_markers(text)
        assert result.doc is not None
        got = actual(result.doc, result.findings, expected)
        assert got == expected, f"{result.display}: " + "; ".join(f"{f.code} {f.message}" for f in result.findings)


def _all_fixture_texts() -> dict[Path, str]:
    files = single_files() + [p for w in workspaces() for p in w.rglob("*.md")]
    return {p: read(p) for p in files}


def test_every_rule_has_a_failing_and_a_passing_fixture():
    texts = _all_fixture_texts()
    marked = {m.group(1) for text in texts.values() for m in MARKER.finditer(text)}
    names = {p.name for p in texts}
    missing_fail = [r.code for r in all_rules() if r.code not in marked]
    missing_pass = [r.code for r in all_rules() if f"{r.name}.pass.md" not in names]
    assert not missing_fail, f"rules without a failing fixture: {missing_fail}"
    assert not missing_pass, f"rules without a passing fixture (<name>.pass.md): {missing_pass}"
    for path, text in texts.items():
        if path.name.endswith(".pass.md"):
            rule_name = path.name[: -len(".pass.md")]
            code = next(r.code for r in all_rules() if r.name == rule_name)
            assert f"{{{code}" not in text, f"{path.name} is a passing fixture but marks {code}"
