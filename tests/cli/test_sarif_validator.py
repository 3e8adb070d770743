"""The SARIF output passes Microsoft's own validator (``Sarif.Multitool validate``).

The validator comes from npm (``tests/cli/sarif/package.json``; ``.ci/run`` installs it
with ``npm ci``). The test is skipped only when it is not installed.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest
from cli_helpers import NO_DESCRIPTION, UNKNOWN_TOOL, write

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "data" / "corpus"


def multitool() -> Path | None:
    modules = HERE / "sarif" / "node_modules" / "@microsoft"
    for candidate in sorted(modules.glob("sarif-multitool-*/Sarif.Multitool")):
        if candidate.is_file():
            if not os.access(candidate, os.X_OK):  # npm may skip the package's own chmod
                candidate.chmod(candidate.stat().st_mode | stat.S_IXUSR)
            return candidate
    return None


TOOL = multitool()
pytestmark = pytest.mark.skipif(TOOL is None, reason="Sarif.Multitool not installed (cd tests/cli/sarif && npm ci)")


def validate(sarif: Path, tmp_path: Path) -> list[dict]:
    """Every error and warning the validator reports for ``sarif``."""
    out = tmp_path / "validation.sarif"
    env = dict(os.environ, DOTNET_CLI_TELEMETRY_OPTOUT="1")
    proc = subprocess.run([str(TOOL), "validate", str(sarif), "--output", str(out), "--level", "Error;Warning",
                           "--quiet"], capture_output=True, text=True, timeout=300, env=env)
    assert out.exists(), f"validator produced no log (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    log = json.loads(out.read_text(encoding="utf-8-sig"))
    # The validator's own run must have succeeded, or an empty result list means nothing.
    assert all(inv.get("executionSuccessful", True) for r in log["runs"] for inv in r.get("invocations", []))
    return [{"rule": r["ruleId"], "level": r.get("level", "warning"),
             "message": r["message"].get("text") or r["message"].get("arguments")}
            for run in log["runs"] for r in run.get("results", [])
            if r.get("level", "warning") in ("error", "warning")]


def test_the_validator_catches_errors(tmp_path):
    bad = tmp_path / "bad.sarif"
    bad.write_text(json.dumps({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
        {"message": {"text": "m"}, "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": "a b"}, "region": {"startLine": 0}}}]}]}]}))
    assert any(p["level"] == "error" for p in validate(bad, tmp_path))


def test_sarif_of_a_project_is_valid(project, run, tmp_path):
    write(project, {".claude/agents/a.md": UNKNOWN_TOOL.format(name="a"),
                    ".claude/agents/b.md": NO_DESCRIPTION.format(name="b"),
                    ".claude/agents/c d ü.md": UNKNOWN_TOOL.format(name="c-d").replace("Read,", "Read, Task,")})
    os.symlink(project / ".claude/agents/gone.md", project / ".claude/agents/dangling.md")
    code, _, _ = run(["--format", "sarif", "--output-file", str(tmp_path / "out.sarif")], cwd=project)
    assert code == 1
    assert validate(tmp_path / "out.sarif", tmp_path) == []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no corpus")
def test_sarif_of_the_corpus_is_valid(run, tmp_path):
    """Real agent files: fixes, related locations, many rules."""
    code, _, _ = run(["--format", "sarif", "--output-file", str(tmp_path / "corpus.sarif"), str(CORPUS)],
                     cwd=CORPUS.parent)
    data = json.loads((tmp_path / "corpus.sarif").read_text())
    results = data["runs"][0]["results"]
    assert results and any("fixes" in r for r in results)
    assert validate(tmp_path / "corpus.sarif", tmp_path) == []


def test_sarif_naming_each_files_target_is_valid(run, tmp_path):
    """Files of five tools (tests/fixtures/workspaces/targets): each result's properties name its target."""
    import shutil

    repo = tmp_path / "repo"
    shutil.copytree(HERE.parent / "fixtures" / "workspaces" / "targets", repo)
    run(["--format", "sarif", "--output-file", str(tmp_path / "targets.sarif")], cwd=repo)
    results = json.loads((tmp_path / "targets.sarif").read_text())["runs"][0]["results"]
    assert {r["properties"]["target"] for r in results} == {"claude-code", "gemini", "copilot", "cursor", "opencode"}
    assert validate(tmp_path / "targets.sarif", tmp_path) == []
