"""The language server. Importing this package imports ``lsprotocol.types`` first,
through :mod:`agentls.lsp.startup`, which saves most of its cost on every start after
the first, and has cattrs reuse the code it generated on earlier starts."""

from agentls.lsp.startup import cache_cattrs_code, import_lsprotocol

import_lsprotocol()
cache_cattrs_code()
