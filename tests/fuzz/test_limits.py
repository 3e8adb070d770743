"""Documented limits: past them a finding is reported, never a hang or a crash.

Each case runs in a child process, because the failure being guarded against is a
segfault (PyYAML's C composer recurses on the C stack) that would kill pytest itself.
The child's time-out is a hang guard, not a timing assertion.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from agentls.core.document import MAX_DOCUMENT_CHARS, MAX_FRONTMATTER_CHARS

HANG_GUARD = 120  # seconds; each case takes well under one


def alias_bomb(levels: int, width: int) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines)


CASES = {
    # name: (document text, codes that must be among the findings)
    "5 MB file": ("---\nname: big\ndescription: d\n---\n" + "word " * 1_000_000, {"AGT007"}),
    "70 KiB frontmatter": ("---\nname: a\ndescription: " + "y" * 70 * 1024 + "\n---\nbody\n", {"AGT007"}),
    "billion laughs": ("---\nname: lol\ndescription: d\n" + alias_bomb(10, 10) + "\n---\nbody\n", {"AGT100"}),
    "recursive alias": ("---\nname: &x [*x]\ndescription: d\n---\nbody\n", set()),
    # As deep as fits in the frontmatter limit (64 KiB).
    "30k-deep flow nesting": ("---\nname: a\nx: " + "[" * 30_000 + "]" * 30_000 + "\n---\nbody\n", {"AGT008"}),
    "60k unclosed brackets": ("---\nx: " + "{" * 60_000 + "\n---\nbody\n", {"AGT008"}),
    "100k-deep flow nesting": ("---\nname: a\nx: " + "[" * 100_000 + "]" * 100_000 + "\n---\nbody\n", {"AGT007"}),
    # Block nesting costs its depth in indentation on every line, so the size limit
    # comes first past ~360 levels of one level per line; compact sequences (`- - -`)
    # nest one level per two characters and reach the nesting limit.
    "300-deep block nesting": ("---\n" + "".join(" " * i + f"k{i}:\n" for i in range(300)) + "---\nbody\n",
                               set()),
    "900-deep compact block sequence": ("---\nx:\n  " + "- " * 900 + "a\n---\nb\n", {"AGT008"}),
    "900-deep block nesting": ("---\n" + "".join(" " * i + f"k{i}:\n" for i in range(900)) + "---\nbody\n",
                               {"AGT007"}),
    "5k-deep block nesting": ("---\n" + "".join(" " * i + f"k{i}:\n" for i in range(5000)) + "---\nbody\n",
                              {"AGT007"}),
    "python tags": ("---\nname: a\ndescription: d\nx: !!python/object/apply:os.system [\"touch /tmp/pwn\"]\n"
                    "---\nbody\n", set()),
    "NULs": ("---\nname: a\x00b\ndescription: d\x00\n---\n\x00body\n", {"AGT503"}),
}

CHILD = textwrap.dedent("""
    import json, sys
    from agentls.rules.lint import lint_text
    from agentls.core import yamlnodes
    text = sys.stdin.read()
    doc, findings = lint_text(text, "/ws/.claude/agents/a.md")
    # The composer on its own too, past the document's size limits.
    fm = text.split("\\n---", 1)[0][4:]
    try:
        yamlnodes.compose(fm)
    except yamlnodes.YamlError:
        pass
    print(json.dumps(sorted({f.code for f in findings})))
""")


@pytest.mark.parametrize("name", list(CASES))
def test_limit_gives_finding_not_crash(name):
    text, expected = CASES[name]
    proc = subprocess.run([sys.executable, "-c", CHILD], input=text, capture_output=True, text=True,
                          timeout=HANG_GUARD, encoding="utf-8", errors="surrogateescape")
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-2000:])
    codes = set(json.loads(proc.stdout))
    assert expected <= codes, codes


def test_limits_are_what_the_docs_say():
    assert MAX_DOCUMENT_CHARS == 1024 * 1024
    assert MAX_FRONTMATTER_CHARS == 64 * 1024
    doc = (Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    assert "## Limits" in doc and "1 MiB of text" in doc and "64 KiB" in doc


def test_cli_survives_hostile_files(tmp_path):
    agents = tmp_path / ".claude" / "agents"
    agents.mkdir(parents=True)
    for i, name in enumerate(["5 MB file", "billion laughs", "30k-deep flow nesting", "900-deep compact block sequence"]):
        (agents / f"a{i}.md").write_text(CASES[name][0], encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "agentls", "check", "--format", "json", str(tmp_path)],
                          capture_output=True, text=True, timeout=HANG_GUARD, cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    codes = {d["code"] for d in json.loads(proc.stdout)}
    assert {"AGT007", "AGT008"} <= codes
