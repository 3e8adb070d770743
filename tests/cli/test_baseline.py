"""``--baseline``: record today's findings, then report only new ones."""

from __future__ import annotations

import json

from cli_helpers import CLEAN, NO_DESCRIPTION, UNKNOWN_TOOL, codes, write

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


def _duplicates(project, n):
    """``n`` agents all named ``twin``, each with its AGT700 finding."""
    write(project, {f".claude/agents/twin{i}.md": CLEAN.format(name="twin") for i in range(1, n + 1)})


def test_duplicate_names_stay_known_when_run_from_another_folder(project, run):
    # The AGT700 message names the other files, as paths relative to where agentls runs.
    _duplicates(project, 2)
    code, out, err = run(["--baseline", "base.json", "--format", "json"], cwd=project)
    assert "recorded 2 findings" in err and json.loads(out) == []
    code, out, err = run(["--baseline", "../base.json", "--format", "json", "agents"], cwd=project / ".claude")
    assert (code, json.loads(out)) == (0, []), err
    assert "no longer match" not in err


def test_duplicate_names_stay_known_when_another_duplicate_appears(project, run):
    # The message counts the duplicates ("5 agents are named ..."): a sixth changes it, but
    # the five known findings stay known and only the new file's is reported.
    _duplicates(project, 5)
    run(["--baseline", "base.json"], cwd=project)
    _duplicates(project, 6)
    code, out, err = run(["--baseline", "base.json", "--format", "json"], cwd=project)
    assert codes(out) == [(".claude/agents/twin6.md", "AGT700", 2)]
    assert "6 agents are named `twin`" in json.loads(out)[0]["message"]
    assert "no longer match" not in err


def test_baseline_entries_of_duplicate_names_hold_no_counts_or_other_paths(project, run):
    _duplicates(project, 3)
    run(["--baseline", "base.json"], cwd=project)
    entries = json.loads((project / "base.json").read_text())["findings"]
    assert [e["path"] for e in entries] == [f".claude/agents/twin{i}.md" for i in (1, 2, 3)]
    for e in entries:
        assert "3" not in e["message"] and "twin" not in e["message"] and ".md" not in e["message"]


def test_a_baseline_recorded_by_agentls_0_1_0_still_matches_duplicate_names(project, run):
    # Its AGT700 entries hold the full message, with the count and the other files.
    _duplicates(project, 2)
    import hashlib

    lhash = hashlib.sha256(b"name: twin").hexdigest()[:16]
    old = {"version": 1, "tool": "agentls", "findings": [
        {"path": ".claude/agents/twin1.md", "code": "AGT700", "line_hash": lhash, "count": 1,
         "message": "2 agents are named `twin` (also .claude/agents/twin2.md): Claude Code loads only one of them"},
        {"path": ".claude/agents/twin2.md", "code": "AGT700", "line_hash": lhash, "count": 1,
         "message": "2 agents are named `twin` (also .claude/agents/twin1.md): Claude Code loads only one of them"},
    ]}
    (project / "base.json").write_text(json.dumps(old))
    _duplicates(project, 3)
    code, out, err = run(["--baseline", "base.json", "--format", "json"], cwd=project)
    assert codes(out) == [(".claude/agents/twin3.md", "AGT700", 2)]
    assert "no longer match" not in err


def test_sarif_fingerprints_of_duplicate_names_do_not_change_with_another_duplicate(project, run):
    def fingerprints():
        _, out, _ = run(["--format", "sarif", "--select", "AGT700"], cwd=project)
        results = json.loads(out)["runs"][0]["results"]
        return {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]:
                r["partialFingerprints"]["agentls/v1"] for r in results}

    _duplicates(project, 5)
    before = fingerprints()
    _duplicates(project, 6)
    after = fingerprints()
    assert len(before) == 5 and len(after) == 6
    assert {uri: after[uri] for uri in before} == before
