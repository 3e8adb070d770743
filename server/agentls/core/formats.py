"""Frontmatter formats other than YAML, detected with python-frontmatter's handlers.

Claude Code reads only YAML between ``---`` fences. A file written with TOML (``+++``)
or JSON frontmatter loads as a prompt with no fields, so we name the format in the
finding instead of just saying "no frontmatter".
"""

from __future__ import annotations

import re

import frontmatter
from frontmatter.default_handlers import BaseHandler, JSONHandler


class _TomlFences(BaseHandler):
    # python-frontmatter's TOMLHandler is None unless a TOML library is installed;
    # detection only needs the fence pattern, not a parser.
    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)


_HANDLERS = {"TOML": _TomlFences(), "JSON": JSONHandler()}


def detect_frontmatter_format(text: str) -> str | None:
    """``"TOML"`` or ``"JSON"`` when ``text`` opens with such frontmatter, else ``None``."""
    head = text[:64].lstrip("\ufeff")
    if not head.startswith(("+++", "{")):
        return None
    handler = frontmatter.detect_format(text[:65536], list(_HANDLERS.values()))
    for name, known in _HANDLERS.items():
        if handler is known:
            return name
    return None
