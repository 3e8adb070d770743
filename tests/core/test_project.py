"""agentls.engine.project: the one "parse every file, index all, lint each" and the one
resolve(path) -> FileSettings that the command line and the server share (issue 13)."""

from __future__ import annotations

from pathlib import Path

from agentls.engine.config import ConfigSet, forget_config_lookups
from agentls.engine.project import (
    FileSettings,
    check_files,
    lint_document,
    read_document,
    resolve,
)
from agentls.rules.index import WorkspaceIndex

AGENT = "---\nname: {name}\ndescription: Reviews code.\n---\n\nBody.\n"


def _agents(tmp_path: Path, *names: str) -> list[tuple[Path, str]]:
    folder = tmp_path / ".claude" / "agents"
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i, name in enumerate(names):
        path = folder / f"a{i}.md"
        path.write_text(AGENT.format(name=name), encoding="utf-8")
        files.append((path, "agent"))
    return files


def test_every_file_is_indexed_before_the_first_is_linted(tmp_path):
    # The first file can only see its duplicate if the second was indexed before it was linted.
    files = _agents(tmp_path, "reviewer", "reviewer", "other")
    index = WorkspaceIndex(str(tmp_path))
    settings = FileSettings(None, resolve(files[0][0], configs=ConfigSet()).extensions, False)
    done = check_files(files, (read_document(p, k) for p, k in files), index,
                       lambda p, k, doc: lint_document(doc, p, k, settings, index))
    codes = [[f.code for f in findings] for _doc, findings, _error in done]
    assert codes[0].count("AGT700") == 1 and codes[1].count("AGT700") == 1
    assert "AGT700" not in codes[2]


def test_an_unreadable_file_is_a_reason_not_an_exception(tmp_path):
    missing = tmp_path / ".claude" / "agents" / "gone.md"
    doc, error = read_document(missing, "agent")
    assert doc is None and error.startswith("cannot read")


def test_the_command_line_and_the_server_resolve_the_same_settings(tmp_path):
    files = _agents(tmp_path, "reviewer", "skipped")
    (tmp_path / "agentls.toml").write_text(
        'ignore = ["AGT700"]\nextend-tools = ["MyTool"]\nexclude = [".claude/agents/a1.md"]\n', encoding="utf-8")
    forget_config_lookups()
    configs = ConfigSet()
    for path, _kind in files:
        cli, server = resolve(path, configs=configs), resolve(str(path))
        assert (cli.rules, cli.extensions, cli.excluded) == (server.rules, server.extensions, server.excluded)
    first, second = resolve(str(files[0][0])), resolve(str(files[1][0]))
    assert "AGT700" in first.rules.disabled and "MyTool" in first.extensions.tools
    assert not first.excluded and second.excluded


def test_an_excluded_file_has_no_findings(tmp_path):
    (path, kind), = _agents(tmp_path, "Not A Valid Name")
    doc, _ = read_document(path, kind)
    extensions = resolve(path, configs=ConfigSet()).extensions
    assert lint_document(doc, path, kind, FileSettings(None, extensions, False), None), "an invalid name: findings"
    assert lint_document(doc, path, kind, FileSettings(None, extensions, True), None) == []
