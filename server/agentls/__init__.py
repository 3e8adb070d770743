"""agentls: a language server and linter for agent Markdown files."""

__version__ = "0.1.0"

# Before any of the package's dataclasses is defined: their generated methods' compiled
# code comes from the user's cache instead of compile() (~25-30 ms of every start).
from agentls.core import codecache as _codecache  # noqa: E402

_codecache.install()
