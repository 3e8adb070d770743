"""Helpers for the real-editor tests: sandboxed HOME/XDG, seeds, the CLI as ground truth."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from helpers.workspace import make_workspace, write_files

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "tests" / "data" / "seeds"
ARTIFACTS = REPO / "test-artifacts"


def seed(prefix: str) -> Path:
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    assert matches, f"no seed {prefix}_*.txt in {SEEDS}"
    return matches[0]


def scripts_dir() -> Path:
    """Where this interpreter's console scripts (``agentls``) live."""
    return Path(sysconfig.get_path("scripts"))


def agentls_on_path_env(home: Path) -> dict[str, str]:
    """The environment a user would have: ``agentls`` on PATH, HOME and XDG_* sandboxed."""
    env = dict(os.environ)
    for key in ("NVIM", "NVIM_LISTEN_ADDRESS", "VIMINIT", "MYVIMRC", "NVIM_APPNAME", "PYTHONPATH"):
        env.pop(key, None)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_RUNTIME_DIR=str(home / ".run"),
        PATH=os.pathsep.join([str(scripts_dir()), str(Path(sys.executable).parent), env.get("PATH", "")]),
    )
    (home / ".run").mkdir(parents=True, exist_ok=True)
    os.chmod(home / ".run", 0o700)
    return env


def cli_findings(project: Path, env: dict[str, str]) -> list[dict]:
    """What ``agentls check`` reports for the project: the ground truth for editors."""
    exe = shutil.which("agentls", path=env["PATH"])
    assert exe, "the agentls console script is not installed (pip install -e .)"
    proc = subprocess.run([exe, "check", "--format", "json", "--exit-zero", "--color", "never", "."],
                          cwd=project, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def byte_col(line: str, column0: int) -> int:
    """A 0-based code-point column to the UTF-8 byte column Neovim uses."""
    return len(line[:column0].encode("utf-8"))


def make_sandbox(tmp_path: Path) -> Path:
    (tmp_path / "home").mkdir(exist_ok=True)
    return tmp_path


def make_project(root: Path) -> dict[str, Path]:
    """Two seeds as subagents (same `name`, so AGT700 needs the workspace scan), the same
    text outside any agent location, a plugin and a user-level agents folder."""
    proj = make_workspace(root / "proj", {
        ".claude/agents/x.md": seed("003").read_bytes(),
        ".claude/agents/y.md": seed("004").read_bytes(),
        "notes/x.md": seed("003").read_bytes(),
    })
    plugin = write_files(root / "plug", {".claude-plugin/plugin.json": '{"name": "plug"}\n'})
    return {"proj": proj, "agent": proj / ".claude/agents/x.md", "other": proj / "notes" / "x.md", "plugin": plugin}


def classify_cases(proj: Path, plugin: Path, home: Path) -> dict[Path, Path | None]:
    """Paths and the workspace root an editor should pick (None: not an agent file)."""
    return {
        proj / ".claude/agents/a.md": proj,
        proj / ".claude/agents/team/b.md": proj,
        proj / ".claude/agents/Upper.MD": proj,
        proj / ".claude/commands/c.md": proj,
        proj / ".claude/commands/git/commit.md": proj,
        proj / ".claude/skills/pdf/SKILL.md": proj,
        proj / "skills/pdf/SKILL.md": proj / "skills/pdf",  # a skills repo: the skill's own folder
        proj / ".claude/agents/README.md": None,
        proj / ".claude/agents/notes.txt": None,
        proj / ".claude/settings.md": None,
        proj / "skills/SKILL.md": None,
        proj / "skills/pdf/reference.md": None,
        proj / "skills/pdf/agents/helper.md": None,
        # a .claude/agents folder is Claude Code's even inside a folder named `skills`
        proj / "skills/.claude/agents/team.md": proj / "skills",
        proj / "skills/pdf/.claude/commands/go.md": proj / "skills/pdf",
        proj / "README.md": None,
        proj / "docs/agents.md": None,
        plugin / "agents/reviewer.md": plugin,
        plugin / "commands/fix.md": plugin,
        plugin / "skills/lint/SKILL.md": plugin,
        home / ".claude/agents/mine.md": home / ".claude",
    }
