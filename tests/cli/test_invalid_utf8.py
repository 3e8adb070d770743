"""Files that are not valid UTF-8 (Latin-1, Windows-1252): AGT504, and only fixes `--fix` can write.

Claude Code reads agent files as UTF-8; a byte that is not UTF-8 becomes U+FFFD there.
``agentls check --fix`` writes only files that are UTF-8, so the findings of any other
file are not counted (or marked) fixable.
"""

from __future__ import annotations

import json

from cli_helpers import UNKNOWN_TOOL, codes, write

LATIN1 = ".claude/agents/latin1.md"
# `é` in Latin-1 (0xE9) on line 3, column 37; AGT400 `Grepp` (a safe fix) on line 4.
LATIN1_TEXT = UNKNOWN_TOOL.format(name="latin1").replace("for quality", "for qualit\u00e9").encode("latin-1")


def _project(project):
    (project / LATIN1).write_bytes(LATIN1_TEXT)
    return project


def test_invalid_utf8_is_reported_at_the_first_bad_byte(project, run):
    _project(project)
    code, out, err = run(["--format", "json", "--select", "AGT504"], cwd=project)
    (finding,) = json.loads(out)
    assert (finding["path"], finding["code"], finding["line"], finding["column"]) == (LATIN1, "AGT504", 3, 37)
    assert finding["severity"] == "warning"
    assert "0xE9" in finding["message"] and "`\u00e9`" in finding["message"]  # as Windows-1252
    assert finding["fix"] is None


def test_every_bad_byte_is_counted_once(project, run):
    text = "---\nname: a\ndescription: Caf\u00e9 na\u00efve r\u00e9sum\u00e9 reviewer. Use after changes.\n---\nBody\n"
    write(project, {})
    (project / LATIN1).write_bytes(text.encode("latin-1"))
    _, out, _ = run(["--format", "json", "--select", "AGT504"], cwd=project)
    (finding,) = json.loads(out)
    assert "and 3 more" in finding["message"]


def test_a_utf8_file_is_never_reported(project, run):
    # U+FFFD itself, encoded as UTF-8, is valid UTF-8.
    write(project, {".claude/agents/ok.md": UNKNOWN_TOOL.format(name="ok").replace("code.", "code \ufffd \u00e9.")})
    _, out, _ = run(["--format", "json", "--select", "AGT504"], cwd=project)
    assert json.loads(out) == []


def test_findings_of_a_non_utf8_file_are_not_fixable(project, run):
    _project(project)
    write(project, {".claude/agents/utf8.md": UNKNOWN_TOOL.format(name="utf8")})
    code, out, err = run([], cwd=project)
    # Both files have AGT400 with a safe fix; --fix can write only the UTF-8 one.
    assert "[*] 1 fixable with `agentls check --fix`." in out
    lines = [line for line in out.splitlines() if "AGT400" in line]
    assert [("[*]" in line, line.split(":")[0]) for line in lines] == [
        (False, LATIN1), (True, ".claude/agents/utf8.md")]

    _, out, _ = run(["--statistics", "--format", "json"], cwd=project)
    rows = {r["code"]: r for r in json.loads(out)}
    assert (rows["AGT400"]["count"], rows["AGT400"]["fixable"]) == (2, 1)


def test_fix_leaves_a_non_utf8_file_alone_and_reports_it_unfixable(project, run):
    _project(project)
    write(project, {".claude/agents/utf8.md": UNKNOWN_TOOL.format(name="utf8")})
    code, out, err = run(["--fix"], cwd=project)
    assert (project / LATIN1).read_bytes() == LATIN1_TEXT
    assert "Grepp" not in (project / ".claude/agents/utf8.md").read_text()
    assert "fixable" not in out  # what remains (in the Latin-1 file) has no fix --fix could write
    _, out, _ = run(["--format", "json"], cwd=project)
    assert codes(out) == [(LATIN1, "AGT400", 4), (LATIN1, "AGT504", 3)]


def test_worker_processes_agree(project, run):
    _project(project)
    for i in range(3):
        write(project, {f".claude/agents/u{i}.md": UNKNOWN_TOOL.format(name=f"u{i}")})
    _, one, _ = run(["--format", "json", "-j", "1"], cwd=project)
    _, two, _ = run(["--format", "json", "-j", "2"], cwd=project)
    assert one == two
    assert [f["fix"] is None for f in json.loads(two) if f["path"] == LATIN1] == [True, True]
