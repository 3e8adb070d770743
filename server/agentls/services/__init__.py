"""What editors and the docs ask of the engine: completion, hover, the rule docs and the
JSON Schema. No LSP types: the ``lsp`` adapter converts."""
