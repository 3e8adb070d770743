"""Text from a checked file never drives the terminal: control characters are shown, not obeyed.

A file holding ``ESC ]0;…BEL`` would retitle the terminal of whoever runs ``agentls
check`` on it, ``ESC[31m`` would recolour it, NUL and bidi controls garble it. In every
place file text reaches the terminal (the snippet, messages quoting the file, paths,
related notes, diffs) agentls shows such characters as visible escapes (``␛``, ``␇``,
``␀``, ``\\x9b``, ``\\u202e``), and the carets still sit under what they point at.
These run the real ``agentls`` command, on a pseudo-terminal where it matters.
"""

from __future__ import annotations

import json
import re

import pytest
from cli_helpers import agentls, write

AGENT = ".claude/agents/evil.md"
HEAD = "---\nname: evil\ndescription: Reviews code for quality and security. Use after code changes.\n"
# The body retitles the terminal, turns it red, and holds a NUL and a right-to-left override.
EVIL = HEAD + "---\n\nYou review code \x1b]0;pwned\x07 \x1b[31mred\x00 and \u202ereversed\u202c.\n"
# agentls' own colours: SGR sequences it writes around paths, codes and carets.
OWN_SGR = re.compile(r"\x1b\[(?:0|1|2|32|1;3[1-6])m")


@pytest.fixture
def evil(project):
    return write(project, {AGENT: EVIL})


def test_a_file_cannot_retitle_or_recolour_the_terminal(evil):
    code, out, err = agentls(["check", "--color", "always"], evil, tty=True)
    assert code == 0 and err == ""
    assert "You review code ␛]0;pwned␇ ␛[31mred␀ and \\u202ereversed\\u202c." in out
    # Once agentls' own colour codes are removed, no control character is left but newlines.
    bare = OWN_SGR.sub("", out)
    assert [c for c in bare if c != "\n" and (ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or c in "\u202e\u202c")] == []


def test_piped_output_has_no_control_characters_at_all(evil):
    code, out, _ = agentls(["check"], evil)
    assert code == 0
    assert [c for c in out if c != "\n" and (ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0)] == []
    assert "AGT503" in out  # the control characters are reported, each under its caret


def test_carets_stay_under_what_they_mark(project):
    # Wide characters take two columns, escapes as many as they show.
    write(project, {AGENT: HEAD + "tools: Read, 日本, \x1b[1mX, Grepp\n---\n\nBody.\n"})
    code, out, _ = agentls(["check", "--select", "AGT400"], project)
    assert code == 0
    blocks = out.split("\n\n")
    japanese, escaped, grepp = (b for b in blocks if "AGT400" in b)
    assert "Unknown tool `日本`" in japanese
    assert japanese.endswith("4 | tools: Read, 日本, ␛[1mX, Grepp\n  |              ^^^^")
    assert "Unknown tool `␛[1mX`" in escaped
    assert escaped.endswith("4 | tools: Read, 日本, ␛[1mX, Grepp\n  |                    ^^^^^")
    assert grepp.endswith("4 | tools: Read, 日本, ␛[1mX, Grepp\n  |                           ^^^^^")


def test_long_lines_keep_their_carets_aligned(project):
    # A long one-line description is shown as a window; escapes before the finding shift nothing.
    long = "Reviews code " + "x" * 150 + " \x1b[31mExamples:\\nuser: hi"
    write(project, {AGENT: f"---\nname: evil\ndescription: {long}\n---\n\nBody.\n"})
    code, out, _ = agentls(["check", "--select", "AGT211"], project)
    block = next(b for b in out.split("\n\n") if "AGT211" in b)
    source, caret = block.splitlines()[2:4]
    assert "\x1b" not in source
    at = caret.index("^")
    assert source[at:at + 2] == "\\n"


def test_paths_and_related_notes_are_escaped(project):
    # A file name with an escape in it, and a name (YAML's "\e" is ESC) quoted in related notes.
    dup = HEAD.replace("name: evil", 'name: "dup\\e[2J"') + "---\n\nBody.\n"
    write(project, {".claude/agents/\x1b[2Jone.md": dup, ".claude/agents/two.md": dup})
    code, out, _ = agentls(["check", "--select", "AGT700"], project)
    assert "\x1b" not in out
    assert ".claude/agents/␛[2Jone.md:2:7: AGT700 2 agents are named `dup␛[2J`" in out
    assert "= note: also named `dup␛[2J` at .claude/agents/␛[2Jone.md:2" in out


def test_github_annotations_show_control_characters(project):
    write(project, {AGENT: HEAD + "tools: Read, \x1b]0;x\x07\n---\n\nBody.\n"})
    code, out, _ = agentls(["check", "--format", "github", "--select", "AGT400"], project)
    assert "\x1b" not in out and "\x07" not in out
    assert "::Unknown tool `␛]0;x␇`" in out


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_json_reports_escape_every_control_character(project, fmt):
    # The JSON encoder escapes C0 controls itself; C1 controls (U+009B is a one-character
    # CSI) and bidi controls it would write raw.
    write(project, {AGENT: HEAD + "tools: Read, A\x9b31mB\u202eC\n---\n\nBody.\n"})
    code, out, _ = agentls(["check", "--format", fmt, "--select", "AGT400"], project)
    assert "\x9b" not in out and "\u202e" not in out
    assert "\\u009b" in out and "\\u202e" in out
    data = json.loads(out)  # the same data
    messages = ([d["message"] for d in data] if fmt == "json"
                else [r["message"]["text"] for r in data["runs"][0]["results"]])
    assert "Unknown tool `A\x9b31mB\u202eC`" in messages


def test_a_diff_on_a_terminal_shows_control_characters_piped_it_is_exact(evil):
    code, out, _ = agentls(["check", "--diff", "--select", "AGT503"], evil, tty=True)
    assert "\x1b" not in out and "\x07" not in out and "\x00" not in out
    assert "-You review code ␛]0;pwned␇ ␛[31mred␀ and" in out
    code, out, _ = agentls(["check", "--diff", "--select", "AGT503"], evil)
    assert "-You review code \x1b]0;pwned\x07 \x1b[31mred\x00 and" in out  # for `git apply`


def test_the_example_in_docs_ci_md_is_real_output(project):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "ci.md").read_text(encoding="utf-8")
    section = text.split("### Control characters\n", 1)[1].split("\n### ", 1)[0]
    (example,) = re.findall(r"^```console\n(.*?)^```$", section, flags=re.M | re.S)
    write(project, {".claude/agents/reviewer.md": HEAD.replace("name: evil", "name: reviewer")
                    + "---\n\nYou review code \x1b]0;pwned\x07 and \x1b[31mshout\x1b[0m.\n"})
    code, out, _ = agentls(["check"], project)
    assert example in out
