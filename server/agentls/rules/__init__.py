"""Rule families, one module each. Importing this package registers every rule."""

from . import body, description, encoding, frontmatter, keys, model, name, suppressions, tools, workspace

FAMILIES = (frontmatter, keys, name, description, model, tools, encoding, body, workspace, suppressions)
