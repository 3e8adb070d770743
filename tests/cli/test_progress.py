"""A progress bar on an interactive stderr for long runs; nothing when piped."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys

from agentls.cli.reports import Progress
from cli_helpers import CLEAN, write


def many(root, n):
    return write(root, {f".claude/agents/a{i}.md": CLEAN.format(name=f"a{i}") for i in range(n)})


def test_progress_on_a_terminal(project):
    many(project, 60)
    leader, follower = pty.openpty()
    proc = subprocess.run([sys.executable, "-m", "agentls", "check", "--format", "json"], cwd=project,
                          stdout=subprocess.PIPE, stderr=follower, timeout=120)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    err = b"".join(chunks).decode()
    assert proc.returncode == 0 and proc.stdout.strip() == b"[]"  # stdout untouched
    assert "checking" in err and "61/61 files" in err
    assert err.endswith("\r\x1b[2K")  # the bar is erased at the end


def test_no_progress_when_piped(project):
    many(project, 60)
    proc = subprocess.run([sys.executable, "-m", "agentls", "check"], cwd=project, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0 and proc.stderr == ""


def test_no_progress_for_few_files():
    stream = io.StringIO()
    bar = Progress(stream, force=True)
    for i in range(1, 11):
        bar(i, 10)
    assert stream.getvalue() == ""
    for i in range(1, 52):
        bar(i, 51)
    assert "51/51 files" in stream.getvalue()
