"""``agentls check`` output formats, --statistics, --output-file, --fail-on and exit codes."""

from __future__ import annotations

import json
import os

import pytest
from cli_helpers import NO_DESCRIPTION, UNKNOWN_TOOL, write

AGENTS = ".claude/agents"


@pytest.fixture
def mixed(project):
    """One warning (a.md line 4, AGT400) and one error (b.md line 1, AGT210)."""
    return write(project, {f"{AGENTS}/a.md": UNKNOWN_TOOL.format(name="a"),
                           f"{AGENTS}/b.md": NO_DESCRIPTION.format(name="b")})


def test_text_is_the_default(mixed, run):
    code, out, err = run([], cwd=mixed)
    assert code == 1 and err == ""
    assert f"{AGENTS}/a.md:4:14: AGT400 [*] Unknown tool `Grepp`; did you mean `Grep`?" in out
    assert "4 | tools: Read, Grepp\n  |              ^^^^^" in out
    assert f"{AGENTS}/b.md:1:1: AGT210 " in out
    assert "Found 2 findings (1 error, 1 warning) in 2 of 3 files." in out
    assert "\x1b[" not in out


def test_json_is_stable(mixed, run):
    code, out, _ = run(["--format", "json"], cwd=mixed)
    data = json.loads(out)
    assert [list(d) for d in data] == [["path", "code", "name", "severity", "message", "line", "column",
                                        "end_line", "end_column", "url", "fix", "related",
                                        "target", "target_name"]] * 2
    assert {(d["target"], d["target_name"]) for d in data} == {("claude-code", "Claude Code")}
    a = next(d for d in data if d["code"] == "AGT400")
    assert (a["path"], a["line"], a["column"], a["end_line"], a["end_column"], a["severity"]) == \
        (f"{AGENTS}/a.md", 4, 14, 4, 19, "warning")
    assert a["url"].endswith("#agt400-unknown-tool")


def test_github_annotations(mixed, run):
    code, out, _ = run(["--format", "github"], cwd=mixed)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"::warning file={AGENTS}/a.md,line=4,col=14,endLine=4,endColumn=19,"
                               "title=AGT400 unknown-tool::")
    assert lines[1].startswith(f"::error file={AGENTS}/b.md,line=1,col=1,")
    assert "title=AGT210 missing-description::" in lines[1]
    assert len(lines) == 2


def test_github_escapes_properties_and_data():
    from agentls.cli.reports import _gh_data, _gh_prop

    assert _gh_prop("a,b:c%d\ne") == "a%2Cb%3Ac%25d%0Ae"
    assert _gh_data("50% done\r\nnext: x, y") == "50%25 done%0D%0Anext: x, y"


def test_sarif_structure(mixed, run):
    code, out, _ = run(["--format", "sarif"], cwd=mixed)
    assert code == 1
    log = json.loads(out)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    run_ = log["runs"][0]
    driver = run_["tool"]["driver"]
    rules = {r["id"]: r for r in driver["rules"]}
    r = rules["AGT400"]
    assert r["name"] == "UnknownTool" and r["properties"]["kebabName"] == "unknown-tool"
    assert r["shortDescription"]["text"] == "Unknown tool."
    assert r["helpUri"].endswith("#agt400-unknown-tool") and "## What it does" in r["help"]["markdown"]
    assert r["defaultConfiguration"]["level"] == "warning"
    assert rules["AGT602"]["defaultConfiguration"]["level"] == "note"
    results = {res["ruleId"]: res for res in run_["results"]}
    res = results["AGT400"]
    assert driver["rules"][res["ruleIndex"]]["id"] == "AGT400"
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": f"{AGENTS}/a.md", "uriBaseId": "%SRCROOT%"}
    assert {k: loc["region"][k] for k in ("startLine", "startColumn", "endLine", "endColumn")} == \
        {"startLine": 4, "startColumn": 14, "endLine": 4, "endColumn": 19}
    assert res["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "Grep"
    assert results["AGT210"]["level"] == "error"
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")


def test_statistics(mixed, run):
    write(mixed, {f"{AGENTS}/c.md": UNKNOWN_TOOL.format(name="c")})
    code, out, _ = run(["--statistics"], cwd=mixed)
    assert code == 1
    assert out.splitlines() == ["2\tAGT400\t[*] unknown-tool", "1\tAGT210\t    missing-description"]
    code, out, _ = run(["--statistics", "--format", "json"], cwd=mixed)
    assert json.loads(out) == [{"code": "AGT400", "name": "unknown-tool", "count": 2, "fixable": 2},
                               {"code": "AGT210", "name": "missing-description", "count": 1, "fixable": 0}]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_output_file(mixed, run, fmt):
    code, out, _ = run(["--format", fmt, "--output-file", "reports/out.txt"], cwd=mixed)
    assert code == 1 and out == ""
    text = (mixed / "reports" / "out.txt").read_text()
    assert "AGT400" in text and "\x1b[" not in text


@pytest.mark.parametrize("fail_on, files, expected", [
    ("error", ["a"], 0), ("error", ["a", "b"], 1), ("warning", ["a"], 1), ("warning", [], 0),
    ("info", ["a"], 1), ("info", ["d"], 1), ("warning", ["d"], 0),
])
def test_fail_on(project, run, fail_on, files, expected):
    texts = {"a": UNKNOWN_TOOL.format(name="a"), "b": NO_DESCRIPTION.format(name="b"),
             "d": "---\nname: d\ndescription: Reviews code for quality and security. Use after code changes.\n"
                  "---\n# D\n### Skipped\n"}  # d: AGT602 heading-level-skip, an info
    write(project, {f"{AGENTS}/{f}.md": texts[f] for f in files})
    code, _, _ = run(["--fail-on", fail_on], cwd=project)
    assert code == expected


def test_exit_zero(mixed, run):
    assert run(["--exit-zero"], cwd=mixed)[0] == 0


def test_usage_errors_exit_2(project, run):
    assert run(["nope/"], cwd=project)[0] == 2
    assert run(["--update-baseline"], cwd=project)[0] == 2
    with pytest.raises(SystemExit) as exc:
        run(["--format", "xml"], cwd=project)
    assert exc.value.code == 2


def test_unreadable_file_is_reported_in_every_format(project, run):
    os.symlink(project / AGENTS / "gone.md", project / AGENTS / "dangling.md")  # dangling
    code, out, _ = run(["--format", "json"], cwd=project)
    assert code == 1 and [d["code"] for d in json.loads(out)] == ["E902"]
    code, out, _ = run(["--format", "github"], cwd=project)
    assert out.startswith(f"::error file={AGENTS}/dangling.md,line=1,col=1,endLine=1,endColumn=1,"
                          "title=E902 io-error::cannot read")
    code, out, _ = run(["--format", "sarif"], cwd=project)
    inv = json.loads(out)["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False and inv["toolExecutionNotifications"][0]["level"] == "error"


def test_a_parser_bug_costs_one_file_not_the_run(project, run, monkeypatch):
    from agentls.engine import project as checking  # where `check` parses each file

    real = checking.parse_bytes

    def fragile(data, path=None, kind=None):
        if path and path.endswith("ok.md"):
            raise AssertionError("simulated parser bug")
        return real(data, path, kind)

    (project / AGENTS / "ok.md").write_text("---\nname: ok\ndescription: Fine.\n---\n\nBody.\n", encoding="utf-8")
    monkeypatch.setattr(checking, "parse_bytes", fragile)
    code, out, _ = run(["--format", "json"], cwd=project)
    items = json.loads(out)
    bug = [d for d in items if d["code"] == "E902"]
    assert code == 1 and len(bug) == 1 and bug[0]["path"].endswith("ok.md")
    assert "simulated parser bug" in bug[0]["message"]
