"""LSP feature modules. Each has ``register(server)``; the server calls them in order.

Add a module here to add a feature; keep the handlers thin: convert positions, call
the pure core, convert back.
"""

from __future__ import annotations

import importlib

FEATURE_MODULES: list[str] = [
    # "agentls.lsp.completion", "agentls.lsp.hover", "agentls.lsp.actions"  (added as built)
    "agentls.lsp.completion",
    "agentls.lsp.hover",
    "agentls.lsp.actions",
    "agentls.lsp.symbols",
    "agentls.lsp.navigation",
    "agentls.lsp.formatting",
    "agentls.lsp.lens",
]


def register_all(server) -> None:
    for name in FEATURE_MODULES:
        importlib.import_module(name).register(server)
