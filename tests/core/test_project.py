"""agentls.engine.project: the one "parse every file, index all, lint each", the Project
(open documents shadow the disk's) and the one resolve(path) -> FileSettings that the
command line and the server share (issue 13)."""

from __future__ import annotations

from pathlib import Path

from agentls.engine.config import ConfigSet, forget_config_lookups
from agentls.engine.project import (
    FileSettings,
    Project,
    check_files,
    lint_document,
    read_document,
    resolve,
)
from agentls.rules.index import WorkspaceIndex
from agentls.rules.lint import parse

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


# -- the Project: the editor's documents shadow the disk's -------------------------------------
def _names(project: Project, name: str) -> list[str]:
    return sorted(Path(a.path).name for a in project.index.agents_named(name))


def test_an_open_document_shadows_its_file_on_disk_until_it_is_closed(tmp_path):
    (path, kind), = _agents(tmp_path, "on-disk")
    project = Project(str(tmp_path))
    assert project.load(str(path), kind) and _names(project, "on-disk") == ["a0.md"]
    edited = parse(AGENT.format(name="in-editor"), str(path), kind)
    assert project.open(str(path), edited, kind, "file:///a0.md")  # the name changed: others re-check
    assert _names(project, "on-disk") == [] and _names(project, "in-editor") == ["a0.md"]
    assert project.editor_id(str(path)) == "file:///a0.md"
    assert not project.load(str(path), kind) and _names(project, "in-editor") == ["a0.md"]  # the editor's wins
    assert not project.unload(str(path)) and _names(project, "in-editor") == ["a0.md"]
    assert project.close(str(path), "file:///a0.md")
    assert _names(project, "on-disk") == ["a0.md"] and not project.is_open(str(path))


def test_the_generation_changes_only_with_what_cross_file_rules_read(tmp_path):
    (path, kind), = _agents(tmp_path, "reviewer")
    project = Project(str(tmp_path))
    project.load(str(path), kind)
    before = project.generation
    same_name = parse(AGENT.format(name="reviewer").replace("Reviews code.", "Reviews all code."), str(path), kind)
    assert not project.open(str(path), same_name, kind) and project.generation == before
    assert project.open(str(path), parse(AGENT.format(name="other"), str(path), kind), kind)
    assert project.generation == before + 1


def test_a_folder_that_goes_takes_its_files_but_not_the_open_ones(tmp_path):
    files = _agents(tmp_path, "one", "two")
    project = Project(str(tmp_path))
    for path, kind in files:
        project.load(str(path), kind)
    project.open(str(files[1][0]), parse(AGENT.format(name="two"), str(files[1][0]), "agent"), "agent")
    assert project.unload_under(str(tmp_path / ".claude"))
    assert _names(project, "one") == [] and _names(project, "two") == ["a1.md"]


def test_a_project_check_equals_the_module_functions(tmp_path):
    files = _agents(tmp_path, "reviewer", "reviewer")
    project = Project.for_check(str(tmp_path))
    codes = [[f.code for f in findings] for _doc, findings, _error in project.check(files)]
    assert codes[0].count("AGT700") == 1 and codes[1].count("AGT700") == 1


def test_the_server_bound_on_file_size_is_a_reason(tmp_path):
    (path, kind), = _agents(tmp_path, "big")
    doc, error = Project(str(tmp_path), max_bytes=10).read(path, kind)
    assert doc is None and "larger than 10 bytes" in error
