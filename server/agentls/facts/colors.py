"""The colour palette of ``color:`` (Claude Code subagents).

The documented palette since the 2026-04-02 docs (v2.1.140 updated it); the older one
had ``magenta``. The field table (and so ``AGT103``/``AGT104``, hover and the JSON
Schema) and completion read it from here.
"""

from __future__ import annotations

# Name -> a hex value for the editor's swatch next to a completion item. Claude Code's own
# hex values are undocumented; these are close to what its terminal UI shows.
PALETTE: dict[str, str] = {
    "red": "#e5484d", "blue": "#3e63dd", "green": "#30a46c", "yellow": "#f5d90a",
    "purple": "#8e4ec6", "orange": "#f76b15", "pink": "#d6409f", "cyan": "#05a2c2",
}

# Old name -> (the current colour that replaces it, where the old name comes from).
LEGACY: dict[str, tuple[str, str]] = {
    "magenta": ("purple", "from the pre-v2.1.140 palette"),
}
