"""End-to-end tests: the real ``python -m agentls serve`` driven by pytest-lsp.

Helpers live in ``e2e_helpers.py`` (this folder is on ``sys.path`` under pytest's
default import mode); the client fixtures come from one factory,
``helpers.lsp.lsp_client_fixture``, and the workspaces from ``helpers.workspace``
(``tests/helpers``). Fixtures are module scoped: every module sets
``pytestmark = pytest.mark.asyncio(loop_scope="module")`` so its tests share the
fixture's event loop (otherwise pytest-lsp waits hang; see style.md section 2).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
