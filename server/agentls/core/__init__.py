"""The core: text -> a parsed document (frontmatter nodes with exact ranges, body headings).

It knows no rule and no fact about any tool: ``text`` (positions and encodings),
``yamlnodes`` (safe, bounded YAML composition), ``document`` (the parsed file), ``formats``
(file kinds by name) and ``paths`` (where a file sits).
"""
