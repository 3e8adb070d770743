"""What agentls knows about agent files, each fact written down once, as data.

``fields`` (the frontmatter of each kind), ``models`` (model values), ``colors`` (the
colour palette) and ``tools`` (the tool names); rules, completion, hover, the JSON Schema
and the docs read them from here.
"""

# The file kinds agentls checks: Claude Code subagents, skills (``SKILL.md``) and commands.
KINDS: tuple[str, ...] = ("agent", "skill", "command")
