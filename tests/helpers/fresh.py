"""A fresh interpreter for the start-up caches' tests: they matter only for the first
import of a module, so each case runs its probe script in a new process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def probe_env(cache: Path, **env: str) -> dict[str, str]:
    """This environment, with the start-up caches on and kept in ``cache``."""
    full = {k: v for k, v in os.environ.items() if k != "AGENTLS_NO_STARTUP_CACHE"}
    full.update(AGENTLS_CACHE_DIR=str(cache), **env)
    return full


def run_probe(script: str, cache: Path, **env: str) -> dict:
    """What ``script`` prints as JSON, run by a fresh interpreter (:func:`probe_env`)."""
    out = subprocess.run([sys.executable, "-c", script], env=probe_env(cache, **env), capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)
