"""Shared texts and helpers for tests/cli (imported as ``cli_helpers``)."""

from __future__ import annotations

import json
from pathlib import Path

from helpers.workspace import write_files as write  # noqa: F401  (the one workspace builder)

CLEAN = """---
name: {name}
description: Reviews code for quality and security. Use after code changes.
tools: Read, Grep
model: sonnet
---

You review code.
"""

# One warning (AGT400 unknown-tool on line 4) and nothing else.
UNKNOWN_TOOL = """---
name: {name}
description: Reviews code for quality and security. Use after code changes.
tools: Read, Grepp
model: sonnet
---

You review code.
"""

# One error (AGT210 missing-description, reported on line 1) and nothing else.
NO_DESCRIPTION = """---
name: {name}
tools: Read, Grep
---

You review code.
"""


def codes(json_out: str) -> list[tuple[str, str, int]]:
    """``(path, code, line)`` of every finding in ``--format json`` output, sorted."""
    return sorted((d["path"], d["code"], d["line"]) for d in json.loads(json_out))


def agentls_command() -> list[str]:
    """The installed ``agentls`` console script (next to this Python), as a user runs it."""
    import shutil
    import sys

    script = Path(sys.executable).with_name("agentls")
    return [str(script)] if script.exists() else [shutil.which("agentls") or "agentls"]


def agentls(args: list[str], cwd: Path, *, tty: bool = False, env: dict | None = None) -> tuple[int, str, str]:
    """Run ``agentls ARGS`` in a subprocess: ``(exit code, stdout, stderr)``.

    With ``tty``, standard output is a pseudo-terminal (what a person at a terminal
    sees, colour and all); standard error stays a pipe.
    """
    import os
    import subprocess

    env = {**os.environ, **(env or {})}
    if tty:
        env.pop("NO_COLOR", None)
    else:
        env.setdefault("NO_COLOR", "1")
    if not tty:
        proc = subprocess.run([*agentls_command(), *args], cwd=cwd, capture_output=True, text=True,
                              timeout=120, env=env)
        return proc.returncode, proc.stdout, proc.stderr
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen([*agentls_command(), *args], cwd=cwd, stdout=follower, stderr=subprocess.PIPE,
                            env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    err = proc.stderr.read().decode() if proc.stderr else ""
    code = proc.wait(timeout=120)
    # A terminal turns "\n" into "\r\n" on output.
    return code, b"".join(chunks).decode().replace("\r\n", "\n"), err
