"""``--baseline``: record today's findings, then report only new ones."""

from __future__ import annotations

import json

from cli_helpers import NO_DESCRIPTION, UNKNOWN_TOOL, codes, write

A = ".claude/agents/a.md"


def test_first_run_records_then_only_new_findings_are_reported(project, run):
    write(project, {A: UNKNOWN_TOOL.format(name="a")})
    code, out, err = run(["--baseline", "agentls-baseline.json", "--format", "json"], cwd=project)
    assert code == 0 and json.loads(out) == []
    assert "recorded 1 finding in baseline agentls-baseline.json" in err
    data = json.loads((project / "agentls-baseline.json").read_text())
    assert data["version"] == 1
    assert [(e["path"], e["code"], e["count"]) for e in data["findings"]] == [(A, "AGT400", 1)]

    # Lines added above the finding: still known (matched by line text, not number).
    text = UNKNOWN_TOOL.format(name="a").replace("name: a\n", "name: a\ncolor: blue\n")
    (project / A).write_text(text)
    code, out, _ = run(["--baseline", "agentls-baseline.json", "--format", "json"], cwd=project)
    assert (code, json.loads(out)) == (0, [])

    # A new finding is reported; the old one still is not.
    write(project, {".claude/agents/b.md": NO_DESCRIPTION.format(name="b")})
    code, out, _ = run(["--baseline", "agentls-baseline.json", "--format", "json"], cwd=project)
    assert code == 1 and codes(out) == [(".claude/agents/b.md", "AGT210", 1)]

    # A second copy of the same problem on another, identical line is new too.
    (project / A).write_text(text.replace("tools: Read, Grepp", "tools: Read, Grepp\ndisallowedTools: Grepp"))
    code, out, _ = run(["--baseline", "agentls-baseline.json", "--format", "json", "--select", "AGT400"],
                       cwd=project)
    assert codes(out) == [(A, "AGT400", 6)]


def test_update_baseline_and_stale_entries(project, run):
    write(project, {A: UNKNOWN_TOOL.format(name="a")})
    run(["--baseline", "base.json"], cwd=project)
    (project / A).write_text(UNKNOWN_TOOL.format(name="a").replace("Grepp", "Grep"))
    code, _, err = run(["--baseline", "base.json"], cwd=project)
    assert code == 0 and "1 baseline entry no longer match" in err
    code, _, err = run(["--baseline", "base.json", "--update-baseline"], cwd=project)
    assert "recorded 0 findings" in err
    assert json.loads((project / "base.json").read_text())["findings"] == []


def test_baseline_paths_are_relative_to_the_baseline_file(project, run):
    write(project, {A: UNKNOWN_TOOL.format(name="a")})
    run(["--baseline", "ci/base.json"], cwd=project)
    entries = json.loads((project / "ci/base.json").read_text())["findings"]
    assert entries[0]["path"] == "../" + A
    # Run from another folder: the same findings are still matched.
    code, out, _ = run(["--baseline", "../ci/base.json", "--format", "json", "."], cwd=project / ".claude")
    assert (code, json.loads(out)) == (0, [])


def test_bad_baseline_is_a_usage_error(project, run):
    (project / "base.json").write_text("{not json")
    code, _, err = run(["--baseline", "base.json"], cwd=project)
    assert code == 2 and "base.json:1: baseline is not valid JSON" in err
    (project / "base.json").write_text('{"version": 99}')
    code, _, err = run(["--baseline", "base.json"], cwd=project)
    assert code == 2 and "not an agentls baseline" in err
