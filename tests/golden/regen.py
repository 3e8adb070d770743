"""Rewrite ``corpus_findings.txt`` from the current rules: ``python tests/golden/regen.py``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden import write  # noqa: E402

if __name__ == "__main__":
    path = write()
    print(f"wrote {path}: {path.read_text(encoding='utf-8').splitlines()[2]}")
