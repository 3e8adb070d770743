"""Helpers shared by every test folder (``tests/`` is put on ``sys.path`` by ``tests/conftest.py``).

- :mod:`helpers.workspace`: a temporary workspace of agent files from a ``{path: text}`` dict.
- :mod:`helpers.lsp`: the real server under pytest-lsp, and :func:`helpers.lsp.lsp_client_fixture`,
  the one factory for the e2e modules' client fixtures.
- :mod:`helpers.fresh`: a probe script run by a fresh interpreter (the start-up caches).
"""
