"""What the ``agentls check`` command prints and exits with, at its edges.

Run as a user runs it: the real ``agentls`` command in a subprocess. Exit codes: 0
clean, 1 something to fix (a finding at ``--fail-on``, an unreadable file, a ``--diff``
with changes), 2 a usage error, never a traceback.
"""

from __future__ import annotations

import json
import os
import re

import pytest
from cli_helpers import CLEAN, NO_DESCRIPTION, UNKNOWN_TOOL, agentls, write

AGENTS = ".claude/agents"
ANSI = re.compile(r"\x1b\[")


def no_traceback(err: str) -> None:
    assert "Traceback" not in err and "Error:" not in err.replace("agentls: error:", "")


# -- --output-file ---------------------------------------------------------------------------
@pytest.mark.parametrize("target, reason", [
    ("/", "it is a folder"),
    (".claude", "it is a folder"),
    (f"{AGENTS}/clean.md/report.json", "is not a folder"),
    ("/dev/full", "No space left on device"),  # found writable, fails when written
])
def test_an_unwritable_output_file_is_a_usage_error(project, target, reason):
    code, out, err = agentls(["check", "--format", "json", "--output-file", target], project)
    assert code == 2 and out == ""
    no_traceback(err)
    assert err.startswith(f"agentls: error: cannot write the report to {target!r}") and reason in err


def test_colour_never_goes_into_the_output_file(project):
    write(project, {f"{AGENTS}/a.md": UNKNOWN_TOOL.format(name="a")})
    code, out, _ = agentls(["check", "--color", "always"], project)
    assert ANSI.search(out)  # --color always colours standard output, even piped
    code, out, _ = agentls(["check", "--color", "always", "--output-file", "report.txt"], project)
    report = (project / "report.txt").read_text(encoding="utf-8")
    assert code == 0 and out == "" and "AGT400" in report and not ANSI.search(report)


# -- files that cannot be read (E902) --------------------------------------------------------
@pytest.fixture
def unreadable(project):
    os.symlink(project / AGENTS / "gone.md", project / AGENTS / "dangling.md")  # dangling: unreadable
    return project


def test_an_unreadable_file_is_never_all_checks_passed(unreadable):
    code, out, _ = agentls(["check"], unreadable)
    assert code == 1
    assert "All checks passed" not in out
    assert f"{AGENTS}/dangling.md:1:1: E902 cannot read: No such file or directory" in out
    assert out.rstrip().endswith("No findings in 1 file checked, but 1 file could not be read.")
    write(unreadable, {f"{AGENTS}/{n}.md": UNKNOWN_TOOL.format(name=n) for n in "ab"})
    code, out, _ = agentls(["check"], unreadable)
    assert "Found 2 findings (2 warnings) in 2 of 4 files; 1 file could not be read." in out


def test_an_unreadable_file_has_the_keys_of_every_finding(unreadable):
    write(unreadable, {f"{AGENTS}/a.md": UNKNOWN_TOOL.format(name="a")})
    code, out, _ = agentls(["check", "--format", "json"], unreadable)
    finding, io_error = json.loads(out)
    assert code == 1 and io_error["code"] == "E902"
    assert list(io_error) == list(finding)
    assert (io_error["fix"], io_error["related"], io_error["severity"]) == (None, [], "error")
    assert io_error["url"].endswith("docs/ci.md#output-formats")

    code, out, _ = agentls(["check", "--format", "github"], unreadable)
    props = [set(re.findall(r"(\w+)=", line.split("::")[1])) for line in out.splitlines()]
    assert len(props) == 2 and props[0] == props[1]

    code, out, _ = agentls(["check", "--format", "sarif"], unreadable)
    run = json.loads(out)["runs"][0]
    note = run["invocations"][0]["toolExecutionNotifications"][0]
    descriptor = run["tool"]["driver"]["notifications"][note["descriptor"]["index"]]
    assert descriptor["id"] == note["descriptor"]["id"] == "E902"
    assert note["locations"][0]["physicalLocation"]["region"] == {"startLine": 1, "startColumn": 1}


# -- --statistics ----------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["sarif", "github"])
def test_statistics_has_no_sarif_or_github_form(project, fmt):
    write(project, {f"{AGENTS}/a.md": UNKNOWN_TOOL.format(name="a")})
    code, out, err = agentls(["check", "--statistics", "--format", fmt], project)
    assert code == 2 and out == ""
    assert err == (f"agentls: error: --statistics prints a table or, with --format json, JSON; it has no "
                   f"{fmt} form (drop --statistics or use --format json)\n")


def test_statistics_as_json(project):
    write(project, {f"{AGENTS}/a.md": UNKNOWN_TOOL.format(name="a")})
    code, out, _ = agentls(["check", "--statistics", "--format", "json"], project)
    assert code == 0 and json.loads(out) == [{"code": "AGT400", "name": "unknown-tool", "count": 1, "fixable": 1}]


# -- --diff, --unsafe-fixes ------------------------------------------------------------------
def test_diff_exits_1_while_there_is_something_to_fix(project):
    write(project, {f"{AGENTS}/a.md": UNKNOWN_TOOL.format(name="a")})  # a warning, fixable
    code, out, err = agentls(["check", "--diff"], project)
    assert code == 1 and "+tools: Read, Grep\n" in out
    assert "Would fix 1 finding in 1 file; 0 remain." in err
    assert (project / AGENTS / "a.md").read_text() == UNKNOWN_TOOL.format(name="a")  # nothing written
    assert agentls(["check", "--diff", "--exit-zero"], project)[0] == 0
    assert agentls(["check", "--fix"], project)[0] == 0
    code, out, _ = agentls(["check", "--diff"], project)
    assert (code, out) == (0, "")  # nothing left to fix


def test_diff_still_fails_on_errors_it_cannot_fix(project):
    write(project, {f"{AGENTS}/b.md": NO_DESCRIPTION.format(name="b")})  # an error, not fixable
    code, out, _ = agentls(["check", "--diff"], project)
    assert (code, out) == (1, "")


def test_unsafe_fixes_alone_warns_that_it_does_nothing(project):
    write(project, {f"{AGENTS}/a.md": UNKNOWN_TOOL.format(name="a")})
    code, _, err = agentls(["check", "--unsafe-fixes"], project)
    assert code == 0 and err == "agentls: warning: --unsafe-fixes does nothing without --fix or --diff\n"
    code, _, err = agentls(["check", "--unsafe-fixes", "--diff"], project)
    assert "warning" not in err


# -- the text report -------------------------------------------------------------------------
def test_cut_related_notes_say_how_many_were_cut(project):
    write(project, {f"{AGENTS}/dup{i}.md": CLEAN.format(name="dup") for i in range(6)})
    code, out, _ = agentls(["check", "--select", "AGT700", f"{AGENTS}/dup0.md", AGENTS], project)
    block = next(b for b in out.split("\n\n") if b.startswith(f"{AGENTS}/dup0.md:2:7: AGT700 6 agents"))
    notes = [line.strip() for line in block.splitlines() if "= note:" in line]
    assert notes == [f"= note: also named `dup` at {AGENTS}/dup{i}.md:2" for i in (1, 2, 3)] + \
        ["= note: 2 more also named `dup` (not shown)"]


def test_the_count_of_cut_notes_includes_those_the_rule_did_not_list(project):
    # 13 agents of one name: the rule lists 10 others, the message counts all 12.
    write(project, {f"{AGENTS}/dup{i:02}.md": CLEAN.format(name="dup") for i in range(13)})
    code, out, _ = agentls(["check", "--select", "AGT700"], project)
    block = next(b for b in out.split("\n\n") if b.startswith(f"{AGENTS}/dup00.md:2:7: AGT700 13 agents"))
    assert block.splitlines()[-1].strip() == "= note: 9 more also named `dup` (not shown)"


def test_stale_baseline_entries_in_the_singular_and_the_plural(project):
    write(project, {f"{AGENTS}/a.md": UNKNOWN_TOOL.format(name="a"), f"{AGENTS}/b.md": UNKNOWN_TOOL.format(name="b")})
    agentls(["check", "--baseline", "base.json"], project)
    write(project, {f"{AGENTS}/a.md": CLEAN.format(name="a")})
    _, _, err = agentls(["check", "--baseline", "base.json"], project)
    assert err == ("agentls: 1 baseline entry no longer matches (fixed?); "
                   "run with --update-baseline to prune it\n")
    write(project, {f"{AGENTS}/b.md": CLEAN.format(name="b")})
    _, _, err = agentls(["check", "--baseline", "base.json"], project)
    assert err == ("agentls: 2 baseline entries no longer match (fixed?); "
                   "run with --update-baseline to prune them\n")


# -- nothing found ---------------------------------------------------------------------------
def test_a_broken_configuration_is_reported_even_when_no_file_is_found(tmp_path):
    (tmp_path / "agentls.toml").write_text('select = ["AGT4OO"]\nbogus = 1\n', encoding="utf-8")
    code, out, err = agentls(["check", "."], tmp_path)
    no_traceback(err)
    assert code == 2, (out, err)
    assert "agentls.toml" in err and "bogus" in err
    assert "All checks passed" not in out


def test_the_include_hint_never_sends_a_files_control_characters(tmp_path):
    name = "evil\x1b]0;owned\x07.md"
    write(tmp_path, {f"engineering/{name}": "---\nname: evil\ndescription: Reviews code. Use after edits.\n---\nBody.\n"})
    code, out, err = agentls(["check", "."], tmp_path)
    assert "include = [" in err
    assert "\x1b" not in err and "\x07" not in err
    assert "␛" in err
