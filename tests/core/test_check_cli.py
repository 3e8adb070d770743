"""`agentls check` and `agentls rule` as a user runs them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from helpers.workspace import write_files

SEEDS = Path(__file__).parent.parent / "data" / "seeds"


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "agentls", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60)


GOOD = "---\nname: reviewer\ndescription: Reviews code for quality. Use after code changes.\n---\nYou review code.\n"


def test_clean_workspace_exits_zero(tmp_path):
    ws = write_files(tmp_path, {".claude/agents/reviewer.md": GOOD, "README.md": "# not an agent: no frontmatter\n"})
    proc = run("check", cwd=ws)
    assert proc.returncode == 0, proc.stdout
    assert "All checks passed (1 file checked)" in proc.stdout


def test_ruff_like_output_and_exit_code(tmp_path):
    ws = write_files(tmp_path, {".claude/agents/reviewer.md": GOOD.replace("name: reviewer\n", "")
                            .replace("---\nYou", "tools: Read, Grepp\n---\nYou")})
    proc = run("check", "--color", "never", cwd=ws)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert ".claude/agents/reviewer.md:1:1: AGT200 [*] No `name`" in lines[0]
    assert any(line.startswith(".claude/agents/reviewer.md:3:14: AGT400 [*] Unknown tool `Grepp`; did you mean `Grep`?")
               for line in lines)
    assert "3 | tools: Read, Grepp" in proc.stdout
    assert "  |              ^^^^^" in proc.stdout
    assert "Found 2 findings (1 error, 1 warning)" in proc.stdout
    assert run("check", "--exit-zero", cwd=ws).returncode == 0


def test_json_output_is_stable(tmp_path):
    ws = write_files(tmp_path, {".claude/agents/a.md": GOOD.replace("Read", "").replace("---\nYou", "tools: Grepp\n---\nYou")})
    proc = run("check", "--format", "json", cwd=ws)
    data = json.loads(proc.stdout)
    assert [(d["code"], d["name"], d["line"], d["column"], d["end_column"], d["severity"]) for d in data] == [
        ("AGT400", "unknown-tool", 4, 8, 13, "error")]
    assert data[0]["fix"]["edits"][0]["content"] == "Grep"
    assert set(data[0]) >= {"path", "message", "url", "end_line", "related"}


def test_broken_files_do_not_stop_the_run(tmp_path):
    ws = write_files(tmp_path, {
        ".claude/agents/binary.md": "\x00\x01\x02 garbage ---\n",
        ".claude/agents/bomb.md": "---\na: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\nname: !!python/object:os.system x\n---\n",
        ".claude/agents/ok.md": GOOD,
    })
    (ws / ".claude/agents/bytes.md").write_bytes(b"---\nname: \xff\xfe\n---\n")
    proc = run("check", "--format", "json", cwd=ws)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    paths = {d["path"] for d in json.loads(proc.stdout)}
    assert {".claude/agents/binary.md", ".claude/agents/bomb.md", ".claude/agents/bytes.md"} <= paths


def test_seed_duplicates_are_reported_across_files(tmp_path):
    agents = tmp_path / ".claude" / "agents"
    agents.mkdir(parents=True)
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, agents / f"{seed.stem}.md")
    data = json.loads(run("check", "--format", "json", cwd=tmp_path).stdout)
    dupes = [d for d in data if d["code"] == "AGT700"]
    assert len(dupes) == 5 and all(len(d["related"]) == 4 for d in dupes)


def test_rule_docs(tmp_path):
    proc = run("rule", "unknown-tool", cwd=tmp_path)
    assert proc.returncode == 0
    for section in ("# AGT400 unknown-tool", "## What it does", "## Why it matters", "## Example", "## Fix"):
        assert section in proc.stdout
    listing = run("rule", "--all", cwd=tmp_path).stdout
    assert "AGT400  unknown-tool" in listing
    bad = run("rule", "AGT999", cwd=tmp_path)
    assert bad.returncode == 2 and "unknown rule" in bad.stderr


def test_missing_path_is_a_usage_error(tmp_path):
    proc = run("check", "nope", cwd=tmp_path)
    assert proc.returncode == 2 and "no such file" in proc.stderr
