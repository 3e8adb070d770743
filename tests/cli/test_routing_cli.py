"""``agentls check --routing``: the routing budget and the table of agents whose
descriptions Claude Code may not tell apart; exit 1 when a pair is listed."""

from __future__ import annotations

import json

import pytest
from agentls.cli.main import main
from helpers.workspace import make_workspace


def agent(name: str, description: str) -> str:
    return f"---\nname: {name}\ndescription: {description}\n---\nBody.\n"


@pytest.fixture
def project(tmp_path):
    return make_workspace(tmp_path / "proj", {
        ".claude/agents/a.md": agent("python-reviewer", "Reviews Python code for style, bugs and typing mistakes."),
        ".claude/agents/b.md": agent("py-checker", "Reviews Python code for bugs, style and typing mistakes in pull requests."),
        ".claude/agents/c.md": agent("sql-tuner", "Tunes slow SQL queries and suggests indexes."),
    })


def run(args, capsys, monkeypatch, cwd):
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_table(project, capsys, monkeypatch):
    code, out, _ = run(["--routing"], capsys, monkeypatch, project)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("Routing budget: ") and "of 15,000 tokens" in lines[0] and "for 3 agents" in lines[0]
    assert "1 pair of agents Claude Code may not tell apart (similarity >= 0.60):" in out
    row = next(line for line in lines if line.startswith(("0.", "1.")))
    assert "py-checker" in row and "python-reviewer" in row and "typing" in row and "mistakes" in row


def test_threshold_and_json(project, capsys, monkeypatch):
    code, out, _ = run(["--routing", "--routing-threshold", "0.99", "--format", "json"], capsys, monkeypatch, project)
    data = json.loads(out)
    assert code == 0 and data["pairs"] == [] and data["threshold"] == 0.99
    assert data["budget"]["agents"] == 3 and data["budget"]["over"] is False


def test_threshold_from_the_configuration(project, capsys, monkeypatch):
    (project / "pyproject.toml").write_text("[tool.agentls]\nrouting-threshold = 0.99\n", encoding="utf-8")
    code, out, _ = run(["--routing", "--format", "json"], capsys, monkeypatch, project)
    assert code == 0 and json.loads(out)["threshold"] == 0.99
    code, out, _ = run(["--routing", "--format", "json", "--routing-threshold", "0.5"], capsys, monkeypatch, project)
    assert json.loads(out)["threshold"] == 0.5  # the command line wins


def test_bad_threshold_in_the_configuration(project, capsys, monkeypatch):
    (project / "pyproject.toml").write_text("[tool.agentls]\nrouting-threshold = 3\n", encoding="utf-8")
    code, _, err = run(["--routing"], capsys, monkeypatch, project)
    assert code == 2 and "routing-threshold" in err


def test_bad_threshold(project, capsys, monkeypatch):
    with pytest.raises(SystemExit) as exc:
        run(["--routing", "--routing-threshold", "2"], capsys, monkeypatch, project)
    assert exc.value.code == 2


def test_check_without_routing_is_unchanged(project, capsys, monkeypatch):
    code, out, _ = run([], capsys, monkeypatch, project)
    assert "Routing budget" not in out
