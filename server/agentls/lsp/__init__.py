"""The language server. Importing this package imports ``lsprotocol.types`` first,
through :mod:`agentls.lsp.startup`, which saves most of its cost on every start after
the first."""

from agentls.lsp.startup import import_lsprotocol

import_lsprotocol()
