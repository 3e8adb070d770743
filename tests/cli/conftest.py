"""Helpers for the ``agentls check`` tests: a project in a temporary folder, and a runner.

``run(args, cwd)`` calls the CLI in-process and returns ``(exit_code, stdout, stderr)``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cli_helpers import CLEAN  # noqa: E402
from helpers.workspace import make_workspace  # noqa: E402


@pytest.fixture
def project(tmp_path):
    """A folder with one clean agent; add files with ``write(root, {path: text})``."""
    return make_workspace(tmp_path / "proj", {".claude/agents/clean.md": CLEAN.format(name="clean")})


@pytest.fixture
def run(capsys, monkeypatch):
    from agentls.cli.main import main

    def call(args: list[str], cwd: Path | str | None = None) -> tuple[int, str, str]:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(["check", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return call


@pytest.fixture(autouse=True)
def _no_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
