"""``agentls format``: writes the canonical form; ``--check`` lists and exits 1; ``--diff``
prints; a file that is not UTF-8 is never rewritten."""

from __future__ import annotations

import pytest
from agentls.cli.main import main
from helpers.workspace import make_workspace

UNSORTED = "---\r\nmodel: sonnet\r\ndescription: Reviews code.\r\nname: reviewer\r\n---\r\nBody.  \r\n"
SORTED = "---\nname: reviewer\ndescription: Reviews code.\nmodel: sonnet\n---\nBody.\n"
CLEAN = "---\nname: clean\ndescription: Clean.\n---\nBody.\n"


@pytest.fixture
def project(tmp_path):
    return make_workspace(tmp_path / "proj", {
        ".claude/agents/reviewer.md": UNSORTED,
        ".claude/agents/clean.md": CLEAN,
        "README.md": "# not an agent   \n",
    })


def run(args, capsys, monkeypatch, cwd):
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    code = main(["format", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_check_writes_nothing(project, capsys, monkeypatch):
    code, out, err = run(["--check"], capsys, monkeypatch, project)
    assert code == 1
    assert out.splitlines() == ["would reformat .claude/agents/reviewer.md"]
    assert "1 file would be reformatted, 1 left unchanged" in err
    assert (project / ".claude/agents/reviewer.md").read_bytes() == UNSORTED.encode()


def test_diff(project, capsys, monkeypatch):
    code, out, _ = run(["--diff"], capsys, monkeypatch, project)
    assert code == 1
    assert "+name: reviewer\n" in out and out.startswith("--- a/.claude/agents/reviewer.md")


def test_format_writes_then_is_clean(project, capsys, monkeypatch):
    code, _, err = run([], capsys, monkeypatch, project)
    assert code == 0 and "1 file reformatted" in err
    assert (project / ".claude/agents/reviewer.md").read_bytes() == SORTED.encode()
    assert (project / "README.md").read_text() == "# not an agent   \n"  # not an agent file
    code, out, _ = run(["--check"], capsys, monkeypatch, project)
    assert code == 0 and out == ""


def test_not_utf8_is_left_alone(project, capsys, monkeypatch):
    bad = b"---\nname: x\ndescription: caf\xe9\nmodel: sonnet\n---\n"
    path = project / ".claude/agents/latin1.md"
    path.write_bytes(bad)
    code, _, err = run([str(path)], capsys, monkeypatch, project)
    assert code == 1 and "is not UTF-8" in err
    assert path.read_bytes() == bad


def test_missing_path(project, capsys, monkeypatch):
    code, _, err = run(["nope"], capsys, monkeypatch, project)
    assert code == 2 and "no such file" in err


@pytest.mark.parametrize("style, expected", [
    ("keep", "tools: Read, Agent(planner, reviewer)\n"),
    ("yaml", "tools:\n  - Read\n  - Agent(planner, reviewer)\n"),
])
def test_format_tool_lists_from_the_configuration(tmp_path, capsys, monkeypatch, style, expected):
    head = "---\nname: lead\ndescription: Leads.\n"
    project = make_workspace(tmp_path / "proj", {
        "agentls.toml": f'format-tool-lists = "{style}"\n',
        ".claude/agents/lead.md": head + "tools: Read, Agent(planner, reviewer)\n---\nBody.\n",
        ".gemini/agents/g.md": "---\nname: g\ndescription: G.\ntools:\n  - read_file\n---\nBody.\n",
    })
    code, _, _ = run([], capsys, monkeypatch, project)
    assert code == 0
    assert (project / ".claude/agents/lead.md").read_text() == head + expected + "---\nBody.\n"
    # Gemini CLI's loader needs a YAML list: never converted (nor in "comma")
    assert "  - read_file\n" in (project / ".gemini/agents/g.md").read_text()


def test_format_tool_lists_comma_and_a_bad_value(tmp_path, capsys, monkeypatch):
    project = make_workspace(tmp_path / "proj", {
        "pyproject.toml": '[tool.agentls]\nformat-tool-lists = "comma"\n',
        ".claude/agents/a.md": "---\nname: a\ndescription: A.\ndisallowedTools:\n  - Write\n  - Edit\n---\n",
        ".gemini/agents/g.md": "---\nname: g\ndescription: G.\ntools:\n  - read_file\n---\nBody.\n",
    })
    code, _, _ = run([], capsys, monkeypatch, project)
    assert code == 0
    assert (project / ".claude/agents/a.md").read_text() == "---\nname: a\ndescription: A.\ndisallowedTools: Write, Edit\n---\n"
    assert "  - read_file\n" in (project / ".gemini/agents/g.md").read_text()
    (project / "pyproject.toml").write_text('[tool.agentls]\nformat-tool-lists = "flow"\n')
    from agentls.engine.config import forget_config_lookups

    forget_config_lookups()
    code, _, err = run(["--check"], capsys, monkeypatch, project)
    assert code == 2 and "format-tool-lists" in err
