"""Every finding on the real-world corpus, compared with a reviewed golden file.

A rule change that alters what agentls says about real files shows up as a diff of
``tests/golden/corpus_findings.txt`` in review. After an intended change:
``python tests/golden/regen.py`` (or ``AGENTLS_UPDATE_GOLDEN=1 python -m pytest tests/golden``).
"""

from __future__ import annotations

import difflib
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden import GOLDEN, render, write  # noqa: E402


def test_corpus_findings_match_golden():
    if os.environ.get("AGENTLS_UPDATE_GOLDEN"):
        write()
    actual = render()
    expected = GOLDEN.read_text(encoding="utf-8") if GOLDEN.exists() else ""
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                            "corpus_findings.txt (golden)", "current", n=0))
        raise AssertionError("corpus findings changed; review, then regenerate with "
                             "`python tests/golden/regen.py`:\n" + diff[:20000])
