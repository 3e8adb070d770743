"""Rules: the registry (``registry``), what a check sees (``context``, ``index``), the
suppression comments (``directives``), the runner (``lint``) and one module per rule family
(``tools`` holds the rules about ``tools``, ``model`` those about ``model``...).

Importing this package registers nothing: :mod:`agentls.rules.ruleset` imports the families
when a rule is first asked for.
"""
