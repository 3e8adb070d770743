"""Shared texts and helpers for tests/cli (imported as ``cli_helpers``)."""

from __future__ import annotations

import json
from pathlib import Path

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


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


def codes(json_out: str) -> list[tuple[str, str, int]]:
    """``(path, code, line)`` of every finding in ``--format json`` output, sorted."""
    return sorted((d["path"], d["code"], d["line"]) for d in json.loads(json_out))
