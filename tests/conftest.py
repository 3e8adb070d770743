"""Shared test configuration.

Shared helpers live in the ``helpers`` package next to this file (``tests/`` is put on
``sys.path`` here): ``helpers.workspace`` builds workspaces of agent files,
``helpers.lsp`` holds the one pytest-lsp client fixture factory.

Tests marked ``slow`` (real VS Code, long fuzzing) run in CI (``CI`` is set there) or
with ``--run-slow``; locally they are skipped so the suite stays quick.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

# `agentls check` keeps a content cache in the folder it runs in (issue 17): tests that
# monkeypatch facts or rules and check one path twice must not read each other's entries,
# nor leave caches in the checkout. tests/cli/test_cache.py turns it back on.
os.environ.setdefault("AGENTLS_NO_CACHE", "1")


def pytest_addoption(parser):
    parser.addoption("--run-slow", action="store_true", help="run tests marked slow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-slow") or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="slow: runs in CI or with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
