"""The pre-commit hook (``.pre-commit-hooks.yaml``), run by ``pre-commit try-repo``.

``try-repo`` installs the hook repository the way users get it: it clones a git
repository and ``pip install``s it into a fresh environment (from PyPI). The hook
repository here is a temporary git repository holding this checkout's package files,
committed, so uncommitted work is tested too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import CLEAN, NO_DESCRIPTION, UNKNOWN_TOOL, write

REPO = Path(__file__).resolve().parents[2]
GIT = shutil.which("git")
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]

try:
    import pre_commit  # noqa: F401
except ImportError:  # pragma: no cover - pre-commit is in the test extras
    pre_commit = None

pytestmark = pytest.mark.skipif(pre_commit is None or GIT is None, reason="needs pre-commit and git")


def git(cwd: Path, *args: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    subprocess.run([GIT, "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args], cwd=cwd,
                   check=True, capture_output=True, env=env)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hook-repo")
    for name in ("pyproject.toml", ".pre-commit-hooks.yaml", "LICENSE"):
        shutil.copy2(REPO / name, root / name)
    readme = REPO / "README.md"
    (root / "README.md").write_text(readme.read_text() if readme.exists() else "# agentls\n")
    shutil.copytree(REPO / "server" / "agentls", root / "server" / "agentls",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "hook")
    return root


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(hook_repo: Path, home: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), NO_COLOR="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run([*PRE_COMMIT, "try-repo", str(hook_repo), "agentls", "--all-files", "--color", "never"],
                          cwd=cwd, capture_output=True, text=True, env=env, timeout=600)


def test_hook_via_try_repo(hook_repo, pre_commit_home, tmp_path):
    user = tmp_path / "user"
    write(user, {
        ".claude/agents/good.md": CLEAN.format(name="good"),
        ".claude/agents/bad.md": NO_DESCRIPTION.format(name="bad"),
        ".claude/agents/README.md": "Not an agent: no frontmatter needed.\n",
        "plugin/agents/typo.md": UNKNOWN_TOOL.format(name="typo"),
        "skills/style/SKILL.md": "---\nname: style\ndescription: House style.\n---\nStyle.\n",
        "docs/notes.md": "Not an agent either.\n",
    })
    git(user, "init", "-q")
    git(user, "add", "-A")

    proc = try_repo(hook_repo, pre_commit_home, user)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert ".claude/agents/bad.md:1:1: AGT210" in out
    assert "plugin/agents/typo.md:4:14: AGT400" in out  # a warning, shown but not failing
    # good, bad, typo and SKILL.md: not the README, not docs/notes.md.
    assert "in 2 of 4 files." in out

    # Fixed: the hook passes.
    (user / ".claude/agents/bad.md").write_text(CLEAN.format(name="bad"))
    git(user, "add", "-A")
    proc = try_repo(hook_repo, pre_commit_home, user)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout
